// Tests the store: creation, pragmas, migrations with backups, refusals, foreign keys, FTS triggers, check().
#include "library.h"
#include "migrator.h"
#include "testlibrary.h"

#include <QDir>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QTemporaryDir>
#include <QTest>

using namespace Atlas;
using namespace AtlasTest;
using namespace Qt::StringLiterals;

namespace
{

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
}

// Changes a library behind the store's back, through a connection of its own.
void rawExec(const QString &path, const QString &sql)
{
    const QString name = u"raw"_s;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY2(query.exec(sql), qPrintable(query.lastError().text()));
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

QString copyBundledMigration(const QTemporaryDir &dir)
{
    const QString folder = dir.filePath(u"migrations"_s);
    QDir().mkpath(folder);
    QFile::copy(u":/migrations/0001_initial.sql"_s, folder + u"/0001_initial.sql"_s);
    QFile::setPermissions(folder + u"/0001_initial.sql"_s, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return folder;
}

} // namespace

class LibraryTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void createsNewLibrary();
    void reopensWithoutChange();
    void foreignKeysAreEnforced();
    void ftsTriggersFollowEntries();
    void ftsTriggersFollowDocuments();
    void refusesNewerVersionUntouched();
    void refusesNonLibraries_data();
    void refusesNonLibraries();
    void refusesDirectory();
    void backsUpBeforeMigrating();
    void failedMigrationChangesNothing();
    void rejectsBadMigrationNames();
    void checkFindsBrokenClosure();
    void checkFindsWrongTreeCounts();
    void statsCount();
};

void LibraryTest::createsNewLibrary()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"sub/folder/lib.sqlite"_s);
    Library library;
    auto status = library.open(path);
    QVERIFY2(status.ok(), qPrintable(status.error()));
    QVERIFY(library.wasCreated());
    QVERIFY(library.backupPath().isEmpty());
    QCOMPARE(library.schemaVersion(), Library::currentSchemaVersion());
    QVERIFY(Library::currentSchemaVersion() >= 1);
    QCOMPARE(scalar(library, u"PRAGMA user_version"_s).toInt(), Library::currentSchemaVersion());
    QCOMPARE(scalar(library, u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
    QCOMPARE(scalar(library, u"PRAGMA foreign_keys"_s).toInt(), 1);
    QCOMPARE(scalar(library, u"PRAGMA application_id"_s).toLongLong(), 1296127052);
    // Owner-only permissions for a new library.
    const QFileDevice::Permissions perms = QFile::permissions(path);
    QVERIFY(perms & QFileDevice::ReadOwner);
    QVERIFY(!(perms & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup | QFileDevice::WriteOther)));
}

void LibraryTest::reopensWithoutChange()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"lib.sqlite"_s);
    {
        Library library;
        QVERIFY(library.open(path).ok());
        addEntry(library, u"Red teaming"_s);
    }
    Library library;
    auto status = library.open(path);
    QVERIFY2(status.ok(), qPrintable(status.error()));
    QVERIFY(!library.wasCreated());
    QVERIFY(library.backupPath().isEmpty());
    QCOMPARE(scalar(library, u"SELECT count(*) FROM entry"_s).toInt(), 1);
    QCOMPARE(scalar(library, u"SELECT count(*) FROM scheme"_s).toInt(), 8);
}

void LibraryTest::foreignKeysAreEnforced()
{
    QTemporaryDir dir;
    Library library;
    QVERIFY(library.open(dir.filePath(u"lib.sqlite"_s)).ok());
    auto orphan
        = Sql::exec(library.database(), u"INSERT INTO classification(entry_id, node_id, assigned_by_kind, assigned_by) VALUES (4242, 1, 'import', 'x')"_s);
    QVERIFY(!orphan.ok());
    QVERIFY2(orphan.error().contains(u"FOREIGN KEY"_s, Qt::CaseInsensitive), qPrintable(orphan.error()));

    const qint64 entry = addEntry(library, u"Data filtering"_s);
    const qint64 node = scalar(library, u"SELECT min(id) FROM taxonomy_node"_s).toLongLong();
    classify(library, entry, node);
    QCOMPARE(scalar(library, u"SELECT count(*) FROM classification"_s).toInt(), 1);
    exec(library, u"DELETE FROM entry WHERE id = ?"_s, {entry});
    QCOMPARE(scalar(library, u"SELECT count(*) FROM classification"_s).toInt(), 0);

    // A check constraint: the provenance kind is one of the known ones.
    const qint64 other = addEntry(library, u"Watermarking"_s);
    auto badKind = Sql::exec(
        library.database(), u"INSERT INTO classification(entry_id, node_id, assigned_by_kind, assigned_by) VALUES (?, ?, 'guess', 'x')"_s, {other, node});
    QVERIFY(!badKind.ok());
}

void LibraryTest::ftsTriggersFollowEntries()
{
    QTemporaryDir dir;
    Library library;
    QVERIFY(library.open(dir.filePath(u"lib.sqlite"_s)).ok());
    const QString match = u"SELECT count(*) FROM entry_fts WHERE entry_fts MATCH ?"_s;
    const qint64 id = addEntry(library, u"Adversarial testing"_s, u"Red teaming probes jailbreaks before release"_s);
    addEntry(library, u"Unrelated"_s, u"Watermarks on generated images"_s);
    QCOMPARE(scalar(library, match, {u"jailbreaks"_s}).toInt(), 1);
    QCOMPARE(scalar(library, match, {u"jail*"_s}).toInt(), 1);
    QCOMPARE(scalar(library, match, {u"\"red teaming\""_s}).toInt(), 1);

    exec(library, u"UPDATE entry SET text = 'Constitutional training with critiques' WHERE id = ?"_s, {id});
    QCOMPARE(scalar(library, match, {u"jailbreaks"_s}).toInt(), 0);
    QCOMPARE(scalar(library, match, {u"critiques"_s}).toInt(), 1);
    // Diacritics folded by the tokenizer.
    exec(library, u"UPDATE entry SET notes = 'naïve café' WHERE id = ?"_s, {id});
    QCOMPARE(scalar(library, match, {u"naive"_s}).toInt(), 1);

    exec(library, u"DELETE FROM entry WHERE id = ?"_s, {id});
    QCOMPARE(scalar(library, match, {u"critiques"_s}).toInt(), 0);
    auto problems = library.check();
    QVERIFY(problems.ok());
    QVERIFY2(problems->isEmpty(), qPrintable(problems->join(u'\n')));
}

void LibraryTest::ftsTriggersFollowDocuments()
{
    QTemporaryDir dir;
    Library library;
    QVERIFY(library.open(dir.filePath(u"lib.sqlite"_s)).ok());
    const QString match = u"SELECT count(*) FROM document_fts WHERE document_fts MATCH ?"_s;
    QSqlQuery q = exec(library, u"INSERT INTO document(title, authors, abstract) VALUES (?, ?, ?)"_s,
        {u"Large Language Model Safety: A Holistic Survey"_s, u"[\"Shi, Dan\", \"Xiong, Deyi\"]"_s, u"A survey of risks."_s});
    const qint64 id = q.lastInsertId().toLongLong();
    QCOMPARE(scalar(library, match, {u"holistic"_s}).toInt(), 1);
    QCOMPARE(scalar(library, match, {u"authors:xiong"_s}).toInt(), 1);
    exec(library, u"UPDATE document SET title = 'Another title' WHERE id = ?"_s, {id});
    QCOMPARE(scalar(library, match, {u"holistic"_s}).toInt(), 0);
    // A document needs a title or an abstract.
    QVERIFY(!Sql::exec(library.database(), u"INSERT INTO document(year) VALUES (2024)"_s).ok());
    exec(library, u"DELETE FROM document"_s);
    QCOMPARE(scalar(library, match, {u"another"_s}).toInt(), 0);
    QVERIFY(library.check()->isEmpty());
}

void LibraryTest::refusesNewerVersionUntouched()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"lib.sqlite"_s);
    {
        Library library;
        QVERIFY(library.open(path).ok());
    }
    rawExec(path, u"PRAGMA user_version = 999"_s);
    rawExec(path, u"PRAGMA wal_checkpoint(TRUNCATE)"_s);
    const QByteArray before = fileHash(path);
    QVERIFY(!before.isEmpty());

    Library library;
    auto status = library.open(path);
    QVERIFY(!status.ok());
    QVERIFY2(status.error().contains(u"newer version"_s), qPrintable(status.error()));
    QVERIFY2(status.error().contains(path), qPrintable(status.error()));
    QVERIFY(!library.isOpen());
    QCOMPARE(fileHash(path), before);
}

void LibraryTest::refusesNonLibraries_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    QTest::newRow("text") << QByteArray("@article{key, title={Not a database}}\n") << u"not a Mitigation Atlas library"_s;
    QTest::newRow("binary") << QByteArray(4096, '\x7f') << u"not a Mitigation Atlas library"_s;
}

void LibraryTest::refusesNonLibraries()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"file.sqlite"_s);
    writeFile(path, content);
    Library library;
    auto status = library.open(path);
    QVERIFY(!status.ok());
    QVERIFY2(status.error().contains(expected), qPrintable(status.error()));
    QCOMPARE(fileHash(path), QCryptographicHash::hash(content, QCryptographicHash::Sha256));

    // Another application's SQLite database.
    const QString other = dir.filePath(u"other.sqlite"_s);
    rawExec(other, u"CREATE TABLE items(x)"_s);
    const QByteArray otherBefore = fileHash(other);
    auto otherStatus = library.open(other);
    QVERIFY(!otherStatus.ok());
    QVERIFY2(otherStatus.error().contains(u"other tables"_s), qPrintable(otherStatus.error()));
    QCOMPARE(fileHash(other), otherBefore);
}

void LibraryTest::refusesDirectory()
{
    QTemporaryDir dir;
    Library library;
    auto status = library.open(dir.path());
    QVERIFY(!status.ok());
    QVERIFY2(status.error().contains(u"not a file"_s), qPrintable(status.error()));
}

void LibraryTest::backsUpBeforeMigrating()
{
    QTemporaryDir dir;
    const QString migrations = copyBundledMigration(dir);
    const QString path = dir.filePath(u"lib.sqlite"_s);
    Library::Options options;
    options.migrationsFolder = migrations;
    {
        Library library;
        QVERIFY(library.open(path, options).ok());
        QCOMPARE(library.schemaVersion(), 1);
        addEntry(library, u"Kept across the upgrade"_s);
    }
    writeFile(migrations + u"/0002_add_reviews.sql"_s, "CREATE TABLE review (\n    id INTEGER PRIMARY KEY,\n    entry_id INTEGER REFERENCES entry(id)\n);\n");

    Library library;
    auto status = library.open(path, options);
    QVERIFY2(status.ok(), qPrintable(status.error()));
    QCOMPARE(library.schemaVersion(), 2);
    QCOMPARE(scalar(library, u"PRAGMA user_version"_s).toInt(), 2);
    QCOMPARE(scalar(library, u"SELECT count(*) FROM review"_s).toInt(), 0);
    QCOMPARE(scalar(library, u"SELECT count(*) FROM entry"_s).toInt(), 1);

    const QString backup = library.backupPath();
    QVERIFY(!backup.isEmpty());
    QVERIFY(QFile::exists(backup));
    Library old;
    Library::Options oldOptions = options;
    oldOptions.migrationsFolder = dir.filePath(u"only-first"_s);
    QDir().mkpath(oldOptions.migrationsFolder);
    QFile::copy(migrations + u"/0001_initial.sql"_s, oldOptions.migrationsFolder + u"/0001_initial.sql"_s);
    QVERIFY(old.open(backup, oldOptions).ok());
    QCOMPARE(scalar(old, u"PRAGMA user_version"_s).toInt(), 1);
    QCOMPARE(scalar(old, u"SELECT count(*) FROM entry"_s).toInt(), 1);
    QCOMPARE(scalar(old, u"SELECT count(*) FROM sqlite_master WHERE name = 'review'"_s).toInt(), 0);
}

void LibraryTest::failedMigrationChangesNothing()
{
    QTemporaryDir dir;
    const QString migrations = copyBundledMigration(dir);
    const QString path = dir.filePath(u"lib.sqlite"_s);
    Library::Options options;
    options.migrationsFolder = migrations;
    {
        Library library;
        QVERIFY(library.open(path, options).ok());
    }
    writeFile(migrations + u"/0002_broken.sql"_s, "CREATE TABLE half_done (x);\n\nCREATE TABLE broken (x REFERENCES;\n");
    {
        Library library;
        auto status = library.open(path, options);
        QVERIFY(!status.ok());
        QVERIFY2(status.error().contains(u"0002_broken.sql: line 3"_s), qPrintable(status.error()));
        QVERIFY(!library.isOpen());
    }
    QFile::remove(migrations + u"/0002_broken.sql"_s);
    Library library;
    QVERIFY(library.open(path, options).ok());
    QCOMPARE(scalar(library, u"PRAGMA user_version"_s).toInt(), 1);
    QCOMPARE(scalar(library, u"SELECT count(*) FROM sqlite_master WHERE name = 'half_done'"_s).toInt(), 0);
}

void LibraryTest::rejectsBadMigrationNames()
{
    QTemporaryDir dir;
    const QString folder = copyBundledMigration(dir);
    writeFile(folder + u"/0003_gap.sql"_s, "SELECT 1;\n");
    auto gap = Migrator::migrations(folder);
    QVERIFY(!gap.ok());
    QVERIFY2(gap.error().contains(u"expected migration number 2"_s), qPrintable(gap.error()));
    QFile::remove(folder + u"/0003_gap.sql"_s);
    writeFile(folder + u"/2_short.sql"_s, "SELECT 1;\n");
    QVERIFY(!Migrator::migrations(folder).ok());
}

void LibraryTest::checkFindsBrokenClosure()
{
    QTemporaryDir dir;
    Library library;
    QVERIFY(library.open(dir.filePath(u"lib.sqlite"_s)).ok());
    auto clean = library.check();
    QVERIFY2(clean.ok(), qPrintable(clean.error()));
    QVERIFY2(clean->isEmpty(), qPrintable(clean->join(u'\n')));
    // Remove one parent link behind the triggers' back.
    QSqlQuery link = exec(library, u"SELECT ancestor_id, descendant_id FROM taxonomy_closure WHERE depth = 1 LIMIT 1"_s);
    QVERIFY(link.next());
    exec(library, u"DELETE FROM taxonomy_closure WHERE ancestor_id = ? AND descendant_id = ?"_s, {link.value(0), link.value(1)});
    auto broken = library.check();
    QVERIFY(broken.ok());
    QCOMPARE(broken->size(), 1);
    QVERIFY2(broken->first().contains(u"taxonomy closure"_s), qPrintable(broken->first()));
}

void LibraryTest::checkFindsWrongTreeCounts()
{
    QTemporaryDir dir;
    Library library;
    QVERIFY(library.open(dir.filePath(u"lib.sqlite"_s)).ok());
    const qint64 entry = addEntry(library, u"Counted"_s);
    QSqlQuery node = exec(library, u"SELECT id FROM taxonomy_node WHERE parent_id IS NOT NULL LIMIT 1"_s);
    QVERIFY(node.next());
    const qint64 nodeId = node.value(0).toLongLong();
    exec(library, u"INSERT INTO classification(entry_id, node_id, assigned_by_kind, assigned_by) VALUES (?, ?, 'curator', 'test')"_s, {entry, nodeId});
    auto clean = library.check();
    QVERIFY2(clean.ok() && clean->isEmpty(), qPrintable(clean ? clean->join(u'\n') : clean.error()));
    // A count changed behind the triggers' back is reported with the recount.
    exec(library, u"UPDATE node_entry_count SET entries = entries + 5 WHERE node_id = ?"_s, {nodeId});
    auto broken = library.check();
    QVERIFY(broken.ok());
    QCOMPARE(broken->size(), 1);
    QVERIFY2(broken->first() == u"taxonomy counts: node %1 is shown with 6 entries but has 1"_s.arg(nodeId), qPrintable(broken->first()));
}

void LibraryTest::statsCount()
{
    QTemporaryDir dir;
    Library library;
    QVERIFY(library.open(dir.filePath(u"lib.sqlite"_s)).ok());
    addEntry(library, u"One"_s);
    addEntry(library, u"Two"_s);
    exec(library, u"INSERT INTO tag(name) VALUES ('to-review')"_s);
    auto stats = library.stats();
    QVERIFY(stats.ok());
    QCOMPARE(stats->entries, 2);
    QCOMPARE(stats->tags, 1);
    QCOMPARE(stats->schemes, 8);
    QCOMPARE(stats->documents, 0);
    QCOMPARE(stats->taxonomyNodes, scalar(library, u"SELECT count(*) FROM taxonomy_node"_s).toLongLong());
}

QTEST_GUILESS_MAIN(LibraryTest)
#include "library_test.moc"

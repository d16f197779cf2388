#include "library.h"

#include "bundledtaxonomies.h"
#include "migrator.h"
#include "sql.h"
#include "taxonomystore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>

#include <atomic>

namespace Atlas
{

namespace
{

constexpr qint64 ApplicationId = 1296127052; // 'MAtL', set by the first migration

QString newConnectionName(const char *purpose)
{
    static std::atomic<int> counter {0};
    return QStringLiteral("atlas-%1-%2").arg(QLatin1String(purpose)).arg(++counter);
}

// Facts read from a file without changing it (read-only connection).
struct Probe {
    int userVersion = 0;
    qint64 applicationId = 0;
    qint64 objects = 0;
};

Result<Probe> probe(const QString &path)
{
    const QString name = newConnectionName("probe");
    Result<Probe> result = Error {};
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (!db.open()) {
            result = Error {db.lastError().text()};
        } else {
            Probe p;
            auto version = Sql::scalar(db, QStringLiteral("PRAGMA user_version"));
            auto appId = Sql::scalar(db, QStringLiteral("PRAGMA application_id"));
            auto objects = Sql::scalar(db, QStringLiteral("SELECT count(*) FROM sqlite_master"));
            if (!version)
                result = Error {version.error()};
            else if (!appId)
                result = Error {appId.error()};
            else if (!objects)
                result = Error {objects.error()};
            else {
                p.userVersion = version.value().toInt();
                p.applicationId = appId.value().toLongLong();
                p.objects = objects.value().toLongLong();
                result = p;
            }
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

QString backupPathFor(const QString &path, int version)
{
    QString candidate = QStringLiteral("%1.v%2.backup").arg(path).arg(version);
    if (QFileInfo::exists(candidate))
        candidate = QStringLiteral("%1.v%2.%3.backup").arg(path).arg(version).arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMddThhmmss")));
    return candidate;
}

} // namespace

Library::Library(QObject *parent) : QObject(parent) { }

Library::~Library()
{
    close();
}

int Library::currentSchemaVersion()
{
    auto migrations = Migrator::migrations();
    return migrations ? int(migrations.value().size()) : 0;
}

QString Library::defaultPath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("library.sqlite"));
}

QSqlDatabase Library::database() const
{
    return QSqlDatabase::database(m_connection, false);
}

void Library::close()
{
    if (m_connection.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
    m_connection.clear();
    m_path.clear();
    m_schemaVersion = 0;
}

Status Library::open(const QString &path)
{
    return open(path, Options {});
}

Status Library::open(const QString &path, const Options &options)
{
    close();
    m_created = false;
    m_backupPath.clear();
    auto status = openChecked(path, options);
    if (!status) {
        close();
        return Error {QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), status.error())};
    }
    return {};
}

Status Library::openChecked(const QString &path, const Options &options)
{
    if (path.isEmpty())
        return Error {tr("no library file given")};
    auto migrations = Migrator::migrations(options.migrationsFolder);
    if (!migrations)
        return Error {migrations.error()};
    const int target = int(migrations.value().size());

    const QFileInfo info(path);
    if (info.exists() && !info.isFile())
        return Error {tr("not a file")};

    if (!info.exists()) {
        if (!QDir().mkpath(info.absolutePath()))
            return Error {tr("cannot create the folder %1").arg(info.absolutePath())};
        // Created empty first so it carries owner-only permissions from the start.
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly))
            return Error {tr("cannot create the library: %1").arg(file.errorString())};
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        file.close();
        m_created = true;
    }

    int version = 0;
    if (info.exists() && info.size() > 0) {
        auto facts = probe(path);
        if (!facts)
            return Error {tr("not a Mitigation Atlas library (%1)").arg(facts.error())};
        if (facts->applicationId != 0 && facts->applicationId != ApplicationId)
            return Error {tr("not a Mitigation Atlas library (it belongs to another application)")};
        if (facts->userVersion == 0 && facts->objects > 0)
            return Error {tr("not a Mitigation Atlas library (an SQLite database with other tables)")};
        if (facts->userVersion > target)
            return Error {tr("this library was written by a newer version of Mitigation Atlas (schema %1; this version knows up to %2). "
                             "It was left unchanged; open it with a newer Mitigation Atlas.")
                              .arg(facts->userVersion)
                              .arg(target)};
        version = facts->userVersion;
    }

    m_connection = newConnectionName("library");
    m_path = path;
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(path);
    if (!db.open())
        return Error {db.lastError().text()};
    // Another program writing waits as the process allows (Sql::setBusyWait), then fails clearly.
    if (auto status = Sql::installBusyHandler(db); !status)
        return Error {status.error()};

    auto fts5 = Sql::scalar(db, QStringLiteral("SELECT sqlite_compileoption_used('ENABLE_FTS5')"));
    if (!fts5 || !fts5.value().toBool())
        return Error {tr("the SQLite library in use lacks FTS5 full-text search")};

    // WAL lets readers (views, a second window) work while an import writes.
    // synchronous=NORMAL is durable against application crashes in WAL mode and much faster than FULL.
    // The page cache: SQLite's default (2 MB) is a fraction of a 100k-entry library, so imports and
    // counts re-read the same index pages through the kernel again and again; 64 MB holds the hot
    // indexes of a large library. Memory-mapped reads (up to 256 MB of the file) skip the copy of
    // each page into the cache.
    for (const char *pragma : {"PRAGMA foreign_keys = ON", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA cache_size = -65536",
             "PRAGMA mmap_size = 268435456"}) {
        if (auto status = Sql::exec(db, QLatin1String(pragma)); !status)
            return Error {status.error()};
    }

    if (version < target) {
        if (version > 0) {
            m_backupPath = backupPathFor(path, version);
            // The copy holds everything the library does: created empty and owner-only first, as the
            // library is (VACUUM INTO fills an empty file and keeps its permissions).
            QFile backup(m_backupPath);
            if (!backup.open(QIODevice::WriteOnly | QIODevice::NewOnly))
                return Error {tr("could not back up the library before upgrading it, so it was not upgraded: %1").arg(backup.errorString())};
            backup.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
            backup.close();
            // VACUUM INTO writes a consistent copy even while the WAL holds pages.
            if (auto status = Sql::exec(db, QStringLiteral("VACUUM INTO ?"), {m_backupPath}); !status) {
                QFile::remove(m_backupPath);
                return Error {tr("could not back up the library before upgrading it, so it was not upgraded: %1").arg(status.error())};
            }
        }
        if (auto status = Migrator::apply(db, migrations.value(), version); !status)
            return Error {tr("upgrade failed, the library is as it was: %1").arg(status.error())};
        if (version == 0) {
            const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
            Sql::exec(db, QStringLiteral("INSERT OR IGNORE INTO meta(key, value) VALUES ('created_at', ?), ('created_by', ?)"),
                {now, QStringLiteral("Mitigation Atlas " ATLAS_VERSION)});
        }
    }
    m_schemaVersion = target;

    if (options.installBundledTaxonomies) {
        if (auto status = BundledTaxonomies::install(db); !status)
            return Error {status.error()};
    }
    return {};
}

Result<QStringList> Library::check() const
{
    if (!isOpen())
        return Error {tr("no library is open")};
    const QSqlDatabase db = database();
    QStringList problems;

    auto integrity = Sql::exec(db, QStringLiteral("PRAGMA integrity_check"));
    if (!integrity)
        return Error {integrity.error()};
    while (integrity.value().next()) {
        const QString line = integrity.value().value(0).toString();
        if (line != QLatin1String("ok"))
            problems.append(tr("integrity: %1").arg(line));
    }

    auto foreignKeys = Sql::exec(db, QStringLiteral("PRAGMA foreign_key_check"));
    if (!foreignKeys)
        return Error {foreignKeys.error()};
    while (foreignKeys.value().next()) {
        problems.append(tr("foreign key: row %1 of %2 points to a missing row of %3")
                            .arg(foreignKeys.value().value(1).toString(), foreignKeys.value().value(0).toString(), foreignKeys.value().value(2).toString()));
    }

    for (const char *table : {"entry_fts", "document_fts"}) {
        const QString name = QLatin1String(table);
        if (auto status = Sql::exec(db, QStringLiteral("INSERT INTO %1(%1, rank) VALUES ('integrity-check', 1)").arg(name)); !status)
            problems.append(tr("full-text index %1: %2").arg(name, status.error()));
    }
    // A row here outside an import would keep the FTS triggers from indexing new rows (schema 4).
    if (auto deferred = Sql::scalar(db, QStringLiteral("SELECT count(*) FROM fts_deferral")); deferred && deferred.value().toLongLong() > 0)
        problems.append(tr("full-text indexing: %1 deferral rows left by an import that did not finish").arg(deferred.value().toLongLong()));

    // The closure table must hold exactly the ancestor pairs the parent links imply.
    auto closure = Sql::scalar(db, QStringLiteral(R"(
        WITH RECURSIVE walk(ancestor_id, descendant_id, depth) AS (
            SELECT id, id, 0 FROM taxonomy_node
            UNION ALL
            SELECT n.parent_id, w.descendant_id, w.depth + 1 FROM walk w JOIN taxonomy_node n ON n.id = w.ancestor_id
            WHERE n.parent_id IS NOT NULL)
        SELECT (SELECT count(*) FROM (SELECT * FROM walk EXCEPT SELECT * FROM taxonomy_closure))
             + (SELECT count(*) FROM (SELECT * FROM taxonomy_closure EXCEPT SELECT * FROM walk)))"));
    if (!closure)
        return Error {closure.error()};
    if (closure.value().toLongLong() != 0)
        problems.append(tr("taxonomy closure: %1 rows disagree with the parent links").arg(closure.value().toLongLong()));

    // The entry counts the triggers keep for the taxonomy tree (schema 3), against a recount.
    auto counts = TaxonomyStore(db).checkEntryCounts();
    if (!counts)
        return Error {counts.error()};
    for (const QString &problem : counts.value())
        problems.append(tr("taxonomy counts: %1").arg(problem));

    return problems;
}

Result<LibraryStats> Library::stats() const
{
    if (!isOpen())
        return Error {tr("no library is open")};
    auto query = Sql::exec(database(), QStringLiteral(R"(
        SELECT (SELECT count(*) FROM entry), (SELECT count(*) FROM document), (SELECT count(*) FROM classification),
               (SELECT count(*) FROM tag), (SELECT count(*) FROM scheme), (SELECT count(*) FROM taxonomy_node),
               (SELECT count(*) FROM import_batch), (SELECT count(*) FROM plugin_run), (SELECT count(*) FROM saved_search))"));
    if (!query)
        return Error {query.error()};
    QSqlQuery &q = query.value();
    if (!q.next())
        return Error {tr("no statistics returned")};
    LibraryStats s;
    s.entries = q.value(0).toLongLong();
    s.documents = q.value(1).toLongLong();
    s.classifications = q.value(2).toLongLong();
    s.tags = q.value(3).toLongLong();
    s.schemes = q.value(4).toLongLong();
    s.taxonomyNodes = q.value(5).toLongLong();
    s.importBatches = q.value(6).toLongLong();
    s.pluginRuns = q.value(7).toLongLong();
    s.savedSearches = q.value(8).toLongLong();
    return s;
}

void Library::notifyChanged()
{
    Q_EMIT changed();
}

void Library::notifyWriteFailed(const QString &message)
{
    Q_EMIT writeFailed(message);
}

WorkerConnection::WorkerConnection(const QString &path) : m_name(newConnectionName("worker"))
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
    db.setDatabaseName(path);
    if (!db.open()) {
        m_error = db.lastError().text();
        return;
    }
    if (auto status = Sql::installBusyHandler(db); !status) {
        m_error = status.error();
        return;
    }
    if (auto status = Sql::exec(db, QStringLiteral("PRAGMA foreign_keys = ON")); !status)
        m_error = status.error();
}

WorkerConnection::~WorkerConnection()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_name);
}

QSqlDatabase WorkerConnection::database() const
{
    return QSqlDatabase::database(m_name, false);
}

} // namespace Atlas

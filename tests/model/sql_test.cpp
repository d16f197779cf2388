// Sql::StatementCache: binds and reads values as Sql::exec does, reuses its statements, gives a
// nested run a copy of its own, and reports errors as text.
#include "testlibrary.h"

using namespace Qt::StringLiterals;
using namespace Atlas;
using namespace AtlasTest;

class SqlTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_counter = 0;

    std::unique_ptr<Library> newLibrary()
    {
        auto library = std::make_unique<Library>();
        const Status opened = library->open(m_dir.filePath(u"lib%1.sqlite"_s.arg(++m_counter)));
        if (!opened.ok())
            qWarning("%s", qPrintable(opened.error()));
        return library;
    }

private Q_SLOTS:
    void bindsAndReadsLikeQtSql()
    {
        auto library = newLibrary();
        Sql::StatementCache cache(library->database());
        auto inserted = cache.exec(u"INSERT INTO entry(name, text, reasoning, notes, listing_only) VALUES (?, ?, ?, ?, ?)"_s,
            {u"Größe ✓"_s, Sql::nullIfEmpty(QString()), QVariant(QMetaType::fromType<QString>()), QString(), true});
        QVERIFY2(inserted.ok(), qPrintable(inserted.error()));
        QCOMPARE(inserted.value().numRowsAffected(), 1);
        const qint64 id = inserted.value().lastInsertId().toLongLong();
        QVERIFY(id > 0);

        auto row = cache.exec(u"SELECT name, text, reasoning, notes, listing_only, 2.5, x'00ff' FROM entry WHERE id = ?"_s, {id});
        QVERIFY2(row.ok(), qPrintable(row.error()));
        QVERIFY(row.value().next());
        QCOMPARE(row.value().value(0).toString(), u"Größe ✓"_s);
        QVERIFY(row.value().value(1).isNull()); // a null QString binds NULL, as in Qt SQL
        QVERIFY(row.value().value(2).isNull());
        QVERIFY(row.value().value(3).isNull());
        QCOMPARE(row.value().value(4).toInt(), 1);
        QCOMPARE(row.value().value(5).toDouble(), 2.5);
        QCOMPARE(row.value().value(6).toByteArray(), QByteArray("\x00\xff", 2));
        QVERIFY(!row.value().next());
        QVERIFY(!row.value().next());
        QVERIFY(row.value().value(0).isNull()); // past the last row
    }

    void reusesStatementsAndNestsCopies()
    {
        auto library = newLibrary();
        for (const QString &name : {u"a"_s, u"b"_s, u"c"_s})
            addEntry(*library, name);
        Sql::StatementCache cache(library->database());
        const QString all = u"SELECT name FROM entry WHERE name >= ? ORDER BY name"_s;
        {
            auto outer = cache.exec(all, {u"a"_s});
            QVERIFY(outer.ok());
            QStringList pairs;
            while (outer.value().next()) {
                // The same statement again while the outer one is being read: a copy of its own.
                auto inner = cache.exec(all, {outer.value().value(0)});
                QVERIFY(inner.ok());
                int count = 0;
                while (inner.value().next())
                    ++count;
                pairs.append(outer.value().value(0).toString() + QString::number(count));
            }
            QCOMPARE(pairs, (QStringList{u"a3"_s, u"b2"_s, u"c1"_s}));
        }
        // Run many times: the cached statement is reset each time, its old bindings gone.
        for (int i = 0; i < 100; ++i) {
            auto again = cache.exec(all, {u"b"_s});
            QVERIFY(again.ok());
            QVERIFY(again.value().next());
            QCOMPARE(again.value().value(0).toString(), u"b"_s);
        }
        // A query left before its last row does not keep the statement (or a read) busy.
        {
            auto partial = cache.exec(all, {u"a"_s});
            QVERIFY(partial.ok());
        }
        QVERIFY(Sql::exec(library->database(), u"DELETE FROM entry WHERE name = 'c'"_s).ok());
        auto count = cache.exec(u"SELECT count(*) FROM entry"_s);
        QVERIFY(count.ok() && count.value().next());
        QCOMPARE(count.value().value(0).toInt(), 2);
    }

    void reportsErrors()
    {
        auto library = newLibrary();
        Sql::StatementCache cache(library->database());
        auto bad = cache.exec(u"SELECT nope FROM entry"_s);
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().contains(u"nope"_s), qPrintable(bad.error()));
        // A foreign key violation is an error of the step, and the statement stays usable.
        const QString insert = u"INSERT INTO entry(name, document_id) VALUES (?, ?)"_s;
        auto violated = cache.exec(insert, {u"x"_s, 999999});
        QVERIFY(!violated.ok());
        QVERIFY2(violated.error().contains(u"FOREIGN KEY"_s, Qt::CaseInsensitive), qPrintable(violated.error()));
        auto fine = cache.exec(insert, {u"y"_s, QVariant(QMetaType::fromType<qint64>())});
        QVERIFY2(fine.ok(), qPrintable(fine.error()));
        QCOMPARE(scalar(*library, u"SELECT count(*) FROM entry"_s).toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(SqlTest)
#include "sql_test.moc"

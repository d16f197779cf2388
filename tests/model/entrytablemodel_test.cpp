// EntryTableModel: paging, filters (full text, taxonomy nodes with their descendants, tags),
// sorting, under QAbstractItemModelTester.
#include "entrytablemodel.h"
#include "importwriter.h"
#include "libraryreader.h"
#include "testlibrary.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QMimeData>

using namespace Qt::StringLiterals;
using namespace Atlas;
using namespace AtlasTest;

class EntryTableModelTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    Library m_library;

    qint64 nodeId(const QString &scheme, const QString &code)
    {
        return scalar(m_library, u"SELECT n.id FROM taxonomy_node n JOIN scheme s ON s.id = n.scheme_id WHERE s.key = ? AND n.code = ?"_s, {scheme, code})
            .toLongLong();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_library.open(m_dir.filePath(u"entries.sqlite"_s)).ok());
        // 600 entries: every third about toxicity, codes cycling through 1.1.1, 1.1.2, 2.2.2.
        ParseResult parsed;
        const QStringList codes{u"1.1.1"_s, u"1.1.2"_s, u"2.2.2"_s};
        for (int i = 0; i < 600; ++i) {
            EntryRecord e;
            e.name = u"Entry %1"_s.arg(i, 3, 10, QLatin1Char('0'));
            e.text = i % 3 == 0 ? u"Filtering toxic content from data."_s : u"Something else entirely."_s;
            ClassificationRecord c;
            c.schemeKey = u"mit-mitigation-v2"_s;
            c.code = codes.at(i % 3);
            e.classifications = {c};
            if (i % 100 == 0)
                e.tags = {{u"reviewed"_s}};
            parsed.records.entries.append(e);
        }
        ImportOptions options;
        options.file = u"made"_s;
        options.format = u"test"_s;
        auto summary = ImportWriter(m_library).apply(parsed, options);
        QVERIFY(summary.ok() && summary->entries.added == 600);
    }

    void pagesAsTheViewScrolls()
    {
        EntryTableModel model(&m_library); // no tester here: it fetches everything itself
        QVERIFY2(model.errorString().isEmpty(), qPrintable(model.errorString()));
        QCOMPARE(model.totalCount(), 600);
        QCOMPARE(model.rowCount(), EntryTableModel::pageSize);
        QVERIFY(model.canFetchMore({}));
        model.fetchMore({});
        QCOMPARE(model.rowCount(), 2 * EntryTableModel::pageSize);
        model.fetchMore({});
        QCOMPARE(model.rowCount(), 600);
        QVERIFY(!model.canFetchMore({}));
        QCOMPARE(model.data(model.index(0, EntryTableModel::NameColumn)).toString(), u"Entry 000"_s);
        QCOMPARE(model.data(model.index(1, EntryTableModel::MitigationTypeColumn)).toString(), u"1.1.2"_s);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    }

    void filtersCombine()
    {
        EntryTableModel model(&m_library);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        EntryFilter filter;
        filter.text = u"toxic"_s; // a prefix of "toxic"
        model.setFilter(filter);
        QCOMPARE(model.totalCount(), 200);
        // Code 1 covers 1.1.1 and 1.1.2 below it; with the text, the toxic ones are all 1.1.1.
        filter.nodeIds = {nodeId(u"mit-mitigation-v2"_s, u"1"_s)};
        model.setFilter(filter);
        QCOMPARE(model.totalCount(), 200);
        filter.nodeIds = {nodeId(u"mit-mitigation-v2"_s, u"2.2.2"_s)};
        model.setFilter(filter);
        QCOMPARE(model.totalCount(), 0);
        filter.text.clear();
        model.setFilter(filter);
        QCOMPARE(model.totalCount(), 200);
        filter.tagIds = {scalar(m_library, u"SELECT id FROM tag WHERE name = 'reviewed'"_s).toLongLong()};
        filter.nodeIds.clear();
        model.setFilter(filter);
        QCOMPARE(model.totalCount(), 6);
        // Query syntax is only ever text.
        filter = {};
        filter.text = u"NEAR( \"unbalanced * -x"_s;
        model.setFilter(filter);
        QVERIFY2(model.errorString().isEmpty(), qPrintable(model.errorString()));
    }

    void sortsInSql()
    {
        EntryTableModel model(&m_library);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.sort(EntryTableModel::NameColumn, Qt::DescendingOrder);
        QCOMPARE(model.data(model.index(0, 0)).toString(), u"Entry 599"_s);
        model.sort(EntryTableModel::MitigationTypeColumn, Qt::DescendingOrder);
        QCOMPARE(model.data(model.index(0, EntryTableModel::MitigationTypeColumn)).toString(), u"2.2.2"_s);
    }

    // The window's mode: every read runs on a worker; the rows change when the answer arrives,
    // and an answer to a filter that was replaced meanwhile is dropped.
    void asynchronousReads()
    {
        EntryTableModel model(&m_library);
        model.setAsynchronous(true);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        EntryFilter filter;
        filter.text = u"toxic"_s;
        model.setFilter(filter);
        QVERIFY(model.isLoading());
        QCOMPARE(model.totalCount(), 600); // still the rows of before
        filter.nodeIds = {nodeId(u"mit-mitigation-v2"_s, u"2.2.2"_s)};
        model.setFilter(filter); // replaces the first read before it arrived
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QTRY_VERIFY(!model.isLoading());
        QCOMPARE(resets.size(), 1);
        QCOMPARE(model.totalCount(), 0);

        model.setFilter({});
        QTRY_VERIFY(!model.isLoading());
        QCOMPARE(model.totalCount(), 600);
        // Pages arrive one at a time (the model tester may have asked for some already).
        while (model.rowCount() < 600) {
            const int before = model.rowCount();
            model.fetchMore({});
            QVERIFY(!model.canFetchMore({}));
            QTRY_VERIFY(model.rowCount() > before);
        }

        // Sorting keeps a persistent index on its entry.
        const QPersistentModelIndex first(model.index(0, 0));
        QCOMPARE(first.data().toString(), u"Entry 000"_s);
        model.sort(EntryTableModel::NameColumn, Qt::DescendingOrder);
        QTRY_COMPARE(model.data(model.index(0, 0)).toString(), u"Entry 599"_s);
        QCOMPARE(first.data().toString(), u"Entry 000"_s);
        QCOMPARE(first.row(), 599);
    }

    void dragsCarryEntryIds()
    {
        EntryTableModel model(&m_library);
        std::unique_ptr<QMimeData> mime(model.mimeData({model.index(0, 0), model.index(0, 1), model.index(2, 0)}));
        const QList<QByteArray> ids = mime->data(EntryTableModel::entryIdsMimeType()).split('\n');
        QCOMPARE(ids.size(), 2);
        QCOMPARE(ids.first().toLongLong(), model.entryId(0));
    }

    // The first page and the count of a filter sorted by name, whichever plan reads them (the walk
    // of the name index for a common word, the sort of the matches for a rare one), are what SQL
    // gives for the plain "id IN (...) ORDER BY name" query, in both directions and further pages.
    void filteredPagesMatchPlainSql_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("node"); // a mit-mitigation-v2 code, or empty
        QTest::addColumn<bool>("tagged");
        QTest::newRow("every entry") << u"entry"_s << QString() << false;
        QTest::newRow("a third") << u"toxic"_s << QString() << false;
        QTest::newRow("a third, under a node") << u"filtering"_s << u"1"_s << false;
        QTest::newRow("a node") << QString() << u"1.1.2"_s << false;
        QTest::newRow("rare: a tag") << QString() << QString() << true;
        QTest::newRow("rare: one name") << u"\"entry 123\""_s << QString() << false;
        QTest::newRow("nothing") << u"toxic"_s << u"2.2.2"_s << false;
        QTest::newRow("quotes only: no condition") << u"\""_s << QString() << false;
    }
    void filteredPagesMatchPlainSql()
    {
        QFETCH(QString, text);
        QFETCH(QString, node);
        QFETCH(bool, tagged);
        EntryFilter filter;
        filter.text = text;
        QStringList conditions;
        QVariantList values;
        if (const QString expression = LibraryReader::ftsExpression(text); !expression.isEmpty()) {
            conditions.append(u"id IN (SELECT rowid FROM entry_fts WHERE entry_fts MATCH ?)"_s);
            values.append(expression);
        }
        if (!node.isEmpty()) {
            filter.nodeIds = {nodeId(u"mit-mitigation-v2"_s, node)};
            conditions.append(u"id IN (SELECT c.entry_id FROM taxonomy_closure t JOIN classification c ON c.node_id = t.descendant_id WHERE t.ancestor_id = ?)"_s);
            values.append(filter.nodeIds.first());
        }
        if (tagged) {
            filter.tagIds = {scalar(m_library, u"SELECT id FROM tag WHERE name = 'reviewed'"_s).toLongLong()};
            conditions.append(u"id IN (SELECT entry_id FROM entry_tag WHERE tag_id = ?)"_s);
            values.append(filter.tagIds.first());
        }
        const QString where = conditions.isEmpty() ? QString() : u" WHERE "_s + conditions.join(u" AND "_s);
        for (const Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
            EntryTableModel model(&m_library); // no tester: it would fetch more itself while rows are inserted
            model.sort(EntryTableModel::NameColumn, order);
            model.setFilter(filter);
            QVERIFY2(model.errorString().isEmpty(), qPrintable(model.errorString()));
            while (model.canFetchMore({}))
                model.fetchMore({});
            const QString direction = order == Qt::AscendingOrder ? u"ASC"_s : u"DESC"_s;
            QSqlQuery q = exec(m_library, u"SELECT id, name FROM entry%1 ORDER BY name COLLATE NOCASE %2, id %2"_s.arg(where, direction), values);
            QList<qint64> expected;
            while (q.next())
                expected.append(q.value(0).toLongLong());
            QCOMPARE(model.totalCount(), expected.size());
            QList<qint64> listed;
            for (int row = 0; row < model.rowCount(); ++row)
                listed.append(model.entryId(row));
            QCOMPARE(listed, expected);
            if (!listed.isEmpty()) {
                const qint64 first = listed.first();
                QCOMPARE(model.data(model.index(0, EntryTableModel::NameColumn)).toString(),
                    scalar(m_library, u"SELECT name FROM entry WHERE id = ?"_s, {first}).toString());
            }
        }
    }

    // Ranked search: a name match above text matches, the order of FTS5's bm25 with the same
    // weights, and a query with more matches than the candidates ranked among its newest ones.
    void searchRanksLikeBm25()
    {
        const qint64 named = addEntry(m_library, u"Grokking monitor"_s, u"Watches training."_s);
        const qint64 texts = addEntry(m_library, u"Training watch"_s, u"Grokking, grokking and more grokking of the grokking kind."_s);
        const qint64 once = addEntry(m_library, u"Another watch"_s, u"Mentions grokking once."_s);
        LibraryReader reader(m_library.database());
        auto hits = reader.search(u"grokking"_s, 10);
        QVERIFY2(hits.ok(), qPrintable(hits.error()));
        QCOMPARE(hits->entries, (QList<qint64>{named, texts, once}));

        for (const QString &query : {u"grokking"_s, u"toxic"_s, u"filtering toxic"_s, u"\"toxic content\" entry"_s, u"watch training"_s, u"ent"_s}) {
            auto found = reader.search(query, 1000);
            QVERIFY2(found.ok(), qPrintable(found.error()));
            QSqlQuery q = exec(m_library, u"SELECT rowid, bm25(entry_fts, 10.0, 1.0, 1.0, 1.0) FROM entry_fts WHERE entry_fts MATCH ?"_s,
                {LibraryReader::ftsExpression(query)});
            QHash<qint64, double> bm25;
            while (q.next())
                bm25.insert(q.value(0).toLongLong(), q.value(1).toDouble());
            QCOMPARE(found->entries.size(), bm25.size());
            for (qsizetype i = 1; i < found->entries.size(); ++i) {
                const double before = bm25.value(found->entries.at(i - 1));
                const double after = bm25.value(found->entries.at(i));
                QVERIFY2(before <= after + 1e-9 * std::abs(after), qPrintable(u"%1: %2 before %3"_s.arg(query).arg(before).arg(after)));
            }
        }

        // Words spelt out from the index match the same rows as the prefix terms they replace.
        addEntry(m_library, u"Naïve grokked"_s, u"Groks, grokkers."_s);
        for (const QString &query : {u"grok"_s, u"grokking"_s, u"watc watch"_s, u"toxic data"_s, u"\"toxic content\" filt"_s, u"Entr"_s, u"naïve"_s,
                 u"zzzz"_s, u"grok \"more grokking\""_s}) {
            const auto rows = [this](const QString &expression) {
                QList<qint64> ids;
                QSqlQuery q = exec(m_library, u"SELECT rowid FROM entry_fts WHERE entry_fts MATCH ? ORDER BY rowid"_s, {expression});
                while (q.next())
                    ids.append(q.value(0).toLongLong());
                return ids;
            };
            const LibraryReader::Expansion expansion = LibraryReader::expandedExpression(m_library.database(), u"entry_fts"_s, query);
            QCOMPARE(rows(expansion.expression), rows(LibraryReader::ftsExpression(query)));
            QCOMPARE(expansion.groups.split(u',').size(), expansion.expression.count(u'"') / 2); // a group for each phrase
        }
        QCOMPARE(LibraryReader::expandedExpression(m_library.database(), u"entry_fts"_s, u"grok watch"_s).expression,
            u"(\"grokked\" OR \"grokkers\" OR \"grokking\" OR \"groks\") AND (\"watch\" OR \"watches\")"_s);
        QCOMPARE(LibraryReader::expandedExpression(m_library.database(), u"entry_fts"_s, u"grok watch"_s).groups, u"0,0,0,0,1,1"_s);

        // Two candidates of three matches: the two newest, the name match not among them.
        auto bounded = reader.search(u"grokking"_s, 10, 2);
        QVERIFY2(bounded.ok(), qPrintable(bounded.error()));
        QCOMPARE(bounded->entries, (QList<qint64>{texts, once}));
        QVERIFY(bounded->entriesBounded); // said, so the user knows more match
        QVERIFY(!reader.search(u"grokking"_s, 10, 3)->entriesBounded);
        QVERIFY(!hits->entriesBounded);
    }
};

QTEST_GUILESS_MAIN(EntryTableModelTest)
#include "entrytablemodel_test.moc"

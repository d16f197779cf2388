// EntryTableModel: paging, filters (full text, taxonomy nodes with their descendants, tags),
// sorting, under QAbstractItemModelTester.
#include "entrytablemodel.h"
#include "importwriter.h"
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
};

QTEST_GUILESS_MAIN(EntryTableModelTest)
#include "entrytablemodel_test.moc"

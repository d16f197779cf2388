// DocumentTableModel: paging over 5,000 documents, full-text and tag filters, sorting as a
// layout change, the entry count of each document and its linked entries, following a merge and its
// undo, under QAbstractItemModelTester.
#include "documenttablemodel.h"
#include "entryeditor.h"
#include "testlibrary.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QSignalSpy>

using namespace Qt::StringLiterals;
using namespace Atlas;
using namespace AtlasTest;

namespace
{

// QAbstractItemModelTester (Qt 6.8) fetches more from its own modelReset and layoutChanged slots,
// before it marks that change as finished, and then reports the page it read as rows inserted
// inside the reset. Where a test resets or sorts with rows left to fetch, the tester still checks
// every signal and index but leaves fetching to the test; fetchesLazilyInPages() lets it fetch.
std::unique_ptr<QAbstractItemModelTester> testerLeavingFetchToTheTest(QAbstractItemModel *model)
{
    auto tester = std::make_unique<QAbstractItemModelTester>(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    tester->setUseFetchMore(false);
    return tester;
}

} // namespace

class DocumentTableModelTest : public QObject
{
    Q_OBJECT

    static constexpr int documentCount = 5000;

    QTemporaryDir m_dir;
    Library m_library;
    qint64 m_linked = 0; // a document with three entries linked to it
    qint64 m_untitled = 0; // a bare abstract
    qint64 m_tag = 0;

    QModelIndex find(const DocumentTableModel &model, qint64 documentId, int column = DocumentTableModel::TitleColumn)
    {
        const int row = model.rowOf(documentId);
        return row < 0 ? QModelIndex() : model.index(row, column);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_dir.isValid(), qPrintable(m_dir.errorString()));
        auto opened = m_library.open(m_dir.filePath(u"documents.sqlite"_s));
        QVERIFY2(opened.ok(), qPrintable(opened.error()));
        Sql::Transaction transaction(m_library.database());
        QVERIFY(transaction.isActive());
        // Every tenth document is about toxicity; years cycle 2000..2024, every 97th has none;
        // odd documents have two authors; a DOI on even ones, an arXiv id on the rest.
        for (int i = 0; i < documentCount; ++i) {
            const QString topic = i % 10 == 0 ? u"toxicity filtering"_s : u"robustness to attack"_s;
            const QString authors = i % 2 ? u"[\"Doe, Jane\", \"Roe, Rick\"]"_s : u"[\"Partnership on AI\"]"_s;
            const QVariant year = i % 97 == 0 ? QVariant() : QVariant(2000 + i % 25);
            const QVariant doi = i % 2 ? QVariant() : QVariant(u"10.1000/%1"_s.arg(i));
            const QVariant arxiv = i % 2 ? QVariant(u"2101.%1"_s.arg(i, 5, 10, QLatin1Char('0'))) : QVariant();
            exec(m_library, u"INSERT INTO document(title, authors, year, venue, doi, arxiv_id) VALUES (?, ?, ?, 'Venue', ?, ?)"_s,
                {u"Paper %1 on %2"_s.arg(i, 4, 10, QLatin1Char('0')).arg(topic), authors, year, doi, arxiv});
        }
        m_untitled = exec(m_library, u"INSERT INTO document(abstract) VALUES ('We study <b>x</b> and much else besides.')"_s).lastInsertId().toLongLong();
        m_linked = scalar(m_library, u"SELECT id FROM document WHERE title LIKE 'Paper 0001 %'"_s).toLongLong();
        QVERIFY(m_linked > 0);
        // Two entries name it as their source, a third cites it, and the first also cites it
        // (still one entry); another document's entry is not counted.
        const qint64 a = addEntry(m_library, u"Alpha"_s);
        const qint64 b = addEntry(m_library, u"beta"_s);
        const qint64 c = addEntry(m_library, u"Gamma"_s);
        const qint64 other = addEntry(m_library, u"Other"_s);
        exec(m_library, u"UPDATE entry SET document_id = ? WHERE id IN (?, ?)"_s, {m_linked, a, b});
        exec(m_library, u"UPDATE entry SET document_id = ? WHERE id = ?"_s, {m_linked + 1, other});
        exec(m_library, u"INSERT INTO entry_document(entry_id, document_id, relation) VALUES (?, ?, 'cites'), (?, ?, 'cites')"_s, {c, m_linked, a, m_linked});
        exec(m_library, u"INSERT INTO tag(name) VALUES ('reviewed')"_s);
        m_tag = scalar(m_library, u"SELECT id FROM tag WHERE name = 'reviewed'"_s).toLongLong();
        exec(m_library, u"INSERT INTO document_tag(document_id, tag_id) SELECT id, ? FROM document WHERE id % 1000 = 0"_s, {m_tag});
        QVERIFY(transaction.commit().ok());
    }

    void fetchesLazilyInPages()
    {
        DocumentTableModel model(&m_library);
        QVERIFY2(model.errorString().isEmpty(), qPrintable(model.errorString()));
        QCOMPARE(model.totalCount(), documentCount + 1);
        QCOMPARE(model.rowCount(), DocumentTableModel::pageSize);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        // The tester checks every insertion and asks for more itself, as a view does.
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.rowCount() > DocumentTableModel::pageSize);
        QVERIFY(model.rowCount() < documentCount);
        while (model.canFetchMore({}))
            model.fetchMore({});
        QCOMPARE(model.rowCount(), documentCount + 1);
        const int pages = (documentCount + 1 + DocumentTableModel::pageSize - 1) / DocumentTableModel::pageSize;
        QCOMPARE(inserted.count(), pages - 1);
        for (int i = 0; i < inserted.count(); ++i) {
            const int first = inserted.at(i).at(1).toInt();
            const int last = inserted.at(i).at(2).toInt();
            QCOMPARE(first, (i + 1) * DocumentTableModel::pageSize);
            QCOMPARE(last - first + 1, i + 2 < pages ? DocumentTableModel::pageSize : (documentCount + 1) % DocumentTableModel::pageSize);
        }
        model.fetchMore({}); // nothing left: no change
        QCOMPARE(inserted.count(), pages - 1);
        // Sorted by title; the untitled document sorts by its abstract ("We study…") and comes last.
        QCOMPARE(model.data(model.index(0, DocumentTableModel::TitleColumn)).toString(), u"Paper 0000 on toxicity filtering"_s);
        QCOMPARE(model.documentId(documentCount), m_untitled);
    }

    void columnsShowTheDocument()
    {
        DocumentTableModel model(&m_library);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QModelIndex one = find(model, m_linked + 1); // "Paper 0002", even: one corporate author, a DOI
        QVERIFY(one.isValid());
        QCOMPARE(one.siblingAtColumn(DocumentTableModel::AuthorsColumn).data().toString(), u"Partnership on AI"_s);
        QCOMPARE(one.siblingAtColumn(DocumentTableModel::YearColumn).data().toInt(), 2002);
        QCOMPARE(one.siblingAtColumn(DocumentTableModel::VenueColumn).data().toString(), u"Venue"_s);
        QCOMPARE(one.siblingAtColumn(DocumentTableModel::IdentifierColumn).data().toString(), u"10.1000/2"_s);
        QCOMPARE(one.data(DocumentTableModel::DocumentIdRole).toLongLong(), m_linked + 1);
        const QModelIndex two = find(model, m_linked); // "Paper 0001", odd: two authors, an arXiv id
        QCOMPARE(two.siblingAtColumn(DocumentTableModel::AuthorsColumn).data().toString(), u"Doe et al."_s);
        QCOMPARE(two.siblingAtColumn(DocumentTableModel::AuthorsColumn).data(Qt::ToolTipRole).toString(), u"Doe, Jane; Roe, Rick"_s);
        QCOMPARE(two.siblingAtColumn(DocumentTableModel::IdentifierColumn).data().toString(), u"arXiv:2101.00001"_s);
        QCOMPARE(model.headerData(DocumentTableModel::EntriesColumn, Qt::Horizontal).toString(), u"Entries"_s);
    }

    void countsLinkedEntries()
    {
        DocumentTableModel model(&m_library);
        auto tester = testerLeavingFetchToTheTest(&model);
        QCOMPARE(find(model, m_linked, DocumentTableModel::EntriesColumn).data().toInt(), 3);
        QCOMPARE(find(model, m_linked + 1, DocumentTableModel::EntriesColumn).data().toInt(), 1);
        QCOMPARE(find(model, m_linked + 2, DocumentTableModel::EntriesColumn).data().toInt(), 0);
        model.sort(DocumentTableModel::EntriesColumn, Qt::DescendingOrder);
        QCOMPARE(model.documentId(0), m_linked);
        QCOMPARE(model.data(model.index(0, DocumentTableModel::EntriesColumn), DocumentTableModel::EntryCountRole).toInt(), 3);
        QCOMPARE(model.documentId(1), m_linked + 1);

        auto links = model.linkedEntries(m_linked);
        QVERIFY2(links.ok(), qPrintable(links.error()));
        QCOMPARE(links->size(), 3);
        QCOMPARE(links->at(0).name, u"Alpha"_s); // by name, case-insensitively
        QCOMPARE(links->at(0).relations, (QStringList {u"source"_s, u"cites"_s}));
        QCOMPARE(links->at(1).name, u"beta"_s);
        QCOMPARE(links->at(1).relations, QStringList {u"source"_s});
        QCOMPARE(links->at(2).relations, QStringList {u"cites"_s});
        QVERIFY(model.linkedEntries(m_linked + 2)->isEmpty());
    }

    void searchNarrows()
    {
        DocumentTableModel model(&m_library);
        auto tester = testerLeavingFetchToTheTest(&model);
        DocumentFilter filter;
        filter.text = u"toxic"_s; // a prefix
        model.setFilter(filter);
        QVERIFY2(model.errorString().isEmpty(), qPrintable(model.errorString()));
        QCOMPARE(model.totalCount(), documentCount / 10);
        for (int row = 0; row < model.rowCount(); ++row)
            QVERIFY(model.data(model.index(row, 0)).toString().contains(u"toxicity"_s));
        filter.text = u"\"toxicity filtering\" paper"_s; // a phrase and a word
        model.setFilter(filter);
        QCOMPARE(model.totalCount(), documentCount / 10);
        filter.text = u"<b>x</b>"_s; // the abstract is indexed; markup is only text
        model.setFilter(filter);
        QCOMPARE(model.totalCount(), 1);
        QCOMPARE(model.documentId(0), m_untitled);
        QVERIFY(model.data(model.index(0, 0), Qt::FontRole).value<QFont>().italic());
        QVERIFY(model.data(model.index(0, 0)).toString().startsWith(u"We study <b>x</b>"_s));
        // Tags narrow, alone and with the text: ids 1000..5000 step 1000 are tagged.
        filter.text.clear();
        filter.tagIds = {m_tag};
        model.setFilter(filter);
        QCOMPARE(model.totalCount(), 5);
        filter.text = u"toxicity"_s;
        model.setFilter(filter);
        QCOMPARE(model.totalCount(), 0); // ids 1000, 2000… are titles 0999, 1999…: not toxicity
        filter.text = u"robustness"_s;
        model.setFilter(filter);
        QCOMPARE(model.totalCount(), 5);
        // Query syntax is only ever text.
        filter = {};
        filter.text = u"NEAR( \"unbalanced * -x AND"_s;
        model.setFilter(filter);
        QVERIFY2(model.errorString().isEmpty(), qPrintable(model.errorString()));
        model.setFilter({});
        QCOMPARE(model.totalCount(), documentCount + 1);
    }

    void sortsByYearAsALayoutChange()
    {
        DocumentTableModel model(&m_library);
        auto tester = testerLeavingFetchToTheTest(&model);
        const int fetched = model.rowCount(); // the tester read a page or two on its first pass
        const QPersistentModelIndex kept(model.index(5, DocumentTableModel::TitleColumn));
        const qint64 keptId = model.documentId(5);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy layout(&model, &QAbstractItemModel::layoutChanged);
        model.sort(DocumentTableModel::YearColumn, Qt::AscendingOrder);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(layout.count(), 1);
        QCOMPARE(model.data(model.index(0, DocumentTableModel::YearColumn)).toInt(), 2000);
        QCOMPARE(model.rowCount(), fetched); // the same number of rows, read again in the new order
        if (kept.isValid()) // it may have left the rows fetched
            QCOMPARE(model.documentId(kept.row()), keptId);
        model.sort(DocumentTableModel::YearColumn, Qt::DescendingOrder);
        QCOMPARE(model.data(model.index(0, DocumentTableModel::YearColumn)).toInt(), 2024);
        // Documents without a year come last in both directions.
        while (model.canFetchMore({}))
            model.fetchMore({});
        QVERIFY(model.data(model.index(model.rowCount() - 1, DocumentTableModel::YearColumn)).isNull());
        int previous = 9999;
        bool sawNull = false;
        for (int row = 0; row < model.rowCount(); ++row) {
            const QVariant year = model.data(model.index(row, DocumentTableModel::YearColumn));
            if (year.isNull()) {
                sawNull = true;
                continue;
            }
            QVERIFY2(!sawNull, "a year after the documents without one");
            QVERIFY(year.toInt() <= previous);
            previous = year.toInt();
        }
        model.sort(DocumentTableModel::TitleColumn, Qt::DescendingOrder);
        QCOMPARE(model.documentId(0), m_untitled);
        QCOMPARE(model.rowCount(), documentCount + 1); // what was fetched stays fetched
    }

    void keptSelectionFollowsSort()
    {
        DocumentTableModel model(&m_library);
        const QPersistentModelIndex kept(find(model, m_linked));
        QVERIFY(kept.isValid());
        model.sort(DocumentTableModel::EntriesColumn, Qt::DescendingOrder);
        QCOMPARE(kept.row(), 0);
        QCOMPARE(model.documentId(kept.row()), m_linked);
    }

    void reloadsWhenTheLibraryChanges()
    {
        DocumentTableModel model(&m_library);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        DocumentFilter filter;
        filter.text = u"freshly"_s;
        model.setFilter(filter);
        QCOMPARE(model.totalCount(), 0);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        const qint64 id = exec(m_library, u"INSERT INTO document(title) VALUES ('Freshly added')"_s).lastInsertId().toLongLong();
        m_library.notifyChanged();
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.totalCount(), 1);
        QCOMPARE(model.documentId(0), id);
        exec(m_library, u"DELETE FROM document WHERE id = ?"_s, {id});
        m_library.notifyChanged();
        QCOMPARE(model.totalCount(), 0);
    }

    void followsAMergeAndItsUndo()
    {
        DocumentTableModel model(&m_library);
        auto tester = testerLeavingFetchToTheTest(&model);
        const qint64 merged = m_linked + 1; // "Paper 0002": the source of "Other", and a DOI
        QCOMPARE(find(model, m_linked, DocumentTableModel::IdentifierColumn).data().toString(), u"arXiv:2101.00001"_s);
        EntryEditor editor(m_library);
        auto merge = editor.mergeDocuments(m_linked, merged);
        QVERIFY2(merge, qPrintable(merge.error()));
        QCOMPARE(model.totalCount(), documentCount);
        QVERIFY(!find(model, merged).isValid());
        QCOMPARE(find(model, m_linked, DocumentTableModel::EntriesColumn).data().toInt(), 4);
        QCOMPARE(find(model, m_linked, DocumentTableModel::IdentifierColumn).data().toString(), u"10.1000/2"_s); // the DOI it lacked
        auto links = model.linkedEntries(m_linked);
        QVERIFY2(links, qPrintable(links.error()));
        QCOMPARE(links->size(), 4);
        QCOMPARE(links->at(3).name, u"Other"_s); // by name, after Gamma
        QCOMPARE(links->at(3).relations, QStringList {u"source"_s});
        DocumentFilter filter;
        filter.text = u"\"Paper 0002\""_s; // the index forgot the merged title
        model.setFilter(filter);
        QCOMPARE(model.totalCount(), 0);

        QVERIFY(editor.revert(merge.value()));
        QCOMPARE(model.totalCount(), 1);
        QCOMPARE(model.documentId(0), merged);
        model.setFilter({});
        QCOMPARE(model.totalCount(), documentCount + 1);
        QCOMPARE(find(model, m_linked, DocumentTableModel::EntriesColumn).data().toInt(), 3);
        QCOMPARE(find(model, merged, DocumentTableModel::EntriesColumn).data().toInt(), 1);
        QCOMPARE(find(model, m_linked, DocumentTableModel::IdentifierColumn).data().toString(), u"arXiv:2101.00001"_s);
    }
};

QTEST_GUILESS_MAIN(DocumentTableModelTest)
#include "documenttablemodel_test.moc"

// The window on the seed pages, the way a reviewer uses it: find the red-teaming entry by
// typing, see its code and source; click a coverage cell to list its entries and remove that
// filter chip again; group entries with a pivot; jump from a document to a citing entry.
#include "coveragemodel.h"
#include "coverageview.h"
#include "documentsview.h"
#include "documenttablemodel.h"
#include "entrydetailpane.h"
#include "entrytablemodel.h"
#include "fileimport.h"
#include "library.h"
#include "mainwindow.h"
#include "pluginregistry.h"
#include "pivotmodel.h"
#include "samplelibrary.h"
#include "sql.h"
#include "taxonomytreemodel.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeView>
#include <QUndoStack>

using namespace Qt::StringLiterals;
using namespace Atlas;

namespace
{

int rowWithLabel(const QAbstractItemModel &model, Qt::Orientation orientation, const QString &label)
{
    const int n = orientation == Qt::Vertical ? model.rowCount() : model.columnCount();
    for (int i = 0; i < n; ++i) {
        if (model.headerData(i, orientation).toString() == label)
            return i;
    }
    return -1;
}

} // namespace

class WindowTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    Library m_library;
    RegistryImportBackend m_backend;
    std::unique_ptr<MainWindow> m_window;

    void waitForEntries()
    {
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->entryModel()->isLoading(), 10000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QDir seeds(QStringLiteral(ATLAS_SHARED_DIR "/seeds"));
        if (!seeds.exists(u"000_c9b4ed642a83cae2.txt"_s))
            QSKIP("../shared is not beside the checkout");
        QVERIFY(m_library.open(m_dir.filePath(u"window.sqlite"_s)).ok());
        ImporterRegistry registry;
        for (const char *page : {"000_c9b4ed642a83cae2.txt", "001_941bdcbe8d94e6ef.txt", "002_a0a8653dee302dd3.txt"}) {
            auto imported = importFile(m_library, registry, seeds.filePath(QLatin1String(page)), {}, {});
            QVERIFY(imported.ok() && imported->summary.written);
        }
        m_window = std::make_unique<MainWindow>(&m_library, &m_backend);
        m_window->resize(1200, 760);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void findRedTeamingByTyping()
    {
        m_window->showView(MainWindow::View::Entries);
        QTest::keyClicks(m_window->searchField(), u"red team"_s);
        QTRY_COMPARE(m_window->entryModel()->filter().text, u"red team"_s);
        waitForEntries();
        EntryTableModel *entries = m_window->entryModel();
        int row = -1;
        for (int r = 0; r < entries->rowCount(); ++r) {
            if (entries->index(r, EntryTableModel::NameColumn).data().toString() == u"Red teaming"_s)
                row = r;
        }
        QVERIFY(row >= 0);
        QCOMPARE(entries->index(row, EntryTableModel::MitigationTypeColumn).data().toString(), u"2.2.2"_s);
        m_window->entryView()->setCurrentIndex(entries->index(row, 0));
        QTRY_VERIFY(m_window->detailPane()->plainText().contains(u"2.2.2"_s));
        QVERIFY(m_window->detailPane()->plainText().contains(u"Large Language Model Safety: A Holistic Survey"_s));
        QCOMPARE(m_window->filterChips(), QStringList{u"“red team”"_s});

        // Tag it, then undo the tag from the window's stack (Edit › Undo).
        const qint64 id = m_window->detailPane()->entryId();
        const auto tagged = [&] {
            return Sql::scalar(m_library.database(), u"SELECT count(*) FROM entry_tag x JOIN tag t ON t.id = x.tag_id WHERE x.entry_id = ? AND t.name = 'Reviewed'"_s,
                {id})
                .value()
                .toInt();
        };
        QLineEdit *tagField = m_window->detailPane()->tagField();
        QTest::keyClicks(tagField, u"Reviewed"_s);
        QTest::keyClick(tagField, Qt::Key_Return);
        QTRY_COMPARE(tagged(), 1);
        QCOMPARE(m_window->undoStack()->count(), 1);
        QVERIFY(m_window->undoStack()->undoText().contains(u"Reviewed"_s));
        QAction *undo = nullptr;
        for (QAction *action : m_window->findChildren<QAction *>()) {
            if (action->shortcut() == QKeySequence(QKeySequence::Undo))
                undo = action;
        }
        QVERIFY(undo && undo->isEnabled());
        undo->trigger();
        QCOMPARE(tagged(), 0);
        m_window->undoStack()->redo();
        QCOMPARE(tagged(), 1);
        m_window->undoStack()->undo();
        m_window->searchField()->clear();
        QTRY_VERIFY(m_window->filterChips().isEmpty());
    }

    void coverageCellFiltersTheEntries()
    {
        m_window->showView(MainWindow::View::Coverage);
        CoverageModel *coverage = m_window->coverageView()->model();
        QTRY_VERIFY_WITH_TIMEOUT(!coverage->isLoading(), 10000);
        const int misalignment = rowWithLabel(*coverage, Qt::Vertical, u"Value Misalignment"_s);
        const int robustness = rowWithLabel(*coverage, Qt::Vertical, u"Robustness to Attack"_s);
        const int build = rowWithLabel(*coverage, Qt::Horizontal, u"Build and Use Model"_s);
        const int deploy = rowWithLabel(*coverage, Qt::Horizontal, u"Deploy"_s);
        QVERIFY(misalignment >= 0 && robustness >= 0 && build >= 0 && deploy >= 0);
        // No risk category of the seeds has a mitigation at the Deploy stage.
        for (int r = 0; r < coverage->rowCount(); ++r)
            QVERIFY(coverage->index(r, deploy).data(CoverageModel::GapRole).toBool());
        const QModelIndex cell = coverage->index(misalignment, build);
        QCOMPARE(cell.data(CoverageModel::CountRole).toLongLong(), 2);

        QTableView *table = m_window->coverageView()->table();
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(cell).center());
        QCOMPARE(m_window->currentView(), MainWindow::View::Entries);
        waitForEntries();
        QCOMPARE(m_window->entryModel()->totalCount(), 2);
        const QStringList chips = m_window->filterChips();
        QCOMPARE(chips.size(), 1);
        QVERIFY(chips.first().contains(u"Value Misalignment"_s));

        // The chip removes its filter.
        const auto buttons = m_window->findChildren<QToolButton *>();
        QToolButton *chip = nullptr;
        for (QToolButton *button : buttons) {
            if (button->text() == chips.first())
                chip = button;
        }
        QVERIFY(chip);
        QTest::mouseClick(chip, Qt::LeftButton);
        waitForEntries();
        QTRY_VERIFY(m_window->filterChips().isEmpty());
        QCOMPARE(m_window->entryModel()->totalCount(), m_library.stats()->entries);
    }

    void pivotGroupsFilterTheEntries()
    {
        QComboBox *browse = m_window->browseBy();
        const int pivot = browse->findText(u"Risk category › Mitigation type"_s);
        QVERIFY(pivot > 0);
        browse->setCurrentIndex(pivot);
        QVERIFY(m_window->pivotView()->isVisible());
        PivotModel *model = m_window->pivotModel();
        QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->rowCount() > 0, 10000);
        int row = -1;
        for (int r = 0; r < model->rowCount(); ++r) {
            if (model->index(r, 0).data().toString() == u"Value Misalignment"_s)
                row = r;
        }
        QVERIFY(row >= 0);
        const qint64 expected = model->index(row, PivotModel::CountColumn).data().toLongLong();
        QVERIFY(expected > 0);
        m_window->pivotView()->setCurrentIndex(model->index(row, 0));
        waitForEntries();
        QCOMPARE(m_window->entryModel()->totalCount(), expected);
        QCOMPARE(m_window->filterChips(), QStringList{u"Value Misalignment"_s});

        // Back to the taxonomy tree; the chip stays until removed.
        browse->setCurrentIndex(0);
        QVERIFY(m_window->taxonomyView()->isVisible());
        QCOMPARE(m_window->filterChips().size(), 1);
    }

    void documentLeadsToItsEntries()
    {
        m_window->showView(MainWindow::View::Documents);
        DocumentsView *documents = m_window->documentsView();
        QTRY_COMPARE(documents->model()->rowCount(), 1);
        documents->showDocument(documents->model()->documentId(0));
        auto links = documents->model()->linkedEntries(documents->model()->documentId(0));
        QVERIFY(links.ok() && !links->isEmpty());
        const qint64 entry = links->first().entryId;
        Q_EMIT documents->entryActivated(entry);
        QCOMPARE(m_window->currentView(), MainWindow::View::Entries);
        QCOMPARE(m_window->detailPane()->entryId(), entry);
        waitForEntries();
        QTRY_COMPARE(m_window->entryModel()->entryId(m_window->entryView()->currentIndex().row()), entry);
    }

    void dropOnTheTreeClassifies()
    {
        // Two entries dragged from the list onto "Deploy": one undoable step.
        TaxonomyTreeModel *tree = m_window->taxonomyModel();
        const QModelIndexList found = tree->match(tree->index(0, 0), Qt::DisplayRole, u"Deploy"_s, 1, Qt::MatchExactly | Qt::MatchRecursive);
        QVERIFY(!found.isEmpty());
        const QModelIndex deploy = found.first();
        QVERIFY(tree->flags(deploy) & Qt::ItemIsDropEnabled);
        QVERIFY(!(tree->flags(tree->index(0, 0)) & Qt::ItemIsDropEnabled)); // a dimension is no node
        m_window->entryModel()->setFilter({});
        waitForEntries();
        const QModelIndexList rows{m_window->entryModel()->index(0, 0), m_window->entryModel()->index(1, 0)};
        std::unique_ptr<QMimeData> mime(m_window->entryModel()->mimeData(rows));
        const qint64 node = deploy.data(TaxonomyTreeModel::NodeIdRole).toLongLong();
        const auto classified = [&] {
            return Sql::scalar(m_library.database(), u"SELECT count(*) FROM classification WHERE node_id = ? AND assigned_by_kind = 'curator'"_s, {node})
                .value()
                .toInt();
        };
        const int steps = m_window->undoStack()->index();
        QVERIFY(tree->canDropMimeData(mime.get(), Qt::CopyAction, -1, -1, deploy));
        tree->dropMimeData(mime.get(), Qt::CopyAction, -1, -1, deploy);
        QCOMPARE(classified(), 2);
        QCOMPARE(m_window->undoStack()->index(), steps + 1);
        // Dropping them again adds nothing.
        tree->dropMimeData(mime.get(), Qt::CopyAction, -1, -1, deploy);
        QCOMPARE(m_window->undoStack()->index(), steps + 1);
        m_window->undoStack()->undo();
        QCOMPARE(classified(), 0);
    }

    void savedSearchesAppearInTheTree()
    {
        m_window->setExtraFilter({}, {});
        m_window->searchField()->setText(u"toxicity"_s);
        QTRY_COMPARE(m_window->entryModel()->filter().text, u"toxicity"_s);
        waitForEntries();
        const qint64 matching = m_window->entryModel()->totalCount();
        QVERIFY(matching > 0);
        m_window->saveSearch(u"Toxicity work"_s);
        TaxonomyTreeModel *tree = m_window->taxonomyModel();
        const QModelIndexList found = tree->match(tree->index(0, 0), Qt::DisplayRole, u"Toxicity work"_s, 1, Qt::MatchExactly | Qt::MatchRecursive);
        QVERIFY(!found.isEmpty());
        QCOMPARE(found.first().parent().data().toString(), u"Saved searches"_s);
        // Kept in the library file.
        QVERIFY(Sql::scalar(m_library.database(), u"SELECT value FROM meta WHERE key = 'saved_searches'"_s).value().toString().contains(u"Toxicity work"_s));

        m_window->searchField()->clear();
        waitForEntries();
        QTRY_VERIFY(m_window->entryModel()->totalCount() > matching);
        m_window->taxonomyView()->setCurrentIndex(found.first());
        QCOMPARE(m_window->searchField()->text(), u"toxicity"_s);
        waitForEntries();
        QTRY_COMPARE(m_window->entryModel()->totalCount(), matching);
        m_window->searchField()->clear();
        m_window->taxonomyView()->clearSelection();
    }

    QString demoTexts() const
    {
        QStringList texts;
        for (int i = 0; i < m_window->detailPane()->demoList()->count(); ++i)
            texts.append(m_window->detailPane()->demoList()->item(i)->text());
        return texts.join(u"\n"_s);
    }

    void detailShowsLinkedPapersAndDemos()
    {
        const qint64 entry = Sql::scalar(m_library.database(), u"SELECT id FROM entry WHERE name = 'Red teaming'"_s).value().toLongLong();
        QVERIFY(entry > 0);
        // The demos of the build link to the seeds' entries when the window opens the library
        // (in a worker): the red-teaming entry to red-team-loop, by its code and risk path.
        bool linked = false;
        m_window->linkDemos([&linked] {
            linked = true;
        });
        QTRY_VERIFY(linked);
        if (m_window->plugins()->find(u"red-team-loop"_s)) {
            QCOMPARE(Sql::scalar(m_library.database(), u"SELECT origin FROM plugin_link WHERE entry_id = ? AND plugin_id = 'red-team-loop' AND state = 'linked'"_s,
                         {entry})
                         .value()
                         .toString(),
                u"auto"_s);
        }
        QVERIFY(Sql::exec(m_library.database(), u"DELETE FROM plugin_link"_s).ok());
        m_window->showEntry(0);
        m_window->showEntry(entry);
        QVERIFY(demoTexts().contains(u"No runnable demonstration is linked"_s));
        // A cited paper and a demo link, as the paper lists and the plugins write them.
        auto paper = Sql::exec(m_library.database(), u"INSERT INTO document(title, year) VALUES ('DART: Deep Adversarial Automated Red Teaming', 2024)"_s);
        QVERIFY(paper.ok());
        const qint64 document = paper.value().lastInsertId().toLongLong();
        QVERIFY(Sql::exec(m_library.database(), u"INSERT INTO entry_document(entry_id, document_id, relation) VALUES (?, ?, 'cites')"_s, {entry, document}).ok());
        QVERIFY(Sql::exec(m_library.database(), u"INSERT INTO plugin_link(entry_id, plugin_id, origin) VALUES (?, 'red-team-loop', 'auto')"_s, {entry}).ok());
        m_window->detailPane()->showEntry(0);
        m_window->detailPane()->showEntry(entry);
        const QString shown = m_window->detailPane()->plainText();
        QVERIFY2(shown.contains(u"Linked papers"_s) && shown.contains(u"DART: Deep Adversarial Automated Red Teaming, 2024 (cites)"_s), qPrintable(shown));
        QVERIFY2(demoTexts().contains(u"red-team-loop (linked by its codes)"_s), qPrintable(demoTexts()));
        QVERIFY(Sql::exec(m_library.database(), u"DELETE FROM plugin_link"_s).ok());
        QVERIFY(Sql::exec(m_library.database(), u"DELETE FROM document WHERE id = ?"_s, {document}).ok());
    }

    void sampleLibraryIsLabelled()
    {
        QVERIFY(!m_window->windowTitle().contains(u"sample"_s));
        Library sample;
        QVERIFY(sample.open(m_dir.filePath(u"sample.sqlite"_s)).ok());
        ImporterRegistry registry;
        QVERIFY(SampleLibrary::install(sample, registry).ok());
        MainWindow window(&sample, &m_backend);
        QVERIFY(window.windowTitle().contains(u"(sample data)"_s));
        QVERIFY(window.statusBar()->findChild<QLabel *>()->text().startsWith(u"Sample library"_s));
    }

    void cleanupTestCase() { m_window.reset(); }
};

QTEST_MAIN(WindowTest)
#include "window_test.moc"

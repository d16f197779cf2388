// MainWindow: the curation window: the taxonomy tree with live counts (its selection filters
// the entries), the entry list with a search field, and the selected entry's details.
#pragma once

#include "entrytablemodel.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>

#include <functional>
#include <memory>

class QComboBox;
class QHBoxLayout;
class QStackedWidget;
class QLabel;
class QLineEdit;
class QMenu;
class QSplitter;
class QTabWidget;
class QUndoStack;
class QUndoView;
class QTableView;
class QTimer;
class QTreeView;

namespace Atlas
{

class CoverageView;
class DocumentsView;
class EntryDetailPane;
class ImportBackend;
class EntryTableModel;
class PivotModel;
class PluginRegistry;
class RunPanel;
class Library;
class TaxonomyNodePane;
class TaxonomyTreeModel;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // `backend` (may be null: no File › Import) provides the import formats.
    explicit MainWindow(Library *library, const ImportBackend *backend = nullptr, QWidget *parent = nullptr);
    ~MainWindow() override;

    // The views of the centre, in tab order.
    enum class View { Entries, Documents, Coverage };
    void showView(View view);
    View currentView() const;

    // Opens the import dialog for `file` (File › Import and dropped files end here).
    void importFile(const QString &file);
    // Filters the entry list to `filter` as one removable chip labelled `label` (a coverage
    // cell, a pivot group), on top of the search text and the tree selection.
    void setExtraFilter(const EntryFilter &filter, const QString &label);
    // Saves the entry list's filter as a named search in the library (it appears in the tree).
    void saveSearch(const QString &name);

    QTreeView *taxonomyView() const { return m_tree; }
    TaxonomyTreeModel *taxonomyModel() const { return m_model; }
    QTableView *entryView() const { return m_entries; }
    EntryTableModel *entryModel() const { return m_entryModel; }
    QLineEdit *searchField() const { return m_search; }
    EntryDetailPane *detailPane() const { return m_detail; }
    CoverageView *coverageView() const { return m_coverage; }
    DocumentsView *documentsView() const { return m_documents; }
    // Shows an entry in the entry list and the detail pane (clearing filters that hide it).
    void showEntry(qint64 entryId);
    // The left pane's "Browse by" choice: 0 is the taxonomy tree, the others pivots.
    QComboBox *browseBy() const { return m_browse; }
    QTreeView *pivotView() const { return m_pivotTree; }
    PivotModel *pivotModel() const { return m_pivotModel; }
    QUndoStack *undoStack() const { return m_undo; }
    // The demo plugins found in the plugin folders (the build's or installation's, then the
    // folders of the settings), and the run panel open for an entry's demo, if any.
    PluginRegistry *plugins() const { return m_plugins.get(); }
    RunPanel *openRunPanel(qint64 entryId, const QString &pluginId);
    // Reads the plugin folders again, then brings the automatic entry–demo links up to date.
    void discoverPlugins();
    // Brings the automatic links up to date in a worker thread; `done` runs after it (tests).
    void linkDemos(std::function<void()> done = {});
    // Makes every wait for another program's write lock (Sql::busyWait(), from any thread) say so
    // in this window's status bar. Process-wide, like the wait itself.
    void showLockWaitsInStatusBar();
    // The labels of the active filter chips, for tests.
    QStringList filterChips() const;

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createActions();
    void chooseImportFile();
    void showImportHistory();
    void openLibrary();
    void newLibrary();
    void switchLibrary(const QString &path);
    void libraryOpened();
    void updateStatus();
    void about();
    // The entry list's filter from the search text and the selected tree nodes.
    void applyFilter();
    void expandTopLevels();
    void updateEntryCount();
    void updateChips();
    void restoreWindowState();
    void applyBrowseChoice();
    // The library was filled with the bundled sample (SampleLibrary::install marks it).
    bool isSampleLibrary() const;
    void showSettings();
    void chooseSavedSearchName();
    void applySavedSearch(const QModelIndex &index);
    void deleteSavedSearch(const QModelIndex &index);
    // Classifies the entries under the node as one undoable step (a drop on the tree).
    void classifyEntries(const QList<qint64> &entryIds, qint64 nodeId);
    void showUndoHistory();
    void rememberLibrary(const QString &path);
    void fillRecentMenu();
    void readPluginFolders();

    Library *m_library;
    const ImportBackend *m_backend;
    TaxonomyTreeModel *m_model;
    QTreeView *m_tree;
    TaxonomyNodePane *m_pane;
    EntryTableModel *m_entryModel;
    QTableView *m_entries;
    QLineEdit *m_search;
    QTimer *m_searchDelay;
    QLabel *m_entryCount;
    EntryDetailPane *m_detail;
    CoverageView *m_coverage;
    DocumentsView *m_documents;
    QTabWidget *m_views;
    QSplitter *m_splitter;
    QSplitter *m_left;
    QComboBox *m_browse;
    QComboBox *m_riskScheme;
    QComboBox *m_mitigationScheme;
    QStackedWidget *m_leftStack;
    PivotModel *m_pivotModel;
    QTreeView *m_pivotTree;
    QWidget *m_chipBar;
    QHBoxLayout *m_chipLayout;
    QMenu *m_recentMenu = nullptr;
    bool m_sizesRestored = false;
    QUndoStack *m_undo;
    QUndoView *m_undoView = nullptr;
    EntryFilter m_extraFilter;
    QString m_extraLabel;
    QLabel *m_statusLabel;
    std::unique_ptr<PluginRegistry> m_plugins;
    QHash<QString, QPointer<RunPanel>> m_runPanels; // by "entry/plugin"
};

} // namespace Atlas

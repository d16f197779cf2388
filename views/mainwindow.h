// MainWindow: the curation window: the taxonomy tree with live counts (its selection filters
// the entries), the entry list with a search field, and the selected entry's details.
#pragma once

#include <QMainWindow>

class QLabel;
class QLineEdit;
class QTableView;
class QTimer;
class QTreeView;

namespace Atlas
{

class EntryDetailPane;
class ImportBackend;
class EntryTableModel;
class Library;
class TaxonomyNodePane;
class TaxonomyTreeModel;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // `backend` (may be null: no File › Import) provides the import formats.
    explicit MainWindow(Library *library, const ImportBackend *backend = nullptr, QWidget *parent = nullptr);

    // Opens the import dialog for `file` (File › Import and dropped files end here).
    void importFile(const QString &file);

    QTreeView *taxonomyView() const { return m_tree; }
    TaxonomyTreeModel *taxonomyModel() const { return m_model; }
    QTableView *entryView() const { return m_entries; }
    EntryTableModel *entryModel() const { return m_entryModel; }
    QLineEdit *searchField() const { return m_search; }
    EntryDetailPane *detailPane() const { return m_detail; }

protected:
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
    QLabel *m_statusLabel;
};

} // namespace Atlas

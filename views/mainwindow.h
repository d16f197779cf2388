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
class EntryTableModel;
class Library;
class TaxonomyNodePane;
class TaxonomyTreeModel;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(Library *library, QWidget *parent = nullptr);

    QTreeView *taxonomyView() const { return m_tree; }
    TaxonomyTreeModel *taxonomyModel() const { return m_model; }
    QTableView *entryView() const { return m_entries; }
    EntryTableModel *entryModel() const { return m_entryModel; }
    QLineEdit *searchField() const { return m_search; }
    EntryDetailPane *detailPane() const { return m_detail; }

private:
    void createActions();
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

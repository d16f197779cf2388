// MainWindow: the curation window. Today it shows the library's taxonomy tree with live
// counts beside a pane describing the selected item.
#pragma once

#include <QMainWindow>

class QLabel;
class QTreeView;

namespace Atlas
{

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

private:
    void createActions();
    void openLibrary();
    void newLibrary();
    void switchLibrary(const QString &path);
    void libraryOpened();
    void updateStatus();
    void about();

    Library *m_library;
    TaxonomyTreeModel *m_model;
    QTreeView *m_tree;
    TaxonomyNodePane *m_pane;
    QLabel *m_statusLabel;
};

} // namespace Atlas

#include "mainwindow.h"

#include "entrydetailpane.h"
#include "entrytablemodel.h"
#include "importdialog.h"
#include "importhistorydialog.h"
#include "library.h"
#include "taxonomynodepane.h"
#include "taxonomytreemodel.h"

#include <QAction>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

namespace Atlas
{

MainWindow::MainWindow(Library *library, const ImportBackend *backend, QWidget *parent)
    : QMainWindow(parent)
    , m_library(library)
    , m_backend(backend)
    , m_model(new TaxonomyTreeModel(library, this))
    , m_tree(new QTreeView(this))
    , m_pane(new TaxonomyNodePane(this))
    , m_entryModel(new EntryTableModel(library, this))
    , m_entries(new QTableView(this))
    , m_search(new QLineEdit(this))
    , m_searchDelay(new QTimer(this))
    , m_entryCount(new QLabel(this))
    , m_detail(new EntryDetailPane(library, this))
    , m_statusLabel(new QLabel(this))
{
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(TaxonomyTreeModel::NameColumn, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(TaxonomyTreeModel::CountColumn, QHeaderView::ResizeToContents);
    m_tree->setAccessibleName(tr("Taxonomy tree"));

    m_entries->setModel(m_entryModel);
    m_entries->setSortingEnabled(true);
    m_entries->sortByColumn(EntryTableModel::NameColumn, Qt::AscendingOrder);
    m_entries->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_entries->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_entries->setDragEnabled(true);
    m_entries->setAlternatingRowColors(true);
    m_entries->setWordWrap(false);
    m_entries->verticalHeader()->hide();
    m_entries->verticalHeader()->setDefaultSectionSize(m_entries->fontMetrics().height() + 6);
    m_entries->horizontalHeader()->setStretchLastSection(false);
    m_entries->horizontalHeader()->setSectionResizeMode(EntryTableModel::NameColumn, QHeaderView::Stretch);
    m_entries->horizontalHeader()->resizeSection(EntryTableModel::MitigationTypeColumn, 110);
    m_entries->horizontalHeader()->resizeSection(EntryTableModel::RiskColumn, 170);
    m_entries->horizontalHeader()->resizeSection(EntryTableModel::DocumentColumn, 170);
    m_entries->horizontalHeader()->resizeSection(EntryTableModel::YearColumn, 50);
    m_entries->setAccessibleName(tr("Entries"));

    m_search->setPlaceholderText(tr("Search entries (Ctrl+F)…"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search"));
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(200);
    connect(m_search, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_searchDelay, &QTimer::timeout, this, &MainWindow::applyFilter);
    connect(m_tree->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::applyFilter);
    connect(m_entryModel, &QAbstractItemModel::modelReset, this, &MainWindow::updateEntryCount);
    connect(m_entries->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
        m_detail->showEntry(current.isValid() ? m_entryModel->entryId(current.row()) : 0);
    });
    connect(m_entryModel, &QAbstractItemModel::modelReset, this, [this] {
        // The entry shown stays shown while it still matches.
        const int row = m_entryModel->rowOf(m_detail->entryId());
        if (row >= 0)
            m_entries->selectionModel()->setCurrentIndex(m_entryModel->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        else
            m_detail->showEntry(0);
    });

    auto *left = new QSplitter(Qt::Vertical, this);
    left->addWidget(m_tree);
    left->addWidget(m_pane);
    left->setStretchFactor(0, 4);
    left->setStretchFactor(1, 1);

    auto *centre = new QWidget(this);
    auto *centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(0, 0, 0, 0);
    auto *searchRow = new QHBoxLayout;
    searchRow->addWidget(m_search, 1);
    searchRow->addWidget(m_entryCount);
    centreLayout->addLayout(searchRow);
    centreLayout->addWidget(m_entries, 1);

    auto *splitter = new QSplitter(this);
    splitter->addWidget(left);
    splitter->addWidget(centre);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 4);
    splitter->setStretchFactor(2, 3);
    setCentralWidget(splitter);

    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &current) {
        m_pane->showItem(current);
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
        const QModelIndex current = m_tree->currentIndex();
        if (current.isValid() && current.parent() == topLeft.parent() && current.row() >= topLeft.row() && current.row() <= bottomRight.row())
            m_pane->showItem(current);
    });
    connect(m_library, &Library::changed, this, &MainWindow::updateStatus);
    connect(m_model, &QAbstractItemModel::modelReset, this, &MainWindow::expandTopLevels);

    setAcceptDrops(m_backend != nullptr);
    statusBar()->addWidget(m_statusLabel, 1);
    createActions();
    libraryOpened();
    setWindowIcon(QIcon(QStringLiteral(":/icons/mitigation-atlas.svg")));
}

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *newAction = file->addAction(QIcon::fromTheme(QStringLiteral("document-new")), tr("&New Library…"), this, &MainWindow::newLibrary);
    newAction->setShortcut(QKeySequence::New);
    QAction *openAction = file->addAction(QIcon::fromTheme(QStringLiteral("document-open")), tr("&Open Library…"), this, &MainWindow::openLibrary);
    openAction->setShortcut(QKeySequence::Open);
    file->addSeparator();
    if (m_backend) {
        QAction *import = file->addAction(QIcon::fromTheme(QStringLiteral("document-import")), tr("&Import…"), this, &MainWindow::chooseImportFile);
        import->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
        file->addAction(QIcon::fromTheme(QStringLiteral("view-history")), tr("Import &History…"), this, &MainWindow::showImportHistory);
        file->addSeparator();
    }
    QAction *quit = file->addAction(QIcon::fromTheme(QStringLiteral("application-exit")), tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *find = edit->addAction(QIcon::fromTheme(QStringLiteral("edit-find")), tr("&Find Entries"), this, [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });
    find->setShortcut(QKeySequence::Find);
    QAction *clear = edit->addAction(tr("&Clear Filters"), this, [this] {
        m_search->clear();
        m_tree->clearSelection();
        applyFilter();
    });
    clear->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *expand = view->addAction(tr("&Expand All"), m_tree, &QTreeView::expandAll);
    expand->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Plus));
    QAction *collapse = view->addAction(tr("&Collapse All"), m_tree, &QTreeView::collapseAll);
    collapse->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Minus));
    QAction *refresh = view->addAction(QIcon::fromTheme(QStringLiteral("view-refresh")), tr("&Refresh Counts"), m_model, &TaxonomyTreeModel::refreshCounts);
    refresh->setShortcut(QKeySequence::Refresh);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Mitigation Atlas"), this, &MainWindow::about);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::libraryOpened()
{
    setWindowTitle(tr("%1 — Mitigation Atlas").arg(QFileInfo(m_library->path()).fileName()));
    m_model->reload();
    m_pane->showItem({});
    m_search->clear();
    m_entryModel->setFilter({});
    m_entryModel->reload();
    m_detail->showEntry(0);
    updateStatus();
    if (!m_model->errorString().isEmpty())
        QMessageBox::warning(this, tr("Taxonomy"), tr("Part of the taxonomy could not be read:\n%1").arg(m_model->errorString()));
}

void MainWindow::expandTopLevels()
{
    // Dimensions and schemes open, so the window shows every taxonomy's top level at a glance.
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex dimension = m_model->index(row, 0);
        m_tree->expand(dimension);
        for (int child = 0; child < m_model->rowCount(dimension); ++child) {
            const QModelIndex index = m_model->index(child, 0, dimension);
            if (index.data(TaxonomyTreeModel::KindRole).toInt() == int(TaxonomyTreeModel::ItemKind::Scheme))
                m_tree->expand(index);
        }
    }
}

void MainWindow::applyFilter()
{
    EntryFilter filter;
    filter.text = m_search->text();
    const QModelIndexList selected = m_tree->selectionModel()->selectedRows(TaxonomyTreeModel::NameColumn);
    for (const QModelIndex &index : selected) {
        const qint64 node = index.data(TaxonomyTreeModel::NodeIdRole).toLongLong();
        if (node > 0 && !filter.nodeIds.contains(node))
            filter.nodeIds.append(node);
    }
    m_entryModel->setFilter(filter);
    updateEntryCount();
}

void MainWindow::updateEntryCount()
{
    const QLocale locale;
    m_entryCount->setText(m_entryModel->filter().isEmpty() ? tr("%1 entries").arg(locale.toString(m_entryModel->totalCount()))
                                                           : tr("%1 matching").arg(locale.toString(m_entryModel->totalCount())));
    if (!m_entryModel->errorString().isEmpty())
        statusBar()->showMessage(m_entryModel->errorString(), 5000);
}

void MainWindow::updateStatus()
{
    auto stats = m_library->stats();
    if (!stats) {
        m_statusLabel->setText(stats.error());
        return;
    }
    const QLocale locale;
    m_statusLabel->setText(tr("%1 · %2 entries · %3 documents · %4 taxonomy nodes in %5 schemes")
                               .arg(QDir::toNativeSeparators(m_library->path()), locale.toString(stats->entries), locale.toString(stats->documents),
                                   locale.toString(stats->taxonomyNodes), locale.toString(stats->schemes)));
}

void MainWindow::openLibrary()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Library"), QFileInfo(m_library->path()).absolutePath(), tr("Mitigation Atlas libraries (*.sqlite *.db);;All files (*)"));
    if (!path.isEmpty())
        switchLibrary(path);
}

void MainWindow::newLibrary()
{
    const QString path
        = QFileDialog::getSaveFileName(this, tr("New Library"), QFileInfo(m_library->path()).absolutePath(), tr("Mitigation Atlas libraries (*.sqlite)"));
    if (path.isEmpty())
        return;
    if (QFileInfo::exists(path)) {
        QMessageBox::warning(this, tr("New Library"), tr("%1 already exists. Choose Open Library to open it.").arg(QDir::toNativeSeparators(path)));
        return;
    }
    switchLibrary(path);
}

void MainWindow::switchLibrary(const QString &path)
{
    const QString previous = m_library->path();
    auto status = m_library->open(path);
    if (!status) {
        QMessageBox::critical(this, tr("Open Library"), status.error());
        // Go back to the library that was open, so the window is never left without one.
        if (auto back = m_library->open(previous); !back)
            QMessageBox::critical(this, tr("Open Library"), back.error());
    }
    libraryOpened();
}

void MainWindow::chooseImportFile()
{
    const QString file = QFileDialog::getOpenFileName(this, tr("Import"), QDir::homePath(),
        tr("Bibliographies and lists (*.bib *.ris *.json *.md *.markdown *.txt *.csv);;All files (*)"));
    if (!file.isEmpty())
        importFile(file);
}

void MainWindow::importFile(const QString &file)
{
    if (!m_backend)
        return;
    auto *dialog = new ImportDialog(m_library, m_backend, file, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ImportDialog::jobFinished, this, [this, dialog, file](bool imported) {
        if (imported)
            statusBar()->showMessage(
                tr("Imported %1: %2 added, %3 merged").arg(QFileInfo(file).fileName()).arg(dialog->summary().added()).arg(dialog->summary().merged()), 8000);
    });
    dialog->open();
}

void MainWindow::showImportHistory()
{
    auto *dialog = new ImportHistoryDialog(m_library, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (m_backend && event->mimeData()->hasUrls()) {
        for (const QUrl &url : event->mimeData()->urls()) {
            if (url.isLocalFile()) {
                event->acceptProposedAction();
                return;
            }
        }
    }
    QMainWindow::dragEnterEvent(event);
}

void MainWindow::dropEvent(QDropEvent *event)
{
    if (!m_backend || !event->mimeData()->hasUrls()) {
        QMainWindow::dropEvent(event);
        return;
    }
    event->acceptProposedAction();
    // One dialog per dropped file, each its own import batch.
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile())
            importFile(url.toLocalFile());
    }
}

void MainWindow::about()
{
    QMessageBox::about(this, tr("About Mitigation Atlas"),
        tr("Mitigation Atlas %1\n\nCurate a taxonomy of AI-risk mitigations: import survey entries and paper lists, "
           "classify them by actor, lifecycle stage, risk category and mitigation type, and see where the gaps are.")
            .arg(QCoreApplication::applicationVersion()));
}

} // namespace Atlas

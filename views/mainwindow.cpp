#include "mainwindow.h"

#include "coverageview.h"
#include "editcommands.h"
#include "sql.h"
#include "documentsview.h"
#include "entrydetailpane.h"
#include "entrytablemodel.h"
#include "importdialog.h"
#include "importhistorydialog.h"
#include "library.h"
#include "pivotmodel.h"
#include "plaintooltips.h"
#include "pluginlinker.h"
#include "pluginregistry.h"
#include "runpanel.h"
#include "worker.h"
#include "savedsearch.h"
#include "taxonomy.h"
#include "taxonomynodepane.h"
#include "taxonomytreemodel.h"

#include <QAction>
#include <QComboBox>
#include <QPlainTextEdit>
#include <QStackedWidget>
#include <QCloseEvent>
#include <QShowEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMenu>
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
#include <QSettings>
#include <QSplitter>
#include <QPointer>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QDialogButtonBox>
#include <QInputDialog>
#include <QFormLayout>
#include <QToolButton>
#include <QUndoStack>
#include <QUndoView>
#include <QTreeView>
#include <QVBoxLayout>

#include <functional>

namespace Atlas
{

MainWindow::MainWindow(Library *library, const ImportBackend *backend, QWidget *parent)
    : QMainWindow(parent)
    , m_library(library)
    , m_backend(backend)
    , m_model(new TaxonomyTreeModel(library, this, true))
    , m_tree(new QTreeView(this))
    , m_pane(new TaxonomyNodePane(this))
    , m_entryModel(new EntryTableModel(library, this, true))
    , m_entries(new QTableView(this))
    , m_search(new QLineEdit(this))
    , m_searchDelay(new QTimer(this))
    , m_entryCount(new QLabel(this))
    , m_detail(new EntryDetailPane(library, this))
    , m_coverage(new CoverageView(library, this))
    , m_documents(new DocumentsView(library, this))
    , m_views(new QTabWidget(this))
    , m_splitter(new QSplitter(this))
    , m_left(new QSplitter(Qt::Vertical, this))
    , m_browse(new QComboBox(this))
    , m_riskScheme(new QComboBox(this))
    , m_mitigationScheme(new QComboBox(this))
    , m_leftStack(new QStackedWidget(this))
    , m_pivotModel(new PivotModel(library, this))
    , m_pivotTree(new QTreeView(this))
    , m_chipBar(new QWidget(this))
    , m_chipLayout(new QHBoxLayout(m_chipBar))
    , m_undo(new QUndoStack(this))
    , m_statusLabel(new QLabel(this))
    , m_plugins(std::make_unique<PluginRegistry>())
{
    // Every edit is a command on one stack; the curator's name from the settings is the
    // provenance of classifications made by hand.
    m_detail->setUndoStack(m_undo);
    connect(m_detail, &EntryDetailPane::runDemoRequested, this, &MainWindow::openRunPanel);
    {
        const QString curator = QSettings().value(QStringLiteral("curator/name")).toString();
        if (!curator.isEmpty())
            m_detail->setCuratorName(curator);
    }
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(TaxonomyTreeModel::NameColumn, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(TaxonomyTreeModel::CountColumn, QHeaderView::ResizeToContents);
    m_tree->setAccessibleName(tr("Taxonomy tree"));
    // Entries dragged from the list onto a node are classified there.
    m_tree->setDragDropMode(QAbstractItemView::DropOnly);
    m_tree->setDefaultDropAction(Qt::CopyAction);
    m_tree->setDropIndicatorShown(true);
    connect(m_model, &TaxonomyTreeModel::entriesDropped, this, &MainWindow::classifyEntries);

    // Searches, filters, sorts and pages are read by a worker (the model is made asynchronous):
    // the window never waits for SQLite.
    connect(m_entryModel, &EntryTableModel::loaded, this, &MainWindow::updateEntryCount);
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
    // The name is what one reads first: it gets the room; the other columns scroll when narrow.
    m_entries->horizontalHeader()->resizeSection(EntryTableModel::NameColumn, 260);
    m_entries->horizontalHeader()->resizeSection(EntryTableModel::MitigationTypeColumn, 80);
    m_entries->horizontalHeader()->resizeSection(EntryTableModel::RiskColumn, 120);
    m_entries->horizontalHeader()->resizeSection(EntryTableModel::LifecycleColumn, 110);
    m_entries->horizontalHeader()->resizeSection(EntryTableModel::DocumentColumn, 140);
    m_entries->horizontalHeader()->resizeSection(EntryTableModel::YearColumn, 50);
    m_entries->horizontalHeader()->setMinimumSectionSize(40);
    m_entries->setAccessibleName(tr("Entries"));
    // Columns are chosen from the header's context menu (the entry name always shows).
    m_entries->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_entries->horizontalHeader(), &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
        QMenu menu(this);
        for (int column = 0; column < EntryTableModel::ColumnCount; ++column) {
            QAction *action = menu.addAction(m_entryModel->headerData(column, Qt::Horizontal).toString());
            action->setCheckable(true);
            action->setChecked(!m_entries->isColumnHidden(column));
            action->setEnabled(column != EntryTableModel::NameColumn);
            connect(action, &QAction::toggled, this, [this, column](bool shown) {
                m_entries->setColumnHidden(column, !shown);
            });
        }
        menu.exec(m_entries->horizontalHeader()->mapToGlobal(at));
    });

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
    // Tags added in the detail pane go to every selected entry.
    connect(m_entries->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        QList<qint64> ids;
        const QModelIndexList rows = m_entries->selectionModel()->selectedRows();
        for (const QModelIndex &index : rows)
            ids.append(m_entryModel->entryId(index.row()));
        m_detail->setSelectedEntries(ids);
    });
    connect(m_entryModel, &QAbstractItemModel::modelReset, this, [this] {
        // The entry shown stays shown while it still matches.
        const int row = m_entryModel->rowOf(m_detail->entryId());
        if (row >= 0)
            m_entries->selectionModel()->setCurrentIndex(m_entryModel->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        else
            m_detail->showEntry(0);
    });

    // "Browse by": the taxonomy tree, or a pivot that groups entries by one dimension, then another.
    m_browse->setAccessibleName(tr("Browse by"));
    m_browse->addItem(tr("Taxonomy"));
    const struct {
        QString label;
        QList<Dimension> dimensions;
    } pivots[] = {
        {tr("Risk category › Mitigation type"), {Dimension::Risk, Dimension::MitigationType}},
        {tr("Risk category › Lifecycle stage"), {Dimension::Risk, Dimension::Lifecycle}},
        {tr("Risk category › Actor"), {Dimension::Risk, Dimension::Actor}},
        {tr("Mitigation type › Lifecycle stage"), {Dimension::MitigationType, Dimension::Lifecycle}},
        {tr("Lifecycle stage › Risk category › Mitigation type"), {Dimension::Lifecycle, Dimension::Risk, Dimension::MitigationType}},
        {tr("Actor › Function"), {Dimension::Actor, Dimension::Function}},
    };
    for (const auto &pivot : pivots) {
        QVariantList dimensions;
        for (Dimension d : pivot.dimensions)
            dimensions.append(int(d));
        m_browse->addItem(pivot.label, dimensions);
    }
    m_riskScheme->setAccessibleName(tr("Risk scheme"));
    m_riskScheme->addItem(tr("Survey headings"), QStringLiteral("llm-safety-survey"));
    m_riskScheme->addItem(tr("MIT risk domains"), QStringLiteral("mit-risk-domain-v3"));
    m_riskScheme->addItem(tr("MIT causal taxonomy"), QStringLiteral("mit-risk-causal-v3"));
    m_mitigationScheme->setAccessibleName(tr("Mitigation type scheme"));
    m_mitigationScheme->addItem(tr("MIT v2"), QStringLiteral("mit-mitigation-v2"));
    m_mitigationScheme->addItem(tr("MIT v1"), QStringLiteral("mit-mitigation-v1"));
    {
        const QSettings settings;
        m_riskScheme->setCurrentIndex(std::max(0, m_riskScheme->findData(settings.value(QStringLiteral("defaults/riskScheme")))));
        m_mitigationScheme->setCurrentIndex(std::max(0, m_mitigationScheme->findData(settings.value(QStringLiteral("defaults/mitigationScheme")))));
    }
    connect(m_browse, &QComboBox::currentIndexChanged, this, &MainWindow::applyBrowseChoice);
    connect(m_riskScheme, &QComboBox::currentIndexChanged, this, [this] {
        QSettings().setValue(QStringLiteral("defaults/riskScheme"), m_riskScheme->currentData());
        applyBrowseChoice();
    });
    connect(m_mitigationScheme, &QComboBox::currentIndexChanged, this, [this] {
        QSettings().setValue(QStringLiteral("defaults/mitigationScheme"), m_mitigationScheme->currentData());
        applyBrowseChoice();
    });

    m_pivotTree->setModel(m_pivotModel);
    m_pivotTree->setUniformRowHeights(true);
    m_pivotTree->setAlternatingRowColors(true);
    m_pivotTree->header()->setStretchLastSection(false);
    m_pivotTree->header()->setSectionResizeMode(PivotModel::NameColumn, QHeaderView::Stretch);
    m_pivotTree->header()->setSectionResizeMode(PivotModel::CountColumn, QHeaderView::ResizeToContents);
    m_pivotTree->setAccessibleName(tr("Pivot"));
    connect(m_pivotTree->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &current) {
        if (current.isValid())
            setExtraFilter(m_pivotModel->filterFor(current), m_pivotModel->pathLabel(current));
    });
    connect(m_pivotModel, &PivotModel::loaded, this, [this] {
        if (!m_pivotModel->errorString().isEmpty())
            statusBar()->showMessage(tr("Pivot: %1").arg(m_pivotModel->errorString()), 8000);
    });

    auto *browsePage = new QWidget(this);
    auto *browseLayout = new QVBoxLayout(browsePage);
    browseLayout->setContentsMargins(0, 0, 0, 0);
    auto *browseRow = new QHBoxLayout;
    browseRow->addWidget(new QLabel(tr("Browse by:"), this));
    browseRow->addWidget(m_browse, 1);
    browseLayout->addLayout(browseRow);
    auto *schemeRow = new QHBoxLayout;
    schemeRow->addWidget(m_riskScheme, 1);
    schemeRow->addWidget(m_mitigationScheme, 1);
    browseLayout->addLayout(schemeRow);
    m_leftStack->addWidget(m_tree);
    m_leftStack->addWidget(m_pivotTree);
    browseLayout->addWidget(m_leftStack, 1);
    m_riskScheme->setVisible(false);
    m_mitigationScheme->setVisible(false);

    m_left->addWidget(browsePage);
    m_left->addWidget(m_pane);
    m_left->setStretchFactor(0, 4);
    m_left->setStretchFactor(1, 1);
    m_left->setObjectName(QStringLiteral("treeSplitter"));

    // Active filters as chips under the search field, each removable on its own.
    m_chipLayout->setContentsMargins(0, 0, 0, 0);
    m_chipLayout->setSpacing(4);
    m_chipBar->setAccessibleName(tr("Active filters"));
    m_chipBar->hide();

    auto *entriesPage = new QWidget(this);
    auto *centreLayout = new QVBoxLayout(entriesPage);
    centreLayout->setContentsMargins(0, 0, 0, 0);
    auto *searchRow = new QHBoxLayout;
    searchRow->addWidget(m_search, 1);
    searchRow->addWidget(m_entryCount);
    centreLayout->addLayout(searchRow);
    centreLayout->addWidget(m_chipBar);
    centreLayout->addWidget(m_entries, 1);

    m_views->addTab(entriesPage, tr("&Entries"));
    m_views->addTab(m_documents, tr("&Documents"));
    m_views->addTab(m_coverage, tr("C&overage"));
    connect(m_documents, &DocumentsView::entryActivated, this, &MainWindow::showEntry);
    m_documents->setUndoStack(m_undo);
    // The entry's detail pane belongs to the entry list; the other views use the room.
    connect(m_views, &QTabWidget::currentChanged, this, [this](int index) {
        m_detail->setVisible(index == int(View::Entries));
    });
    m_views->setDocumentMode(true);
    m_views->setAccessibleName(tr("Views"));
    connect(m_coverage, &CoverageView::cellActivated, this, [this](const EntryFilter &filter, const QString &label) {
        setExtraFilter(filter, label);
        showView(View::Entries);
    });

    m_splitter->addWidget(m_left);
    m_splitter->addWidget(m_views);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 4);
    m_splitter->setStretchFactor(2, 3);
    // Each part may shrink below its own wish: the window fits a laptop screen.
    m_left->setMinimumWidth(220);
    m_views->setMinimumWidth(360);
    m_detail->setMinimumWidth(240);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    setCentralWidget(m_splitter);

    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &current) {
        m_pane->showItem(current);
        applySavedSearch(current);
    });
    auto *deleteSaved = new QAction(tr("Delete Saved Search"), m_tree);
    deleteSaved->setShortcut(QKeySequence::Delete);
    deleteSaved->setShortcutContext(Qt::WidgetShortcut);
    connect(deleteSaved, &QAction::triggered, this, [this] {
        deleteSavedSearch(m_tree->currentIndex());
    });
    m_tree->addAction(deleteSaved);
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
        const QModelIndex current = m_tree->currentIndex();
        if (current.isValid() && current.parent() == topLeft.parent() && current.row() >= topLeft.row() && current.row() <= bottomRight.row())
            m_pane->showItem(current);
    });
    connect(m_library, &Library::changed, this, &MainWindow::updateStatus);
    connect(m_model, &QAbstractItemModel::modelReset, this, &MainWindow::expandTopLevels);

    setAcceptDrops(m_backend != nullptr);
    statusBar()->addWidget(m_statusLabel, 1);
    // An edit that could not be written (another program holding the library, a full disk) is
    // said in the status bar; the failed step is not on the undo stack.
    connect(m_library, &Library::writeFailed, this, [this](const QString &message) {
        statusBar()->showMessage(message, 15000);
    });
    // Item views show imported titles and names in tooltips: as text, never as rich text.
    PlainToolTips::install();
    createActions();
    readPluginFolders();
    libraryOpened(); // links the demos to the library's entries
    setWindowIcon(QIcon(QStringLiteral(":/icons/mitigation-atlas.svg")));
    restoreWindowState();
}

void MainWindow::classifyEntries(const QList<qint64> &entryIds, qint64 nodeId)
{
    // Entries already classified there are left as they are.
    QList<qint64> todo;
    for (qint64 id : entryIds) {
        auto already = Sql::scalar(m_library->database(), QStringLiteral("SELECT count(*) FROM classification WHERE entry_id = ? AND node_id = ?"), {id, nodeId});
        if (already && already.value().toInt() == 0)
            todo.append(id);
    }
    if (todo.isEmpty()) {
        statusBar()->showMessage(tr("Already classified there."), 4000);
        return;
    }
    const QString curator = m_detail->curatorName();
    if (todo.size() == 1) {
        m_undo->push(new AddClassificationCommand(m_library, todo.first(), nodeId, curator));
        return;
    }
    auto *macro = new QUndoCommand;
    for (qint64 id : std::as_const(todo))
        new AddClassificationCommand(m_library, id, nodeId, curator, {}, {}, macro);
    macro->setText(tr("Classify %n entries as %1", nullptr, int(todo.size())).arg(macro->child(0)->text().section(QStringLiteral(" as "), -1)));
    m_undo->push(macro);
}

void MainWindow::chooseSavedSearchName()
{
    if (m_entryModel->filter().isEmpty()) {
        statusBar()->showMessage(tr("Nothing to save: search or select something first."), 5000);
        return;
    }
    bool ok = false;
    const QString suggestion = filterChips().join(QStringLiteral(" + "));
    const QString name = QInputDialog::getText(this, tr("Save Search"), tr("Name:"), QLineEdit::Normal, suggestion, &ok).trimmed();
    if (ok && !name.isEmpty())
        saveSearch(name);
}

void MainWindow::saveSearch(const QString &name)
{
    auto saved = SavedSearches::read(m_library->database());
    if (!saved) {
        QMessageBox::warning(this, tr("Save Search"), saved.error());
        return;
    }
    QList<SavedSearch> searches = saved.value();
    SavedSearch search;
    search.name = name;
    search.filter = m_entryModel->filter();
    QStringList labels = filterChips();
    if (!search.filter.text.trimmed().isEmpty() && !labels.isEmpty())
        labels.removeFirst(); // the text is kept apart
    search.label = labels.join(QStringLiteral(" + "));
    // A name saved again replaces the search of that name.
    searches.erase(std::remove_if(searches.begin(), searches.end(),
                       [&](const SavedSearch &s) {
                           return s.name.compare(name, Qt::CaseInsensitive) == 0;
                       }),
        searches.end());
    searches.append(search);
    if (auto written = SavedSearches::write(m_library->database(), searches); !written) {
        QMessageBox::warning(this, tr("Save Search"), written.error());
        return;
    }
    m_model->reload();
    statusBar()->showMessage(tr("Saved the search “%1”.").arg(name), 5000);
}

void MainWindow::applySavedSearch(const QModelIndex &index)
{
    const SavedSearch *saved = m_model->savedSearch(index);
    if (!saved)
        return;
    const SavedSearch search = *saved;
    {
        const QSignalBlocker block(m_search);
        m_search->setText(search.filter.text);
    }
    EntryFilter nodes;
    nodes.nodeIds = search.filter.nodeIds;
    nodes.tagIds = search.filter.tagIds;
    setExtraFilter(nodes, search.label.isEmpty() ? search.name : search.label);
}

void MainWindow::deleteSavedSearch(const QModelIndex &index)
{
    const SavedSearch *saved = m_model->savedSearch(index);
    if (!saved)
        return;
    const QString name = saved->name;
    if (QMessageBox::question(this, tr("Delete Saved Search"), tr("Delete the saved search “%1”?").arg(name)) != QMessageBox::Yes)
        return;
    auto searches = SavedSearches::read(m_library->database());
    if (!searches)
        return;
    QList<SavedSearch> kept;
    for (const SavedSearch &s : searches.value()) {
        if (s.name != name)
            kept.append(s);
    }
    if (auto written = SavedSearches::write(m_library->database(), kept); !written)
        QMessageBox::warning(this, tr("Delete Saved Search"), written.error());
    m_model->reload();
}

void MainWindow::showSettings()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Settings"));
    auto *form = new QFormLayout(&dialog);
    auto *curator = new QLineEdit(m_detail->curatorName(), &dialog);
    curator->setToolTip(tr("Recorded as who assigned a classification you make by hand"));
    form->addRow(tr("&Curator name:"), curator);
    auto *risk = new QComboBox(&dialog);
    auto *mitigation = new QComboBox(&dialog);
    for (int i = 0; i < m_riskScheme->count(); ++i)
        risk->addItem(m_riskScheme->itemText(i), m_riskScheme->itemData(i));
    for (int i = 0; i < m_mitigationScheme->count(); ++i)
        mitigation->addItem(m_mitigationScheme->itemText(i), m_mitigationScheme->itemData(i));
    risk->setCurrentIndex(m_riskScheme->currentIndex());
    mitigation->setCurrentIndex(m_mitigationScheme->currentIndex());
    form->addRow(tr("Default &risk scheme:"), risk);
    form->addRow(tr("Default &mitigation type scheme:"), mitigation);
    auto *folders = new QPlainTextEdit(&dialog);
    folders->setPlainText(m_plugins->extraFolders().join(QLatin1Char('\n')));
    folders->setPlaceholderText(tr("One absolute folder a line"));
    folders->setToolTip(tr("Folders searched for demo plugins after %1").arg(PluginRegistry::builtInFolder()));
    folders->setTabChangesFocus(true);
    folders->setMaximumHeight(folders->fontMetrics().height() * 5);
    form->addRow(tr("&Plugin folders:"), folders);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString name = curator->text().trimmed();
    if (!name.isEmpty()) {
        QSettings().setValue(QStringLiteral("curator/name"), name);
        m_detail->setCuratorName(name);
    }
    m_riskScheme->setCurrentIndex(risk->currentIndex());
    m_mitigationScheme->setCurrentIndex(mitigation->currentIndex());
    QStringList pluginFolders;
    for (const QString &line : folders->toPlainText().split(QLatin1Char('\n'))) {
        if (!line.trimmed().isEmpty())
            pluginFolders.append(line.trimmed());
    }
    if (pluginFolders != m_plugins->extraFolders()) {
        QSettings().setValue(QStringLiteral("plugins/folders"), pluginFolders);
        discoverPlugins();
        if (!m_plugins->folderProblems().isEmpty())
            QMessageBox::warning(this, tr("Plugin Folders"), m_plugins->folderProblems().join(QLatin1Char('\n')));
    }
}

MainWindow::~MainWindow() = default;

void MainWindow::readPluginFolders()
{
    m_plugins->setExtraFolders(QSettings().value(QStringLiteral("plugins/folders")).toStringList());
    m_plugins->discover();
    m_detail->setPlugins(m_plugins->plugins());
}

void MainWindow::discoverPlugins()
{
    readPluginFolders();
    linkDemos();
}

void MainWindow::linkDemos(std::function<void()> done)
{
    if (!m_library->isOpen()) {
        if (done)
            done();
        return;
    }
    // Over a large library this is a few joins; it runs beside the window, on its own connection.
    struct Outcome {
        QString error;
        int added = 0;
        int removed = 0;
    };
    const QList<PluginInfo> ready = m_plugins->readyPlugins();
    runOnWorker<Outcome>(
        this, m_library->path(),
        [ready](const WorkerConnection &connection) {
            if (!connection.isOpen())
                return Outcome {connection.error()};
            auto report = PluginLinker(connection.database()).linkAutomatically(ready);
            if (!report)
                return Outcome {report.error()};
            return Outcome {QString(), report->added, report->removed};
        },
        [this, done](const Outcome &outcome) {
            if (!outcome.error.isEmpty())
                statusBar()->showMessage(tr("The demos could not be linked to entries: %1").arg(outcome.error), 8000);
            else if (outcome.added + outcome.removed > 0)
                m_library->notifyChanged();
            if (done)
                done();
        });
}

void MainWindow::showLockWaitsInStatusBar()
{
    Sql::BusyWait wait = Sql::busyWait();
    wait.notify = [target = QPointer<MainWindow>(this)](const QString &message) {
        // Called on the waiting thread (often a worker): the message goes to the window's thread.
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [target, message] {
                if (target && !message.isEmpty())
                    target->statusBar()->showMessage(message.at(0).toUpper() + message.mid(1), 8000);
            },
            Qt::QueuedConnection);
    };
    Sql::setBusyWait(wait);
}

RunPanel *MainWindow::openRunPanel(qint64 entryId, const QString &pluginId)
{
    const QString key = QStringLiteral("%1/%2").arg(entryId).arg(pluginId);
    if (RunPanel *open = m_runPanels.value(key)) {
        open->show();
        open->raise();
        open->activateWindow();
        return open;
    }
    const PluginInfo *plugin = nullptr;
    for (const PluginInfo &candidate : m_plugins->plugins()) {
        if (candidate.id == pluginId && candidate.state != PluginInfo::State::Duplicate)
            plugin = &candidate;
    }
    if (!plugin) {
        QMessageBox::warning(this, tr("Run Demo"), tr("No plugin \"%1\" was found in the plugin folders.").arg(pluginId));
        return nullptr;
    }
    auto *panel = new RunPanel(m_library, *plugin, entryId, this);
    m_runPanels.insert(key, panel);
    panel->show();
    return panel;
}

void MainWindow::showUndoHistory()
{
    if (!m_undoView) {
        m_undoView = new QUndoView(m_undo, this);
        m_undoView->setWindowFlag(Qt::Tool);
        m_undoView->setWindowTitle(tr("Undo History"));
        m_undoView->setEmptyLabel(tr("<as opened>"));
        m_undoView->resize(360, 420);
    }
    m_undoView->show();
    m_undoView->raise();
}

void MainWindow::applyBrowseChoice()
{
    const QVariantList dimensions = m_browse->currentData().toList();
    const bool pivot = !dimensions.isEmpty();
    m_leftStack->setCurrentWidget(pivot ? static_cast<QWidget *>(m_pivotTree) : m_tree);
    bool usesRisk = false, usesMitigation = false;
    QList<PivotLevel> levels;
    for (const QVariant &value : dimensions) {
        switch (Dimension(value.toInt())) {
        case Dimension::Risk:
            levels.append({m_riskScheme->currentData().toString(), 1});
            usesRisk = true;
            break;
        case Dimension::MitigationType:
            // The second level (1.1 Model, …) says more than the three top codes.
            levels.append({m_mitigationScheme->currentData().toString(), 2});
            usesMitigation = true;
            break;
        case Dimension::Lifecycle:
            levels.append({QStringLiteral("lifecycle"), 1});
            break;
        case Dimension::Actor:
            levels.append({QStringLiteral("actor"), 1});
            break;
        case Dimension::Function:
            levels.append({QStringLiteral("nist-ai-rmf"), 1});
            break;
        }
    }
    m_riskScheme->setVisible(usesRisk);
    m_mitigationScheme->setVisible(usesMitigation);
    if (pivot)
        m_pivotModel->setLevels(levels);
}

bool MainWindow::isSampleLibrary() const
{
    auto sample = Sql::exec(m_library->database(), QStringLiteral("SELECT 1 FROM meta WHERE key = 'sample_library'"));
    return sample && sample.value().next();
}

void MainWindow::showEntry(qint64 entryId)
{
    showView(View::Entries);
    if (m_entryModel->rowOf(entryId) < 0 && !m_entryModel->filter().isEmpty()) {
        m_search->clear();
        m_tree->clearSelection();
        setExtraFilter({}, {});
    }
    m_detail->showEntry(entryId);
    // Select it in the list once the list holds it (the list may still be loading).
    const auto select = [this, entryId] {
        const int row = m_entryModel->rowOf(entryId);
        if (row >= 0)
            m_entries->selectionModel()->setCurrentIndex(m_entryModel->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    };
    if (m_entryModel->isLoading())
        connect(m_entryModel, &EntryTableModel::loaded, this, select, Qt::SingleShotConnection);
    else
        select();
}

void MainWindow::showView(View view)
{
    m_views->setCurrentIndex(int(view));
}

MainWindow::View MainWindow::currentView() const
{
    return View(m_views->currentIndex());
}

void MainWindow::setExtraFilter(const EntryFilter &filter, const QString &label)
{
    m_extraFilter = filter;
    m_extraLabel = filter.isEmpty() ? QString() : label;
    applyFilter();
}

QStringList MainWindow::filterChips() const
{
    QStringList labels;
    for (const QToolButton *chip : m_chipBar->findChildren<QToolButton *>())
        labels.append(chip->text());
    return labels;
}

void MainWindow::updateChips()
{
    while (QLayoutItem *item = m_chipLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const auto addChip = [this](const QString &label, const QString &toolTip, const std::function<void()> &remove) {
        auto *chip = new QToolButton(m_chipBar);
        chip->setText(label);
        chip->setIcon(QIcon::fromTheme(QStringLiteral("window-close")));
        chip->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        chip->setAutoRaise(false);
        chip->setToolTip(toolTip);
        chip->setAccessibleName(tr("Remove filter %1").arg(label));
        connect(chip, &QToolButton::clicked, this, remove);
        m_chipLayout->addWidget(chip);
    };
    if (!m_search->text().trimmed().isEmpty())
        addChip(tr("“%1”").arg(m_search->text().trimmed()), tr("Full-text search; click to clear"), [this] {
            m_search->clear();
            applyFilter();
        });
    const QModelIndexList selected = m_tree->selectionModel()->selectedRows(TaxonomyTreeModel::NameColumn);
    for (const QModelIndex &index : selected) {
        if (index.data(TaxonomyTreeModel::NodeIdRole).toLongLong() <= 0)
            continue;
        const QPersistentModelIndex persistent(index);
        addChip(index.data(Qt::DisplayRole).toString(), tr("Selected in the taxonomy tree; click to deselect"), [this, persistent] {
            if (persistent.isValid())
                m_tree->selectionModel()->select(persistent, QItemSelectionModel::Deselect | QItemSelectionModel::Rows);
        });
    }
    if (!m_extraFilter.isEmpty())
        addChip(m_extraLabel, tr("Coverage cell; click to remove"), [this] {
            setExtraFilter({}, {});
        });
    m_chipLayout->addStretch(1);
    m_chipBar->setVisible(m_chipLayout->count() > 1);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_detail->saveNotes();
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/mainSplitter"), m_splitter->saveState());
    settings.setValue(QStringLiteral("window/treeSplitter"), m_left->saveState());
    settings.setValue(QStringLiteral("window/entryHeader"), m_entries->horizontalHeader()->saveState());
    settings.setValue(QStringLiteral("window/view"), m_views->currentIndex());
    settings.setValue(QStringLiteral("window/browse"), m_browse->currentIndex());
    QMainWindow::closeEvent(event);
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (m_sizesRestored)
        return;
    m_sizesRestored = true;
    // The first time, a quarter for the tree, the detail pane nearly a third, the rest the centre.
    if (!QSettings().contains(QStringLiteral("window/mainSplitter"))) {
        const int width = m_splitter->width();
        m_splitter->setSizes({width * 24 / 100, width * 46 / 100, width * 30 / 100});
    }
}

void MainWindow::restoreWindowState()
{
    const QSettings settings;
    if (settings.contains(QStringLiteral("window/geometry")))
        restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_splitter->restoreState(settings.value(QStringLiteral("window/mainSplitter")).toByteArray());
    m_left->restoreState(settings.value(QStringLiteral("window/treeSplitter")).toByteArray());
    m_entries->horizontalHeader()->restoreState(settings.value(QStringLiteral("window/entryHeader")).toByteArray());
    m_views->setCurrentIndex(settings.value(QStringLiteral("window/view"), 0).toInt());
    m_browse->setCurrentIndex(std::clamp(settings.value(QStringLiteral("window/browse"), 0).toInt(), 0, m_browse->count() - 1));
}

void MainWindow::rememberLibrary(const QString &path)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentLibraries")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > 8)
        recent.removeLast();
    settings.setValue(QStringLiteral("recentLibraries"), recent);
}

void MainWindow::fillRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentLibraries")).toStringList();
    for (const QString &path : recent) {
        if (path == m_library->path())
            continue;
        QAction *action = m_recentMenu->addAction(QDir::toNativeSeparators(path), this, [this, path] {
            switchLibrary(path);
        });
        action->setEnabled(QFileInfo::exists(path));
    }
    if (m_recentMenu->isEmpty())
        m_recentMenu->addAction(tr("No other libraries yet"))->setEnabled(false);
}

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *newAction = file->addAction(QIcon::fromTheme(QStringLiteral("document-new")), tr("&New Library…"), this, &MainWindow::newLibrary);
    newAction->setShortcut(QKeySequence::New);
    QAction *openAction = file->addAction(QIcon::fromTheme(QStringLiteral("document-open")), tr("&Open Library…"), this, &MainWindow::openLibrary);
    openAction->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(QIcon::fromTheme(QStringLiteral("document-open-recent")), tr("Open &Recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
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
    QAction *undo = m_undo->createUndoAction(this, tr("&Undo"));
    undo->setIcon(QIcon::fromTheme(QStringLiteral("edit-undo")));
    undo->setShortcut(QKeySequence::Undo);
    edit->addAction(undo);
    QAction *redo = m_undo->createRedoAction(this, tr("&Redo"));
    redo->setIcon(QIcon::fromTheme(QStringLiteral("edit-redo")));
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(redo);
    edit->addAction(QIcon::fromTheme(QStringLiteral("view-history")), tr("Undo &History…"), this, &MainWindow::showUndoHistory);
    edit->addAction(m_documents->mergeAction());
    edit->addSeparator();
    QAction *find = edit->addAction(QIcon::fromTheme(QStringLiteral("edit-find")), tr("&Find Entries"), this, [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });
    find->setShortcut(QKeySequence::Find);
    QAction *clear = edit->addAction(tr("&Clear Filters"), this, [this] {
        m_search->clear();
        m_tree->clearSelection();
        setExtraFilter({}, {});
    });
    clear->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));
    QAction *save = edit->addAction(QIcon::fromTheme(QStringLiteral("bookmark-new")), tr("&Save Search…"), this, &MainWindow::chooseSavedSearchName);
    save->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    edit->addSeparator();
    QAction *settings = edit->addAction(QIcon::fromTheme(QStringLiteral("configure")), tr("&Settings…"), this, &MainWindow::showSettings);
    settings->setShortcut(QKeySequence::Preferences);
    settings->setMenuRole(QAction::PreferencesRole);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    const std::pair<View, QString> views[] = {
        {View::Entries, tr("&Entries")}, {View::Documents, tr("&Documents")}, {View::Coverage, tr("C&overage Matrix")}};
    for (const auto &[which, label] : views) {
        QAction *action = view->addAction(label, this, [this, which] {
            showView(which);
        });
        action->setShortcut(QKeySequence(Qt::CTRL | (Qt::Key_1 + int(which))));
    }
    view->addSeparator();
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
    setWindowTitle(isSampleLibrary() ? tr("%1 (sample data) — Mitigation Atlas").arg(QFileInfo(m_library->path()).fileName())
                                     : tr("%1 — Mitigation Atlas").arg(QFileInfo(m_library->path()).fileName()));
    m_model->reload();
    m_pane->showItem({});
    m_search->clear();
    m_extraFilter = {};
    m_extraLabel.clear();
    m_entryModel->setFilter({});
    m_entryModel->reload();
    m_detail->showEntry(0);
    m_coverage->reloadSchemes();
    updateChips();
    updateStatus();
    rememberLibrary(m_library->path());
    linkDemos();
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
    for (qint64 node : std::as_const(m_extraFilter.nodeIds)) {
        if (!filter.nodeIds.contains(node))
            filter.nodeIds.append(node);
    }
    for (qint64 tag : std::as_const(m_extraFilter.tagIds)) {
        if (!filter.tagIds.contains(tag))
            filter.tagIds.append(tag);
    }
    m_entryModel->setFilter(filter);
    updateEntryCount();
    updateChips();
}

void MainWindow::updateEntryCount()
{
    const QLocale locale;
    if (m_entryModel->isLoading()) {
        m_entryCount->setText(tr("searching…"));
        return;
    }
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
    m_statusLabel->setText((isSampleLibrary() ? tr("Sample library · ") : QString()) + tr("%1 · %2 entries · %3 documents · %4 taxonomy nodes in %5 schemes")
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
    // Edits belong to the library they were made in.
    m_detail->saveNotes();
    m_undo->clear();
    // Runs are recorded in the library they started in: their panels close (cancelling a run).
    for (const QPointer<RunPanel> &panel : std::as_const(m_runPanels)) {
        if (panel)
            delete panel.data();
    }
    m_runPanels.clear();
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
    dialog->setDemoPlugins(m_plugins->readyPlugins());
    connect(dialog, &ImportDialog::jobFinished, this, [this, dialog, file](bool imported) {
        if (imported) {
            statusBar()->showMessage(
                tr("Imported %1: %2 added, %3 merged").arg(QFileInfo(file).fileName()).arg(dialog->summary().added()).arg(dialog->summary().merged()), 8000);
            linkDemos(); // the new entries are linked already; links of older ones catch up with the plugins found
        }
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

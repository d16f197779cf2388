#include "documentsview.h"

#include "documenttablemodel.h"
#include "editcommands.h"
#include "entryeditor.h"
#include "library.h"
#include "libraryreader.h"
#include "syntaxrepository.h"

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>

#include <QAction>
#include <QEvent>
#include <QFont>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTextCursor>
#include <QTextEdit>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace Atlas
{

namespace
{

// Writes a document's fields with QTextCursor::insertText: imported text is never parsed as HTML.
class FieldWriter
{
public:
    explicit FieldWriter(QTextEdit *edit) : m_cursor(edit->document())
    {
        edit->document()->clear();
        m_cursor = QTextCursor(edit->document());
    }

    void title(const QString &text, bool missing)
    {
        QTextCharFormat f;
        f.setFontPointSize(QFont().pointSizeF() * 1.3);
        f.setFontWeight(QFont::Bold);
        f.setFontItalic(missing);
        block();
        m_cursor.insertText(text, f);
    }
    // "Label: value", skipped when the value is empty.
    void field(const QString &label, const QString &value)
    {
        if (value.isEmpty())
            return;
        QTextCharFormat bold;
        bold.setFontWeight(QFont::Bold);
        block();
        m_cursor.insertText(label + QLatin1String(": "), bold);
        m_cursor.insertText(value, QTextCharFormat());
    }
    void heading(const QString &text)
    {
        block();
        m_cursor.insertBlock();
        QTextCharFormat bold;
        bold.setFontWeight(QFont::Bold);
        m_cursor.insertText(text, bold);
    }
    void paragraph(const QString &text, bool italic = false)
    {
        QTextCharFormat f;
        f.setFontItalic(italic);
        block();
        m_cursor.insertText(text, f);
    }

private:
    void block()
    {
        if (!m_first)
            m_cursor.insertBlock(QTextBlockFormat(), QTextCharFormat());
        m_first = false;
    }

    QTextCursor m_cursor;
    bool m_first = true;
};

QString relationText(const QString &relation)
{
    if (relation == QLatin1String("source"))
        return DocumentsView::tr("source document");
    if (relation == QLatin1String("cites"))
        return DocumentsView::tr("cites");
    if (relation == QLatin1String("related"))
        return DocumentsView::tr("related");
    return relation;
}

} // namespace

DocumentsView::DocumentsView(Library *library, QWidget *parent)
    : QWidget(parent)
    , m_library(library)
    , m_model(new DocumentTableModel(library, this))
    , m_search(new QLineEdit(this))
    , m_searchDelay(new QTimer(this))
    , m_count(new QLabel(this))
    , m_table(new QTableView(this))
    , m_fields(new QTextEdit(this))
    , m_bibtex(new QPlainTextEdit(this))
    , m_entries(new QTreeWidget(this))
    , m_mergeAction(new QAction(tr("&Merge Documents…"), this))
    , m_mergeButton(new QToolButton(this))
    , m_repository(&syntaxRepository())
    , m_highlighter(new KSyntaxHighlighting::SyntaxHighlighter(m_bibtex->document()))
{
    m_search->setPlaceholderText(tr("Search documents…"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search documents"));
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(200); // as the entry search: one query once typing pauses
    connect(m_search, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_searchDelay, &QTimer::timeout, this, &DocumentsView::applyFilter);

    m_table->setModel(m_model);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(DocumentTableModel::TitleColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    QHeaderView *header = m_table->horizontalHeader();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(DocumentTableModel::TitleColumn, QHeaderView::Stretch);
    header->resizeSection(DocumentTableModel::AuthorsColumn, 120);
    header->resizeSection(DocumentTableModel::YearColumn, 50);
    header->resizeSection(DocumentTableModel::VenueColumn, 110);
    header->resizeSection(DocumentTableModel::IdentifierColumn, 130);
    header->resizeSection(DocumentTableModel::EntriesColumn, 60);
    m_table->setAccessibleName(tr("Documents"));

    m_mergeAction->setToolTip(tr("Merge the two selected documents into one"));
    m_mergeAction->setEnabled(false);
    connect(m_mergeAction, &QAction::triggered, this, &DocumentsView::mergeSelected);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_table->addAction(m_mergeAction);
    m_mergeButton->setDefaultAction(m_mergeAction);
    m_mergeButton->setToolButtonStyle(Qt::ToolButtonTextOnly);

    m_fields->setReadOnly(true);
    m_fields->setAcceptRichText(false);
    m_fields->setUndoRedoEnabled(false);
    m_fields->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_fields->setAccessibleName(tr("Document details"));
    m_fields->setPlaceholderText(tr("Select a document to see its fields, its BibTeX and the entries that cite it."));

    m_bibtex->setReadOnly(true);
    m_bibtex->setUndoRedoEnabled(false);
    m_bibtex->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_bibtex->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_bibtex->setAccessibleName(tr("BibTeX"));
    // The theme before the definition, or the first pass paints with an invalid theme (PLATFORM.md).
    m_highlighter->setTheme(m_repository->themeForPalette(palette()));
    m_highlighter->setDefinition(m_repository->definitionForName(QStringLiteral("BibTeX")));

    m_entries->setColumnCount(2);
    m_entries->setHeaderLabels({tr("Entry"), tr("Link")});
    m_entries->setRootIsDecorated(false);
    m_entries->setUniformRowHeights(true);
    m_entries->setAlternatingRowColors(true);
    m_entries->header()->setStretchLastSection(false);
    m_entries->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_entries->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_entries->setAccessibleName(tr("Entries citing the document"));
    connect(m_entries, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        const qint64 id = item ? item->data(0, Qt::UserRole).toLongLong() : 0;
        if (id > 0)
            Q_EMIT entryActivated(id);
    });

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
        // An invalid current row (a reset, a document shown from elsewhere) leaves the details be.
        if (!current.isValid())
            return;
        const qint64 id = m_model->documentId(current.row());
        if (id != m_documentId)
            display(id);
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &DocumentsView::updateActions);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        updateCount();
        selectRow(m_documentId);
        updateActions();
    });
    if (m_library) {
        // The model reloads first (it connected first); then the fields are read again.
        connect(m_library, &Library::changed, this, [this] {
            if (m_documentId != 0)
                display(m_documentId);
        });
    }

    auto *list = new QWidget(this);
    auto *listLayout = new QVBoxLayout(list);
    listLayout->setContentsMargins(0, 0, 0, 0);
    auto *searchRow = new QHBoxLayout;
    searchRow->addWidget(m_search, 1);
    searchRow->addWidget(m_count);
    searchRow->addWidget(m_mergeButton);
    listLayout->addLayout(searchRow);
    listLayout->addWidget(m_table, 1);

    auto labelled = [this](const QString &title, QWidget *widget) {
        auto *box = new QWidget(this);
        auto *layout = new QVBoxLayout(box);
        layout->setContentsMargins(0, 0, 0, 0);
        auto *label = new QLabel(title, box);
        label->setTextFormat(Qt::PlainText);
        label->setBuddy(widget);
        layout->addWidget(label);
        layout->addWidget(widget, 1);
        return box;
    };
    auto *detail = new QSplitter(Qt::Vertical, this);
    detail->addWidget(m_fields);
    detail->addWidget(labelled(tr("BibTeX"), m_bibtex));
    detail->addWidget(labelled(tr("Entries citing it"), m_entries));
    detail->setStretchFactor(0, 3);
    detail->setStretchFactor(1, 2);
    detail->setStretchFactor(2, 2);

    auto *splitter = new QSplitter(this);
    splitter->addWidget(list);
    splitter->addWidget(detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    updateCount();
    display(0);
}

DocumentsView::~DocumentsView() = default;

void DocumentsView::setBibtexSource(BibtexSource source)
{
    m_bibtexSource = std::move(source);
    showBibtex(m_documentId);
}

void DocumentsView::setUndoStack(QUndoStack *stack)
{
    m_undoStack = stack;
}

void DocumentsView::showDocument(qint64 id)
{
    display(id);
    selectRow(m_documentId);
}

QString DocumentsView::detailText() const
{
    return m_fields->toPlainText();
}

QList<qint64> DocumentsView::selectedDocuments() const
{
    QModelIndexList rows = m_table->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex &a, const QModelIndex &b) {
        return a.row() < b.row();
    });
    QList<qint64> ids;
    for (const QModelIndex &row : std::as_const(rows)) {
        if (const qint64 id = m_model->documentId(row.row()); id > 0)
            ids.append(id);
    }
    return ids;
}

void DocumentsView::updateActions()
{
    m_mergeAction->setEnabled(m_library && m_library->isOpen() && selectedDocuments().size() == 2);
}

void DocumentsView::mergeSelected()
{
    const QList<qint64> ids = selectedDocuments();
    if (ids.size() != 2 || !m_library || !m_library->isOpen())
        return;
    auto documents = LibraryReader(m_library->database()).documents(ids);
    if (!documents || documents->size() != 2)
        return;

    // Titles are imported text: the box shows plain text, and a '&' in a button is no mnemonic.
    QMessageBox box(QMessageBox::Question, tr("Merge Documents"), QString(), QMessageBox::Cancel, this);
    box.setTextFormat(Qt::PlainText);
    QStringList described;
    QHash<QAbstractButton *, qint64> keep;
    for (const DocumentView &d : documents.value()) {
        const QString title = d.title.isEmpty() ? tr("(no title)") : d.title;
        described.append(d.year ? tr("%1 (%2)").arg(title, QString::number(*d.year)) : title);
        QString shortTitle = title.simplified();
        if (shortTitle.size() > 40)
            shortTitle = shortTitle.left(39) + QChar(0x2026);
        QPushButton *button = box.addButton(tr("Keep “%1”").arg(shortTitle.replace(QLatin1Char('&'), QLatin1String("&&"))), QMessageBox::AcceptRole);
        keep.insert(button, d.id);
        if (d.id == m_documentId || !box.defaultButton())
            box.setDefaultButton(button);
    }
    box.setText(tr("Merge these two documents into one?\n\n• %1\n• %2\n\n"
                   "The one you keep takes the other's entries, links, tags and classifications, and its empty fields are filled "
                   "from the other (fields you edited stay as they are). The other one is then removed.")
                    .arg(described.at(0), described.at(1)));
    box.exec();
    const qint64 kept = keep.value(box.clickedButton(), 0);
    if (kept == 0)
        return;
    mergeDocuments(kept, kept == documents->at(0).id ? documents->at(1).id : documents->at(0).id);
}

void DocumentsView::mergeDocuments(qint64 keepId, qint64 mergeId)
{
    if (!m_library || keepId <= 0 || mergeId <= 0 || keepId == mergeId)
        return;
    auto command = std::make_unique<MergeDocumentsCommand>(m_library, keepId, mergeId);
    QString error;
    if (m_undoStack) {
        m_undoStack->push(command.release());
    } else {
        command->redo();
        error = command->errorString();
    }
    // A failed step is dropped from the stack (and logged): the merged document is still there.
    if (EntryEditor(*m_library).documentTitle(mergeId)) {
        QMessageBox box(QMessageBox::Warning, tr("Merge Documents"), QString(), QMessageBox::Ok, this);
        box.setTextFormat(Qt::PlainText);
        box.setText(error.isEmpty() ? tr("The documents could not be merged.") : tr("The documents could not be merged: %1").arg(error));
        box.exec();
        return;
    }
    showDocument(keepId);
}

void DocumentsView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_highlighter) {
        // A light or dark palette gets a light or dark theme; setTheme alone does not repaint.
        m_highlighter->setTheme(m_repository->themeForPalette(palette()));
        m_highlighter->rehighlight();
    }
}

void DocumentsView::applyFilter()
{
    DocumentFilter filter = m_model->filter();
    filter.text = m_search->text();
    m_model->setFilter(filter);
}

void DocumentsView::updateCount()
{
    const QLocale locale;
    const QString count = locale.toString(m_model->totalCount());
    m_count->setText(m_model->filter().isEmpty() ? tr("%1 documents").arg(count) : tr("%1 matching").arg(count));
    m_count->setToolTip(m_model->errorString());
}

void DocumentsView::display(qint64 id)
{
    m_documentId = id;
    showFields(id);
    showBibtex(m_documentId);
    showEntries(m_documentId);
}

void DocumentsView::showFields(qint64 id)
{
    if (id == 0 || !m_library || !m_library->isOpen()) {
        m_fields->clear();
        m_documentId = 0;
        return;
    }
    auto documents = LibraryReader(m_library->database()).documents({id});
    if (!documents || documents->isEmpty()) {
        m_fields->clear();
        m_documentId = 0;
        if (!documents)
            FieldWriter(m_fields).paragraph(tr("The document could not be read: %1").arg(documents.error()), true);
        return;
    }
    const DocumentView &d = documents->first();
    FieldWriter writer(m_fields);
    writer.title(d.title.isEmpty() ? tr("(no title)") : d.title, d.title.isEmpty());
    writer.field(tr("Authors"), d.authors.join(QLatin1String("; ")));
    writer.field(tr("Year"), d.year ? QString::number(*d.year) : QString());
    writer.field(tr("Venue"), d.venue);
    writer.field(tr("Kind"), d.kind);
    writer.field(tr("DOI"), d.doi);
    writer.field(tr("arXiv"), d.arxivId);
    writer.field(tr("URL"), d.url);
    writer.field(tr("Citation key"), d.citationKey);
    writer.field(tr("Tags"), d.tags.join(QLatin1String(", ")));
    if (d.needsReview)
        writer.paragraph(tr("A field was inferred on import; it needs review."), true);
    if (!d.abstract.isEmpty()) {
        writer.heading(tr("Abstract"));
        writer.paragraph(d.abstract);
    }
    m_fields->moveCursor(QTextCursor::Start);
}

void DocumentsView::showBibtex(qint64 id)
{
    const QString text = id != 0 && m_bibtexSource ? m_bibtexSource(id) : QString();
    m_bibtex->setPlaceholderText(m_bibtexSource ? QString() : tr("BibTeX is not available here."));
    m_bibtex->setPlainText(text);
}

void DocumentsView::showEntries(qint64 id)
{
    m_entries->clear();
    if (id == 0)
        return;
    auto links = m_model->linkedEntries(id);
    if (!links) {
        m_entries->setToolTip(links.error());
        return;
    }
    m_entries->setToolTip(QString());
    QList<QTreeWidgetItem *> items;
    items.reserve(links->size());
    for (const DocumentEntryLink &link : links.value()) {
        QStringList relations;
        for (const QString &relation : link.relations)
            relations.append(relationText(relation));
        auto *item = new QTreeWidgetItem({link.name, relations.join(QLatin1String(", "))});
        item->setData(0, Qt::UserRole, link.entryId);
        item->setToolTip(0, link.name);
        items.append(item);
    }
    m_entries->addTopLevelItems(items);
}

void DocumentsView::selectRow(qint64 id)
{
    const int row = id == 0 ? -1 : m_model->rowOf(id);
    if (row < 0) {
        m_table->selectionModel()->clear();
        return;
    }
    const QModelIndex index = m_model->index(row, DocumentTableModel::TitleColumn);
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(index);
}

} // namespace Atlas

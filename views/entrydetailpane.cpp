#include "entrydetailpane.h"

#include "editcommands.h"
#include "entryeditor.h"
#include "library.h"
#include "libraryreader.h"
#include "sql.h"
#include "syntaxrepository.h"
#include "taxonomystore.h"

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>

#include <QAction>
#include <QComboBox>
#include <QCompleter>
#include <QDateTime>
#include <QFont>
#include <QHBoxLayout>
#include <QHash>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMouseEvent>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QSignalBlocker>
#include <QSplitter>
#include <QStringListModel>
#include <QTextCursor>
#include <QTextEdit>
#include <QTimer>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

namespace Atlas
{

namespace
{

constexpr int NodeIdRole = Qt::UserRole;
constexpr int TagPathRole = Qt::UserRole;
constexpr int PluginIdRole = Qt::UserRole;
// Notes are saved after this pause in typing (and on focus out), not per keystroke.
constexpr int NotesSaveDelayMs = 1500;

// Writes plain text with simple formats; no HTML is ever interpreted.
class Writer
{
public:
    explicit Writer(QTextEdit *edit) : m_cursor(edit->document())
    {
        edit->document()->clear();
        m_cursor = QTextCursor(edit->document());
    }

    void heading(const QString &text)
    {
        if (!m_first)
            m_cursor.insertBlock();
        QTextCharFormat f;
        f.setFontWeight(QFont::Bold);
        line(text, f);
    }
    void paragraph(const QString &text) { line(text, {}); }
    void muted(const QString &text)
    {
        QTextCharFormat f;
        f.setFontItalic(true);
        line(text, f);
    }
    void line(const QString &text, const QTextCharFormat &format)
    {
        if (!m_first)
            m_cursor.insertBlock();
        m_first = false;
        m_cursor.insertText(text, format);
    }

private:
    QTextCursor m_cursor;
    bool m_first = true;
};

// A tooltip is parsed as rich text when it looks like it, so imported text is escaped first.
QString plainToolTip(const QString &text)
{
    return QStringLiteral("<qt>%1</qt>").arg(text.toHtmlEscaped().replace(QLatin1Char('\n'), QLatin1String("<br>")));
}

QString elided(const QString &text, int length)
{
    const QString line = text.simplified();
    return line.size() <= length ? line : line.left(length - 1) + QChar(0x2026);
}

QString shownTime(const QString &iso)
{
    const QDateTime time = QDateTime::fromString(iso, Qt::ISODate);
    return time.isValid() ? QLocale().toString(time.toLocalTime(), QLocale::ShortFormat) : iso;
}

QString kindTitle(const QString &kind)
{
    if (kind == QLatin1String("import"))
        return EntryDetailPane::tr("import");
    if (kind == QLatin1String("classifier"))
        return EntryDetailPane::tr("classifier");
    if (kind == QLatin1String("curator"))
        return EntryDetailPane::tr("curator");
    if (kind == QLatin1String("rule"))
        return EntryDetailPane::tr("rule");
    return kind;
}

QString defaultCuratorName()
{
    for (const char *variable : {"USER", "USERNAME", "LOGNAME"}) {
        const QString name = qEnvironmentVariable(variable).simplified();
        if (!name.isEmpty())
            return name;
    }
    return EntryDetailPane::tr("curator");
}

QLabel *sectionLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setTextFormat(Qt::PlainText);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

} // namespace

EntryDetailPane::EntryDetailPane(Library *library, QWidget *parent)
    : QWidget(parent)
    , m_library(library)
    , m_curator(defaultCuratorName())
    , m_name(new QLineEdit(this))
    , m_editText(new QToolButton(this))
    , m_view(new QTextEdit(this))
    , m_textEditors(new QWidget(this))
    , m_editor(new QWidget(this))
    , m_classifications(new QListWidget(m_editor))
    , m_scheme(new QComboBox(m_editor))
    , m_node(new QComboBox(m_editor))
    , m_evidence(new QLineEdit(m_editor))
    , m_addClassification(new QPushButton(tr("&Classify"), m_editor))
    , m_removeClassification(new QPushButton(tr("Remove"), m_editor))
    , m_tags(new QListWidget(m_editor))
    , m_tagField(new QLineEdit(m_editor))
    , m_tagPaths(new QStringListModel(this))
    , m_removeTag(new QPushButton(tr("Remove"), m_editor))
    , m_notes(new QPlainTextEdit(m_editor))
    , m_demos(new QListWidget(m_editor))
    , m_demoChoice(new QComboBox(m_editor))
    , m_linkDemo(new QPushButton(tr("&Link Demo"), m_editor))
    , m_unlinkDemo(new QPushButton(tr("Remove"), m_editor))
    , m_runDemo(new QPushButton(tr("R&un…"), m_editor))
    , m_notesDelay(new QTimer(this))
    , m_repository(&syntaxRepository())
    , m_highlighter(new KSyntaxHighlighting::SyntaxHighlighter(m_notes->document()))
{
    QFont titleFont = m_name->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    m_name->setFont(titleFont);
    m_name->setFrame(false);
    m_name->setAccessibleName(tr("Entry name"));
    m_name->setToolTip(tr("The entry's name; edit it and press Enter to rename"));
    connect(m_name, &QLineEdit::editingFinished, this, &EntryDetailPane::commitName);

    m_view->setReadOnly(true);
    m_view->setAcceptRichText(false);
    m_view->setUndoRedoEnabled(false);
    m_view->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_view->setAccessibleName(tr("Entry details"));
    m_view->setPlaceholderText(tr("Select an entry to see its text, classifications and source."));
    m_view->viewport()->installEventFilter(this); // a double-click edits the text

    // Text and reasoning: shown in the view, edited as plain text once editing is turned on.
    m_editText->setText(tr("Edit Text"));
    m_editText->setCheckable(true);
    m_editText->setToolTip(tr("Edit the entry's text and reasoning (or double-click them)"));
    connect(m_editText, &QToolButton::toggled, this, &EntryDetailPane::setTextEditing);
    const QString editHint = tr("Saved when you leave the field or press Ctrl+Enter; Escape cancels");
    auto *textEdit = new QPlainTextEdit(m_textEditors);
    textEdit->setAccessibleName(tr("Text"));
    textEdit->setPlaceholderText(tr("The entry's text…"));
    textEdit->setToolTip(editHint);
    setUpFieldEditor(m_textField, EntryField::Text, textEdit);
    auto *reasoningEdit = new QPlainTextEdit(m_textEditors);
    reasoningEdit->setAccessibleName(tr("Reasoning"));
    reasoningEdit->setPlaceholderText(tr("The reasoning behind the entry…"));
    reasoningEdit->setToolTip(editHint);
    setUpFieldEditor(m_reasoningField, EntryField::Reasoning, reasoningEdit);
    auto *textEditorsLayout = new QVBoxLayout(m_textEditors);
    textEditorsLayout->setContentsMargins(0, 0, 0, 0);
    textEditorsLayout->addWidget(sectionLabel(tr("Text"), m_textEditors));
    textEditorsLayout->addWidget(textEdit, 2);
    textEditorsLayout->addWidget(sectionLabel(tr("Reasoning"), m_textEditors));
    textEditorsLayout->addWidget(reasoningEdit, 1);
    m_textEditors->hide();

    // Classifications with their provenance.
    m_classifications->setAccessibleName(tr("Classifications"));
    m_classifications->setWordWrap(true);
    m_classifications->setAlternatingRowColors(true);
    setUpRemovableList(m_classifications, m_removeClassification, tr("Remove Classification"), &EntryDetailPane::removeSelectedClassification);
    m_removeClassification->setAccessibleName(tr("Remove classification"));
    m_removeClassification->setToolTip(tr("Remove the selected classification (Delete)"));

    m_scheme->setAccessibleName(tr("Taxonomy scheme"));
    m_scheme->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_scheme->setMinimumContentsLength(12);
    connect(m_scheme, &QComboBox::currentIndexChanged, this, &EntryDetailPane::fillNodes);
    m_node->setAccessibleName(tr("Taxonomy node"));
    m_node->setEditable(true);
    m_node->setInsertPolicy(QComboBox::NoInsert);
    m_node->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_node->setMinimumContentsLength(16);
    m_node->lineEdit()->setPlaceholderText(tr("Code or name…"));
    m_node->completer()->setCompletionMode(QCompleter::PopupCompletion);
    m_node->completer()->setFilterMode(Qt::MatchContains);
    m_node->completer()->setCaseSensitivity(Qt::CaseInsensitive);
    connect(m_node->lineEdit(), &QLineEdit::returnPressed, this, &EntryDetailPane::addSelectedNode);
    m_evidence->setPlaceholderText(tr("Evidence (optional)"));
    m_evidence->setAccessibleName(tr("Evidence"));
    connect(m_evidence, &QLineEdit::returnPressed, this, &EntryDetailPane::addSelectedNode);
    m_addClassification->setToolTip(tr("Classify the entry at the chosen node, as assigned by you"));
    connect(m_addClassification, &QPushButton::clicked, this, &EntryDetailPane::addSelectedNode);

    // Tags as removable items, and a field to add one.
    m_tags->setAccessibleName(tr("Tags"));
    m_tags->setFlow(QListView::LeftToRight);
    m_tags->setWrapping(true);
    m_tags->setResizeMode(QListView::Adjust);
    m_tags->setSpacing(3);
    m_tags->setMaximumHeight(m_tags->fontMetrics().height() * 4);
    setUpRemovableList(m_tags, m_removeTag, tr("Remove Tag"), &EntryDetailPane::removeSelectedTag);
    m_removeTag->setAccessibleName(tr("Remove tag"));
    m_removeTag->setToolTip(tr("Remove the selected tag (Delete)"));
    m_tagField->setAccessibleName(tr("Add tag"));
    m_tagField->setClearButtonEnabled(true);
    auto *completer = new QCompleter(m_tagPaths, m_tagField);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    completer->setCompletionMode(QCompleter::PopupCompletion);
    m_tagField->setCompleter(completer);
    connect(m_tagField, &QLineEdit::returnPressed, this, &EntryDetailPane::addTagFromField);

    // Notes: Markdown, highlighted; saved as one edit after a pause or on focus out.
    m_notes->setAccessibleName(tr("Notes"));
    m_notes->setPlaceholderText(tr("Your notes on this entry (Markdown)…"));
    setUpFieldEditor(m_notesField, EntryField::Notes, m_notes);
    m_notesDelay->setSingleShot(true);
    m_notesDelay->setInterval(NotesSaveDelayMs);
    connect(m_notesDelay, &QTimer::timeout, this, &EntryDetailPane::saveNotes);
    connect(m_notes, &QPlainTextEdit::textChanged, this, [this] {
        if (m_notesField.dirty) // typed, not loaded
            m_notesDelay->start();
    });
    // The theme before the definition, or the first pass paints with an invalid theme.
    applyTheme();
    m_highlighter->setDefinition(m_repository->definitionForName(QStringLiteral("Markdown")));
    m_highlighter->rehighlight();

    // Demos: the plugins linked to the entry (by their codes or by hand), run from here.
    m_demos->setAccessibleName(tr("Demos"));
    m_demos->setMaximumHeight(m_demos->fontMetrics().height() * 5);
    setUpRemovableList(m_demos, m_unlinkDemo, tr("Remove Demo Link"), &EntryDetailPane::removeSelectedDemo);
    connect(m_demos, &QListWidget::itemActivated, this, &EntryDetailPane::runSelectedDemo);
    m_unlinkDemo->setAccessibleName(tr("Remove demo link"));
    m_unlinkDemo->setToolTip(tr("Remove the selected demo from this entry (Delete); automatic linking will not bring it back"));
    m_runDemo->setToolTip(tr("Open the run panel of the selected demo (Enter or double-click)"));
    connect(m_runDemo, &QPushButton::clicked, this, &EntryDetailPane::runSelectedDemo);
    m_demoChoice->setAccessibleName(tr("Demo to link"));
    m_demoChoice->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_demoChoice->setMinimumContentsLength(14);
    m_linkDemo->setToolTip(tr("Link the chosen demo to this entry by hand"));
    connect(m_linkDemo, &QPushButton::clicked, this, [this] {
        linkDemo(m_demoChoice->currentData().toString());
    });

    auto *classifyRow = new QHBoxLayout;
    classifyRow->addWidget(m_scheme);
    classifyRow->addWidget(m_node, 1);
    auto *evidenceRow = new QHBoxLayout;
    evidenceRow->addWidget(m_evidence, 1);
    evidenceRow->addWidget(m_addClassification);
    evidenceRow->addWidget(m_removeClassification);
    auto *tagRow = new QHBoxLayout;
    tagRow->addWidget(m_tagField, 1);
    tagRow->addWidget(m_removeTag);

    auto *editorLayout = new QVBoxLayout(m_editor);
    editorLayout->setContentsMargins(0, 0, 0, 0);
    editorLayout->addWidget(sectionLabel(tr("Classifications"), m_editor));
    editorLayout->addWidget(m_classifications, 2);
    editorLayout->addLayout(classifyRow);
    editorLayout->addLayout(evidenceRow);
    editorLayout->addWidget(sectionLabel(tr("Tags"), m_editor));
    editorLayout->addWidget(m_tags);
    editorLayout->addLayout(tagRow);
    editorLayout->addWidget(sectionLabel(tr("Demos"), m_editor));
    editorLayout->addWidget(m_demos);
    auto *demoRow = new QHBoxLayout;
    demoRow->addWidget(m_runDemo);
    demoRow->addWidget(m_unlinkDemo);
    demoRow->addStretch(1);
    demoRow->addWidget(m_demoChoice, 1);
    demoRow->addWidget(m_linkDemo);
    editorLayout->addLayout(demoRow);
    editorLayout->addWidget(sectionLabel(tr("Notes"), m_editor));
    editorLayout->addWidget(m_notes, 2);

    auto *text = new QWidget(this);
    auto *textLayout = new QVBoxLayout(text);
    textLayout->setContentsMargins(0, 0, 0, 0);
    textLayout->addWidget(m_view, 1);
    textLayout->addWidget(m_textEditors, 3);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(text);
    splitter->addWidget(m_editor);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *nameRow = new QHBoxLayout;
    nameRow->addWidget(m_name, 1);
    nameRow->addWidget(m_editText);
    layout->addLayout(nameRow);
    layout->addWidget(splitter, 1);

    if (m_library) {
        connect(m_library, &Library::changed, this, [this] {
            refresh();
            if (!m_node->hasFocus())
                fillNodes();
        });
    }
    setSelectedEntries({});
    refresh();
}

EntryDetailPane::~EntryDetailPane()
{
    // Last chance for typed text (hideEvent() normally saved it already). Written directly:
    // the windows around the pane may be half torn down by now, so no view is notified and no
    // undo step is made.
    m_notesDelay->stop();
    for (const FieldEditor *field : {&m_notesField, &m_textField, &m_reasoningField}) {
        const QString typed = field->editor->toPlainText();
        if (!field->dirty || field->entryId == 0 || !m_library || !m_library->isOpen() || typed == field->stored)
            continue;
        auto saved = EntryEditor(m_library->database()).setField(field->entryId, field->field, typed);
        if (!saved)
            qWarning("The %s of entry %lld was not saved: %s", qPrintable(entryFieldColumn(field->field)), field->entryId, qPrintable(saved.error()));
    }
    // The children go after this body; an editor losing the focus then must not call back into
    // a pane that is already gone (UBSan caught commitName() called from QLineEdit's focus out).
    const QList<QObject *> children = findChildren<QObject *>();
    for (QObject *child : children) {
        child->removeEventFilter(this);
        child->disconnect(this);
    }
}

void EntryDetailPane::setUndoStack(QUndoStack *stack)
{
    m_undoStack = stack;
}

void EntryDetailPane::setCuratorName(const QString &name)
{
    const QString simplified = name.simplified();
    m_curator = simplified.isEmpty() ? defaultCuratorName() : simplified;
}

void EntryDetailPane::setSelectedEntries(const QList<qint64> &entryIds)
{
    m_selection = entryIds;
    const qsizetype targets = tagTargets().size();
    m_tagField->setPlaceholderText(
        targets > 1 ? tr("Add a tag to the %n selected entries (Enter)…", nullptr, int(targets)) : tr("Add a tag, e.g. Reviewed or Priority > High (Enter)…"));
}

QList<qint64> EntryDetailPane::tagTargets() const
{
    if (m_entryId == 0)
        return {};
    if (m_selection.size() > 1 && m_selection.contains(m_entryId))
        return m_selection;
    return {m_entryId};
}

QString EntryDetailPane::plainText() const
{
    if (m_entryId == 0 || !m_editor->isVisibleTo(this))
        return m_view->toPlainText();
    QStringList parts {m_name->text(), m_view->toPlainText()};
    if (m_textEditing)
        parts << tr("Text") << m_textField.editor->toPlainText() << tr("Reasoning") << m_reasoningField.editor->toPlainText();
    parts.append(tr("Classifications"));
    for (int i = 0; i < m_classifications->count(); ++i)
        parts.append(m_classifications->item(i)->text());
    if (m_tags->count() > 0) {
        QStringList tags;
        for (int i = 0; i < m_tags->count(); ++i)
            tags.append(m_tags->item(i)->text());
        parts.append(tr("Tags"));
        parts.append(tags.join(QLatin1String(", ")));
    }
    if (!m_notes->toPlainText().isEmpty()) {
        parts.append(tr("Notes"));
        parts.append(m_notes->toPlainText());
    }
    return parts.join(QLatin1Char('\n'));
}

void EntryDetailPane::showEntry(qint64 entryId)
{
    // The new entry first: saving notifies the library's views, which ask which entry is shown.
    // What was typed is saved for the entry it was typed for.
    m_entryId = entryId;
    if (m_nameEntry != entryId)
        commitName();
    if (m_notesField.entryId != entryId)
        saveNotes();
    for (FieldEditor *field : {&m_textField, &m_reasoningField}) {
        if (field->entryId != entryId)
            saveField(*field);
    }
    setSelectedEntries(m_selection);
    refresh();
}

void EntryDetailPane::refresh()
{
    const bool open = m_library && m_library->isOpen();
    if (open && m_schemesOf != m_library->path())
        fillSchemes();

    std::optional<EntryView> entry;
    QString problem;
    if (open && m_entryId != 0) {
        auto entries = LibraryReader(m_library->database()).entries({m_entryId});
        if (!entries)
            problem = entries.error();
        else if (entries->isEmpty())
            problem = tr("This entry no longer exists.");
        else
            entry = entries->first();
    }
    m_name->setVisible(entry.has_value());
    m_editText->setVisible(entry.has_value());
    m_editor->setVisible(entry.has_value());
    m_textEditors->setVisible(entry.has_value() && m_textEditing);
    m_reasoningFrom = m_reasoningTo = -1;
    if (!entry) {
        m_nameEntry = 0;
        m_name->clear();
        m_classifications->clear();
        m_tags->clear();
        m_demos->clear();
        m_notesDelay->stop();
        for (FieldEditor *field : {&m_notesField, &m_textField, &m_reasoningField})
            clearField(*field);
        m_view->show();
        if (problem.isEmpty())
            m_view->clear();
        else
            Writer(m_view).muted(problem);
        updateButtons();
        return;
    }
    const EntryView &e = *entry;

    // A name being typed for this entry is kept; anything else shows what is stored.
    if (m_nameEntry != m_entryId || !(m_name->hasFocus() && m_name->isModified())) {
        m_nameEntry = m_entryId;
        m_name->setText(e.name);
        m_name->setCursorPosition(0);
    }

    Writer out(m_view);
    QStringList flags;
    if (e.listingOnly)
        flags.append(tr("known only from another page's listing"));
    if (e.needsReview)
        flags.append(tr("needs review: a field was inferred"));
    if (!e.parentName.isEmpty())
        out.muted(tr("Under: %1").arg(e.parentName));
    if (!flags.isEmpty())
        out.muted(flags.join(QLatin1String(" · ")));
    // While they are edited, the text and reasoning are in their editors only.
    if (!m_textEditing && !e.text.isEmpty()) {
        out.heading(tr("Text"));
        out.paragraph(e.text);
    }
    if (!m_textEditing && !e.reasoning.isEmpty()) {
        m_reasoningFrom = m_view->document()->isEmpty() ? 0 : m_view->document()->blockCount();
        out.heading(tr("Reasoning"));
        out.paragraph(e.reasoning);
        m_reasoningTo = m_view->document()->blockCount();
    }
    if (e.documentId != 0) {
        out.heading(tr("Source document"));
        auto documents = LibraryReader(m_library->database()).documents({e.documentId});
        if (documents && !documents->isEmpty()) {
            const DocumentView &d = documents->first();
            out.paragraph(d.title.isEmpty() ? tr("(untitled)") : d.title);
            QStringList facts;
            if (!d.authors.isEmpty())
                facts.append(d.authors.join(QLatin1String("; ")));
            if (d.year)
                facts.append(QString::number(*d.year));
            if (!d.venue.isEmpty())
                facts.append(d.venue);
            if (!facts.isEmpty())
                out.muted(facts.join(QLatin1String(" · ")));
            for (const QString &link : {d.doi.isEmpty() ? QString() : QStringLiteral("https://doi.org/") + d.doi,
                     d.arxivId.isEmpty() ? QString() : QStringLiteral("arXiv:") + d.arxivId, d.url}) {
                if (!link.isEmpty())
                    out.paragraph(link);
            }
        }
    }
    // Papers the entry cites or relates to, beside its source.
    if (auto linked = Sql::exec(m_library->database(),
            QStringLiteral("SELECT ifnull(nullif(d.title, ''), substr(d.abstract, 1, 80)), d.year, l.relation FROM entry_document l "
                           "JOIN document d ON d.id = l.document_id WHERE l.entry_id = ? AND l.document_id IS NOT ? ORDER BY l.relation, d.year, d.title"),
            {m_entryId, e.documentId ? QVariant(e.documentId) : QVariant(QMetaType::fromType<qint64>())});
        linked) {
        bool first = true;
        while (linked.value().next()) {
            if (first)
                out.heading(tr("Linked papers"));
            first = false;
            const QVariant year = linked.value().value(1);
            out.paragraph(tr("%1%2 (%3)")
                              .arg(linked.value().value(0).toString(), year.isNull() ? QString() : QStringLiteral(", ") + year.toString(),
                                  linked.value().value(2).toString()));
        }
    }
    m_view->moveCursor(QTextCursor::Start);
    m_view->setVisible(!m_textEditing || !m_view->document()->isEmpty());
    loadField(m_textField, e.text);
    loadField(m_reasoningField, e.reasoning);

    showClassifications();

    const QStringList selectedTag = m_tags->currentItem() ? m_tags->currentItem()->data(TagPathRole).toStringList() : QStringList();
    m_tags->clear();
    for (const QStringList &path : e.tagPaths) {
        auto *item = new QListWidgetItem(EntryEditor::joinTagPath(path), m_tags);
        item->setData(TagPathRole, path);
        item->setToolTip(plainToolTip(tr("%1 (Delete removes it)").arg(item->text())));
        if (path == selectedTag)
            m_tags->setCurrentItem(item);
    }
    if (auto paths = EntryEditor(m_library->database()).tagPaths(); paths && paths.value() != m_tagPaths->stringList())
        m_tagPaths->setStringList(paths.value());

    showDemos();

    if (loadField(m_notesField, e.notes))
        m_notesDelay->stop();
    updateButtons();
}

void EntryDetailPane::setPlugins(const QList<PluginInfo> &plugins)
{
    m_plugins = plugins;
    refresh();
}

void EntryDetailPane::showDemos()
{
    const QString selected = m_demos->currentItem() ? m_demos->currentItem()->data(PluginIdRole).toString() : QString();
    m_demos->clear();
    QStringList linked;
    auto links = Sql::exec(m_library->database(),
        QStringLiteral("SELECT plugin_id, origin FROM plugin_link WHERE entry_id = ? AND state = 'linked' ORDER BY plugin_id"), {m_entryId});
    if (!links) {
        m_demos->addItem(tr("The demos cannot be read: %1").arg(links.error()));
    } else {
        while (links.value().next()) {
            const QString id = links.value().value(0).toString();
            const bool automatic = links.value().value(1).toString() == QLatin1String("auto");
            linked.append(id);
            const PluginInfo *plugin = nullptr;
            for (const PluginInfo &candidate : std::as_const(m_plugins)) {
                if (candidate.id == id && candidate.state != PluginInfo::State::Duplicate)
                    plugin = &candidate;
            }
            const QString how = automatic ? tr("linked by its codes") : tr("linked by a curator");
            QString text = plugin && !plugin->name.isEmpty() ? tr("%1 — %2 (%3)").arg(plugin->name, id, how) : tr("%1 (%2)").arg(id, how);
            if (!plugin)
                text += tr(" — not installed");
            else if (!plugin->isReady())
                text += tr(" — cannot run: %1").arg(plugin->reason());
            auto *item = new QListWidgetItem(text, m_demos);
            item->setData(PluginIdRole, id);
            item->setToolTip(plainToolTip(plugin ? plugin->description : tr("No plugin with this id was found in the plugin folders.")));
            if (id == selected)
                m_demos->setCurrentItem(item);
        }
    }
    if (m_demos->count() == 0 && links)
        m_demos->addItem(tr("No runnable demonstration is linked to this entry."));
    if (!m_demos->currentItem() && m_demos->count() > 0 && !m_demos->item(0)->data(PluginIdRole).toString().isEmpty())
        m_demos->setCurrentRow(0);

    const QString chosen = m_demoChoice->currentData().toString();
    m_demoChoice->clear();
    for (const PluginInfo &plugin : std::as_const(m_plugins)) {
        if (plugin.isReady() && !linked.contains(plugin.id))
            m_demoChoice->addItem(plugin.name.isEmpty() ? plugin.id : tr("%1 (%2)").arg(plugin.name, plugin.id), plugin.id);
    }
    if (const int index = m_demoChoice->findData(chosen); index >= 0)
        m_demoChoice->setCurrentIndex(index);
}

void EntryDetailPane::linkDemo(const QString &pluginId)
{
    if (pluginId.isEmpty() || m_entryId == 0 || !m_library)
        return;
    run(std::make_unique<SetPluginLinkCommand>(m_library, m_entryId, pluginId, true));
}

void EntryDetailPane::unlinkDemo(const QString &pluginId)
{
    if (pluginId.isEmpty() || m_entryId == 0 || !m_library)
        return;
    run(std::make_unique<SetPluginLinkCommand>(m_library, m_entryId, pluginId, false));
}

void EntryDetailPane::removeSelectedDemo()
{
    QListWidgetItem *item = m_demos->currentItem();
    if (item && item->isSelected())
        unlinkDemo(item->data(PluginIdRole).toString());
}

void EntryDetailPane::runSelectedDemo()
{
    QListWidgetItem *item = m_demos->currentItem();
    const QString id = item ? item->data(PluginIdRole).toString() : QString();
    if (!id.isEmpty() && m_entryId != 0)
        Q_EMIT runDemoRequested(m_entryId, id);
}

void EntryDetailPane::showClassifications()
{
    const qint64 selected = m_classifications->currentItem() ? m_classifications->currentItem()->data(NodeIdRole).toLongLong() : 0;
    m_classifications->clear();
    auto classifications = EntryEditor(m_library->database()).classifications(m_entryId);
    if (!classifications) {
        auto *item = new QListWidgetItem(classifications.error(), m_classifications);
        item->setFlags(Qt::NoItemFlags);
        return;
    }
    if (classifications->isEmpty()) {
        auto *item = new QListWidgetItem(tr("none yet"), m_classifications);
        item->setFlags(Qt::NoItemFlags);
        return;
    }
    const QLocale locale;
    for (const EntryClassification &c : classifications.value()) {
        const ClassificationRow &row = c.row;
        const QString label = c.code.isEmpty() ? c.path.join(QLatin1String(" › ")) : c.code + QLatin1Char(' ') + c.name;
        QString provenance = tr("by %1 (%2), %3").arg(row.assignedBy, kindTitle(row.assignedByKind), shownTime(row.assignedAt));
        QString details = tr("Scheme: %1 (%2)\nNode: %3\nPath: %4\nAssigned by: %5 (%6)\nWhen: %7")
                              .arg(c.schemeName, c.schemeKey, label, c.path.join(QLatin1String(" › ")), row.assignedBy, kindTitle(row.assignedByKind),
                                  shownTime(row.assignedAt));
        if (row.confidence) {
            provenance += tr(", confidence %1").arg(locale.toString(*row.confidence, 'f', 2));
            details += tr("\nConfidence: %1").arg(locale.toString(*row.confidence, 'f', 2));
        }
        if (row.evidence && !row.evidence->isEmpty()) {
            provenance += tr(" — evidence: %1").arg(elided(*row.evidence, 100));
            details += tr("\nEvidence: %1").arg(*row.evidence);
        }
        auto *item = new QListWidgetItem(QStringLiteral("%1: %2\n    %3").arg(c.schemeName, label, provenance), m_classifications);
        item->setData(NodeIdRole, row.nodeId);
        item->setToolTip(plainToolTip(details));
        if (row.nodeId == selected)
            m_classifications->setCurrentItem(item);
    }
}

void EntryDetailPane::fillSchemes()
{
    m_schemesOf = m_library->path();
    const QVariant previous = m_scheme->currentData();
    {
        const QSignalBlocker blocker(m_scheme);
        m_scheme->clear();
        auto schemes = TaxonomyStore(m_library->database()).schemes();
        if (!schemes) {
            qWarning("The taxonomy schemes cannot be read: %s", qPrintable(schemes.error()));
        } else {
            for (const Scheme &scheme : schemes.value()) {
                m_scheme->addItem(scheme.name, scheme.id);
                m_scheme->setItemData(m_scheme->count() - 1, plainToolTip(tr("%1 — %2").arg(dimensionTitle(scheme.dimension), scheme.key)), Qt::ToolTipRole);
            }
        }
        int index = previous.isValid() ? m_scheme->findData(previous) : -1;
        if (index < 0) {
            // The mitigation taxonomy is what entries are classified by most.
            auto preferred = TaxonomyStore(m_library->database()).scheme(QStringLiteral("mit-mitigation-v2"));
            index = preferred ? m_scheme->findData(preferred->id) : -1;
        }
        m_scheme->setCurrentIndex(index >= 0 ? index : 0);
    }
    fillNodes();
}

void EntryDetailPane::fillNodes()
{
    const QVariant previous = m_node->currentIndex() >= 0 ? m_node->currentData() : QVariant();
    const QSignalBlocker blocker(m_node);
    m_node->clear();
    if (m_library && m_library->isOpen() && m_scheme->currentIndex() >= 0) {
        auto nodes = TaxonomyStore(m_library->database()).nodes(m_scheme->currentData().toLongLong());
        if (!nodes) {
            qWarning("The taxonomy nodes cannot be read: %s", qPrintable(nodes.error()));
        } else {
            // Tree order: each node after its parent, siblings by position (the order nodes() gives).
            QHash<qint64, QList<const TaxonomyNode *>> children;
            QHash<qint64, const TaxonomyNode *> byId;
            for (const TaxonomyNode &node : nodes.value())
                byId.insert(node.id, &node);
            for (const TaxonomyNode &node : nodes.value())
                children[node.parentId && byId.contains(*node.parentId) ? *node.parentId : 0].append(&node);
            struct Pending {
                const TaxonomyNode *node;
                QStringList path;
            };
            QList<Pending> stack;
            const QList<const TaxonomyNode *> roots = children.value(0);
            for (auto it = roots.crbegin(); it != roots.crend(); ++it)
                stack.append(Pending {*it, {}});
            while (!stack.isEmpty()) {
                const Pending next = stack.takeLast();
                QStringList path = next.path;
                path.append(next.node->name);
                // Coded nodes are known by their code; the others by their path, which is unique.
                m_node->addItem(next.node->code.isEmpty() ? path.join(QLatin1String(" › ")) : next.node->label(), next.node->id);
                QString tip = path.join(QLatin1String(" › "));
                if (next.node->provisional)
                    tip += tr(" (provisional)");
                m_node->setItemData(m_node->count() - 1, plainToolTip(tip), Qt::ToolTipRole);
                const QList<const TaxonomyNode *> below = children.value(next.node->id);
                for (auto it = below.crbegin(); it != below.crend(); ++it)
                    stack.append(Pending {*it, path});
            }
        }
    }
    m_node->setCurrentIndex(previous.isValid() ? m_node->findData(previous) : -1);
    updateButtons();
}

void EntryDetailPane::updateButtons()
{
    m_removeClassification->setEnabled(m_classifications->currentItem() && m_classifications->currentItem()->isSelected());
    m_addClassification->setEnabled(m_node->count() > 0);
    m_removeTag->setEnabled(m_tags->currentItem() && m_tags->currentItem()->isSelected());
    const QString demo = m_demos->currentItem() ? m_demos->currentItem()->data(PluginIdRole).toString() : QString();
    bool runnable = false;
    for (const PluginInfo &plugin : std::as_const(m_plugins))
        runnable = runnable || (plugin.id == demo && plugin.isReady());
    m_runDemo->setEnabled(runnable);
    m_unlinkDemo->setEnabled(!demo.isEmpty() && m_demos->currentItem()->isSelected());
    m_linkDemo->setEnabled(m_demoChoice->count() > 0);
    m_demoChoice->setEnabled(m_demoChoice->count() > 0);
}

void EntryDetailPane::applyTheme()
{
    m_highlighter->setTheme(m_repository->themeForPalette(palette()));
    m_highlighter->rehighlight();
}

void EntryDetailPane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        applyTheme();
    QWidget::changeEvent(event);
}

void EntryDetailPane::hideEvent(QHideEvent *event)
{
    saveNotes();
    saveField(m_textField);
    saveField(m_reasoningField);
    QWidget::hideEvent(event);
}

bool EntryDetailPane::eventFilter(QObject *watched, QEvent *event)
{
    FieldEditor *textField = textFieldOf(watched);
    if (watched == m_notes && event->type() == QEvent::FocusOut) {
        saveNotes();
    } else if (textField && event->type() == QEvent::FocusOut) {
        saveField(*textField);
    } else if (textField && (event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress)) {
        // Escape and Ctrl+Enter belong to the editor, not to a window shortcut.
        const auto *key = static_cast<QKeyEvent *>(event);
        const bool cancel = key->key() == Qt::Key_Escape && key->modifiers() == Qt::NoModifier;
        const bool finish = (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) && key->modifiers().testFlag(Qt::ControlModifier);
        if (cancel || finish) {
            event->accept();
            if (event->type() == QEvent::KeyPress) {
                if (cancel)
                    cancelTextEditing();
                else
                    finishTextEditing(*textField);
            }
            return true;
        }
    } else if (watched == m_view->viewport() && event->type() == QEvent::MouseButtonDblClick && m_entryId != 0 && !m_textEditing) {
        const QPoint at = static_cast<QMouseEvent *>(event)->position().toPoint();
        const int block = m_view->cursorForPosition(at).blockNumber();
        FieldEditor &field = block >= m_reasoningFrom && block < m_reasoningTo ? m_reasoningField : m_textField;
        setTextEditing(true);
        field.editor->setFocus();
        field.editor->moveCursor(QTextCursor::End);
        return true;
    } else if (event->type() == QEvent::KeyPress && (watched == m_classifications || watched == m_tags || watched == m_demos)) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Delete || key->key() == Qt::Key_Backspace) {
            if (watched == m_classifications)
                removeSelectedClassification();
            else if (watched == m_demos)
                removeSelectedDemo();
            else
                removeSelectedTag();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

// ---------------------------------------------------------------- edits

void EntryDetailPane::run(std::unique_ptr<QUndoCommand> command)
{
    if (m_undoStack) {
        m_undoStack->push(command.release());
        return;
    }
    command->redo();
}

void EntryDetailPane::commitName()
{
    const qint64 entryId = m_nameEntry;
    if (entryId == 0 || !m_library || !m_name->isModified())
        return;
    m_name->setModified(false);
    auto stored = EntryEditor(*m_library).entryName(entryId);
    if (!stored)
        return;
    const QString name = m_name->text().simplified();
    if (name.isEmpty() || name == stored.value()) {
        m_name->setText(stored.value()); // a blank name is not allowed
        m_name->setCursorPosition(0);
        return;
    }
    run(std::make_unique<SetEntryFieldCommand>(m_library, entryId, EntryField::Name, name));
}

void EntryDetailPane::saveNotes()
{
    m_notesDelay->stop();
    saveField(m_notesField);
}

void EntryDetailPane::setUpRemovableList(QListWidget *list, QPushButton *button, const QString &actionText, void (EntryDetailPane::*remove)())
{
    list->setSelectionMode(QAbstractItemView::SingleSelection);
    list->setContextMenuPolicy(Qt::ActionsContextMenu);
    list->installEventFilter(this); // Delete and Backspace remove too
    auto *action = new QAction(actionText, list);
    list->addAction(action);
    connect(action, &QAction::triggered, this, remove);
    connect(list, &QListWidget::itemSelectionChanged, this, &EntryDetailPane::updateButtons);
    connect(button, &QPushButton::clicked, this, remove);
}

void EntryDetailPane::setUpFieldEditor(FieldEditor &field, EntryField which, QPlainTextEdit *editor)
{
    field.field = which;
    field.editor = editor;
    editor->setTabChangesFocus(true);
    editor->installEventFilter(this);
    connect(editor, &QPlainTextEdit::textChanged, this, [this, &field] {
        if (!m_loadingField)
            field.dirty = true;
    });
}

bool EntryDetailPane::loadField(FieldEditor &field, const QString &stored)
{
    const bool load = field.entryId != m_entryId || !field.dirty;
    if (load) {
        field.entryId = m_entryId;
        field.dirty = false;
        if (field.editor->toPlainText() != stored) {
            const QScopedValueRollback loading(m_loadingField, true);
            field.editor->setPlainText(stored);
        }
    }
    field.stored = stored;
    return load;
}

void EntryDetailPane::clearField(FieldEditor &field)
{
    field.entryId = 0;
    field.dirty = false;
    field.stored.clear();
    const QScopedValueRollback loading(m_loadingField, true);
    field.editor->clear();
}

void EntryDetailPane::saveField(FieldEditor &field)
{
    if (!field.dirty || field.entryId == 0 || !m_library)
        return;
    field.dirty = false;
    const QString typed = field.editor->toPlainText();
    if (typed == field.stored)
        return;
    run(std::make_unique<SetEntryFieldCommand>(m_library, field.entryId, field.field, typed));
}

EntryDetailPane::FieldEditor *EntryDetailPane::textFieldOf(const QObject *editor)
{
    if (editor == m_textField.editor)
        return &m_textField;
    if (editor == m_reasoningField.editor)
        return &m_reasoningField;
    return nullptr;
}

void EntryDetailPane::setTextEditing(bool editing)
{
    if (editing == m_textEditing)
        return;
    // Saved before the editors hide: losing focus then finds nothing left to save.
    if (!editing) {
        saveField(m_textField);
        saveField(m_reasoningField);
    }
    m_textEditing = editing;
    {
        const QSignalBlocker blocker(m_editText);
        m_editText->setChecked(editing);
    }
    refresh();
    if (editing && m_textEditors->isVisible() && !m_textField.editor->hasFocus() && !m_reasoningField.editor->hasFocus())
        m_textField.editor->setFocus();
}

void EntryDetailPane::finishTextEditing(FieldEditor &field)
{
    saveField(field);
    setTextEditing(false);
}

void EntryDetailPane::cancelTextEditing()
{
    for (FieldEditor *field : {&m_textField, &m_reasoningField}) {
        field->dirty = false;
        const QScopedValueRollback loading(m_loadingField, true);
        field->editor->setPlainText(field->stored);
    }
    setTextEditing(false);
}

void EntryDetailPane::addClassification(qint64 nodeId, const QString &evidence)
{
    if (m_entryId == 0 || !m_library || nodeId <= 0)
        return;
    for (int i = 0; i < m_classifications->count(); ++i) {
        if (m_classifications->item(i)->data(NodeIdRole).toLongLong() == nodeId) {
            m_classifications->setCurrentRow(i); // already there: show it instead
            return;
        }
    }
    run(std::make_unique<AddClassificationCommand>(m_library, m_entryId, nodeId, m_curator, evidence));
}

void EntryDetailPane::addSelectedNode()
{
    const QString typed = m_node->currentText().trimmed();
    int index = typed.isEmpty() ? -1 : m_node->findText(typed, Qt::MatchFixedString);
    if (index < 0 && !typed.isEmpty()) {
        // A unique partial match ("red team") is as good as the whole label.
        int found = -1;
        for (int i = 0; i < m_node->count(); ++i) {
            if (m_node->itemText(i).contains(typed, Qt::CaseInsensitive)) {
                if (found >= 0) {
                    found = -1;
                    break;
                }
                found = i;
            }
        }
        index = found;
    }
    if (index < 0)
        return;
    m_node->setCurrentIndex(index);
    const QString evidence = m_evidence->text().trimmed();
    addClassification(m_node->itemData(index).toLongLong(), evidence);
    m_evidence->clear();
}

void EntryDetailPane::removeClassification(qint64 nodeId)
{
    if (m_entryId == 0 || !m_library || nodeId <= 0)
        return;
    run(std::make_unique<RemoveClassificationCommand>(m_library, m_entryId, nodeId));
}

void EntryDetailPane::removeSelectedClassification()
{
    QListWidgetItem *item = m_classifications->currentItem();
    if (item && item->isSelected())
        removeClassification(item->data(NodeIdRole).toLongLong());
}

void EntryDetailPane::addTag(const QString &path)
{
    const QStringList names = EntryEditor::splitTagPath(path);
    const QList<qint64> targets = tagTargets();
    if (names.isEmpty() || targets.isEmpty() || !m_library)
        return;
    run(std::make_unique<AddTagCommand>(m_library, targets, names));
}

void EntryDetailPane::addTagFromField()
{
    const QString text = m_tagField->text();
    if (EntryEditor::splitTagPath(text).isEmpty())
        return;
    m_tagField->clear();
    addTag(text);
}

void EntryDetailPane::removeTag(const QStringList &path)
{
    const QList<qint64> targets = tagTargets();
    if (path.isEmpty() || targets.isEmpty() || !m_library)
        return;
    run(std::make_unique<RemoveTagCommand>(m_library, targets, path));
}

void EntryDetailPane::removeSelectedTag()
{
    QListWidgetItem *item = m_tags->currentItem();
    if (item && item->isSelected())
        removeTag(item->data(TagPathRole).toStringList());
}

} // namespace Atlas

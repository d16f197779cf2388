#include "editcommands.h"

#include "library.h"

#include <QtLogging>

namespace Atlas
{

namespace
{

template<typename T>
Status statusOf(const Result<T> &result)
{
    return result ? Status() : Status(Error {result.error()});
}

// The entry's name for a command's text, or its id when it cannot be read.
QString nameOf(Library *library, qint64 entryId)
{
    if (!library)
        return QString::number(entryId);
    auto name = EntryEditor(*library).entryName(entryId);
    return name ? name.value() : QString::number(entryId);
}

QString labelOf(Library *library, qint64 nodeId)
{
    if (!library)
        return QString::number(nodeId);
    auto label = EntryEditor(*library).nodeLabel(nodeId);
    return label ? label.value() : QString::number(nodeId);
}

} // namespace

// ---------------------------------------------------------------- EntryEditCommand

EntryEditCommand::EntryEditCommand(Library *library, QUndoCommand *parent)
    : QUndoCommand(parent), m_library(library), m_path(library ? library->path() : QString())
{
}

std::optional<EntryEditor> EntryEditCommand::editor()
{
    if (!m_library || !m_library->isOpen()) {
        check(Error {tr("the library is closed")}, "edit");
        return std::nullopt;
    }
    // A stack that outlives its library must not replay edits into another file.
    if (m_library->path() != m_path) {
        check(Error {tr("another library is open")}, "edit");
        return std::nullopt;
    }
    return EntryEditor(*m_library);
}

bool EntryEditCommand::check(const Status &status, const char *step)
{
    if (status) {
        m_error.clear();
        return true;
    }
    m_error = status.error();
    qWarning("%s of \"%s\" failed: %s", step, qPrintable(text()), qPrintable(m_error));
    setObsolete(true);
    return false;
}

// ---------------------------------------------------------------- SetEntryFieldCommand

SetEntryFieldCommand::SetEntryFieldCommand(Library *library, qint64 entryId, EntryField field, const QString &value, QUndoCommand *parent)
    : EntryEditCommand(library, parent), m_entryId(entryId), m_field(field), m_value(value)
{
    setText(textFor(field));
}

QString SetEntryFieldCommand::textFor(EntryField field)
{
    switch (field) {
    case EntryField::Name:
        return tr("Edit name");
    case EntryField::Text:
        return tr("Edit text");
    case EntryField::Reasoning:
        return tr("Edit reasoning");
    case EntryField::Notes:
        return tr("Edit notes");
    }
    return tr("Edit entry");
}

void SetEntryFieldCommand::redo()
{
    auto edit = editor();
    if (!edit)
        return;
    if (m_change) {
        check(edit->reapply(*m_change), "redo");
        return;
    }
    auto change = edit->setField(m_entryId, m_field, m_value);
    if (!check(statusOf(change), "redo"))
        return;
    if (change->isEmpty()) {
        setObsolete(true); // the field held that value already: nothing to undo
        return;
    }
    m_change = change.value();
}

void SetEntryFieldCommand::undo()
{
    auto edit = editor();
    if (edit && m_change)
        check(edit->revert(*m_change), "undo");
}

// ---------------------------------------------------------------- AddClassificationCommand

AddClassificationCommand::AddClassificationCommand(
    Library *library, qint64 entryId, qint64 nodeId, const QString &curator, const QString &evidence, std::optional<double> confidence, QUndoCommand *parent)
    : EntryEditCommand(library, parent), m_entryId(entryId), m_nodeId(nodeId), m_curator(curator), m_evidence(evidence), m_confidence(confidence)
{
    setText(tr("Classify “%1” as %2").arg(nameOf(library, entryId), labelOf(library, nodeId)));
}

void AddClassificationCommand::redo()
{
    auto edit = editor();
    if (!edit)
        return;
    if (m_change) {
        check(edit->reapply(*m_change), "redo");
        return;
    }
    auto change = edit->addClassification(m_entryId, m_nodeId, m_curator, m_evidence, m_confidence);
    if (check(statusOf(change), "redo"))
        m_change = change.value();
}

void AddClassificationCommand::undo()
{
    auto edit = editor();
    if (edit && m_change)
        check(edit->revert(*m_change), "undo");
}

// ---------------------------------------------------------------- RemoveClassificationCommand

RemoveClassificationCommand::RemoveClassificationCommand(Library *library, qint64 entryId, qint64 nodeId, QUndoCommand *parent)
    : EntryEditCommand(library, parent), m_entryId(entryId), m_nodeId(nodeId)
{
    setText(tr("Remove classification %2 from “%1”").arg(nameOf(library, entryId), labelOf(library, nodeId)));
}

void RemoveClassificationCommand::redo()
{
    auto edit = editor();
    if (!edit)
        return;
    if (m_change) {
        check(edit->reapply(*m_change), "redo");
        return;
    }
    auto change = edit->removeClassification(m_entryId, m_nodeId);
    if (check(statusOf(change), "redo"))
        m_change = change.value();
}

void RemoveClassificationCommand::undo()
{
    auto edit = editor();
    if (edit && m_change)
        check(edit->revert(*m_change), "undo");
}

// ---------------------------------------------------------------- tags

namespace
{

QString tagText(Library *library, bool add, const QList<qint64> &entryIds, const QString &tag)
{
    if (entryIds.size() == 1) {
        const QString name = nameOf(library, entryIds.first());
        return add ? EntryEditCommand::tr("Tag “%1” with “%2”").arg(name, tag) : EntryEditCommand::tr("Remove tag “%2” from “%1”").arg(name, tag);
    }
    const int n = int(entryIds.size());
    return add ? EntryEditCommand::tr("Tag %n entries “%1”", nullptr, n).arg(tag) : EntryEditCommand::tr("Untag %n entries “%1”", nullptr, n).arg(tag);
}

} // namespace

AddTagCommand::AddTagCommand(Library *library, const QList<qint64> &entryIds, const QStringList &path, QUndoCommand *parent)
    : EntryEditCommand(library, parent), m_entryIds(entryIds), m_path(path)
{
    setText(tagText(library, true, entryIds, EntryEditor::joinTagPath(path)));
}

void AddTagCommand::redo()
{
    auto edit = editor();
    if (!edit)
        return;
    if (m_change) {
        check(edit->reapply(*m_change), "redo");
        return;
    }
    auto change = edit->addTag(m_entryIds, m_path);
    if (!check(statusOf(change), "redo"))
        return;
    if (change->isEmpty()) {
        setObsolete(true); // every entry had the tag already
        return;
    }
    m_change = change.value();
    // The tag as stored: "reviewed" typed for an existing "Reviewed" names the one it found.
    QList<qint64> tagged;
    for (const TagLink &link : m_change->links)
        tagged.append(link.entryId);
    setText(tagText(library(), true, tagged, EntryEditor::joinTagPath(m_change->path)));
}

void AddTagCommand::undo()
{
    auto edit = editor();
    if (edit && m_change)
        check(edit->revert(*m_change), "undo");
}

RemoveTagCommand::RemoveTagCommand(Library *library, const QList<qint64> &entryIds, const QStringList &path, QUndoCommand *parent)
    : EntryEditCommand(library, parent), m_entryIds(entryIds), m_path(path)
{
    setText(tagText(library, false, entryIds, EntryEditor::joinTagPath(path)));
}

void RemoveTagCommand::redo()
{
    auto edit = editor();
    if (!edit)
        return;
    if (m_change) {
        check(edit->reapply(*m_change), "redo");
        return;
    }
    auto change = edit->removeTag(m_entryIds, m_path);
    if (!check(statusOf(change), "redo"))
        return;
    if (change->isEmpty()) {
        setObsolete(true); // no entry had the tag
        return;
    }
    m_change = change.value();
}

void RemoveTagCommand::undo()
{
    auto edit = editor();
    if (edit && m_change)
        check(edit->revert(*m_change), "undo");
}

} // namespace Atlas

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

// What `read` tells of a row for a command's text, or the row's id when it cannot be read.
QString readOr(Library *library, qint64 id, Result<QString> (EntryEditor::*read)(qint64) const)
{
    if (!library)
        return QString::number(id);
    auto text = (EntryEditor(*library).*read)(id);
    return text && !text->isEmpty() ? text.value() : QString::number(id);
}

QString nameOf(Library *library, qint64 entryId)
{
    return readOr(library, entryId, &EntryEditor::entryName);
}

QString labelOf(Library *library, qint64 nodeId)
{
    return readOr(library, nodeId, &EntryEditor::nodeLabel);
}

// Shortened: titles run long in an undo menu.
QString titleOf(Library *library, qint64 documentId)
{
    constexpr qsizetype longest = 48;
    const QString title = readOr(library, documentId, &EntryEditor::documentTitle);
    return title.size() <= longest ? title : title.left(longest - 1) + QChar(0x2026);
}

// The first change of a command: `operation` on the editor, with `args` as given to the command.
template<typename Change, typename... Params, typename... Args>
std::function<Result<Change>(EntryEditor &)> calling(Result<Change> (EntryEditor::*operation)(Params...), Args... args)
{
    return [operation, args...](EntryEditor &editor) {
        return (editor.*operation)(args...);
    };
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
    // The window shows it: an edit that silently did nothing looks like a frozen or broken window.
    if (m_library) {
        const QString message = qstrcmp(step, "undo") == 0 ? tr("Undo of %1 failed: %2").arg(text(), m_error) : tr("%1 was not saved: %2").arg(text(), m_error);
        m_library->notifyWriteFailed(message);
    }
    return false;
}

// ---------------------------------------------------------------- EditChangeCommand

template<typename Change>
EditChangeCommand<Change>::EditChangeCommand(Library *library, Make make, QUndoCommand *parent) : EntryEditCommand(library, parent), m_make(std::move(make))
{
}

template<typename Change>
void EditChangeCommand<Change>::redo()
{
    auto edit = editor();
    if (!edit)
        return;
    if (m_change) {
        check(edit->reapply(*m_change), "redo");
        return;
    }
    auto change = m_make(*edit);
    if (!check(statusOf(change), "redo"))
        return;
    if constexpr (requires { change->isEmpty(); }) {
        if (change->isEmpty()) {
            setObsolete(true); // nothing was changed: nothing to undo
            return;
        }
    }
    m_change = change.value();
    made(*m_change);
}

template<typename Change>
void EditChangeCommand<Change>::undo()
{
    auto edit = editor();
    if (edit && m_change)
        check(edit->revert(*m_change), "undo");
}

template class EditChangeCommand<FieldChange>;
template class EditChangeCommand<ClassificationChange>;
template class EditChangeCommand<TagChange>;
template class EditChangeCommand<DocumentMerge>;
template class EditChangeCommand<PluginLinkChange>;

// ---------------------------------------------------------------- entries

SetEntryFieldCommand::SetEntryFieldCommand(Library *library, qint64 entryId, EntryField field, const QString &value, QUndoCommand *parent)
    : EditChangeCommand(library, calling(&EntryEditor::setField, entryId, field, value), parent)
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

AddClassificationCommand::AddClassificationCommand(
    Library *library, qint64 entryId, qint64 nodeId, const QString &curator, const QString &evidence, std::optional<double> confidence, QUndoCommand *parent)
    : EditChangeCommand(library, calling(&EntryEditor::addClassification, entryId, nodeId, curator, evidence, confidence), parent)
{
    setText(tr("Classify “%1” as %2").arg(nameOf(library, entryId), labelOf(library, nodeId)));
}

RemoveClassificationCommand::RemoveClassificationCommand(Library *library, qint64 entryId, qint64 nodeId, QUndoCommand *parent)
    : EditChangeCommand(library, calling(&EntryEditor::removeClassification, entryId, nodeId), parent)
{
    setText(tr("Remove classification %2 from “%1”").arg(nameOf(library, entryId), labelOf(library, nodeId)));
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
    : EditChangeCommand(library, calling(&EntryEditor::addTag, entryIds, path), parent)
{
    setText(tagText(library, true, entryIds, EntryEditor::joinTagPath(path)));
}

void AddTagCommand::made(const TagChange &change)
{
    // The tag as stored: "reviewed" typed for an existing "Reviewed" names the one it found.
    QList<qint64> tagged;
    for (const TagLink &link : change.links)
        tagged.append(link.entryId);
    setText(tagText(library(), true, tagged, EntryEditor::joinTagPath(change.path)));
}

RemoveTagCommand::RemoveTagCommand(Library *library, const QList<qint64> &entryIds, const QStringList &path, QUndoCommand *parent)
    : EditChangeCommand(library, calling(&EntryEditor::removeTag, entryIds, path), parent)
{
    setText(tagText(library, false, entryIds, EntryEditor::joinTagPath(path)));
}

// ---------------------------------------------------------------- documents

MergeDocumentsCommand::MergeDocumentsCommand(Library *library, qint64 keepId, qint64 mergeId, QUndoCommand *parent)
    : EditChangeCommand(library, calling(&EntryEditor::mergeDocuments, keepId, mergeId), parent)
{
    setText(tr("Merge “%1” into “%2”").arg(titleOf(library, mergeId), titleOf(library, keepId)));
}

// ---------------------------------------------------------------- demo links

SetPluginLinkCommand::SetPluginLinkCommand(Library *library, qint64 entryId, const QString &pluginId, bool linked, QUndoCommand *parent)
    : EditChangeCommand(library, calling(&EntryEditor::setPluginLink, entryId, pluginId, linked), parent)
{
    setText(linked ? tr("Link demo %2 to “%1”").arg(nameOf(library, entryId), pluginId)
                   : tr("Remove demo %2 from “%1”").arg(nameOf(library, entryId), pluginId));
}

} // namespace Atlas

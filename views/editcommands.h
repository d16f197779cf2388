// Undoable edits of entries and documents, one QUndoCommand per EntryEditor operation: redo() makes
// the change (the first time) or reapplies it exactly, undo() reverts it. A step that fails is
// logged and marks the command obsolete, so the stack drops it; the library is never left half changed.
// The commands are small and only make sense together, so they share one file.
#pragma once

#include "entryeditor.h"

#include <QCoreApplication>
#include <QList>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QUndoCommand>

#include <functional>
#include <optional>

namespace Atlas
{

class Library;

// The common part: which library, and what to do when a step fails.
class EntryEditCommand : public QUndoCommand
{
    Q_DECLARE_TR_FUNCTIONS(EntryEditCommand)
public:
    // What the last redo() or undo() failed with; empty when it worked.
    QString errorString() const { return m_error; }

protected:
    EntryEditCommand(Library *library, QUndoCommand *parent);
    Library *library() const { return m_library; }
    // An editor on the library the command was made for, or nullopt (with the error recorded)
    // when that library is gone or another file is open now.
    std::optional<EntryEditor> editor();
    // Records `status`; a failure is logged and makes the command obsolete.
    bool check(const Status &status, const char *step);

private:
    QPointer<Library> m_library;
    QString m_path;
    QString m_error;
};

// The shape every command shares: the first redo() makes the change with the function it was given
// and keeps what it returns; later redo() and undo() calls reapply and revert exactly that.
template<typename Change>
class EditChangeCommand : public EntryEditCommand
{
public:
    using Make = std::function<Result<Change>(EntryEditor &editor)>;

    void redo() override;
    void undo() override;

protected:
    EditChangeCommand(Library *library, Make make, QUndoCommand *parent);
    // After the first redo() made a change; an empty one (nothing to do) never gets here.
    virtual void made(const Change &) { }

private:
    Make m_make;
    std::optional<Change> m_change;
};

// Defined, for these changes only, in editcommands.cpp.
extern template class EditChangeCommand<FieldChange>;
extern template class EditChangeCommand<ClassificationChange>;
extern template class EditChangeCommand<TagChange>;
extern template class EditChangeCommand<DocumentMerge>;
extern template class EditChangeCommand<PluginLinkChange>;

class SetEntryFieldCommand : public EditChangeCommand<FieldChange>
{
public:
    SetEntryFieldCommand(Library *library, qint64 entryId, EntryField field, const QString &value, QUndoCommand *parent = nullptr);

    // "Edit name", "Edit notes", ...
    static QString textFor(EntryField field);
};

class AddClassificationCommand : public EditChangeCommand<ClassificationChange>
{
public:
    AddClassificationCommand(Library *library, qint64 entryId, qint64 nodeId, const QString &curator, const QString &evidence = {},
        std::optional<double> confidence = {}, QUndoCommand *parent = nullptr);
};

class RemoveClassificationCommand : public EditChangeCommand<ClassificationChange>
{
public:
    RemoveClassificationCommand(Library *library, qint64 entryId, qint64 nodeId, QUndoCommand *parent = nullptr);
};

// Puts one tag on one or many entries.
class AddTagCommand : public EditChangeCommand<TagChange>
{
public:
    AddTagCommand(Library *library, const QList<qint64> &entryIds, const QStringList &path, QUndoCommand *parent = nullptr);

protected:
    void made(const TagChange &change) override;
};

// Takes one tag off one or many entries.
class RemoveTagCommand : public EditChangeCommand<TagChange>
{
public:
    RemoveTagCommand(Library *library, const QList<qint64> &entryIds, const QStringList &path, QUndoCommand *parent = nullptr);
};

// Merges one document into another ("Merge “A” into “B”", B being the one kept).
class MergeDocumentsCommand : public EditChangeCommand<DocumentMerge>
{
public:
    MergeDocumentsCommand(Library *library, qint64 keepId, qint64 mergeId, QUndoCommand *parent = nullptr);
};

// Links an entry to a demo plugin by hand, or removes the link.
class SetPluginLinkCommand : public EditChangeCommand<PluginLinkChange>
{
public:
    SetPluginLinkCommand(Library *library, qint64 entryId, const QString &pluginId, bool linked, QUndoCommand *parent = nullptr);
};

} // namespace Atlas

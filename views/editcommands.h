// Undoable edits of entries, one QUndoCommand per EntryEditor operation: redo() makes the change
// (the first time) or reapplies it exactly, undo() reverts it. A step that fails is logged and marks
// the command obsolete, so the stack drops it; the library is never left half changed.
// The commands are small and only make sense together, so they share one file.
#pragma once

#include "entryeditor.h"

#include <QCoreApplication>
#include <QList>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QUndoCommand>

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

class SetEntryFieldCommand : public EntryEditCommand
{
public:
    SetEntryFieldCommand(Library *library, qint64 entryId, EntryField field, const QString &value, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;

    // "Edit name", "Edit notes", ...
    static QString textFor(EntryField field);

private:
    qint64 m_entryId;
    EntryField m_field;
    QString m_value;
    std::optional<FieldChange> m_change;
};

class AddClassificationCommand : public EntryEditCommand
{
public:
    AddClassificationCommand(Library *library, qint64 entryId, qint64 nodeId, const QString &curator, const QString &evidence = {},
        std::optional<double> confidence = {}, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;

private:
    qint64 m_entryId;
    qint64 m_nodeId;
    QString m_curator;
    QString m_evidence;
    std::optional<double> m_confidence;
    std::optional<ClassificationChange> m_change;
};

class RemoveClassificationCommand : public EntryEditCommand
{
public:
    RemoveClassificationCommand(Library *library, qint64 entryId, qint64 nodeId, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;

private:
    qint64 m_entryId;
    qint64 m_nodeId;
    std::optional<ClassificationChange> m_change;
};

// Puts one tag on one or many entries.
class AddTagCommand : public EntryEditCommand
{
public:
    AddTagCommand(Library *library, const QList<qint64> &entryIds, const QStringList &path, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;

private:
    QList<qint64> m_entryIds;
    QStringList m_path;
    std::optional<TagChange> m_change;
};

// Takes one tag off one or many entries.
class RemoveTagCommand : public EntryEditCommand
{
public:
    RemoveTagCommand(Library *library, const QList<qint64> &entryIds, const QStringList &path, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;

private:
    QList<qint64> m_entryIds;
    QStringList m_path;
    std::optional<TagChange> m_change;
};

} // namespace Atlas

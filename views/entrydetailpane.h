// EntryDetailPane: the selected entry and where a curator edits it. Imported text (name, text,
// reasoning, source document) is shown as plain text only, never parsed as HTML. Classifications
// (with provenance) and tags can be added and removed, the name, text, reasoning and Markdown notes
// edited; each edit is one command on the undo stack given with setUndoStack(), or applied directly.
#pragma once

#include "entryeditor.h"
#include "plugininfo.h"

#include <QList>
#include <QPointer>
#include <QString>
#include <QUndoStack>
#include <QWidget>

#include <memory>

class QComboBox;
class QListWidget;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QStringListModel;
class QTextEdit;
class QTimer;
class QToolButton;
class QUndoCommand;

namespace KSyntaxHighlighting
{
class Repository;
class SyntaxHighlighter;
} // namespace KSyntaxHighlighting

namespace Atlas
{

class Library;

class EntryDetailPane : public QWidget
{
    Q_OBJECT
public:
    explicit EntryDetailPane(Library *library, QWidget *parent = nullptr);
    ~EntryDetailPane() override;

    // 0 clears the pane. Notes typed for the entry shown before are saved first.
    void showEntry(qint64 entryId);
    qint64 entryId() const { return m_entryId; }
    // The text shown, for tests and accessibility.
    QString plainText() const;

    // The stack edits go on (the caller owns it); without one, edits apply directly.
    void setUndoStack(QUndoStack *stack);
    QUndoStack *undoStack() const { return m_undoStack; }
    // Recorded as assigned_by of the classifications made here; the login name by default.
    void setCuratorName(const QString &name);
    QString curatorName() const { return m_curator; }
    // The entries selected in the list. When they include the entry shown, adding or removing a
    // tag here applies to all of them (one command).
    void setSelectedEntries(const QList<qint64> &entryIds);

    // Saves the notes as one edit if they changed. Also done when the editor loses focus, after
    // a pause in typing, before another entry is shown and when the pane is hidden.
    void saveNotes();

    // The text and reasoning are read-only until editing is turned on (the Edit Text button, or a
    // double-click on them). Each is then saved as one edit when its editor loses focus or on
    // Ctrl+Enter, which also ends editing; Escape drops what was typed and ends editing.
    void setTextEditing(bool editing);
    bool isTextEditing() const { return m_textEditing; }

    // The edits the controls make, callable directly.
    void addClassification(qint64 nodeId, const QString &evidence = {});
    void removeClassification(qint64 nodeId);
    void addTag(const QString &path);
    void removeTag(const QStringList &path);

    // The demo plugins found (ready or not): the Demos list names them, and a ready one that is
    // not linked yet can be linked by hand.
    void setPlugins(const QList<PluginInfo> &plugins);
    // Links the entry to a demo by hand, or removes its link (one undoable edit each).
    void linkDemo(const QString &pluginId);
    void unlinkDemo(const QString &pluginId);
    // Asks for the run panel of the demo selected in the list (or `pluginId`).
    void runSelectedDemo();

    // The parts, for tests.
    QLineEdit *nameField() const { return m_name; }
    QListWidget *classificationList() const { return m_classifications; }
    QComboBox *schemeBox() const { return m_scheme; }
    QComboBox *nodeBox() const { return m_node; }
    QLineEdit *evidenceField() const { return m_evidence; }
    QPushButton *addClassificationButton() const { return m_addClassification; }
    QPushButton *removeClassificationButton() const { return m_removeClassification; }
    QListWidget *tagList() const { return m_tags; }
    QLineEdit *tagField() const { return m_tagField; }
    QPlainTextEdit *notesEditor() const { return m_notes; }
    QTextEdit *detailView() const { return m_view; }
    QToolButton *editTextButton() const { return m_editText; }
    QPlainTextEdit *textEditor() const { return m_textField.editor; }
    QPlainTextEdit *reasoningEditor() const { return m_reasoningField.editor; }
    KSyntaxHighlighting::SyntaxHighlighter *notesHighlighter() const { return m_highlighter; }
    QListWidget *demoList() const { return m_demos; }
    QComboBox *demoChoice() const { return m_demoChoice; }
    QPushButton *runDemoButton() const { return m_runDemo; }
    QPushButton *linkDemoButton() const { return m_linkDemo; }
    QPushButton *unlinkDemoButton() const { return m_unlinkDemo; }

Q_SIGNALS:
    // The user wants to run a demo for the entry shown (Run…, Enter or a double-click on a demo).
    void runDemoRequested(qint64 entryId, const QString &pluginId);

protected:
    void changeEvent(QEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    // A plain-text editor of one entry field and the entry it holds: what was typed survives a
    // refresh and is saved, as one edit, for the entry it was typed for.
    struct FieldEditor {
        EntryField field = EntryField::Notes;
        QPlainTextEdit *editor = nullptr;
        qint64 entryId = 0;
        QString stored;
        bool dirty = false; // typed since loaded or saved
    };
    void setUpFieldEditor(FieldEditor &field, EntryField which, QPlainTextEdit *editor);
    // The selected item is removed by `remove` on Delete, from the context menu and by `button`.
    void setUpRemovableList(QListWidget *list, QPushButton *button, const QString &actionText, void (EntryDetailPane::*remove)());
    // Shows the stored value of the entry shown, unless typing for it; true when it was loaded.
    bool loadField(FieldEditor &field, const QString &stored);
    void clearField(FieldEditor &field);
    void saveField(FieldEditor &field);
    void cancelTextEditing();
    void finishTextEditing(FieldEditor &field);
    FieldEditor *textFieldOf(const QObject *editor);

    void refresh();
    void showClassifications();
    void fillSchemes();
    void fillNodes();
    void updateButtons();
    void applyTheme();
    void commitName();
    void addSelectedNode();
    void removeSelectedClassification();
    void addTagFromField();
    void removeSelectedTag();
    void showDemos();
    void removeSelectedDemo();
    QList<qint64> tagTargets() const;
    void run(std::unique_ptr<QUndoCommand> command);

    Library *m_library;
    QPointer<QUndoStack> m_undoStack;
    QString m_curator;
    QList<qint64> m_selection;
    qint64 m_entryId = 0;
    QString m_schemesOf; // the library file the scheme box was filled from

    QLineEdit *m_name;
    QToolButton *m_editText;
    QTextEdit *m_view;
    QWidget *m_textEditors;
    QWidget *m_editor;
    QListWidget *m_classifications;
    QComboBox *m_scheme;
    QComboBox *m_node;
    QLineEdit *m_evidence;
    QPushButton *m_addClassification;
    QPushButton *m_removeClassification;
    QListWidget *m_tags;
    QLineEdit *m_tagField;
    QStringListModel *m_tagPaths;
    QPushButton *m_removeTag;
    QPlainTextEdit *m_notes;
    QListWidget *m_demos;
    QComboBox *m_demoChoice;
    QPushButton *m_linkDemo;
    QPushButton *m_unlinkDemo;
    QPushButton *m_runDemo;
    QList<PluginInfo> m_plugins;
    QTimer *m_notesDelay;
    KSyntaxHighlighting::Repository *m_repository; // syntaxRepository()
    KSyntaxHighlighting::SyntaxHighlighter *m_highlighter;

    // The name field holds the name of m_nameEntry.
    qint64 m_nameEntry = 0;
    FieldEditor m_notesField;
    FieldEditor m_textField;
    FieldEditor m_reasoningField;
    bool m_loadingField = false;
    bool m_textEditing = false;
    // The blocks of the view that show the reasoning, so a double-click there edits it.
    int m_reasoningFrom = -1;
    int m_reasoningTo = -1;
};

} // namespace Atlas

// DocumentsView: the library's papers with the entries' search, and for the selected document
// its fields (plain text only), its BibTeX with KDE syntax highlighting and the entries that cite it.
// Two selected documents can be merged into one, as a step on the undo stack.
#pragma once

#include <QList>
#include <QPointer>
#include <QUndoStack>
#include <QWidget>

#include <functional>
#include <memory>

class QAction;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTableView;
class QTextEdit;
class QTimer;
class QToolButton;
class QTreeWidget;

namespace KSyntaxHighlighting
{
class Repository;
class SyntaxHighlighter;
} // namespace KSyntaxHighlighting

namespace Atlas
{

class DocumentTableModel;
class Library;

class DocumentsView : public QWidget
{
    Q_OBJECT
public:
    // Makes the BibTeX of one document; the writer lives in importers, which views do not link.
    using BibtexSource = std::function<QString(qint64 documentId)>;

    explicit DocumentsView(Library *library, QWidget *parent = nullptr);
    ~DocumentsView() override;

    QTableView *table() const { return m_table; }
    QLineEdit *searchField() const { return m_search; }
    DocumentTableModel *model() const { return m_model; }
    QPlainTextEdit *bibtexView() const { return m_bibtex; }
    QTreeWidget *entryList() const { return m_entries; }

    void setBibtexSource(BibtexSource source);
    // The stack merges go on (the caller owns it); without one, merges apply directly.
    void setUndoStack(QUndoStack *stack);
    QUndoStack *undoStack() const { return m_undoStack; }
    // Shows a document's details and selects its row when it is among the rows read; 0 clears.
    void showDocument(qint64 id);
    qint64 documentId() const { return m_documentId; }
    // The fields as shown, for tests and accessibility.
    QString detailText() const;

    // The selected documents, in the table's order.
    QList<qint64> selectedDocuments() const;
    // Asks which of the two selected documents to keep, then merges the other into it.
    void mergeSelected();
    // Merges `mergeId` into `keepId` (one undoable step) and shows the kept document.
    void mergeDocuments(qint64 keepId, qint64 mergeId);
    // "Merge Documents…", enabled while exactly two documents are selected; on the table's
    // context menu and a button.
    QAction *mergeAction() const { return m_mergeAction; }
    QToolButton *mergeButton() const { return m_mergeButton; }

Q_SIGNALS:
    // A linked entry was activated (double-click or Enter).
    void entryActivated(qint64 entryId);

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyFilter();
    void updateCount();
    void display(qint64 id);
    void showFields(qint64 id);
    void showBibtex(qint64 id);
    void showEntries(qint64 id);
    void selectRow(qint64 id);
    void updateActions();

    Library *m_library;
    QPointer<QUndoStack> m_undoStack;
    DocumentTableModel *m_model;
    QLineEdit *m_search;
    QTimer *m_searchDelay;
    QLabel *m_count;
    QTableView *m_table;
    QTextEdit *m_fields;
    QPlainTextEdit *m_bibtex;
    QTreeWidget *m_entries;
    QAction *m_mergeAction;
    QToolButton *m_mergeButton;
    KSyntaxHighlighting::Repository *m_repository; // syntaxRepository()
    KSyntaxHighlighting::SyntaxHighlighter *m_highlighter;
    BibtexSource m_bibtexSource;
    qint64 m_documentId = 0;
};

} // namespace Atlas

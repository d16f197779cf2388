// DocumentsView: the library's papers with the entries' search, and for the selected document
// its fields (plain text only), its BibTeX with KDE syntax highlighting and the entries that cite it.
#pragma once

#include <QWidget>

#include <functional>
#include <memory>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTableView;
class QTextEdit;
class QTimer;
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
    // Shows a document's details and selects its row when it is among the rows read; 0 clears.
    void showDocument(qint64 id);
    qint64 documentId() const { return m_documentId; }
    // The fields as shown, for tests and accessibility.
    QString detailText() const;

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

    Library *m_library;
    DocumentTableModel *m_model;
    QLineEdit *m_search;
    QTimer *m_searchDelay;
    QLabel *m_count;
    QTableView *m_table;
    QTextEdit *m_fields;
    QPlainTextEdit *m_bibtex;
    QTreeWidget *m_entries;
    std::unique_ptr<KSyntaxHighlighting::Repository> m_repository;
    KSyntaxHighlighting::SyntaxHighlighter *m_highlighter;
    BibtexSource m_bibtexSource;
    qint64 m_documentId = 0;
};

} // namespace Atlas

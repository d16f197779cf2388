// EntryDetailPane: the selected entry: name, text and reasoning, classifications with their
// provenance, tags, source document and notes. Everything imported is shown as plain text
// (inserted through QTextCursor::insertText, never parsed as HTML).
#pragma once

#include <QWidget>

class QTextEdit;

namespace Atlas
{

class Library;

class EntryDetailPane : public QWidget
{
    Q_OBJECT
public:
    explicit EntryDetailPane(Library *library, QWidget *parent = nullptr);

    // 0 clears the pane.
    void showEntry(qint64 entryId);
    qint64 entryId() const { return m_entryId; }
    // The text shown, for tests and accessibility.
    QString plainText() const;

private:
    Library *m_library;
    QTextEdit *m_view;
    qint64 m_entryId = 0;
};

} // namespace Atlas

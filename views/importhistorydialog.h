// ImportHistoryDialog: File › Import History: every import batch with its counts, and Undo
// Import for the selected one (it removes what the batch added and restores what it merged).
#pragma once

#include <QDialog>

class QPushButton;
class QTableWidget;

namespace Atlas
{

class Library;

class ImportHistoryDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ImportHistoryDialog(Library *library, QWidget *parent = nullptr);

    QTableWidget *table() const { return m_table; }
    // Undoes the selected batch; `confirm` false skips the question (tests).
    void undoSelected(bool confirm = true);

private:
    void reload();
    void updateButtons();

    Library *m_library;
    QTableWidget *m_table;
    QPushButton *m_undo;
};

} // namespace Atlas

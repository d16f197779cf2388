// CoverageView: the coverage matrix with its axes (scheme and level for rows and columns), a
// heat map of entry counts with gaps marked, and exports (CSV, PNG, Markdown brief). Clicking
// a cell asks the window to filter the entry list to that cell's entries.
#pragma once

#include "entrytablemodel.h"

#include <QWidget>

class QComboBox;
class QSpinBox;
class QTableView;

namespace Atlas
{

class CoverageModel;
class Library;

class CoverageView : public QWidget
{
    Q_OBJECT
public:
    explicit CoverageView(Library *library, QWidget *parent = nullptr);

    CoverageModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    // Fills the scheme choices from the library (after it was opened or changed).
    void reloadSchemes();
    // Writes the export; false with a message box when the file cannot be written.
    bool exportTo(const QString &file, const QString &format);

Q_SIGNALS:
    void cellActivated(const Atlas::EntryFilter &filter, const QString &description);

protected:
    // The matrix is counted while the view is shown: a hidden Coverage tab costs nothing at start
    // or after an edit, and counts (in a worker) when it is opened.
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void applyAxes();
    void chooseExport();

    Library *m_library;
    CoverageModel *m_model;
    QComboBox *m_rowScheme;
    QSpinBox *m_rowDepth;
    QComboBox *m_columnScheme;
    QSpinBox *m_columnDepth;
    QTableView *m_table;
};

} // namespace Atlas

// CoverageModel: the coverage matrix for policymakers. Rows are the nodes of one taxonomy
// scheme at a chosen depth (risk categories), columns those of another (lifecycle stages,
// actors, mitigation types, functions); a cell counts the distinct entries classified at or
// under both. An empty cell is a gap. Counted by SQLite over the closure table.
#pragma once

#include "entrytablemodel.h"
#include "result.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QSqlDatabase>

namespace Atlas
{

class Library;

class CoverageModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Role { CountRole = Qt::UserRole + 1, GapRole, RowNodeRole, ColumnNodeRole, HeatRole };

    // Asynchronous: see setAsynchronous(); the first count, too, then runs on a worker.
    explicit CoverageModel(Library *library, QObject *parent = nullptr, bool asynchronous = false, bool active = true);

    // Scheme keys and depths (1 = the scheme's top level).
    void setAxes(const QString &rowScheme, int rowDepth, const QString &columnScheme, int columnDepth);
    QString rowScheme() const { return m_rowScheme; }
    QString columnScheme() const { return m_columnScheme; }
    int rowDepth() const { return m_rowDepth; }
    int columnDepth() const { return m_columnDepth; }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The entry-list filter that shows the entries of a cell.
    EntryFilter filterFor(const QModelIndex &index) const;
    // The gaps: (row label, column label) of every empty cell.
    QList<std::pair<QString, QString>> gaps() const;
    int maximum() const { return m_maximum; }
    QString errorString() const { return m_error; }
    // In asynchronous mode (the window's) the matrix is counted by a worker thread and changes
    // when the answer arrives; otherwise before setAxes() or reload() returns.
    void setAsynchronous(bool asynchronous) { m_asynchronous = asynchronous; }
    bool isLoading() const { return m_running > 0; }
    // An inactive model (its view hidden) does not count: a reload only marks it stale, and it
    // counts when it becomes active again. Active by default.
    void setActive(bool active);
    bool isActive() const { return m_active; }

    // The matrix as CSV (RFC 4180, header row and column) and as a Markdown brief: the matrix,
    // the gaps, and the library's sources with their dates.
    QString toCsv() const;
    QString toMarkdown() const;

public Q_SLOTS:
    void reload();

Q_SIGNALS:
    // An asynchronous count arrived.
    void loaded();

private:
    struct Axis {
        qint64 id = 0;
        QString label;
    };
    struct Matrix {
        QList<Axis> rows;
        QList<Axis> columns;
        QList<QList<qint64>> counts; // [row][column]
        int maximum = 0;
    };
    static Result<QList<Axis>> readAxis(const QSqlDatabase &db, const QString &scheme, int depth);
    static Result<Matrix> count(const QSqlDatabase &db, const QString &rowScheme, int rowDepth, const QString &columnScheme, int columnDepth);
    void resetTo(const Result<Matrix> &matrix);

    QPointer<Library> m_library;
    QString m_rowScheme = QStringLiteral("llm-safety-survey");
    QString m_columnScheme = QStringLiteral("lifecycle");
    int m_rowDepth = 1;
    int m_columnDepth = 1;
    QList<Axis> m_rows;
    QList<Axis> m_columns;
    QList<QList<qint64>> m_counts; // [row][column]
    int m_maximum = 0;
    QString m_error;
    bool m_asynchronous = false;
    int m_running = 0;
    bool m_active = true;
    bool m_stale = false; // a reload was asked for while inactive
    quint64 m_generation = 0;
};

} // namespace Atlas

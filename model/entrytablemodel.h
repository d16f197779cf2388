// EntryTableModel: the entry list. Rows are read from SQL in pages as the view scrolls
// (canFetchMore/fetchMore), so a library of any size opens at once; the filter (full-text
// query, taxonomy nodes, tags) and the sort are applied by SQLite, never in memory.
#pragma once

#include "result.h"

#include <QAbstractTableModel>
#include <QList>
#include <QPointer>
#include <QSqlDatabase>

#include <functional>

namespace Atlas
{

class Library;

struct EntryFilter {
    QString text; // full-text query (LibraryReader::ftsExpression rules); empty: all
    QList<qint64> nodeIds; // an entry must be classified at or under every one of them
    QList<qint64> tagIds; // and carry every one of these tags
    bool isEmpty() const { return text.trimmed().isEmpty() && nodeIds.isEmpty() && tagIds.isEmpty(); }
    bool operator==(const EntryFilter &other) const = default;
};

class EntryTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, MitigationTypeColumn, RiskColumn, LifecycleColumn, DocumentColumn, YearColumn, ColumnCount };
    enum Role { EntryIdRole = Qt::UserRole + 1, ListingOnlyRole, NeedsReviewRole };

    // `asynchronous`: see setAsynchronous(); the window's model is, from its first read on.
    explicit EntryTableModel(Library *library, QObject *parent = nullptr, bool asynchronous = false);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    QStringList mimeTypes() const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

    const EntryFilter &filter() const { return m_filter; }
    void setFilter(const EntryFilter &filter);
    // Entries matching the filter, whatever has been fetched so far.
    qint64 totalCount() const { return m_total; }
    qint64 entryId(int row) const;
    // The row of an entry among those fetched, or -1.
    int rowOf(qint64 entryId) const;
    QString errorString() const { return m_error; }
    // In asynchronous mode (the window's), filters, sorts and pages are read by a worker thread
    // and the rows change when the answer arrives; otherwise (the default) before the call returns.
    void setAsynchronous(bool asynchronous) { m_asynchronous = asynchronous; }
    bool isAsynchronous() const { return m_asynchronous; }
    // True while a worker reads for this model.
    bool isLoading() const { return m_running > 0; }
    // Rows fetched per page.
    static constexpr int pageSize = 256;
    // The MIME type of dragged entries: their ids as text, one per line.
    static QString entryIdsMimeType() { return QStringLiteral("application/x-mitigation-atlas-entry-ids"); }

public Q_SLOTS:
    // Reads the first page again (after the library changed).
    void reload();

Q_SIGNALS:
    // An asynchronous read arrived and the rows are up to date.
    void loaded();

private:
    struct Row {
        qint64 id = 0;
        QString name;
        QString codes;
        QString risks;
        QString lifecycle;
        QString document;
        QVariant year;
        bool listingOnly = false;
        bool needsReview = false;
    };
    struct Query {
        EntryFilter filter;
        int sortColumn = NameColumn;
        Qt::SortOrder sortOrder = Qt::AscendingOrder;
    };
    struct Answer {
        Result<QList<Row>> rows = QList<Row>();
        qint64 total = -1; // -1: not counted
    };
    static QString whereClause(const EntryFilter &filter, QVariantList &values);
    // A page from `offset`, and with `withCount` the number of matching entries (else -1).
    static Result<Answer> read(const QSqlDatabase &db, const Query &query, int offset, int limit, bool withCount);
    static Result<QList<Row>> readRows(const QSqlDatabase &db, const Query &query, int offset, int limit);
    // The rows' columns: ... FROM entry e LEFT JOIN document d `where` ORDER BY `order`, e.id;
    // `values` are those of `where`, then LIMIT and OFFSET.
    static Result<QList<Row>> selectRows(const QSqlDatabase &db, const QString &where, const QString &order, bool ascending, QVariantList values);
    Query currentQuery() const { return {m_filter, m_sortColumn, m_sortOrder}; }
    QList<Row> readPage(int offset, int limit);
    // Runs `read` on a worker; `apply` gets its answer if nothing newer was asked meanwhile.
    void readLater(std::function<Answer(const QSqlDatabase &)> read, std::function<void(const Answer &)> apply);
    void applySorted(const QList<Row> &sorted);
    void resetTo(const Answer &answer);

    QPointer<Library> m_library;
    EntryFilter m_filter;
    int m_sortColumn = NameColumn;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    QList<Row> m_rows;
    qint64 m_total = 0;
    QString m_error;
    bool m_asynchronous = false;
    bool m_fetching = false;
    quint64 m_generation = 0; // bumped by every new filter or sort: older answers are dropped
    int m_running = 0;
};

} // namespace Atlas

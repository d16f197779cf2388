// DocumentTableModel: the library's papers. Like the entry list, rows are read from SQL in
// pages as the view scrolls, and the filter (full-text query, tags) and the sort are SQLite's work.
#pragma once

#include "result.h"

#include <QAbstractTableModel>
#include <QList>
#include <QPointer>
#include <QStringList>

namespace Atlas
{

class Library;

struct DocumentFilter {
    QString text; // full-text query (LibraryReader::ftsExpression rules); empty: all
    QList<qint64> tagIds; // a document must carry every one of these tags
    bool isEmpty() const { return text.trimmed().isEmpty() && tagIds.isEmpty(); }
    bool operator==(const DocumentFilter &other) const = default;
};

// An entry that names a document: as its source, or through entry_document ("cites", "related").
struct DocumentEntryLink {
    qint64 entryId = 0;
    QString name;
    QStringList relations; // "source", "cites", "related"; an entry may hold several
};

class DocumentTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TitleColumn, AuthorsColumn, YearColumn, VenueColumn, IdentifierColumn, EntriesColumn, ColumnCount };
    enum Role { DocumentIdRole = Qt::UserRole + 1, NeedsReviewRole, EntryCountRole };

    explicit DocumentTableModel(Library *library, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    const DocumentFilter &filter() const { return m_filter; }
    void setFilter(const DocumentFilter &filter);
    // Documents matching the filter, whatever has been fetched so far.
    qint64 totalCount() const { return m_total; }
    qint64 documentId(int row) const;
    // The row of a document among those fetched, or -1.
    int rowOf(qint64 documentId) const;
    QString errorString() const { return m_error; }
    // The entries linked to a document, by name; each entry once, with all its relations.
    Result<QList<DocumentEntryLink>> linkedEntries(qint64 documentId) const;
    // Rows fetched per page.
    static constexpr int pageSize = 256;

public Q_SLOTS:
    // Reads the first page again (after the library changed).
    void reload();

private:
    struct Row {
        qint64 id = 0;
        QString title; // or the start of the abstract when the document has no title
        bool untitled = false;
        bool titleInferred = false;
        QStringList authors;
        QVariant year;
        QString venue;
        QString doi;
        QString arxivId;
        int entries = 0;
        bool needsReview = false;
    };
    QString whereClause(QVariantList &values) const;
    QList<Row> readPage(int offset, int limit);

    QPointer<Library> m_library;
    DocumentFilter m_filter;
    int m_sortColumn = TitleColumn;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    QList<Row> m_rows;
    qint64 m_total = 0;
    QString m_error;
    bool m_fetching = false;
};

} // namespace Atlas

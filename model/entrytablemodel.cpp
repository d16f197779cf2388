#include "entrytablemodel.h"

#include "library.h"
#include "libraryreader.h"
#include "sql.h"

#include <QCoreApplication>
#include <QFont>
#include <QMimeData>

namespace Atlas
{

namespace
{

// The names of an entry's classifications in one dimension, as one text.
QString dimensionText(const char *dimension, const char *expression, const char *separator)
{
    return QStringLiteral("(SELECT group_concat(v, '%2') FROM (SELECT DISTINCT %1 AS v FROM classification c JOIN taxonomy_node n ON n.id = c.node_id "
                          "JOIN scheme s ON s.id = n.scheme_id WHERE c.entry_id = e.id AND s.dimension = '%3' ORDER BY v))")
        .arg(QLatin1String(expression), QLatin1String(separator), QLatin1String(dimension));
}

} // namespace

EntryTableModel::EntryTableModel(Library *library, QObject *parent) : QAbstractTableModel(parent), m_library(library)
{
    if (m_library)
        connect(m_library, &Library::changed, this, &EntryTableModel::reload);
    reload();
}

int EntryTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EntryTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EntryTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        switch (index.column()) {
        case NameColumn:
            return row.name;
        case MitigationTypeColumn:
            return row.codes;
        case RiskColumn:
            return row.risks;
        case LifecycleColumn:
            return row.lifecycle;
        case DocumentColumn:
            return row.document;
        case YearColumn:
            return role == Qt::DisplayRole ? row.year : QVariant();
        }
        return {};
    case Qt::FontRole:
        if (index.column() == NameColumn && (row.listingOnly || row.needsReview)) {
            QFont font;
            font.setItalic(row.listingOnly);
            font.setBold(row.needsReview);
            return font;
        }
        return {};
    case EntryIdRole:
        return row.id;
    case ListingOnlyRole:
        return row.listingOnly;
    case NeedsReviewRole:
        return row.needsReview;
    }
    return {};
}

QVariant EntryTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Entry");
    case MitigationTypeColumn:
        return tr("Mitigation type");
    case RiskColumn:
        return tr("Risk category");
    case LifecycleColumn:
        return tr("Lifecycle stage");
    case DocumentColumn:
        return tr("Source document");
    case YearColumn:
        return tr("Year");
    }
    return {};
}

Qt::ItemFlags EntryTableModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid())
        f |= Qt::ItemIsDragEnabled;
    return f;
}

QStringList EntryTableModel::mimeTypes() const
{
    return {entryIdsMimeType()};
}

QMimeData *EntryTableModel::mimeData(const QModelIndexList &indexes) const
{
    QStringList ids;
    for (const QModelIndex &index : indexes) {
        const QString id = QString::number(entryId(index.row()));
        if (!ids.contains(id))
            ids.append(id);
    }
    auto *mime = new QMimeData;
    mime->setData(entryIdsMimeType(), ids.join(QLatin1Char('\n')).toLatin1());
    return mime;
}

qint64 EntryTableModel::entryId(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).id : 0;
}

int EntryTableModel::rowOf(qint64 entryId) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).id == entryId)
            return int(i);
    }
    return -1;
}

bool EntryTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_rows.size() < m_total;
}

void EntryTableModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid())
        return;
    const QList<Row> more = readPage(int(m_rows.size()), pageSize);
    if (more.isEmpty()) {
        m_total = m_rows.size(); // the library shrank meanwhile
        return;
    }
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + more.size() - 1));
    m_rows.append(more);
    endInsertRows();
}

void EntryTableModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= ColumnCount)
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    if (m_rows.isEmpty()) {
        reload();
        return;
    }
    // A layout change, not a reset: the rows fetched so far are read again in the new order,
    // and selections and the current entry follow their entries.
    const QList<Row> sorted = readPage(0, int(m_rows.size()));
    if (sorted.size() != m_rows.size()) {
        reload(); // the library changed meanwhile
        return;
    }
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    QHash<qint64, int> newRow;
    for (qsizetype i = 0; i < sorted.size(); ++i)
        newRow.insert(sorted.at(i).id, int(i));
    const QModelIndexList before = persistentIndexList();
    QModelIndexList after;
    after.reserve(before.size());
    for (const QModelIndex &index : before) {
        const int row = newRow.value(entryId(index.row()), -1);
        after.append(row < 0 ? QModelIndex() : createIndex(row, index.column()));
    }
    m_rows = sorted;
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void EntryTableModel::setFilter(const EntryFilter &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    reload();
}

QString EntryTableModel::whereClause(QVariantList &values) const
{
    QStringList conditions;
    const QString expression = LibraryReader::ftsExpression(m_filter.text);
    if (!expression.isEmpty()) {
        conditions.append(QStringLiteral("e.id IN (SELECT rowid FROM entry_fts WHERE entry_fts MATCH ?)"));
        values.append(expression);
    }
    for (qint64 node : m_filter.nodeIds) {
        conditions.append(QStringLiteral("e.id IN (SELECT c.entry_id FROM taxonomy_closure t JOIN classification c ON c.node_id = t.descendant_id "
                                         "WHERE t.ancestor_id = ?)"));
        values.append(node);
    }
    for (qint64 tag : m_filter.tagIds) {
        conditions.append(QStringLiteral("e.id IN (SELECT x.entry_id FROM entry_tag x WHERE x.tag_id = ?)"));
        values.append(tag);
    }
    return conditions.isEmpty() ? QString() : QStringLiteral(" WHERE ") + conditions.join(QLatin1String(" AND "));
}

QList<EntryTableModel::Row> EntryTableModel::readPage(int offset, int limit)
{
    QList<Row> rows;
    if (!m_library || !m_library->isOpen())
        return rows;
    QVariantList values;
    const QString where = whereClause(values);
    const QString codes = dimensionText("mitigation_type", "ifnull(n.code, n.name)", ", ");
    const QString risks = dimensionText("risk", "n.name", "; ");
    const QString lifecycle = dimensionText("lifecycle", "n.name", "; ");
    QString order;
    switch (m_sortColumn) {
    case MitigationTypeColumn:
        order = QStringLiteral("codes");
        break;
    case RiskColumn:
        order = QStringLiteral("risks");
        break;
    case LifecycleColumn:
        order = QStringLiteral("lifecycle");
        break;
    case DocumentColumn:
        order = QStringLiteral("d.title COLLATE NOCASE");
        break;
    case YearColumn:
        order = QStringLiteral("d.year");
        break;
    default:
        order = QStringLiteral("e.name COLLATE NOCASE");
    }
    const QString direction = m_sortOrder == Qt::AscendingOrder ? QStringLiteral(" ASC") : QStringLiteral(" DESC");
    const QString statement = QStringLiteral("SELECT e.id, e.name, %1 AS codes, %2 AS risks, %3 AS lifecycle, ifnull(d.title, ''), d.year, e.listing_only, e.needs_review "
                                             "FROM entry e LEFT JOIN document d ON d.id = e.document_id%4 ORDER BY %5%6, e.id%6 LIMIT ? OFFSET ?")
                                  .arg(codes, risks, lifecycle, where, order, direction);
    values << limit << offset;
    auto query = Sql::exec(m_library->database(), statement, values);
    if (!query) {
        m_error = query.error();
        return rows;
    }
    while (query.value().next()) {
        const QSqlQuery &q = query.value();
        Row row;
        row.id = q.value(0).toLongLong();
        row.name = q.value(1).toString();
        row.codes = q.value(2).toString();
        row.risks = q.value(3).toString();
        row.lifecycle = q.value(4).toString();
        row.document = q.value(5).toString();
        row.year = q.value(6);
        row.listingOnly = q.value(7).toInt() == 1;
        row.needsReview = q.value(8).toInt() == 1;
        rows.append(row);
    }
    return rows;
}

void EntryTableModel::reload()
{
    beginResetModel();
    m_rows.clear();
    m_total = 0;
    m_error.clear();
    if (m_library && m_library->isOpen()) {
        QVariantList values;
        const QString where = whereClause(values);
        auto count = Sql::scalar(m_library->database(), QStringLiteral("SELECT count(*) FROM entry e") + where, values);
        if (count) {
            m_total = count.value().toLongLong();
            m_rows = readPage(0, pageSize);
        } else {
            m_error = count.error();
        }
    }
    endResetModel();
}

} // namespace Atlas

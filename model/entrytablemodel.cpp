#include "entrytablemodel.h"

#include "library.h"
#include "libraryreader.h"
#include "sql.h"
#include "worker.h"

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

EntryTableModel::EntryTableModel(Library *library, QObject *parent, bool asynchronous)
    : QAbstractTableModel(parent), m_library(library), m_asynchronous(asynchronous)
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
    return !parent.isValid() && m_rows.size() < m_total && !m_fetching;
}

void EntryTableModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid() || m_fetching)
        return;
    const int offset = int(m_rows.size());
    const auto insert = [this, offset](const QList<Row> &more) {
        if (offset != m_rows.size())
            return;
        if (more.isEmpty()) {
            m_total = m_rows.size(); // the library shrank meanwhile
            return;
        }
        beginInsertRows({}, offset, int(offset + more.size() - 1));
        m_rows.append(more);
        endInsertRows();
    };
    if (!m_asynchronous) {
        insert(readPage(offset, pageSize));
        return;
    }
    m_fetching = true;
    const Query query = currentQuery();
    readLater(
        [query, offset](const QSqlDatabase &db) {
            return Answer{readRows(db, query, offset, pageSize), -1};
        },
        [this, insert](const Answer &answer) {
            m_fetching = false;
            if (!answer.rows)
                m_error = answer.rows.error();
            else
                insert(answer.rows.value());
        });
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
    // The rows fetched so far are read again in the new order.
    const int count = int(m_rows.size());
    if (!m_asynchronous) {
        applySorted(readPage(0, count));
        return;
    }
    ++m_generation;
    m_fetching = false;
    const Query query = currentQuery();
    readLater(
        [query, count](const QSqlDatabase &db) {
            return Answer{readRows(db, query, 0, count), -1};
        },
        [this](const Answer &answer) {
            if (!answer.rows)
                m_error = answer.rows.error();
            else
                applySorted(answer.rows.value());
        });
}

void EntryTableModel::applySorted(const QList<Row> &sorted)
{
    if (sorted.size() != m_rows.size()) {
        reload(); // the library changed meanwhile
        return;
    }
    // A layout change, not a reset: selections and the current entry follow their entries.
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

QString EntryTableModel::whereClause(const EntryFilter &filter, QVariantList &values)
{
    QStringList conditions;
    const QString expression = LibraryReader::ftsExpression(filter.text);
    if (!expression.isEmpty()) {
        conditions.append(QStringLiteral("e.id IN (SELECT rowid FROM entry_fts WHERE entry_fts MATCH ?)"));
        values.append(expression);
    }
    for (qint64 node : filter.nodeIds) {
        conditions.append(QStringLiteral("e.id IN (SELECT c.entry_id FROM taxonomy_closure t JOIN classification c ON c.node_id = t.descendant_id "
                                         "WHERE t.ancestor_id = ?)"));
        values.append(node);
    }
    for (qint64 tag : filter.tagIds) {
        conditions.append(QStringLiteral("e.id IN (SELECT x.entry_id FROM entry_tag x WHERE x.tag_id = ?)"));
        values.append(tag);
    }
    return conditions.isEmpty() ? QString() : QStringLiteral(" WHERE ") + conditions.join(QLatin1String(" AND "));
}

Result<QList<EntryTableModel::Row>> EntryTableModel::readRows(const QSqlDatabase &db, const Query &query, int offset, int limit)
{
    QList<Row> rows;
    QVariantList values;
    const QString where = whereClause(query.filter, values);
    const QString codes = dimensionText("mitigation_type", "ifnull(n.code, n.name)", ", ");
    const QString risks = dimensionText("risk", "n.name", "; ");
    const QString lifecycle = dimensionText("lifecycle", "n.name", "; ");
    QString order;
    switch (query.sortColumn) {
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
    const QString direction = query.sortOrder == Qt::AscendingOrder ? QStringLiteral(" ASC") : QStringLiteral(" DESC");
    const QString statement = QStringLiteral("SELECT e.id, e.name, %1 AS codes, %2 AS risks, %3 AS lifecycle, ifnull(d.title, ''), d.year, e.listing_only, e.needs_review "
                                             "FROM entry e LEFT JOIN document d ON d.id = e.document_id%4 ORDER BY %5%6, e.id%6 LIMIT ? OFFSET ?")
                                  .arg(codes, risks, lifecycle, where, order, direction);
    values << limit << offset;
    auto result = Sql::exec(db, statement, values);
    if (!result)
        return Error{result.error()};
    QSqlQuery &q = result.value();
    while (q.next()) {
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

Result<qint64> EntryTableModel::countRows(const QSqlDatabase &db, const EntryFilter &filter)
{
    QVariantList values;
    const QString where = whereClause(filter, values);
    auto count = Sql::scalar(db, QStringLiteral("SELECT count(*) FROM entry e") + where, values);
    if (!count)
        return Error{count.error()};
    return count.value().toLongLong();
}

QList<EntryTableModel::Row> EntryTableModel::readPage(int offset, int limit)
{
    if (!m_library || !m_library->isOpen())
        return {};
    auto rows = readRows(m_library->database(), currentQuery(), offset, limit);
    if (!rows) {
        m_error = rows.error();
        return {};
    }
    return rows.value();
}

void EntryTableModel::readLater(std::function<Answer(const QSqlDatabase &)> read, std::function<void(const Answer &)> apply)
{
    ++m_running;
    const quint64 generation = m_generation;
    runOnWorker<Answer>(
        this, m_library->path(),
        [read](const WorkerConnection &connection) {
            if (!connection.isOpen())
                return Answer{Error{connection.error()}, -1};
            return read(connection.database());
        },
        [this, generation, apply](const Answer &answer) {
            --m_running;
            if (generation == m_generation)
                apply(answer);
            if (m_running == 0)
                Q_EMIT loaded();
        });
}

void EntryTableModel::resetTo(const Answer &answer)
{
    beginResetModel();
    m_rows.clear();
    m_total = 0;
    m_error.clear();
    if (!answer.rows)
        m_error = answer.rows.error();
    else {
        m_total = answer.total;
        m_rows = answer.rows.value();
    }
    endResetModel();
}

void EntryTableModel::reload()
{
    ++m_generation;
    m_fetching = false;
    if (!m_library || !m_library->isOpen()) {
        resetTo(Answer{QList<Row>(), 0});
        return;
    }
    const Query query = currentQuery();
    const auto read = [query](const QSqlDatabase &db) {
        auto total = countRows(db, query.filter);
        if (!total)
            return Answer{Error{total.error()}, 0};
        return Answer{readRows(db, query, 0, pageSize), total.value()};
    };
    if (m_asynchronous)
        readLater(read, [this](const Answer &answer) {
            resetTo(answer);
        });
    else
        resetTo(read(m_library->database()));
}

} // namespace Atlas

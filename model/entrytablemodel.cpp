#include "entrytablemodel.h"

#include "library.h"
#include "libraryreader.h"
#include "sql.h"
#include "worker.h"

#include <QCoreApplication>
#include <QFont>
#include <QMimeData>

#include <bit>
#include <vector>

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

namespace
{

// The entries a filter lets through, a bit per entry id: each condition read once from its index
// (the full-text matches in rowid order, a node's classifications, a tag's links), then intersected.
// Reading every match costs about 0.1 us each; SQLite's plan for "id IN (subquery)" ordered by name
// built a temporary index of them, then sorted every match and computed its columns.
struct EntrySet {
    std::vector<quint64> bits;
    qint64 count = 0;
    qint64 maxId = 0;
    bool contains(qint64 id) const
    {
        const auto word = size_t(quint64(id) >> 6);
        return id >= 0 && word < bits.size() && (bits[word] >> (quint64(id) & 63)) & 1;
    }
};

Status intersect(const QSqlDatabase &db, const QString &statement, const QVariant &value, qint64 maxId, bool first, EntrySet &set)
{
    NativeQuery query(db, statement);
    if (value.typeId() == QMetaType::QString)
        query.bind(1, value.toString());
    else
        query.bind(1, value.toLongLong());
    std::vector<quint64> bits(size_t(maxId / 64 + 1), 0);
    while (query.next()) {
        const qint64 id = query.integer(0);
        if (id >= 0 && id <= maxId)
            bits[size_t(id >> 6)] |= quint64(1) << (id & 63);
    }
    if (!query.error().isEmpty())
        return Error{query.error()};
    if (first)
        set.bits = std::move(bits);
    else {
        for (size_t i = 0; i < bits.size(); ++i)
            set.bits[i] &= bits[i];
    }
    return {};
}

Result<EntrySet> entrySet(const QSqlDatabase &db, const EntryFilter &filter)
{
    EntrySet set;
    NativeQuery max(db, QStringLiteral("SELECT ifnull(max(id), 0) FROM entry"));
    if (!max.next())
        return Error{max.error()};
    const qint64 maxId = max.integer(0);
    set.maxId = maxId;
    bool first = true;
    const QString expression = LibraryReader::expandedExpression(db, QStringLiteral("entry_fts"), filter.text).expression;
    if (!expression.isEmpty()) {
        if (auto done = intersect(db, QStringLiteral("SELECT rowid FROM entry_fts WHERE entry_fts MATCH ?"), expression, maxId, first, set); !done)
            return Error{done.error()};
        first = false;
    }
    for (qint64 node : filter.nodeIds) {
        if (auto done = intersect(db,
                QStringLiteral("SELECT c.entry_id FROM taxonomy_closure t JOIN classification c ON c.node_id = t.descendant_id WHERE t.ancestor_id = ?"), node,
                maxId, first, set);
            !done)
            return Error{done.error()};
        first = false;
    }
    for (qint64 tag : filter.tagIds) {
        if (auto done = intersect(db, QStringLiteral("SELECT entry_id FROM entry_tag WHERE tag_id = ?"), tag, maxId, first, set); !done)
            return Error{done.error()};
        first = false;
    }
    for (quint64 word : set.bits)
        set.count += std::popcount(word);
    return set;
}

// Ids as a JSON array, bound to "IN (SELECT value FROM json_each(?))".
QString idArray(const QList<qint64> &ids)
{
    QStringList numbers;
    numbers.reserve(ids.size());
    for (qint64 id : ids)
        numbers.append(QString::number(id));
    return QLatin1Char('[') + numbers.join(QLatin1Char(',')) + QLatin1Char(']');
}

} // namespace

Result<QList<EntryTableModel::Row>> EntryTableModel::selectRows(const QSqlDatabase &db, const QString &where, const QString &order, bool ascending, QVariantList values)
{
    QList<Row> rows;
    const QString codes = dimensionText("mitigation_type", "ifnull(n.code, n.name)", ", ");
    const QString risks = dimensionText("risk", "n.name", "; ");
    const QString lifecycle = dimensionText("lifecycle", "n.name", "; ");
    const QString direction = ascending ? QStringLiteral(" ASC") : QStringLiteral(" DESC");
    const QString statement = QStringLiteral("SELECT e.id, e.name, %1 AS codes, %2 AS risks, %3 AS lifecycle, ifnull(d.title, ''), d.year, e.listing_only, e.needs_review "
                                             "FROM entry e LEFT JOIN document d ON d.id = e.document_id%4 ORDER BY %5%6, e.id%6 LIMIT ? OFFSET ?")
                                  .arg(codes, risks, lifecycle, where, order, direction);
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

Result<EntryTableModel::Answer> EntryTableModel::read(const QSqlDatabase &db, const Query &query, int offset, int limit, bool withCount)
{
    const bool ascending = query.sortOrder == Qt::AscendingOrder;
    const bool filtered = !LibraryReader::ftsExpression(query.filter.text).isEmpty() || !query.filter.nodeIds.isEmpty() || !query.filter.tagIds.isEmpty();
    if (!filtered || query.sortColumn != NameColumn) {
        // No filter: the name index gives the page at once. Another sort: SQLite sorts every match.
        QVariantList values;
        const QString where = whereClause(query.filter, values);
        qint64 total = -1;
        if (withCount) {
            auto count = Sql::scalar(db, QStringLiteral("SELECT count(*) FROM entry e") + where, values);
            if (!count)
                return Error{count.error()};
            total = count.value().toLongLong();
        }
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
        values << limit << offset;
        auto rows = selectRows(db, where, order, ascending, values);
        if (!rows)
            return Error{rows.error()};
        return Answer{rows.value(), total};
    }

    // Sorted by name with a filter: the matching entries first, then the page.
    auto set = entrySet(db, query.filter);
    if (!set)
        return Error{set.error()};
    const qint64 total = set->count;
    QList<qint64> page;
    if (total > offset && limit > 0) {
        // Walking the name index until the page is full reads about (offset + limit) / (share of
        // entries matching) rows; sorting the matches by name reads each. The cheaper wins: the
        // walk for common words, the sort for rare ones.
        const double walk = double(offset + limit) * double(set->maxId) / double(total);
        if (walk <= 4.0 * double(total)) {
            NativeQuery names(db,
                ascending ? QStringLiteral("SELECT id FROM entry ORDER BY name COLLATE NOCASE ASC, id ASC")
                          : QStringLiteral("SELECT id FROM entry ORDER BY name COLLATE NOCASE DESC, id DESC"));
            qint64 skip = offset;
            while (page.size() < limit && names.next()) {
                const qint64 id = names.integer(0);
                if (!set->contains(id))
                    continue;
                if (skip > 0)
                    --skip;
                else
                    page.append(id);
            }
            if (!names.error().isEmpty())
                return Error{names.error()};
        } else {
            QList<qint64> matching;
            matching.reserve(total);
            for (size_t word = 0; word < set->bits.size(); ++word) {
                for (quint64 bits = set->bits[word]; bits; bits &= bits - 1)
                    matching.append(qint64(word * 64 + size_t(std::countr_zero(bits))));
            }
            auto ids = Sql::exec(db,
                ascending ? QStringLiteral("SELECT id FROM entry WHERE id IN (SELECT value FROM json_each(?)) ORDER BY name COLLATE NOCASE ASC, id ASC LIMIT ? OFFSET ?")
                          : QStringLiteral("SELECT id FROM entry WHERE id IN (SELECT value FROM json_each(?)) ORDER BY name COLLATE NOCASE DESC, id DESC LIMIT ? OFFSET ?"),
                {idArray(matching), limit, offset});
            if (!ids)
                return Error{ids.error()};
            while (ids.value().next())
                page.append(ids.value().value(0).toLongLong());
        }
    }
    if (page.isEmpty())
        return Answer{QList<Row>(), total};
    // The columns of the page's rows only, put in the page's order.
    auto rows = selectRows(db, QStringLiteral(" WHERE e.id IN (SELECT value FROM json_each(?))"), QStringLiteral("e.id"), true, {idArray(page), -1, 0});
    if (!rows)
        return Error{rows.error()};
    QHash<qint64, qsizetype> position;
    for (qsizetype i = 0; i < page.size(); ++i)
        position.insert(page.at(i), i);
    QList<Row> ordered = rows.value();
    std::sort(ordered.begin(), ordered.end(), [&position](const Row &a, const Row &b) {
        return position.value(a.id) < position.value(b.id);
    });
    return Answer{ordered, total};
}

Result<QList<EntryTableModel::Row>> EntryTableModel::readRows(const QSqlDatabase &db, const Query &query, int offset, int limit)
{
    auto answer = read(db, query, offset, limit, false);
    if (!answer)
        return Error{answer.error()};
    return answer->rows;
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
        auto answer = EntryTableModel::read(db, query, 0, pageSize, true);
        if (!answer)
            return Answer{Error{answer.error()}, 0};
        return answer.value();
    };
    if (m_asynchronous)
        readLater(read, [this](const Answer &answer) {
            resetTo(answer);
        });
    else
        resetTo(read(m_library->database()));
}

} // namespace Atlas

#include "taxonomytreemodel.h"

#include "entrytablemodel.h"

#include "library.h"
#include "sql.h"
#include "taxonomystore.h"
#include "worker.h"

#include <QFont>
#include <QHash>
#include <QLocale>
#include <QMimeData>

#include <functional>

namespace Atlas
{

struct TaxonomyTreeModel::Item {
    ItemKind kind = ItemKind::Dimension;
    Dimension dimension = Dimension::Risk;
    qint64 schemeId = 0;
    qint64 nodeId = 0;
    QString code;
    QString name;
    QString description;
    bool provisional = false;
    qint64 count = 0;
    Item *parent = nullptr;
    int row = 0;
    std::vector<std::unique_ptr<Item>> children;

    Item *add(std::unique_ptr<Item> child)
    {
        child->parent = this;
        child->row = int(children.size());
        children.push_back(std::move(child));
        return children.back().get();
    }
};

TaxonomyTreeModel::TaxonomyTreeModel(Library *library, QObject *parent, bool asynchronous)
    : QAbstractItemModel(parent), m_library(library), m_root(std::make_unique<Item>()), m_asynchronous(asynchronous)
{
    if (m_library)
        connect(m_library, &Library::changed, this, &TaxonomyTreeModel::refreshCounts);
    reload();
}

TaxonomyTreeModel::~TaxonomyTreeModel() = default;

namespace
{

// What changes when nodes are added, removed or moved (an import's provisional nodes).
QString treeShape(const QSqlDatabase &db)
{
    auto shape = Sql::exec(db, QStringLiteral("SELECT count(*), ifnull(max(id), 0), total(ifnull(parent_id, 0)), (SELECT count(*) FROM scheme) FROM taxonomy_node"));
    if (!shape || !shape.value().next())
        return {};
    const QSqlQuery &q = shape.value();
    return QStringLiteral("%1/%2/%3/%4").arg(q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString());
}

} // namespace

void TaxonomyTreeModel::reload()
{
    beginResetModel();
    m_shape = m_library && m_library->isOpen() ? treeShape(m_library->database()) : QString();
    m_root = std::make_unique<Item>();
    m_error.clear();
    if (m_library && m_library->isOpen()) {
        TaxonomyStore store(m_library->database());
        auto schemes = store.schemes();
        if (!schemes) {
            m_error = schemes.error();
        } else {
            for (Dimension dimension : allDimensions()) {
                auto dimensionItem = std::make_unique<Item>();
                dimensionItem->kind = ItemKind::Dimension;
                dimensionItem->dimension = dimension;
                dimensionItem->name = dimensionTitle(dimension);
                Item *dimItem = m_root->add(std::move(dimensionItem));

                QList<Scheme> ofDimension;
                for (const Scheme &s : schemes.value()) {
                    if (s.dimension == dimension)
                        ofDimension.append(s);
                }
                for (const Scheme &s : ofDimension) {
                    // A dimension with one scheme shows its nodes directly; with several, one level per scheme.
                    Item *schemeParent = dimItem;
                    if (ofDimension.size() > 1) {
                        auto schemeItem = std::make_unique<Item>();
                        schemeItem->kind = ItemKind::Scheme;
                        schemeItem->dimension = dimension;
                        schemeItem->schemeId = s.id;
                        schemeItem->name = s.name;
                        schemeItem->description = s.source;
                        schemeParent = dimItem->add(std::move(schemeItem));
                    }
                    auto nodes = store.nodes(s.id);
                    if (!nodes) {
                        m_error = nodes.error();
                        continue;
                    }
                    // Attach in two passes: the query orders by position, not parents first.
                    QHash<qint64, Item *> byId;
                    std::vector<std::unique_ptr<Item>> pending;
                    for (const TaxonomyNode &n : nodes.value()) {
                        auto item = std::make_unique<Item>();
                        item->kind = ItemKind::Node;
                        item->dimension = dimension;
                        item->schemeId = s.id;
                        item->nodeId = n.id;
                        item->code = n.code;
                        item->name = n.name;
                        item->description = n.description;
                        item->provisional = n.provisional;
                        byId.insert(n.id, item.get());
                        pending.push_back(std::move(item));
                    }
                    for (qsizetype i = 0; i < nodes.value().size(); ++i) {
                        const TaxonomyNode &n = nodes.value().at(i);
                        Item *parentItem = n.parentId ? byId.value(*n.parentId, schemeParent) : schemeParent;
                        parentItem->add(std::move(pending[size_t(i)]));
                    }
                }
            }
        }
    }
    if (m_library && m_library->isOpen()) {
        auto saved = SavedSearches::read(m_library->database());
        m_saved = saved ? saved.value() : QList<SavedSearch>();
        if (!m_saved.isEmpty()) {
            auto group = std::make_unique<Item>();
            group->kind = ItemKind::SavedSearches;
            group->name = tr("Saved searches");
            Item *groupItem = m_root->add(std::move(group));
            for (qsizetype i = 0; i < m_saved.size(); ++i) {
                auto item = std::make_unique<Item>();
                item->kind = ItemKind::SavedSearch;
                item->name = m_saved.at(i).name;
                item->nodeId = 0;
                item->schemeId = i; // the position in m_saved
                groupItem->add(std::move(item));
            }
        }
    }
    endResetModel();
    refreshCounts();
}

const SavedSearch *TaxonomyTreeModel::savedSearch(const QModelIndex &index) const
{
    if (!index.isValid())
        return nullptr;
    const Item *item = itemFor(index);
    if (item->kind != ItemKind::SavedSearch || item->schemeId < 0 || item->schemeId >= m_saved.size())
        return nullptr;
    return &m_saved.at(item->schemeId);
}

TaxonomyTreeModel::Counts TaxonomyTreeModel::readCounts(const QSqlDatabase &db, const QList<qint64> &schemeIds, const QList<int> &dimensions)
{
    Counts counts;
    TaxonomyStore store(db);
    for (qint64 schemeId : schemeIds) {
        auto nodes = store.entryCounts(schemeId);
        auto scheme = store.schemeEntryCount(schemeId);
        if (!nodes || !scheme) {
            counts.error = !nodes ? nodes.error() : scheme.error();
            return counts;
        }
        counts.nodes.insert(schemeId, nodes.value());
        counts.schemes.insert(schemeId, scheme.value());
    }
    for (int dimension : dimensions) {
        auto total = store.dimensionEntryCount(Dimension(dimension));
        if (!total) {
            counts.error = total.error();
            return counts;
        }
        counts.dimensions.insert(dimension, total.value());
    }
    return counts;
}

void TaxonomyTreeModel::refreshCounts()
{
    if (!m_library || !m_library->isOpen())
        return;
    if (treeShape(m_library->database()) != m_shape) {
        reload(); // nodes were added, removed or moved
        return;
    }
    QList<qint64> schemeIds;
    QList<int> dimensions;
    for (const auto &dimension : m_root->children) {
        if (dimension->kind != ItemKind::Dimension)
            continue;
        dimensions.append(int(dimension->dimension));
        // A dimension with several schemes has a row per scheme; one with a single scheme shows
        // that scheme's nodes directly, and their counts are read all the same.
        for (const auto &child : dimension->children) {
            if ((child->kind == ItemKind::Scheme || child->kind == ItemKind::Node) && !schemeIds.contains(child->schemeId))
                schemeIds.append(child->schemeId);
        }
    }
    const quint64 generation = ++m_generation;
    if (!m_asynchronous) {
        applyCounts(readCounts(m_library->database(), schemeIds, dimensions));
        return;
    }
    // Counting every node of a large library takes a while: a worker does it, on its own connection.
    ++m_counting;
    runOnWorker<Counts>(
        this, m_library->path(),
        [schemeIds, dimensions](const WorkerConnection &connection) {
            if (!connection.isOpen())
                return Counts {connection.error(), {}, {}, {}};
            return readCounts(connection.database(), schemeIds, dimensions);
        },
        [this, generation](const Counts &counts) {
            --m_counting;
            if (generation == m_generation)
                applyCounts(counts);
        });
}

void TaxonomyTreeModel::applyCounts(const Counts &counts)
{
    if (!counts.error.isEmpty()) {
        m_error = counts.error;
        Q_EMIT countsRefreshed();
        return;
    }
    std::function<void(Item *)> visit = [&](Item *item) {
        qint64 count = item->count;
        switch (item->kind) {
        case ItemKind::Dimension:
            count = counts.dimensions.value(int(item->dimension), count);
            break;
        case ItemKind::Scheme:
            count = counts.schemes.value(item->schemeId, count);
            break;
        case ItemKind::SavedSearches:
        case ItemKind::SavedSearch:
            break;
        case ItemKind::Node:
            if (const auto scheme = counts.nodes.constFind(item->schemeId); scheme != counts.nodes.cend())
                count = scheme->value(item->nodeId, 0);
            break;
        }
        if (count != item->count) {
            item->count = count;
            countsChanged(item);
        }
        for (const auto &child : item->children)
            visit(child.get());
    };
    for (const auto &child : m_root->children)
        visit(child.get());
    Q_EMIT countsRefreshed();
}

void TaxonomyTreeModel::countsChanged(Item *item)
{
    const QModelIndex cell = createIndex(item->row, CountColumn, item);
    Q_EMIT dataChanged(cell, cell, {Qt::DisplayRole, CountRole});
}

TaxonomyTreeModel::Item *TaxonomyTreeModel::itemFor(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Item *>(index.internalPointer()) : m_root.get();
}

QModelIndex TaxonomyTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    Item *parentItem = itemFor(parent);
    return createIndex(row, column, parentItem->children[size_t(row)].get());
}

QModelIndex TaxonomyTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    Item *parentItem = itemFor(child)->parent;
    if (!parentItem || parentItem == m_root.get())
        return {};
    return createIndex(parentItem->row, 0, parentItem);
}

int TaxonomyTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    return int(itemFor(parent)->children.size());
}

int TaxonomyTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant TaxonomyTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Item *item = itemFor(index);
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == CountColumn)
            return item->kind == ItemKind::SavedSearches || item->kind == ItemKind::SavedSearch ? QVariant() : QVariant(QLocale().toString(item->count));
        if (item->provisional)
            return tr("%1 (provisional)").arg(item->code.isEmpty() ? item->name : item->code + QLatin1Char(' ') + item->name);
        return item->code.isEmpty() ? item->name : item->code + QLatin1Char(' ') + item->name;
    case Qt::ToolTipRole:
        if (item->kind == ItemKind::SavedSearch) {
            const SavedSearch &saved = m_saved.at(item->schemeId);
            QStringList parts;
            if (!saved.filter.text.isEmpty())
                parts.append(tr("text “%1”").arg(saved.filter.text));
            if (!saved.label.isEmpty())
                parts.append(saved.label);
            return tr("Saved search: %1").arg(parts.join(QStringLiteral("; ")));
        }
        if (item->provisional)
            return item->description.isEmpty() ? tr("Provisional: not confirmed by the source") : tr("Provisional: %1").arg(item->description);
        return item->description.isEmpty() ? QVariant() : QVariant(item->description);
    case Qt::TextAlignmentRole:
        if (index.column() == CountColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::FontRole:
        if (item->kind == ItemKind::Dimension || item->kind == ItemKind::SavedSearches || item->provisional) {
            QFont font;
            font.setBold(item->kind == ItemKind::Dimension || item->kind == ItemKind::SavedSearches);
            font.setItalic(item->provisional);
            return font;
        }
        return {};
    case KindRole:
        return int(item->kind);
    case DimensionRole:
        return item->kind == ItemKind::SavedSearches || item->kind == ItemKind::SavedSearch ? QVariant() : QVariant(dimensionKey(item->dimension));
    case SchemeIdRole:
        return item->kind != ItemKind::SavedSearch && item->schemeId ? QVariant(item->schemeId) : QVariant();
    case SavedSearchRole:
        return item->kind == ItemKind::SavedSearch ? QVariant(item->schemeId) : QVariant();
    case NodeIdRole:
        return item->nodeId ? QVariant(item->nodeId) : QVariant();
    case CodeRole:
        return item->code;
    case CountRole:
        return item->count;
    case ProvisionalRole:
        return item->provisional;
    default:
        return {};
    }
}

QVariant TaxonomyTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Taxonomy");
    case CountColumn:
        return tr("Entries");
    default:
        return {};
    }
}

Qt::ItemFlags TaxonomyTreeModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractItemModel::flags(index);
    if (index.isValid() && data(index, KindRole).toInt() == int(ItemKind::Node))
        f |= Qt::ItemIsDropEnabled;
    return f;
}

QStringList TaxonomyTreeModel::mimeTypes() const
{
    return {EntryTableModel::entryIdsMimeType()};
}

Qt::DropActions TaxonomyTreeModel::supportedDropActions() const
{
    return Qt::CopyAction;
}

bool TaxonomyTreeModel::canDropMimeData(const QMimeData *data, Qt::DropAction, int, int, const QModelIndex &parent) const
{
    return data && data->hasFormat(EntryTableModel::entryIdsMimeType()) && parent.isValid()
        && this->data(parent, KindRole).toInt() == int(ItemKind::Node);
}

bool TaxonomyTreeModel::dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column, const QModelIndex &parent)
{
    if (!canDropMimeData(data, action, row, column, parent))
        return false;
    QList<qint64> ids;
    const QList<QByteArray> lines = data->data(EntryTableModel::entryIdsMimeType()).split('\n');
    for (const QByteArray &line : lines) {
        bool ok = false;
        const qint64 id = line.trimmed().toLongLong(&ok);
        if (ok && id > 0 && !ids.contains(id))
            ids.append(id);
    }
    if (ids.isEmpty())
        return false;
    Q_EMIT entriesDropped(ids, this->data(parent, NodeIdRole).toLongLong());
    // Nothing moves: the entries stay where they are in the list.
    return false;
}

} // namespace Atlas

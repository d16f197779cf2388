// TaxonomyStore: reads and extends the taxonomy schemes of a library; counts come from SQL
// (the closure table), never from walking objects in memory.
#pragma once

#include "result.h"
#include "taxonomy.h"

#include <QHash>
#include <QSqlDatabase>
#include <QStringList>

namespace Atlas
{

class TaxonomyStore
{
public:
    explicit TaxonomyStore(QSqlDatabase db);

    Result<QList<Scheme>> schemes() const;
    // Fails with a message naming the key when there is no such scheme.
    Result<Scheme> scheme(const QString &key) const;
    // All nodes of a scheme, ordered by position (parents are not guaranteed to come first).
    Result<QList<TaxonomyNode>> nodes(qint64 schemeId) const;

    // Node id -> number of distinct entries classified at that node or below it.
    // Nodes with no entries are absent.
    Result<QHash<qint64, qint64>> entryCounts(qint64 schemeId) const;
    // Distinct entries classified anywhere in a scheme, or anywhere in a dimension.
    Result<qint64> schemeEntryCount(qint64 schemeId) const;
    Result<qint64> dimensionEntryCount(Dimension dimension) const;
    // The kept counts (schema 3's triggers) that differ from a recount, one line each; empty when all agree.
    Result<QStringList> checkEntryCounts() const;

    Result<qint64> addScheme(const Scheme &scheme, int position);
    // Adds a node after the scheme's existing ones; `origin` is "bundled", "import" or "curator".
    Result<qint64> addNode(const TaxonomyNode &node, const QString &origin);
    Status addAlias(qint64 nodeId, const QString &alias);

    // The child of `parentId` (or the root when empty) whose name or alias matches, ignoring case; 0 if none.
    Result<qint64> findChild(qint64 schemeId, std::optional<qint64> parentId, const QString &name) const;
    // The node at `path` (names from the root down), creating missing nodes as provisional.
    Result<qint64> ensurePath(qint64 schemeId, const QStringList &path, const QString &origin);

private:
    QSqlDatabase m_db;
};

} // namespace Atlas

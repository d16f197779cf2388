#include "taxonomystore.h"

#include "sql.h"

#include <QCoreApplication>

namespace Atlas
{

namespace
{

QVariant optionalId(std::optional<qint64> id)
{
    return id ? QVariant(*id) : QVariant(QMetaType::fromType<qint64>());
}

Scheme schemeFrom(const QSqlQuery &q)
{
    Scheme s;
    s.id = q.value(0).toLongLong();
    s.key = q.value(1).toString();
    s.name = q.value(2).toString();
    s.dimension = dimensionFromKey(q.value(3).toString()).value_or(Dimension::Risk);
    s.version = q.value(4).toString();
    s.source = q.value(5).toString();
    s.licence = q.value(6).toString();
    s.description = q.value(7).toString();
    s.bundled = q.value(8).toBool();
    return s;
}

const char schemeColumns[] = "SELECT id, key, name, dimension, version, source, licence, description, bundled FROM scheme ";

} // namespace

TaxonomyStore::TaxonomyStore(QSqlDatabase db) : m_db(std::move(db)) { }

Result<QList<Scheme>> TaxonomyStore::schemes() const
{
    auto query = Sql::exec(m_db, QLatin1String(schemeColumns) + QLatin1String("ORDER BY position, id"));
    if (!query)
        return Error {query.error()};
    QList<Scheme> result;
    while (query.value().next())
        result.append(schemeFrom(query.value()));
    return result;
}

Result<Scheme> TaxonomyStore::scheme(const QString &key) const
{
    auto query = Sql::exec(m_db, QLatin1String(schemeColumns) + QLatin1String("WHERE key = ?"), {key});
    if (!query)
        return Error {query.error()};
    if (!query.value().next())
        return Error {QCoreApplication::translate("TaxonomyStore", "no taxonomy scheme \"%1\"").arg(key)};
    return schemeFrom(query.value());
}

Result<QList<TaxonomyNode>> TaxonomyStore::nodes(qint64 schemeId) const
{
    auto query = Sql::exec(m_db,
        QStringLiteral("SELECT id, scheme_id, parent_id, code, name, description, provisional, position "
                       "FROM taxonomy_node WHERE scheme_id = ? ORDER BY position, id"),
        {schemeId});
    if (!query)
        return Error {query.error()};
    QList<TaxonomyNode> result;
    QSqlQuery &q = query.value();
    while (q.next()) {
        TaxonomyNode n;
        n.id = q.value(0).toLongLong();
        n.schemeId = q.value(1).toLongLong();
        if (!q.value(2).isNull())
            n.parentId = q.value(2).toLongLong();
        n.code = q.value(3).toString();
        n.name = q.value(4).toString();
        n.description = q.value(5).toString();
        n.provisional = q.value(6).toBool();
        n.position = q.value(7).toInt();
        result.append(n);
    }
    return result;
}

// The counts are kept by the triggers of schema 3 (resources/migrations/0003_entry_counts.sql).
Result<QHash<qint64, qint64>> TaxonomyStore::entryCounts(qint64 schemeId) const
{
    auto query = Sql::exec(m_db,
        QStringLiteral("SELECT ec.node_id, ec.entries FROM taxonomy_node n JOIN node_entry_count ec ON ec.node_id = n.id "
                       "WHERE n.scheme_id = ? AND ec.entries > 0"),
        {schemeId});
    if (!query)
        return Error {query.error()};
    QHash<qint64, qint64> counts;
    while (query.value().next())
        counts.insert(query.value().value(0).toLongLong(), query.value().value(1).toLongLong());
    return counts;
}

Result<qint64> TaxonomyStore::schemeEntryCount(qint64 schemeId) const
{
    auto count = Sql::exec(m_db, QStringLiteral("SELECT entries FROM scheme_entry_count WHERE scheme_id = ?"), {schemeId});
    if (!count)
        return Error {count.error()};
    return count.value().next() ? count.value().value(0).toLongLong() : 0;
}

Result<qint64> TaxonomyStore::dimensionEntryCount(Dimension dimension) const
{
    auto count = Sql::exec(m_db, QStringLiteral("SELECT entries FROM dimension_entry_count WHERE dimension = ?"), {dimensionKey(dimension)});
    if (!count)
        return Error {count.error()};
    return count.value().next() ? count.value().value(0).toLongLong() : 0;
}

Result<QStringList> TaxonomyStore::checkEntryCounts() const
{
    // Each kept count beside a recount from the classifications; any row that differs is a problem.
    const QList<std::pair<QString, QString>> checks {
        {QStringLiteral("node"),
            QStringLiteral("WITH recount AS (SELECT c.ancestor_id AS id, count(DISTINCT cl.entry_id) AS entries FROM classification cl "
                           "JOIN taxonomy_closure c ON c.descendant_id = cl.node_id GROUP BY c.ancestor_id) "
                           "SELECT n.id, ifnull(k.entries, 0), ifnull(r.entries, 0) FROM taxonomy_node n "
                           "LEFT JOIN node_entry_count k ON k.node_id = n.id LEFT JOIN recount r ON r.id = n.id "
                           "WHERE ifnull(k.entries, 0) <> ifnull(r.entries, 0)")},
        {QStringLiteral("scheme"),
            QStringLiteral("WITH recount AS (SELECT n.scheme_id AS id, count(DISTINCT cl.entry_id) AS entries FROM classification cl "
                           "JOIN taxonomy_node n ON n.id = cl.node_id GROUP BY n.scheme_id) "
                           "SELECT s.id, ifnull(k.entries, 0), ifnull(r.entries, 0) FROM scheme s "
                           "LEFT JOIN scheme_entry_count k ON k.scheme_id = s.id LEFT JOIN recount r ON r.id = s.id "
                           "WHERE ifnull(k.entries, 0) <> ifnull(r.entries, 0)")},
        {QStringLiteral("dimension"),
            QStringLiteral("WITH recount AS (SELECT s.dimension AS id, count(DISTINCT cl.entry_id) AS entries FROM classification cl "
                           "JOIN taxonomy_node n ON n.id = cl.node_id JOIN scheme s ON s.id = n.scheme_id GROUP BY s.dimension), "
                           "dimensions AS (SELECT dimension AS id FROM dimension_entry_count UNION SELECT id FROM recount) "
                           "SELECT d.id, ifnull(k.entries, 0), ifnull(r.entries, 0) FROM dimensions d "
                           "LEFT JOIN dimension_entry_count k ON k.dimension = d.id LEFT JOIN recount r ON r.id = d.id "
                           "WHERE ifnull(k.entries, 0) <> ifnull(r.entries, 0)")},
    };
    QStringList problems;
    for (const auto &[what, statement] : checks) {
        auto rows = Sql::exec(m_db, statement);
        if (!rows)
            return Error {rows.error()};
        while (rows.value().next())
            problems.append(QCoreApplication::translate("TaxonomyStore", "%1 %2 is shown with %3 entries but has %4")
                                .arg(what, rows.value().value(0).toString(), rows.value().value(1).toString(), rows.value().value(2).toString()));
    }
    return problems;
}

Result<qint64> TaxonomyStore::addScheme(const Scheme &scheme, int position)
{
    auto query = Sql::exec(m_db,
        QStringLiteral("INSERT INTO scheme(key, name, dimension, version, source, licence, description, position, bundled) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        {scheme.key, scheme.name, dimensionKey(scheme.dimension), Sql::nullIfEmpty(scheme.version), Sql::nullIfEmpty(scheme.source),
            Sql::nullIfEmpty(scheme.licence), Sql::nullIfEmpty(scheme.description), position, scheme.bundled ? 1 : 0});
    if (!query)
        return Error {QCoreApplication::translate("TaxonomyStore", "scheme \"%1\": %2").arg(scheme.key, query.error())};
    return query.value().lastInsertId().toLongLong();
}

Result<qint64> TaxonomyStore::addNode(const TaxonomyNode &node, const QString &origin)
{
    auto query = Sql::exec(m_db,
        QStringLiteral("INSERT INTO taxonomy_node(scheme_id, parent_id, code, name, description, provisional, origin, position) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT ifnull(max(position), -1) + 1 FROM taxonomy_node WHERE scheme_id = ?))"),
        {node.schemeId, optionalId(node.parentId), Sql::nullIfEmpty(node.code), node.name.trimmed(), Sql::nullIfEmpty(node.description),
            node.provisional ? 1 : 0, origin, node.schemeId});
    if (!query)
        return Error {QCoreApplication::translate("TaxonomyStore", "node \"%1\": %2").arg(node.label(), query.error())};
    return query.value().lastInsertId().toLongLong();
}

Status TaxonomyStore::addAlias(qint64 nodeId, const QString &alias)
{
    auto query = Sql::exec(m_db, QStringLiteral("INSERT OR IGNORE INTO taxonomy_alias(node_id, alias) VALUES (?, ?)"), {nodeId, alias.trimmed()});
    if (!query)
        return Error {query.error()};
    return {};
}

Result<qint64> TaxonomyStore::findChild(qint64 schemeId, std::optional<qint64> parentId, const QString &name) const
{
    auto query = Sql::exec(m_db, QStringLiteral(R"(
        SELECT n.id FROM taxonomy_node n
        WHERE n.scheme_id = ? AND n.parent_id IS ?
          AND (n.name = ? COLLATE NOCASE
               OR EXISTS (SELECT 1 FROM taxonomy_alias a WHERE a.node_id = n.id AND a.alias = ? COLLATE NOCASE))
        ORDER BY n.name = ? COLLATE NOCASE DESC
        LIMIT 1)"),
        {schemeId, optionalId(parentId), name.trimmed(), name.trimmed(), name.trimmed()});
    if (!query)
        return Error {query.error()};
    return query.value().next() ? query.value().value(0).toLongLong() : qint64(0);
}

Result<qint64> TaxonomyStore::ensurePath(qint64 schemeId, const QStringList &path, const QString &origin)
{
    if (path.isEmpty())
        return Error {QCoreApplication::translate("TaxonomyStore", "an empty taxonomy path")};
    std::optional<qint64> parent;
    for (const QString &name : path) {
        if (name.trimmed().isEmpty())
            return Error {QCoreApplication::translate("TaxonomyStore", "an empty name in the taxonomy path \"%1\"").arg(path.join(QLatin1String(" > ")))};
        auto found = findChild(schemeId, parent, name);
        if (!found)
            return Error {found.error()};
        qint64 id = found.value();
        if (id == 0) {
            TaxonomyNode node;
            node.schemeId = schemeId;
            node.parentId = parent;
            node.name = name.trimmed();
            node.provisional = origin != QLatin1String("bundled");
            auto added = addNode(node, origin);
            if (!added)
                return Error {added.error()};
            id = added.value();
        }
        parent = id;
    }
    return *parent;
}

} // namespace Atlas

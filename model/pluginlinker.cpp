#include "pluginlinker.h"

#include "sql.h"

#include <QCoreApplication>
#include <QSqlQuery>

#include <algorithm>

namespace Atlas
{

namespace
{

QString tr(const char *text)
{
    return QCoreApplication::translate("PluginLinker", text);
}

const QString nameMatches
    = QStringLiteral("(n.name = ? COLLATE NOCASE OR EXISTS (SELECT 1 FROM taxonomy_alias a WHERE a.node_id = n.id AND a.alias = ? COLLATE NOCASE))");

Result<QList<qint64>> ids(Result<QSqlQuery> query)
{
    if (!query)
        return Error {query.error()};
    QList<qint64> found;
    while (query.value().next())
        found.append(query.value().value(0).toLongLong());
    return found;
}

} // namespace

PluginLinker::PluginLinker(QSqlDatabase db) : m_db(std::move(db)) { }

Result<QList<qint64>> PluginLinker::resolveRiskPath(const QString &path) const
{
    QStringList names;
    const QStringList parts = path.split(QLatin1Char('>'));
    for (const QString &part : parts) {
        if (!part.simplified().isEmpty())
            names.append(part.simplified());
    }
    auto schemes = ids(Sql::exec(m_db, QStringLiteral("SELECT id FROM scheme WHERE dimension = 'risk' ORDER BY position, id")));
    if (!schemes)
        return schemes;
    QList<qint64> resolved;
    for (qint64 scheme : schemes.value()) {
        qint64 current = 0;
        for (const QString &name : std::as_const(names)) {
            auto child = ids(Sql::exec(m_db,
                QStringLiteral("SELECT n.id FROM taxonomy_node n WHERE n.scheme_id = ? AND ifnull(n.parent_id, 0) = ? AND ") + nameMatches
                    + QStringLiteral(" LIMIT 1"),
                {scheme, current, name, name}));
            if (!child)
                return child;
            if (!child->isEmpty()) {
                current = child->first();
                continue;
            }
            auto below = current > 0
                ? ids(Sql::exec(m_db,
                    QStringLiteral("SELECT n.id FROM taxonomy_node n JOIN taxonomy_closure c ON c.descendant_id = n.id "
                                   "WHERE c.ancestor_id = ? AND c.depth > 0 AND ")
                        + nameMatches + QStringLiteral(" LIMIT 2"),
                    {current, name, name}))
                : ids(Sql::exec(m_db, QStringLiteral("SELECT n.id FROM taxonomy_node n WHERE n.scheme_id = ? AND ") + nameMatches + QStringLiteral(" LIMIT 2"),
                    {scheme, name, name}));
            if (!below)
                return below;
            if (below->size() != 1) {
                current = 0;
                break;
            }
            current = below->first();
        }
        if (current > 0)
            resolved.append(current);
    }
    return resolved;
}

Result<QSet<qint64>> PluginLinker::entriesUnder(const QList<qint64> &nodes) const
{
    QSet<qint64> entries;
    for (qint64 node : nodes) {
        auto found = ids(Sql::exec(m_db,
            QStringLiteral(
                "SELECT DISTINCT c.entry_id FROM classification c JOIN taxonomy_closure cl ON cl.descendant_id = c.node_id WHERE cl.ancestor_id = ?"),
            {node}));
        if (!found)
            return Error {found.error()};
        for (qint64 entry : found.value())
            entries.insert(entry);
    }
    return entries;
}

Result<QSet<qint64>> PluginLinker::matchingEntries(const PluginInfo &plugin, QStringList *unresolved) const
{
    QSet<qint64> entries;
    const auto note = [&](const QString &what) {
        if (unresolved)
            unresolved->append(what);
    };
    for (const PluginCode &code : plugin.mitigationTypes) {
        const QString schemeKey = code.schemeKey.isEmpty() ? defaultCodeScheme() : code.schemeKey;
        auto nodes = ids(Sql::exec(m_db, QStringLiteral("SELECT n.id FROM taxonomy_node n JOIN scheme s ON s.id = n.scheme_id WHERE s.key = ? AND n.code = ?"),
            {schemeKey, code.code}));
        if (!nodes)
            return Error {nodes.error()};
        if (nodes->isEmpty()) {
            note(tr("code %1").arg(code.label()));
            continue;
        }
        // The code itself, not the codes below it: 1.1 does not link entries coded 1.1.2.
        auto coded = ids(Sql::exec(m_db, QStringLiteral("SELECT DISTINCT entry_id FROM classification WHERE node_id = ?"), {nodes->first()}));
        if (!coded)
            return Error {coded.error()};
        if (code.within.isEmpty()) {
            for (qint64 entry : coded.value())
                entries.insert(entry);
            continue;
        }
        auto withinNodes = resolveRiskPath(code.within);
        if (!withinNodes)
            return Error {withinNodes.error()};
        if (withinNodes->isEmpty()) {
            note(tr("risk path \"%1\"").arg(code.within));
            continue;
        }
        auto under = entriesUnder(withinNodes.value());
        if (!under)
            return under;
        for (qint64 entry : coded.value()) {
            if (under->contains(entry))
                entries.insert(entry);
        }
    }
    for (const QString &path : plugin.riskCategories) {
        auto nodes = resolveRiskPath(path);
        if (!nodes)
            return Error {nodes.error()};
        if (nodes->isEmpty()) {
            note(tr("risk path \"%1\"").arg(path));
            continue;
        }
        auto under = entriesUnder(nodes.value());
        if (!under)
            return under;
        entries.unite(under.value());
    }
    return entries;
}

Result<PluginLinkReport> PluginLinker::linkAutomatically(const QList<PluginInfo> &plugins)
{
    PluginLinkReport report;
    Sql::Transaction transaction(m_db);
    if (!transaction.isActive())
        return Error {transaction.error()};
    for (const PluginInfo &plugin : plugins) {
        if (!plugin.isReady())
            continue;
        QStringList unresolved;
        auto matches = matchingEntries(plugin, &unresolved);
        if (!matches)
            return Error {matches.error()};
        if (!unresolved.isEmpty())
            report.unresolved.insert(plugin.id, unresolved);
        auto existing = Sql::exec(m_db, QStringLiteral("SELECT entry_id, origin, state FROM plugin_link WHERE plugin_id = ?"), {plugin.id});
        if (!existing)
            return Error {existing.error()};
        QSet<qint64> known;
        QList<qint64> stale;
        while (existing.value().next()) {
            const qint64 entry = existing.value().value(0).toLongLong();
            known.insert(entry);
            const bool automatic = existing.value().value(1).toString() == QLatin1String("auto");
            const bool linked = existing.value().value(2).toString() == QLatin1String("linked");
            if (automatic && linked && !matches->contains(entry))
                stale.append(entry);
        }
        for (qint64 entry : std::as_const(stale)) {
            if (auto q = Sql::exec(m_db, QStringLiteral("DELETE FROM plugin_link WHERE entry_id = ? AND plugin_id = ?"), {entry, plugin.id}); !q)
                return Error {q.error()};
            ++report.removed;
        }
        QList<qint64> added = matches->values();
        std::sort(added.begin(), added.end());
        for (qint64 entry : std::as_const(added)) {
            if (known.contains(entry))
                continue; // already linked, or a curator's decision
            if (auto q = Sql::exec(m_db, QStringLiteral("INSERT INTO plugin_link(entry_id, plugin_id, origin) VALUES (?, ?, 'auto')"), {entry, plugin.id}); !q)
                return Error {q.error()};
            ++report.added;
        }
    }
    if (auto status = transaction.commit(); !status)
        return Error {status.error()};
    return report;
}

Result<QList<qint64>> PluginLinker::linkedEntries(const QString &pluginId) const
{
    return ids(Sql::exec(m_db, QStringLiteral("SELECT entry_id FROM plugin_link WHERE plugin_id = ? AND state = 'linked' ORDER BY entry_id"), {pluginId}));
}

Result<QStringList> PluginLinker::linkedPlugins(qint64 entryId) const
{
    auto q = Sql::exec(m_db, QStringLiteral("SELECT plugin_id FROM plugin_link WHERE entry_id = ? AND state = 'linked' ORDER BY plugin_id"), {entryId});
    if (!q)
        return Error {q.error()};
    QStringList plugins;
    while (q.value().next())
        plugins.append(q.value().value(0).toString());
    return plugins;
}

} // namespace Atlas

// PluginLinker: links entries to the plugins that demonstrate them, through the plugins'
// metadata: an entry links when it is classified at exactly one of the plugin's mitigation-type
// codes (narrowed to a risk path when the code says so), or at or under one of its risk paths.
#pragma once

#include "plugininfo.h"
#include "result.h"

#include <QList>
#include <QMap>
#include <QSet>
#include <QSqlDatabase>
#include <QStringList>

namespace Atlas
{

struct PluginLinkReport {
    int added = 0;
    int removed = 0;
    // By plugin id, its codes and risk paths that match no taxonomy node of this library.
    QMap<QString, QStringList> unresolved;
};

class PluginLinker
{
public:
    explicit PluginLinker(QSqlDatabase db);

    // The scheme a code without "scheme:" refers to.
    static QString defaultCodeScheme() { return QStringLiteral("mit-mitigation-v2"); }

    // The entries the plugin's metadata links to it. Codes and paths that match nothing are
    // added to `unresolved` when given ("code 9.9", "risk path \"A > B\"").
    Result<QSet<qint64>> matchingEntries(const PluginInfo &plugin, QStringList *unresolved = nullptr) const;
    // The nodes a risk path names, in every risk scheme where it resolves. Each name matches a
    // child (name or alias, ignoring case) or else the one node of that name further down, as
    // sources skip levels ("Value Misalignment > Methods for mitigating toxicity").
    Result<QList<qint64>> resolveRiskPath(const QString &path) const;

    // Brings the automatic links ('auto' rows of plugin_link) of the ready plugins up to date,
    // in one transaction: adds the new matches, removes automatic links that no longer match.
    // Links a curator made or removed are left as they are. Call it after discovery or an import.
    Result<PluginLinkReport> linkAutomatically(const QList<PluginInfo> &plugins);

    // Entries linked to a plugin, and plugins linked to an entry (state 'linked' only).
    Result<QList<qint64>> linkedEntries(const QString &pluginId) const;
    Result<QStringList> linkedPlugins(qint64 entryId) const;

private:
    Result<QSet<qint64>> entriesUnder(const QList<qint64> &nodes) const;

    QSqlDatabase m_db;
};

} // namespace Atlas

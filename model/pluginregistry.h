// PluginRegistry: finds the plugins in the build's or installation's plugin folder and in the
// folders the caller adds, reading their metadata without loading them, and checks parameter
// values against that metadata. Every file that fails is listed with its reason.
#pragma once

#include "plugininfo.h"
#include "result.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>
#include <QVariantMap>

namespace Atlas
{

class PluginRegistry
{
public:
    PluginRegistry() = default;

    // Where plugins of this build live: build/plugins when the executable runs from the build
    // tree's bin folder, LIBDIR/mitigation-atlas/plugins (relative to the installed binary)
    // otherwise. Never the current directory or a library's folder.
    static QString builtInFolder();

    // Folders searched after the built-in one (the user's folders from the settings, a test's
    // folder). Only absolute paths are used; anything else is reported by folderProblems().
    void setExtraFolders(const QStringList &folders);
    QStringList extraFolders() const { return m_extraFolders; }
    // Whether builtInFolder() is searched (on by default; tests switch it off).
    void setUseBuiltInFolder(bool use) { m_useBuiltIn = use; }

    // Reads every library file in the folders, in order. A later plugin with an id already
    // seen is listed as a duplicate of the first.
    void discover();

    // Every plugin file found by the last discover(), usable or not, in search order.
    const QList<PluginInfo> &plugins() const { return m_plugins; }
    QList<PluginInfo> readyPlugins() const;
    // The usable plugin with this id, or nullptr.
    const PluginInfo *find(const QString &id) const;
    // Problems with the folders themselves (a relative or missing folder the caller gave).
    QStringList folderProblems() const { return m_folderProblems; }

    // Loads each ready plugin once in `runnerPath --check`, a process of its own, so a plugin
    // whose library cannot be loaded (a missing symbol, a crash while loading) is listed as
    // unloadable with the loader's reason. Waits at most `timeoutMs` for each.
    void probe(const QString &runnerPath, int timeoutMs = 10000);
    // Records that loading the plugin at `filePath` failed (the runner said why).
    void markUnloadable(const QString &filePath, const QString &reason);

    // The metadata of one file, without loading it.
    static PluginInfo readFile(const QString &filePath);
    // Checks Qt's metadata object of a plugin (IID, MetaData, ...) and fills a PluginInfo.
    static PluginInfo fromMetaData(const QJsonObject &qtMetaData, const QString &filePath);

    // Checks `values` (by parameter name) against the plugin's parameters: unknown names,
    // types, ranges and choices. Text values ("10", "true") are converted by the declared type,
    // so command-line values can be passed as they are. Returns every parameter with its
    // default filled in, or all the problems in one message.
    static Result<QVariantMap> validateParameters(const PluginInfo &plugin, const QVariantMap &values);
    // Splits NAME=VALUE assignments (the CLI's --param) into a map of text values.
    static Result<QVariantMap> parseAssignments(const QStringList &assignments);

private:
    void readFolder(const QString &folder);

    QStringList m_extraFolders;
    bool m_useBuiltIn = true;
    QList<PluginInfo> m_plugins;
    QStringList m_folderProblems;
};

} // namespace Atlas

// MitigationPlugin: the one interface a runnable mitigation demo implements. The app never
// loads a plugin itself; mitigation-atlas-runner loads it in a process of its own and turns
// what the plugin writes to its RunContext into JSON lines (see plugins/README.md).
//
// A plugin is a Qt plugin (a MODULE library) whose class derives from QObject and from
// Atlas::MitigationPlugin, and declares
//
//     Q_PLUGIN_METADATA(IID AtlasMitigationPlugin_iid FILE "myplugin.json")
//     Q_INTERFACES(Atlas::MitigationPlugin)
//
// The JSON file carries the metadata the app reads without loading the library: id, name,
// version, description, category, parameters and what the plugin demonstrates.
#pragma once

#include <QJsonObject>
#include <QString>
#include <QVariantMap>
#include <QtPlugin>

// The interface name carries its version: a plugin built for another version is listed
// with that reason and never loaded. Change the number when the interface below changes.
#define AtlasMitigationPlugin_iid "org.mitigationatlas.MitigationPlugin/1"

namespace Atlas
{

// The prefix and version of AtlasMitigationPlugin_iid, for tools that check metadata.
inline constexpr char MitigationPluginIidPrefix[] = "org.mitigationatlas.MitigationPlugin/";
inline constexpr int MitigationPluginInterfaceVersion = 1;

// What a running plugin reports to, and asks of, its host. Every call may come from any
// thread of the plugin; the host serialises them. Each call becomes one JSON line.
class RunContext
{
public:
    virtual ~RunContext() = default;

    // How far the run is, 0..1 (clamped), and what it is doing now.
    virtual void progress(double fraction, const QString &message = QString()) = 0;
    // One point of a named series ("val_accuracy" at step 400 = 0.97). A point given twice
    // (same name and step) keeps the later value.
    virtual void metric(const QString &name, qint64 step, double value) = 0;
    // A line for the run's log.
    virtual void log(const QString &message) = 0;
    // A file the plugin wrote, best inside outputFolder().
    virtual void artifact(const QString &path, const QString &description = QString()) = 0;
    // The summary of a finished run; the last one given is stored.
    virtual void result(const QJsonObject &summary) = 0;
    // Why the run cannot go on; the plugin then returns false from run().
    virtual void error(const QString &message) = 0;

    // True once the user (or the host) asked the run to stop. Poll it often, at least a few
    // times a second, and return false soon after it turns true: a plugin that does not stop
    // is killed after a grace period.
    virtual bool isCancelled() const = 0;
    // An existing folder where the plugin may write its artifacts.
    virtual QString outputFolder() const = 0;
};

class MitigationPlugin
{
public:
    virtual ~MitigationPlugin() = default;

    // Runs the demonstration. `parameters` holds every parameter the metadata declares, with
    // its default filled in and its value checked against the declared type, range and
    // choices: "int" as qint64, "double" as double, "bool" as bool, "string" and "path" as
    // QString. The same parameters and seed must give the same result.
    // Returns true when the run finished (after result()), false when it failed (after
    // error()) or stopped because isCancelled() turned true.
    virtual bool run(const QVariantMap &parameters, quint64 seed, RunContext &context) = 0;
};

} // namespace Atlas

Q_DECLARE_INTERFACE(Atlas::MitigationPlugin, AtlasMitigationPlugin_iid)

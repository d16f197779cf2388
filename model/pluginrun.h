// PluginRun: one run of a plugin as the library stores it (plugin_run and plugin_run_metric).
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <optional>

namespace Atlas
{

enum class RunStatus {
    Running,
    Finished,
    Failed, // the plugin reported an error, or broke the protocol (too much output, a line too long)
    Crashed, // the runner process died of a signal
    TimedOut,
    Cancelled,
};

// "running", "finished", "failed", "crashed", "timed_out", "cancelled": the values of plugin_run.status.
QString runStatusKey(RunStatus status);
std::optional<RunStatus> runStatusFromKey(const QString &key);

struct MetricPoint {
    QString name;
    qint64 step = 0;
    double value = 0; // NaN when the plugin gave a value JSON cannot hold

    bool operator==(const MetricPoint &other) const = default;
};

struct PluginRun {
    qint64 id = 0;
    QString pluginId;
    QString pluginVersion;
    std::optional<qint64> entryId;
    QVariantMap parameters; // every parameter, defaults filled in
    quint64 seed = 0;
    QDateTime startedAt;
    QDateTime finishedAt; // invalid while running
    RunStatus status = RunStatus::Running;
    QString reason; // why it ended as it did, for anything but finished
    QJsonObject result;
    QStringList artifacts;

    // The shape of `run --json`'s last line and of stored runs in JSON output.
    QJsonObject toJson() const;
};

} // namespace Atlas

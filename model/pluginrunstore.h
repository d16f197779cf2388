// PluginRunStore: writes and reads the plugin runs of a library (plugin_run, plugin_run_metric).
#pragma once

#include "pluginrun.h"
#include "result.h"

#include <QSqlDatabase>

#include <optional>

namespace Atlas
{

class PluginRunStore
{
public:
    explicit PluginRunStore(QSqlDatabase db);

    // Records a run that starts now (status running); returns its id.
    Result<qint64> begin(const PluginRun &run);
    // Records how the run ended, with its metrics, in one transaction.
    Status finish(const PluginRun &run, const QList<MetricPoint> &metrics);

    // Runs, newest first: all of them, or those of one entry and/or one plugin.
    Result<QList<PluginRun>> runs(std::optional<qint64> entryId = std::nullopt, const QString &pluginId = QString()) const;
    Result<PluginRun> run(qint64 id) const;
    // The run's metric points by name, then step.
    Result<QList<MetricPoint>> metrics(qint64 runId) const;

private:
    QSqlDatabase m_db;
};

} // namespace Atlas

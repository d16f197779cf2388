#include "pluginrunstore.h"

#include "sql.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

#include <cmath>

namespace Atlas
{

namespace
{

QString timeText(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QString compact(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

const QString runColumns
    = QStringLiteral("id, plugin_id, plugin_version, entry_id, parameters, seed, started_at, finished_at, status, status_reason, result, artifacts");

PluginRun readRun(const QSqlQuery &q)
{
    PluginRun run;
    run.id = q.value(0).toLongLong();
    run.pluginId = q.value(1).toString();
    run.pluginVersion = q.value(2).toString();
    if (!q.value(3).isNull())
        run.entryId = q.value(3).toLongLong();
    run.parameters = QJsonDocument::fromJson(q.value(4).toString().toUtf8()).object().toVariantMap();
    run.seed = quint64(q.value(5).toLongLong());
    run.startedAt = QDateTime::fromString(q.value(6).toString(), Qt::ISODateWithMs);
    run.finishedAt = q.value(7).isNull() ? QDateTime() : QDateTime::fromString(q.value(7).toString(), Qt::ISODateWithMs);
    run.status = runStatusFromKey(q.value(8).toString()).value_or(RunStatus::Failed);
    run.reason = q.value(9).toString();
    run.result = QJsonDocument::fromJson(q.value(10).toString().toUtf8()).object();
    const QJsonArray artifacts = QJsonDocument::fromJson(q.value(11).toString().toUtf8()).array();
    for (const QJsonValue &artifact : artifacts)
        run.artifacts.append(artifact.toString());
    return run;
}

} // namespace

PluginRunStore::PluginRunStore(QSqlDatabase db) : m_db(std::move(db)) { }

Result<qint64> PluginRunStore::begin(const PluginRun &run)
{
    auto q = Sql::exec(m_db,
        QStringLiteral(
            "INSERT INTO plugin_run(plugin_id, plugin_version, entry_id, parameters, seed, started_at, status) VALUES (?, ?, ?, ?, ?, ?, 'running')"),
        {run.pluginId, run.pluginVersion, run.entryId ? QVariant(*run.entryId) : QVariant(QMetaType::fromType<qint64>()),
            compact(QJsonObject::fromVariantMap(run.parameters)), qint64(run.seed), timeText(run.startedAt)});
    if (!q)
        return Error {q.error()};
    return q.value().lastInsertId().toLongLong();
}

Status PluginRunStore::finish(const PluginRun &run, const QList<MetricPoint> &metrics)
{
    Sql::Transaction transaction(m_db);
    if (!transaction.isActive())
        return Error {transaction.error()};
    auto updated
        = Sql::exec(m_db, QStringLiteral("UPDATE plugin_run SET finished_at = ?, status = ?, status_reason = ?, result = ?, artifacts = ? WHERE id = ?"),
            {timeText(run.finishedAt), runStatusKey(run.status), Sql::nullIfEmpty(run.reason),
                run.result.isEmpty() && run.status != RunStatus::Finished ? QVariant(QMetaType::fromType<QString>()) : QVariant(compact(run.result)),
                QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(run.artifacts)).toJson(QJsonDocument::Compact)), run.id});
    if (!updated)
        return Error {updated.error()};
    if (updated.value().numRowsAffected() != 1)
        return Error {QCoreApplication::translate("PluginRunStore", "there is no run %1").arg(run.id)};
    if (!metrics.isEmpty()) {
        // One prepared statement for every point; a point given twice keeps the later value.
        QSqlQuery insert(m_db);
        if (!insert.prepare(QStringLiteral("INSERT OR REPLACE INTO plugin_run_metric(run_id, name, step, value) VALUES (?, ?, ?, ?)")))
            return Error {insert.lastError().text()};
        for (const MetricPoint &point : metrics) {
            insert.bindValue(0, run.id);
            insert.bindValue(1, point.name);
            insert.bindValue(2, point.step);
            insert.bindValue(3, std::isfinite(point.value) ? QVariant(point.value) : QVariant(QMetaType::fromType<double>()));
            if (!insert.exec())
                return Error {insert.lastError().text()};
        }
    }
    return transaction.commit();
}

Result<QList<PluginRun>> PluginRunStore::runs(std::optional<qint64> entryId, const QString &pluginId) const
{
    QString sql = QStringLiteral("SELECT ") + runColumns + QStringLiteral(" FROM plugin_run WHERE 1");
    QVariantList values;
    if (entryId) {
        sql += QStringLiteral(" AND entry_id = ?");
        values.append(*entryId);
    }
    if (!pluginId.isEmpty()) {
        sql += QStringLiteral(" AND plugin_id = ?");
        values.append(pluginId);
    }
    sql += QStringLiteral(" ORDER BY started_at DESC, id DESC");
    auto q = Sql::exec(m_db, sql, values);
    if (!q)
        return Error {q.error()};
    QList<PluginRun> found;
    while (q.value().next())
        found.append(readRun(q.value()));
    return found;
}

Result<PluginRun> PluginRunStore::run(qint64 id) const
{
    auto q = Sql::exec(m_db, QStringLiteral("SELECT ") + runColumns + QStringLiteral(" FROM plugin_run WHERE id = ?"), {id});
    if (!q)
        return Error {q.error()};
    if (!q.value().next())
        return Error {QCoreApplication::translate("PluginRunStore", "there is no run %1").arg(id)};
    return readRun(q.value());
}

Result<QList<MetricPoint>> PluginRunStore::metrics(qint64 runId) const
{
    auto q = Sql::exec(m_db, QStringLiteral("SELECT name, step, value FROM plugin_run_metric WHERE run_id = ? ORDER BY name, step"), {runId});
    if (!q)
        return Error {q.error()};
    QList<MetricPoint> points;
    while (q.value().next())
        points.append(
            {q.value().value(0).toString(), q.value().value(1).toLongLong(), q.value().value(2).isNull() ? std::nan("") : q.value().value(2).toDouble()});
    return points;
}

} // namespace Atlas

#include "pluginrun.h"

#include <QJsonArray>

namespace Atlas
{

QString runStatusKey(RunStatus status)
{
    switch (status) {
    case RunStatus::Running:
        return QStringLiteral("running");
    case RunStatus::Finished:
        return QStringLiteral("finished");
    case RunStatus::Failed:
        return QStringLiteral("failed");
    case RunStatus::Crashed:
        return QStringLiteral("crashed");
    case RunStatus::TimedOut:
        return QStringLiteral("timed_out");
    case RunStatus::Cancelled:
        return QStringLiteral("cancelled");
    }
    return QString();
}

std::optional<RunStatus> runStatusFromKey(const QString &key)
{
    for (RunStatus status : {RunStatus::Running, RunStatus::Finished, RunStatus::Failed, RunStatus::Crashed, RunStatus::TimedOut, RunStatus::Cancelled}) {
        if (runStatusKey(status) == key)
            return status;
    }
    return std::nullopt;
}

QJsonObject PluginRun::toJson() const
{
    const auto time = [](const QDateTime &t) {
        return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue(QJsonValue::Null);
    };
    return QJsonObject {
        {QStringLiteral("id"), id},
        {QStringLiteral("plugin"), pluginId},
        {QStringLiteral("plugin_version"), pluginVersion},
        {QStringLiteral("entry"), entryId ? QJsonValue(*entryId) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("parameters"), QJsonObject::fromVariantMap(parameters)},
        // A JSON number loses integers above 2^53; the seed is written as text when it is that large.
        {QStringLiteral("seed"), seed <= (quint64(1) << 53) ? QJsonValue(qint64(seed)) : QJsonValue(QString::number(seed))},
        {QStringLiteral("started_at"), time(startedAt)},
        {QStringLiteral("finished_at"), time(finishedAt)},
        {QStringLiteral("status"), runStatusKey(status)},
        {QStringLiteral("reason"), reason.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(reason)},
        // null when a run that did not finish gave no result
        {QStringLiteral("result"), result.isEmpty() && status != RunStatus::Finished ? QJsonValue(QJsonValue::Null) : QJsonValue(result)},
        {QStringLiteral("artifacts"), QJsonArray::fromStringList(artifacts)},
    };
}

} // namespace Atlas

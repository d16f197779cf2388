#include "runnerline.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonValue>

#include <algorithm>
#include <cmath>

namespace Atlas
{

namespace
{

constexpr qsizetype maxMetricNameLength = 200;
constexpr qsizetype quotedBytes = 200;

} // namespace

Result<RunnerLine> parseRunnerLine(const QByteArray &bytes)
{
    RunnerLine line;
    const QByteArray text = bytes.trimmed();
    if (text.isEmpty())
        return line;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (!document.isObject())
        return Error{QCoreApplication::translate("PluginRunner", "(not a protocol line) %1").arg(QString::fromUtf8(text.left(quotedBytes)))};
    line.object = document.object();
    const QJsonObject &object = line.object;
    const QString type = object.value(QLatin1String("type")).toString();
    if (type == QLatin1String("progress")) {
        const double fraction = object.value(QLatin1String("value")).toDouble();
        line.type = RunnerLine::Type::Progress;
        line.fraction = std::isfinite(fraction) ? std::clamp(fraction, 0.0, 1.0) : 0.0;
        line.message = object.value(QLatin1String("message")).toString();
    } else if (type == QLatin1String("metric")) {
        const QString name = object.value(QLatin1String("name")).toString();
        const QJsonValue step = object.value(QLatin1String("step"));
        const QJsonValue value = object.value(QLatin1String("value"));
        const bool wholeStep = step.isDouble() && step.toDouble() == std::floor(step.toDouble());
        if (name.isEmpty() || name.size() > maxMetricNameLength || !wholeStep || !(value.isDouble() || value.isNull()))
            return line;
        line.type = RunnerLine::Type::Metric;
        line.metric = MetricPoint{name, step.toInteger(), value.isNull() ? std::nan("") : value.toDouble()};
    } else if (type == QLatin1String("log")) {
        line.type = RunnerLine::Type::Log;
        line.message = object.value(QLatin1String("message")).toString();
    } else if (type == QLatin1String("artifact")) {
        line.path = object.value(QLatin1String("path")).toString();
        if (line.path.isEmpty())
            return line;
        line.type = RunnerLine::Type::Artifact;
        line.description = object.value(QLatin1String("description")).toString();
    } else if (type == QLatin1String("result")) {
        line.type = RunnerLine::Type::Result;
        line.result = object.value(QLatin1String("value")).toObject();
    } else if (type == QLatin1String("error")) {
        line.type = RunnerLine::Type::Error;
        line.message = object.value(QLatin1String("message")).toString();
    }
    return line;
}

} // namespace Atlas

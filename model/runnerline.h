// RunnerLine: one JSON line of the runner protocol, read and checked without acting on it, so
// the reader can be tested and fuzzed on its own; PluginRunner applies the limits and the run.
#pragma once

#include "pluginrun.h"
#include "result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace Atlas
{

struct RunnerLine {
    // Ignored: a blank line, a type this client does not know (a newer runner may say more), or
    // a metric or artifact line that lacks what it must carry. Nothing is shown for those.
    enum class Type { Ignored, Progress, Metric, Log, Artifact, Result, Error };

    Type type = Type::Ignored;
    QJsonObject object; // the whole line as it came
    double fraction = 0; // progress, clamped to 0..1 (0 when not a finite number)
    QString message; // progress, log and error
    MetricPoint metric; // metric
    QString path; // artifact
    QString description; // artifact
    QJsonObject result; // result
};

// Parses one line (without its newline). An Error is a line that is not a JSON object, which the
// runner never writes; its message quotes the start of the line.
Result<RunnerLine> parseRunnerLine(const QByteArray &line);

} // namespace Atlas

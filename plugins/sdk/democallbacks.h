// DemoCallbacks: what a demo's computation reports while it runs — progress, metrics, log lines —
// and how it learns that it should stop. The demos keep their computation in a core library that
// knows nothing of the runner (the tests call it directly); the plugin around the core fills these
// from its RunContext with forContext(), and writes the core's outputs with writeArtifact().
#pragma once

#include "mitigationplugin.h"

#include <QDir>
#include <QFile>
#include <QString>

#include <functional>

namespace Atlas
{

struct DemoCallbacks {
    std::function<void(double fraction, const QString &message)> progress;
    std::function<void(const QString &name, qint64 step, double value)> metric;
    std::function<void(const QString &message)> log;
    std::function<bool()> isCancelled;

    // Each one unset is skipped (a core under test may want only some of them).
    void reportProgress(double fraction, const QString &message) const
    {
        if (progress)
            progress(fraction, message);
    }
    void reportMetric(const QString &name, qint64 step, double value) const
    {
        if (metric)
            metric(name, step, value);
    }
    void reportLog(const QString &message) const
    {
        if (log)
            log(message);
    }
    bool cancelRequested() const { return isCancelled && isCancelled(); }

    // Callbacks that report through a run's context (which must outlive them).
    static DemoCallbacks forContext(RunContext &context)
    {
        DemoCallbacks callbacks;
        callbacks.progress = [&context](double fraction, const QString &message) {
            context.progress(fraction, message);
        };
        callbacks.metric = [&context](const QString &name, qint64 step, double value) {
            context.metric(name, step, value);
        };
        callbacks.log = [&context](const QString &message) {
            context.log(message);
        };
        callbacks.isCancelled = [&context] {
            return context.isCancelled();
        };
        return callbacks;
    }
};

// Writes `data` as the file `name` in the run's folder and reports it as an artifact. When it
// cannot, reports the error (naming the file and why) and returns false.
inline bool writeArtifact(RunContext &context, const QString &name, const QByteArray &data, const QString &description)
{
    QFile file(QDir(context.outputFolder()).filePath(name));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(data) != data.size() || !file.flush()) {
        context.error(QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString()));
        return false;
    }
    file.close();
    context.artifact(file.fileName(), description);
    return true;
}

} // namespace Atlas

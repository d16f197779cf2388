// Demo benchmark: the default run of every demo plugin of the build, timed from the start of
// mitigation-atlas-runner to its end, as the app runs it (a process of its own, JSON lines).
//   build/bin/demos_benchmark [--runs N] [--seed S] [ID...]
// Prints one JSON object: per plugin, the status, the wall times of the runs (seconds), their
// median, and the result of the first run (the numbers the demo claims), and whether every
// run gave the same result (reproducibility).
#include "pluginregistry.h"
#include "pluginrunner.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <cstdio>

using namespace Atlas;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    int runs = 1;
    quint64 seed = 1;
    QStringList only;
    for (qsizetype i = 0; i < args.size(); ++i) {
        if (args.at(i) == QLatin1String("--runs") && i + 1 < args.size())
            runs = std::max(1, args.at(++i).toInt());
        else if (args.at(i) == QLatin1String("--seed") && i + 1 < args.size())
            seed = args.at(++i).toULongLong();
        else
            only.append(args.at(i));
    }

    PluginRegistry registry;
    registry.discover();
    QTemporaryDir outputs;
    QJsonObject report {{QStringLiteral("plugin_folder"), PluginRegistry::builtInFolder()}, {QStringLiteral("runs_each"), runs},
        {QStringLiteral("seed"), qint64(seed)}};
    QJsonArray plugins;
    bool allFinished = true;
    for (const PluginInfo &plugin : registry.plugins()) {
        if (!only.isEmpty() && !only.contains(plugin.id))
            continue;
        QJsonObject entry {{QStringLiteral("id"), plugin.displayId()}, {QStringLiteral("version"), plugin.version}};
        if (!plugin.isReady()) {
            entry.insert(QStringLiteral("status"), pluginStateKey(plugin.state));
            entry.insert(QStringLiteral("reason"), plugin.reason());
            plugins.append(entry);
            allFinished = false;
            continue;
        }
        QList<double> seconds;
        QJsonObject firstResult;
        bool reproducible = true;
        QString status = QStringLiteral("finished");
        for (int run = 0; run < runs; ++run) {
            PluginRunner runner(nullptr);
            PluginRunOptions options;
            options.outputFolder = outputs.filePath(QStringLiteral("%1-%2").arg(plugin.id).arg(run));
            runner.setOptions(options);
            QElapsedTimer clock;
            clock.start();
            auto started = runner.start(plugin, {}, seed);
            if (!started) {
                status = started.error();
                break;
            }
            runner.waitForFinished();
            seconds.append(double(clock.nsecsElapsed()) / 1e9);
            if (runner.run().status != RunStatus::Finished) {
                status = runStatusKey(runner.run().status) + QStringLiteral(": ") + runner.run().reason;
                break;
            }
            if (run == 0)
                firstResult = runner.run().result;
            else
                reproducible = reproducible && runner.run().result == firstResult;
        }
        QJsonArray times;
        for (double s : std::as_const(seconds))
            times.append(s);
        QList<double> sorted = seconds;
        std::sort(sorted.begin(), sorted.end());
        entry.insert(QStringLiteral("status"), status);
        entry.insert(QStringLiteral("seconds"), times);
        entry.insert(QStringLiteral("median_seconds"), sorted.isEmpty() ? QJsonValue() : QJsonValue(sorted.at(sorted.size() / 2)));
        if (runs > 1)
            entry.insert(QStringLiteral("reproducible"), reproducible);
        entry.insert(QStringLiteral("result"), firstResult);
        plugins.append(entry);
        allFinished = allFinished && status == QLatin1String("finished");
        std::fprintf(stderr, "%s: %s in %.2f s\n", qPrintable(plugin.id), qPrintable(status), seconds.isEmpty() ? 0.0 : seconds.constLast());
    }
    report.insert(QStringLiteral("plugins"), plugins);
    QTextStream(stdout) << QJsonDocument(report).toJson(QJsonDocument::Indented);
    return allFinished ? 0 : 1;
}

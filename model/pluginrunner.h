// PluginRunner: runs one plugin in mitigation-atlas-runner, a process of its own, reads the
// JSON lines it writes as they come, and records the run in the library. A plugin that
// crashes, hangs or floods its output ends the run (crashed, timed out, failed), never the app.
#pragma once

#include "plugininfo.h"
#include "pluginrun.h"
#include "result.h"

#include <QByteArray>
#include <QFile>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QProcess>

#include <limits>
#include <memory>
#include <optional>

class QTimer;

namespace Atlas
{

class Library;

struct PluginRunOptions {
    // The runner executable; empty: mitigation-atlas-runner beside this executable.
    QString runnerPath;
    // Where the plugin writes its artifacts (made if missing); empty: a new folder under
    // QStandardPaths::AppDataLocation/runs/.
    QString outputFolder;
    // A run that has not ended after this long is killed and recorded as timed out.
    int timeoutMs = 15 * 60 * 1000;
    // After Cancel, how long the plugin has to stop by itself before it is killed.
    int cancelGraceMs = 3000;
    // Protocol limits: a longer line, more output or more metric points end the run as failed.
    qint64 maxLineBytes = 1024 * 1024;
    qint64 maxOutputBytes = 64 * 1024 * 1024;
    qint64 maxMetricPoints = 200000;
    qint64 maxArtifacts = 1000;
};

class PluginRunner : public QObject
{
    Q_OBJECT
public:
    // Runs are recorded in `library` (and linked to an entry of it); nullptr records nothing.
    explicit PluginRunner(Library *library, QObject *parent = nullptr);
    ~PluginRunner() override;

    static QString defaultRunnerPath();
    // The largest seed a run takes (the library stores it as a signed 64-bit integer).
    static constexpr quint64 maxSeed = quint64(std::numeric_limits<qint64>::max());

    void setOptions(const PluginRunOptions &options) { m_options = options; }
    const PluginRunOptions &options() const { return m_options; }

    // Checks the parameters against the plugin's metadata, records the run and starts the
    // runner. Returns the run's id (0 without a library), or why it could not start: the
    // plugin is not ready, a parameter is wrong, a run is going on, the runner is missing.
    Result<qint64> start(const PluginInfo &plugin, const QVariantMap &parameters, quint64 seed, std::optional<qint64> entryId = std::nullopt);
    // Asks the plugin to stop; it is killed if it has not stopped after cancelGraceMs.
    void cancel();
    bool isRunning() const { return m_process != nullptr; }
    // Waits (running an event loop) until the run ends; false if it is still going after `msecs`.
    bool waitForFinished(int msecs = -1);

    // The current run, or the last one once finished() was emitted.
    const PluginRun &run() const { return m_run; }
    const QList<MetricPoint> &metrics() const { return m_metrics; }
    double progress() const { return m_progress; }
    // Set when the run could not be written to the library.
    QString storeError() const { return m_storeError; }

    // The name of the log file each run keeps in its folder (the last of its artifacts).
    static QString logFileName() { return QStringLiteral("run.log"); }

Q_SIGNALS:
    void started(qint64 runId);
    // Every protocol line the runner wrote and the runner client accepted, as it came.
    void lineReceived(const QJsonObject &line);
    void progressChanged(double fraction, const QString &message);
    void metricReceived(const QString &name, qint64 step, double value);
    void logReceived(const QString &message);
    void artifactReceived(const QString &path, const QString &description);
    void resultReceived(const QJsonObject &result);
    void errorReceived(const QString &message);
    void finished(const Atlas::PluginRun &run);

private:
    void readOutput();
    void readErrorOutput();
    void handleLine(const QByteArray &line);
    // Ends the run now with this status, whatever the process does next.
    void stop(RunStatus status, const QString &reason);
    void processFinished(int exitCode, QProcess::ExitStatus exitStatus);
    void processError(QProcess::ProcessError error);
    void finalize();
    QString defaultOutputFolder() const;

    QPointer<Library> m_library;
    PluginRunOptions m_options;
    QProcess *m_process = nullptr;
    QTimer *m_timeout = nullptr;
    QTimer *m_grace = nullptr;
    PluginRun m_run;
    QList<MetricPoint> m_metrics;
    double m_progress = 0;
    QByteArray m_buffer;
    qint64 m_outputBytes = 0;
    QByteArray m_errorTail; // the last few KiB the runner wrote to stderr
    QString m_lastError; // the last error line's message
    std::optional<std::pair<RunStatus, QString>> m_verdict;
    bool m_cancelRequested = false;
    QString m_storeError;
    // The run's log (what the plugin logged, its error and how the run ended), kept in the run's
    // folder as run.log and listed as its last artifact, so an earlier run's log can be shown.
    std::unique_ptr<QFile> m_logFile;
    void writeLog(const QString &line);
};

} // namespace Atlas

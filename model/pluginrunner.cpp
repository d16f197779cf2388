#include "pluginrunner.h"

#include "library.h"
#include "pluginregistry.h"
#include "pluginrunstore.h"
#include "runnerline.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTimer>

#include <csignal>
#include <cstring>

namespace Atlas
{

namespace
{

QString tr(const char *text)
{
    return QCoreApplication::translate("PluginRunner", text);
}

// The runner's exit codes (app/runner/main.cpp).
enum RunnerExit { RunnerFinished = 0, RunnerUsage = 1, RunnerCannotLoad = 2, RunnerPluginFailed = 3, RunnerCancelled = 4 };

constexpr qsizetype errorTailBytes = 4096;

QString signalText(int number)
{
    const char *name = ::strsignal(number);
    return name ? QStringLiteral("%1, signal %2").arg(QString::fromLocal8Bit(name)).arg(number) : QStringLiteral("signal %1").arg(number);
}

QString lastLine(const QByteArray &text)
{
    const QList<QByteArray> lines = text.trimmed().split('\n');
    return lines.isEmpty() ? QString() : QString::fromUtf8(lines.last()).trimmed();
}

QString sizeText(qint64 bytes)
{
    if (bytes >= 1024 * 1024)
        return tr("%1 MiB").arg(bytes / (1024.0 * 1024.0), 0, 'f', 1);
    return tr("%1 KiB").arg(bytes / 1024.0, 0, 'f', 1);
}

} // namespace

PluginRunner::PluginRunner(Library *library, QObject *parent) : QObject(parent), m_library(library) { }

PluginRunner::~PluginRunner()
{
    if (!m_process)
        return;
    // The app is closing during a run: kill the runner and record the run, without signals.
    m_process->disconnect(this);
    m_process->kill();
    m_process->waitForFinished(2000);
    if (!m_verdict)
        m_verdict = std::make_pair(RunStatus::Cancelled, tr("the application closed during the run"));
    blockSignals(true);
    finalize();
}

QString PluginRunner::defaultRunnerPath()
{
    return QCoreApplication::applicationDirPath() + QStringLiteral("/mitigation-atlas-runner");
}

QString PluginRunner::defaultOutputFolder() const
{
    const QString base = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QString name = m_run.pluginId + QLatin1Char('-') + m_run.startedAt.toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
    if (m_run.id > 0)
        name += QStringLiteral("-run%1").arg(m_run.id);
    return base + QStringLiteral("/runs/") + name;
}

Result<qint64> PluginRunner::start(const PluginInfo &plugin, const QVariantMap &parameters, quint64 seed, std::optional<qint64> entryId)
{
    if (m_process)
        return Error {tr("a run of %1 is still going on").arg(m_run.pluginId)};
    if (!plugin.isReady())
        return Error {tr("%1 cannot run: %2").arg(plugin.displayId(), plugin.reason())};
    if (seed > maxSeed)
        return Error {tr("the seed must be at most %1").arg(maxSeed)};
    auto checked = PluginRegistry::validateParameters(plugin, parameters);
    if (!checked)
        return Error {checked.error()};
    const QString runnerPath = m_options.runnerPath.isEmpty() ? defaultRunnerPath() : m_options.runnerPath;
    if (!QFileInfo(runnerPath).isExecutable())
        return Error {tr("%1: the plugin runner is missing").arg(runnerPath)};

    m_run = PluginRun {};
    m_run.pluginId = plugin.id;
    m_run.pluginVersion = plugin.version;
    m_run.entryId = entryId;
    m_run.parameters = checked.value();
    m_run.seed = seed;
    m_run.startedAt = QDateTime::currentDateTimeUtc();
    m_metrics.clear();
    m_progress = 0;
    m_buffer.clear();
    m_outputBytes = 0;
    m_errorTail.clear();
    m_lastError.clear();
    m_verdict.reset();
    m_cancelRequested = false;
    m_storeError.clear();

    if (m_library && m_library->isOpen()) {
        PluginRunStore store(m_library->database());
        auto id = store.begin(m_run);
        if (!id)
            return Error {tr("cannot record the run: %1").arg(id.error())};
        m_run.id = id.value();
    }
    const QString folder = m_options.outputFolder.isEmpty() ? defaultOutputFolder() : m_options.outputFolder;
    if (!QDir().mkpath(folder)) {
        m_verdict = std::make_pair(RunStatus::Failed, tr("%1: cannot make the folder for the run's files").arg(folder));
        finalize();
        return Error {m_run.reason};
    }

    // The log is a convenience: a run whose log cannot be written still runs.
    m_logFile = std::make_unique<QFile>(QDir(folder).filePath(logFileName()));
    if (!m_logFile->open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
        m_logFile.reset();

    m_process = new QProcess(this);
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    m_process->setWorkingDirectory(folder);
    connect(m_process, &QProcess::readyReadStandardOutput, this, &PluginRunner::readOutput);
    connect(m_process, &QProcess::readyReadStandardError, this, &PluginRunner::readErrorOutput);
    connect(m_process, &QProcess::finished, this, &PluginRunner::processFinished);
    connect(m_process, &QProcess::errorOccurred, this, &PluginRunner::processError);

    // Precise timers: a coarse one may fire up to 5% early, cutting a grace period short.
    m_timeout = new QTimer(this);
    m_timeout->setTimerType(Qt::PreciseTimer);
    m_timeout->setSingleShot(true);
    connect(m_timeout, &QTimer::timeout, this, [this] {
        stop(RunStatus::TimedOut, tr("no end after %1 s; the runner was killed").arg(m_options.timeoutMs / 1000.0));
    });
    m_grace = new QTimer(this);
    m_grace->setTimerType(Qt::PreciseTimer);
    m_grace->setSingleShot(true);
    connect(m_grace, &QTimer::timeout, this, [this] {
        stop(RunStatus::Cancelled, tr("cancelled; the plugin did not stop within %1 s and was killed").arg(m_options.cancelGraceMs / 1000.0));
    });

    const QStringList arguments {
        QStringLiteral("--plugin-file"),
        plugin.filePath,
        QStringLiteral("--parameters"),
        QString::fromUtf8(QJsonDocument(QJsonObject::fromVariantMap(m_run.parameters)).toJson(QJsonDocument::Compact)),
        QStringLiteral("--seed"),
        QString::number(seed),
        QStringLiteral("--output-dir"),
        folder,
        QStringLiteral("--watch-stdin"),
        plugin.id,
    };
    m_timeout->start(m_options.timeoutMs);
    m_process->start(runnerPath, arguments);
    if (m_process) // still running: a runner that failed to start has been recorded already
        Q_EMIT started(m_run.id);
    return m_run.id;
}

void PluginRunner::cancel()
{
    if (!m_process || m_cancelRequested || m_verdict)
        return;
    m_cancelRequested = true;
    // The runner reads "cancel" on its standard input and sets the flag the plugin polls.
    m_process->write("cancel\n");
    m_grace->start(m_options.cancelGraceMs);
}

bool PluginRunner::waitForFinished(int msecs)
{
    if (!m_process)
        return true;
    QEventLoop loop;
    connect(this, &PluginRunner::finished, &loop, &QEventLoop::quit);
    if (msecs >= 0)
        QTimer::singleShot(msecs, &loop, &QEventLoop::quit);
    loop.exec();
    return !m_process;
}

void PluginRunner::stop(RunStatus status, const QString &reason)
{
    if (!m_process || m_verdict)
        return;
    m_verdict = std::make_pair(status, reason);
    m_timeout->stop();
    m_grace->stop();
    m_process->kill();
}

void PluginRunner::readOutput()
{
    if (!m_process)
        return;
    const QByteArray chunk = m_process->readAllStandardOutput();
    if (m_verdict)
        return; // the run is ending; what comes now is not used
    m_outputBytes += chunk.size();
    if (m_outputBytes > m_options.maxOutputBytes) {
        stop(RunStatus::Failed, tr("flooded: the plugin wrote more than %1").arg(sizeText(m_options.maxOutputBytes)));
        return;
    }
    m_buffer += chunk;
    qsizetype from = 0;
    for (;;) {
        const qsizetype newline = m_buffer.indexOf('\n', from);
        if (newline < 0)
            break;
        if (newline - from > m_options.maxLineBytes) {
            stop(RunStatus::Failed, tr("the plugin wrote a line longer than %1").arg(sizeText(m_options.maxLineBytes)));
            return;
        }
        handleLine(m_buffer.mid(from, newline - from));
        from = newline + 1;
        if (m_verdict)
            return;
    }
    m_buffer.remove(0, from);
    if (m_buffer.size() > m_options.maxLineBytes)
        stop(RunStatus::Failed, tr("the plugin wrote a line longer than %1").arg(sizeText(m_options.maxLineBytes)));
}

void PluginRunner::readErrorOutput()
{
    if (!m_process)
        return;
    // Only the tail is kept: enough for the reason of a crash, never a flood in memory.
    m_errorTail += m_process->readAllStandardError();
    if (m_errorTail.size() > errorTailBytes)
        m_errorTail = m_errorTail.right(errorTailBytes);
}

void PluginRunner::handleLine(const QByteArray &bytes)
{
    auto parsed = parseRunnerLine(bytes);
    if (!parsed) {
        // The runner keeps the plugin's own printing off this channel, so this should not
        // happen; show it rather than lose it.
        Q_EMIT logReceived(parsed.error());
        return;
    }
    const RunnerLine &line = parsed.value();
    switch (line.type) {
    case RunnerLine::Type::Ignored:
        return;
    case RunnerLine::Type::Progress:
        m_progress = line.fraction;
        Q_EMIT lineReceived(line.object);
        Q_EMIT progressChanged(line.fraction, line.message);
        return;
    case RunnerLine::Type::Metric:
        if (m_metrics.size() >= m_options.maxMetricPoints) {
            stop(RunStatus::Failed, tr("flooded: the plugin wrote more than %1 metric points").arg(m_options.maxMetricPoints));
            return;
        }
        m_metrics.append(line.metric);
        Q_EMIT lineReceived(line.object);
        Q_EMIT metricReceived(line.metric.name, line.metric.step, line.metric.value);
        return;
    case RunnerLine::Type::Log:
        writeLog(line.message);
        Q_EMIT lineReceived(line.object);
        Q_EMIT logReceived(line.message);
        return;
    case RunnerLine::Type::Artifact:
        if (m_run.artifacts.size() >= m_options.maxArtifacts) {
            stop(RunStatus::Failed, tr("flooded: the plugin reported more than %1 artifacts").arg(m_options.maxArtifacts));
            return;
        }
        if (!m_run.artifacts.contains(line.path))
            m_run.artifacts.append(line.path);
        Q_EMIT lineReceived(line.object);
        Q_EMIT artifactReceived(line.path, line.description);
        return;
    case RunnerLine::Type::Result:
        m_run.result = line.result;
        Q_EMIT lineReceived(line.object);
        Q_EMIT resultReceived(m_run.result);
        return;
    case RunnerLine::Type::Error:
        m_lastError = line.message;
        writeLog(tr("error: %1").arg(line.message));
        Q_EMIT lineReceived(line.object);
        Q_EMIT errorReceived(m_lastError);
        return;
    }
}

void PluginRunner::processFinished(int exitCode, QProcess::ExitStatus exitStatus)
{
    if (!m_process)
        return;
    // What is still in the pipe, then a last line without its newline.
    readOutput();
    readErrorOutput();
    if (!m_verdict && !m_buffer.isEmpty()) {
        handleLine(m_buffer);
        m_buffer.clear();
    }
    if (!m_verdict) {
        const QString stderrLine = lastLine(m_errorTail);
        if (exitStatus == QProcess::CrashExit) {
            QString reason = tr("the plugin crashed (%1)").arg(signalText(exitCode));
            if (!stderrLine.isEmpty())
                reason += QLatin1String(": ") + stderrLine;
            m_verdict = std::make_pair(RunStatus::Crashed, reason);
        } else if (exitCode == RunnerFinished) {
            m_verdict = std::make_pair(RunStatus::Finished, QString());
        } else if (exitCode == RunnerCancelled) {
            m_verdict = std::make_pair(RunStatus::Cancelled, m_cancelRequested ? tr("cancelled by the user") : tr("the runner stopped the run"));
        } else if (exitCode == RunnerCannotLoad || exitCode == RunnerPluginFailed) {
            m_verdict = std::make_pair(RunStatus::Failed, !m_lastError.isEmpty() ? m_lastError : tr("the plugin failed without saying why"));
        } else if (exitCode == RunnerUsage) {
            m_verdict = std::make_pair(RunStatus::Failed, tr("the runner refused its arguments: %1").arg(stderrLine));
        } else {
            m_verdict = std::make_pair(RunStatus::Failed,
                tr("the runner ended with exit code %1%2").arg(exitCode).arg(stderrLine.isEmpty() ? QString() : QLatin1String(": ") + stderrLine));
        }
    }
    finalize();
}

void PluginRunner::processError(QProcess::ProcessError error)
{
    // Crashes and kills arrive through finished(); only a runner that never started ends here.
    if (error != QProcess::FailedToStart || !m_process)
        return;
    if (!m_verdict)
        m_verdict = std::make_pair(RunStatus::Failed, tr("cannot start the plugin runner: %1").arg(m_process->errorString()));
    finalize();
}

void PluginRunner::writeLog(const QString &line)
{
    // Bounded like the output it comes from (a flood ends the run before this grows further).
    if (m_logFile && m_logFile->size() < m_options.maxOutputBytes)
        m_logFile->write(line.toUtf8() + '\n');
}

void PluginRunner::finalize()
{
    if (m_timeout)
        m_timeout->stop();
    if (m_grace)
        m_grace->stop();
    if (m_process) {
        m_process->disconnect(this);
        m_process->deleteLater();
        m_process = nullptr;
    }
    // Later: finalize() may run inside a signal of one of them.
    if (m_timeout)
        m_timeout->deleteLater();
    m_timeout = nullptr;
    if (m_grace)
        m_grace->deleteLater();
    m_grace = nullptr;

    m_run.status = m_verdict ? m_verdict->first : RunStatus::Failed;
    m_run.reason = m_verdict ? m_verdict->second : QString();
    m_run.finishedAt = QDateTime::currentDateTimeUtc();
    if (m_run.status == RunStatus::Finished)
        m_progress = 1;
    if (m_logFile) {
        writeLog(m_run.reason.isEmpty() ? tr("ended: %1").arg(runStatusKey(m_run.status)) : tr("ended: %1: %2").arg(runStatusKey(m_run.status), m_run.reason));
        m_logFile->close();
        m_run.artifacts.append(m_logFile->fileName());
        m_logFile.reset();
    }
    if (m_library && m_library->isOpen() && m_run.id > 0) {
        PluginRunStore store(m_library->database());
        if (auto status = store.finish(m_run, m_metrics); !status)
            m_storeError = status.error();
        else
            m_library->notifyChanged();
    }
    Q_EMIT finished(m_run);
}

} // namespace Atlas

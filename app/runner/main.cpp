// mitigation-atlas-runner: loads one plugin and runs it, in a process of its own, so that a
// plugin that crashes, hangs or floods takes only this process down. Writes one JSON object per
// line to standard output (type: progress, metric, log, artifact, result, error); whatever the
// plugin itself prints goes to standard error instead.
// Exit codes: 0 finished, 1 usage error, 2 plugin not found, not loadable or parameters wrong,
// 3 the plugin failed, 4 cancelled.
#include "application.h"
#include "confinement.h"
#include "mitigationplugin.h"
#include "pluginregistry.h"
#include "runnercontext.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QPluginLoader>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <thread>

#include <sys/resource.h>
#include <unistd.h>

namespace
{

enum ExitCode { Finished = 0, UsageError = 1, CannotLoad = 2, PluginFailed = 3, Cancelled = 4 };

// How long a plugin has to stop after its input ends (the app went away) before the runner quits.
constexpr auto orphanGrace = std::chrono::seconds(3);

std::atomic<bool> cancelled {false};
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler sets this flag");

extern "C" void onStopSignal(int)
{
    cancelled.store(true);
}

QString tr(const char *text)
{
    return QCoreApplication::translate("runner", text);
}

// Reads the control channel: a line "cancel" cancels; the end of input (the app closed the
// pipe or died) cancels too, and ends the process if the plugin does not stop soon.
void watchStandardInput()
{
    std::thread([] {
        QByteArray pending;
        char buffer[256];
        for (;;) {
            const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            pending.append(buffer, n);
            qsizetype newline;
            while ((newline = pending.indexOf('\n')) >= 0) {
                if (pending.left(newline).trimmed() == "cancel")
                    cancelled.store(true);
                pending.remove(0, newline + 1);
            }
            if (pending.size() > 1024)
                pending.clear();
        }
        cancelled.store(true);
        std::this_thread::sleep_for(orphanGrace);
        std::_Exit(Cancelled);
    }).detach();
}

int failWith(RunnerContext &context, ExitCode code, const QString &message)
{
    context.error(message);
    return code;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    Atlas::setApplicationIdentity();

    // A crashing demo leaves no core file behind; a closed pipe is an error, not a signal.
    const rlimit noCore {0, 0};
    ::setrlimit(RLIMIT_CORE, &noCore);
    std::signal(SIGPIPE, SIG_IGN);
    std::signal(SIGTERM, onStopSignal);
    std::signal(SIGINT, onStopSignal);

    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Runs one Mitigation Atlas plugin and writes what it reports as JSON lines.\n"
                                        "Exit codes: 0 finished, 1 usage error, 2 plugin not found or not loadable or parameters wrong, "
                                        "3 the plugin failed, 4 cancelled."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("plugin"), tr("The id of the plugin to run."));
    const QCommandLineOption pluginFile(
        QStringLiteral("plugin-file"), tr("Load the plugin from FILE (its metadata must carry the id)."), QStringLiteral("FILE"));
    const QCommandLineOption pluginDir(QStringLiteral("plugin-dir"), tr("Also look for plugins in DIR (absolute; repeatable)."), QStringLiteral("DIR"));
    const QCommandLineOption param(QStringLiteral("param"), tr("Set a parameter (repeatable)."), QStringLiteral("NAME=VALUE"));
    const QCommandLineOption parametersJson(QStringLiteral("parameters"), tr("Parameters as a JSON object."), QStringLiteral("JSON"));
    const QCommandLineOption seedOption(QStringLiteral("seed"), tr("The random seed (default 0)."), QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption outputDir(
        QStringLiteral("output-dir"), tr("Folder for the files the plugin writes (default: the current one)."), QStringLiteral("DIR"));
    const QCommandLineOption watchStdin(QStringLiteral("watch-stdin"), tr("Cancel on a line \"cancel\" on standard input, and when standard input ends."));
    const QCommandLineOption check(QStringLiteral("check"), tr("Only load the plugin, to check that it can be loaded."));
    parser.addOptions({pluginFile, pluginDir, param, parametersJson, seedOption, outputDir, watchStdin, check});
    parser.process(app); // --help, --version and unknown options end here (exit 0 or 1)

    // From here on, standard output is the protocol channel. Anything the plugin prints with
    // printf or std::cout lands on standard error, where it cannot break a line.
    std::fflush(stdout);
    const int protocolFd = ::dup(STDOUT_FILENO);
    if (protocolFd < 0 || ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
        std::fprintf(stderr, "mitigation-atlas-runner: cannot set up standard output\n");
        return UsageError;
    }

    const QString folder = parser.isSet(outputDir) ? parser.value(outputDir) : QDir::currentPath();
    RunnerContext context(protocolFd, QDir(folder).absolutePath(), cancelled);
    if (parser.positionalArguments().size() > 1)
        return failWith(context, UsageError, tr("give one plugin id"));
    const QString id = parser.positionalArguments().value(0);
    if (id.isEmpty() && !parser.isSet(pluginFile))
        return failWith(context, UsageError, tr("which plugin? give its id"));
    bool seedOk = false;
    const quint64 seed = parser.value(seedOption).toULongLong(&seedOk);
    if (!seedOk)
        return failWith(context, UsageError, tr("--seed takes a whole number from 0 up, not \"%1\"").arg(parser.value(seedOption)));

    // Which plugin: the file named, or the one with this id in the plugin folders.
    Atlas::PluginInfo info;
    if (parser.isSet(pluginFile)) {
        info = Atlas::PluginRegistry::readFile(QFileInfo(parser.value(pluginFile)).absoluteFilePath());
        if (info.isReady() && !id.isEmpty() && info.id != id)
            return failWith(context, CannotLoad, tr("%1 holds the plugin \"%2\", not \"%3\"").arg(info.filePath, info.id, id));
    } else {
        Atlas::PluginRegistry registry;
        QStringList folders;
        for (const QString &dir : parser.values(pluginDir))
            folders.append(QFileInfo(dir).absoluteFilePath());
        registry.setExtraFolders(folders);
        registry.discover();
        if (const Atlas::PluginInfo *found = registry.find(id)) {
            info = *found;
        } else {
            for (const Atlas::PluginInfo &plugin : registry.plugins()) {
                if (plugin.id == id)
                    return failWith(context, CannotLoad, tr("%1 (%2) cannot be used: %3").arg(id, plugin.filePath, plugin.reason()));
            }
            QStringList searched {registry.builtInFolder()};
            searched += folders;
            return failWith(context, CannotLoad, tr("no plugin \"%1\" in %2").arg(id, searched.join(QLatin1String(", "))));
        }
    }
    if (!info.isReady())
        return failWith(context, CannotLoad, tr("%1 cannot be used: %2").arg(info.displayId(), info.reason()));

    // Parameters: the JSON object, then NAME=VALUE assignments, checked against the metadata.
    QVariantMap values;
    if (parser.isSet(parametersJson)) {
        const QJsonDocument document = QJsonDocument::fromJson(parser.value(parametersJson).toUtf8());
        if (!document.isObject())
            return failWith(context, UsageError, tr("--parameters takes a JSON object"));
        values = document.object().toVariantMap();
    }
    auto assigned = Atlas::PluginRegistry::parseAssignments(parser.values(param));
    if (!assigned)
        return failWith(context, UsageError, assigned.error());
    values.insert(assigned.value());
    auto parameters = Atlas::PluginRegistry::validateParameters(info, values);
    if (!parameters)
        return failWith(context, CannotLoad, tr("%1: %2").arg(info.id, parameters.error()));

    if (!parser.isSet(check) && !QDir().mkpath(context.outputFolder()))
        return failWith(context, CannotLoad, tr("%1: cannot make the output folder").arg(context.outputFolder()));

    // From here on the process may write only inside the run's folder (nothing at all for a
    // check), before any code of the plugin runs and while this is the process's only thread (the
    // kernel restricts the calling thread and the threads it makes later). Temporary files go
    // to the run's folder too.
    QStringList writable;
    if (!parser.isSet(check)) {
        writable.append(context.outputFolder());
        qputenv("TMPDIR", QFile::encodeName(context.outputFolder()));
    }
    const Atlas::Runner::Confinement confinement = Atlas::Runner::confineWrites(writable);
    if (!parser.isSet(check))
        context.log(confinement.description);

    if (parser.isSet(watchStdin))
        watchStandardInput();

    // Loading runs the plugin's own code for the first time; all symbols are resolved now, so
    // a missing one is reported here rather than crashing in the middle of a run.
    QPluginLoader loader(info.filePath);
    loader.setLoadHints(QLibrary::ResolveAllSymbolsHint);
    QObject *instance = loader.instance();
    if (!instance)
        return failWith(context, CannotLoad, loader.errorString()); // "Cannot load library FILE: why"
    auto *plugin = qobject_cast<Atlas::MitigationPlugin *>(instance);
    if (!plugin)
        return failWith(context, CannotLoad, tr("%1 does not implement the plugin interface %2").arg(info.filePath, QLatin1String(AtlasMitigationPlugin_iid)));
    if (parser.isSet(check))
        return Finished;

    if (!QDir::setCurrent(context.outputFolder()))
        return failWith(context, CannotLoad, tr("%1: cannot enter the output folder").arg(context.outputFolder()));
    context.log(tr("running %1 %2 with seed %3").arg(info.id, info.version).arg(seed));
    bool finished = false;
    try {
        finished = plugin->run(parameters.value(), seed, context);
    } catch (const std::exception &e) {
        return failWith(context, PluginFailed, tr("the plugin threw an exception: %1").arg(QString::fromLocal8Bit(e.what())));
    } catch (...) {
        return failWith(context, PluginFailed, tr("the plugin threw an exception"));
    }
    if (finished) {
        if (!context.hasResult())
            context.result(QJsonObject());
        return Finished;
    }
    if (context.isCancelled()) {
        context.log(tr("cancelled"));
        return Cancelled;
    }
    if (!context.hasError())
        context.error(tr("the plugin failed without saying why"));
    return PluginFailed;
}

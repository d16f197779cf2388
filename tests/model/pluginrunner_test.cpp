// PluginRunnerTest: runs the test plugins through mitigation-atlas-runner and checks that every
// run is recorded with its status and reason: a happy path with metrics and a result, failures,
// a crash, a hang (timeout, and cancel ignored), cancel, a flood, broken protocol, reproducibility,
// and a plugin that tries to write, connect and signal outside its run (confined by the runner).
#include "pluginregistry.h"
#include "pluginrunner.h"
#include "pluginrunstore.h"
#include "testlibrary.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace
{

const QString runnerPath = QStringLiteral(ATLAS_BIN_DIR "/mitigation-atlas-runner");

} // namespace

class PluginRunnerTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void happyPathIsRecorded();
    void sameParametersAndSeedSameResult();
    void pluginReportsFailure();
    void refusedBeforeStarting();
    void crashIsRecorded();
    void hangTimesOut();
    void cancelStopsACooperativePlugin();
    void cancelKillsAPluginThatIgnoresIt();
    void floodEndsTheRun();
    void outputLimit();
    void unloadablePluginFails();
    void brokenProtocol_data();
    void brokenProtocol();
    void closingDuringARunRecordsIt();
    void runWithoutLibrary();
    void pluginIsConfinedToItsRunFolder_data();
    void pluginIsConfinedToItsRunFolder();

private:
    const Atlas::PluginInfo &plugin(const QString &id) const;
    Atlas::PluginRunOptions options(int timeoutMs = 60000);
    // Runs to the end and returns the recorded run (or the runner's run without a library).
    Atlas::PluginRun runToEnd(
        Atlas::PluginRunner &runner, const QString &id, const QVariantMap &parameters, quint64 seed = 0, std::optional<qint64> entry = std::nullopt);
    QString fakeRunner(const QString &name, const QByteArray &script);

    QTemporaryDir m_dir;
    Atlas::PluginRegistry m_registry;
    std::unique_ptr<Atlas::Library> m_library;
    int m_runs = 0;
};

const Atlas::PluginInfo &PluginRunnerTest::plugin(const QString &id) const
{
    const Atlas::PluginInfo *found = m_registry.find(id);
    if (!found)
        qFatal("test plugin %s not found", qPrintable(id));
    return *found;
}

Atlas::PluginRunOptions PluginRunnerTest::options(int timeoutMs)
{
    Atlas::PluginRunOptions o;
    o.runnerPath = runnerPath;
    o.outputFolder = m_dir.filePath(u"run-%1"_s.arg(++m_runs));
    o.timeoutMs = timeoutMs;
    return o;
}

Atlas::PluginRun PluginRunnerTest::runToEnd(
    Atlas::PluginRunner &runner, const QString &id, const QVariantMap &parameters, quint64 seed, std::optional<qint64> entry)
{
    QSignalSpy finished(&runner, &Atlas::PluginRunner::finished);
    auto started = runner.start(plugin(id), parameters, seed, entry);
    if (!started) {
        qWarning("start failed: %s", qPrintable(started.error()));
        return {};
    }
    if (!runner.waitForFinished(120000))
        qWarning("the run did not end");
    if (finished.size() != 1)
        qWarning("finished() was emitted %d times", int(finished.size()));
    if (!runner.storeError().isEmpty())
        qWarning("not stored: %s", qPrintable(runner.storeError()));
    if (runner.run().id == 0)
        return runner.run();
    Atlas::PluginRunStore store(m_library->database());
    auto stored = store.run(runner.run().id);
    return stored ? stored.value() : Atlas::PluginRun {};
}

QString PluginRunnerTest::fakeRunner(const QString &name, const QByteArray &script)
{
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write("#!/bin/sh\n" + script + "\n") < 0)
        return QString();
    file.close();
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return path;
}

void PluginRunnerTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFileInfo(runnerPath).isExecutable(), "mitigation-atlas-runner is not built");
    m_registry.setUseBuiltInFolder(false);
    m_registry.setExtraFolders({QStringLiteral(ATLAS_TEST_PLUGIN_DIR)});
    m_registry.discover();
    for (const char *id : {"count", "crash", "hang", "flood", "nosymbol", "escape"})
        QVERIFY2(m_registry.find(QLatin1String(id)), id);
}

void PluginRunnerTest::init()
{
    m_library = std::make_unique<Atlas::Library>();
    const QString file = m_dir.filePath(QStringLiteral("%1.sqlite").arg(QString::fromLatin1(QTest::currentTestFunction())));
    QFile::remove(file);
    Atlas::Library::Options libraryOptions;
    libraryOptions.installBundledTaxonomies = false;
    QVERIFY2(m_library->open(file, libraryOptions), "cannot open the library");
}

void PluginRunnerTest::cleanup()
{
    m_library.reset();
}

void PluginRunnerTest::happyPathIsRecorded()
{
    const qint64 entry = AtlasTest::addEntry(*m_library, u"Grokking as a window on generalisation"_s);
    Atlas::PluginRunner runner(m_library.get());
    runner.setOptions(options());
    QSignalSpy started(&runner, &Atlas::PluginRunner::started);
    QSignalSpy progress(&runner, &Atlas::PluginRunner::progressChanged);
    QSignalSpy metric(&runner, &Atlas::PluginRunner::metricReceived);
    QSignalSpy log(&runner, &Atlas::PluginRunner::logReceived);
    QSignalSpy artifact(&runner, &Atlas::PluginRunner::artifactReceived);
    QSignalSpy result(&runner, &Atlas::PluginRunner::resultReceived);
    QSignalSpy errors(&runner, &Atlas::PluginRunner::errorReceived);
    QSignalSpy lines(&runner, &Atlas::PluginRunner::lineReceived);

    QElapsedTimer timer;
    timer.start();
    const Atlas::PluginRun run = runToEnd(runner, u"count"_s, {{u"n"_s, 20}, {u"write_file"_s, true}, {u"label"_s, u"happy"_s}}, 42, entry);
    qInfo("a 20-step count run took %lld ms, runner start and stop included", timer.elapsed());

    QCOMPARE(run.status, Atlas::RunStatus::Finished);
    QVERIFY(run.reason.isEmpty());
    QVERIFY(run.id > 0);
    QCOMPARE(started.size(), 1);
    QCOMPARE(started.first().first().toLongLong(), run.id);
    QCOMPARE(run.pluginId, u"count"_s);
    QCOMPARE(run.pluginVersion, u"1.2.0"_s);
    QCOMPARE(run.entryId, std::optional<qint64>(entry));
    QCOMPARE(run.seed, quint64(42));
    // Every parameter is stored, the defaults too.
    QCOMPARE(run.parameters.size(), 8);
    QCOMPARE(run.parameters.value(u"n"_s).toInt(), 20);
    QCOMPARE(run.parameters.value(u"mode"_s).toString(), u"sum"_s);
    QCOMPARE(run.parameters.value(u"write_file"_s).toBool(), true);
    QVERIFY(run.startedAt.isValid());
    QVERIFY(run.finishedAt.isValid());
    QVERIFY(run.finishedAt >= run.startedAt);
    QCOMPARE(run.result.value(u"count"_s).toInt(), 20);
    QCOMPARE(run.result.value(u"sum"_s).toInt(), 210);
    QCOMPARE(run.result.value(u"label"_s).toString(), u"happy"_s);
    QVERIFY(!run.result.value(u"checksum"_s).toString().isEmpty());
    QCOMPARE(run.artifacts.size(), 2);
    QVERIFY(run.artifacts.first().endsWith(u"/count.txt"_s));
    // The log is kept beside the artifacts, with how the run ended.
    QVERIFY(run.artifacts.last().endsWith(u"/run.log"_s));
    QFile logFile(run.artifacts.last());
    QVERIFY(logFile.open(QIODevice::ReadOnly));
    const QByteArray logText = logFile.readAll();
    QVERIFY2(logText.contains("running count 1.2.0 with seed 42\ncounted to 20\nended: finished\n"), logText.constData());
    QFile counted(run.artifacts.first());
    QVERIFY(counted.open(QIODevice::ReadOnly));
    QCOMPARE(counted.readAll().count('\n'), 20);

    QCOMPARE(progress.size(), 20);
    QCOMPARE(progress.last().at(0).toDouble(), 1.0);
    QCOMPARE(progress.last().at(1).toString(), u"step 20 of 20"_s);
    QCOMPARE(runner.progress(), 1.0);
    QCOMPARE(metric.size(), 40);
    QCOMPARE(metric.at(0).at(0).toString(), u"value"_s);
    QCOMPARE(metric.at(0).at(1).toLongLong(), 1);
    QCOMPARE(artifact.size(), 1);
    QCOMPARE(result.size(), 1);
    QVERIFY(errors.isEmpty());
    // "writes confined to …" (or "not confined: why"), "running count 1.2.0 with seed 42", "counted to 20"
    QCOMPARE(log.size(), 3);
    QVERIFY(log.at(0).first().toString().contains(u"confined"_s));
    QVERIFY(log.at(1).first().toString().contains(u"seed 42"_s));
    QCOMPARE(lines.size(), 20 + 40 + 3 + 1 + 1);

    // The metrics are stored with the run, by name and step.
    Atlas::PluginRunStore store(m_library->database());
    auto metrics = store.metrics(run.id);
    QVERIFY(metrics);
    QCOMPARE(metrics->size(), 40);
    QCOMPARE(metrics->first(), (Atlas::MetricPoint {u"draw"_s, 1, metrics->first().value}));
    QCOMPARE(metrics->last(), (Atlas::MetricPoint {u"value"_s, 20, 20.0}));
    QCOMPARE(AtlasTest::scalar(*m_library, u"SELECT count(*) FROM plugin_run_metric WHERE run_id = ? AND name = 'value'"_s, {run.id}).toInt(), 20);
    // And the run is found by its entry.
    auto byEntry = store.runs(entry);
    QVERIFY(byEntry);
    QCOMPARE(byEntry->size(), 1);
    QCOMPARE(byEntry->first().id, run.id);
    QCOMPARE(AtlasTest::scalar(*m_library, u"SELECT status FROM plugin_run WHERE id = ?"_s, {run.id}).toString(), u"finished"_s);
    QVERIFY(AtlasTest::scalar(*m_library, u"SELECT status_reason FROM plugin_run WHERE id = ?"_s, {run.id}).isNull());
    const QJsonObject parameters
        = QJsonDocument::fromJson(AtlasTest::scalar(*m_library, u"SELECT parameters FROM plugin_run WHERE id = ?"_s, {run.id}).toString().toUtf8()).object();
    QCOMPARE(parameters.value(u"n"_s).toInt(), 20);
    QCOMPARE(run.toJson().value(u"status"_s).toString(), u"finished"_s);
}

void PluginRunnerTest::sameParametersAndSeedSameResult()
{
    Atlas::PluginRunner runner(m_library.get());
    const QVariantMap parameters {{u"n"_s, 200}, {u"mode"_s, u"xor"_s}};
    runner.setOptions(options());
    const Atlas::PluginRun first = runToEnd(runner, u"count"_s, parameters, 7);
    const QList<Atlas::MetricPoint> firstMetrics = runner.metrics();
    runner.setOptions(options());
    const Atlas::PluginRun second = runToEnd(runner, u"count"_s, parameters, 7);
    runner.setOptions(options());
    const Atlas::PluginRun otherSeed = runToEnd(runner, u"count"_s, parameters, 8);
    QCOMPARE(first.status, Atlas::RunStatus::Finished);
    QCOMPARE(second.status, Atlas::RunStatus::Finished);
    QVERIFY(first.id != second.id);
    QCOMPARE(second.result, first.result);
    QCOMPARE(second.parameters, first.parameters);
    Atlas::PluginRunStore store(m_library->database());
    QCOMPARE(store.metrics(second.id).value(), store.metrics(first.id).value());
    QCOMPARE(firstMetrics.size(), 400);
    QVERIFY(otherSeed.result.value(u"checksum"_s) != first.result.value(u"checksum"_s));
    QCOMPARE(otherSeed.result.value(u"sum"_s), first.result.value(u"sum"_s));
    QCOMPARE(store.runs(std::nullopt, u"count"_s).value().size(), 3);
}

void PluginRunnerTest::pluginReportsFailure()
{
    Atlas::PluginRunner runner(m_library.get());
    runner.setOptions(options());
    QSignalSpy errors(&runner, &Atlas::PluginRunner::errorReceived);
    const Atlas::PluginRun run = runToEnd(runner, u"count"_s, {{u"n"_s, 10}, {u"fail_at"_s, 4}});
    QCOMPARE(run.status, Atlas::RunStatus::Failed);
    QCOMPARE(run.reason, u"asked to fail at step 4"_s);
    QCOMPARE(errors.size(), 1);
    QVERIFY(run.result.isEmpty());
    QVERIFY(AtlasTest::scalar(*m_library, u"SELECT result FROM plugin_run WHERE id = ?"_s, {run.id}).isNull());
    QCOMPARE(Atlas::PluginRunStore(m_library->database()).metrics(run.id).value().size(), 6); // steps 1-3, two metrics each
}

void PluginRunnerTest::refusedBeforeStarting()
{
    Atlas::PluginRunner runner(m_library.get());
    runner.setOptions(options());
    QSignalSpy started(&runner, &Atlas::PluginRunner::started);
    auto wrong = runner.start(plugin(u"count"_s), {{u"n"_s, -1}, {u"nope"_s, 1}}, 0);
    QVERIFY(!wrong);
    QVERIFY2(wrong.error().contains(u"nope: no such parameter"_s) && wrong.error().contains(u"n: -1 is below the minimum 1"_s), qPrintable(wrong.error()));
    QVERIFY(!runner.start(plugin(u"count"_s), {}, Atlas::PluginRunner::maxSeed + 1));

    Atlas::PluginRegistry registry;
    registry.setUseBuiltInFolder(false);
    registry.setExtraFolders({QStringLiteral(ATLAS_TEST_PLUGIN_DIR)});
    registry.discover();
    for (const Atlas::PluginInfo &info : registry.plugins()) {
        if (info.isReady())
            continue;
        auto refused = runner.start(info, {}, 0);
        QVERIFY(!refused);
        QVERIFY2(refused.error().contains(u"cannot run"_s), qPrintable(refused.error()));
    }

    Atlas::PluginRunOptions missing = options();
    missing.runnerPath = m_dir.filePath(u"no-such-runner"_s);
    runner.setOptions(missing);
    auto noRunner = runner.start(plugin(u"count"_s), {}, 0);
    QVERIFY(!noRunner);
    QVERIFY(noRunner.error().contains(u"runner is missing"_s));

    // Nothing started, nothing recorded.
    QVERIFY(started.isEmpty());
    QCOMPARE(AtlasTest::scalar(*m_library, u"SELECT count(*) FROM plugin_run"_s).toInt(), 0);

    // One run at a time.
    runner.setOptions(options());
    QVERIFY(runner.start(plugin(u"count"_s), {{u"n"_s, 1000}, {u"delay_ms"_s, 10}}, 0));
    auto second = runner.start(plugin(u"count"_s), {}, 0);
    QVERIFY(!second);
    QVERIFY(second.error().contains(u"still going on"_s));
    runner.cancel();
    QVERIFY(runner.waitForFinished(10000));
}

void PluginRunnerTest::crashIsRecorded()
{
    Atlas::PluginRunner runner(m_library.get());
    runner.setOptions(options());
    QElapsedTimer timer;
    timer.start();
    const Atlas::PluginRun run = runToEnd(runner, u"crash"_s, {{u"steps"_s, 3}});
    qInfo("crash detected and recorded %lld ms after the start", timer.elapsed());
    QCOMPARE(run.status, Atlas::RunStatus::Crashed);
    QVERIFY2(run.reason.contains(u"signal 11"_s), qPrintable(run.reason));
    QVERIFY(run.finishedAt.isValid());
    // What it reported before it died is kept.
    QCOMPARE(Atlas::PluginRunStore(m_library->database()).metrics(run.id).value().size(), 3);
    // Its log says how it ended.
    QFile logFile(run.artifacts.value(0));
    QVERIFY2(logFile.open(QIODevice::ReadOnly), qPrintable(run.artifacts.join(u", "_s)));
    QVERIFY(logFile.readAll().contains(QByteArray(QByteArray("ended: crashed: ") + run.reason.toUtf8())));
    QCOMPARE(runner.progress(), 0.5);
    QVERIFY(!runner.isRunning());
    QVERIFY(timer.elapsed() < 10000);
}

void PluginRunnerTest::hangTimesOut()
{
    Atlas::PluginRunner runner(m_library.get());
    runner.setOptions(options(1500));
    QElapsedTimer timer;
    timer.start();
    const Atlas::PluginRun run = runToEnd(runner, u"hang"_s, {});
    const qint64 elapsed = timer.elapsed();
    qInfo("a hang with a 1.5 s timeout was recorded after %lld ms", elapsed);
    QCOMPARE(run.status, Atlas::RunStatus::TimedOut);
    QVERIFY2(run.reason.contains(u"no end after 1.5 s"_s), qPrintable(run.reason));
    QVERIFY(elapsed >= 1500);
    QVERIFY(elapsed < 6000);
    QCOMPARE(AtlasTest::scalar(*m_library, u"SELECT status FROM plugin_run WHERE id = ?"_s, {run.id}).toString(), u"timed_out"_s);
}

void PluginRunnerTest::cancelStopsACooperativePlugin()
{
    Atlas::PluginRunner runner(m_library.get());
    runner.setOptions(options());
    QSignalSpy progress(&runner, &Atlas::PluginRunner::progressChanged);
    QSignalSpy finished(&runner, &Atlas::PluginRunner::finished);
    QVERIFY(runner.start(plugin(u"count"_s), {{u"n"_s, 100000}, {u"delay_ms"_s, 20}}, 0));
    QVERIFY(progress.wait(10000));
    QElapsedTimer timer;
    timer.start();
    runner.cancel();
    QVERIFY(finished.wait(10000));
    qInfo("a plugin that polls the flag stopped %lld ms after Cancel", timer.elapsed());
    const Atlas::PluginRun run = runner.run();
    QCOMPARE(run.status, Atlas::RunStatus::Cancelled);
    QCOMPARE(run.reason, u"cancelled by the user"_s);
    QVERIFY(timer.elapsed() < 2000); // it stopped by itself, well within the grace period
    QCOMPARE(AtlasTest::scalar(*m_library, u"SELECT status FROM plugin_run WHERE id = ?"_s, {run.id}).toString(), u"cancelled"_s);
    runner.cancel(); // nothing running: no effect
}

void PluginRunnerTest::cancelKillsAPluginThatIgnoresIt()
{
    Atlas::PluginRunner runner(m_library.get());
    Atlas::PluginRunOptions o = options();
    o.cancelGraceMs = 500;
    runner.setOptions(o);
    QSignalSpy progress(&runner, &Atlas::PluginRunner::progressChanged);
    QSignalSpy finished(&runner, &Atlas::PluginRunner::finished);
    QVERIFY(runner.start(plugin(u"hang"_s), {}, 0));
    QVERIFY(progress.wait(10000));
    QElapsedTimer timer;
    timer.start();
    runner.cancel();
    QVERIFY(finished.wait(10000));
    qInfo("a plugin that ignores Cancel was killed %lld ms after Cancel (grace 500 ms)", timer.elapsed());
    QCOMPARE(runner.run().status, Atlas::RunStatus::Cancelled);
    QVERIFY2(runner.run().reason.contains(u"did not stop within 0.5 s"_s), qPrintable(runner.run().reason));
    QVERIFY(timer.elapsed() >= 500);
    QVERIFY(timer.elapsed() < 5000);
}

void PluginRunnerTest::floodEndsTheRun()
{
    Atlas::PluginRunner runner(m_library.get());
    runner.setOptions(options());
    QElapsedTimer timer;
    timer.start();
    qint64 stoppedAfter = 0;
    connect(&runner, &Atlas::PluginRunner::metricReceived, this, [&](const QString &, qint64 step) {
        if (step == 199999)
            stoppedAfter = timer.elapsed();
    });
    const Atlas::PluginRun run = runToEnd(runner, u"flood"_s, {});
    qInfo("a flood of metric lines reached the limit after %lld ms; the run was recorded (with %d points) after %lld ms", stoppedAfter,
        int(runner.metrics().size()), timer.elapsed());
    QCOMPARE(run.status, Atlas::RunStatus::Failed);
    QVERIFY2(run.reason.contains(u"flooded: the plugin wrote more than 200000 metric points"_s), qPrintable(run.reason));
    QCOMPARE(runner.metrics().size(), 200000);
    QCOMPARE(AtlasTest::scalar(*m_library, u"SELECT count(*) FROM plugin_run_metric WHERE run_id = ?"_s, {run.id}).toInt(), 200000);
}

void PluginRunnerTest::outputLimit()
{
    Atlas::PluginRunner runner(m_library.get());
    Atlas::PluginRunOptions o = options();
    o.maxOutputBytes = 1024 * 1024;
    runner.setOptions(o);
    const Atlas::PluginRun run = runToEnd(runner, u"flood"_s, {});
    QCOMPARE(run.status, Atlas::RunStatus::Failed);
    QVERIFY2(run.reason.contains(u"flooded: the plugin wrote more than 1.0 MiB"_s), qPrintable(run.reason));
    QVERIFY(runner.metrics().size() < 30000);
}

void PluginRunnerTest::unloadablePluginFails()
{
    // Discovery alone cannot see the missing symbol; the run fails with the loader's reason.
    Atlas::PluginRunner runner(m_library.get());
    runner.setOptions(options());
    const Atlas::PluginRun run = runToEnd(runner, u"nosymbol"_s, {});
    QCOMPARE(run.status, Atlas::RunStatus::Failed);
    QVERIFY2(run.reason.contains(u"undefined symbol: atlas_test_symbol_defined_nowhere"_s), qPrintable(run.reason));
}

void PluginRunnerTest::brokenProtocol_data()
{
    QTest::addColumn<QByteArray>("script");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<int>("metrics");

    const int failed = int(Atlas::RunStatus::Failed);
    const int finished = int(Atlas::RunStatus::Finished);
    QTest::newRow("a line too long") << QByteArray("head -c 1100000 /dev/zero | tr '\\0' x; echo; sleep 5") << failed << u"a line longer than 1.0 MiB"_s << 0;
    QTest::newRow("a long line without end") << QByteArray("head -c 1100000 /dev/zero | tr '\\0' x; sleep 5") << failed << u"a line longer than 1.0 MiB"_s << 0;
    QTest::newRow("junk and bad lines are skipped") << QByteArray(
        "echo 'not json'; echo '[1]'; echo '{\"type\":\"metric\",\"name\":\"\",\"step\":1,\"value\":1}';"
        "echo '{\"type\":\"metric\",\"name\":\"x\",\"step\":1.5,\"value\":1}';"
        "echo '{\"type\":\"metric\",\"name\":\"x\",\"step\":2,\"value\":null}';"
        "echo '{\"type\":\"unknown\"}'; printf '{\"type\":\"result\",\"value\":{\"ok\":true}}'")
                                                    << finished << QString() << 1;
    QTest::newRow("exit code of a failed plugin, no error line") << QByteArray("exit 3") << failed << u"failed without saying why"_s << 0;
    QTest::newRow("usage error") << QByteArray("echo 'bad option' >&2; exit 1") << failed << u"refused its arguments: bad option"_s << 0;
    QTest::newRow("unknown exit code") << QByteArray("exit 77") << failed << u"exit code 77"_s << 0;
    QTest::newRow("killed by a signal") << QByteArray("echo 'last words' >&2; kill -9 $$") << int(Atlas::RunStatus::Crashed) << u"signal 9"_s << 0;
    QTest::newRow("error line then exit 2") << QByteArray("echo '{\"type\":\"error\",\"message\":\"cannot load it\"}'; exit 2") << failed << u"cannot load it"_s
                                            << 0;
}

void PluginRunnerTest::brokenProtocol()
{
    QFETCH(QByteArray, script);
    QFETCH(int, status);
    QFETCH(QString, reason);
    QFETCH(int, metrics);
    Atlas::PluginRunner runner(m_library.get());
    Atlas::PluginRunOptions o = options();
    o.runnerPath = fakeRunner(u"fake-runner-%1"_s.arg(m_runs), script);
    QVERIFY(!o.runnerPath.isEmpty());
    runner.setOptions(o);
    QElapsedTimer timer;
    timer.start();
    const Atlas::PluginRun run = runToEnd(runner, u"count"_s, {});
    QCOMPARE(int(run.status), status);
    QVERIFY2(run.reason.contains(reason), qPrintable(run.reason));
    QCOMPARE(runner.metrics().size(), metrics);
    QVERIFY(timer.elapsed() < 4000); // a broken line ends the run at once, not after the script's sleep
    if (run.status == Atlas::RunStatus::Finished)
        QCOMPARE(run.result.value(u"ok"_s).toBool(), true);
}

void PluginRunnerTest::closingDuringARunRecordsIt()
{
    qint64 id = 0;
    {
        Atlas::PluginRunner runner(m_library.get());
        runner.setOptions(options());
        QSignalSpy progress(&runner, &Atlas::PluginRunner::progressChanged);
        auto started = runner.start(plugin(u"hang"_s), {}, 0);
        QVERIFY(started);
        id = started.value();
        QVERIFY(progress.wait(10000));
    }
    QCOMPARE(AtlasTest::scalar(*m_library, u"SELECT status FROM plugin_run WHERE id = ?"_s, {id}).toString(), u"cancelled"_s);
    QVERIFY(AtlasTest::scalar(*m_library, u"SELECT status_reason FROM plugin_run WHERE id = ?"_s, {id}).toString().contains(u"closed"_s));
}

void PluginRunnerTest::runWithoutLibrary()
{
    Atlas::PluginRunner runner(nullptr);
    runner.setOptions(options());
    const Atlas::PluginRun run = runToEnd(runner, u"count"_s, {{u"n"_s, 3}});
    QCOMPARE(run.status, Atlas::RunStatus::Finished);
    QCOMPARE(run.id, qint64(0));
    QCOMPARE(run.result.value(u"sum"_s).toInt(), 6);
    QCOMPARE(AtlasTest::scalar(*m_library, u"SELECT count(*) FROM plugin_run"_s).toInt(), 0);
}

QTEST_GUILESS_MAIN(PluginRunnerTest)

#include "pluginrunner_test.moc"

void PluginRunnerTest::pluginIsConfinedToItsRunFolder_data()
{
    QTest::addColumn<QString>("onRefusal");
    QTest::newRow("reports the refusals") << u"fail"_s;
    QTest::newRow("ignores the refusals") << u"ignore"_s;
}

// The escape plugin writes in its run folder (allowed), then tries to create a file elsewhere,
// move its file out, append to, truncate and remove a file elsewhere, connect to a listening
// local port and signal this process. The runner confines it (Landlock): every one of those is
// refused, the outside files are untouched, and the run is recorded with its status and why.
void PluginRunnerTest::pluginIsConfinedToItsRunFolder()
{
    QFETCH(QString, onRefusal);
    QTemporaryDir outside;
    QVERIFY(outside.isValid());
    const QString target = outside.filePath(u"escaped.txt"_s);
    const QString victim = outside.filePath(u"precious.txt"_s);
    {
        QFile file(victim);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("months of work\n");
    }
    // A local port that accepts connections (the kernel completes them without accept()).
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    QVERIFY(listener >= 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    QVERIFY(::bind(listener, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0);
    QVERIFY(::listen(listener, 4) == 0);
    QVERIFY(::getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length) == 0);
    const int port = ntohs(address.sin_port);

    Atlas::PluginRunner runner(m_library.get());
    const Atlas::PluginRunOptions runOptions = options();
    runner.setOptions(runOptions);
    QStringList log;
    connect(&runner, &Atlas::PluginRunner::logReceived, this, [&log](const QString &line) { log.append(line); });
    const Atlas::PluginRun run = runToEnd(runner, u"escape"_s,
        {{u"target"_s, target}, {u"victim"_s, victim}, {u"port"_s, port}, {u"signal_parent"_s, true}, {u"on_refusal"_s, onRefusal}});
    ::close(listener);
    qInfo("%s", qPrintable(log.join(u'\n')));
    const QString confinement = log.value(0);
    if (confinement.startsWith(u"not confined"_s))
        QSKIP(qPrintable(u"the runner could not confine the plugin here: "_s + confinement));
    QVERIFY2(confinement.startsWith(u"writes confined to "_s + runOptions.outputFolder), qPrintable(confinement));

    // Nothing outside changed.
    QVERIFY(!QFile::exists(target));
    QVERIFY(!QFile::exists(target + u".moved"_s));
    QFile file(victim);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("months of work\n"));
    // Inside, the plugin wrote what it wanted.
    QVERIFY(QFile::exists(QDir(runOptions.outputFolder).filePath(u"inside.txt"_s)));

    const QJsonObject result = runner.run().result;
    QCOMPARE(result.value(u"done"_s).toArray(), QJsonArray());
    const QJsonArray refused = result.value(u"refused"_s).toArray();
    QCOMPARE(refused.size(), 7);
    for (const QJsonValue &reason : refused) {
        const QString text = reason.toString();
        QVERIFY2(text.endsWith(u"Permission denied"_s) || text.endsWith(u"Operation not permitted"_s), qPrintable(text));
    }
    if (onRefusal == u"fail"_s) {
        QCOMPARE(run.status, Atlas::RunStatus::Failed);
        QVERIFY2(run.reason.contains(u"create "_s + target + u": Permission denied"_s), qPrintable(run.reason));
    } else {
        QCOMPARE(run.status, Atlas::RunStatus::Finished);
    }
}

// CrashSafetyTest: starts a large import (the CLI), a batch edit (one tag on every entry, by the
// helper) and an undo of an import (the CLI), kills each with SIGKILL at seeded random moments over
// its run, very early and very late included, and checks after every kill that the library passes
// PRAGMA integrity_check and foreign_key_check, opens with Atlas::Library (whose check() is clean
// too) and holds exactly what it held before the operation or exactly what the completed operation
// produces: the fingerprint of every table's rows is one of the two.
//
// The moments: a fifth of the kills in the first 20 ms, a fifth while the commit writes the log (when
// the log reaches a random size), a fifth while a checkpoint writes the library file, the rest at
// random times over the run. Each kill's landing is classified (before writing, mid-write with
// frames of the uncommitted transaction in the log, after the commit) and the counts are printed.
//
// Kills per operation: 20 for the import, 6 each for the tag and the undo in the normal suite;
// ATLAS_LONG_TESTS=1 multiplies them by 10, ATLAS_CRASH_KILLS=N sets the import's to N (the others
// to N/2). ATLAS_CRASH_SEED=S picks other moments (the seed is printed).
#include "libraryfingerprint.h"

#include "library.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <sys/stat.h>

using namespace AtlasReliability;
using namespace Qt::StringLiterals;

namespace
{

// How many entries the import file holds: about 1-3 s of import on the project's 2-core machines.
constexpr int importEntries = 600;

int killsFor(int normal)
{
    bool ok = false;
    const int given = qEnvironmentVariableIntValue("ATLAS_CRASH_KILLS", &ok);
    if (ok && given > 0)
        return normal >= 20 ? given : qMax(1, given / 2);
    return qEnvironmentVariableIntValue("ATLAS_LONG_TESTS") > 0 ? normal * 10 : normal;
}

qint64 fileSize(const QString &file)
{
    struct stat info;
    return ::stat(QFile::encodeName(file).constData(), &info) == 0 ? qint64(info.st_size) : -1;
}

// When to kill: after a time, or as soon as the write-ahead log or the library file reaches a size.
// The operations keep their changes in memory until they commit, so the log grows only during the
// commit, and the library file only when a checkpoint copies the log into it: size triggers land
// kills inside those short windows, which a timer would rarely hit.
struct Trigger {
    enum Kind { Never, After, WalReaches, FileReaches } kind = Never;
    qint64 value = 0; // ms, or bytes
    QString text() const
    {
        switch (kind) {
        case Never:
            return u"never"_s;
        case After:
            return u"at %1 ms"_s.arg(value);
        case WalReaches:
            return u"when the log reaches %1 bytes"_s.arg(value);
        case FileReaches:
            return u"when the library file reaches %1 bytes"_s.arg(value);
        }
        return {};
    }
};

// One run of a writer, killed by its trigger or left to finish.
struct Watched {
    bool started = false;
    bool finished = false; // it ended by itself (before the trigger fired)
    int exitCode = -1;
    QByteArray err;
    qint64 ms = 0; // when it was killed or ended
    qint64 largestWal = 0; // the log and the library file, as large as they got while it ran
    qint64 largestFile = 0;
    qint64 firstWalGrowthMs = -1; // when the log first held more than its header
};

Watched runWatched(const QString &program, const QStringList &arguments, const QString &library, const QString &home, const Trigger &trigger)
{
    Watched watched;
    const QString wal = library + u"-wal"_s;
    QProcess process;
    process.setProcessEnvironment(isolatedEnvironment(home));
    QElapsedTimer clock;
    clock.start();
    process.start(program, arguments);
    if (!process.waitForStarted()) {
        watched.err = process.errorString().toUtf8();
        return watched;
    }
    watched.started = true;
    while (true) {
        const qint64 walSize = fileSize(wal);
        const qint64 size = fileSize(library);
        watched.largestWal = qMax(watched.largestWal, walSize);
        watched.largestFile = qMax(watched.largestFile, size);
        if (watched.firstWalGrowthMs < 0 && walSize > 32)
            watched.firstWalGrowthMs = clock.elapsed();
        const bool fire = (trigger.kind == Trigger::After && clock.elapsed() >= trigger.value)
            || (trigger.kind == Trigger::WalReaches && walSize >= trigger.value) || (trigger.kind == Trigger::FileReaches && size >= trigger.value);
        if (fire) {
            watched.ms = clock.elapsed();
            process.kill(); // SIGKILL
            process.waitForFinished(30000);
            watched.finished = process.exitStatus() == QProcess::NormalExit;
            break;
        }
        if (process.waitForFinished(0) || process.state() == QProcess::NotRunning) {
            watched.ms = clock.elapsed();
            watched.finished = true;
            break;
        }
        if (clock.elapsed() > 300000) {
            process.kill();
            process.waitForFinished();
            watched.err = "ran for more than 300 s";
            return watched;
        }
        QThread::usleep(300);
    }
    watched.exitCode = process.exitCode();
    watched.err += process.readAllStandardError();
    return watched;
}

// What one kill left behind.
enum class Landing {
    FinishedFirst, // the operation ended before the kill
    BeforeWrite, // the library as before, no uncommitted frames in the log
    MidWrite, // the library as before, frames of the killed transaction's commit in the log
    AfterCommit, // the library as after the operation, the process killed after its commit
};

struct Tally {
    int kills = 0;
    QMap<Landing, int> landings;
    qint64 slowestCheckMs = 0;
    QStringList midWrite;

    QString text(const QString &operation, qint64 referenceMs) const
    {
        return u"%1: %2 kills (a whole run takes %3 ms): %4 finished before the kill, %5 before writing, %6 mid-write (frames of the uncommitted "
               u"transaction in the log; %7), %8 after the commit; slowest check %9 ms"_s
            .arg(operation)
            .arg(kills)
            .arg(referenceMs)
            .arg(landings.value(Landing::FinishedFirst))
            .arg(landings.value(Landing::BeforeWrite))
            .arg(landings.value(Landing::MidWrite))
            .arg(midWrite.isEmpty() ? u"-"_s : midWrite.join(u", "_s))
            .arg(landings.value(Landing::AfterCommit))
            .arg(slowestCheckMs);
    }
};

// What a finished run of an operation looks like.
struct Reference {
    QString library; // the result
    Fingerprint print;
    qint64 ms = 0;
    qint64 largestWal = 0;
    qint64 largestFile = 0;
    qint64 initialFile = 0;
};

} // namespace

class CrashSafetyTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void killImport();
    void killBatchTag();
    void killUndoImport();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    ProcessRun cli(const QStringList &arguments) const { return runProgram(cliPath(), arguments, m_home); }
    // Runs the operation to its end on copies of `before` (twice, to show the fingerprint does not
    // depend on the run), watching how large the log and the file grow.
    Reference reference(const QString &name, const QString &program, const QStringList &arguments, const QString &before);
    // Runs `program arguments` (with {db} replaced by the library) on copies of `before`, killing it
    // `kills` times, and checks each copy.
    void killRepeatedly(const QString &operation, const QString &program, const QStringList &arguments, const QString &before, const Fingerprint &beforePrint,
        const Reference &after, int kills);
    // The checks of one killed copy; an empty string when it is sound and is `before` or `after`.
    QString checkKilled(const QString &library, const Fingerprint &before, const Fingerprint &after, Landing *landing, qint64 *checkMs) const;

    QTemporaryDir m_dir;
    QString m_home;
    QString m_input;
    QString m_base; // the library before the import
    quint64 m_seed = 20240607;
    Reference m_imported; // the base after the import ran to its end
};

void CrashSafetyTest::initTestCase()
{
    QVERIFY2(m_dir.isValid(), qPrintable(m_dir.errorString()));
    QVERIFY2(QFileInfo(cliPath()).isExecutable(), "mitigation-atlas-cli is not built");
    QVERIFY2(QFileInfo(helperPath()).isExecutable(), "reliability_helper is not built");
    m_home = path(u"home"_s);
    QVERIFY(QDir().mkpath(m_home));
    bool ok = false;
    const quint64 seed = qEnvironmentVariable("ATLAS_CRASH_SEED").toULongLong(&ok);
    if (ok)
        m_seed = seed;
    qInfo("kill moments from seed %llu (ATLAS_CRASH_SEED)", static_cast<unsigned long long>(m_seed));

    // The library before: the taxonomies and a first, smaller import, so the big one also merges
    // documents and links to what is there.
    m_base = path(u"base.sqlite"_s);
    ProcessRun run = cli({u"--db"_s, m_base, u"init"_s});
    QVERIFY2(run.ok(), qPrintable(run.text()));
    run = cli({u"generate"_s, u"--entries"_s, u"300"_s, u"--seed"_s, u"3"_s, u"-o"_s, path(u"first.json"_s)});
    QVERIFY2(run.ok(), qPrintable(run.text()));
    run = cli({u"--db"_s, m_base, u"import"_s, path(u"first.json"_s)});
    QVERIFY2(run.ok(), qPrintable(run.text()));

    m_input = path(u"input.json"_s);
    run = cli({u"generate"_s, u"--entries"_s, QString::number(importEntries), u"--seed"_s, u"7"_s, u"-o"_s, m_input});
    QVERIFY2(run.ok(), qPrintable(run.text()));
    // The last connection's close checkpointed the log: the base is one file, copied as it is.
    QVERIFY(!QFileInfo::exists(m_base + u"-wal"_s));
}

Reference CrashSafetyTest::reference(const QString &name, const QString &program, const QStringList &arguments, const QString &before)
{
    Reference reference;
    Fingerprint prints[2];
    for (int i = 0; i < 2; ++i) {
        const QString library = path(u"%1-%2.sqlite"_s.arg(name).arg(i));
        if (!copyFile(before, library))
            return {};
        QStringList args = arguments;
        args.replaceInStrings(u"{db}"_s, library);
        reference.initialFile = fileSize(library);
        const Watched run = runWatched(program, args, library, m_home, {});
        if (!run.finished || run.exitCode != 0) {
            qWarning("%s did not finish: %s", qPrintable(name), run.err.constData());
            return {};
        }
        if (QFileInfo::exists(library + u"-wal"_s)) {
            qWarning("%s left a log behind", qPrintable(name));
            return {};
        }
        prints[i] = fingerprint(library);
        if (!prints[i].isValid()) {
            qWarning("%s: %s", qPrintable(name), qPrintable(prints[i].error));
            return {};
        }
        if (i == 0) {
            reference.ms = run.ms;
            reference.largestWal = run.largestWal;
            reference.largestFile = run.largestFile;
            qInfo("%s: %lld ms; the log grew from %lld ms on to %lld bytes, the file from %lld to %lld bytes", qPrintable(name), run.ms, run.firstWalGrowthMs,
                run.largestWal, reference.initialFile, run.largestFile);
        }
        reference.library = library;
    }
    if (!(prints[0] == prints[1])) {
        qWarning("two runs of %s gave different libraries: %s", qPrintable(name), qPrintable(prints[0].differences(prints[1]).join(u", "_s)));
        return {};
    }
    reference.print = prints[0];
    return reference;
}

QString CrashSafetyTest::checkKilled(const QString &library, const Fingerprint &before, const Fingerprint &after, Landing *landing, qint64 *checkMs) const
{
    QElapsedTimer timer;
    timer.start();
    // Read before any connection recovers (and so rewrites) the log.
    const WalState wal = walState(library);
    Fingerprint print;
    {
        RawConnection raw(library);
        if (!raw.error().isEmpty())
            return u"cannot open: %1"_s.arg(raw.error());
        const SqliteChecks checks = sqliteChecks(raw.database());
        if (!checks.ok())
            return u"SQLite checks failed: %1"_s.arg(checks.text());
        print = fingerprint(raw.database());
        if (!print.isValid())
            return u"cannot read every table: %1"_s.arg(print.error);
    }
    const bool isBefore = print == before;
    const bool isAfter = print == after;
    if (!isBefore && !isAfter) {
        return u"neither before nor after; differs from before in %1; from after in %2"_s.arg(print.differences(before).join(u", "_s),
            print.differences(after).join(u", "_s));
    }
    *landing = isAfter ? Landing::AfterCommit : wal.uncommittedFrames > 0 ? Landing::MidWrite : Landing::BeforeWrite;

    Atlas::Library opened;
    if (auto status = opened.open(library); !status)
        return u"Atlas::Library does not open it: %1"_s.arg(status.error());
    if (opened.schemaVersion() != Atlas::Library::currentSchemaVersion())
        return u"schema version %1"_s.arg(opened.schemaVersion());
    auto problems = opened.check();
    if (!problems)
        return u"check() failed: %1"_s.arg(problems.error());
    if (!problems->isEmpty())
        return u"check(): %1"_s.arg(problems->join(u"; "_s));
    // Opening repaired nothing and added nothing.
    const Fingerprint reopened = fingerprint(opened.database());
    if (!(reopened == print))
        return u"opening changed it: %1"_s.arg(reopened.differences(print).join(u", "_s));
    opened.close();
    *checkMs = timer.elapsed();
    return {};
}

void CrashSafetyTest::killRepeatedly(const QString &operation, const QString &program, const QStringList &arguments, const QString &before,
    const Fingerprint &beforePrint, const Reference &after, int kills)
{
    QVERIFY2(!(beforePrint == after.print), "the operation changes nothing; killing it would prove nothing");
    QRandomGenerator random(m_seed ^ qHash(operation));
    Tally tally;
    const QString library = path(u"killed.sqlite"_s);
    for (int i = 0; i < kills; ++i) {
        // A fifth very early (start-up, opening), a fifth while the commit writes the log, a fifth
        // while a checkpoint writes the file (when the operation makes one), the rest at any time
        // of the run or just after it.
        Trigger trigger;
        switch (i % 5) {
        case 0:
            trigger = {Trigger::After, qint64(random.bounded(20))};
            break;
        case 1:
            trigger = {Trigger::WalReaches, 33 + qint64(random.bounded(double(qMax<qint64>(after.largestWal - 33, 1))))};
            break;
        case 2:
            if (after.largestFile > after.initialFile) {
                trigger = {Trigger::FileReaches, after.initialFile + 1 + qint64(random.bounded(double(after.largestFile - after.initialFile)))};
                break;
            }
            Q_FALLTHROUGH();
        default:
            trigger = {Trigger::After, qint64(after.ms * 1.1 * random.generateDouble())};
            break;
        }

        QVERIFY(copyFile(before, library));
        QStringList args = arguments;
        args.replaceInStrings(u"{db}"_s, library);
        const Watched run = runWatched(program, args, library, m_home, trigger);
        QVERIFY2(run.started, run.err.constData());
        if (run.finished)
            QVERIFY2(run.exitCode == 0, run.err.constData());

        Landing landing = Landing::BeforeWrite;
        qint64 checkMs = 0;
        const QString problem = checkKilled(library, beforePrint, after.print, &landing, &checkMs);
        QVERIFY2(problem.isEmpty(), qPrintable(u"%1, kill %2 %3 (at %4 ms): %5"_s.arg(operation).arg(i).arg(trigger.text()).arg(run.ms).arg(problem)));
        if (run.finished) {
            QVERIFY2(landing == Landing::AfterCommit, "the operation finished but its change is missing");
            landing = Landing::FinishedFirst;
        }
        if (landing == Landing::MidWrite)
            tally.midWrite.append(u"%1 ms"_s.arg(run.ms));
        ++tally.kills;
        tally.landings[landing] += 1;
        tally.slowestCheckMs = qMax(tally.slowestCheckMs, checkMs);
    }
    qInfo("%s", qPrintable(tally.text(operation, after.ms)));
}

void CrashSafetyTest::killImport()
{
    const Fingerprint before = fingerprint(m_base);
    QVERIFY2(before.isValid(), qPrintable(before.error));
    const QStringList arguments {u"--db"_s, u"{db}"_s, u"import"_s, m_input};
    m_imported = reference(u"imported"_s, cliPath(), arguments, m_base);
    QVERIFY(!m_imported.library.isEmpty());
    killRepeatedly(u"import of %1 entries"_s.arg(importEntries), cliPath(), arguments, m_base, before, m_imported, killsFor(20));
}

void CrashSafetyTest::killBatchTag()
{
    if (m_imported.library.isEmpty())
        QSKIP("needs the library killImport() made");
    const QStringList arguments {u"tag-all"_s, u"--db"_s, u"{db}"_s, u"--tag"_s, u"Reliability > Killed batch"_s};
    const Reference after = reference(u"tagged"_s, helperPath(), arguments, m_imported.library);
    QVERIFY(!after.library.isEmpty());
    killRepeatedly(u"one tag on every entry"_s, helperPath(), arguments, m_imported.library, m_imported.print, after, killsFor(6));
}

void CrashSafetyTest::killUndoImport()
{
    if (m_imported.library.isEmpty())
        QSKIP("needs the library killImport() made");
    const ProcessRun batches = cli({u"--db"_s, m_imported.library, u"batches"_s, u"--json"_s});
    QVERIFY2(batches.ok(), qPrintable(batches.text()));
    qint64 last = 0;
    const QJsonArray list = QJsonDocument::fromJson(batches.out).array();
    for (const QJsonValue &batch : list)
        last = qMax(last, batch.toObject().value(u"id"_s).toInteger());
    QVERIFY(last > 0);
    const QStringList arguments {u"--db"_s, u"{db}"_s, u"undo-import"_s, QString::number(last)};
    const Reference after = reference(u"undone"_s, cliPath(), arguments, m_imported.library);
    QVERIFY(!after.library.isEmpty());
    killRepeatedly(u"undo of the import"_s, cliPath(), arguments, m_imported.library, m_imported.print, after, killsFor(6));
}

QTEST_GUILESS_MAIN(CrashSafetyTest)
#include "crashsafety_test.moc"

// ConcurrencyTest: writers on one library file at the same time. An import (the CLI) beside many
// small tagging changes (the helper), and two taggers, all finish with everything written and the
// library sound. A writer that meets a held write lock says so on stderr and goes on once it is
// released, or gives up after its bound (--lock-timeout) with a clear message and nothing written.
// Two windows (two Library objects, as two GUI processes have) tag the same library while a third
// program writes; an edit the window cannot write in time is reported to the user (Library::
// writeFailed, shown in the status bar), not dropped silently, and the window is blocked for no
// longer than its bound.
#include "libraryfingerprint.h"

#include "entrydetailpane.h"
#include "fileimport.h"
#include "importdialog.h"
#include "library.h"
#include "mainwindow.h"
#include "sql.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUndoStack>

using namespace AtlasReliability;
using namespace Qt::StringLiterals;

namespace
{

// The bound of the window's thread while another program writes (app/gui sets the same for the
// application; its workers wait up to a minute).
constexpr int windowBusyMs = 1000;

qint64 count(const QString &library, const QString &sql, const QVariantList &values = {})
{
    RawConnection raw(library, true);
    auto value = Atlas::Sql::scalar(raw.database(), sql, values);
    return value ? value->toLongLong() : -1;
}

qint64 tagged(const QString &library, const QString &tag)
{
    return count(library, u"SELECT count(*) FROM entry_tag x JOIN tag t ON t.id = x.tag_id WHERE t.name = ?"_s, {tag});
}

// A started process whose output is read as it comes.
struct Started {
    std::unique_ptr<QProcess> process = std::make_unique<QProcess>();
    QElapsedTimer clock;

    void start(const QString &program, const QStringList &arguments, const QString &home)
    {
        process->setProcessEnvironment(isolatedEnvironment(home));
        clock.start();
        process->start(program, arguments);
    }
    ProcessRun finish(int timeoutMs = 120000)
    {
        ProcessRun run;
        if (!process->waitForFinished(timeoutMs)) {
            process->kill();
            process->waitForFinished();
        }
        run.ms = clock.elapsed();
        run.exitStatus = process->exitStatus();
        run.exitCode = process->exitCode();
        run.out = process->readAllStandardOutput();
        run.err = process->readAllStandardError();
        return run;
    }
};

} // namespace

class ConcurrencyTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void importBesideTagging();
    void twoTaggersAtOnce();
    void writerWaitsForALockAndSaysSo();
    void writerGivesUpAfterItsBound();
    void windowReportsAnEditItCouldNotWrite();
    void twoWindowsTagOneLibrary();
    void windowImportWaitsForALockWithoutFreezing();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    ProcessRun cli(const QStringList &arguments) const { return runProgram(cliPath(), arguments, m_home); }
    // A fresh copy of the base library.
    QString library(const QString &name) const
    {
        const QString file = path(name);
        return copyFile(m_base, file) ? file : QString();
    }
    // Starts the helper holding the write lock for `seconds` and waits until it holds it.
    bool hold(Started &holder, const QString &library, double seconds) const;

    QTemporaryDir m_dir;
    QString m_home;
    QString m_base; // the taxonomies and 300 entries
    QString m_input; // 1000 more entries
    QString m_small; // 100 more, for the writers that wait
    qint64 m_smallEntries = 0; // the entries of the base with m_small imported alone
    qint64 m_baseEntries = 0;
    qint64 m_importedEntries = 0; // the entries of the base with m_input imported alone
};

void ConcurrencyTest::initTestCase()
{
    QVERIFY2(m_dir.isValid(), qPrintable(m_dir.errorString()));
    QVERIFY2(QFileInfo(cliPath()).isExecutable(), "mitigation-atlas-cli is not built");
    QVERIFY2(QFileInfo(helperPath()).isExecutable(), "reliability_helper is not built");
    m_home = path(u"home"_s);
    QVERIFY(QDir().mkpath(m_home));
    m_base = path(u"base.sqlite"_s);
    ProcessRun run = cli({u"--db"_s, m_base, u"init"_s});
    QVERIFY2(run.ok(), qPrintable(run.text()));
    run = cli({u"generate"_s, u"--entries"_s, u"300"_s, u"--seed"_s, u"3"_s, u"-o"_s, path(u"first.json"_s)});
    QVERIFY2(run.ok(), qPrintable(run.text()));
    run = cli({u"--db"_s, m_base, u"import"_s, path(u"first.json"_s)});
    QVERIFY2(run.ok(), qPrintable(run.text()));
    m_baseEntries = count(m_base, u"SELECT count(*) FROM entry"_s);
    QVERIFY(m_baseEntries >= 300);

    m_input = path(u"input.json"_s);
    run = cli({u"generate"_s, u"--entries"_s, u"1000"_s, u"--seed"_s, u"11"_s, u"-o"_s, m_input});
    QVERIFY2(run.ok(), qPrintable(run.text()));
    m_small = path(u"small.json"_s);
    run = cli({u"generate"_s, u"--entries"_s, u"100"_s, u"--seed"_s, u"12"_s, u"-o"_s, m_small});
    QVERIFY2(run.ok(), qPrintable(run.text()));
    const QString small = library(u"small.sqlite"_s);
    run = cli({u"--db"_s, small, u"import"_s, m_small});
    QVERIFY2(run.ok(), qPrintable(run.text()));
    m_smallEntries = count(small, u"SELECT count(*) FROM entry"_s);
    QVERIFY(m_smallEntries > m_baseEntries);
    const QString alone = library(u"alone.sqlite"_s);
    run = cli({u"--db"_s, alone, u"import"_s, m_input});
    QVERIFY2(run.ok(), qPrintable(run.text()));
    qInfo("the import alone: %lld ms", run.ms);
    m_importedEntries = count(alone, u"SELECT count(*) FROM entry"_s);
    QVERIFY(m_importedEntries >= m_baseEntries + 1000);
}

bool ConcurrencyTest::hold(Started &holder, const QString &library, double seconds) const
{
    holder.start(helperPath(), {u"hold"_s, u"--db"_s, library, u"--seconds"_s, QString::number(seconds)}, m_home);
    while (holder.process->waitForReadyRead(10000)) {
        if (holder.process->peek(4096).contains("holding"))
            return true;
    }
    qWarning("the helper did not take the lock: %s", holder.process->readAllStandardError().constData());
    return false;
}

void ConcurrencyTest::importBesideTagging()
{
    const QString file = library(u"import-tag.sqlite"_s);
    Started tagger;
    Started importer;
    // The tagger starts first and keeps going through the whole import.
    tagger.start(helperPath(), {u"tag-each"_s, u"--db"_s, file, u"--tag"_s, u"Concurrent"_s, u"--limit"_s, u"300"_s, u"--pause-ms"_s, u"3"_s}, m_home);
    QTest::qWait(150);
    importer.start(cliPath(), {u"--db"_s, file, u"import"_s, m_input}, m_home);
    const ProcessRun imported = importer.finish();
    const ProcessRun tagging = tagger.finish();
    QVERIFY2(imported.ok(), qPrintable(imported.text()));
    QVERIFY2(tagging.ok(), qPrintable(tagging.text()));
    qInfo("import %lld ms, tagging %lld ms beside it: %s", imported.ms, tagging.ms, tagging.out.trimmed().constData());

    QCOMPARE(count(file, u"SELECT count(*) FROM entry"_s), m_importedEntries);
    QCOMPARE(tagged(file, u"Concurrent"_s), 300);
    const ProcessRun check = cli({u"--db"_s, file, u"check"_s});
    QVERIFY2(check.ok(), qPrintable(check.text()));
}

void ConcurrencyTest::twoTaggersAtOnce()
{
    // What two windows (two processes) do when their curators tag at the same time, each change
    // one transaction: every change lands, none is lost to "database is locked".
    const QString file = library(u"two-taggers.sqlite"_s);
    Started first;
    Started second;
    first.start(helperPath(), {u"tag-each"_s, u"--db"_s, file, u"--tag"_s, u"First"_s, u"--limit"_s, u"250"_s}, m_home);
    second.start(helperPath(), {u"tag-each"_s, u"--db"_s, file, u"--tag"_s, u"Second"_s, u"--limit"_s, u"250"_s}, m_home);
    const ProcessRun a = first.finish();
    const ProcessRun b = second.finish();
    QVERIFY2(a.ok(), qPrintable(a.text()));
    QVERIFY2(b.ok(), qPrintable(b.text()));
    qInfo("two taggers: %s (%lld ms), %s (%lld ms)", a.out.trimmed().constData(), a.ms, b.out.trimmed().constData(), b.ms);
    QCOMPARE(tagged(file, u"First"_s), 250);
    QCOMPARE(tagged(file, u"Second"_s), 250);
    const ProcessRun check = cli({u"--db"_s, file, u"check"_s});
    QVERIFY2(check.ok(), qPrintable(check.text()));
}

void ConcurrencyTest::writerWaitsForALockAndSaysSo()
{
    const QString file = library(u"wait.sqlite"_s);
    Started holder;
    QVERIFY(hold(holder, file, 2.5));
    Started importer;
    importer.start(cliPath(), {u"--db"_s, file, u"import"_s, m_small}, m_home);
    // The message comes while the lock is still held, not only at the end.
    QByteArray err;
    qint64 toldAfter = -1;
    bool heldWhenTold = false;
    importer.process->setReadChannel(QProcess::StandardError);
    while (importer.process->state() != QProcess::NotRunning && importer.clock.elapsed() < 20000) {
        importer.process->waitForReadyRead(100);
        err += importer.process->readAllStandardError();
        if (err.contains("busy")) {
            toldAfter = importer.clock.elapsed();
            heldWhenTold = holder.process->state() == QProcess::Running;
            break;
        }
    }
    const ProcessRun held = holder.finish();
    QVERIFY2(held.ok(), qPrintable(held.text()));
    const ProcessRun imported = importer.finish();
    err += imported.err;
    qInfo("the import said it waits after %lld ms and finished after %lld ms; it said: %s", toldAfter, imported.ms, err.trimmed().constData());
    QVERIFY2(toldAfter >= 0 && heldWhenTold, err.constData());
    QVERIFY2(err.contains("the library is busy: another program is writing to it; waiting up to 60 s"), err.constData());
    QVERIFY2(imported.ok(), qPrintable(imported.text()));
    QVERIFY2(imported.ms > toldAfter, "it went on only after the lock was released");
    QCOMPARE(count(file, u"SELECT count(*) FROM entry"_s), m_smallEntries);
}

void ConcurrencyTest::writerGivesUpAfterItsBound()
{
    const QString file = library(u"give-up.sqlite"_s);
    const Fingerprint before = fingerprint(file);
    Started holder;
    QVERIFY(hold(holder, file, 30));
    const ProcessRun imported = cli({u"--db"_s, file, u"--lock-timeout"_s, u"1"_s, u"import"_s, m_small});
    // It gave up after its bound, while the other program still held the lock.
    const bool stillHeld = holder.process->state() == QProcess::Running;
    holder.process->kill(); // the holder's transaction goes with it
    holder.finish();
    const QString err = QString::fromUtf8(imported.err);
    qInfo("gave up after %lld ms: %s", imported.ms, qPrintable(err.trimmed()));
    QVERIFY(stillHeld);
    QCOMPARE(imported.exitStatus, QProcess::NormalExit);
    QCOMPARE(imported.exitCode, 2);
    QVERIFY2(err.contains(u"the library is busy: another program has been writing to it for more than 1 s, so nothing was changed"_s), qPrintable(err));
    // Nothing of the import, nothing of the killed holder.
    const Fingerprint after = fingerprint(file);
    QVERIFY2(after == before, qPrintable(after.differences(before).join(u", "_s)));
    const ProcessRun check = cli({u"--db"_s, file, u"check"_s});
    QVERIFY2(check.ok(), qPrintable(check.text()));
}

void ConcurrencyTest::windowReportsAnEditItCouldNotWrite()
{
    const QString file = library(u"window-busy.sqlite"_s);
    const Atlas::Sql::BusyWait saved = Atlas::Sql::busyWait();
    Atlas::Sql::setBusyWait({60000, {}, windowBusyMs});
    Atlas::Library library;
    QVERIFY(library.open(file).ok());
    Atlas::MainWindow window(&library);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const qint64 entry = count(file, u"SELECT min(id) FROM entry"_s);
    window.showEntry(entry);
    QTRY_COMPARE(window.detailPane()->entryId(), entry);
    QSignalSpy failures(&library, &Atlas::Library::writeFailed);

    Started holder;
    QVERIFY(hold(holder, file, 5));
    const int steps = window.undoStack()->count();
    QElapsedTimer blocked;
    blocked.start();
    window.detailPane()->addTag(u"Busy edit"_s);
    const qint64 blockedMs = blocked.elapsed();
    qInfo("the window waited %lld ms for the lock, then reported: %s", blockedMs,
        failures.isEmpty() ? "nothing" : qPrintable(failures.first().first().toString()));
    QCOMPARE(failures.size(), 1);
    const QString message = failures.first().first().toString();
    QVERIFY2(message.contains(u"Add tag"_s) || message.contains(u"tag"_s, Qt::CaseInsensitive), qPrintable(message));
    QVERIFY2(message.contains(u"the library is busy"_s), qPrintable(message));
    // It waited for the other program (retrying) up to its bound, and no longer.
    QVERIFY2(blockedMs >= windowBusyMs * 3 / 4 && blockedMs < windowBusyMs + 2000, qPrintable(QString::number(blockedMs)));
    QCOMPARE(window.statusBar()->currentMessage(), message);
    // The failed edit is not on the undo stack and nothing was written.
    QCOMPARE(window.undoStack()->count(), steps);
    holder.process->kill(); // the other program goes away, its transaction with it
    holder.finish();
    QCOMPARE(tagged(file, u"Busy edit"_s), 0);

    // Once the other program is done, the same edit works.
    window.detailPane()->addTag(u"Busy edit"_s);
    QCOMPARE(failures.size(), 1);
    QCOMPARE(tagged(file, u"Busy edit"_s), 1);
    QCOMPARE(window.undoStack()->count(), steps + 1);
    Atlas::Sql::setBusyWait(saved);
}

void ConcurrencyTest::twoWindowsTagOneLibrary()
{
    // Two windows of one process stand for two GUI processes: each has its own Library and so its
    // own connection, as a second process would. A third program tags at the same time.
    const QString file = library(u"two-windows.sqlite"_s);
    const Atlas::Sql::BusyWait saved = Atlas::Sql::busyWait();
    Atlas::Sql::setBusyWait({60000, {}, windowBusyMs});
    Atlas::Library first;
    Atlas::Library second;
    QVERIFY(first.open(file).ok());
    QVERIFY(second.open(file).ok());
    Atlas::MainWindow a(&first);
    Atlas::MainWindow b(&second);
    a.show();
    b.show();
    QVERIFY(QTest::qWaitForWindowExposed(&a));
    QVERIFY(QTest::qWaitForWindowExposed(&b));
    QSignalSpy failuresA(&first, &Atlas::Library::writeFailed);
    QSignalSpy failuresB(&second, &Atlas::Library::writeFailed);

    Started third;
    third.start(helperPath(), {u"tag-each"_s, u"--db"_s, file, u"--tag"_s, u"Third"_s, u"--limit"_s, u"300"_s, u"--pause-ms"_s, u"1"_s}, m_home);
    QList<qint64> ids;
    {
        RawConnection raw(file, true);
        auto q = Atlas::Sql::exec(raw.database(), u"SELECT id FROM entry ORDER BY id LIMIT 40"_s);
        QVERIFY(q.ok());
        while (q.value().next())
            ids.append(q.value().value(0).toLongLong());
    }
    for (qint64 id : std::as_const(ids)) {
        a.showEntry(id);
        a.detailPane()->addTag(u"Window A"_s);
        b.showEntry(id);
        b.detailPane()->addTag(u"Window B"_s);
        QCoreApplication::processEvents();
    }
    // Each window undoes its last tag; the other's stays.
    a.undoStack()->undo();
    const ProcessRun tagging = third.finish();
    QVERIFY2(tagging.ok(), qPrintable(tagging.text()));
    qInfo("two windows tagged %lld entries each beside a third program: %s", qlonglong(ids.size()), tagging.out.trimmed().constData());
    QVERIFY2(failuresA.isEmpty(), failuresA.isEmpty() ? "" : qPrintable(failuresA.first().first().toString()));
    QVERIFY2(failuresB.isEmpty(), failuresB.isEmpty() ? "" : qPrintable(failuresB.first().first().toString()));
    QCOMPARE(tagged(file, u"Window A"_s), ids.size() - 1);
    QCOMPARE(tagged(file, u"Window B"_s), ids.size());
    QCOMPARE(tagged(file, u"Third"_s), 300);
    auto problems = first.check();
    QVERIFY(problems.ok());
    QVERIFY2(problems->isEmpty(), qPrintable(problems->join(u"; "_s)));
    Atlas::Sql::setBusyWait(saved);
}

QTEST_MAIN(ConcurrencyTest)
// An import started from the window runs on a worker: while another program holds the write lock
// it waits (up to a minute, far beyond the window thread's own bound), the status bar says that it
// waits, the window keeps handling its events, and the import completes once the lock is free.
void ConcurrencyTest::windowImportWaitsForALockWithoutFreezing()
{
    const QString file = library(u"window-import.sqlite"_s);
    const Atlas::Sql::BusyWait saved = Atlas::Sql::busyWait();
    Atlas::Sql::setBusyWait({60000, {}, windowBusyMs});
    Atlas::Library library;
    QVERIFY(library.open(file).ok());
    Atlas::RegistryImportBackend backend;
    Atlas::MainWindow window(&library, &backend);
    window.showLockWaitsInStatusBar();
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const qint64 before = count(file, u"SELECT count(*) FROM entry"_s);

    Atlas::ImportDialog dialog(&library, &backend, m_small, &window);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.isBusy(), 60000); // the preview (a dry run), before the lock is taken
    QVERIFY(dialog.summary().dryRun);

    constexpr double heldSeconds = 4;
    Started holder;
    QVERIFY(hold(holder, file, heldSeconds));
    QElapsedTimer clock;
    clock.start();
    dialog.startImport();
    // The window's event loop keeps turning: the longest gap between two ticks of a 20 ms timer.
    QElapsedTimer sinceTick;
    sinceTick.start();
    qint64 longestGap = 0;
    QTimer ticker;
    connect(&ticker, &QTimer::timeout, this, [&] {
        longestGap = qMax(longestGap, sinceTick.restart());
    });
    ticker.start(20);
    QString toldInStatusBar;
    while (dialog.isBusy() && clock.elapsed() < 60000) {
        QTest::qWait(20);
        if (toldInStatusBar.isEmpty() && window.statusBar()->currentMessage().contains(u"busy"_s))
            toldInStatusBar = window.statusBar()->currentMessage();
    }
    ticker.stop();
    const qint64 waited = clock.elapsed();
    const ProcessRun held = holder.finish();
    QVERIFY2(held.ok(), qPrintable(held.text()));
    qInfo("the window's import finished after %lld ms behind a %.0f s lock; the longest pause of the window's events: %lld ms; "
          "the status bar said: %s",
        waited, heldSeconds, longestGap, qPrintable(toldInStatusBar));
    QVERIFY2(dialog.summary().written, qPrintable(dialog.summary().text()));
    QVERIFY(waited >= qint64(heldSeconds * 1000) / 2); // it waited for the lock, well past the window thread's bound
    QCOMPARE(count(file, u"SELECT count(*) FROM entry"_s), before + m_smallEntries - m_baseEntries);
    QVERIFY2(toldInStatusBar.startsWith(u"The library is busy: another program is writing to it; waiting up to 60 s"_s), qPrintable(toldInStatusBar));
    QVERIFY2(longestGap < 1000, qPrintable(QString::number(longestGap)));
    Atlas::Sql::setBusyWait(saved);
}

#include "concurrency_test.moc"

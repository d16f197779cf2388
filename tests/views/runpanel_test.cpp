// The demos of an entry and their run panel (offscreen), with the test plugins: linking a demo by
// hand and removing it (undoable, and automatic linking leaves the curator's choice alone), the
// parameter form made from the metadata, a run with live chart points, progress, log and result,
// the earlier runs and two of them overlaid, and runs that crash, hang and are cancelled, each
// recorded with its status while the panel keeps working.
#include "../model/testlibrary.h"
#include "entrydetailpane.h"
#include "pluginlinker.h"
#include "pluginregistry.h"
#include "runpanel.h"

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/SyntaxHighlighter>

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace Qt::StringLiterals;
using namespace Atlas;
using AtlasTest::exec;
using AtlasTest::scalar;

namespace
{

const QString runnerPath = QStringLiteral(ATLAS_BIN_DIR "/mitigation-atlas-runner");

QStringList itemTexts(const QListWidget *list)
{
    QStringList texts;
    for (int i = 0; i < list->count(); ++i)
        texts.append(list->item(i)->text());
    return texts;
}

} // namespace

class RunPanelTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Library> m_library;
    PluginRegistry m_registry;
    qint64 m_entry = 0;

    const PluginInfo &plugin(const QString &id)
    {
        const PluginInfo *found = m_registry.find(id);
        if (!found)
            qFatal("test plugin %s not found", qPrintable(id));
        return *found;
    }

    PluginRunOptions options(int timeoutMs = 60000)
    {
        PluginRunOptions o;
        o.runnerPath = runnerPath;
        o.outputFolder = m_dir.filePath(u"runs"_s);
        o.timeoutMs = timeoutMs;
        o.cancelGraceMs = 500;
        return o;
    }

    // A panel for the test entry, with the runner of the build.
    std::unique_ptr<RunPanel> panel(const QString &id, int timeoutMs = 60000)
    {
        auto p = std::make_unique<RunPanel>(m_library.get(), plugin(id), m_entry);
        p->setAttribute(Qt::WA_DeleteOnClose, false);
        p->setRunOptions(options(timeoutMs));
        return p;
    }

    // Runs with the form as it is and waits for the end.
    PluginRun runToEnd(RunPanel &p)
    {
        QSignalSpy finished(&p, &RunPanel::runFinished);
        if (!p.startRun()) {
            qWarning("the run did not start: %s", qPrintable(p.statusLabel()->text()));
            return {};
        }
        if (!finished.wait(60000) && finished.isEmpty())
            return {};
        return finished.first().first().value<PluginRun>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(QFileInfo(runnerPath).isExecutable(), "mitigation-atlas-runner is not built");
        m_library = std::make_unique<Library>();
        QVERIFY(m_library->open(m_dir.filePath(u"library.sqlite"_s)).ok());
        QVERIFY(exec(*m_library, u"INSERT INTO entry(name, text) VALUES ('Red teaming', 'Automated red teaming finds attacks.')"_s).isActive());
        m_entry = scalar(*m_library, u"SELECT id FROM entry WHERE name = 'Red teaming'"_s).toLongLong();
        QVERIFY(m_entry > 0);
        m_registry.setUseBuiltInFolder(false);
        m_registry.setExtraFolders({QStringLiteral(ATLAS_TEST_PLUGIN_DIR)});
        m_registry.discover();
        QVERIFY(m_registry.find(u"count"_s) && m_registry.find(u"crash"_s) && m_registry.find(u"hang"_s));
    }

    void demosAreLinkedAndUnlinkedByHand()
    {
        QUndoStack stack;
        EntryDetailPane pane(m_library.get());
        pane.setUndoStack(&stack);
        pane.setPlugins(m_registry.plugins());
        pane.showEntry(m_entry);
        QCOMPARE(itemTexts(pane.demoList()), QStringList {u"No runnable demonstration is linked to this entry."_s});
        QVERIFY(!pane.runDemoButton()->isEnabled());
        // Ready plugins can be linked; the bad ones of the test folder are not offered.
        QVERIFY(pane.demoChoice()->findData(u"count"_s) >= 0);
        QCOMPARE(pane.demoChoice()->findData(u"badmeta"_s), -1);

        pane.demoChoice()->setCurrentIndex(pane.demoChoice()->findData(u"count"_s));
        pane.linkDemoButton()->click();
        QCOMPARE(stack.count(), 1);
        QCOMPARE(scalar(*m_library, u"SELECT origin || '/' || state FROM plugin_link WHERE entry_id = ? AND plugin_id = 'count'"_s, {m_entry}).toString(),
            u"curator/linked"_s);
        QCOMPARE(pane.demoList()->count(), 1);
        QVERIFY2(pane.demoList()->item(0)->text().contains(u"count (linked by a curator)"_s), qPrintable(pane.demoList()->item(0)->text()));
        QCOMPARE(pane.demoChoice()->findData(u"count"_s), -1); // linked already
        QVERIFY(pane.runDemoButton()->isEnabled());

        // Run… asks for the panel of the selected demo.
        QSignalSpy requested(&pane, &EntryDetailPane::runDemoRequested);
        pane.runDemoButton()->click();
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.first().at(0).toLongLong(), m_entry);
        QCOMPARE(requested.first().at(1).toString(), u"count"_s);

        stack.undo();
        QCOMPARE(scalar(*m_library, u"SELECT count(*) FROM plugin_link"_s).toInt(), 0);
        stack.redo();
        QCOMPARE(scalar(*m_library, u"SELECT count(*) FROM plugin_link WHERE state = 'linked'"_s).toInt(), 1);

        // Removing keeps a 'removed' row, so the automatic links do not bring it back.
        pane.demoList()->setCurrentRow(0);
        QTest::keyClick(pane.demoList(), Qt::Key_Delete);
        QCOMPARE(stack.count(), 2);
        QCOMPARE(scalar(*m_library, u"SELECT origin || '/' || state FROM plugin_link WHERE entry_id = ? AND plugin_id = 'count'"_s, {m_entry}).toString(),
            u"curator/removed"_s);
        QCOMPARE(itemTexts(pane.demoList()), QStringList {u"No runnable demonstration is linked to this entry."_s});
        stack.undo();
        QCOMPARE(scalar(*m_library, u"SELECT state FROM plugin_link WHERE entry_id = ? AND plugin_id = 'count'"_s, {m_entry}).toString(), u"linked"_s);
        stack.redo();

        // An automatic link a curator removed stays removed.
        QVERIFY(exec(*m_library, u"INSERT INTO plugin_link(entry_id, plugin_id, origin) VALUES (?, 'crash', 'auto')"_s, {m_entry}).isActive());
        pane.showEntry(0);
        pane.showEntry(m_entry);
        QVERIFY(itemTexts(pane.demoList()).join(u"\n"_s).contains(u"crash (linked by its codes)"_s));
        pane.unlinkDemo(u"crash"_s);
        QCOMPARE(scalar(*m_library, u"SELECT origin || '/' || state FROM plugin_link WHERE entry_id = ? AND plugin_id = 'crash'"_s, {m_entry}).toString(),
            u"curator/removed"_s);
        auto report = PluginLinker(m_library->database()).linkAutomatically(m_registry.readyPlugins());
        QVERIFY(report.ok());
        QCOMPARE(scalar(*m_library, u"SELECT state FROM plugin_link WHERE entry_id = ? AND plugin_id = 'crash'"_s, {m_entry}).toString(), u"removed"_s);
        // A link to a plugin that is not installed says so and cannot be run.
        QVERIFY(exec(*m_library, u"INSERT INTO plugin_link(entry_id, plugin_id, origin) VALUES (?, 'gone-away', 'curator')"_s, {m_entry}).isActive());
        pane.showEntry(0);
        pane.showEntry(m_entry);
        QVERIFY(itemTexts(pane.demoList()).join(u"\n"_s).contains(u"gone-away (linked by a curator) — not installed"_s));
        for (int row = 0; row < pane.demoList()->count(); ++row) {
            if (pane.demoList()->item(row)->text().startsWith(u"gone-away"_s))
                pane.demoList()->setCurrentRow(row);
        }
        QVERIFY(!pane.runDemoButton()->isEnabled());
        QVERIFY(exec(*m_library, u"DELETE FROM plugin_link"_s).isActive());
    }

    void formIsMadeFromTheMetadata()
    {
        auto p = panel(u"count"_s);
        // One field per parameter, of the parameter's kind.
        QVERIFY(qobject_cast<QLineEdit *>(p->parameterField(u"n"_s)));
        QVERIFY(qobject_cast<QComboBox *>(p->parameterField(u"mode"_s)));
        QVERIFY(qobject_cast<QCheckBox *>(p->parameterField(u"write_file"_s)));
        QVERIFY(qobject_cast<QLineEdit *>(p->parameterField(u"seed"_s)));
        QCOMPARE(p->parameterValues().value(u"n"_s).toString(), u"10"_s);
        QVERIFY(p->runButton()->isEnabled());
        QVERIFY(!p->cancelButton()->isEnabled());

        // A value out of range or of the wrong type shows its problem and disables Run.
        QVERIFY(p->setParameterText(u"n"_s, u"0"_s));
        QVERIFY(!p->parametersValid());
        QVERIFY(!p->runButton()->isEnabled());
        QVERIFY(p->setParameterText(u"n"_s, u"twelve"_s));
        QVERIFY(!p->runButton()->isEnabled());
        QVERIFY(!p->startRun());
        QVERIFY(p->setParameterText(u"n"_s, u"12"_s));
        QVERIFY(p->runButton()->isEnabled());
        p->setSeed(7);
        QVERIFY(p->setParameterText(u"seed"_s, u"-1"_s));
        QVERIFY(!p->runButton()->isEnabled());
        p->setSeed(7);
        QVERIFY(p->runButton()->isEnabled());
        QVERIFY(!p->setParameterText(u"no_such"_s, u"1"_s));
        QVERIFY(!p->setParameterText(u"mode"_s, u"product"_s)); // not one of the choices
    }

    void runShowsLiveMetricsAndIsRecorded()
    {
        auto p = panel(u"count"_s);
        QVERIFY(p->setParameterText(u"n"_s, u"40"_s));
        QVERIFY(p->setParameterText(u"delay_ms"_s, u"5"_s));
        QVERIFY(p->setParameterText(u"write_file"_s, u"true"_s));
        p->setSeed(3);
        QSignalSpy finished(p.get(), &RunPanel::runFinished);
        QVERIFY(p->startRun());
        QVERIFY(p->isRunning());
        QVERIFY(!p->runButton()->isEnabled());
        QVERIFY(p->cancelButton()->isEnabled());
        // Points arrive while it runs (40 steps of 5 ms): the chart grows before the end.
        QTRY_VERIFY_WITH_TIMEOUT(p->pointsDrawn(p->shownRuns().value(0), u"value"_s) > 0 || !finished.isEmpty(), 20000);
        QVERIFY(finished.wait(30000) || !finished.isEmpty());
        const PluginRun run = finished.first().first().value<PluginRun>();
        QCOMPARE(run.status, RunStatus::Finished);
        QCOMPARE(p->progressBar()->value(), 1000);
        QCOMPARE(p->metricNames(), (QStringList {u"value"_s, u"draw"_s}));
        QCOMPARE(p->drawnMetrics(), (QStringList {u"value"_s, u"draw"_s}));
        QCOMPARE(p->pointsDrawn(run.id, u"value"_s), 40);
        QCOMPARE(p->pointsDrawn(run.id, u"draw"_s), 40);
        p->setMetricDrawn(u"draw"_s, false);
        QCOMPARE(p->pointsDrawn(run.id, u"draw"_s), -1);
        QVERIFY(p->logView()->toPlainText().contains(u"counted to 40"_s));
        QVERIFY(p->resultView()->toPlainText().contains(u"\"status\": \"finished\""_s));
        QVERIFY(p->resultView()->toPlainText().contains(u"\"count\": 40"_s));
        QCOMPARE(p->artifactList()->count(), 1);
        QVERIFY(p->logHighlighter()->definition().isValid());
        // Recorded with the entry, its parameters, seed and every metric point.
        QCOMPARE(scalar(*m_library, u"SELECT count(*) FROM plugin_run WHERE entry_id = ? AND status = 'finished' AND seed = 3"_s, {m_entry}).toInt(), 1);
        QCOMPARE(scalar(*m_library, u"SELECT count(*) FROM plugin_run_metric WHERE run_id = ?"_s, {run.id}).toInt(), 80);
        QCOMPARE(p->historyTable()->rowCount(), 1);
        QCOMPARE(p->historyTable()->item(0, 2)->text(), u"finished"_s);
    }

    void twoRunsAreOverlaid()
    {
        auto p = panel(u"count"_s);
        QCOMPARE(p->historyTable()->rowCount(), 1);
        // The newest earlier run is shown when the panel opens.
        const qint64 first = p->historyTable()->item(0, 0)->data(Qt::UserRole).toLongLong();
        QCOMPARE(p->shownRuns(), QList<qint64> {first});
        QCOMPARE(p->pointsDrawn(first, u"value"_s), 40);
        // With its log, kept in the run's folder, and its artifacts (the log last).
        QVERIFY2(p->logView()->toPlainText().contains(u"counted to 40"_s), qPrintable(p->logView()->toPlainText()));
        QVERIFY(p->logView()->toPlainText().contains(u"ended: finished"_s));
        QCOMPARE(p->artifactList()->count(), 2);
        QVERIFY(p->artifactList()->item(1)->text().endsWith(u"/run.log"_s));

        QVERIFY(p->setParameterText(u"n"_s, u"25"_s));
        QVERIFY(p->setParameterText(u"scale"_s, u"2"_s));
        p->setSeed(4);
        const PluginRun second = runToEnd(*p);
        QCOMPARE(second.status, RunStatus::Finished);
        QCOMPARE(p->historyTable()->rowCount(), 2);
        QVERIFY(p->historyTable()->item(0, 4)->text().contains(u"n=25"_s));
        QVERIFY(!p->compareButton()->isEnabled());
        p->historyTable()->selectAll();
        QVERIFY(p->compareButton()->isEnabled());
        p->compareButton()->click();
        QCOMPARE(p->shownRuns(), (QList<qint64> {first, second.id}));
        QCOMPARE(p->pointsDrawn(first, u"value"_s), 40);
        QCOMPARE(p->pointsDrawn(second.id, u"value"_s), 25);
        // The second run is drawn dashed over the first.
        int dashed = 0;
        const auto series = p->chartView()->chart()->series();
        for (QAbstractSeries *s : series)
            dashed += qobject_cast<QLineSeries *>(s)->pen().style() == Qt::DashLine ? 1 : 0;
        QCOMPARE(dashed, 2); // value and draw of the second run
    }

    void crashAndHangAreRecordedAndThePanelGoesOn()
    {
        auto crashing = panel(u"crash"_s);
        const PluginRun crashed = runToEnd(*crashing);
        QCOMPARE(crashed.status, RunStatus::Crashed);
        QVERIFY2(crashing->statusLabel()->text().contains(u"crashed"_s), qPrintable(crashing->statusLabel()->text()));
        QVERIFY(crashing->runButton()->isEnabled()); // ready for another go
        QCOMPARE(scalar(*m_library, u"SELECT status FROM plugin_run WHERE id = ?"_s, {crashed.id}).toString(), u"crashed"_s);

        auto hanging = panel(u"hang"_s, 1500);
        QElapsedTimer clock;
        clock.start();
        const PluginRun timedOut = runToEnd(*hanging);
        QCOMPARE(timedOut.status, RunStatus::TimedOut);
        QVERIFY(clock.elapsed() < 15000);
        QCOMPARE(scalar(*m_library, u"SELECT status FROM plugin_run WHERE id = ?"_s, {timedOut.id}).toString(), u"timed_out"_s);
        QVERIFY(hanging->statusLabel()->text().contains(u"timed out"_s));
    }

    void cancelStopsTheRun()
    {
        auto p = panel(u"count"_s);
        QVERIFY(p->setParameterText(u"n"_s, u"2000"_s));
        QVERIFY(p->setParameterText(u"delay_ms"_s, u"20"_s));
        QSignalSpy finished(p.get(), &RunPanel::runFinished);
        QVERIFY(p->startRun());
        QTRY_VERIFY_WITH_TIMEOUT(p->progressBar()->value() > 0, 20000);
        // Escape cancels a run (and does not close the panel).
        QTest::keyClick(p.get(), Qt::Key_Escape);
        QVERIFY(finished.wait(20000) || !finished.isEmpty());
        QCOMPARE(finished.first().first().value<PluginRun>().status, RunStatus::Cancelled);
        QVERIFY(p->runButton()->isEnabled());
    }
};

QTEST_MAIN(RunPanelTest)
#include "runpanel_test.moc"

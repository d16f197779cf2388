// Entry list benchmark: how long the window's thread is blocked when the entry list's filter
// or sort changes, on a large synthetic library (made here, labelled as synthetic).
//   build/bin/entrylist_benchmark [ENTRIES] [LIBRARY]
// With LIBRARY given and already filled, it is reused; otherwise a temporary one is made.
#include "coveragemodel.h"
#include "entrytablemodel.h"
#include "pivotmodel.h"
#include "library.h"
#include "sql.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTextStream>

using namespace Atlas;

namespace
{

// Words for synthetic entry texts, so full-text queries hit a realistic share of rows.
const char *const words[] = {"red", "teaming", "toxicity", "filter", "alignment", "preference", "data", "model", "audit", "governance", "privacy",
    "watermark", "evaluation", "benchmark", "jailbreak", "defence", "monitoring", "incident", "reporting", "access", "control", "training", "fine-tuning",
    "unlearning", "interpretability", "oversight", "policy", "risk", "assessment", "deployment"};

bool fill(Library &library, int entries, QTextStream &out)
{
    const QSqlDatabase db = library.database();
    auto nodes = Sql::exec(db, QStringLiteral("SELECT n.id FROM taxonomy_node n JOIN scheme s ON s.id = n.scheme_id WHERE s.key IN ('mit-mitigation-v2', 'llm-safety-survey', 'lifecycle')"));
    if (!nodes)
        return false;
    QList<qint64> nodeIds;
    while (nodes.value().next())
        nodeIds.append(nodes.value().value(0).toLongLong());
    QRandomGenerator random(42);
    QElapsedTimer timer;
    timer.start();
    Sql::Transaction transaction(db);
    const int wordCount = int(std::size(words));
    for (int i = 0; i < entries; ++i) {
        QStringList text;
        for (int w = 0; w < 24; ++w)
            text.append(QLatin1String(words[random.bounded(wordCount)]));
        auto inserted = Sql::exec(db, QStringLiteral("INSERT INTO entry(name, text, extra) VALUES (?, ?, '{\"synthetic\":true}')"),
            {QStringLiteral("Synthetic entry %1 %2").arg(i).arg(QLatin1String(words[i % wordCount])), text.join(QLatin1Char(' '))});
        if (!inserted)
            return false;
        const qint64 id = inserted.value().lastInsertId().toLongLong();
        for (int c = 0; c < 3; ++c)
            Sql::exec(db, QStringLiteral("INSERT OR IGNORE INTO classification(entry_id, node_id, assigned_by_kind, assigned_by) VALUES (?, ?, 'rule', 'benchmark')"),
                {id, nodeIds.at(random.bounded(int(nodeIds.size())))});
    }
    if (!transaction.commit())
        return false;
    out << QStringLiteral("made %1 synthetic entries in %2 s\n").arg(entries).arg(double(timer.elapsed()) / 1000.0, 0, 'f', 1);
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    const int entries = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 100000;
    QTemporaryDir dir;
    const QString path = argc > 2 ? QString::fromLocal8Bit(argv[2]) : dir.filePath(QStringLiteral("big.sqlite"));
    Library library;
    if (!library.open(path)) {
        out << "cannot open " << path << "\n";
        return 2;
    }
    const qint64 existing = Sql::scalar(library.database(), QStringLiteral("SELECT count(*) FROM entry")).value().toLongLong();
    if (existing < entries && !fill(library, int(entries - existing), out)) {
        out << "could not fill the library\n";
        return 2;
    }
    const qint64 node = Sql::scalar(library.database(), QStringLiteral("SELECT n.id FROM taxonomy_node n JOIN scheme s ON s.id = n.scheme_id WHERE s.key = 'mit-mitigation-v2' AND n.code = '1'")).value().toLongLong();

    EntryTableModel model(&library);
    struct Step {
        const char *what;
        std::function<void()> run;
    };
    const auto text = [&](const char *query) {
        EntryFilter f = model.filter();
        f.text = QString::fromLatin1(query);
        model.setFilter(f);
    };
    const QList<Step> steps{
        {"open the list (all entries)", [&] { model.reload(); }},
        {"type 'r'", [&] { text("r"); }},
        {"type 're'", [&] { text("re"); }},
        {"type 'red'", [&] { text("red"); }},
        {"type 'red team'", [&] { text("red team"); }},
        {"type 'red teaming toxicity'", [&] { text("red teaming toxicity"); }},
        {"clear the search", [&] { text(""); }},
        {"select tree node 1 AI System", [&] {
             EntryFilter f;
             f.nodeIds = {node};
             model.setFilter(f);
         }},
        {"node and text 'audit'", [&] { text("audit"); }},
        {"clear", [&] { model.setFilter({}); }},
        {"sort by name, descending", [&] { model.sort(EntryTableModel::NameColumn, Qt::DescendingOrder); }},
        {"sort by mitigation type", [&] { model.sort(EntryTableModel::MitigationTypeColumn, Qt::AscendingOrder); }},
        {"sort by year", [&] { model.sort(EntryTableModel::YearColumn, Qt::AscendingOrder); }},
        {"scroll: fetch the next page", [&] { model.fetchMore({}); }},
    };
    out << QStringLiteral("%1 entries in the library\n").arg(Sql::scalar(library.database(), QStringLiteral("SELECT count(*) FROM entry")).value().toLongLong());
    for (const Step &step : steps) {
        QElapsedTimer timer;
        timer.start();
        step.run();
        out << QStringLiteral("%1 %2 ms  (%3 matching)\n").arg(QLatin1String(step.what), -34).arg(double(timer.nsecsElapsed()) / 1e6, 8, 'f', 1).arg(model.totalCount());
    }

    // The window's mode: reads run on a worker. What blocks the window is the call itself and
    // applying the answer (the model reset); the answer's latency is reported apart.
    EntryTableModel window(&library);
    window.setAsynchronous(true);
    QElapsedTimer resetTimer;
    double resetMs = 0;
    QObject::connect(&window, &QAbstractItemModel::modelAboutToBeReset, &window, [&] { resetTimer.start(); });
    QObject::connect(&window, &QAbstractItemModel::modelReset, &window, [&] { resetMs = double(resetTimer.nsecsElapsed()) / 1e6; });
    double worstBlocked = 0;
    for (const char *query : {"r", "re", "red", "red ", "red t", "red te", "red team", "red teaming", "red teaming toxicity", ""}) {
        EntryFilter f;
        f.text = QString::fromLatin1(query);
        QElapsedTimer call;
        call.start();
        window.setFilter(f);
        const double called = double(call.nsecsElapsed()) / 1e6;
        QElapsedTimer latency;
        latency.start();
        while (window.isLoading())
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
        worstBlocked = std::max({worstBlocked, called, resetMs});
        out << QStringLiteral("window: type %1 call %2 ms, answer after %3 ms, applying it %4 ms (%5 matching)\n")
                   .arg(QStringLiteral("'%1'").arg(QLatin1String(query)), -24)
                   .arg(called, 0, 'f', 2)
                   .arg(double(latency.nsecsElapsed()) / 1e6, 0, 'f', 1)
                   .arg(resetMs, 0, 'f', 2)
                   .arg(window.totalCount());
    }
    {
        QElapsedTimer call;
        call.start();
        window.sort(EntryTableModel::MitigationTypeColumn, Qt::AscendingOrder);
        const double called = double(call.nsecsElapsed()) / 1e6;
        QElapsedTimer latency;
        latency.start();
        while (window.isLoading())
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
        worstBlocked = std::max(worstBlocked, called);
        out << QStringLiteral("window: sort by mitigation type call %1 ms, answer after %2 ms\n").arg(called, 0, 'f', 2).arg(double(latency.nsecsElapsed()) / 1e6, 0, 'f', 1);
    }
    out << QStringLiteral("window: the longest the window's thread was blocked: %1 ms\n").arg(worstBlocked, 0, 'f', 2);

    // Pivots: the window's thread only starts a count; the worker's time is measured apart.
    const auto ms = [](const QElapsedTimer &t) {
        return double(t.nsecsElapsed()) / 1e6;
    };
    PivotModel pivot(&library);
    const QList<QList<PivotLevel>> pivots{
        {{QStringLiteral("llm-safety-survey"), 1}, {QStringLiteral("mit-mitigation-v2"), 2}},
        {{QStringLiteral("mit-mitigation-v2"), 2}, {QStringLiteral("lifecycle"), 1}},
        {{QStringLiteral("lifecycle"), 1}, {QStringLiteral("llm-safety-survey"), 1}},
    };
    for (const QList<PivotLevel> &levels : pivots) {
        QElapsedTimer gui;
        gui.start();
        pivot.setLevels(levels);
        const double blocked = ms(gui);
        QElapsedTimer worker;
        worker.start();
        while (pivot.isLoading())
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        const double arrived = ms(worker);
        QElapsedTimer insert;
        insert.start();
        QCoreApplication::processEvents();
        // The second level under the largest first-level group, counted directly.
        qint64 biggest = 0, largest = -1;
        for (int row = 0; row < pivot.rowCount(); ++row) {
            const qint64 count = pivot.index(row, PivotModel::CountColumn).data().toLongLong();
            if (count > largest) {
                largest = count;
                biggest = pivot.index(row, 0).data(PivotModel::NodeIdRole).toLongLong();
            }
        }
        QElapsedTimer second;
        second.start();
        const auto groups = PivotModel::groups(library.database(), {biggest}, levels.at(1).scheme, levels.at(1).depth);
        out << QStringLiteral("pivot %1 › %2: window blocked %3 ms; level 1 counted in the worker in %4 ms (%5 groups); level 2 of the largest group %6 ms (%7 groups)\n")
                   .arg(levels.at(0).scheme, levels.at(1).scheme)
                   .arg(blocked, 0, 'f', 1)
                   .arg(arrived, 0, 'f', 1)
                   .arg(pivot.rowCount())
                   .arg(ms(second), 0, 'f', 1)
                   .arg(groups ? groups->size() : -1);
    }

    // The coverage matrix is counted on the window's thread: how long it takes.
    CoverageModel coverage(&library);
    for (const auto &[rows, columns, depth] : {std::tuple{"llm-safety-survey", "lifecycle", 1}, std::tuple{"llm-safety-survey", "mit-mitigation-v2", 2}}) {
        QElapsedTimer timer;
        timer.start();
        coverage.setAxes(QLatin1String(rows), 1, QLatin1String(columns), depth);
        out << QStringLiteral("coverage %1 × %2 (level %3): %4 ms\n").arg(QLatin1String(rows), QLatin1String(columns)).arg(depth).arg(ms(timer), 0, 'f', 1);
    }
    return 0;
}

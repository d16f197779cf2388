// The benchmark suite of docs/performance.md: at each size (10k, 100k, 1M entries by default) it
// generates a synthetic library, imports it from library JSON and from CSV, loads the same CSV
// with the sqlite3 shell for comparison, and measures search, taxonomy-tree counts, the coverage
// matrix, opening the window and the CLI's stats. Prints one JSON object with the targets beside
// the numbers. Run it through tools/benchmark, which builds in Release first.
//   build/bin/benchmark_suite [--sizes 10000,100000,1000000] [--runs N] [--work DIR] [--keep]
//   build/bin/benchmark_suite --library FILE [--runs N]   (only the reading measures, on a library you have)
//   --candidates N: the most matches the ranked search scores (LibraryReader::search), to try other bounds
#include "coveragemodel.h"
#include "entrytablemodel.h"
#include "libraryreader.h"
#include "library.h"
#include "pivotmodel.h"
#include "sql.h"
#include "syntheticlibrary.h"
#include "taxonomytreemodel.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <random>

using namespace Atlas;

namespace
{

const QString binDir()
{
    return QCoreApplication::applicationDirPath();
}

void say(const QString &message)
{
    std::fprintf(stderr, "benchmark: %s\n", qPrintable(message));
    std::fflush(stderr);
}

double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return -1;
    std::sort(values.begin(), values.end());
    // Nearest rank: the smallest value with at least p of the values at or below it.
    const qsizetype rank = std::clamp<qsizetype>(qsizetype(std::ceil(p * double(values.size()))) - 1, 0, values.size() - 1);
    return values.at(rank);
}

double median(const QList<double> &values)
{
    return percentile(values, 0.5);
}

QJsonArray toArray(const QList<double> &values)
{
    QJsonArray array;
    for (double v : values)
        array.append(std::round(v * 1000) / 1000);
    return array;
}

double rounded(double value, int digits = 1)
{
    const double scale = std::pow(10.0, digits);
    return std::round(value * scale) / scale;
}

// Runs a program to its end; the wall time in ms, or -1 (with `error` set) when it fails.
double runTimed(const QString &program, const QStringList &arguments, QString *output = nullptr, QString *error = nullptr,
    const QByteArray &input = QByteArray(), int timeoutMs = 4 * 3600 * 1000)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::SeparateChannels);
    QElapsedTimer clock;
    clock.start();
    process.start(program, arguments);
    if (!process.waitForStarted(30000)) {
        if (error)
            *error = process.errorString();
        return -1;
    }
    if (!input.isEmpty()) {
        process.write(input);
    }
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        if (error)
            *error = QStringLiteral("timed out");
        return -1;
    }
    const double ms = double(clock.nsecsElapsed()) / 1e6;
    if (output)
        *output = QString::fromUtf8(process.readAllStandardOutput());
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        if (error)
            *error = QStringLiteral("%1 exited with %2: %3").arg(QFileInfo(program).fileName()).arg(process.exitCode()).arg(QString::fromUtf8(process.readAllStandardError()).right(600));
        return -1;
    }
    return ms;
}

// A fresh library with the bundled taxonomies, made by the CLI (as a user would).
bool initLibrary(const QString &path, QString *error)
{
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(path + suffix);
    return runTimed(binDir() + QStringLiteral("/mitigation-atlas-cli"), {QStringLiteral("--db"), path, QStringLiteral("init")}, nullptr, error) >= 0;
}

struct Query {
    QString kind; // word, common-word, phrase, prefix, facet
    QString text;
    qint64 nodeId = 0; // the facet, for kind facet
};

// 50 varied queries drawn from the library itself: the most common words (FTS5's hard case),
// words of middling and rare frequency, two-word phrases taken from entry texts, prefixes, and
// words with a taxonomy facet. Drawn with a fixed seed, so every run asks the same.
QList<Query> chooseQueries(const QSqlDatabase &db)
{
    QList<Query> queries;
    QStringList terms;
    if (Sql::exec(db, QStringLiteral("CREATE VIRTUAL TABLE IF NOT EXISTS temp.entry_terms USING fts5vocab(main, 'entry_fts', 'row')"))) {
        auto rows = Sql::exec(db, QStringLiteral("SELECT term FROM temp.entry_terms WHERE length(term) >= 4 AND term GLOB '[a-z]*' ORDER BY doc DESC, term"));
        if (rows) {
            while (rows.value().next())
                terms.append(rows.value().value(0).toString());
        }
    }
    if (terms.size() < 100)
        return queries;
    // 5 of the most common words, 15 spread over the frequency ranks.
    for (int i = 0; i < 5; ++i)
        queries.append({QStringLiteral("common-word"), terms.at(i)});
    for (int i = 0; i < 15; ++i) {
        const qsizetype rank = 20 + qsizetype(double(i) / 15.0 * double(std::min<qsizetype>(terms.size(), 20000) - 21));
        queries.append({QStringLiteral("word"), terms.at(rank)});
    }
    // 10 phrases: two consecutive words of the text of entries spread over the library.
    std::mt19937_64 random(20261202);
    const qint64 maxId = Sql::scalar(db, QStringLiteral("SELECT ifnull(max(id), 0) FROM entry")).value().toLongLong();
    for (int tries = 0; tries < 200 && queries.size() < 30 && maxId > 0; ++tries) {
        const qint64 id = 1 + qint64(random() % quint64(maxId));
        auto text = Sql::scalar(db, QStringLiteral("SELECT text FROM entry WHERE id = ?"), {id});
        if (!text || text.value().isNull())
            continue;
        const QStringList words = text.value().toString().split(QRegularExpression(QStringLiteral("[^A-Za-z]+")), Qt::SkipEmptyParts);
        if (words.size() < 8)
            continue;
        const qsizetype at = qsizetype(random() % quint64(words.size() - 2));
        if (words.at(at).size() < 3 || words.at(at + 1).size() < 3)
            continue;
        queries.append({QStringLiteral("phrase"), QStringLiteral("\"%1 %2\"").arg(words.at(at).toLower(), words.at(at + 1).toLower())});
    }
    // 10 prefixes: the first three or four letters of words across the ranks.
    for (int i = 0; i < 10; ++i) {
        const QString &term = terms.at(qsizetype(i) * 97 % std::min<qsizetype>(terms.size(), 3000));
        queries.append({QStringLiteral("prefix"), term.left(i % 2 == 0 ? 3 : 4) + QLatin1Char('*')});
    }
    // 10 words with a facet: the mitigation-type node with most entries, and the risk node with most.
    QList<qint64> facets;
    auto busiest = Sql::exec(db,
        QStringLiteral("SELECT c.node_id FROM classification c JOIN taxonomy_node n ON n.id = c.node_id JOIN scheme s ON s.id = n.scheme_id "
                       "WHERE s.key IN ('mit-mitigation-v2', 'mit-mitigation-v1', 'llm-safety-survey') GROUP BY c.node_id ORDER BY count(*) DESC LIMIT 2"));
    if (busiest) {
        while (busiest.value().next())
            facets.append(busiest.value().value(0).toLongLong());
    }
    for (int i = 0; i < 10 && !facets.isEmpty(); ++i)
        queries.append({QStringLiteral("facet"), terms.at(i < 5 ? i : 100 + i * 50), facets.at(i % facets.size())});
    return queries;
}

QJsonObject latencySummary(const QList<double> &ms)
{
    return QJsonObject {{QStringLiteral("p50_ms"), rounded(percentile(ms, 0.5), 2)}, {QStringLiteral("p95_ms"), rounded(percentile(ms, 0.95), 2)},
        {QStringLiteral("max_ms"), rounded(percentile(ms, 1.0), 2)}, {QStringLiteral("queries"), ms.size()}};
}

// Search latencies: the ranked first page (the CLI's search, 50 hits) and the entry list's first
// page with its count (what the window waits for), each the median of `runs` tries per query.
// The ranked search's bound on candidates (LibraryReader::rankedCandidates unless --candidates).
int rankedCandidates = LibraryReader::rankedCandidates;

QJsonObject measureSearch(Library &library, int runs)
{
    const QList<Query> queries = chooseQueries(library.database());
    QList<double> ranked, listed;
    QHash<QString, QList<double>> listedByKind;
    QJsonArray perQuery;
    LibraryReader reader(library.database());
    EntryTableModel model(&library);
    model.setAsynchronous(false);
    for (const Query &query : queries) {
        QList<double> rankedRuns, listedRuns;
        qint64 hits = 0;
        for (int run = 0; run < runs; ++run) {
            if (query.nodeId == 0) {
                QElapsedTimer clock;
                clock.start();
                auto found = reader.search(query.text, 50, rankedCandidates);
                rankedRuns.append(double(clock.nsecsElapsed()) / 1e6);
                hits = found ? found->entries.size() : -1;
            }
            EntryFilter filter;
            filter.text = query.text;
            if (query.nodeId)
                filter.nodeIds = {query.nodeId};
            model.setFilter({}); // so the next one is read anew
            QElapsedTimer clock;
            clock.start();
            model.setFilter(filter);
            listedRuns.append(double(clock.nsecsElapsed()) / 1e6);
        }
        if (!rankedRuns.isEmpty())
            ranked.append(median(rankedRuns));
        listed.append(median(listedRuns));
        listedByKind[query.kind].append(median(listedRuns));
        perQuery.append(QJsonObject {{QStringLiteral("kind"), query.kind}, {QStringLiteral("query"), query.text},
            {QStringLiteral("facet_node"), query.nodeId ? QJsonValue(query.nodeId) : QJsonValue()},
            {QStringLiteral("ranked_ms"), rankedRuns.isEmpty() ? QJsonValue() : QJsonValue(rounded(median(rankedRuns), 2))},
            {QStringLiteral("list_ms"), rounded(median(listedRuns), 2)}, {QStringLiteral("matches"), model.totalCount()},
            {QStringLiteral("ranked_hits"), query.nodeId ? QJsonValue() : QJsonValue(hits)}});
    }
    QJsonObject byKind;
    for (auto it = listedByKind.cbegin(); it != listedByKind.cend(); ++it)
        byKind.insert(it.key(), latencySummary(it.value()));
    return QJsonObject {{QStringLiteral("ranked_first_page"), latencySummary(ranked)}, {QStringLiteral("ranked_candidates"), rankedCandidates},
        {QStringLiteral("list_first_page"), latencySummary(listed)},
        {QStringLiteral("list_by_kind"), byKind}, {QStringLiteral("queries"), perQuery}};
}

// Medians over `runs` of: every count of the taxonomy tree; the coverage matrix of the default
// axes (risk categories of the survey × lifecycle) and of the MIT risk domains × mitigation types.
QJsonObject measureTreeAndCoverage(Library &library, int runs)
{
    QList<double> tree, coverageDefault, coverageFull;
    TaxonomyTreeModel treeModel(&library);
    for (int run = 0; run < runs; ++run) {
        QElapsedTimer clock;
        clock.start();
        treeModel.refreshCounts();
        tree.append(double(clock.nsecsElapsed()) / 1e6);
    }
    CoverageModel coverage(&library, nullptr, false);
    for (int run = 0; run < runs; ++run) {
        QElapsedTimer clock;
        clock.start();
        coverage.reload();
        coverageDefault.append(double(clock.nsecsElapsed()) / 1e6);
    }
    coverage.setAxes(QStringLiteral("mit-risk-domain-v3"), 2, QStringLiteral("mit-mitigation-v2"), 2);
    for (int run = 0; run < runs; ++run) {
        QElapsedTimer clock;
        clock.start();
        coverage.reload();
        coverageFull.append(double(clock.nsecsElapsed()) / 1e6);
    }
    // The pivot's groups (counted on a worker in the window): the survey's risk categories, then
    // the mitigation types (level 2) within the largest of them.
    QList<double> pivotFirst, pivotSecond;
    qint64 largest = 0;
    for (int run = 0; run < runs; ++run) {
        QElapsedTimer clock;
        clock.start();
        auto first = PivotModel::groups(library.database(), {}, QStringLiteral("llm-safety-survey"), 1);
        pivotFirst.append(double(clock.nsecsElapsed()) / 1e6);
        if (first && !first->isEmpty())
            largest = std::max_element(first->cbegin(), first->cend(), [](const PivotGroup &a, const PivotGroup &b) {
                return a.count < b.count;
            })->nodeId;
        clock.restart();
        PivotModel::groups(library.database(), {largest}, QStringLiteral("mit-mitigation-v2"), 2);
        pivotSecond.append(double(clock.nsecsElapsed()) / 1e6);
    }
    return QJsonObject {{QStringLiteral("tree_counts_ms"), rounded(median(tree), 2)}, {QStringLiteral("coverage_default_ms"), rounded(median(coverageDefault), 2)},
        {QStringLiteral("pivot_level1_ms"), rounded(median(pivotFirst), 2)}, {QStringLiteral("pivot_level2_ms"), rounded(median(pivotSecond), 2)},
        {QStringLiteral("coverage_risk_x_mitigation_ms"), rounded(median(coverageFull), 2)},
        {QStringLiteral("coverage_cells"), coverage.rowCount() * coverage.columnCount()}};
}

// Opening the window (offscreen) on the library: the process's own report of its first paint and
// filled entry list, the wall time until it said so, and its peak memory.
QJsonObject measureOpen(const QString &libraryPath, int runs)
{
    QList<double> painted, loaded, wall, rss;
    QString problem;
    for (int run = 0; run < runs; ++run) {
        QString output, error;
        const double ms = runTimed(binDir() + QStringLiteral("/mitigation-atlas"), {QStringLiteral("--db"), libraryPath, QStringLiteral("--startup-report")},
            &output, &error, {}, 120000);
        if (ms < 0) {
            problem = error;
            break;
        }
        const QJsonObject report = QJsonDocument::fromJson(output.trimmed().toUtf8()).object();
        painted.append(report.value(QStringLiteral("painted_ms")).toDouble());
        loaded.append(report.value(QStringLiteral("entries_loaded_ms")).toDouble());
        rss.append(report.value(QStringLiteral("peak_rss_kib")).toDouble() / 1024.0);
        wall.append(ms);
    }
    if (!problem.isEmpty())
        return QJsonObject {{QStringLiteral("error"), problem}};
    return QJsonObject {{QStringLiteral("painted_ms"), median(painted)}, {QStringLiteral("entries_loaded_ms"), median(loaded)},
        {QStringLiteral("process_wall_ms"), rounded(median(wall))}, {QStringLiteral("peak_rss_mib"), rounded(percentile(rss, 1.0))}};
}

QJsonObject measureStats(const QString &libraryPath, int runs)
{
    QList<double> times;
    for (int run = 0; run < runs; ++run) {
        QString error;
        const double ms = runTimed(binDir() + QStringLiteral("/mitigation-atlas-cli"), {QStringLiteral("--db"), libraryPath, QStringLiteral("stats")}, nullptr, &error);
        if (ms < 0)
            return QJsonObject {{QStringLiteral("error"), error}};
        times.append(ms);
    }
    return QJsonObject {{QStringLiteral("median_ms"), rounded(median(times))}, {QStringLiteral("runs_ms"), toArray(times)}};
}

// Imports `input` into a fresh library `runs` times with the CLI; the last library is kept.
QJsonObject measureImport(const QString &input, const QString &libraryPath, qint64 entries, int runs)
{
    QList<double> seconds;
    for (int run = 0; run < runs; ++run) {
        QString error;
        if (!initLibrary(libraryPath, &error))
            return QJsonObject {{QStringLiteral("error"), error}};
        const double ms = runTimed(binDir() + QStringLiteral("/mitigation-atlas-cli"), {QStringLiteral("--db"), libraryPath, QStringLiteral("import"), input}, nullptr, &error);
        if (ms < 0)
            return QJsonObject {{QStringLiteral("error"), error}};
        seconds.append(ms / 1000.0);
    }
    const double s = median(seconds);
    return QJsonObject {{QStringLiteral("median_s"), rounded(s, 2)}, {QStringLiteral("runs_s"), toArray(seconds)},
        {QStringLiteral("entries_per_s"), rounded(double(entries) / s, 0)}};
}

// The sqlite3 shell loading the same CSV rows into the same schema (tests/benchmarks/sqlite3-import.sql,
// with @CSV@ and @DOCUMENTS_CSV@ replaced), into a library made by init.
QJsonObject measureSqlite3(const QString &csv, const QString &documentsCsv, const QString &libraryPath, qint64 entries, int runs)
{
    QFile scriptFile(QStringLiteral(ATLAS_SOURCE_DIR "/tests/benchmarks/sqlite3-import.sql"));
    if (!scriptFile.open(QIODevice::ReadOnly))
        return QJsonObject {{QStringLiteral("error"), QStringLiteral("%1: %2").arg(scriptFile.fileName(), scriptFile.errorString())}};
    QByteArray script = scriptFile.readAll();
    script.replace("@CSV@", csv.toUtf8()).replace("@DOCUMENTS_CSV@", documentsCsv.toUtf8());
    QList<double> seconds;
    for (int run = 0; run < runs; ++run) {
        QString error;
        if (!initLibrary(libraryPath, &error))
            return QJsonObject {{QStringLiteral("error"), error}};
        const double ms = runTimed(QStringLiteral("sqlite3"), {QStringLiteral("-bail"), libraryPath}, nullptr, &error, script);
        if (ms < 0)
            return QJsonObject {{QStringLiteral("error"), error}};
        seconds.append(ms / 1000.0);
    }
    const double s = median(seconds);
    auto count = [&libraryPath](const char *table) {
        QString output, error;
        runTimed(QStringLiteral("sqlite3"), {libraryPath, QStringLiteral("SELECT count(*) FROM %1").arg(QLatin1String(table))}, &output, &error);
        return output.trimmed().toLongLong();
    };
    return QJsonObject {{QStringLiteral("median_s"), rounded(s, 2)}, {QStringLiteral("runs_s"), toArray(seconds)},
        {QStringLiteral("entries_per_s"), rounded(double(entries) / s, 0)}, {QStringLiteral("entries_loaded"), count("entry")},
        {QStringLiteral("classifications_loaded"), count("classification")}};
}

QJsonObject targets()
{
    return QJsonObject {
        {QStringLiteral("import_ratio_ours_to_sqlite3_max"), 1.5},
        {QStringLiteral("search_p95_ms_max"), QJsonObject {{QStringLiteral("100000"), 30}, {QStringLiteral("1000000"), 200}}},
        {QStringLiteral("tree_and_coverage_ms_max"), QJsonObject {{QStringLiteral("100000"), 50}, {QStringLiteral("1000000"), 500}}},
        {QStringLiteral("open_100k_ms_max"), 1000},
        {QStringLiteral("open_100k_peak_mib_max"), 300},
        {QStringLiteral("stats_100k_ms_max"), 200},
    };
}

QString machine()
{
    QFile cpu(QStringLiteral("/proc/cpuinfo"));
    QString model;
    if (cpu.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : cpu.readAll().split('\n')) {
            if (line.startsWith("model name")) {
                model = QString::fromUtf8(line.mid(line.indexOf(':') + 1)).trimmed();
                break;
            }
        }
    }
    return QStringLiteral("%1; %2 cores; %3").arg(model).arg(QThread::idealThreadCount()).arg(QSysInfo::prettyProductName());
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QList<qint64> sizes {10000, 100000, 1000000};
    int runs = 3;
    QString work;
    bool keep = false;
    QString existing;
    const QStringList args = app.arguments().mid(1);
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &arg = args.at(i);
        if (arg == QLatin1String("--sizes") && i + 1 < args.size()) {
            sizes.clear();
            for (const QString &size : args.at(++i).split(QLatin1Char(','), Qt::SkipEmptyParts))
                sizes.append(size.toLongLong());
        } else if (arg == QLatin1String("--runs") && i + 1 < args.size()) {
            runs = std::max(1, args.at(++i).toInt());
        } else if (arg == QLatin1String("--work") && i + 1 < args.size()) {
            work = args.at(++i);
        } else if (arg == QLatin1String("--library") && i + 1 < args.size()) {
            existing = args.at(++i);
        } else if (arg == QLatin1String("--keep")) {
            keep = true;
        } else if (arg == QLatin1String("--candidates") && i + 1 < args.size()) {
            rankedCandidates = std::max(1, args.at(++i).toInt());
        } else {
            std::fprintf(stderr, "usage: benchmark_suite [--sizes N,N,...] [--runs N] [--work DIR] [--keep] | --library FILE [--runs N] [--candidates N]\n");
            return 1;
        }
    }
    if (!existing.isEmpty()) {
        // The reading measures only, on a library that exists (a copy is not made: nothing is written).
        QJsonObject r;
        Library library;
        if (auto opened = library.open(existing); !opened) {
            say(opened.error());
            return 2;
        }
        const qint64 entries = Sql::scalar(library.database(), QStringLiteral("SELECT count(*) FROM entry")).value().toLongLong();
        r.insert(QStringLiteral("entries"), entries);
        r.insert(QStringLiteral("search"), measureSearch(library, runs));
        r.insert(QStringLiteral("tree_and_coverage"), measureTreeAndCoverage(library, runs));
        library.close();
        r.insert(QStringLiteral("open"), measureOpen(existing, runs));
        r.insert(QStringLiteral("cli_stats"), measureStats(existing, std::max(runs, 5)));
        std::printf("%s", QJsonDocument(QJsonObject {{QStringLiteral("machine"), machine()}, {QStringLiteral("library"), existing}, {QStringLiteral("results"), r}})
                              .toJson(QJsonDocument::Indented)
                              .constData());
        return 0;
    }
    QTemporaryDir temporary;
    if (work.isEmpty())
        work = temporary.path();
    QDir().mkpath(work);
    temporary.setAutoRemove(!keep);

    auto generator = SyntheticLibrary::withBundledTaxonomies();
    if (!generator) {
        say(generator.error());
        return 2;
    }
    QJsonObject results {{QStringLiteral("machine"), machine()}, {QStringLiteral("runs"), runs}, {QStringLiteral("targets"), targets()}};
    QJsonObject bySize;
    for (qint64 size : std::as_const(sizes)) {
        // Fewer runs of the slow steps at the largest size, so the whole suite stays within an hour or so.
        const int importRuns = size >= 1000000 ? 1 : runs;
        QJsonObject r;
        const QString base = QDir(work).filePath(QStringLiteral("synthetic-%1").arg(size));
        const SyntheticLibrary::Files files = SyntheticLibrary::filesFor(base + QStringLiteral(".json"));
        say(QStringLiteral("%1 entries: generating").arg(size));
        QElapsedTimer clock;
        clock.start();
        SyntheticLibrary::Options options;
        options.entries = size;
        options.documents = std::max<qint64>(1, size / 40);
        options.seed = 42;
        if (!QFileInfo::exists(files.libraryJson) || !QFileInfo::exists(files.mitigationsCsv)) {
            auto written = generator->write(options, files);
            if (!written) {
                say(written.error());
                return 2;
            }
        }
        r.insert(QStringLiteral("generate_s"), rounded(double(clock.elapsed()) / 1000.0, 2));

        const QString jsonLibrary = base + QStringLiteral("-json.sqlite");
        const QString csvLibrary = base + QStringLiteral("-csv.sqlite");
        const QString rawLibrary = base + QStringLiteral("-sqlite3.sqlite");
        say(QStringLiteral("%1 entries: importing library JSON").arg(size));
        r.insert(QStringLiteral("import_json"), measureImport(files.libraryJson, jsonLibrary, size, importRuns));
        say(QStringLiteral("%1 entries: importing CSV").arg(size));
        const QJsonObject csv = measureImport(files.mitigationsCsv, csvLibrary, size, importRuns);
        r.insert(QStringLiteral("import_csv"), csv);
        say(QStringLiteral("%1 entries: sqlite3 shell loading the CSV").arg(size));
        const QJsonObject raw = measureSqlite3(files.mitigationsCsv, files.documentsCsv, rawLibrary, size, importRuns);
        r.insert(QStringLiteral("import_sqlite3_csv"), raw);
        if (csv.contains(QStringLiteral("median_s")) && raw.contains(QStringLiteral("median_s")))
            r.insert(QStringLiteral("import_csv_ratio_to_sqlite3"),
                rounded(csv.value(QStringLiteral("median_s")).toDouble() / raw.value(QStringLiteral("median_s")).toDouble(), 2));
        QFile::remove(rawLibrary);
        QFile::remove(csvLibrary);

        Library library;
        if (auto opened = library.open(jsonLibrary); !opened) {
            say(opened.error());
            return 2;
        }
        say(QStringLiteral("%1 entries: search").arg(size));
        r.insert(QStringLiteral("search"), measureSearch(library, runs));
        say(QStringLiteral("%1 entries: tree counts and coverage").arg(size));
        r.insert(QStringLiteral("tree_and_coverage"), measureTreeAndCoverage(library, runs));
        library.close();
        say(QStringLiteral("%1 entries: opening the window").arg(size));
        r.insert(QStringLiteral("open"), measureOpen(jsonLibrary, runs));
        say(QStringLiteral("%1 entries: CLI stats").arg(size));
        r.insert(QStringLiteral("cli_stats"), measureStats(jsonLibrary, std::max(runs, 5)));
        r.insert(QStringLiteral("library_mib"), rounded(double(QFileInfo(jsonLibrary).size()) / 1048576.0));
        bySize.insert(QString::number(size), r);
        if (!keep)
            QFile::remove(jsonLibrary);
    }
    results.insert(QStringLiteral("sizes"), bySize);
    std::printf("%s", QJsonDocument(results).toJson(QJsonDocument::Indented).constData());
    return 0;
}

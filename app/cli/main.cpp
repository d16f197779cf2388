// mitigation-atlas-cli: everything headless. Exit codes: 0 success, 1 usage error, 2 data error.
#include "application.h"
#include "exporterregistry.h"
#include "fileimport.h"
#include "importerregistry.h"
#include "importwriter.h"
#include "library.h"
#include "libraryreader.h"
#include "pluginlinker.h"
#include "pluginregistry.h"
#include "pluginrunner.h"
#include "samplelibrary.h"
#include "sql.h"
#include "syntheticlibrary.h"
#include "taxonomystore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QSaveFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QTextStream>

#include <functional>
#include <limits>

namespace
{

enum ExitCode { Success = 0, UsageError = 1, DataError = 2 };

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

int fail(const QString &message, ExitCode code = DataError)
{
    err() << "mitigation-atlas-cli: " << message << Qt::endl;
    return code;
}

void printJson(const QJsonValue &value)
{
    const QJsonDocument document = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    out() << QString::fromUtf8(document.toJson(QJsonDocument::Indented));
    out().flush();
}

QJsonValue nullable(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

struct Context {
    QString dbPath;
    bool json = false;
    QCommandLineParser *parser = nullptr;
    QStringList arguments; // positional arguments after the command
};

// Opens the library for a command; `create` allows a new file.
int openLibrary(const Context &context, Atlas::Library &library, bool create)
{
    if (!create && !QFileInfo::exists(context.dbPath))
        return fail(QCoreApplication::translate("cli", "%1: no library there; create one with: mitigation-atlas-cli --db %1 init")
                        .arg(QDir::toNativeSeparators(context.dbPath)));
    if (auto status = library.open(context.dbPath); !status)
        return fail(status.error());
    if (!library.backupPath().isEmpty())
        err() << QCoreApplication::translate("cli", "upgraded the library; the previous version was saved as %1").arg(library.backupPath()) << Qt::endl;
    return Success;
}

int commandInit(const Context &context)
{
    Atlas::Library library;
    if (int code = openLibrary(context, library, true))
        return code;
    if (context.parser->isSet(QStringLiteral("sample"))) {
        Atlas::ImporterRegistry registry;
        auto installed = Atlas::SampleLibrary::install(library, registry);
        if (!installed)
            return fail(installed.error());
        for (const Atlas::FileImportResult &result : installed.value()) {
            if (result.summary.hasErrors()) {
                for (const Atlas::ImportDiagnostic &d : result.summary.diagnostics)
                    err() << d.toString() << Qt::endl;
            }
        }
    }
    auto stats = library.stats();
    if (!stats)
        return fail(stats.error());
    if (context.json) {
        printJson(QJsonObject {{QStringLiteral("path"), QFileInfo(library.path()).absoluteFilePath()}, {QStringLiteral("created"), library.wasCreated()},
            {QStringLiteral("schema_version"), library.schemaVersion()}, {QStringLiteral("backup"), nullable(library.backupPath())},
            {QStringLiteral("schemes"), stats->schemes}, {QStringLiteral("taxonomy_nodes"), stats->taxonomyNodes}, {QStringLiteral("entries"), stats->entries},
            {QStringLiteral("documents"), stats->documents}});
    } else {
        out() << (library.wasCreated() ? QCoreApplication::translate("cli", "Created %1") : QCoreApplication::translate("cli", "Opened %1"))
                     .arg(QDir::toNativeSeparators(QFileInfo(library.path()).absoluteFilePath()))
              << Qt::endl
              << QCoreApplication::translate("cli", "schema version %1; %2 taxonomy schemes with %3 nodes; %4 entries")
                     .arg(library.schemaVersion())
                     .arg(stats->schemes)
                     .arg(stats->taxonomyNodes)
                     .arg(stats->entries)
              << QCoreApplication::translate("cli", ", %1 documents").arg(stats->documents) << Qt::endl;
    }
    return Success;
}

int commandStats(const Context &context)
{
    Atlas::Library library;
    if (int code = openLibrary(context, library, false))
        return code;
    auto stats = library.stats();
    if (!stats)
        return fail(stats.error());
    const QList<std::pair<QString, qint64>> rows = {
        {QStringLiteral("entries"), stats->entries},
        {QStringLiteral("documents"), stats->documents},
        {QStringLiteral("classifications"), stats->classifications},
        {QStringLiteral("tags"), stats->tags},
        {QStringLiteral("schemes"), stats->schemes},
        {QStringLiteral("taxonomy_nodes"), stats->taxonomyNodes},
        {QStringLiteral("import_batches"), stats->importBatches},
        {QStringLiteral("plugin_runs"), stats->pluginRuns},
        {QStringLiteral("saved_searches"), stats->savedSearches},
    };
    if (context.json) {
        QJsonObject object;
        for (const auto &[key, value] : rows)
            object.insert(key, value);
        object.insert(QStringLiteral("schema_version"), library.schemaVersion());
        printJson(object);
    } else {
        for (const auto &[key, value] : rows)
            out() << QStringLiteral("%1 %2").arg(key, -16).arg(value) << Qt::endl;
    }
    return Success;
}

int commandTaxonomy(const Context &context)
{
    Atlas::Library library;
    if (int code = openLibrary(context, library, false))
        return code;
    Atlas::TaxonomyStore store(library.database());
    QList<Atlas::Scheme> schemes;
    const QString key = context.parser->value(QStringLiteral("scheme"));
    if (key.isEmpty()) {
        auto all = store.schemes();
        if (!all)
            return fail(all.error());
        schemes = all.value();
    } else {
        auto one = store.scheme(key);
        if (!one)
            return fail(one.error());
        schemes.append(one.value());
    }

    QJsonArray array;
    for (const Atlas::Scheme &scheme : schemes) {
        auto nodes = store.nodes(scheme.id);
        if (!nodes)
            return fail(nodes.error());
        if (context.json) {
            QJsonArray nodeArray;
            for (const Atlas::TaxonomyNode &n : nodes.value()) {
                nodeArray.append(QJsonObject {{QStringLiteral("id"), n.id}, {QStringLiteral("code"), nullable(n.code)}, {QStringLiteral("name"), n.name},
                    {QStringLiteral("parent"), n.parentId ? QJsonValue(*n.parentId) : QJsonValue(QJsonValue::Null)},
                    {QStringLiteral("description"), nullable(n.description)}, {QStringLiteral("provisional"), n.provisional}});
            }
            array.append(QJsonObject {{QStringLiteral("key"), scheme.key}, {QStringLiteral("name"), scheme.name},
                {QStringLiteral("dimension"), Atlas::dimensionKey(scheme.dimension)}, {QStringLiteral("version"), nullable(scheme.version)},
                {QStringLiteral("source"), nullable(scheme.source)}, {QStringLiteral("licence"), nullable(scheme.licence)},
                {QStringLiteral("nodes"), nodeArray}});
            continue;
        }
        out() << scheme.key << "  " << scheme.name << "  [" << Atlas::dimensionTitle(scheme.dimension) << ", " << nodes.value().size() << " nodes]" << Qt::endl;
        QHash<qint64, QList<Atlas::TaxonomyNode>> children;
        for (const Atlas::TaxonomyNode &n : nodes.value())
            children[n.parentId.value_or(0)].append(n);
        std::function<void(qint64, int)> print = [&](qint64 parent, int depth) {
            for (const Atlas::TaxonomyNode &n : children.value(parent)) {
                out() << QString(2 * (depth + 1), QLatin1Char(' ')) << n.label();
                if (n.provisional)
                    out() << "  " << QCoreApplication::translate("cli", "(provisional)");
                out() << Qt::endl;
                print(n.id, depth + 1);
            }
        };
        print(0, 0);
    }
    if (context.json)
        printJson(array);
    return Success;
}

int commandCheck(const Context &context)
{
    Atlas::Library library;
    if (int code = openLibrary(context, library, false))
        return code;
    auto problems = library.check();
    if (!problems)
        return fail(problems.error());
    if (context.json) {
        printJson(QJsonObject {{QStringLiteral("ok"), problems->isEmpty()}, {QStringLiteral("problems"), QJsonArray::fromStringList(problems.value())}});
    } else if (problems->isEmpty()) {
        out() << QCoreApplication::translate("cli", "ok: integrity, foreign keys, full-text indexes and taxonomy closure are sound") << Qt::endl;
    } else {
        for (const QString &problem : problems.value())
            out() << problem << Qt::endl;
    }
    return problems->isEmpty() ? Success : DataError;
}

QString tr(const char *text)
{
    return QCoreApplication::translate("cli", text);
}

Atlas::PluginRegistry discoverPlugins(const Context &context);

int commandImport(const Context &context)
{
    if (context.arguments.isEmpty())
        return fail(tr("import needs at least one FILE"), UsageError);
    Atlas::ImporterRegistry registry;
    const QString format = context.parser->value(QStringLiteral("format"));
    if (!format.isEmpty() && !registry.find(format))
        return fail(tr("unknown format \"%1\" (one of: %2)").arg(format, registry.formatKeys().join(QLatin1String(", "))), UsageError);
    Atlas::Library library;
    if (int code = openLibrary(context, library, true))
        return code;
    Atlas::ImportOptions options;
    options.dryRun = context.parser->isSet(QStringLiteral("dry-run"));
    options.skipInvalid = context.parser->isSet(QStringLiteral("skip-invalid"));
    // New entries may carry a demo's codes: their automatic links are written in the import's own
    // transaction, so an interrupted import leaves the library as it was or fully imported and linked.
    QList<Atlas::PluginInfo> readyPlugins;
    int linksAdded = 0;
    int linksRemoved = 0;
    if (!options.dryRun) {
        readyPlugins = discoverPlugins(context).readyPlugins();
        options.beforeCommit = [&](const QSqlDatabase &db) -> Atlas::Status {
            // A failure rolls back only the links (the linker's savepoint): the import still commits.
            auto report = Atlas::PluginLinker(db).linkAutomatically(readyPlugins);
            if (!report) {
                err() << tr("the demos could not be linked to entries: %1").arg(report.error()) << Qt::endl;
                return {};
            }
            linksAdded += report->added;
            linksRemoved += report->removed;
            return {};
        };
    }
    int exitCode = Success;
    QJsonArray results;
    for (const QString &path : context.arguments) {
        auto imported = Atlas::importFile(library, registry, path, format, options);
        if (!imported)
            return fail(tr("%1: %2").arg(path, imported.error()));
        const Atlas::ImportSummary &summary = imported->summary;
        // Strict mode: any error fails the command. With --skip-invalid, only a file that could
        // not be read at all does.
        if (summary.hasErrors() && (!options.skipInvalid || imported->formatKey.isEmpty()))
            exitCode = DataError;
        if (context.json) {
            QJsonObject o = summary.toJson();
            o.insert(QStringLiteral("file"), path);
            o.insert(QStringLiteral("format"), imported->formatKey);
            results.append(o);
            continue;
        }
        for (const Atlas::ImportDiagnostic &d : summary.diagnostics)
            err() << d.toString() << Qt::endl;
        out() << tr("%1 (%2):").arg(path, imported->formatKey.isEmpty() ? tr("format unknown") : imported->formatKey) << Qt::endl;
        const QStringList lines = summary.text().split(QLatin1Char('\n'));
        for (const QString &line : lines)
            out() << "  " << line << Qt::endl;
    }
    // Links of entries an import did not change (a plugin installed since) are brought up to date too.
    if (!options.dryRun) {
        auto report = Atlas::PluginLinker(library.database()).linkAutomatically(readyPlugins);
        if (!report) {
            err() << tr("the demos could not be linked to entries: %1").arg(report.error()) << Qt::endl;
        } else {
            linksAdded += report->added;
            linksRemoved += report->removed;
        }
        if (!context.json && linksAdded + linksRemoved > 0)
            out() << tr("demo links: %1 added, %2 removed").arg(linksAdded).arg(linksRemoved) << Qt::endl;
    }
    if (context.json)
        printJson(results.size() == 1 ? QJsonValue(results.first()) : QJsonValue(results));
    return exitCode;
}

int commandBatches(const Context &context)
{
    Atlas::Library library;
    if (int code = openLibrary(context, library, false))
        return code;
    Atlas::ImportWriter writer(library);
    auto batches = writer.batches();
    if (!batches)
        return fail(batches.error());
    if (context.json) {
        QJsonArray array;
        for (const Atlas::ImportBatch &b : batches.value())
            array.append(b.toJson());
        printJson(array);
        return Success;
    }
    if (batches->isEmpty())
        out() << tr("no imports yet") << Qt::endl;
    for (const Atlas::ImportBatch &b : batches.value()) {
        out() << QStringLiteral("%1  %2  %3  %4").arg(b.id, 4).arg(b.startedAt).arg(b.status, -8).arg(b.format, -14)
              << tr("  added %1, merged %2, skipped %3  ").arg(b.added).arg(b.merged).arg(b.skipped) << b.file << Qt::endl;
    }
    return Success;
}

int commandUndoImport(const Context &context)
{
    if (context.arguments.size() != 1)
        return fail(tr("undo-import needs one batch ID (see: batches)"), UsageError);
    bool ok = false;
    const qint64 id = context.arguments.first().toLongLong(&ok);
    if (!ok || id <= 0)
        return fail(tr("\"%1\" is not a batch ID (see: batches)").arg(context.arguments.first()), UsageError);
    Atlas::Library library;
    if (int code = openLibrary(context, library, false))
        return code;
    Atlas::ImportWriter writer(library);
    auto undone = writer.undo(id);
    if (!undone)
        return fail(undone.error());
    if (context.json)
        printJson(QJsonObject{{QStringLiteral("batch"), id}, {QStringLiteral("message"), undone.value()}});
    else
        out() << undone.value() << Qt::endl;
    return Success;
}

void printEntries(const QList<Atlas::EntryView> &entries, bool json)
{
    if (json) {
        QJsonArray array;
        for (const Atlas::EntryView &e : entries)
            array.append(e.toJson());
        printJson(array);
        return;
    }
    for (const Atlas::EntryView &e : entries) {
        QStringList codes;
        for (const Atlas::ClassificationView &c : e.classifications) {
            if (!c.code.isEmpty())
                codes.append(c.code);
        }
        out() << QStringLiteral("%1  %2").arg(e.id, 5).arg(e.name);
        if (!codes.isEmpty())
            out() << "  [" << codes.join(QLatin1String(", ")) << "]";
        if (e.listingOnly)
            out() << "  " << tr("(listing only)");
        if (e.needsReview)
            out() << "  " << tr("(needs review)");
        out() << Qt::endl;
    }
}

void printDocuments(const QList<Atlas::DocumentView> &documents, bool json)
{
    if (json) {
        QJsonArray array;
        for (const Atlas::DocumentView &d : documents)
            array.append(d.toJson());
        printJson(array);
        return;
    }
    for (const Atlas::DocumentView &d : documents) {
        const QString first = d.authors.isEmpty() ? QString() : d.authors.first() + (d.authors.size() > 1 ? tr(" et al.") : QString());
        out() << QStringLiteral("%1  %2  %3  %4").arg(d.id, 5).arg(d.year ? QString::number(*d.year) : QStringLiteral("----"), d.title, first) << Qt::endl;
    }
}

int commandList(const Context &context)
{
    const QString what = context.arguments.value(0);
    if (context.arguments.size() != 1 || (what != QLatin1String("entries") && what != QLatin1String("documents")))
        return fail(tr("list needs one of: entries, documents"), UsageError);
    Atlas::Library library;
    if (int code = openLibrary(context, library, false))
        return code;
    Atlas::LibraryReader reader(library.database());
    if (what == QLatin1String("entries")) {
        auto entries = reader.entries();
        if (!entries)
            return fail(entries.error());
        printEntries(entries.value(), context.json);
    } else {
        auto documents = reader.documents();
        if (!documents)
            return fail(documents.error());
        printDocuments(documents.value(), context.json);
    }
    return Success;
}

template<typename T>
QList<T> inOrder(QList<T> items, const QList<qint64> &ids)
{
    QHash<qint64, qsizetype> rank;
    for (qsizetype i = 0; i < ids.size(); ++i)
        rank.insert(ids.at(i), i);
    std::sort(items.begin(), items.end(), [&rank](const T &a, const T &b) {
        return rank.value(a.id) < rank.value(b.id);
    });
    return items;
}

int commandSearch(const Context &context)
{
    if (context.arguments.isEmpty())
        return fail(tr("search needs a QUERY"), UsageError);
    Atlas::Library library;
    if (int code = openLibrary(context, library, false))
        return code;
    Atlas::LibraryReader reader(library.database());
    auto hits = reader.search(context.arguments.join(QLatin1Char(' ')));
    if (!hits)
        return fail(hits.error());
    QList<Atlas::EntryView> entries;
    QList<Atlas::DocumentView> documents;
    if (!hits->entries.isEmpty()) {
        auto found = reader.entries(hits->entries);
        if (!found)
            return fail(found.error());
        entries = inOrder(found.value(), hits->entries);
    }
    if (!hits->documents.isEmpty()) {
        auto found = reader.documents(hits->documents);
        if (!found)
            return fail(found.error());
        documents = inOrder(found.value(), hits->documents);
    }
    if (context.json) {
        QJsonArray e;
        for (const Atlas::EntryView &v : std::as_const(entries))
            e.append(v.toJson());
        QJsonArray d;
        for (const Atlas::DocumentView &v : std::as_const(documents))
            d.append(v.toJson());
        QJsonObject o {{QStringLiteral("query"), context.arguments.join(QLatin1Char(' '))}, {QStringLiteral("entries"), e}, {QStringLiteral("documents"), d}};
        // Ranking is bounded: a query with more matches is ranked among its newest ones.
        if (hits->entriesBounded)
            o.insert(QStringLiteral("entries_ranked_among_newest"), Atlas::LibraryReader::rankedCandidates);
        if (hits->documentsBounded)
            o.insert(QStringLiteral("documents_ranked_among_newest"), Atlas::LibraryReader::rankedCandidates);
        printJson(o);
        return Success;
    }
    const QString bounded = tr(" (more match: these are the best of the newest %L1 matches; add words to narrow the search)").arg(Atlas::LibraryReader::rankedCandidates);
    out() << tr("entries: %1").arg(entries.size()) << (hits->entriesBounded ? bounded : QString()) << Qt::endl;
    printEntries(entries, false);
    out() << tr("documents: %1").arg(documents.size()) << (hits->documentsBounded ? bounded : QString()) << Qt::endl;
    printDocuments(documents, false);
    return Success;
}

int commandExport(const Context &context)
{
    Atlas::ExporterRegistry registry;
    const QString format = context.parser->value(QStringLiteral("format"));
    const Atlas::Exporter *exporter = registry.find(format);
    if (!exporter)
        return fail(format.isEmpty() ? tr("export needs --format (one of: %1)").arg(registry.formatKeys().join(QLatin1String(", ")))
                                     : tr("unknown export format \"%1\" (one of: %2)").arg(format, registry.formatKeys().join(QLatin1String(", "))),
            UsageError);
    Atlas::Library library;
    if (int code = openLibrary(context, library, false))
        return code;
    auto bytes = exporter->write(library.database());
    if (!bytes)
        return fail(bytes.error());
    const QString output = context.parser->value(QStringLiteral("output"));
    if (output.isEmpty() || output == QLatin1String("-")) {
        QFile standardOutput;
        if (!standardOutput.open(stdout, QIODevice::WriteOnly) || standardOutput.write(bytes.value()) != bytes->size())
            return fail(tr("cannot write to standard output"));
        return Success;
    }
    // Written to a temporary file and renamed: an interrupted export never leaves half a file.
    QSaveFile file(output);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes.value()) != bytes->size() || !file.commit())
        return fail(tr("%1: cannot write: %2").arg(output, file.errorString()));
    err() << tr("wrote %1 (%2 bytes)").arg(output).arg(bytes->size()) << Qt::endl;
    return Success;
}

// A made-up library of any size, for benchmarks: FILE in the library JSON format and the same
// entries as MIT v1 CSV tables beside it. The user's library is not touched.
int commandGenerate(const Context &context)
{
    const QCommandLineParser &parser = *context.parser;
    if (!parser.isSet(QStringLiteral("entries")))
        return fail(tr("generate needs --entries N"), UsageError);
    bool ok = false;
    const qint64 entries = parser.value(QStringLiteral("entries")).toLongLong(&ok);
    if (!ok || entries < 0)
        return fail(tr("--entries needs a number of 0 or more, not \"%1\"").arg(parser.value(QStringLiteral("entries"))), UsageError);
    qint64 documents = (entries + 39) / 40;
    if (parser.isSet(QStringLiteral("documents"))) {
        documents = parser.value(QStringLiteral("documents")).toLongLong(&ok);
        if (!ok || documents < 0)
            return fail(tr("--documents needs a number of 0 or more, not \"%1\"").arg(parser.value(QStringLiteral("documents"))), UsageError);
    }
    quint64 seed = 1;
    if (parser.isSet(QStringLiteral("seed"))) {
        seed = parser.value(QStringLiteral("seed")).toULongLong(&ok);
        if (!ok)
            return fail(tr("--seed needs a whole number, not \"%1\"").arg(parser.value(QStringLiteral("seed"))), UsageError);
    }
    const QString output = parser.value(QStringLiteral("output"));
    if (output.isEmpty() || output == QLatin1String("-"))
        return fail(tr("generate needs -o FILE (the library JSON; the CSV tables are written beside it)"), UsageError);

    QElapsedTimer timer;
    timer.start();
    auto generator = Atlas::SyntheticLibrary::withBundledTaxonomies();
    if (!generator)
        return fail(generator.error());
    Atlas::SyntheticLibrary::Options options;
    options.entries = entries;
    options.documents = documents;
    options.seed = seed;
    const Atlas::SyntheticLibrary::Files files = Atlas::SyntheticLibrary::filesFor(output);
    auto summary = generator.value().write(options, files);
    if (!summary)
        return fail(summary.error());
    const double seconds = double(timer.elapsed()) / 1000;
    if (context.json) {
        printJson(QJsonObject{
            {QStringLiteral("library_json"), QJsonObject{{QStringLiteral("file"), files.libraryJson}, {QStringLiteral("bytes"), summary->libraryJsonBytes}}},
            {QStringLiteral("mitigations_csv"), QJsonObject{{QStringLiteral("file"), files.mitigationsCsv}, {QStringLiteral("bytes"), summary->mitigationsCsvBytes}}},
            {QStringLiteral("documents_csv"), QJsonObject{{QStringLiteral("file"), files.documentsCsv}, {QStringLiteral("bytes"), summary->documentsCsvBytes}}},
            {QStringLiteral("seed"), seed <= quint64(std::numeric_limits<qint64>::max()) ? QJsonValue(qint64(seed)) : QJsonValue(QString::number(seed))},
            {QStringLiteral("entries"), summary->entries},
            {QStringLiteral("child_entries"), summary->childEntries},
            {QStringLiteral("documents"), summary->documents},
            {QStringLiteral("classifications"), summary->classifications},
            {QStringLiteral("document_classifications"), summary->documentClassifications},
            {QStringLiteral("tag_links"), summary->tagLinks},
            {QStringLiteral("seconds"), seconds},
        });
        return Success;
    }
    out() << tr("%1 entries (%2 with a parent), %3 documents, %4 classifications, seed %5, in %6 s")
                 .arg(summary->entries)
                 .arg(summary->childEntries)
                 .arg(summary->documents)
                 .arg(summary->classifications + summary->documentClassifications)
                 .arg(seed)
                 .arg(seconds, 0, 'f', 1)
          << Qt::endl;
    for (const auto &[file, bytes] : {std::pair{files.libraryJson, summary->libraryJsonBytes}, std::pair{files.mitigationsCsv, summary->mitigationsCsvBytes},
             std::pair{files.documentsCsv, summary->documentsCsvBytes}})
        out() << tr("wrote %1 (%2 bytes)").arg(QDir::toNativeSeparators(file)).arg(bytes) << Qt::endl;
    return Success;
}

// The plugins of the build or installation, then those of each --plugin-dir.
Atlas::PluginRegistry discoverPlugins(const Context &context)
{
    Atlas::PluginRegistry registry;
    QStringList folders;
    const QStringList given = context.parser->values(QStringLiteral("plugin-dir"));
    for (const QString &folder : given)
        folders.append(QFileInfo(folder).absoluteFilePath()); // named by the user, so relative to where they are
    registry.setExtraFolders(folders);
    registry.discover();
    for (const QString &problem : registry.folderProblems())
        err() << problem << Qt::endl;
    return registry;
}

// One compact JSON line with "type" first, as the runner writes it (QJsonObject sorts keys).
QString jsonLine(QJsonObject object)
{
    const QString type = object.take(QStringLiteral("type")).toString();
    const QString rest = QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
    return QStringLiteral("{\"type\":\"%1\"%2%3").arg(type, object.isEmpty() ? QString() : QStringLiteral(","), rest.mid(1));
}

QJsonArray textArray(const QStringList &items)
{
    return QJsonArray::fromStringList(items);
}

int commandPlugins(const Context &context)
{
    Atlas::PluginRegistry registry = discoverPlugins(context);
    // Loading is tried in the runner, a process of its own, so a missing symbol is listed too.
    registry.probe(Atlas::PluginRunner::defaultRunnerPath());

    // With a library, the automatic links are brought up to date and listed.
    const bool withLibrary = QFileInfo::exists(context.dbPath);
    QHash<QString, QList<qint64>> linked;
    QMap<QString, QStringList> unresolved;
    if (withLibrary) {
        Atlas::Library library;
        if (int code = openLibrary(context, library, false))
            return code;
        Atlas::PluginLinker linker(library.database());
        auto report = linker.linkAutomatically(registry.readyPlugins());
        if (!report)
            return fail(report.error());
        unresolved = report->unresolved;
        for (const Atlas::PluginInfo &plugin : registry.readyPlugins()) {
            auto entries = linker.linkedEntries(plugin.id);
            if (!entries)
                return fail(entries.error());
            linked.insert(plugin.id, entries.value());
        }
        if (report->added || report->removed)
            library.notifyChanged();
    }

    if (context.json) {
        QJsonArray array;
        for (const Atlas::PluginInfo &plugin : registry.plugins()) {
            QJsonArray parameters;
            for (const Atlas::PluginParameter &parameter : plugin.parameters)
                parameters.append(parameter.toJson());
            QJsonArray codes;
            for (const Atlas::PluginCode &code : plugin.mitigationTypes) {
                codes.append(QJsonObject {{QStringLiteral("code"), code.code},
                    {QStringLiteral("scheme"), code.schemeKey.isEmpty() ? Atlas::PluginLinker::defaultCodeScheme() : code.schemeKey},
                    {QStringLiteral("within"), nullable(code.within)}});
            }
            QJsonObject object {{QStringLiteral("id"), nullable(plugin.id)}, {QStringLiteral("file"), plugin.filePath},
                {QStringLiteral("status"), Atlas::pluginStateKey(plugin.state)}, {QStringLiteral("reason"), nullable(plugin.reason())},
                {QStringLiteral("name"), nullable(plugin.name)}, {QStringLiteral("version"), nullable(plugin.version)},
                {QStringLiteral("description"), nullable(plugin.description)}, {QStringLiteral("category"), nullable(plugin.category)},
                {QStringLiteral("parameters"), parameters}, {QStringLiteral("mitigation_types"), codes},
                {QStringLiteral("risk_categories"), textArray(plugin.riskCategories)}, {QStringLiteral("papers"), textArray(plugin.papers)}};
            if (withLibrary && plugin.isReady()) {
                QJsonArray entries;
                for (qint64 entry : linked.value(plugin.id))
                    entries.append(entry);
                object.insert(QStringLiteral("linked_entries"), entries);
                object.insert(QStringLiteral("unresolved"), textArray(unresolved.value(plugin.id)));
            }
            array.append(object);
        }
        printJson(array);
        return Success;
    }
    if (registry.plugins().isEmpty())
        out() << tr("no plugins found in %1").arg(registry.builtInFolder()) << Qt::endl;
    for (const Atlas::PluginInfo &plugin : registry.plugins()) {
        if (!plugin.isReady()) {
            out() << plugin.displayId() << "  " << Atlas::pluginStateKey(plugin.state) << ": " << plugin.reason() << Qt::endl
                  << "    " << QDir::toNativeSeparators(plugin.filePath) << Qt::endl;
            continue;
        }
        out() << plugin.id << "  " << plugin.version << "  " << plugin.name << "  [" << plugin.category << "]" << Qt::endl;
        QStringList codes;
        for (const Atlas::PluginCode &code : plugin.mitigationTypes)
            codes.append(code.label());
        if (!codes.isEmpty())
            out() << "    " << tr("codes: %1").arg(codes.join(QLatin1String(", "))) << Qt::endl;
        if (!plugin.riskCategories.isEmpty())
            out() << "    " << tr("risks: %1").arg(plugin.riskCategories.join(QLatin1String("; "))) << Qt::endl;
        if (withLibrary) {
            out() << "    " << tr("linked entries: %1").arg(linked.value(plugin.id).size());
            if (unresolved.contains(plugin.id))
                out() << "  " << tr("(not in this library: %1)").arg(unresolved.value(plugin.id).join(QLatin1String(", ")));
            out() << Qt::endl;
        }
    }
    return Success;
}

// Streams a run: each JSON line as it comes with --json, else a readable digest of it.
int commandRun(const Context &context)
{
    const QCommandLineParser &parser = *context.parser;
    if (context.arguments.size() != 1)
        return fail(tr("run needs one PLUGIN id (see: plugins)"), UsageError);
    const QString id = context.arguments.first();
    auto assignments = Atlas::PluginRegistry::parseAssignments(parser.values(QStringLiteral("param")));
    if (!assignments)
        return fail(assignments.error(), UsageError);
    bool ok = true;
    quint64 seed = 0;
    if (parser.isSet(QStringLiteral("seed"))) {
        seed = parser.value(QStringLiteral("seed")).toULongLong(&ok);
        if (!ok || seed > Atlas::PluginRunner::maxSeed)
            return fail(tr("--seed needs a whole number from 0 to %1, not \"%2\"").arg(Atlas::PluginRunner::maxSeed).arg(parser.value(QStringLiteral("seed"))),
                UsageError);
    }
    std::optional<qint64> entry;
    if (parser.isSet(QStringLiteral("entry"))) {
        entry = parser.value(QStringLiteral("entry")).toLongLong(&ok);
        if (!ok || *entry <= 0)
            return fail(tr("--entry needs an entry ID (see: list entries), not \"%1\"").arg(parser.value(QStringLiteral("entry"))), UsageError);
    }
    Atlas::PluginRunOptions options;
    if (parser.isSet(QStringLiteral("timeout"))) {
        const double seconds = parser.value(QStringLiteral("timeout")).toDouble(&ok);
        if (!ok || seconds <= 0 || seconds > 7 * 24 * 3600)
            return fail(tr("--timeout needs a number of seconds, not \"%1\"").arg(parser.value(QStringLiteral("timeout"))), UsageError);
        options.timeoutMs = int(seconds * 1000);
    }

    const Atlas::PluginRegistry registry = discoverPlugins(context);
    const Atlas::PluginInfo *plugin = registry.find(id);
    if (!plugin) {
        for (const Atlas::PluginInfo &listed : registry.plugins()) {
            if (listed.id == id)
                return fail(tr("%1 cannot be used: %2").arg(id, listed.reason()));
        }
        return fail(tr("no plugin \"%1\" (see: plugins)").arg(id));
    }
    QVariantMap values = assignments.value();
    for (auto it = values.begin(); it != values.end(); ++it) {
        // A file named on the command line is relative to where the user is, not to the run's folder.
        const Atlas::PluginParameter *parameter = plugin->parameter(it.key());
        if (parameter && parameter->type == QLatin1String("path") && !it.value().toString().isEmpty())
            it.value() = QFileInfo(it.value().toString()).absoluteFilePath();
    }
    if (auto checked = Atlas::PluginRegistry::validateParameters(*plugin, values); !checked)
        return fail(tr("%1: %2").arg(id, checked.error()), UsageError);

    Atlas::Library library;
    if (int code = openLibrary(context, library, false))
        return code;
    if (entry) {
        auto exists = Atlas::Sql::scalar(library.database(), QStringLiteral("SELECT count(*) FROM entry WHERE id = ?"), {*entry});
        if (!exists)
            return fail(exists.error());
        if (exists->toLongLong() == 0)
            return fail(tr("there is no entry %1 (see: list entries)").arg(*entry));
    }

    Atlas::PluginRunner runner(&library);
    runner.setOptions(options);
    double shownProgress = -1;
    QObject::connect(&runner, &Atlas::PluginRunner::lineReceived, &runner, [&](const QJsonObject &line) {
        if (context.json) {
            out() << jsonLine(line) << Qt::endl;
            return;
        }
        const QString type = line.value(QLatin1String("type")).toString();
        if (type == QLatin1String("progress")) {
            // Every tenth is enough for a terminal; the GUI shows every step.
            const double value = line.value(QLatin1String("value")).toDouble();
            if (value < 1 && value - shownProgress < 0.1)
                return;
            shownProgress = value;
            out() << QStringLiteral("[%1%] ").arg(qRound(value * 100), 3) << line.value(QLatin1String("message")).toString() << Qt::endl;
        } else if (type == QLatin1String("log")) {
            out() << line.value(QLatin1String("message")).toString() << Qt::endl;
        } else if (type == QLatin1String("artifact")) {
            out() << tr("wrote %1").arg(line.value(QLatin1String("path")).toString()) << Qt::endl;
        } else if (type == QLatin1String("error")) {
            err() << tr("error: %1").arg(line.value(QLatin1String("message")).toString()) << Qt::endl;
        } else if (type == QLatin1String("result")) {
            out() << tr("result: %1").arg(QString::fromUtf8(QJsonDocument(line.value(QLatin1String("value")).toObject()).toJson(QJsonDocument::Compact)))
                  << Qt::endl;
        }
    });
    auto started = runner.start(*plugin, values, seed, entry);
    if (!started)
        return fail(started.error());
    runner.waitForFinished();

    const Atlas::PluginRun &run = runner.run();
    if (context.json) {
        QJsonObject summary = run.toJson();
        summary.insert(QStringLiteral("type"), QStringLiteral("run"));
        out() << jsonLine(summary) << Qt::endl;
    } else {
        // The last value of each metric, rather than every point.
        QMap<QString, Atlas::MetricPoint> last;
        for (const Atlas::MetricPoint &point : runner.metrics()) {
            if (!last.contains(point.name) || last.value(point.name).step <= point.step)
                last.insert(point.name, point);
        }
        for (const Atlas::MetricPoint &point : std::as_const(last))
            out() << tr("%1 at step %2: %3").arg(point.name).arg(point.step).arg(point.value) << Qt::endl;
        out() << tr("run %1 of %2 %3: %4").arg(run.id).arg(run.pluginId, run.pluginVersion, Atlas::runStatusKey(run.status));
        if (!run.reason.isEmpty())
            out() << " (" << run.reason << ")";
        out() << Qt::endl;
    }
    if (!runner.storeError().isEmpty())
        return fail(tr("the run was not recorded: %1").arg(runner.storeError()));
    return run.status == Atlas::RunStatus::Finished ? Success : DataError;
}

struct Command {
    const char *name;
    const char *summary;
    int maxArguments; // positional arguments after the command; -1: any number
    std::function<int(const Context &)> run;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    Atlas::setApplicationIdentity();

    const QList<Command> commands = {
        {"init", QT_TRANSLATE_NOOP("cli", "create the library (or upgrade it) with the bundled taxonomies; --sample adds the sample data"), 0, commandInit},
        {"stats", QT_TRANSLATE_NOOP("cli", "count what the library holds"), 0, commandStats},
        {"taxonomy", QT_TRANSLATE_NOOP("cli", "list the taxonomy schemes and their nodes (--scheme KEY for one)"), 0, commandTaxonomy},
        {"check", QT_TRANSLATE_NOOP("cli", "check integrity, foreign keys, full-text indexes and the taxonomy closure"), 0, commandCheck},
        {"import", QT_TRANSLATE_NOOP("cli", "import FILE... [--format F] [--dry-run] [--skip-invalid]"), -1, commandImport},
        {"export", QT_TRANSLATE_NOOP("cli", "export --format json|csv|bibtex|markdown [-o FILE]"), 0, commandExport},
        {"batches", QT_TRANSLATE_NOOP("cli", "list the import batches"), 0, commandBatches},
        {"undo-import", QT_TRANSLATE_NOOP("cli", "undo-import ID: remove what a batch added, restore what it merged"), 1, commandUndoImport},
        {"list", QT_TRANSLATE_NOOP("cli", "list entries|documents"), 1, commandList},
        {"search", QT_TRANSLATE_NOOP("cli", "search QUERY: full-text search of entries and documents"), -1, commandSearch},
        {"generate", QT_TRANSLATE_NOOP("cli", "generate --entries N [--documents M] [--seed S] -o FILE.json: a synthetic library for benchmarks, "
                                              "also written as FILE.csv and FILE.included-documents.csv (MIT v1 layout)"), 0, commandGenerate},
        {"plugins", QT_TRANSLATE_NOOP("cli", "list the plugins with their status, codes, risk paths and (with a library) linked entries"), 0, commandPlugins},
        {"run", QT_TRANSLATE_NOOP("cli", "run PLUGIN [--param NAME=VALUE]... [--seed N] [--entry ID] [--timeout S]: run a plugin and record the run"), 1,
            commandRun},
    };

    QCommandLineParser parser;
    QString description = QCoreApplication::translate("cli", "Mitigation Atlas on the command line.\n\nCommands:");
    for (const Command &c : commands)
        description += QStringLiteral("\n  %1  %2").arg(QLatin1String(c.name), -12).arg(QCoreApplication::translate("cli", c.summary));
    description += QLatin1Char('\n') + QCoreApplication::translate("cli", "Exit codes: 0 success, 1 usage error, 2 data error.");
    parser.setApplicationDescription(description);
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    parser.addOption({QStringLiteral("db"), QCoreApplication::translate("cli", "The library FILE (default: %1).").arg(Atlas::Library::defaultPath()),
        QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("json"), QCoreApplication::translate("cli", "Print JSON.")});
    parser.addOption({QStringLiteral("lock-timeout"),
        QCoreApplication::translate("cli", "How long to wait while another program is writing to the library, in seconds (default: 60)."), QStringLiteral("S")});
    parser.addOption({QStringLiteral("scheme"), QCoreApplication::translate("cli", "taxonomy: only the scheme KEY."), QStringLiteral("KEY")});
    parser.addOption({QStringLiteral("format"), QCoreApplication::translate("cli", "import: the format F instead of detecting it; export: the format."), QStringLiteral("F")});
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")}, QCoreApplication::translate("cli", "export: write to FILE (default: standard output); generate: the library JSON FILE."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("sample"), QCoreApplication::translate("cli", "init: fill the library with the bundled sample data.")});
    parser.addOption({QStringLiteral("dry-run"), QCoreApplication::translate("cli", "import: report what would change, write nothing.")});
    parser.addOption({QStringLiteral("skip-invalid"), QCoreApplication::translate("cli", "import: write the valid records even when others have errors.")});
    parser.addOption({QStringLiteral("entries"), QCoreApplication::translate("cli", "generate: the number of entries."), QStringLiteral("N")});
    parser.addOption(
        {QStringLiteral("documents"), QCoreApplication::translate("cli", "generate: the number of documents (default: one per 40 entries)."), QStringLiteral("M")});
    parser.addOption({QStringLiteral("seed"), QCoreApplication::translate("cli", "generate: the seed; the same seed and numbers give the same files (default: 1). run: the plugin's seed (default: 0)."), QStringLiteral("S")});
    parser.addOption(
        {QStringLiteral("plugin-dir"), QCoreApplication::translate("cli", "plugins, run: also look for plugins in DIR (repeatable)."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("param"), QCoreApplication::translate("cli", "run: set a plugin parameter (repeatable)."), QStringLiteral("NAME=VALUE")});
    parser.addOption({QStringLiteral("entry"), QCoreApplication::translate("cli", "run: record the run with the entry ID."), QStringLiteral("ID")});
    parser.addOption({QStringLiteral("timeout"), QCoreApplication::translate("cli", "run: stop the run after S seconds (default: 900)."), QStringLiteral("S")});
    parser.addPositionalArgument(QStringLiteral("command"), QCoreApplication::translate("cli", "one of the commands above, with its arguments"));

    if (!parser.parse(app.arguments()))
        return fail(parser.errorText() + QLatin1Char('\n') + QCoreApplication::translate("cli", "see mitigation-atlas-cli --help"), UsageError);
    if (parser.isSet(help)) {
        out() << parser.helpText();
        return Success;
    }
    if (parser.isSet(version)) {
        out() << "mitigation-atlas-cli " << QCoreApplication::applicationVersion() << Qt::endl;
        return Success;
    }

    // A writer that meets another program's write waits, says so once, and gives up after the bound.
    Atlas::Sql::BusyWait busy;
    busy.timeoutMs = 60000;
    if (parser.isSet(QStringLiteral("lock-timeout"))) {
        bool ok = false;
        const double seconds = parser.value(QStringLiteral("lock-timeout")).toDouble(&ok);
        if (!ok || seconds < 0 || seconds > 24 * 3600)
            return fail(QCoreApplication::translate("cli", "--lock-timeout needs a number of seconds, not \"%1\"").arg(parser.value(QStringLiteral("lock-timeout"))),
                UsageError);
        busy.timeoutMs = int(seconds * 1000);
    }
    busy.notify = [](const QString &message) {
        err() << "mitigation-atlas-cli: " << message << QStringLiteral("\u2026") << Qt::endl;
    };
    Atlas::Sql::setBusyWait(busy);

    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return fail(QCoreApplication::translate("cli", "no command given; see mitigation-atlas-cli --help"), UsageError);
    const QString name = positional.first();
    for (const Command &command : commands) {
        if (name != QLatin1String(command.name))
            continue;
        if (command.maxArguments >= 0 && positional.size() > command.maxArguments + 1)
            return fail(QCoreApplication::translate("cli", "%1 takes no argument \"%2\"").arg(name, positional.at(1)), UsageError);
        if (parser.isSet(QStringLiteral("scheme")) && name != QLatin1String("taxonomy"))
            return fail(QCoreApplication::translate("cli", "--scheme is an option of taxonomy only"), UsageError);
        Context context;
        context.dbPath = parser.isSet(QStringLiteral("db")) ? parser.value(QStringLiteral("db")) : Atlas::Library::defaultPath();
        context.json = parser.isSet(QStringLiteral("json"));
        context.parser = &parser;
        context.arguments = positional.mid(1);
        return command.run(context);
    }
    return fail(QCoreApplication::translate("cli", "unknown command \"%1\"; see mitigation-atlas-cli --help").arg(name), UsageError);
}

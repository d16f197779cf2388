// mitigation-atlas-cli: everything headless. Exit codes: 0 success, 1 usage error, 2 data error.
#include "application.h"
#include "library.h"
#include "taxonomystore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <functional>

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
    auto stats = library.stats();
    if (!stats)
        return fail(stats.error());
    if (context.json) {
        printJson(QJsonObject {{QStringLiteral("path"), QFileInfo(library.path()).absoluteFilePath()}, {QStringLiteral("created"), library.wasCreated()},
            {QStringLiteral("schema_version"), library.schemaVersion()}, {QStringLiteral("backup"), nullable(library.backupPath())},
            {QStringLiteral("schemes"), stats->schemes}, {QStringLiteral("taxonomy_nodes"), stats->taxonomyNodes}});
    } else {
        out() << (library.wasCreated() ? QCoreApplication::translate("cli", "Created %1") : QCoreApplication::translate("cli", "Opened %1"))
                     .arg(QDir::toNativeSeparators(QFileInfo(library.path()).absoluteFilePath()))
              << Qt::endl
              << QCoreApplication::translate("cli", "schema version %1; %2 taxonomy schemes with %3 nodes; %4 entries")
                     .arg(library.schemaVersion())
                     .arg(stats->schemes)
                     .arg(stats->taxonomyNodes)
                     .arg(stats->entries)
              << Qt::endl;
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

struct Command {
    const char *name;
    const char *summary;
    std::function<int(const Context &)> run;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    Atlas::setApplicationIdentity();

    const QList<Command> commands = {
        {"init", QT_TRANSLATE_NOOP("cli", "create the library (or upgrade it) with the bundled taxonomies"), commandInit},
        {"stats", QT_TRANSLATE_NOOP("cli", "count what the library holds"), commandStats},
        {"taxonomy", QT_TRANSLATE_NOOP("cli", "list the taxonomy schemes and their nodes (--scheme KEY for one)"), commandTaxonomy},
        {"check", QT_TRANSLATE_NOOP("cli", "check integrity, foreign keys, full-text indexes and the taxonomy closure"), commandCheck},
    };

    QCommandLineParser parser;
    QString description = QCoreApplication::translate("cli", "Mitigation Atlas on the command line.\n\nCommands:");
    for (const Command &c : commands)
        description += QStringLiteral("\n  %1  %2").arg(QLatin1String(c.name), -9).arg(QCoreApplication::translate("cli", c.summary));
    description += QLatin1Char('\n') + QCoreApplication::translate("cli", "Exit codes: 0 success, 1 usage error, 2 data error.");
    parser.setApplicationDescription(description);
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    parser.addOption({QStringLiteral("db"), QCoreApplication::translate("cli", "The library FILE (default: %1).").arg(Atlas::Library::defaultPath()),
        QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("json"), QCoreApplication::translate("cli", "Print JSON.")});
    parser.addOption({QStringLiteral("scheme"), QCoreApplication::translate("cli", "taxonomy: only the scheme KEY."), QStringLiteral("KEY")});
    parser.addPositionalArgument(QStringLiteral("command"), QCoreApplication::translate("cli", "init, stats, taxonomy or check"));

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

    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return fail(QCoreApplication::translate("cli", "no command given; see mitigation-atlas-cli --help"), UsageError);
    const QString name = positional.first();
    for (const Command &command : commands) {
        if (name != QLatin1String(command.name))
            continue;
        if (positional.size() > 1)
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

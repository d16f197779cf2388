// reliability_helper: small writers the reliability tests start as processes of their own, so they
// can be killed mid-write or run beside another writer on the same library file.
//   tag-all  --db FILE --tag PATH             one batch edit: the tag on every entry, in one change
//   tag-each --db FILE --tag PATH [--limit N] [--pause-ms M]
//                                             the tag on each entry (lowest ids first), one change each
//   hold     --db FILE --seconds S            takes the write lock (BEGIN IMMEDIATE), says "holding",
//                                             keeps it S seconds, then commits and says "released"
// Exit codes: 0 done, 1 usage error, 2 the library failed (the message is on stderr).
#include "entryeditor.h"
#include "library.h"
#include "sql.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSqlQuery>
#include <QThread>

#include <atomic>
#include <cstdio>

namespace
{

int fail(const QString &message, int code = 2)
{
    std::fprintf(stderr, "reliability_helper: %s\n", qPrintable(message));
    return code;
}

void say(const char *line)
{
    std::fprintf(stdout, "%s\n", line);
    std::fflush(stdout);
}

Atlas::Result<QList<qint64>> entryIds(const Atlas::Library &library, qint64 limit)
{
    auto query = Atlas::Sql::exec(library.database(), QStringLiteral("SELECT id FROM entry ORDER BY id LIMIT ?"), {limit});
    if (!query)
        return Atlas::Error {query.error()};
    QList<qint64> ids;
    while (query.value().next())
        ids.append(query.value().value(0).toLongLong());
    return ids;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("db"), QStringLiteral("The library FILE."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("tag"), QStringLiteral("The tag path (names joined with \" > \")."), QStringLiteral("PATH")});
    parser.addOption({QStringLiteral("limit"), QStringLiteral("tag-each: at most N entries."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("pause-ms"), QStringLiteral("tag-each: pause between changes."), QStringLiteral("MS")});
    parser.addOption({QStringLiteral("seconds"), QStringLiteral("hold: how long to keep the lock."), QStringLiteral("S")});
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("tag-all, tag-each or hold"));
    parser.process(app);
    const QStringList positional = parser.positionalArguments();
    const QString db = parser.value(QStringLiteral("db"));
    if (positional.size() != 1 || db.isEmpty())
        return fail(QStringLiteral("usage: reliability_helper tag-all|tag-each|hold --db FILE ..."), 1);
    const QString command = positional.first();

    // Counts the waits for another writer, so the tests can tell that the writers really met.
    static std::atomic<int> waits {0};
    Atlas::Sql::setBusyWait({60000, [](const QString &) {
                                 ++waits;
                             }});

    Atlas::Library library;
    if (auto opened = library.open(db); !opened)
        return fail(opened.error());

    if (command == QLatin1String("hold")) {
        const double seconds = parser.value(QStringLiteral("seconds")).toDouble();
        Atlas::Sql::Transaction transaction(library.database());
        if (!transaction.isActive())
            return fail(transaction.error());
        // BEGIN IMMEDIATE already holds the write lock; a write makes the hold visible to readers' counts too.
        if (auto written = Atlas::Sql::exec(library.database(), QStringLiteral("INSERT OR REPLACE INTO meta(key, value) VALUES ('reliability_hold', ?)"),
                {QString::number(seconds)});
            !written)
            return fail(written.error());
        say("holding");
        QThread::msleep(qMax(0, int(seconds * 1000)));
        if (auto committed = transaction.commit(); !committed)
            return fail(committed.error());
        say("released");
        return 0;
    }

    const QStringList path = Atlas::EntryEditor::splitTagPath(parser.value(QStringLiteral("tag")));
    if (path.isEmpty())
        return fail(QStringLiteral("--tag needs a tag path"), 1);
    Atlas::EntryEditor editor(library);

    if (command == QLatin1String("tag-all")) {
        auto ids = entryIds(library, -1);
        if (!ids)
            return fail(ids.error());
        auto change = editor.addTag(ids.value(), path);
        if (!change)
            return fail(change.error());
        std::fprintf(stdout, "tagged %lld\n", qlonglong(change->links.size()));
        return 0;
    }

    if (command == QLatin1String("tag-each")) {
        const qint64 limit = parser.isSet(QStringLiteral("limit")) ? parser.value(QStringLiteral("limit")).toLongLong() : -1;
        const int pause = parser.value(QStringLiteral("pause-ms")).toInt();
        auto ids = entryIds(library, limit);
        if (!ids)
            return fail(ids.error());
        qint64 tagged = 0;
        for (qint64 id : std::as_const(ids.value())) {
            auto change = editor.addTag({id}, path);
            if (!change)
                return fail(QStringLiteral("entry %1: %2").arg(id).arg(change.error()));
            tagged += change->links.size();
            if (pause > 0)
                QThread::msleep(pause);
        }
        std::fprintf(stdout, "tagged %lld waits %d\n", qlonglong(tagged), waits.load());
        return 0;
    }
    return fail(QStringLiteral("unknown command \"%1\"").arg(command), 1);
}

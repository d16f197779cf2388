// CliTest: runs mitigation-atlas-cli as a user would and checks its exit codes, its JSON
// and that it never changes a file it refuses to open.
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace
{

struct CliRun {
    int exitCode = -1;
    QProcess::ExitStatus exitStatus = QProcess::CrashExit;
    QByteArray out;
    QByteArray err;

    QString errText() const { return QString::fromUtf8(err); }
};

QByteArray sha256(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

// A JSON number holding a whole value (QJsonValue keeps every number as a double).
bool isInteger(const QJsonValue &value)
{
    return value.isDouble() && value.toDouble() == double(value.toInteger());
}

} // namespace

class CliTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void initCreatesThenOpens();
    void statsJson();
    void taxonomyListsEverySchemeWithWellFormedNodes();
    void taxonomyParentsStayInTheirScheme();
    void taxonomyShapes_data();
    void taxonomyShapes();
    void taxonomyMitigationV2Codes();
    void taxonomyNistFunctions();
    void taxonomyOneScheme();
    void taxonomyUnknownScheme();
    void check();
    void usageErrors_data();
    void usageErrors();
    void missingFile_data();
    void missingFile();
    void notADatabase_data();
    void notADatabase();
    void newerSchema_data();
    void newerSchema();
    void importListSearchExportUndo();
    void importStrictSkipAndDryRun();
    void importUsageErrors_data();
    void importUsageErrors();
    void pluginsJson();
    void pluginsLinkEntries();
    void runStreamsJsonLines();
    void runText();
    void runFailures_data();
    void runFailures();
    void generateIsDeterministicAndImports();

private:
    CliRun run(const QStringList &arguments) const;
    QString path(const QString &name) const { return m_dir.filePath(name); }
    // Creates a library with `init`; false (and a failure recorded) when that did not work.
    bool initLibrary(const QString &file) const;
    QJsonObject schemeByKey(const QString &key) const;

    QTemporaryDir m_dir;
    QString m_library; // made once by initTestCase, only read afterwards
    QJsonArray m_taxonomy; // `taxonomy --json` of m_library
};

CliRun CliTest::run(const QStringList &arguments) const
{
    QProcess process;
    // Keep the default library and settings inside the temporary folder, whatever the command does.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"HOME"_s, m_dir.path());
    environment.insert(u"XDG_DATA_HOME"_s, path(u"xdg-data"_s));
    environment.insert(u"XDG_CONFIG_HOME"_s, path(u"xdg-config"_s));
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(ATLAS_BIN_DIR "/mitigation-atlas-cli"), arguments);
    CliRun result;
    if (!process.waitForStarted() || !process.waitForFinished(120000)) {
        process.kill();
        process.waitForFinished();
        result.err = process.errorString().toUtf8();
        return result;
    }
    result.exitStatus = process.exitStatus();
    result.exitCode = process.exitCode();
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

bool CliTest::initLibrary(const QString &file) const
{
    const CliRun result = run({u"--db"_s, file, u"init"_s});
    if (result.exitStatus != QProcess::NormalExit || result.exitCode != 0) {
        qWarning("init %s failed with %d: %s", qUtf8Printable(file), result.exitCode, result.err.constData());
        return false;
    }
    return QFileInfo::exists(file);
}

QJsonObject CliTest::schemeByKey(const QString &key) const
{
    for (const QJsonValue &scheme : m_taxonomy) {
        if (scheme.toObject().value(u"key"_s).toString() == key)
            return scheme.toObject();
    }
    return {};
}

void CliTest::initTestCase()
{
    QVERIFY2(m_dir.isValid(), qPrintable(m_dir.errorString()));
    QVERIFY2(QFileInfo(QStringLiteral(ATLAS_BIN_DIR "/mitigation-atlas-cli")).isExecutable(), "mitigation-atlas-cli is not built");

    m_library = path(u"shared.sqlite"_s);
    QVERIFY(initLibrary(m_library));

    const CliRun result = run({u"--db"_s, m_library, u"taxonomy"_s, u"--json"_s});
    QCOMPARE(result.exitStatus, QProcess::NormalExit);
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(result.out, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QVERIFY(document.isArray());
    m_taxonomy = document.array();
}

void CliTest::initCreatesThenOpens()
{
    const QString file = path(u"init.sqlite"_s);
    const QString shown = QDir::toNativeSeparators(QFileInfo(file).absoluteFilePath());

    CliRun first = run({u"--db"_s, file, u"init"_s});
    QCOMPARE(first.exitStatus, QProcess::NormalExit);
    QVERIFY2(first.exitCode == 0, first.err.constData());
    QVERIFY(QFileInfo(file).isFile());
    QVERIFY(QFileInfo(file).size() > 0);
    const QString firstOut = QString::fromUtf8(first.out);
    QVERIFY2(firstOut.startsWith(u"Created "_s + shown), qPrintable(firstOut));

    CliRun second = run({u"--db"_s, file, u"init"_s});
    QCOMPARE(second.exitStatus, QProcess::NormalExit);
    QVERIFY2(second.exitCode == 0, second.err.constData());
    const QString secondOut = QString::fromUtf8(second.out);
    QVERIFY2(secondOut.startsWith(u"Opened "_s + shown), qPrintable(secondOut));
    // The bundled taxonomies are installed once, not again on every open.
    QVERIFY2(secondOut.contains(u"8 taxonomy schemes"_s), qPrintable(secondOut));

    CliRun json = run({u"--db"_s, file, u"--json"_s, u"init"_s});
    QCOMPARE(json.exitCode, 0);
    const QJsonObject object = QJsonDocument::fromJson(json.out).object();
    QCOMPARE(object.value(u"created"_s), QJsonValue(false));
    QCOMPARE(object.value(u"schemes"_s).toInteger(), 8);
    QVERIFY(object.value(u"backup"_s).isNull());
}

void CliTest::statsJson()
{
    const CliRun result = run({u"--db"_s, m_library, u"stats"_s, u"--json"_s});
    QCOMPARE(result.exitStatus, QProcess::NormalExit);
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(result.out, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QVERIFY(document.isObject());
    const QJsonObject stats = document.object();
    for (const QString &key : {u"entries"_s, u"documents"_s, u"classifications"_s, u"tags"_s, u"schemes"_s}) {
        QVERIFY2(stats.contains(key), qPrintable(key));
        QVERIFY2(isInteger(stats.value(key)), qPrintable(key));
    }
    // A new library holds the bundled taxonomies and nothing else.
    QCOMPARE(stats.value(u"entries"_s).toInteger(), 0);
    QCOMPARE(stats.value(u"documents"_s).toInteger(), 0);
    QCOMPARE(stats.value(u"classifications"_s).toInteger(), 0);
    QCOMPARE(stats.value(u"tags"_s).toInteger(), 0);
    QCOMPARE(stats.value(u"schemes"_s).toInteger(), 8);
}

void CliTest::taxonomyListsEverySchemeWithWellFormedNodes()
{
    QCOMPARE(m_taxonomy.size(), 8);
    QSet<QString> keys;
    for (const QJsonValue &value : std::as_const(m_taxonomy)) {
        QVERIFY(value.isObject());
        const QJsonObject scheme = value.toObject();
        const QString key = scheme.value(u"key"_s).toString();
        QVERIFY2(!key.isEmpty(), "a scheme without a key");
        QVERIFY2(!keys.contains(key), qPrintable(key));
        keys.insert(key);
        QVERIFY2(!scheme.value(u"name"_s).toString().isEmpty(), qPrintable(key));
        QVERIFY2(!scheme.value(u"dimension"_s).toString().isEmpty(), qPrintable(key));
        QVERIFY2(scheme.value(u"nodes"_s).isArray(), qPrintable(key));
        const QJsonArray nodes = scheme.value(u"nodes"_s).toArray();
        QVERIFY2(!nodes.isEmpty(), qPrintable(key));
        for (const QJsonValue &nodeValue : nodes) {
            const QJsonObject node = nodeValue.toObject();
            const QString where = key + u": "_s + QString::fromUtf8(QJsonDocument(node).toJson(QJsonDocument::Compact));
            QVERIFY2(isInteger(node.value(u"id"_s)) && node.value(u"id"_s).toInteger() > 0, qPrintable(where));
            QVERIFY2(node.value(u"code"_s).isNull() || (node.value(u"code"_s).isString() && !node.value(u"code"_s).toString().isEmpty()), qPrintable(where));
            QVERIFY2(node.value(u"name"_s).isString() && !node.value(u"name"_s).toString().isEmpty(), qPrintable(where));
            QVERIFY2(node.value(u"parent"_s).isNull() || isInteger(node.value(u"parent"_s)), qPrintable(where));
            QVERIFY2(node.value(u"description"_s).isNull() || node.value(u"description"_s).isString(), qPrintable(where));
        }
    }
    const QSet<QString> expected = {u"mit-mitigation-v2"_s, u"mit-mitigation-v1"_s, u"lifecycle"_s, u"actor"_s, u"nist-ai-rmf"_s, u"mit-risk-domain-v3"_s,
        u"mit-risk-causal-v3"_s, u"llm-safety-survey"_s};
    QCOMPARE(keys, expected);
}

void CliTest::taxonomyParentsStayInTheirScheme()
{
    QVERIFY(!m_taxonomy.isEmpty());
    QSet<qint64> allIds;
    for (const QJsonValue &value : std::as_const(m_taxonomy)) {
        const QJsonObject scheme = value.toObject();
        const QString key = scheme.value(u"key"_s).toString();
        const QJsonArray nodes = scheme.value(u"nodes"_s).toArray();
        QSet<qint64> ids;
        for (const QJsonValue &node : nodes) {
            const qint64 id = node.toObject().value(u"id"_s).toInteger();
            QVERIFY2(!allIds.contains(id), qPrintable(u"%1: node id %2 appears twice"_s.arg(key).arg(id)));
            allIds.insert(id);
            ids.insert(id);
        }
        for (const QJsonValue &node : nodes) {
            const QJsonValue parent = node.toObject().value(u"parent"_s);
            if (parent.isNull())
                continue;
            QVERIFY2(ids.contains(parent.toInteger()),
                qPrintable(u"%1: node %2 has parent %3 outside the scheme"_s.arg(key).arg(node.toObject().value(u"id"_s).toInteger()).arg(parent.toInteger())));
            QVERIFY2(parent.toInteger() != node.toObject().value(u"id"_s).toInteger(), qPrintable(key));
        }
    }
}

void CliTest::taxonomyShapes_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("dimension");
    QTest::addColumn<int>("roots");
    QTest::addColumn<int>("childrenOfRoots");

    QTest::newRow("MIT risk domains v3") << u"mit-risk-domain-v3"_s << u"risk"_s << 7 << 24;
    QTest::newRow("MIT mitigations v1") << u"mit-mitigation-v1"_s << u"mitigation_type"_s << 4 << 23;
}

void CliTest::taxonomyShapes()
{
    QFETCH(QString, key);
    QFETCH(QString, dimension);
    QFETCH(int, roots);
    QFETCH(int, childrenOfRoots);

    const QJsonObject scheme = schemeByKey(key);
    QVERIFY2(!scheme.isEmpty(), qPrintable(key));
    QCOMPARE(scheme.value(u"dimension"_s).toString(), dimension);

    QSet<qint64> rootIds;
    const QJsonArray nodes = scheme.value(u"nodes"_s).toArray();
    for (const QJsonValue &node : nodes) {
        if (node.toObject().value(u"parent"_s).isNull())
            rootIds.insert(node.toObject().value(u"id"_s).toInteger());
    }
    int children = 0;
    for (const QJsonValue &node : nodes) {
        const QJsonValue parent = node.toObject().value(u"parent"_s);
        if (!parent.isNull() && rootIds.contains(parent.toInteger()))
            ++children;
    }
    QCOMPARE(rootIds.size(), roots);
    QCOMPARE(children, childrenOfRoots);
    // Both are two-level: every node is a root or a child of one.
    QCOMPARE(nodes.size(), roots + childrenOfRoots);
}

void CliTest::taxonomyMitigationV2Codes()
{
    const QJsonObject scheme = schemeByKey(u"mit-mitigation-v2"_s);
    QVERIFY(!scheme.isEmpty());
    QCOMPARE(scheme.value(u"dimension"_s).toString(), u"mitigation_type"_s);
    int coded = 0;
    QSet<QString> codes;
    const QJsonArray nodes = scheme.value(u"nodes"_s).toArray();
    for (const QJsonValue &node : nodes) {
        const QJsonValue code = node.toObject().value(u"code"_s);
        if (code.isNull())
            continue;
        ++coded;
        QVERIFY2(!codes.contains(code.toString()), qPrintable(code.toString()));
        codes.insert(code.toString());
        // Codes that were unverified ("1.1.?") are bundled without a code, never with the "?".
        QVERIFY2(!code.toString().contains(u'?'), qPrintable(code.toString()));
    }
    QVERIFY2(coded >= 42, qPrintable(u"%1 coded nodes"_s.arg(coded)));
    QVERIFY(codes.contains(u"1"_s));
    QVERIFY(codes.contains(u"1.1.2"_s));
}

void CliTest::taxonomyNistFunctions()
{
    const QJsonObject scheme = schemeByKey(u"nist-ai-rmf"_s);
    QVERIFY(!scheme.isEmpty());
    QCOMPARE(scheme.value(u"dimension"_s).toString(), u"function"_s);
    QStringList names;
    const QJsonArray nodes = scheme.value(u"nodes"_s).toArray();
    for (const QJsonValue &node : nodes)
        names.append(node.toObject().value(u"name"_s).toString());
    for (const QString &function : {u"Govern"_s, u"Map"_s, u"Measure"_s, u"Manage"_s})
        QVERIFY2(names.contains(function), qPrintable(function + u" missing from "_s + names.join(u", "_s)));
}

void CliTest::taxonomyOneScheme()
{
    const CliRun result = run({u"--db"_s, m_library, u"taxonomy"_s, u"--scheme"_s, u"actor"_s, u"--json"_s});
    QCOMPARE(result.exitStatus, QProcess::NormalExit);
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QJsonDocument document = QJsonDocument::fromJson(result.out);
    QVERIFY(document.isArray());
    QCOMPARE(document.array().size(), 1);
    const QJsonObject scheme = document.array().first().toObject();
    QCOMPARE(scheme.value(u"key"_s).toString(), u"actor"_s);
    QCOMPARE(scheme.value(u"dimension"_s).toString(), u"actor"_s);
    // The same scheme as in the full listing.
    QCOMPARE(scheme, schemeByKey(u"actor"_s));
}

void CliTest::taxonomyUnknownScheme()
{
    const CliRun result = run({u"--db"_s, m_library, u"taxonomy"_s, u"--scheme"_s, u"nope"_s});
    QCOMPARE(result.exitStatus, QProcess::NormalExit);
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.errText().contains(u"nope"_s), result.err.constData());
    QVERIFY(result.out.isEmpty());
}

void CliTest::check()
{
    const CliRun text = run({u"--db"_s, m_library, u"check"_s});
    QCOMPARE(text.exitStatus, QProcess::NormalExit);
    QVERIFY2(text.exitCode == 0, text.out.constData());
    QVERIFY2(text.out.startsWith("ok"), text.out.constData());

    const CliRun json = run({u"--db"_s, m_library, u"check"_s, u"--json"_s});
    QVERIFY2(json.exitCode == 0, json.out.constData());
    const QJsonDocument document = QJsonDocument::fromJson(json.out);
    QVERIFY(document.isObject());
    QCOMPARE(document.object().value(u"ok"_s), QJsonValue(true));
    QCOMPARE(document.object().value(u"problems"_s), QJsonValue(QJsonArray()));
}

void CliTest::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message"); // a part of what stderr must say

    QTest::newRow("no command") << QStringList() << u"no command"_s;
    QTest::newRow("unknown command") << QStringList {u"frobnicate"_s} << u"frobnicate"_s;
    QTest::newRow("unknown option") << QStringList {u"--frobnicate"_s, u"stats"_s} << u"frobnicate"_s;
    QTest::newRow("stats extra") << QStringList {u"stats"_s, u"extra"_s} << u"extra"_s;
    QTest::newRow("scheme outside taxonomy") << QStringList {u"stats"_s, u"--scheme"_s, u"actor"_s} << u"--scheme"_s;
    QTest::newRow("db without a file") << QStringList {u"stats"_s, u"--db"_s} << u"db"_s;
}

void CliTest::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);

    // A file that does not exist: a usage error must not create it.
    const QString file = path(u"usage.sqlite"_s);
    QStringList all = arguments;
    if (!all.contains(u"--db"_s))
        all = QStringList {u"--db"_s, file} + all;
    const CliRun result = run(all);
    QCOMPARE(result.exitStatus, QProcess::NormalExit);
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.errText().contains(message), result.err.constData());
    QVERIFY(result.out.isEmpty());
    QVERIFY(!QFileInfo::exists(file));
}

void CliTest::missingFile_data()
{
    QTest::addColumn<QString>("command");
    QTest::newRow("stats") << u"stats"_s;
    QTest::newRow("taxonomy") << u"taxonomy"_s;
    QTest::newRow("check") << u"check"_s;
}

void CliTest::missingFile()
{
    QFETCH(QString, command);
    const QString file = path(u"missing.sqlite"_s);
    const CliRun result = run({u"--db"_s, file, command});
    QCOMPARE(result.exitStatus, QProcess::NormalExit);
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.errText().contains(QDir::toNativeSeparators(file)), result.err.constData());
    // It says how to make one.
    QVERIFY2(result.errText().contains(u"init"_s), result.err.constData());
    QVERIFY(!QFileInfo::exists(file));
}

void CliTest::notADatabase_data()
{
    QTest::addColumn<QString>("command");
    QTest::newRow("init") << u"init"_s;
    QTest::newRow("stats") << u"stats"_s;
    QTest::newRow("taxonomy") << u"taxonomy"_s;
    QTest::newRow("check") << u"check"_s;
}

void CliTest::notADatabase()
{
    QFETCH(QString, command);
    const QString file = path(u"notes-%1.txt"_s.arg(command));
    const QByteArray text = "These are my notes, not a library.\nSecond line.\n";
    {
        QFile notes(file);
        QVERIFY(notes.open(QIODevice::WriteOnly | QIODevice::NewOnly));
        QCOMPARE(notes.write(text), text.size());
    }

    const CliRun result = run({u"--db"_s, file, command});
    QCOMPARE(result.exitStatus, QProcess::NormalExit);
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.errText().contains(QDir::toNativeSeparators(file)), result.err.constData());
    QVERIFY2(result.errText().contains(u"not a Mitigation Atlas library"_s), result.err.constData());
    QVERIFY(result.out.isEmpty());

    QFile notes(file);
    QVERIFY(notes.open(QIODevice::ReadOnly));
    QCOMPARE(notes.readAll(), text);
}

void CliTest::newerSchema_data()
{
    QTest::addColumn<QString>("command");
    QTest::newRow("init") << u"init"_s;
    QTest::newRow("stats") << u"stats"_s;
    QTest::newRow("taxonomy") << u"taxonomy"_s;
    QTest::newRow("check") << u"check"_s;
}

void CliTest::newerSchema()
{
    QFETCH(QString, command);
    const QString file = path(u"newer-%1.sqlite"_s.arg(command));
    QVERIFY(initLibrary(file));

    const QString connection = u"newer-"_s + command;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
        db.setDatabaseName(file);
        QVERIFY2(db.open(), qPrintable(db.lastError().text()));
        QSqlQuery query(db);
        QVERIFY2(query.exec(u"PRAGMA user_version = 999"_s), qPrintable(query.lastError().text()));
        QVERIFY(query.exec(u"PRAGMA user_version"_s));
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toInt(), 999);
        query.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);

    const QByteArray before = sha256(file);
    QVERIFY(!before.isEmpty());

    const CliRun result = run({u"--db"_s, file, command});
    QCOMPARE(result.exitStatus, QProcess::NormalExit);
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.errText().contains(u"newer"_s), result.err.constData());
    QVERIFY2(result.errText().contains(u"999"_s), result.err.constData());
    QVERIFY(result.out.isEmpty());
    QCOMPARE(sha256(file), before);
    // No backup is made of a file that is not touched.
    QVERIFY(QDir(m_dir.path()).entryList({QFileInfo(file).fileName() + u"*.backup"_s}).isEmpty());
}

void CliTest::importListSearchExportUndo()
{
    const QString seeds = QStringLiteral(ATLAS_SHARED_DIR "/seeds/");
    if (!QFileInfo::exists(seeds))
        QSKIP("../shared is not beside the checkout");
    const QString db = path(u"import.sqlite"_s);
    const CliRun imported = run({u"--db"_s, db, u"import"_s, u"--json"_s, seeds + u"001_941bdcbe8d94e6ef.txt"_s});
    QVERIFY2(imported.exitCode == 0, imported.err.constData());
    const QJsonObject summary = QJsonDocument::fromJson(imported.out).object();
    for (const char *key : {"added", "merged", "skipped", "diagnostics"})
        QVERIFY2(summary.contains(QLatin1String(key)), key);
    QVERIFY(summary.value(u"added"_s).toInt() > 0);
    QCOMPARE(summary.value(u"format"_s).toString(), u"survey-page"_s);

    const CliRun entries = run({u"--db"_s, db, u"list"_s, u"entries"_s, u"--json"_s});
    QCOMPARE(entries.exitCode, 0);
    const QJsonArray list = QJsonDocument::fromJson(entries.out).array();
    QVERIFY(!list.isEmpty());
    bool sawPage = false;
    for (const QJsonValue &value : list) {
        const QJsonObject e = value.toObject();
        for (const char *key : {"id", "name", "text", "reasoning", "parent", "document", "classifications", "tags"})
            QVERIFY2(e.contains(QLatin1String(key)), key);
        QVERIFY(e.value(u"classifications"_s).isArray() && e.value(u"tags"_s).isArray());
        if (!e.value(u"text"_s).toString().startsWith(u"Post-training is crucial"_s))
            continue;
        sawPage = true;
        const QJsonObject document = e.value(u"document"_s).toObject();
        QCOMPARE(document.value(u"year"_s).toInt(), 2024);
        QCOMPARE(document.value(u"authors"_s).toArray().first().toString(), u"Shi, Dan"_s);
        QSet<QString> codes;
        for (const QJsonValue &c : e.value(u"classifications"_s).toArray()) {
            for (const char *key : {"scheme", "dimension", "code", "name", "assigned_by"})
                QVERIFY2(c.toObject().contains(QLatin1String(key)), key);
            codes.insert(c.toObject().value(u"code"_s).toString() + c.toObject().value(u"name"_s).toString());
        }
        QVERIFY(codes.contains(u"1.1.2Learning Objectives"_s));
    }
    QVERIFY(sawPage);

    const CliRun documents = run({u"--db"_s, db, u"list"_s, u"documents"_s, u"--json"_s});
    const QJsonArray docs = QJsonDocument::fromJson(documents.out).array();
    QCOMPARE(docs.size(), 1);
    for (const char *key : {"id", "title", "authors", "year", "venue", "doi", "arxiv_id", "url", "abstract", "tags"})
        QVERIFY2(docs.first().toObject().contains(QLatin1String(key)), key);

    const CliRun search = run({u"--db"_s, db, u"search"_s, u"--json"_s, u"post-train"_s});
    QCOMPARE(search.exitCode, 0);
    QVERIFY(!QJsonDocument::fromJson(search.out).object().value(u"entries"_s).toArray().isEmpty());
    // FTS5 syntax in a query is only text: no error ("--" lets a word start with a dash).
    QCOMPARE(run({u"--db"_s, db, u"search"_s, u"--"_s, u"NEAR(\"a"_s, u"-b*"_s, u"c:"_s}).exitCode, 0);

    const QString exported = path(u"export.csv"_s);
    QCOMPARE(run({u"--db"_s, db, u"export"_s, u"--format"_s, u"csv"_s, u"-o"_s, exported}).exitCode, 0);
    QVERIFY(QFileInfo(exported).size() > 100);

    const CliRun batches = run({u"--db"_s, db, u"batches"_s, u"--json"_s});
    const QJsonArray batchList = QJsonDocument::fromJson(batches.out).array();
    QCOMPARE(batchList.size(), 1);
    const int batch = batchList.first().toObject().value(u"id"_s).toInt();
    QCOMPARE(run({u"--db"_s, db, u"undo-import"_s, QString::number(batch)}).exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(run({u"--db"_s, db, u"list"_s, u"entries"_s, u"--json"_s}).out).array().size(), 0);
    QCOMPARE(run({u"--db"_s, db, u"undo-import"_s, QString::number(batch)}).exitCode, 2); // once only
}

void CliTest::importStrictSkipAndDryRun()
{
    const QString db = path(u"strict.sqlite"_s);
    QVERIFY(initLibrary(db));
    const QString bib = path(u"mixed.bib"_s);
    QFile file(bib);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("@article{good,\n  title = {A Good Paper},\n  author = {Doe, Jane},\n  year = 2020\n}\n\n"
               "@article{bad,\n  title = {Unbalanced {braces},\n  year = 2021\n}\n\n"
               "@article{fine,\n  title = {Another Good Paper},\n  author = {Roe, Richard},\n  year = 2022\n}\n");
    file.close();
    const CliRun strict = run({u"--db"_s, db, u"import"_s, bib});
    QCOMPARE(strict.exitCode, 2);
    QVERIFY2(strict.errText().contains(u"mixed.bib:"_s), strict.err.constData()); // file:line: problem
    QCOMPARE(QJsonDocument::fromJson(run({u"--db"_s, db, u"list"_s, u"documents"_s, u"--json"_s}).out).array().size(), 0);

    const CliRun dry = run({u"--db"_s, db, u"import"_s, u"--dry-run"_s, u"--skip-invalid"_s, u"--json"_s, bib});
    QCOMPARE(dry.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(dry.out).object().value(u"added"_s).toInt(), 2);
    QCOMPARE(QJsonDocument::fromJson(run({u"--db"_s, db, u"list"_s, u"documents"_s, u"--json"_s}).out).array().size(), 0);

    const CliRun skip = run({u"--db"_s, db, u"import"_s, u"--skip-invalid"_s, u"--json"_s, bib});
    QCOMPARE(skip.exitCode, 0);
    const QJsonObject summary = QJsonDocument::fromJson(skip.out).object();
    QCOMPARE(summary.value(u"added"_s).toInt(), 2);
    QCOMPARE(summary.value(u"skipped"_s).toInt(), 1);
    QCOMPARE(QJsonDocument::fromJson(run({u"--db"_s, db, u"list"_s, u"documents"_s, u"--json"_s}).out).array().size(), 2);
}

void CliTest::importUsageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("import without a file") << QStringList{u"import"_s} << 1;
    QTest::newRow("unknown format") << QStringList{u"import"_s, u"--format"_s, u"nope"_s, u"x.bib"_s} << 1;
    QTest::newRow("missing file") << QStringList{u"import"_s, u"/nonexistent/file.bib"_s} << 2;
    QTest::newRow("export without format") << QStringList{u"export"_s} << 1;
    QTest::newRow("list what") << QStringList{u"list"_s, u"things"_s} << 1;
    QTest::newRow("undo not a number") << QStringList{u"undo-import"_s, u"x"_s} << 1;
    QTest::newRow("undo unknown batch") << QStringList{u"undo-import"_s, u"99"_s} << 2;
}

void CliTest::importUsageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    const QString db = path(u"usage-import.sqlite"_s);
    QVERIFY(initLibrary(db));
    const CliRun result = run(QStringList{u"--db"_s, db} + arguments);
    QCOMPARE(result.exitCode, exitCode);
    QVERIFY(!result.err.isEmpty());
}

void CliTest::pluginsJson()
{
    const QString plugins = QStringLiteral(ATLAS_TEST_PLUGIN_DIR);
    // No library: the plugins are listed without links.
    const CliRun listed = run({u"--db"_s, path(u"no-library.sqlite"_s), u"--plugin-dir"_s, plugins, u"plugins"_s, u"--json"_s});
    QCOMPARE(listed.exitCode, 0);
    QVERIFY(!QFileInfo::exists(path(u"no-library.sqlite"_s)));
    const QJsonArray array = QJsonDocument::fromJson(listed.out).array();
    QHash<QString, QJsonObject> byFile;
    for (const QJsonValue &value : array)
        byFile.insert(QFileInfo(value.toObject().value(u"file"_s).toString()).fileName(), value.toObject());
    for (const char *id : {"count", "crash", "hang", "flood", "badmeta", "wrongiid", "nosymbol"})
        QVERIFY2(byFile.contains(u"libtestplugin_"_s + QLatin1String(id) + u".so"_s), id);

    const QJsonObject count = byFile.value(u"libtestplugin_count.so"_s);
    QCOMPARE(count.value(u"id"_s).toString(), u"count"_s);
    QCOMPARE(count.value(u"status"_s).toString(), u"ready"_s);
    QVERIFY(count.value(u"reason"_s).isNull());
    QCOMPARE(count.value(u"version"_s).toString(), u"1.2.0"_s);
    QCOMPARE(count.value(u"parameters"_s).toArray().size(), 8);
    const QJsonObject n = count.value(u"parameters"_s).toArray().first().toObject();
    QCOMPARE(n.value(u"name"_s).toString(), u"n"_s);
    QCOMPARE(n.value(u"type"_s).toString(), u"int"_s);
    QCOMPARE(n.value(u"default"_s).toInt(), 10);
    QCOMPARE(n.value(u"min"_s).toInt(), 1);
    const QJsonArray codes = count.value(u"mitigation_types"_s).toArray();
    QCOMPARE(codes.size(), 2);
    QCOMPARE(codes.at(0).toObject().value(u"code"_s).toString(), u"2.4.1"_s);
    QCOMPARE(codes.at(0).toObject().value(u"scheme"_s).toString(), u"mit-mitigation-v2"_s);
    QVERIFY(codes.at(0).toObject().value(u"within"_s).isNull());
    QCOMPARE(codes.at(1).toObject().value(u"within"_s).toString(), u"Value Misalignment > Toxicity"_s);
    QCOMPARE(count.value(u"risk_categories"_s).toArray().first().toString(), u"Robustness to Attack > Jailbreaking"_s);
    QCOMPARE(count.value(u"papers"_s).toArray().first().toString(), u"arXiv:2201.02177"_s);
    QVERIFY(!count.contains(u"linked_entries"_s));

    const QJsonObject bad = byFile.value(u"libtestplugin_badmeta.so"_s);
    QCOMPARE(bad.value(u"status"_s).toString(), u"invalid"_s);
    QVERIFY(bad.value(u"id"_s).isNull());
    QVERIFY(bad.value(u"reason"_s).toString().contains(u"missing \"name\""_s));
    QCOMPARE(byFile.value(u"libtestplugin_wrongiid.so"_s).value(u"status"_s).toString(), u"invalid"_s);
    QVERIFY(byFile.value(u"libtestplugin_wrongiid.so"_s).value(u"reason"_s).toString().contains(u"interface version 2"_s));
    // Loaded once in the runner, so the missing symbol is found.
    const QJsonObject missing = byFile.value(u"libtestplugin_nosymbol.so"_s);
    QCOMPARE(missing.value(u"status"_s).toString(), u"unloadable"_s);
    QVERIFY(missing.value(u"reason"_s).toString().contains(u"undefined symbol"_s));

    const CliRun text = run({u"--db"_s, path(u"no-library.sqlite"_s), u"--plugin-dir"_s, plugins, u"plugins"_s});
    QCOMPARE(text.exitCode, 0);
    QVERIFY(QString::fromUtf8(text.out).contains(u"count  1.2.0  Count  [test]"_s));
    QVERIFY(QString::fromUtf8(text.out).contains(u"codes: 2.4.1, 1.1.2 within Value Misalignment > Toxicity"_s));

    // A plugin folder that does not exist is reported, not fatal.
    const CliRun nowhere = run({u"--db"_s, path(u"no-library.sqlite"_s), u"--plugin-dir"_s, path(u"no-plugins-here"_s), u"plugins"_s, u"--json"_s});
    QCOMPARE(nowhere.exitCode, 0);
    QVERIFY(nowhere.errText().contains(u"no such folder"_s));
}

void CliTest::pluginsLinkEntries()
{
    const QString seeds = QStringLiteral(ATLAS_SHARED_DIR "/seeds/");
    if (!QFileInfo::exists(seeds))
        QSKIP("../shared is not beside the checkout");
    const QString db = path(u"plugin-links.sqlite"_s);
    QVERIFY(initLibrary(db));
    // Seed 002 is coded 2.4.1 Research & Foundations, one of count's codes.
    QCOMPARE(run({u"--db"_s, db, u"import"_s, seeds + u"002_a0a8653dee302dd3.txt"_s}).exitCode, 0);
    const CliRun listed = run({u"--db"_s, db, u"--plugin-dir"_s, QStringLiteral(ATLAS_TEST_PLUGIN_DIR), u"plugins"_s, u"--json"_s});
    QCOMPARE(listed.exitCode, 0);
    QJsonObject count;
    for (const QJsonValue &value : QJsonDocument::fromJson(listed.out).array()) {
        if (value.toObject().value(u"id"_s).toString() == u"count"_s)
            count = value.toObject();
    }
    const QJsonArray linked = count.value(u"linked_entries"_s).toArray();
    QVERIFY(!linked.isEmpty());
    QVERIFY(count.value(u"unresolved"_s).isArray());
    QSqlDatabase connection = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"plugin-links"_s);
    {
        connection.setDatabaseName(db);
        QVERIFY(connection.open());
        for (const QJsonValue &entry : linked) {
            QSqlQuery q(connection);
            q.prepare(u"SELECT count(*) FROM classification c JOIN taxonomy_node n ON n.id = c.node_id JOIN plugin_link l ON l.entry_id = c.entry_id "
                      "WHERE c.entry_id = ? AND n.code = '2.4.1' AND l.plugin_id = 'count' AND l.origin = 'auto'"_s);
            q.addBindValue(entry.toInteger());
            QVERIFY(q.exec() && q.next());
            QCOMPARE(q.value(0).toInt(), 1);
        }
        connection.close();
    }
    connection = QSqlDatabase();
    QSqlDatabase::removeDatabase(u"plugin-links"_s);
    // Listing again links nothing new.
    const CliRun again = run({u"--db"_s, db, u"--plugin-dir"_s, QStringLiteral(ATLAS_TEST_PLUGIN_DIR), u"plugins"_s, u"--json"_s});
    QCOMPARE(again.out, listed.out);
}

void CliTest::runStreamsJsonLines()
{
    const QString db = path(u"runs.sqlite"_s);
    QVERIFY(initLibrary(db));
    const QStringList arguments {u"--db"_s, db, u"--plugin-dir"_s, QStringLiteral(ATLAS_TEST_PLUGIN_DIR), u"run"_s, u"count"_s, u"--param"_s, u"n=5"_s,
        u"--param"_s, u"mode=xor"_s, u"--seed"_s, u"11"_s, u"--json"_s};
    const CliRun first = run(arguments);
    QVERIFY2(first.exitCode == 0, first.err.constData());
    const QList<QByteArray> lines = first.out.trimmed().split('\n');
    QHash<QString, int> types;
    QJsonObject result;
    for (const QByteArray &line : lines) {
        QJsonParseError error;
        const QJsonObject object = QJsonDocument::fromJson(line, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, line.constData()); // one JSON object per line
        types[object.value(u"type"_s).toString()]++;
        if (object.value(u"type"_s).toString() == u"result"_s)
            result = object.value(u"value"_s).toObject();
    }
    QCOMPARE(types.value(u"progress"_s), 5);
    QCOMPARE(types.value(u"metric"_s), 10);
    QCOMPARE(types.value(u"result"_s), 1);
    QCOMPARE(types.value(u"run"_s), 1);
    QCOMPARE(result.value(u"sum"_s).toInt(), 15);
    const QJsonObject summary = QJsonDocument::fromJson(lines.last()).object();
    QCOMPARE(summary.value(u"type"_s).toString(), u"run"_s);
    QCOMPARE(summary.value(u"status"_s).toString(), u"finished"_s);
    QCOMPARE(summary.value(u"plugin"_s).toString(), u"count"_s);
    QCOMPARE(summary.value(u"plugin_version"_s).toString(), u"1.2.0"_s);
    QCOMPARE(summary.value(u"seed"_s).toInt(), 11);
    QCOMPARE(summary.value(u"parameters"_s).toObject().value(u"mode"_s).toString(), u"xor"_s);
    QCOMPARE(summary.value(u"result"_s).toObject(), result);
    QVERIFY(summary.value(u"id"_s).toInt() > 0);

    // Same parameters and seed: same result, a second recorded run.
    const CliRun second = run(arguments);
    QCOMPARE(second.exitCode, 0);
    const QJsonObject secondSummary = QJsonDocument::fromJson(second.out.trimmed().split('\n').last()).object();
    QCOMPARE(secondSummary.value(u"result"_s).toObject(), result);
    QVERIFY(secondSummary.value(u"id"_s).toInt() != summary.value(u"id"_s).toInt());
    QCOMPARE(QJsonDocument::fromJson(run({u"--db"_s, db, u"stats"_s, u"--json"_s}).out).object().value(u"plugin_runs"_s).toInt(), 2);
}

void CliTest::runText()
{
    const QString db = path(u"runs-text.sqlite"_s);
    QVERIFY(initLibrary(db));
    const CliRun ran = run({u"--db"_s, db, u"--plugin-dir"_s, QStringLiteral(ATLAS_TEST_PLUGIN_DIR), u"run"_s, u"count"_s, u"--param"_s, u"n=50"_s});
    QCOMPARE(ran.exitCode, 0);
    const QString text = QString::fromUtf8(ran.out);
    QVERIFY2(text.contains(u"[100%] step 50 of 50"_s), qPrintable(text));
    QVERIFY(text.contains(u"value at step 50: 50"_s));
    QVERIFY(text.contains(u"result: {"_s));
    QVERIFY(text.contains(u"of count 1.2.0: finished"_s));
    QVERIFY(text.count(u"%] "_s) <= 11); // progress every tenth, not every step
}

void CliTest::runFailures_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("status"); // of the recorded run; empty: nothing recorded
    QTest::addColumn<QString>("message"); // in stderr, or in the run's reason

    QTest::newRow("crash") << QStringList {u"run"_s, u"crash"_s} << 2 << u"crashed"_s << u"signal 11"_s;
    QTest::newRow("hang") << QStringList {u"run"_s, u"hang"_s, u"--timeout"_s, u"1"_s} << 2 << u"timed_out"_s << u"no end after 1 s"_s;
    QTest::newRow("plugin error") << QStringList {u"run"_s, u"count"_s, u"--param"_s, u"fail_at=2"_s} << 2 << u"failed"_s << u"asked to fail at step 2"_s;
    QTest::newRow("missing symbol") << QStringList {u"run"_s, u"nosymbol"_s} << 2 << u"failed"_s << u"undefined symbol"_s;
    QTest::newRow("no plugin") << QStringList {u"run"_s} << 1 << QString() << u"run needs one PLUGIN"_s;
    QTest::newRow("unknown plugin") << QStringList {u"run"_s, u"nope"_s} << 2 << QString() << u"no plugin \"nope\""_s;
    QTest::newRow("invalid plugin") << QStringList {u"run"_s, u"wrongiid"_s} << 2 << QString() << u"wrongiid cannot be used"_s;
    QTest::newRow("unknown parameter") << QStringList {u"run"_s, u"count"_s, u"--param"_s, u"steps=3"_s} << 1 << QString() << u"steps: no such parameter"_s;
    QTest::newRow("parameter out of range") << QStringList {u"run"_s, u"count"_s, u"--param"_s, u"n=0"_s} << 1 << QString() << u"below the minimum"_s;
    QTest::newRow("not an assignment") << QStringList {u"run"_s, u"count"_s, u"--param"_s, u"n"_s} << 1 << QString() << u"NAME=VALUE"_s;
    QTest::newRow("bad seed") << QStringList {u"run"_s, u"count"_s, u"--seed"_s, u"-1"_s} << 1 << QString() << u"--seed needs"_s;
    QTest::newRow("bad entry") << QStringList {u"run"_s, u"count"_s, u"--entry"_s, u"x"_s} << 1 << QString() << u"--entry needs"_s;
    QTest::newRow("unknown entry") << QStringList {u"run"_s, u"count"_s, u"--entry"_s, u"999999"_s} << 2 << QString() << u"no entry 999999"_s;
    QTest::newRow("bad timeout") << QStringList {u"run"_s, u"count"_s, u"--timeout"_s, u"soon"_s} << 1 << QString() << u"--timeout needs"_s;
}

void CliTest::runFailures()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, status);
    QFETCH(QString, message);
    const QString db = path(u"run-failures.sqlite"_s);
    if (!QFileInfo::exists(db))
        QVERIFY(initLibrary(db));
    const int runsBefore = QJsonDocument::fromJson(run({u"--db"_s, db, u"stats"_s, u"--json"_s}).out).object().value(u"plugin_runs"_s).toInt();
    const CliRun result = run(QStringList {u"--db"_s, db, u"--plugin-dir"_s, QStringLiteral(ATLAS_TEST_PLUGIN_DIR), u"--json"_s} + arguments);
    // The CLI itself never crashes or hangs, whatever the plugin does.
    QCOMPARE(result.exitStatus, QProcess::NormalExit);
    QCOMPARE(result.exitCode, exitCode);
    const int runsAfter = QJsonDocument::fromJson(run({u"--db"_s, db, u"stats"_s, u"--json"_s}).out).object().value(u"plugin_runs"_s).toInt();
    if (status.isEmpty()) {
        QCOMPARE(runsAfter, runsBefore);
        QVERIFY2(result.errText().contains(message), result.err.constData());
        return;
    }
    QCOMPARE(runsAfter, runsBefore + 1);
    const QJsonObject summary = QJsonDocument::fromJson(result.out.trimmed().split('\n').last()).object();
    QCOMPARE(summary.value(u"type"_s).toString(), u"run"_s);
    QCOMPARE(summary.value(u"status"_s).toString(), status);
    QVERIFY2(summary.value(u"reason"_s).toString().contains(message), qPrintable(summary.value(u"reason"_s).toString()));
}

void CliTest::generateIsDeterministicAndImports()
{
    QDir(m_dir.path()).mkpath(u"gen-a"_s);
    QDir(m_dir.path()).mkpath(u"gen-b"_s);
    const QString a = path(u"gen-a/lib.json"_s), b = path(u"gen-b/lib.json"_s);
    QCOMPARE(run({u"generate"_s, u"--entries"_s, u"60"_s, u"--documents"_s, u"4"_s, u"--seed"_s, u"7"_s, u"-o"_s, a}).exitCode, 0);
    QCOMPARE(run({u"generate"_s, u"--entries"_s, u"60"_s, u"--documents"_s, u"4"_s, u"--seed"_s, u"7"_s, u"-o"_s, b}).exitCode, 0);
    const auto bytes = [](const QString &file) {
        QFile f(file);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    };
    QVERIFY(!bytes(a).isEmpty());
    QCOMPARE(bytes(a), bytes(b));
    QCOMPARE(bytes(path(u"gen-a/lib.csv"_s)), bytes(path(u"gen-b/lib.csv"_s)));
    QVERIFY(QFileInfo::exists(path(u"gen-a/lib.included-documents.csv"_s)));
    // A bad count is a usage error and writes nothing.
    QCOMPARE(run({u"generate"_s, u"--entries"_s, u"-3"_s, u"-o"_s, path(u"gen-c.json"_s)}).exitCode, 1);
    QVERIFY(!QFileInfo::exists(path(u"gen-c.json"_s)));

    // The library JSON imports into a new library with exactly the generated counts.
    const QString db = path(u"generated.sqlite"_s);
    const CliRun imported = run({u"--db"_s, db, u"import"_s, u"--json"_s, a});
    QCOMPARE(imported.exitCode, 0);
    const QJsonObject stats = QJsonDocument::fromJson(run({u"--db"_s, db, u"stats"_s, u"--json"_s}).out).object();
    QCOMPARE(stats.value(u"entries"_s).toInt(), 60);
    QCOMPARE(stats.value(u"documents"_s).toInt(), 4);
}

QTEST_GUILESS_MAIN(CliTest)

#include "cli_test.moc"

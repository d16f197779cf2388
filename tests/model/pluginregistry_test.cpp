// PluginRegistryTest: discovery lists every plugin file, usable or not, with its reasons, from
// the folders it is given only; metadata rules; parameter values checked against the metadata.
#include "pluginregistry.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace
{

const QString pluginDir = QStringLiteral(ATLAS_TEST_PLUGIN_DIR);
const QString runnerPath = QStringLiteral(ATLAS_BIN_DIR "/mitigation-atlas-runner");

QString pluginFile(const QString &name)
{
    return pluginDir + u"/libtestplugin_"_s + name + u".so"_s;
}

const Atlas::PluginInfo *byFile(const Atlas::PluginRegistry &registry, const QString &fileName)
{
    for (const Atlas::PluginInfo &plugin : registry.plugins()) {
        if (QFileInfo(plugin.filePath).fileName() == fileName)
            return &plugin;
    }
    return nullptr;
}

// Qt's metadata object of a plugin, as QPluginLoader::metaData() gives it.
QJsonObject qtMetaData(const QJsonObject &meta, const QString &iid = QStringLiteral("org.mitigationatlas.MitigationPlugin/1"))
{
    return QJsonObject {{u"IID"_s, iid}, {u"className"_s, u"TestPlugin"_s}, {u"MetaData"_s, meta}};
}

QJsonObject goodMeta()
{
    return QJsonDocument::fromJson(R"({
        "id": "demo", "name": "Demo", "version": "0.1", "description": "A demo.", "category": "test",
        "parameters": [ { "name": "steps", "type": "int", "default": 5, "min": 1, "max": 10 } ],
        "demonstrates": { "mitigationTypes": ["1.1.1"], "riskCategories": ["Value Misalignment > Toxicity"], "papers": ["10.1000/xyz"] }
    })")
        .object();
}

} // namespace

class PluginRegistryTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void builtInFolderIsBesideTheBuildsBin();
    void discoveryListsGoodAndBadPlugins();
    void badMetadataGivesEveryReason();
    void wrongInterfaceVersion();
    void probeFindsAMissingSymbol();
    void brokenForeignAndDuplicateFiles();
    void onlyAbsoluteExistingFolders();
    void metadataRules_data();
    void metadataRules();
    void parameterValues_data();
    void parameterValues();
    void defaultsFilledIn();
    void assignments();

private:
    Atlas::PluginRegistry testRegistry() const;
    Atlas::PluginInfo m_count;
};

Atlas::PluginRegistry PluginRegistryTest::testRegistry() const
{
    Atlas::PluginRegistry registry;
    registry.setUseBuiltInFolder(false);
    registry.setExtraFolders({pluginDir});
    registry.discover();
    return registry;
}

void PluginRegistryTest::initTestCase()
{
    QVERIFY2(QFileInfo::exists(pluginFile(u"count"_s)), "the test plugins are not built");
    m_count = Atlas::PluginRegistry::readFile(pluginFile(u"count"_s));
    QVERIFY2(m_count.isReady(), qPrintable(m_count.reason()));
}

void PluginRegistryTest::builtInFolderIsBesideTheBuildsBin()
{
    // This test runs from build/bin, so the registry looks in build/plugins (never in the current directory).
    QCOMPARE(Atlas::PluginRegistry::builtInFolder(), QDir::cleanPath(QStringLiteral(ATLAS_BIN_DIR "/../plugins")));
}

void PluginRegistryTest::discoveryListsGoodAndBadPlugins()
{
    const Atlas::PluginRegistry registry = testRegistry();
    QVERIFY(registry.folderProblems().isEmpty());
    QCOMPARE(registry.plugins().size(), 8); // every library file of the folder, none dropped
    for (const char *ready : {"count", "crash", "hang", "flood", "nosymbol", "escape"}) {
        const Atlas::PluginInfo *plugin = registry.find(QLatin1String(ready));
        QVERIFY2(plugin, ready);
        QVERIFY(plugin->reason().isEmpty());
        QVERIFY(!plugin->probed);
    }
    QVERIFY(!registry.find(u"wrongiid"_s));
    QCOMPARE(registry.readyPlugins().size(), 6);

    const Atlas::PluginInfo *count = registry.find(u"count"_s);
    QCOMPARE(count->name, u"Count"_s);
    QCOMPARE(count->version, u"1.2.0"_s);
    QCOMPARE(count->category, u"test"_s);
    QCOMPARE(count->parameters.size(), 8);
    QCOMPARE(count->parameter(u"n"_s)->defaultValue, QVariant(qint64(10)));
    QCOMPARE(count->parameter(u"n"_s)->minimum, std::optional<double>(1));
    QCOMPARE(count->parameter(u"mode"_s)->choices, (QVariantList {u"sum"_s, u"xor"_s}));
    QCOMPARE(count->parameter(u"scale"_s)->defaultValue, QVariant(1.0));
    QCOMPARE(count->parameter(u"write_file"_s)->defaultValue, QVariant(false));
    QCOMPARE(count->parameter(u"n"_s)->help, u"How far to count."_s);
    QCOMPARE(count->mitigationTypes.size(), 2);
    QCOMPARE(count->mitigationTypes.at(0).code, u"2.4.1"_s);
    QVERIFY(count->mitigationTypes.at(0).within.isEmpty());
    QCOMPARE(count->mitigationTypes.at(1).code, u"1.1.2"_s);
    QCOMPARE(count->mitigationTypes.at(1).within, u"Value Misalignment > Toxicity"_s);
    QCOMPARE(count->riskCategories, QStringList {u"Robustness to Attack > Jailbreaking"_s});
    QCOMPARE(count->papers, QStringList {u"arXiv:2201.02177"_s});
}

void PluginRegistryTest::badMetadataGivesEveryReason()
{
    const Atlas::PluginRegistry registry = testRegistry();
    const Atlas::PluginInfo *bad = byFile(registry, u"libtestplugin_badmeta.so"_s);
    QVERIFY(bad);
    QCOMPARE(bad->state, Atlas::PluginInfo::State::Invalid);
    QCOMPARE(Atlas::pluginStateKey(bad->state), u"invalid"_s);
    const QString reason = bad->reason();
    for (const QString &expected :
        {u"\"id\" must be lower-case"_s, u"missing \"name\""_s, u"missing \"category\""_s, u"parameter \"steps\": \"type\" must be one of"_s,
            u"parameter \"rate\": default: 5 is above the maximum 1"_s, u"parameter \"mode\": default: \"c\" is not one of \"a\", \"b\""_s,
            u"\"1..2\" is not a mitigation-type code"_s, u"\"Value Misalignment >\" is not a risk path"_s}) {
        QVERIFY2(reason.contains(expected), qPrintable(expected + u" not in: "_s + reason));
    }
    QCOMPARE(bad->displayId(), u"libtestplugin_badmeta.so"_s); // no usable id: named by its file
}

void PluginRegistryTest::wrongInterfaceVersion()
{
    const Atlas::PluginRegistry registry = testRegistry();
    const Atlas::PluginInfo *wrong = byFile(registry, u"libtestplugin_wrongiid.so"_s);
    QVERIFY(wrong);
    QCOMPARE(wrong->state, Atlas::PluginInfo::State::Invalid);
    QCOMPARE(wrong->iid, u"org.mitigationatlas.MitigationPlugin/2"_s);
    QCOMPARE(wrong->id, u"wrongiid"_s); // named, but not usable
    QCOMPARE(wrong->displayId(), u"wrongiid"_s);
    QVERIFY2(wrong->reason().contains(u"interface version 2; this build supports version 1"_s), qPrintable(wrong->reason()));
}

void PluginRegistryTest::probeFindsAMissingSymbol()
{
    Atlas::PluginRegistry registry = testRegistry();
    registry.probe(runnerPath);
    const Atlas::PluginInfo *missing = byFile(registry, u"libtestplugin_nosymbol.so"_s);
    QVERIFY(missing);
    QCOMPARE(missing->state, Atlas::PluginInfo::State::Unloadable);
    QVERIFY2(missing->reason().contains(u"atlas_test_symbol_defined_nowhere"_s), qPrintable(missing->reason()));
    QVERIFY(!registry.find(u"nosymbol"_s));
    for (const char *id : {"count", "crash", "hang", "flood"}) {
        const Atlas::PluginInfo *plugin = registry.find(QLatin1String(id));
        QVERIFY2(plugin, id); // loading them runs no plugin code but their constructors
        QVERIFY(plugin->probed);
    }
}

void PluginRegistryTest::brokenForeignAndDuplicateFiles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QFile::copy(pluginFile(u"count"_s), dir.filePath(u"libaaa_count.so"_s)));
    QVERIFY(QFile::copy(pluginFile(u"count"_s), dir.filePath(u"libbbb_count_again.so"_s)));
    // Not a library at all, but named like one.
    QFile junk(dir.filePath(u"libjunk.so"_s));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("this is not a shared library\n");
    junk.close();
    // A plugin whose metadata was damaged after the build.
    QFile source(pluginFile(u"count"_s));
    QVERIFY(source.open(QIODevice::ReadOnly));
    QByteArray bytes = source.readAll();
    // The metadata is CBOR in an ELF note; a "break" byte where a map key should start makes
    // it unreadable.
    const qsizetype key = bytes.indexOf("demonstrates");
    QVERIFY(key > 0);
    for (qsizetype i = key - 1; i < key + 12; ++i)
        bytes[i] = char(0xff);
    QFile broken(dir.filePath(u"libbroken.so"_s));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write(bytes);
    broken.close();
    // Files that are no libraries are not plugin candidates.
    QFile readme(dir.filePath(u"README.txt"_s));
    QVERIFY(readme.open(QIODevice::WriteOnly));
    readme.close();

    Atlas::PluginRegistry registry;
    registry.setUseBuiltInFolder(false);
    registry.setExtraFolders({dir.path()});
    registry.discover();
    QCOMPARE(registry.plugins().size(), 4);
    QVERIFY(byFile(registry, u"libaaa_count.so"_s)->isReady());
    const Atlas::PluginInfo *again = byFile(registry, u"libbbb_count_again.so"_s);
    QCOMPARE(again->state, Atlas::PluginInfo::State::Duplicate);
    QVERIFY2(again->reason().contains(u"libaaa_count.so"_s), qPrintable(again->reason()));
    for (const QString &name : {u"libjunk.so"_s, u"libbroken.so"_s}) {
        const Atlas::PluginInfo *plugin = byFile(registry, name);
        QVERIFY2(plugin, qPrintable(name));
        QCOMPARE(plugin->state, Atlas::PluginInfo::State::Invalid);
        QVERIFY2(plugin->reason().startsWith(u"no readable plugin metadata"_s), qPrintable(plugin->reason()));
    }
    QCOMPARE(registry.find(u"count"_s)->filePath, dir.filePath(u"libaaa_count.so"_s));
}

void PluginRegistryTest::onlyAbsoluteExistingFolders()
{
    // Even with the test plugins in the current directory, a relative folder is not searched.
    const QString before = QDir::currentPath();
    QVERIFY(QDir::setCurrent(pluginDir));
    Atlas::PluginRegistry registry;
    registry.setUseBuiltInFolder(false);
    registry.setExtraFolders({u"."_s, QString(), u"/nonexistent/plugins"_s});
    registry.discover();
    QDir::setCurrent(before);
    QVERIFY(registry.plugins().isEmpty());
    QCOMPARE(registry.folderProblems().size(), 3);
    QVERIFY(registry.folderProblems().at(0).contains(u"absolute"_s));
    QVERIFY(registry.folderProblems().at(2).contains(u"no such folder"_s));

    // The same folder given twice is read once.
    registry.setExtraFolders({pluginDir, pluginDir + u"/"_s});
    registry.discover();
    QCOMPARE(registry.plugins().size(), 8);
}

void PluginRegistryTest::metadataRules_data()
{
    QTest::addColumn<QJsonObject>("metaData");
    QTest::addColumn<QString>("problem"); // empty: valid

    const auto without = [](const QString &key) {
        QJsonObject meta = goodMeta();
        meta.remove(key);
        return qtMetaData(meta);
    };
    const auto with = [](const QString &key, const QJsonValue &value) {
        QJsonObject meta = goodMeta();
        meta.insert(key, value);
        return qtMetaData(meta);
    };
    const auto parameter = [&](const char *json) {
        return with(u"parameters"_s, QJsonDocument::fromJson(QByteArray("[") + json + "]").array());
    };
    const auto demonstrates = [&](const char *json) {
        return with(u"demonstrates"_s, QJsonDocument::fromJson(json).object());
    };

    QTest::newRow("good") << qtMetaData(goodMeta()) << QString();
    QTest::newRow("another application's plugin") << qtMetaData(goodMeta(), u"org.kde.KTextEditor.Plugin"_s) << u"not a Mitigation Atlas plugin"_s;
    QTest::newRow("older interface") << qtMetaData(goodMeta(), u"org.mitigationatlas.MitigationPlugin/0"_s) << u"interface version 0"_s;
    QTest::newRow("no version") << qtMetaData(goodMeta(), u"org.mitigationatlas.MitigationPlugin/"_s) << u"interface version ; this build"_s;
    QTest::newRow("no metadata") << qtMetaData(QJsonObject()) << u"carries no metadata"_s;
    for (const char *key : {"id", "name", "version", "description", "category", "parameters", "demonstrates"})
        QTest::newRow(qPrintable(u"missing "_s + QLatin1String(key))) << without(QLatin1String(key)) << u"missing \""_s + QLatin1String(key) + u"\""_s;
    QTest::newRow("empty name") << with(u"name"_s, u"  "_s) << u"\"name\" must be non-empty text"_s;
    QTest::newRow("id with a slash") << with(u"id"_s, u"a/b"_s) << u"\"id\" must be"_s;
    QTest::newRow("parameters not a list") << with(u"parameters"_s, u"x"_s) << u"\"parameters\" must be a list"_s;
    QTest::newRow("parameter not an object") << parameter("3") << u"parameter 1: must be an object"_s;
    QTest::newRow("parameter name") << parameter(R"({"name": "1x", "type": "int", "default": 1})") << u"must be an identifier"_s;
    QTest::newRow("parameter twice") << parameter(R"({"name": "a", "type": "int", "default": 1}, {"name": "a", "type": "int", "default": 1})")
                                     << u"parameter \"a\": declared twice"_s;
    QTest::newRow("unknown type") << parameter(R"({"name": "a", "type": "float", "default": 1})") << u"\"type\" must be one of"_s;
    QTest::newRow("no default") << parameter(R"({"name": "a", "type": "int"})") << u"missing \"default\""_s;
    QTest::newRow("default of another type") << parameter(R"({"name": "a", "type": "int", "default": "x"})") << u"expected a whole number"_s;
    QTest::newRow("fractional int") << parameter(R"({"name": "a", "type": "int", "default": 1.5})") << u"expected a whole number, not 1.5"_s;
    QTest::newRow("default below min") << parameter(R"({"name": "a", "type": "double", "default": -1, "min": 0})") << u"below the minimum 0"_s;
    QTest::newRow("min above max") << parameter(R"({"name": "a", "type": "int", "default": 1, "min": 5, "max": 2})") << u"\"min\" is above \"max\""_s;
    QTest::newRow("range on text") << parameter(R"({"name": "a", "type": "string", "default": "x", "max": 2})") << u"applies to int and double only"_s;
    QTest::newRow("choices on bool") << parameter(R"({"name": "a", "type": "bool", "default": true, "choices": [true]})") << u"\"choices\" must be"_s;
    QTest::newRow("empty choices") << parameter(R"({"name": "a", "type": "string", "default": "x", "choices": []})") << u"\"choices\" must be"_s;
    QTest::newRow("choice of another type") << parameter(R"({"name": "a", "type": "int", "default": 1, "choices": [1, "two"]})")
                                            << u"choice: expected a whole number"_s;
    QTest::newRow("bool default as text") << parameter(R"({"name": "a", "type": "bool", "default": 1})") << u"expected true or false"_s;
    QTest::newRow("all types") << parameter(R"({"name": "i", "type": "int", "default": 2, "choices": [1, 2]}, {"name": "d", "type": "double", "default": 0.5},
        {"name": "b", "type": "bool", "default": false}, {"name": "s", "type": "string", "default": ""}, {"name": "p", "type": "path", "default": "", "help": "h"})")
                               << QString();
    QTest::newRow("demonstrates not an object") << with(u"demonstrates"_s, QJsonArray()) << u"\"demonstrates\" must be an object"_s;
    QTest::newRow("demonstrates nothing") << demonstrates("{}") << QString();
    QTest::newRow("codes not a list") << demonstrates(R"({"mitigationTypes": "1.1"})") << u"\"mitigationTypes\" must be a list"_s;
    QTest::newRow("bad code") << demonstrates(R"({"mitigationTypes": ["1.1 Model"]})") << u"is not a mitigation-type code"_s;
    QTest::newRow("code of another scheme") << demonstrates(R"({"mitigationTypes": ["mit-mitigation-v1:1.2"]})") << QString();
    QTest::newRow("narrowed code") << demonstrates(R"({"mitigationTypes": [{"code": "1.1.2", "within": "Value Misalignment > Toxicity"}]})") << QString();
    QTest::newRow("narrowed by nothing") << demonstrates(R"({"mitigationTypes": [{"code": "1.1.2", "within": ""}]})") << u"\"within\" must be a risk path"_s;
    QTest::newRow("code as a number") << demonstrates(R"({"mitigationTypes": [1]})") << u"holds codes"_s;
    QTest::newRow("empty risk path part") << demonstrates(R"({"riskCategories": ["A >> B"]})") << u"is not a risk path"_s;
    QTest::newRow("papers not text") << demonstrates(R"({"papers": [1]})") << u"\"papers\" must hold non-empty text"_s;
}

void PluginRegistryTest::metadataRules()
{
    QFETCH(QJsonObject, metaData);
    QFETCH(QString, problem);
    const Atlas::PluginInfo info = Atlas::PluginRegistry::fromMetaData(metaData, u"/plugins/libdemo.so"_s);
    if (problem.isEmpty()) {
        QVERIFY2(info.isReady(), qPrintable(info.reason()));
        return;
    }
    QCOMPARE(info.state, Atlas::PluginInfo::State::Invalid);
    QVERIFY2(info.reason().contains(problem), qPrintable(info.reason()));
}

void PluginRegistryTest::parameterValues_data()
{
    QTest::addColumn<QVariantMap>("values");
    QTest::addColumn<QVariantMap>("expected"); // the values that differ from the defaults
    QTest::addColumn<QString>("problem");

    QTest::newRow("none") << QVariantMap() << QVariantMap() << QString();
    QTest::newRow("int") << QVariantMap {{u"n"_s, 25}} << QVariantMap {{u"n"_s, qint64(25)}} << QString();
    QTest::newRow("int from JSON") << QVariantMap {{u"n"_s, 25.0}} << QVariantMap {{u"n"_s, qint64(25)}} << QString();
    QTest::newRow("int from text") << QVariantMap {{u"n"_s, u" 25 "_s}} << QVariantMap {{u"n"_s, qint64(25)}} << QString();
    QTest::newRow("int at max") << QVariantMap {{u"n"_s, 1000000}} << QVariantMap {{u"n"_s, qint64(1000000)}} << QString();
    QTest::newRow("int below min") << QVariantMap {{u"n"_s, 0}} << QVariantMap() << u"n: 0 is below the minimum 1"_s;
    QTest::newRow("int above max") << QVariantMap {{u"n"_s, u"1000001"_s}} << QVariantMap() << u"n: 1000001 is above the maximum 1000000"_s;
    QTest::newRow("fraction for int") << QVariantMap {{u"n"_s, 2.5}} << QVariantMap() << u"n: expected a whole number, not 2.5"_s;
    QTest::newRow("word for int") << QVariantMap {{u"n"_s, u"ten"_s}} << QVariantMap() << u"n: expected a whole number, not \"ten\""_s;
    QTest::newRow("bool for int") << QVariantMap {{u"n"_s, true}} << QVariantMap() << u"n: expected a whole number"_s;
    QTest::newRow("double") << QVariantMap {{u"scale"_s, u"0.25"_s}} << QVariantMap {{u"scale"_s, 0.25}} << QString();
    QTest::newRow("double from int") << QVariantMap {{u"scale"_s, 3}} << QVariantMap {{u"scale"_s, 3.0}} << QString();
    QTest::newRow("double not finite") << QVariantMap {{u"scale"_s, u"inf"_s}} << QVariantMap() << u"scale: expected a number"_s;
    QTest::newRow("double above max") << QVariantMap {{u"scale"_s, 100.5}} << QVariantMap() << u"scale: 100.5 is above the maximum 100"_s;
    QTest::newRow("choice") << QVariantMap {{u"mode"_s, u"xor"_s}} << QVariantMap {{u"mode"_s, u"xor"_s}} << QString();
    QTest::newRow("not a choice") << QVariantMap {{u"mode"_s, u"max"_s}} << QVariantMap() << u"mode: \"max\" is not one of \"sum\", \"xor\""_s;
    QTest::newRow("choice case matters") << QVariantMap {{u"mode"_s, u"SUM"_s}} << QVariantMap() << u"is not one of"_s;
    QTest::newRow("bool") << QVariantMap {{u"write_file"_s, true}} << QVariantMap {{u"write_file"_s, true}} << QString();
    QTest::newRow("bool from text") << QVariantMap {{u"write_file"_s, u"Yes"_s}} << QVariantMap {{u"write_file"_s, true}} << QString();
    QTest::newRow("bool from 0") << QVariantMap {{u"write_file"_s, u"0"_s}} << QVariantMap {{u"write_file"_s, false}} << QString();
    QTest::newRow("bool from a word") << QVariantMap {{u"write_file"_s, u"maybe"_s}} << QVariantMap() << u"write_file: expected true or false"_s;
    QTest::newRow("string") << QVariantMap {{u"label"_s, u"a=b"_s}} << QVariantMap {{u"label"_s, u"a=b"_s}} << QString();
    QTest::newRow("number for string") << QVariantMap {{u"label"_s, 3}} << QVariantMap() << u"label: expected text"_s;
    QTest::newRow("path") << QVariantMap {{u"input"_s, u"/tmp/x.txt"_s}} << QVariantMap {{u"input"_s, u"/tmp/x.txt"_s}} << QString();
    QTest::newRow("unknown") << QVariantMap {{u"steps"_s, 3}} << QVariantMap() << u"steps: no such parameter"_s;
    QTest::newRow("every problem at once") << QVariantMap {{u"n"_s, 0}, {u"mode"_s, u"max"_s}, {u"zzz"_s, 1}} << QVariantMap()
                                           << u"zzz: no such parameter; n: 0 is below the minimum 1; mode: \"max\" is not one of \"sum\", \"xor\""_s;
}

void PluginRegistryTest::parameterValues()
{
    QFETCH(QVariantMap, values);
    QFETCH(QVariantMap, expected);
    QFETCH(QString, problem);
    auto checked = Atlas::PluginRegistry::validateParameters(m_count, values);
    if (!problem.isEmpty()) {
        QVERIFY(!checked);
        QVERIFY2(checked.error().contains(problem), qPrintable(checked.error()));
        return;
    }
    QVERIFY2(checked, qPrintable(checked.error()));
    QCOMPARE(checked->size(), m_count.parameters.size());
    for (const Atlas::PluginParameter &parameter : std::as_const(m_count.parameters)) {
        const QVariant want = expected.value(parameter.name, parameter.defaultValue);
        const QVariant got = checked->value(parameter.name);
        QCOMPARE(got.typeId(), want.typeId());
        QCOMPARE(got, want);
    }
}

void PluginRegistryTest::defaultsFilledIn()
{
    auto checked = Atlas::PluginRegistry::validateParameters(m_count, {});
    QVERIFY(checked);
    QCOMPARE(checked.value(),
        (QVariantMap {{u"n"_s, qint64(10)}, {u"delay_ms"_s, qint64(0)}, {u"mode"_s, u"sum"_s}, {u"scale"_s, 1.0}, {u"fail_at"_s, qint64(0)},
            {u"write_file"_s, false}, {u"label"_s, QString()}, {u"input"_s, QString()}}));
}

void PluginRegistryTest::assignments()
{
    auto parsed = Atlas::PluginRegistry::parseAssignments({u"n=5"_s, u"label=a=b"_s, u" mode =xor"_s, u"input="_s});
    QVERIFY2(parsed, qPrintable(parsed.error()));
    QCOMPARE(parsed.value(), (QVariantMap {{u"n"_s, u"5"_s}, {u"label"_s, u"a=b"_s}, {u"mode"_s, u"xor"_s}, {u"input"_s, QString()}}));
    QVERIFY(!Atlas::PluginRegistry::parseAssignments({u"n"_s}));
    QVERIFY(!Atlas::PluginRegistry::parseAssignments({u"=5"_s}));
    const auto twice = Atlas::PluginRegistry::parseAssignments({u"n=1"_s, u"n=2"_s});
    QVERIFY(!twice);
    QVERIFY(twice.error().contains(u"given twice"_s));
}

QTEST_GUILESS_MAIN(PluginRegistryTest)

#include "pluginregistry_test.moc"

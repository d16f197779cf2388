// PluginLinkerTest: entries link to plugins through the plugins' metadata: exact codes, codes
// narrowed by a risk path, entries at or under a risk path (ignoring case, skipping levels);
// curators' links and removals survive; links that no longer match go.
#include "pluginlinker.h"
#include "pluginregistry.h"
#include "testlibrary.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class PluginLinkerTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void resolvesRiskPaths_data();
    void resolvesRiskPaths();
    void linksByCodeAndRiskPath();
    void keepsCuratorDecisionsAndDropsStaleLinks();
    void reportsWhatMatchesNothing();

private:
    qint64 codeNode(const QString &scheme, const QString &code) const;
    qint64 pathNode(const QString &scheme, const QStringList &path) const;
    static Atlas::PluginInfo plugin(const QString &id, const char *demonstrates);

    QTemporaryDir m_dir;
    Atlas::Library m_library;
};

qint64 PluginLinkerTest::codeNode(const QString &scheme, const QString &code) const
{
    return AtlasTest::scalar(
        m_library, u"SELECT n.id FROM taxonomy_node n JOIN scheme s ON s.id = n.scheme_id WHERE s.key = ? AND n.code = ?"_s, {scheme, code})
        .toLongLong();
}

qint64 PluginLinkerTest::pathNode(const QString &scheme, const QStringList &path) const
{
    qint64 node = 0;
    for (const QString &name : path) {
        node = AtlasTest::scalar(m_library,
            u"SELECT n.id FROM taxonomy_node n JOIN scheme s ON s.id = n.scheme_id WHERE s.key = ? AND ifnull(n.parent_id, 0) = ? AND n.name = ?"_s,
            {scheme, node, name})
                   .toLongLong();
        if (node == 0)
            qWarning("no node %s in %s", qPrintable(name), qPrintable(scheme));
    }
    return node;
}

Atlas::PluginInfo PluginLinkerTest::plugin(const QString &id, const char *demonstrates)
{
    const QJsonObject meta {{u"id"_s, id}, {u"name"_s, id}, {u"version"_s, u"1"_s}, {u"description"_s, u"d"_s}, {u"category"_s, u"test"_s},
        {u"parameters"_s, QJsonArray()}, {u"demonstrates"_s, QJsonDocument::fromJson(demonstrates).object()}};
    Atlas::PluginInfo info = Atlas::PluginRegistry::fromMetaData(
        {{u"IID"_s, QStringLiteral("org.mitigationatlas.MitigationPlugin/1")}, {u"MetaData"_s, meta}}, u"/plugins/lib"_s + id + u".so"_s);
    if (!info.isReady())
        qWarning("%s", qPrintable(info.reason()));
    return info;
}

void PluginLinkerTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(m_library.open(m_dir.filePath(u"links.sqlite"_s)));
}

void PluginLinkerTest::resolvesRiskPaths_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QStringList>("expected"); // in the survey's scheme; empty: resolves nowhere

    const QStringList toxicity {u"Value Misalignment"_s, u"Toxicity"_s, u"Methods for Mitigating Toxicity"_s};
    QTest::newRow("full path") << u"Value Misalignment > Toxicity > Methods for Mitigating Toxicity"_s << toxicity;
    QTest::newRow("other case, other spaces") << u"value misalignment>toxicity >  methods for mitigating toxicity"_s << toxicity;
    QTest::newRow("a level skipped") << u"Value Misalignment > Methods for mitigating toxicity"_s << toxicity;
    QTest::newRow("a root") << u"Robustness to Attack"_s << QStringList {u"Robustness to Attack"_s};
    QTest::newRow("unknown") << u"Value Misalignment > Nothing like this"_s << QStringList();
}

void PluginLinkerTest::resolvesRiskPaths()
{
    QFETCH(QString, path);
    QFETCH(QStringList, expected);
    Atlas::PluginLinker linker(m_library.database());
    auto nodes = linker.resolveRiskPath(path);
    QVERIFY2(nodes, qPrintable(nodes.error()));
    if (expected.isEmpty()) {
        QVERIFY(nodes->isEmpty());
        return;
    }
    QVERIFY(nodes->contains(pathNode(u"llm-safety-survey"_s, expected)));
}

void PluginLinkerTest::linksByCodeAndRiskPath()
{
    const qint64 exact = AtlasTest::addEntry(m_library, u"coded 2.4.1"_s);
    AtlasTest::classify(m_library, exact, codeNode(u"mit-mitigation-v2"_s, u"2.4.1"_s));
    const qint64 parentCode = AtlasTest::addEntry(m_library, u"coded 2.4"_s);
    AtlasTest::classify(m_library, parentCode, codeNode(u"mit-mitigation-v2"_s, u"2.4"_s));
    const qint64 otherScheme = AtlasTest::addEntry(m_library, u"coded 2 in v1"_s);
    AtlasTest::classify(m_library, otherScheme, codeNode(u"mit-mitigation-v1"_s, u"2"_s));
    const qint64 narrowed = AtlasTest::addEntry(m_library, u"1.1.2 about toxicity"_s);
    AtlasTest::classify(m_library, narrowed, codeNode(u"mit-mitigation-v2"_s, u"1.1.2"_s));
    AtlasTest::classify(m_library, narrowed, pathNode(u"llm-safety-survey"_s, {u"Value Misalignment"_s, u"Toxicity"_s, u"Methods for Mitigating Toxicity"_s}));
    const qint64 broad = AtlasTest::addEntry(m_library, u"1.1.2 about something else"_s);
    AtlasTest::classify(m_library, broad, codeNode(u"mit-mitigation-v2"_s, u"1.1.2"_s));
    AtlasTest::classify(m_library, broad, pathNode(u"llm-safety-survey"_s, {u"Value Misalignment"_s, u"Privacy"_s}));
    const qint64 underPath = AtlasTest::addEntry(m_library, u"a jailbreak attack"_s);
    AtlasTest::classify(m_library, underPath, pathNode(u"llm-safety-survey"_s, {u"Robustness to Attack"_s, u"Jailbreaking"_s, u"Black-box Attacks"_s}));
    const qint64 atPath = AtlasTest::addEntry(m_library, u"jailbreaking"_s);
    AtlasTest::classify(m_library, atPath, pathNode(u"llm-safety-survey"_s, {u"Robustness to Attack"_s, u"Jailbreaking"_s}));
    const qint64 abovePath = AtlasTest::addEntry(m_library, u"robustness in general"_s);
    AtlasTest::classify(m_library, abovePath, pathNode(u"llm-safety-survey"_s, {u"Robustness to Attack"_s}));

    const Atlas::PluginInfo demo = plugin(u"demo"_s, R"({"mitigationTypes": ["2.4.1", {"code": "1.1.2", "within": "value misalignment > toxicity"}],
        "riskCategories": ["robustness to attack > JAILBREAKING"]})");
    Atlas::PluginLinker linker(m_library.database());
    auto matches = linker.matchingEntries(demo);
    QVERIFY2(matches, qPrintable(matches.error()));
    QCOMPARE(matches.value(), (QSet<qint64> {exact, narrowed, underPath, atPath}));

    auto report = linker.linkAutomatically({demo});
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(report->added, 4);
    QCOMPARE(report->removed, 0);
    QVERIFY(report->unresolved.isEmpty());
    QCOMPARE(linker.linkedEntries(u"demo"_s).value(), (QList<qint64> {exact, narrowed, underPath, atPath}));
    QCOMPARE(linker.linkedPlugins(exact).value(), QStringList {u"demo"_s});
    QVERIFY(linker.linkedPlugins(broad).value().isEmpty());
    QCOMPARE(AtlasTest::scalar(m_library, u"SELECT count(*) FROM plugin_link WHERE origin = 'auto' AND state = 'linked'"_s).toInt(), 4);

    // A code means the MIT v2 code unless the plugin names another scheme.
    QVERIFY(linker.matchingEntries(plugin(u"v2"_s, R"({"mitigationTypes": ["2"]})")).value().isEmpty());
    QCOMPARE(linker.matchingEntries(plugin(u"v1"_s, R"({"mitigationTypes": ["mit-mitigation-v1:2"]})")).value(), QSet<qint64> {otherScheme});

    // Again: nothing changes.
    report = linker.linkAutomatically({demo});
    QCOMPARE(report->added, 0);
    QCOMPARE(report->removed, 0);

    // A plugin that cannot be used links nothing.
    Atlas::PluginInfo broken = plugin(u"broken"_s, R"({"mitigationTypes": ["2.4.1"]})");
    broken.state = Atlas::PluginInfo::State::Invalid;
    QCOMPARE(linker.linkAutomatically({broken})->added, 0);
    QVERIFY(linker.linkedEntries(u"broken"_s).value().isEmpty());
}

void PluginLinkerTest::keepsCuratorDecisionsAndDropsStaleLinks()
{
    const qint64 a = AtlasTest::addEntry(m_library, u"a"_s);
    const qint64 b = AtlasTest::addEntry(m_library, u"b"_s);
    const qint64 c = AtlasTest::addEntry(m_library, u"c"_s);
    const qint64 code = codeNode(u"mit-mitigation-v2"_s, u"1.1.1"_s);
    for (qint64 entry : {a, b, c})
        AtlasTest::classify(m_library, entry, code);
    const Atlas::PluginInfo filter = plugin(u"filter"_s, R"({"mitigationTypes": ["1.1.1"]})");
    Atlas::PluginLinker linker(m_library.database());
    QCOMPARE(linker.linkAutomatically({filter})->added, 3);

    // A curator removes one automatic link and adds one by hand.
    AtlasTest::exec(m_library, u"UPDATE plugin_link SET state = 'removed' WHERE entry_id = ? AND plugin_id = 'filter'"_s, {a});
    const qint64 byHand = AtlasTest::addEntry(m_library, u"by hand"_s);
    AtlasTest::exec(m_library, u"INSERT INTO plugin_link(entry_id, plugin_id, origin) VALUES (?, 'filter', 'curator')"_s, {byHand});
    // And b is classified elsewhere now.
    AtlasTest::exec(m_library, u"DELETE FROM classification WHERE entry_id = ?"_s, {b});

    auto report = linker.linkAutomatically({filter});
    QVERIFY(report);
    QCOMPARE(report->added, 0);
    QCOMPARE(report->removed, 1); // b's
    QCOMPARE(linker.linkedEntries(u"filter"_s).value(), (QList<qint64> {c, byHand}));
    QCOMPARE(AtlasTest::scalar(m_library, u"SELECT state FROM plugin_link WHERE entry_id = ? AND plugin_id = 'filter'"_s, {a}).toString(), u"removed"_s);
}

void PluginLinkerTest::reportsWhatMatchesNothing()
{
    const Atlas::PluginInfo lost = plugin(
        u"lost"_s, R"({"mitigationTypes": ["9.9.9", "no-such-scheme:1", {"code": "1.1.2", "within": "Nowhere > At all"}], "riskCategories": ["Nowhere"]})");
    Atlas::PluginLinker linker(m_library.database());
    auto report = linker.linkAutomatically({lost});
    QVERIFY(report);
    QCOMPARE(report->added, 0);
    QCOMPARE(report->unresolved.value(u"lost"_s),
        (QStringList {u"code 9.9.9"_s, u"code no-such-scheme:1"_s, u"risk path \"Nowhere > At all\""_s, u"risk path \"Nowhere\""_s}));
}

QTEST_GUILESS_MAIN(PluginLinkerTest)

#include "pluginlinker_test.moc"

// Tests the bundled taxonomies (counts of every scheme), name matching, the closure table and counts.
#include "bundledtaxonomies.h"
#include "taxonomystore.h"
#include "testlibrary.h"

#include <QTest>

using namespace Atlas;
using namespace AtlasTest;
using namespace Qt::StringLiterals;

class TaxonomyStoreTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void bundledSchemes_data();
    void bundledSchemes();
    void bundledContent();
    void installIsIdempotent();
    void namesMatchIgnoringCase();
    void ensurePathCreatesProvisionalNodes();
    void closureFollowsMoves();
    void refusesCyclesAndCrossSchemeParents();
    void countsDistinctEntriesAtOrBelow();
    void keptCountsFollowEveryChange();

private:
    QTemporaryDir *m_dir = nullptr;
    Library *m_library = nullptr;
    qint64 nodeByName(const QString &schemeKey, const QString &name);
};

void TaxonomyStoreTest::init()
{
    m_dir = new QTemporaryDir;
    m_library = new Library;
    auto status = m_library->open(m_dir->filePath(u"lib.sqlite"_s));
    QVERIFY2(status.ok(), qPrintable(status.error()));
}

void TaxonomyStoreTest::cleanup()
{
    delete m_library;
    delete m_dir;
}

qint64 TaxonomyStoreTest::nodeByName(const QString &schemeKey, const QString &name)
{
    return scalar(*m_library, u"SELECT n.id FROM taxonomy_node n JOIN scheme s ON s.id = n.scheme_id WHERE s.key = ? AND n.name = ?"_s, {schemeKey, name})
        .toLongLong();
}

void TaxonomyStoreTest::bundledSchemes_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("dimension");
    QTest::addColumn<int>("nodes");
    QTest::addColumn<int>("roots");
    QTest::addColumn<int>("coded");
    QTest::addColumn<int>("provisional");
    QTest::addColumn<int>("depth"); // deepest level, roots at 1

    QTest::newRow("mit-mitigation-v2") << u"mit-mitigation-v2"_s << u"mitigation_type"_s << 48 << 4 << 42 << 6 << 3;
    QTest::newRow("mit-mitigation-v1") << u"mit-mitigation-v1"_s << u"mitigation_type"_s << 27 << 4 << 27 << 0 << 2;
    QTest::newRow("lifecycle") << u"lifecycle"_s << u"lifecycle"_s << 6 << 6 << 0 << 0 << 1;
    QTest::newRow("actor") << u"actor"_s << u"actor"_s << 4 << 4 << 0 << 2 << 1;
    QTest::newRow("nist-ai-rmf") << u"nist-ai-rmf"_s << u"function"_s << 5 << 5 << 0 << 0 << 1;
    QTest::newRow("llm-safety-survey") << u"llm-safety-survey"_s << u"risk"_s << 94 << 8 << 0 << 0 << 4;
    QTest::newRow("mit-risk-domain-v3") << u"mit-risk-domain-v3"_s << u"risk"_s << 31 << 7 << 31 << 0 << 2;
    QTest::newRow("mit-risk-causal-v3") << u"mit-risk-causal-v3"_s << u"risk"_s << 12 << 3 << 0 << 0 << 2;
}

void TaxonomyStoreTest::bundledSchemes()
{
    QFETCH(QString, key);
    QFETCH(QString, dimension);
    QFETCH(int, nodes);
    QFETCH(int, roots);
    QFETCH(int, coded);
    QFETCH(int, provisional);
    QFETCH(int, depth);

    TaxonomyStore store(m_library->database());
    auto scheme = store.scheme(key);
    QVERIFY2(scheme.ok(), qPrintable(scheme.error()));
    QCOMPARE(dimensionKey(scheme->dimension), dimension);
    QVERIFY(scheme->bundled);
    auto all = store.nodes(scheme->id);
    QVERIFY(all.ok());
    QCOMPARE(all->size(), nodes);
    int rootCount = 0, codedCount = 0, provisionalCount = 0;
    for (const TaxonomyNode &n : all.value()) {
        rootCount += n.parentId ? 0 : 1;
        codedCount += n.code.isEmpty() ? 0 : 1;
        provisionalCount += n.provisional ? 1 : 0;
    }
    QCOMPARE(rootCount, roots);
    QCOMPARE(codedCount, coded);
    QCOMPARE(provisionalCount, provisional);
    QCOMPARE(scalar(*m_library, u"SELECT max(c.depth) + 1 FROM taxonomy_closure c JOIN taxonomy_node n ON n.id = c.descendant_id WHERE n.scheme_id = ?"_s,
                 {scheme->id})
                 .toInt(),
        depth);
}

void TaxonomyStoreTest::bundledContent()
{
    QCOMPARE(BundledTaxonomies::keys().size(), 8);
    // The 24 subdomains of the risk repository sit under its 7 domains.
    QCOMPARE(scalar(*m_library,
                 u"SELECT count(*) FROM taxonomy_node n JOIN scheme s ON s.id = n.scheme_id "
                 u"WHERE s.key = 'mit-risk-domain-v3' AND n.parent_id IN (SELECT id FROM taxonomy_node WHERE parent_id IS NULL)"_s)
                 .toInt(),
        24);
    // Codes of the v2 taxonomy hang under the right parents.
    QCOMPARE(scalar(*m_library,
                 u"SELECT p.code FROM taxonomy_node n JOIN taxonomy_node p ON p.id = n.parent_id JOIN scheme s ON s.id = n.scheme_id "
                 u"WHERE s.key = 'mit-mitigation-v2' AND n.code = '1.1.2'"_s)
                 .toString(),
        u"1.1"_s);
    QCOMPARE(nodeByName(u"mit-mitigation-v2"_s, u"Learning Objectives"_s) > 0, true);
    // Every NIST function, Map included.
    for (const QString &name : {u"Govern"_s, u"Map"_s, u"Measure"_s, u"Manage"_s})
        QVERIFY2(nodeByName(u"nist-ai-rmf"_s, name) > 0, qPrintable(name));
    // The survey's four categories are roots.
    for (const QString &name : {u"Value Misalignment"_s, u"Robustness to Attack"_s, u"Misuse"_s, u"Autonomous AI Risks"_s}) {
        const qint64 id = nodeByName(u"llm-safety-survey"_s, name);
        QVERIFY2(id > 0, qPrintable(name));
        QVERIFY(scalar(*m_library, u"SELECT parent_id FROM taxonomy_node WHERE id = ?"_s, {id}).isNull());
    }
    // Unverified v2 codes have no code but keep their description.
    QCOMPARE(scalar(*m_library,
                 u"SELECT count(*) FROM taxonomy_node WHERE provisional = 1 AND code IS NULL AND description IS NOT NULL "
                 u"AND scheme_id = (SELECT id FROM scheme WHERE key = 'mit-mitigation-v2')"_s)
                 .toInt(),
        6);
}

void TaxonomyStoreTest::installIsIdempotent()
{
    const qint64 before = scalar(*m_library, u"SELECT count(*) FROM taxonomy_node"_s).toLongLong();
    QVERIFY(BundledTaxonomies::install(m_library->database()).ok());
    QCOMPARE(scalar(*m_library, u"SELECT count(*) FROM taxonomy_node"_s).toLongLong(), before);
    // A scheme removed by hand comes back on the next install, the others untouched.
    exec(*m_library, u"DELETE FROM scheme WHERE key = 'actor'"_s);
    QVERIFY(BundledTaxonomies::install(m_library->database()).ok());
    QCOMPARE(scalar(*m_library, u"SELECT count(*) FROM taxonomy_node"_s).toLongLong(), before);
    QVERIFY(m_library->check()->isEmpty());
}

void TaxonomyStoreTest::namesMatchIgnoringCase()
{
    TaxonomyStore store(m_library->database());
    const qint64 scheme = store.scheme(u"llm-safety-survey"_s)->id;
    const qint64 robustness = nodeByName(u"llm-safety-survey"_s, u"Robustness to Attack"_s);
    QCOMPARE(store.findChild(scheme, std::nullopt, u"robustness to attack"_s).value(), robustness);
    QCOMPARE(store.findChild(scheme, std::nullopt, u"  ROBUSTNESS TO ATTACK "_s).value(), robustness);
    QCOMPARE(store.findChild(scheme, std::nullopt, u"Red Teaming"_s).value(), 0); // not a root

    const qint64 before = scalar(*m_library, u"SELECT count(*) FROM taxonomy_node"_s).toLongLong();
    auto redTeaming = store.ensurePath(scheme, {u"Robustness to attack"_s, u"Red teaming"_s}, u"import"_s);
    QVERIFY(redTeaming.ok());
    QCOMPARE(redTeaming.value(), nodeByName(u"llm-safety-survey"_s, u"Red Teaming"_s));
    QCOMPARE(scalar(*m_library, u"SELECT count(*) FROM taxonomy_node"_s).toLongLong(), before);

    // The misspelt heading of the paper list is an alias of the corrected node.
    const qint64 evaluation = nodeByName(u"llm-safety-survey"_s, u"Capability Evaluation"_s);
    QVERIFY(evaluation > 0);
    auto viaAlias = store.ensurePath(scheme, {u"Autonomous AI Risks"_s, u"Evaluation"_s, u"Capability Evluation"_s}, u"import"_s);
    QCOMPARE(viaAlias.value(), evaluation);

    // Siblings cannot differ only in case.
    TaxonomyNode duplicate;
    duplicate.schemeId = scheme;
    duplicate.name = u"MISUSE"_s;
    QVERIFY(!store.addNode(duplicate, u"curator"_s).ok());
}

void TaxonomyStoreTest::ensurePathCreatesProvisionalNodes()
{
    TaxonomyStore store(m_library->database());
    const qint64 scheme = store.scheme(u"llm-safety-survey"_s)->id;
    auto leaf = store.ensurePath(scheme, {u"Value Misalignment"_s, u"Toxicity"_s, u"Detoxifying decoders"_s, u"Token-level"_s}, u"import"_s);
    QVERIFY2(leaf.ok(), qPrintable(leaf.error()));
    QCOMPARE(scalar(*m_library, u"SELECT provisional || origin FROM taxonomy_node WHERE id = ?"_s, {leaf.value()}).toString(), u"1import"_s);
    QCOMPARE(scalar(*m_library, u"SELECT count(*) FROM taxonomy_closure WHERE descendant_id = ?"_s, {leaf.value()}).toInt(), 4);
    QVERIFY(!store.ensurePath(scheme, {u"Misuse"_s, u" "_s}, u"import"_s).ok());
    QVERIFY(!store.ensurePath(scheme, {}, u"import"_s).ok());
    QVERIFY(m_library->check()->isEmpty());
}

void TaxonomyStoreTest::closureFollowsMoves()
{
    const qint64 jailbreaking = nodeByName(u"llm-safety-survey"_s, u"Jailbreaking"_s);
    const qint64 misuse = nodeByName(u"llm-safety-survey"_s, u"Misuse"_s);
    const qint64 roleplay = nodeByName(u"llm-safety-survey"_s, u"Role Play"_s);
    // Move the Jailbreaking subtree under Misuse; its leaves follow.
    exec(*m_library, u"UPDATE taxonomy_node SET parent_id = ? WHERE id = ?"_s, {misuse, jailbreaking});
    QCOMPARE(scalar(*m_library, u"SELECT depth FROM taxonomy_closure WHERE ancestor_id = ? AND descendant_id = ?"_s, {misuse, roleplay}).toInt(), 3);
    QCOMPARE(scalar(*m_library, u"SELECT count(*) FROM taxonomy_closure WHERE ancestor_id = ? AND descendant_id = ?"_s,
                 {nodeByName(u"llm-safety-survey"_s, u"Robustness to Attack"_s), roleplay})
                 .toInt(),
        0);
    auto problems = m_library->check();
    QVERIFY(problems.ok());
    QVERIFY2(problems->isEmpty(), qPrintable(problems->join(u'\n')));
    // Deleting a node removes its subtree and their closure rows.
    exec(*m_library, u"DELETE FROM taxonomy_node WHERE id = ?"_s, {jailbreaking});
    QCOMPARE(scalar(*m_library, u"SELECT count(*) FROM taxonomy_node WHERE id = ?"_s, {roleplay}).toInt(), 0);
    QVERIFY(m_library->check()->isEmpty());
}

void TaxonomyStoreTest::refusesCyclesAndCrossSchemeParents()
{
    const qint64 jailbreaking = nodeByName(u"llm-safety-survey"_s, u"Jailbreaking"_s);
    const qint64 roleplay = nodeByName(u"llm-safety-survey"_s, u"Role Play"_s);
    auto cycle = Sql::exec(m_library->database(), u"UPDATE taxonomy_node SET parent_id = ? WHERE id = ?"_s, {roleplay, jailbreaking});
    QVERIFY(!cycle.ok());
    QVERIFY2(cycle.error().contains(u"under itself"_s), qPrintable(cycle.error()));

    TaxonomyStore store(m_library->database());
    TaxonomyNode stray;
    stray.schemeId = store.scheme(u"actor"_s)->id;
    stray.parentId = jailbreaking;
    stray.name = u"Stray"_s;
    auto added = store.addNode(stray, u"curator"_s);
    QVERIFY(!added.ok());
    QVERIFY2(added.error().contains(u"same scheme"_s), qPrintable(added.error()));
    QVERIFY(m_library->check()->isEmpty());
}

void TaxonomyStoreTest::countsDistinctEntriesAtOrBelow()
{
    TaxonomyStore store(m_library->database());
    const qint64 scheme = store.scheme(u"mit-mitigation-v2"_s)->id;
    const qint64 trainingData = nodeByName(u"mit-mitigation-v2"_s, u"Training Data"_s);
    const qint64 objectives = nodeByName(u"mit-mitigation-v2"_s, u"Learning Objectives"_s);
    const qint64 model = nodeByName(u"mit-mitigation-v2"_s, u"Model"_s);
    const qint64 aiSystem = nodeByName(u"mit-mitigation-v2"_s, u"AI System"_s);
    const qint64 testing = nodeByName(u"mit-mitigation-v2"_s, u"Testing & Evaluation"_s);

    const qint64 a = addEntry(*m_library, u"Data filtering"_s);
    const qint64 b = addEntry(*m_library, u"RLHF"_s);
    const qint64 c = addEntry(*m_library, u"Red teaming"_s);
    classify(*m_library, a, trainingData);
    classify(*m_library, b, objectives);
    classify(*m_library, b, trainingData); // two leaves under Model: counted once there
    classify(*m_library, c, testing);
    classify(*m_library, c, nodeByName(u"lifecycle"_s, u"Deploy"_s));

    auto counts = store.entryCounts(scheme);
    QVERIFY(counts.ok());
    QCOMPARE(counts->value(trainingData), 2);
    QCOMPARE(counts->value(objectives), 1);
    QCOMPARE(counts->value(model), 2);
    QCOMPARE(counts->value(aiSystem), 2);
    QCOMPARE(counts->value(testing), 1);
    QCOMPARE(counts->value(nodeByName(u"mit-mitigation-v2"_s, u"Organisation"_s)), 1);
    QVERIFY(!counts->contains(nodeByName(u"mit-mitigation-v2"_s, u"Ecosystem"_s)));
    QCOMPARE(store.schemeEntryCount(scheme).value(), 3);
    QCOMPARE(store.dimensionEntryCount(Dimension::MitigationType).value(), 3);
    QCOMPARE(store.dimensionEntryCount(Dimension::Lifecycle).value(), 1);
    QCOMPARE(store.dimensionEntryCount(Dimension::Actor).value(), 0);
}

// The counts kept by triggers agree with a recount after every kind of change: classifications
// added and removed at random (two under one ancestor, the same entry in two schemes), moved to
// another node or entry, entries deleted, a node moved and a node deleted.
void TaxonomyStoreTest::keptCountsFollowEveryChange()
{
    TaxonomyStore store(m_library->database());
    QList<qint64> nodes;
    QSqlQuery all = exec(*m_library, u"SELECT n.id FROM taxonomy_node n JOIN scheme s ON s.id = n.scheme_id "
                                     "WHERE s.key IN ('mit-mitigation-v2', 'llm-safety-survey', 'lifecycle') ORDER BY n.id"_s);
    while (all.next())
        nodes.append(all.value(0).toLongLong());
    QList<qint64> entries;
    for (int i = 0; i < 12; ++i)
        entries.append(addEntry(*m_library, u"Entry %1"_s.arg(i)));
    const auto agree = [&](const char *step) {
        auto problems = store.checkEntryCounts();
        QVERIFY2(problems.ok(), qPrintable(problems.error()));
        QVERIFY2(problems->isEmpty(), qPrintable(QString::fromLatin1(step) + u": "_s + problems->join(u"; "_s)));
    };
    quint64 state = 12345;
    const auto next = [&state](qsizetype bound) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return qsizetype((state >> 33) % quint64(bound));
    };
    for (int step = 0; step < 300; ++step) {
        const qint64 entry = entries.at(next(entries.size()));
        const qint64 node = nodes.at(next(nodes.size()));
        exec(*m_library, u"INSERT OR IGNORE INTO classification(entry_id, node_id, assigned_by_kind, assigned_by) VALUES (?, ?, 'curator', 'test')"_s,
            {entry, node});
        if (step % 3 == 0) {
            const qint64 victim = scalar(*m_library, u"SELECT id FROM classification ORDER BY id LIMIT 1 OFFSET ?"_s,
                {qint64(next(std::max(1, scalar(*m_library, u"SELECT count(*) FROM classification"_s).toInt())))})
                                      .toLongLong();
            exec(*m_library, u"DELETE FROM classification WHERE id = ?"_s, {victim});
        }
        if (step % 50 == 49)
            agree("random adds and removes");
    }
    agree("random adds and removes");
    // Moved to another node, then to another entry (as a merge does).
    const qint64 moved = scalar(*m_library, u"SELECT id FROM classification ORDER BY id LIMIT 1"_s).toLongLong();
    exec(*m_library, u"UPDATE OR IGNORE classification SET node_id = ? WHERE id = ?"_s, {nodes.constLast(), moved});
    agree("a classification moved to another node");
    exec(*m_library, u"UPDATE OR IGNORE classification SET entry_id = ? WHERE id = ?"_s, {entries.constFirst(), moved});
    agree("a classification moved to another entry");
    exec(*m_library, u"DELETE FROM entry WHERE id IN (?, ?)"_s, {entries.at(3), entries.at(4)});
    agree("entries deleted");
    const qint64 jailbreaking = nodeByName(u"llm-safety-survey"_s, u"Jailbreaking"_s);
    classify(*m_library, entries.at(5), nodeByName(u"llm-safety-survey"_s, u"Role Play"_s));
    exec(*m_library, u"UPDATE taxonomy_node SET parent_id = ? WHERE id = ?"_s, {nodeByName(u"llm-safety-survey"_s, u"Misuse"_s), jailbreaking});
    agree("a node moved");
    exec(*m_library, u"DELETE FROM taxonomy_node WHERE id = ?"_s, {jailbreaking});
    agree("a node deleted");
    // And the check can fail: a count changed behind the triggers' back is reported.
    exec(*m_library, u"UPDATE node_entry_count SET entries = entries + 1 WHERE node_id = (SELECT max(node_id) FROM node_entry_count)"_s);
    auto problems = store.checkEntryCounts();
    QVERIFY(problems.ok());
    QCOMPARE(problems->size(), 1);
}

QTEST_GUILESS_MAIN(TaxonomyStoreTest)
#include "taxonomystore_test.moc"

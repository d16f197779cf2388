// MitRiskTaxonomyImporter: the shared domain and causal taxonomy files give exactly the nodes the
// library bundles (no duplicates on import); malformed rows give diagnostics and never crash.
#include "importerregistry.h"
#include "library.h"
#include "mitrisktaxonomyimporter.h"
#include "taxonomystore.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Atlas;
using namespace Qt::StringLiterals;

namespace
{

const QString dataDir = QStringLiteral(ATLAS_SHARED_DIR "/data/mit-ai-risk-repository-v3/");

QString readText(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    auto text = ImporterRegistry::decode(file.readAll());
    return text ? text.value() : QString();
}

ParseResult parse(const QString &text)
{
    return MitRiskTaxonomyImporter().parse(text, u"test.csv"_s, ImportContext{});
}

int count(const ParseResult &result, ImportDiagnostic::Severity severity)
{
    return int(std::count_if(result.diagnostics.cbegin(), result.diagnostics.cend(), [severity](const ImportDiagnostic &d) {
        return d.severity == severity;
    }));
}

// "parent/name|code|description" for every node, the shape both sides can be compared in.
QStringList describe(const QList<TaxonomyNode> &nodes)
{
    QHash<qint64, QString> names;
    for (const TaxonomyNode &n : nodes)
        names.insert(n.id, n.name);
    QStringList out;
    for (const TaxonomyNode &n : nodes)
        out.append((n.parentId ? names.value(*n.parentId) : QString()) + u'/' + n.name + u'|' + n.code + u'|' + n.description);
    out.sort();
    return out;
}

QStringList describe(const QList<TaxonomyNodeRecord> &records)
{
    QHash<QString, QString> nameOfCode;
    for (const TaxonomyNodeRecord &r : records)
        nameOfCode.insert(r.code, r.name);
    QStringList out;
    for (const TaxonomyNodeRecord &r : records) {
        const QString parent = !r.parentCode.isEmpty() ? nameOfCode.value(r.parentCode) : r.parentPath.value(r.parentPath.size() - 1);
        out.append(parent + u'/' + r.name + u'|' + r.code + u'|' + r.description);
    }
    out.sort();
    return out;
}

} // namespace

class MitRiskTaxonomyImporterTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void matchesBundledNodes_data();
    void matchesBundledNodes();
    void domainShape();
    void causalShape();
    void rowErrors_data();
    void rowErrors();
    void sniff_data();
    void sniff();
    void hostileInput_data();
    void hostileInput();

private:
    QTemporaryDir m_dir;
    Library m_library;
};

void MitRiskTaxonomyImporterTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(m_library.open(m_dir.filePath(u"bundled.sqlite"_s)).ok());
}

void MitRiskTaxonomyImporterTest::matchesBundledNodes_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<int>("nodes");
    QTest::newRow("domains") << u"domain-taxonomy-v3.csv"_s << u"mit-risk-domain-v3"_s << 31;
    QTest::newRow("causal") << u"causal-taxonomy-v3.csv"_s << u"mit-risk-causal-v3"_s << 12;
}

void MitRiskTaxonomyImporterTest::matchesBundledNodes()
{
    QFETCH(QString, file);
    QFETCH(QString, scheme);
    const QString text = readText(dataDir + file);
    QVERIFY(!text.isEmpty());
    QElapsedTimer timer;
    timer.start();
    const ParseResult result = parse(text);
    qInfo("%s: %lld nodes in %lld ms", qPrintable(file), qlonglong(result.records.taxonomyNodes.size()), qlonglong(timer.elapsed()));
    QVERIFY(result.diagnostics.isEmpty());
    QTEST(int(result.records.taxonomyNodes.size()), "nodes");
    for (const TaxonomyNodeRecord &r : result.records.taxonomyNodes)
        QCOMPARE(r.schemeKey, scheme);

    TaxonomyStore store(m_library.database());
    auto s = store.scheme(scheme);
    QVERIFY2(s.ok(), qPrintable(s.error()));
    auto nodes = store.nodes(s->id);
    QVERIFY(nodes.ok());
    QCOMPARE(describe(result.records.taxonomyNodes), describe(nodes.value()));
}

void MitRiskTaxonomyImporterTest::domainShape()
{
    const ParseResult result = parse(readText(dataDir + u"domain-taxonomy-v3.csv"_s));
    QSet<QString> codes;
    int domains = 0;
    for (const TaxonomyNodeRecord &r : result.records.taxonomyNodes) {
        QVERIFY2(!codes.contains(r.code), qPrintable(r.code));
        codes.insert(r.code);
        QVERIFY(r.parentPath.isEmpty());
        if (r.parentCode.isEmpty()) {
            ++domains;
            QVERIFY(r.description.isEmpty());
        } else {
            QVERIFY(r.code.startsWith(r.parentCode + u'.'));
            QVERIFY(!r.description.isEmpty());
        }
    }
    QCOMPARE(domains, 7);
    const TaxonomyNodeRecord &seven = *std::find_if(result.records.taxonomyNodes.cbegin(), result.records.taxonomyNodes.cend(), [](const TaxonomyNodeRecord &r) {
        return r.code == u"7";
    });
    QCOMPARE(seven.name, u"AI system safety, failures, & limitations"_s);
}

void MitRiskTaxonomyImporterTest::causalShape()
{
    const ParseResult result = parse(readText(dataDir + u"causal-taxonomy-v3.csv"_s));
    QStringList categories;
    for (const TaxonomyNodeRecord &r : result.records.taxonomyNodes) {
        QVERIFY(r.code.isEmpty());
        QVERIFY(r.parentCode.isEmpty());
        if (r.parentPath.isEmpty())
            categories.append(r.name);
        else
            QVERIFY(categories.contains(r.parentPath.first()));
    }
    QCOMPARE(categories, (QStringList{u"Entity"_s, u"Intent"_s, u"Timing"_s}));
}

void MitRiskTaxonomyImporterTest::rowErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("nodes");
    QTest::addColumn<int>("skipped");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("message");
    const QString domain = u"domain_code,domain,subdomain_code,subdomain,description\n"_s;
    const QString causal = u"category,level,description\n"_s;
    QTest::newRow("wrong field count") << domain + u"1,D,1.1,S,desc\n1,D,1.2,S,too,many\n"_s << 2 << 1 << 3 << u"6 fields"_s;
    QTest::newRow("no domain code") << domain + u",D,1.1,S,desc\n"_s << 0 << 1 << 2 << u"no domain_code"_s;
    QTest::newRow("duplicate subdomain") << domain + u"1,D,1.1,S,desc\n1,D,1.1,T,desc\n"_s << 2 << 1 << 3 << u"listed again"_s;
    QTest::newRow("domain renamed") << domain + u"1,D,1.1,S,desc\n1,E,1.2,T,desc\n"_s << 3 << 0 << 3 << u"first name is kept"_s;
    QTest::newRow("broken quoting") << domain + u"1,D,1.1,S,desc\n1,D,1.2,\"S,desc\n"_s << 2 << 1 << 3 << u"never closed"_s;
    QTest::newRow("no level") << causal + u"Entity,AI,d\nEntity,,d\n"_s << 2 << 1 << 3 << u"no category or no level"_s;
    QTest::newRow("duplicate level, other case") << causal + u"Entity,AI,d\nENTITY,ai,d\n"_s << 2 << 1 << 3 << u"listed again"_s;
    QTest::newRow("neither header") << u"a,b\n1,2\n"_s << 0 << 0 << 1 << u"neither"_s;
}

void MitRiskTaxonomyImporterTest::rowErrors()
{
    QFETCH(QString, text);
    QFETCH(int, line);
    QFETCH(QString, message);
    const ParseResult result = parse(text);
    QTEST(int(result.records.taxonomyNodes.size()), "nodes");
    QTEST(result.skipped, "skipped");
    const bool found = std::any_of(result.diagnostics.cbegin(), result.diagnostics.cend(), [&](const ImportDiagnostic &d) {
        return d.line == line && d.message.contains(message);
    });
    QVERIFY2(found, qPrintable(result.diagnostics.isEmpty() ? u"no diagnostics"_s : result.diagnostics.first().toString()));
}

void MitRiskTaxonomyImporterTest::sniff_data()
{
    QTest::addColumn<QString>("head");
    QTest::addColumn<bool>("mine");
    QTest::newRow("domains") << u"domain_code,domain,subdomain_code,subdomain,description\n1,D,1.1,S,d\n"_s << true;
    QTest::newRow("causal") << u"category,level,description\r"_s << true;
    QTest::newRow("causal plus a column") << u"category,level,description,notes\n"_s << false;
    QTest::newRow("mitigations") << u"Action ID,Action Name,Action Definition,Action Source,MitigationCode\n"_s << false;
    QTest::newRow("resources") << u"Included,Paper_ID,QuickRef,Title,Authors (full)\n"_s << false;
    QTest::newRow("empty") << QString() << false;
}

void MitRiskTaxonomyImporterTest::sniff()
{
    QFETCH(QString, head);
    QFETCH(bool, mine);
    const int score = MitRiskTaxonomyImporter().sniff(head, u"x.csv"_s);
    if (mine)
        QVERIFY2(score >= 60, qPrintable(QString::number(score)));
    else
        QCOMPARE(score, 0);
}

void MitRiskTaxonomyImporterTest::hostileInput_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("expectError");
    const QString real = readText(dataDir + u"domain-taxonomy-v3.csv"_s);
    QTest::newRow("truncated in a quoted field") << real.left(real.indexOf(u"\"Compromise"_s) + 10) << true;
    QTest::newRow("truncated mid-row") << real.left(real.indexOf(u"\n3,"_s) + 4) << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("header only") << u"category,level,description\n"_s << false;
    QString junk;
    for (int i = 0; i < 5000; ++i)
        junk.append(QChar(char16_t(0x20 + (i * 7919) % 0x2000)));
    QTest::newRow("binary junk") << junk << true;
    QTest::newRow("10,000 quotes") << u"category,level,description\n"_s + QString(10001, u'"') << true;
    QTest::newRow("very long line") << u"category,level,description\nEntity,AI,"_s + QString(20 * 1024 * 1024, u'x') + u'\n' << false;
}

void MitRiskTaxonomyImporterTest::hostileInput()
{
    QFETCH(QString, text);
    QFETCH(bool, expectError);
    QElapsedTimer timer;
    timer.start();
    const ParseResult result = parse(text);
    // A guard against a hang or a quadratic parse, not a speed target (see abstractlistimporter_test).
    QVERIFY(timer.elapsed() < 120000);
    QCOMPARE(count(result, ImportDiagnostic::Severity::Error) > 0, expectError);
    for (const TaxonomyNodeRecord &r : result.records.taxonomyNodes)
        QVERIFY(!r.name.isEmpty());
}

QTEST_GUILESS_MAIN(MitRiskTaxonomyImporterTest)
#include "mitrisktaxonomyimporter_test.moc"

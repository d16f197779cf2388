// Tests of the survey entry page importer beyond its golden files: glued codes, naming the
// page's entry, sniffing, and pages cut anywhere (never a crash, never a record without a name).
#include "importerregistry.h"
#include "library.h"
#include "surveypageimporter.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace Atlas;
using namespace Qt::StringLiterals;

namespace
{

QString seed(const char *name)
{
    QFile file(QStringLiteral(ATLAS_SHARED_DIR "/seeds/") + QLatin1String(name));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

const EntryRecord *entryNamed(const ParseResult &result, const QString &name)
{
    for (const EntryRecord &e : result.records.entries) {
        if (e.name == name)
            return &e;
    }
    return nullptr;
}

} // namespace

class SurveyPageImporterTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    ImportContext m_context;

    ParseResult parse(const QString &text) const { return SurveyPageImporter().parse(text, u"page.txt"_s, m_context); }

private Q_SLOTS:
    void initTestCase()
    {
        Library library;
        QVERIFY(library.open(m_dir.filePath(u"context.sqlite"_s)).ok());
        m_context = ImportContext::fromDatabase(library.database());
        if (seed("000_c9b4ed642a83cae2.txt").isEmpty())
            QSKIP("../shared is not beside the checkout");
    }

    void splitGluedCode_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<bool>("isCode");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("rest");
        QTest::addColumn<bool>("known");
        QTest::newRow("known, glued") << u"1.1.2 Learning ObjectivesMethods for mitigating toxicity: alignment phase"_s << true << u"1.1.2"_s
                                      << u"Learning Objectives"_s << u"Methods for mitigating toxicity: alignment phase"_s << true;
        QTest::newRow("known, glued to a path") << u"99.9 OtherValue Misalignment > Mitigating social bias"_s << true << u"99.9"_s << u"Other"_s
                                                << u"Value Misalignment > Mitigating social bias"_s << true;
        QTest::newRow("name with ampersand") << u"2.2.2 Testing & EvaluationLarge Language Model Safety"_s << true << u"2.2.2"_s
                                             << u"Testing & Evaluation"_s << u"Large Language Model Safety"_s << true;
        QTest::newRow("top-level code") << u"1 AI SystemRobustness to attack"_s << true << u"1"_s << u"AI System"_s << u"Robustness to attack"_s << true;
        QTest::newRow("code at the end of the page") << u"2.4.1 Research & Foundations"_s << true << u"2.4.1"_s << u"Research & Foundations"_s << QString()
                                                     << true;
        QTest::newRow("unknown code") << u"2.9.7 Incident DrillsRed teaming"_s << true << u"2.9.7"_s << u"Incident Drills"_s << u"Red teaming"_s << false;
        QTest::newRow("known code, other name") << u"1.1.1 Data CurationPrivacy"_s << true << u"1.1.1"_s << u"Data Curation"_s << u"Privacy"_s << false;
        QTest::newRow("prose starting with a number") << u"3 studies show that ChatGPT is biased"_s << false << QString() << QString() << QString() << false;
        QTest::newRow("a year") << u"2024 Was A Year Of Many Papers On Safety And AlignmentX"_s << false << QString() << QString() << QString() << false;
        QTest::newRow("known name running on") << u"99.9 Otherwise the model fails"_s << false << QString() << QString() << QString() << false;
        QTest::newRow("no code") << u"Value Misalignment"_s << false << QString() << QString() << QString() << false;
    }

    void splitGluedCode()
    {
        QFETCH(QString, line);
        QFETCH(bool, isCode);
        const auto glued = SurveyPageImporter::splitGluedCode(line, m_context.codeNames.value(u"mit-mitigation-v2"_s));
        QCOMPARE(glued.has_value(), isCode);
        if (!glued)
            return;
        QTEST(glued->code, "code");
        QTEST(glued->name, "name");
        QTEST(glued->rest, "rest");
        QTEST(glued->known, "known");
    }

    void seedsAreRecognised()
    {
        ImporterRegistry registry;
        for (const char *name : {"000_c9b4ed642a83cae2.txt", "001_941bdcbe8d94e6ef.txt", "002_a0a8653dee302dd3.txt"}) {
            const auto importer = registry.detect(seed(name), QString::fromLatin1(name));
            QVERIFY(importer.ok());
            QCOMPARE(importer.value()->formatKey(), u"survey-page"_s);
        }
        // The abstract list is not a page.
        const auto abstracts = registry.detect(seed("003_e84dd38198dead75.txt"), u"003.txt"_s);
        QVERIFY(abstracts.ok());
        QCOMPARE(abstracts.value()->formatKey(), u"abstract-list"_s);
    }

    void entryWithoutSubEntriesIsNamedFromItsPassage()
    {
        const ParseResult result = parse(seed("002_a0a8653dee302dd3.txt"));
        const EntryRecord *self = entryNamed(result, u"Recent studies argue that LLMs exhibit emergent abilities"_s);
        QVERIFY(self);
        QVERIFY(self->nameInferred);
        QVERIFY(self->needsReview);
        QVERIFY(self->parentKey.isEmpty()); // 002 has no heading
        QCOMPARE(self->extra.value(u"also_in"_s).toString(), u"Engineering & Development"_s);
        QVERIFY(self->text.contains(u"\n\nGrokking is a phenomenon"_s)); // two paragraphs
        QCOMPARE(self->pageListing.size(), 6);
    }

    void headingIsTheListedPath()
    {
        // 001's heading "Mitigating social bias" is the listed "Value Misalignment > Mitigating social bias".
        const ParseResult result = parse(seed("001_941bdcbe8d94e6ef.txt"));
        const EntryRecord *self = nullptr;
        for (const EntryRecord &e : result.records.entries) {
            if (e.key == u"self"_s)
                self = &e;
        }
        QVERIFY(self);
        const EntryRecord *parent = entryNamed(result, u"Mitigating social bias"_s);
        QVERIFY(parent);
        QCOMPARE(self->parentKey, parent->key);
        QVERIFY(!parent->parentKey.isEmpty());
        int named = 0;
        for (const EntryRecord &e : result.records.entries)
            named += e.name == u"Mitigating social bias"_s ? 1 : 0;
        QCOMPARE(named, 1);
    }

    // Every prefix of every seed, and every seed with one line dropped: no crash, no nameless
    // record, every record's parent in the set, diagnostics with the file's lines.
    void cutPagesNeverBreak()
    {
        QElapsedTimer timer;
        timer.start();
        int pages = 0;
        for (const char *name : {"000_c9b4ed642a83cae2.txt", "001_941bdcbe8d94e6ef.txt", "002_a0a8653dee302dd3.txt"}) {
            const QStringList lines = seed(name).split(u'\n');
            QList<QString> variants;
            for (qsizetype n = 0; n <= lines.size(); ++n)
                variants.append(lines.mid(0, n).join(u'\n'));
            for (qsizetype drop = 0; drop < lines.size(); ++drop) {
                QStringList copy = lines;
                copy.removeAt(drop);
                variants.append(copy.join(u'\n'));
            }
            // Cut inside a line, too.
            const QString whole = seed(name);
            for (int i = 0; i < 40; ++i)
                variants.append(whole.left(QRandomGenerator::global()->bounded(qsizetype(whole.size()))));
            for (const QString &text : std::as_const(variants)) {
                const ParseResult result = parse(text);
                QSet<QString> keys;
                for (const EntryRecord &e : result.records.entries) {
                    QVERIFY2(!e.name.trimmed().isEmpty(), qPrintable(text.right(200)));
                    QVERIFY2(e.parentKey.isEmpty() || keys.contains(e.parentKey), qPrintable(e.name)); // parents first
                    keys.insert(e.key);
                }
                for (const ImportDiagnostic &d : result.diagnostics)
                    QVERIFY(d.line >= 0 && d.line <= lines.size());
                if (result.records.isEmpty() && !text.trimmed().isEmpty())
                    QVERIFY2(!result.diagnostics.isEmpty(), qPrintable(text.right(200))); // an empty result says why
                ++pages;
            }
        }
        qInfo("%d cut pages parsed in %lld ms", pages, timer.elapsed());
    }
};

QTEST_GUILESS_MAIN(SurveyPageImporterTest)
#include "surveypageimporter_test.moc"

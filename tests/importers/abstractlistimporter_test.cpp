// Tests of the abstract-list importer: blocks, inferred titles, diagnostics and malformed input.
#include "abstractlistimporter.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTest>

using namespace Atlas;
using namespace Qt::StringLiterals;

namespace
{

ParseResult parse(const QString &text)
{
    return AbstractListImporter().parse(text, u"abstracts.txt"_s, ImportContext());
}

} // namespace

class AbstractListImporterTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void seed003();
    void inferTitle_data();
    void inferTitle();
    void diagnostics_data();
    void diagnostics();
    void malformed_data();
    void malformed();
    void sniff_data();
    void sniff();
};

void AbstractListImporterTest::seed003()
{
    QFile file(QStringLiteral(ATLAS_SHARED_DIR "/seeds/003_e84dd38198dead75.txt"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const ParseResult result = parse(QString::fromUtf8(file.readAll()));
    QVERIFY(result.diagnostics.isEmpty());
    QCOMPARE(result.records.documents.size(), 2);
    const DocumentRecord &survey = result.records.documents.at(0);
    QVERIFY(survey.abstract.startsWith(u"The rapid development and deployment"_s));
    QVERIFY(survey.abstract.endsWith(u"Awesome-LLM-Safety-Papers."_s));
    QCOMPARE(survey.title, u"The rapid development and deployment of large language models have introduced"_s);
    QVERIFY(survey.titleInferred);
    QVERIFY(survey.needsReview);
    QCOMPARE(survey.line, 1);
    const DocumentRecord &dart = result.records.documents.at(1);
    QVERIFY(dart.abstract.startsWith(u"Manual Red teaming"_s));
    QCOMPARE(dart.title, u"Manual Red teaming is a commonly-used method to identify vulnerabilities in large language models"_s);
    QCOMPARE(dart.line, 2);
    QVERIFY(dart.key != survey.key);
}

void AbstractListImporterTest::inferTitle_data()
{
    QTest::addColumn<QString>("abstract");
    QTest::addColumn<QString>("title");
    QTest::newRow("short sentence") << u"We study jailbreaks. Then more."_s << u"We study jailbreaks"_s;
    QTest::newRow("main clause") << u"Language models leak data, as we show here."_s << u"Language models leak data"_s;
    QTest::newRow("initials and e.g.") << u"E.g. models such as GPT-4 fail often. Next."_s << u"E.g. models such as GPT-4 fail often"_s;
    QTest::newRow("cut at twelve words") << u"One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen."_s
                                         << u"One two three four five six seven eight nine ten eleven twelve"_s;
    QTest::newRow("no dangling article") << u"One two three four five six seven eight nine ten the twelve thirteen fourteen fifteen sixteen."_s
                                         << u"One two three four five six seven eight nine ten"_s;
    QTest::newRow("no sentence end") << u"a single clause without end"_s << u"a single clause without end"_s;
    QTest::newRow("only an aside") << u"(LLMs)."_s << u"(LLMs)"_s;
}

void AbstractListImporterTest::inferTitle()
{
    QFETCH(QString, abstract);
    QTEST(AbstractListImporter::inferTitle(abstract), "title");
}

void AbstractListImporterTest::diagnostics_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("documents");
    QTest::addColumn<int>("skipped");
    QTest::addColumn<QStringList>("messages");
    QTest::newRow("two blocks, wrapped lines") << u"Abstract: First line\ncontinues here.\n\nAbstract:Second.\n"_s << 2 << 0 << QStringList();
    QTest::newRow("preamble") << u"Notes\nmore notes\nAbstract: Text.\n"_s << 1 << 0
                              << QStringList{u"abstracts.txt:1: warning: text before the first \"Abstract:\" is ignored"_s};
    QTest::newRow("empty block") << u"Abstract: Text.\nAbstract:\n\nABSTRACT: More text.\n"_s << 2 << 1
                                 << QStringList{u"abstracts.txt:2: error: an empty abstract"_s};
    QTest::newRow("no block") << u"Just some text.\n"_s << 0 << 0
                              << QStringList{u"abstracts.txt:1: error: no \"Abstract:\" block: this is not a list of abstracts"_s};
    QTest::newRow("empty file") << QString() << 0 << 0 << QStringList{u"abstracts.txt: error: no \"Abstract:\" block: this is not a list of abstracts"_s};
}

void AbstractListImporterTest::diagnostics()
{
    QFETCH(QString, text);
    const ParseResult result = parse(text);
    QTEST(int(result.records.documents.size()), "documents");
    QTEST(result.skipped, "skipped");
    QStringList messages;
    for (const ImportDiagnostic &d : result.diagnostics)
        messages.append(d.toString());
    QTEST(messages, "messages");
    if (result.records.documents.size() == 2 && result.skipped == 0)
        QCOMPARE(result.records.documents.first().abstract, u"First line continues here."_s);
}

void AbstractListImporterTest::malformed_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("junk") << u"\u0001\u0002\u00ff ]]] Abstract\n:::\n"_s;
    QTest::newRow("50 MB line") << (u"Abstract: "_s + QString(50 * 1024 * 1024, u'a'));
    QTest::newRow("many blocks") << u"Abstract:\n"_s.repeated(100000);
    QTest::newRow("truncated") << u"Abstract: The rapid devel"_s;
}

void AbstractListImporterTest::malformed()
{
    QFETCH(QString, text);
    QElapsedTimer timer;
    timer.start();
    const ParseResult result = parse(text);
    // A guard against a hang or a quadratic parse (a 50 MB line), not a speed target: generous,
    // so a loaded machine or a sanitizer build does not fail it.
    QVERIFY(timer.elapsed() < 120000);
    QVERIFY(!result.diagnostics.isEmpty() || !result.records.documents.isEmpty());
    for (const DocumentRecord &d : result.records.documents)
        QVERIFY(!d.abstract.isEmpty() && !d.title.isEmpty());
}

void AbstractListImporterTest::sniff_data()
{
    QTest::addColumn<QString>("head");
    QTest::addColumn<int>("minimum");
    QTest::addColumn<int>("maximum");
    QTest::newRow("first line") << u"Abstract: text\n"_s << 80 << 100;
    QTest::newRow("after a note") << u"Notes\n\nAbstract: text\n"_s << 40 << 79;
    QTest::newRow("late") << (u"line\n"_s.repeated(50) + u"Abstract: x\n"_s) << 1 << 19;
    QTest::newRow("markdown") << u"# Title\n\n- [A](https://e.org)\n"_s << 0 << 0;
    QTest::newRow("bibtex abstract field") << u"@article{a,\n abstract = {Abstract: no}\n}\n"_s << 0 << 0;
}

void AbstractListImporterTest::sniff()
{
    QFETCH(QString, head);
    const int score = AbstractListImporter().sniff(head, u"x.txt"_s);
    QFETCH(int, minimum);
    QFETCH(int, maximum);
    QVERIFY2(score >= minimum && score <= maximum, qPrintable(QString::number(score)));
}

QTEST_GUILESS_MAIN(AbstractListImporterTest)
#include "abstractlistimporter_test.moc"

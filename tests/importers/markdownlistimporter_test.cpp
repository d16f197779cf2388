// Tests of the Markdown paper-list importer: the survey's awesome list, the common list styles,
// headings as tags, and malformed input.
#include "markdownlistimporter.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Atlas;
using namespace Qt::StringLiterals;

namespace
{

ParseResult parse(const QString &text)
{
    return MarkdownListImporter().parse(text, u"test.md"_s, ImportContext());
}

int count(const ParseResult &result, ImportDiagnostic::Severity severity)
{
    int n = 0;
    for (const ImportDiagnostic &d : result.diagnostics)
        n += d.severity == severity ? 1 : 0;
    return n;
}

QString readShared(const QString &relative)
{
    QFile file(QStringLiteral(ATLAS_SHARED_DIR) + u"/"_s + relative);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

} // namespace

class MarkdownListImporterTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void awesomeList();
    void itemStyles_data();
    void itemStyles();
    void headingsBecomeTags();
    void surveyClassification();
    void pseudoHeadings();
    void itemsWithoutLinks();
    void tables();
    void strayLines();
    void malformed_data();
    void malformed();
    void truncatedAwesomeList();
    void sniff_data();
    void sniff();
};

void MarkdownListImporterTest::awesomeList()
{
    const QString text = readShared(u"data/paper-lists/awesome-llm-safety-papers.md"_s);
    QVERIFY(!text.isEmpty());
    QElapsedTimer timer;
    timer.start();
    const ParseResult result = parse(text);
    const qint64 elapsed = timer.elapsed();

    static const QRegularExpression itemLine(u"^\\s*\\d+\\.\\s.*\\*\\*"_s);
    const QStringList lines = text.split(u'\n');
    int items = 0;
    for (const QString &line : lines)
        items += itemLine.match(line).hasMatch() ? 1 : 0;
    QCOMPARE(items, 426);

    QCOMPARE(count(result, ImportDiagnostic::Severity::Error), 0);
    QCOMPARE(result.skipped, 0);
    // Every item with a title is a record; the four that have no link anywhere in the list are
    // kept (they have authors and a year) with a warning.
    int unlinked = 0;
    for (const ImportDiagnostic &d : result.diagnostics)
        unlinked += d.message.endsWith(u"has no link"_s) ? 1 : 0;
    QCOMPARE(unlinked, 4);
    QCOMPARE(result.records.documents.size(), items);

    QSet<QString> unlinkedTitles;
    for (const ImportDiagnostic &d : result.diagnostics) {
        if (d.message.endsWith(u"\" has no link"_s))
            unlinkedTitles.insert(d.message.mid(1, d.message.size() - 1 - int(qstrlen("\" has no link"))));
    }
    QCOMPARE(unlinkedTitles.size(), 4);
    QSet<QString> titles, titleYears;
    QHash<QString, QSet<QStringList>> tagsByTitle;
    QSet<QString> tagNames;
    for (const DocumentRecord &d : result.records.documents) {
        QVERIFY2(!d.title.isEmpty(), qPrintable(QString::number(d.line)));
        QVERIFY2(d.year.has_value(), qPrintable(d.title));
        QVERIFY2(!d.url.isEmpty() || unlinkedTitles.contains(d.title), qPrintable(d.title));
        QVERIFY2(!d.authors.isEmpty(), qPrintable(d.title));
        QCOMPARE(d.tags.size(), 1);
        QCOMPARE(d.classifications.size(), 1);
        QCOMPARE(d.classifications.first().schemeKey, u"llm-safety-survey"_s);
        const QString key = Records::normalisedTitle(d.title);
        titles.insert(key);
        titleYears.insert(key + u'|' + QString::number(*d.year));
        tagsByTitle[key].insert(d.tags.first());
        for (const QString &name : d.tags.first()) {
            QVERIFY(!name.contains(u'/'));
            tagNames.insert(name);
        }
    }
    QVERIFY(titles.size() >= 380);
    int multiSection = 0;
    for (const auto &paths : std::as_const(tagsByTitle))
        multiSection += paths.size() > 1 ? 1 : 0;
    QVERIFY(multiSection > 10);

    // Every heading of the paper sections is a tag of some record.
    bool inPapers = false;
    static const QRegularExpression heading(u"^\\s{0,3}(#{1,6})\\s+(.*)$"_s);
    for (const QString &line : lines) {
        const auto m = heading.match(line);
        if (!m.hasMatch())
            continue;
        const QString name = m.captured(2).trimmed();
        if (m.captured(1).size() == 2)
            inPapers = name == u"Papers"_s || name == u"Governance"_s;
        if (!inPapers || name == u"Papers"_s)
            continue;
        QVERIFY2(tagNames.contains(QString(name).replace(u'/', u'-')), qPrintable(name));
    }

    // An alias before the title is kept apart from it.
    const auto oscar = std::find_if(result.records.documents.cbegin(), result.records.documents.cend(), [](const DocumentRecord &d) {
        return d.extra.value(u"alias"_s).toString() == u"OSCaR"_s;
    });
    QVERIFY(oscar != result.records.documents.cend());
    QCOMPARE(oscar->title, u"Orthogonal Subspace Correction and Rectification of Biases in Word Embeddings"_s);
    QCOMPARE(oscar->tags.first(), (QStringList{u"Value Misalignment"_s, u"Social Bias"_s, u"Definition and Safety Impact"_s}));

    qInfo("%d items, %lld records, %d warnings, %lld distinct titles, %lld distinct title+year, parsed in %lld ms", items,
          qlonglong(result.records.documents.size()), count(result, ImportDiagnostic::Severity::Warning), qlonglong(titles.size()),
          qlonglong(titleYears.size()), elapsed);
}

void MarkdownListImporterTest::itemStyles_data()
{
    QTest::addColumn<QString>("markdown");
    QTest::addColumn<QString>("title");
    QTest::addColumn<QString>("authors");
    QTest::addColumn<int>("year");
    QTest::addColumn<QString>("venue");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("arxivId");

    QTest::newRow("survey style") << u"1. **\"Bias and Fairness in Large Language Models: A Survey\"**.\n\n\t*Isabel O. Gallegos et al*. arxiv 2023. "
                                     "[[Paper](https://doi.org/10.48550/arXiv.2309.00770)]\n"_s
                                  << u"Bias and Fairness in Large Language Models: A Survey"_s << u"Gallegos, Isabel O."_s << 2023 << u"arXiv"_s
                                  << u"https://doi.org/10.48550/arXiv.2309.00770"_s << u"2309.00770"_s;
    QTest::newRow("alias, code link") << u"2. GCG: **\"Universal and Transferable Adversarial Attacks on Aligned Language Models\"**.\n\n"
                                         "    *Andy Zou et al*. arXiv 2023. [[Paper](https://arxiv.org/pdf/2307.15043)] [[GitHub](https://github.com/x/y)]\n"_s
                                      << u"Universal and Transferable Adversarial Attacks on Aligned Language Models"_s << u"Zou, Andy"_s << 2023
                                      << u"arXiv"_s << u"https://arxiv.org/pdf/2307.15043"_s << u"2307.15043"_s;
    QTest::newRow("family, given") << u"1. **\"Measuring and Mitigating Unintended Bias in Text Classification\"**.\n\n\t*Dixon, Lucas et al*. AAAI 2018. "
                                      "[[Paper](https://dl.acm.org/doi/abs/10.1145/3278721.3278729)]\n"_s
                                   << u"Measuring and Mitigating Unintended Bias in Text Classification"_s << u"Dixon, Lucas"_s << 2018 << u"AAAI"_s
                                   << u"https://dl.acm.org/doi/abs/10.1145/3278721.3278729"_s << QString();
    QTest::newRow("two authors, workshop") << u"1. **\"Ignore Previous Prompt: Attack Techniques For Language Models\"**.\n\n\t*Fábio Perez and Ian Ribeiro*. "
                                              "NeurIPS 2022 Workshop on ML Safety. [[Paper](https://arxiv.org/pdf/2211.09527)]\n"_s
                                           << u"Ignore Previous Prompt: Attack Techniques For Language Models"_s << u"Perez, Fábio; Ribeiro, Ian"_s << 2022
                                           << u"NeurIPS 2022 Workshop on ML Safety"_s << u"https://arxiv.org/pdf/2211.09527"_s << u"2211.09527"_s;
    QTest::newRow("venue inside the emphasis") << u"1. **\"Mistral 7B\"**.\n\n\t*Albert Q. Jiang et al. arXiv* 2023. [[Paper](https://arxiv.org/abs/2310.06825)]\n"_s
                                               << u"Mistral 7B"_s << u"Jiang, Albert Q."_s << 2023 << u"arXiv"_s << u"https://arxiv.org/abs/2310.06825"_s
                                               << u"2310.06825"_s;
    QTest::newRow("et al. after the emphasis") << u"1. **\"Strengthening international cooperation on AI\"**.\n\n\t*Joshua Meltzer* et al. Blog 2021. "
                                                  "[[Blog](https://www.brookings.edu/articles/x/)]\n"_s
                                               << u"Strengthening international cooperation on AI"_s << u"Meltzer, Joshua"_s << 2021 << u"Blog"_s
                                               << u"https://www.brookings.edu/articles/x/"_s << QString();
    QTest::newRow("organisation") << u"1. **\"Frontier AI Trends\"**.\n\n\t*AI Risk and Vulnerability Alliance*. Blog 2024. [[Blog](https://avidml.org/blog/)]\n"_s
                                  << u"Frontier AI Trends"_s << u"AI Risk and Vulnerability Alliance"_s << 2024 << u"Blog"_s << u"https://avidml.org/blog/"_s
                                  << QString();
    QTest::newRow("glued venue year") << u"1. **\"The Reasons that Agents Act\"**.\n\n\t*Francis Rhys Ward et al*. AAMAS24. [[Paper](https://arxiv.org/abs/2402.07221)]\n"_s
                                      << u"The Reasons that Agents Act"_s << u"Ward, Francis Rhys"_s << 2024 << u"AAMAS24"_s
                                      << u"https://arxiv.org/abs/2402.07221"_s << u"2402.07221"_s;
    QTest::newRow("year from the arXiv id") << u"2. **\"The Threat of Offensive AI to Organizations\"**.\n\n\t*Yisroel Mirsky et al*. Computers and Security. "
                                               "[[Paper](https://arxiv.org/abs/2106.15764)]\n"_s
                                            << u"The Threat of Offensive AI to Organizations"_s << u"Mirsky, Yisroel"_s << 2021 << u"Computers and Security"_s
                                            << u"https://arxiv.org/abs/2106.15764"_s << u"2106.15764"_s;
    QTest::newRow("metadata on the title line") << u"7. **\"Scaling and evaluating sparse autoencoders\"**. Leo Gao et al. arXiv 2024. "
                                                   "[[Paper](https://arxiv.org/abs/2406.04093)]\n"_s
                                                << u"Scaling and evaluating sparse autoencoders"_s << u"Gao, Leo"_s << 2024 << u"arXiv"_s
                                                << u"https://arxiv.org/abs/2406.04093"_s << u"2406.04093"_s;
    QTest::newRow("names without et al") << u"2. **\"Mechanistic interpretability for AI safety\"**. Leonard Bereska and Efstratios Gavves. arXiv 2024. "
                                            "[[Paper](https://arxiv.org/abs/2404.14082)]\n"_s
                                         << u"Mechanistic interpretability for AI safety"_s << u"Bereska, Leonard; Gavves, Efstratios"_s << 2024 << u"arXiv"_s
                                         << u"https://arxiv.org/abs/2404.14082"_s << u"2404.14082"_s;
    QTest::newRow("bare url in brackets") << u"1. **\"Deepfakes Generation and Detection\"**.\n\n\t*Bahar Uddin Mahmud et al*. arXiv 2021. [https://arxiv.org/abs/2105.00192]\n"_s
                                          << u"Deepfakes Generation and Detection"_s << u"Mahmud, Bahar Uddin"_s << 2021 << u"arXiv"_s
                                          << u"https://arxiv.org/abs/2105.00192"_s << u"2105.00192"_s;
    QTest::newRow("unindented metadata") << u"1. **\"Perspective API\"**.\n\n*Jigsaw*. Blog 2021. [[Blog](https://www.perspectiveapi.com/)]\n"_s
                                         << u"Perspective API"_s << u"Jigsaw"_s << 2021 << u"Blog"_s << u"https://www.perspectiveapi.com/"_s << QString();
    QTest::newRow("date, bold link") << u"- [2023/10] **[Jailbreaking Black Box Large Language Models in Twenty Queries](https://arxiv.org/abs/2310.08419v2)** "
                                        "Patrick Chao, Alexander Robey. arXiv. [[code](https://github.com/patrickrchao/JailbreakingLLMs)]\n"_s
                                     << u"Jailbreaking Black Box Large Language Models in Twenty Queries"_s << u"Chao, Patrick; Robey, Alexander"_s << 2023
                                     << u"arXiv"_s << u"https://arxiv.org/abs/2310.08419v2"_s << u"2310.08419"_s;
    QTest::newRow("link, description") << u"- [TruthfulQA: Measuring How Models Mimic Human Falsehoods](https://arxiv.org/abs/2109.07958) - a benchmark, ACL 2022.\n"_s
                                       << u"TruthfulQA: Measuring How Models Mimic Human Falsehoods"_s << QString() << 2022 << QString()
                                       << u"https://arxiv.org/abs/2109.07958"_s << u"2109.07958"_s;
    QTest::newRow("bold, paper link") << u"- **Extracting Training Data from Large Language Models** [[paper](https://www.usenix.org/x)] "
                                         "[[code](https://github.com/ftramer/LM_Memorization)] *Nicholas Carlini et al.*, USENIX Security 2021\n"_s
                                      << u"Extracting Training Data from Large Language Models"_s << u"Carlini, Nicholas"_s << 2021 << u"USENIX Security"_s
                                      << u"https://www.usenix.org/x"_s << QString();
    QTest::newRow("commas") << u"* [Deep reinforcement learning from human preferences](https://papers.nips.cc/paper/7017), Paul Christiano, Jan Leike, NeurIPS 2017\n"_s
                            << u"Deep reinforcement learning from human preferences"_s << u"Christiano, Paul; Leike, Jan"_s << 2017 << u"NeurIPS"_s
                            << u"https://papers.nips.cc/paper/7017"_s << QString();
    QTest::newRow("parenthesised year") << u"- **Membership Inference Attacks against Machine Learning Models** [[PDF](https://doi.org/10.1109/SP.2017.41)] (2017)\n"_s
                                        << u"Membership Inference Attacks against Machine Learning Models"_s << QString() << 2017 << QString()
                                        << u"https://doi.org/10.1109/SP.2017.41"_s << QString();
    QTest::newRow("atlas export") << u"1. **A title with \\*stars\\***\n\tDan Shi, Deyi Xiong. *arXiv*. 2024. [[Paper](https://arxiv.org/abs/2412.17686)]\n"_s
                                  << u"A title with stars"_s << u"Shi, Dan; Xiong, Deyi"_s << 2024 << u"arXiv"_s << u"https://arxiv.org/abs/2412.17686"_s
                                  << u"2412.17686"_s;
}

void MarkdownListImporterTest::itemStyles()
{
    QFETCH(QString, markdown);
    const ParseResult result = parse(u"## Section\n\n"_s + markdown);
    QCOMPARE(result.records.documents.size(), 1);
    const DocumentRecord &d = result.records.documents.first();
    QTEST(d.title, "title");
    QTEST(d.authors.join(u"; "_s), "authors");
    QTEST(d.year.value_or(0), "year");
    QTEST(d.venue, "venue");
    QTEST(d.url, "url");
    QTEST(d.arxivId, "arxivId");
    QCOMPARE(d.tags, QList<QStringList>{QStringList{u"Section"_s}});
    QVERIFY(d.classifications.isEmpty());
}

void MarkdownListImporterTest::headingsBecomeTags()
{
    const ParseResult result = parse(u"# Awesome Things :books:\n\n## Table of Contents\n\n- [A paper in the contents](https://example.org/a)\n\n"
                                     "## Papers\n\n### 1. Robustness 🛡️\n\n#### 1.1 Attacks / Defences\n\n- [A Real Paper Title](https://example.org/b), 2020\n\n"
                                     "## Contributing\n\n- [Another Paper Title](https://example.org/c), 2021\n"_s);
    QCOMPARE(result.records.documents.size(), 1);
    const DocumentRecord &d = result.records.documents.first();
    QCOMPARE(d.title, u"A Real Paper Title"_s);
    QCOMPARE(d.tags, QList<QStringList>{(QStringList{u"Robustness"_s, u"Attacks - Defences"_s})});
}

void MarkdownListImporterTest::surveyClassification()
{
    const QString list = u"# List\n\nPapers of [our survey](https://arxiv.org/pdf/2412.17686.pdf).\n\n## Papers\n\n### Technology Roadmaps / Strategies\n\n"
                         "#### Training\n\n1. **\"A Paper\"**.\n\n\t*Ann Author*. arXiv 2023. [[Paper](https://arxiv.org/abs/2301.00001)]\n"_s;
    const ParseResult result = parse(list);
    QCOMPARE(result.records.documents.size(), 1);
    const DocumentRecord &d = result.records.documents.first();
    QCOMPARE(d.tags.first(), (QStringList{u"Technology Roadmaps - Strategies"_s, u"Training"_s}));
    QCOMPARE(d.classifications.size(), 1);
    QCOMPARE(d.classifications.first().schemeKey, u"llm-safety-survey"_s);
    QCOMPARE(d.classifications.first().path, (QStringList{u"Technology Roadmaps / Strategies"_s, u"Training"_s}));

    // Another list that merely cites the survey in an item is not written in its categories.
    const ParseResult other = parse(u"## Misc\n\n- [Large Language Model Safety: A Holistic Survey](https://arxiv.org/abs/2412.17686), 2024\n"_s);
    QCOMPARE(other.records.documents.size(), 1);
    QVERIFY(other.records.documents.first().classifications.isEmpty());
}

void MarkdownListImporterTest::pseudoHeadings()
{
    // After items a plain or bold line starts a section beside the heading; before any item, inside it.
    const ParseResult result = parse(u"## Weapons\n\n### Biological\n\n1. **\"Paper One\"**.\n\n\t*A B*. arXiv 2023. [[Paper](https://example.org/1)]\n\n"
                                     "   Chemical Weaponization\n\n1. **\"Paper Two\"**.\n\n\t*C D*. arXiv 2022. [[Paper](https://example.org/2)]\n\n"
                                     "### Cyber\n\n**Malware**\n\n1. **\"Paper Three\"**.\n\n\t*E F*. arXiv 2021. [[Paper](https://example.org/3)]\n"_s);
    QCOMPARE(result.records.documents.size(), 3);
    QCOMPARE(result.records.documents.at(0).tags.first(), (QStringList{u"Weapons"_s, u"Biological"_s}));
    QCOMPARE(result.records.documents.at(1).tags.first(), (QStringList{u"Weapons"_s, u"Chemical Weaponization"_s}));
    QCOMPARE(result.records.documents.at(2).tags.first(), (QStringList{u"Weapons"_s, u"Cyber"_s, u"Malware"_s}));
    QCOMPARE(count(result, ImportDiagnostic::Severity::Warning), 1); // the plain line read as a heading
    QCOMPARE(result.diagnostics.first().line, 9);
}

void MarkdownListImporterTest::itemsWithoutLinks()
{
    // Llama 2 borrows the link of its other listing; the orphan paper (authors, year) is kept with a
    // warning; a bare line with neither is not a paper.
    const ParseResult result = parse(u"## A\n\n1. **\"Llama 2\"**.\n\n\t*Hugo Touvron et al*. arXiv 2023. [Paper]\n\n2. **\"Orphan\"**.\n\n\t*X Y*. arXiv 2024.\n\n"
                                     "3. **\"Just a note\"**\n\n"
                                     "## B\n\n1. **\"Llama 2\"**.\n\n\t*Hugo Touvron et al*. arXiv 2023. [[Paper](https://arxiv.org/abs/2307.09288)]\n"_s);
    QCOMPARE(result.records.documents.size(), 3);
    QCOMPARE(result.records.documents.at(0).url, u"https://arxiv.org/abs/2307.09288"_s);
    QCOMPARE(result.records.documents.at(0).tags.first(), QStringList{u"A"_s});
    QCOMPARE(result.records.documents.at(1).title, u"Orphan"_s);
    QVERIFY(result.records.documents.at(1).url.isEmpty());
    QCOMPARE(count(result, ImportDiagnostic::Severity::Warning), 3);
    QCOMPARE(count(result, ImportDiagnostic::Severity::Error), 0);
}

void MarkdownListImporterTest::tables()
{
    const ParseResult result = parse(u"## Bench\n\n| Paper | Authors | Date | Code |\n|---|---|---|---|\n"
                                     "| [TruthfulQA](https://arxiv.org/abs/2109.07958) | Stephanie Lin, Jacob Hilton | 2021-09 | [code](https://github.com/x/y) |\n"
                                     "| Plain Title Here | Someone | 2020 | [pdf](https://example.org/p.pdf) |\n| [Cut Off](https://example.org/c) | A B\n"_s);
    QCOMPARE(result.records.documents.size(), 3);
    const DocumentRecord &first = result.records.documents.at(0);
    QCOMPARE(first.title, u"TruthfulQA"_s);
    QCOMPARE(first.authors, (QStringList{u"Lin, Stephanie"_s, u"Hilton, Jacob"_s}));
    QCOMPARE(first.year, std::optional<int>(2021));
    QCOMPARE(first.arxivId, u"2109.07958"_s);
    QCOMPARE(result.records.documents.at(1).title, u"Plain Title Here"_s);
    QCOMPARE(result.records.documents.at(1).url, u"https://example.org/p.pdf"_s);
    QCOMPARE(result.records.documents.at(2).line, 7);
    QVERIFY(count(result, ImportDiagnostic::Severity::Warning) >= 2); // too few cells, not closed
}

void MarkdownListImporterTest::strayLines()
{
    const ParseResult result = parse(u"## A\n\n- [First Paper Title](https://example.org/1), 2020\n\nSome note, written between items.\n\n"
                                     "- [Second Paper Title](https://example.org/2), 2021\n- just a note\n"_s);
    QCOMPARE(result.records.documents.size(), 2);
    QCOMPARE(count(result, ImportDiagnostic::Severity::Warning), 2);
    QCOMPARE(result.diagnostics.at(0).line, 5);
    QVERIFY(result.diagnostics.at(0).message.contains(u"Some note"_s));
    QCOMPARE(result.diagnostics.at(1).line, 8);
}

void MarkdownListImporterTest::malformed_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("blank lines") << u"\n\n   \n"_s;
    QTest::newRow("junk") << u"\u0001\u0002 ]]]((([[[ **** \u007f\n- [\n1. **\n| | |\n|-|\n|\n\t*\n[x](\n<a href=\n```\nunclosed fence"_s;
    QString deep = u"## Deep\n\n"_s;
    for (int i = 0; i < 10000; ++i)
        deep += QString(i % 200, u' ') + u"- [Nested Paper Title](https://example.org/"_s + QString::number(i) + u")\n"_s;
    QTest::newRow("10000 nested items") << deep;
    QTest::newRow("50 MB line") << (u"## A\n\n- "_s + QString(50 * 1024 * 1024, u'a') + u"\n"_s);
    QTest::newRow("long line of brackets") << (u"## A\n\n- "_s + QString(2 * 1024 * 1024, u'[') + u"\n"_s);
    QTest::newRow("long line of links") << (u"## A\n\n- "_s + u"[x](y) **"_s.repeated(200000) + u"\n"_s);
    QTest::newRow("long heading") << (u"# "_s + u"**[a](b)** "_s.repeated(100000) + u"\n- [T t](https://e.org)\n"_s);
    QTest::newRow("many headings") << u"###### h\n"_s.repeated(100000);
    QTest::newRow("unterminated link") << u"## A\n\n- [Title of a paper](https://arxiv.org/abs/23"_s;
    QTest::newRow("table without rows") << u"| Title | Link |\n|---|"_s;
}

void MarkdownListImporterTest::malformed()
{
    QFETCH(QString, text);
    QElapsedTimer timer;
    timer.start();
    const ParseResult result = parse(text);
    // A guard against a hang or a quadratic parse, not a speed target (see abstractlistimporter_test).
    QVERIFY2(timer.elapsed() < 120000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(count(result, ImportDiagnostic::Severity::Error), 0); // a list is read as far as it goes
    QVERIFY(!result.diagnostics.isEmpty() || !result.records.documents.isEmpty());
    for (const DocumentRecord &d : result.records.documents)
        QVERIFY(!d.title.isEmpty() && d.title.size() <= 16384);
}

void MarkdownListImporterTest::truncatedAwesomeList()
{
    const QString text = readShared(u"data/paper-lists/awesome-llm-safety-papers.md"_s);
    QVERIFY(!text.isEmpty());
    const ParseResult whole = parse(text);
    for (const double fraction : {0.01, 0.1, 0.333, 0.5, 0.77, 0.999}) {
        const ParseResult part = parse(text.left(qsizetype(double(text.size()) * fraction)));
        QCOMPARE(count(part, ImportDiagnostic::Severity::Error), 0);
        QVERIFY(part.records.documents.size() <= whole.records.documents.size());
    }
}

void MarkdownListImporterTest::sniff_data()
{
    QTest::addColumn<QString>("head");
    QTest::addColumn<bool>("mine");
    QTest::newRow("awesome list") << readShared(u"data/paper-lists/awesome-llm-safety-papers.md"_s).left(65536) << true;
    QTest::newRow("link list") << u"# Awesome\n\n## A\n\n- [One Paper](https://e.org/1)\n- [Two Paper](https://e.org/2)\n"_s << true;
    QTest::newRow("table") << u"## Papers\n\n| Title | Year |\n|---|---|\n| [A B](https://e.org) | 2020 |\n"_s << true;
    QTest::newRow("abstracts") << readShared(u"seeds/003_e84dd38198dead75.txt"_s) << false;
    QTest::newRow("bibtex") << u"@article{a,\n  title={A},\n  url={https://e.org}\n}\n"_s << false;
    QTest::newRow("csv") << u"Title,Url\nA,https://e.org\n"_s << false;
    QTest::newRow("json") << u"{\"documents\": [{\"title\": \"- [x](y)\"}]}"_s << false;
    QTest::newRow("seed page") << readShared(u"seeds/000_c9b4ed642a83cae2.txt"_s) << false;
}

void MarkdownListImporterTest::sniff()
{
    QFETCH(QString, head);
    QFETCH(bool, mine);
    QVERIFY(!head.isEmpty());
    const int score = MarkdownListImporter().sniff(head, u"x.md"_s);
    if (mine)
        QVERIFY2(score >= 60, qPrintable(QString::number(score)));
    else
        QVERIFY2(score < 20, qPrintable(QString::number(score)));
}

QTEST_GUILESS_MAIN(MarkdownListImporterTest)
#include "markdownlistimporter_test.moc"

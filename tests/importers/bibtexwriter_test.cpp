// Bibtex::write: entry layout, citation keys, escaping, and the round trip through BibtexImporter
// (written records read back to the same records), for hand-made records and every golden input.
#include "bibteximporter.h"
#include "bibtexwriter.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTest>

using namespace Atlas;
using namespace Qt::StringLiterals;

namespace
{

ParseResult parse(const QString &text)
{
    return BibtexImporter().parse(text, u"test.bib"_s, ImportContext{});
}

// The records as JSON without what a round trip may change: the line and the set-internal key.
QJsonArray comparable(const QList<DocumentRecord> &documents, bool withExtra = true)
{
    RecordSet set;
    set.documents = documents;
    QJsonArray array = set.toJson().value(u"documents"_s).toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        QJsonObject o = array.at(i).toObject();
        o.remove(u"line"_s);
        o.remove(u"key"_s);
        if (!withExtra)
            o.remove(u"extra"_s);
        array[i] = o;
    }
    return array;
}

DocumentRecord record()
{
    DocumentRecord d;
    d.kind = u"article"_s;
    d.title = u"Universal and Transferable Attacks"_s;
    d.authors = {u"Zou, Andy"_s, u"Kolter, J. Zico"_s};
    d.year = 2023;
    return d;
}

} // namespace

class BibtexWriterTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void layout();
    void escape_data();
    void escape();
    void titleBraces_data();
    void titleBraces();
    void citationKeys();
    void roundTrip_data();
    void roundTrip();
    void goldenRoundTrip_data();
    void goldenRoundTrip();
};

void BibtexWriterTest::layout()
{
    DocumentRecord d = record();
    d.kind = u"preprint"_s;
    d.citationKey = u"zou2023"_s;
    d.authors.append(u"OpenAI"_s);
    d.venue = u"arXiv"_s;
    d.arxivId = u"2307.15043"_s;
    d.doi = u"10.48550/arxiv.2307.15043"_s;
    d.url = u"https://arxiv.org/abs/2307.15043"_s;
    d.abstract = u"We attack."_s;
    d.tags = {{u"Robustness to attack"_s, u"Red teaming"_s}, {u"jailbreak"_s}};
    const QString expected = uR"(@misc{zou2023,
  author = {Zou, Andy and Kolter, J. Zico and {OpenAI}},
  title = {{Universal and Transferable Attacks}},
  journal = {arXiv},
  year = {2023},
  doi = {10.48550/arxiv.2307.15043},
  eprint = {2307.15043},
  archiveprefix = {arXiv},
  url = {https://arxiv.org/abs/2307.15043},
  abstract = {We attack.},
  keywords = {Robustness to attack > Red teaming, jailbreak}
}

)"_s;
    QCOMPARE(Bibtex::write({d}), expected);

    DocumentRecord c;
    c.kind = u"paper-conference"_s;
    c.title = u"a title"_s;
    c.venue = u"Proc. of X"_s;
    QVERIFY(Bibtex::write({c}).startsWith(u"@inproceedings{a,\n  title = {a title},\n  booktitle = {Proc. of X}\n}"_s));
}

void BibtexWriterTest::escape_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("escaped");
    QTest::newRow("specials") << u"R&D 50% #1 a_b $5 {x}"_s << uR"(R\&D 50\% \#1 a\_b \$5 \{x\})"_s;
    QTest::newRow("backslash, tilde, caret") << uR"(a\b ~ ^)"_s << uR"(a\textbackslash{}b \textasciitilde{} \textasciicircum{})"_s;
    QTest::newRow("ligatures") << u"a--b ''c'' `d"_s << uR"(a-{}-b '{}'c'{}' \textasciigrave{}d)"_s;
    QTest::newRow("unicode kept") << u"Müller – Łódź"_s << u"Müller – Łódź"_s;
    QTest::newRow("new lines") << u"a\nb"_s << u"a b"_s;
}

void BibtexWriterTest::escape()
{
    QFETCH(QString, text);
    QFETCH(QString, escaped);
    QCOMPARE(Bibtex::escape(text), escaped);
    // Escaped text reads back as the text (white space collapsed).
    QCOMPARE(BibtexImporter::latexToText(escaped), text.simplified());
}

void BibtexWriterTest::titleBraces_data()
{
    QTest::addColumn<QString>("title");
    QTest::addColumn<QString>("line");
    QTest::newRow("capitals") << u"Constitutional AI"_s << u"title = {{Constitutional AI}}"_s;
    QTest::newRow("first capital only") << u"A survey of methods"_s << u"title = {A survey of methods}"_s;
    QTest::newRow("lower case") << u"gpt-free methods"_s << u"title = {gpt-free methods}"_s;
}

void BibtexWriterTest::titleBraces()
{
    QFETCH(QString, title);
    QFETCH(QString, line);
    DocumentRecord d = record();
    d.title = title;
    QVERIFY2(Bibtex::write({d}).contains(line), qPrintable(Bibtex::write({d})));
}

void BibtexWriterTest::citationKeys()
{
    DocumentRecord a = record(); // no key: zou2023universal
    DocumentRecord b = record();
    DocumentRecord c = record();
    c.citationKey = u"zou2023universal"_s; // a given key wins over a generated one
    DocumentRecord d = record();
    d.citationKey = u"bad key,{x}"_s;
    DocumentRecord e;
    e.title = u"«Über» Alles"_s;
    e.authors = {u"Ñúñez, José"_s};
    DocumentRecord f;
    f.title = u"!!!"_s;
    const ParseResult result = parse(Bibtex::write({a, b, c, d, e, f}));
    QCOMPARE(result.records.documents.size(), 6);
    QStringList keys;
    for (const DocumentRecord &r : result.records.documents)
        keys.append(r.citationKey);
    QCOMPARE(keys, (QStringList{u"zou2023universala"_s, u"zou2023universalb"_s, u"zou2023universal"_s, u"badkeyx"_s, u"nunezuber"_s, u"ref"_s}));
    QCOMPARE(result.skipped, 0);
}

void BibtexWriterTest::roundTrip_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("article") << u"article"_s;
    QTest::newRow("paper-conference") << u"paper-conference"_s;
    QTest::newRow("book") << u"book"_s;
    QTest::newRow("report") << u"report"_s;
    QTest::newRow("thesis") << u"thesis"_s;
    QTest::newRow("web") << u"web"_s;
    QTest::newRow("preprint") << u"preprint"_s;
}

void BibtexWriterTest::roundTrip()
{
    QFETCH(QString, kind);
    DocumentRecord d;
    d.kind = kind;
    d.citationKey = u"key-1:x"_s;
    d.title = u"Über {braces}, 100% & R&D #1: snake_case $x$ ~ ^ \\ -- ``quotes'' — A Study"_s;
    d.authors = {u"Müller, Jörg"_s, u"van der Berg, Jan"_s, u"Doe, John, Jr."_s, u"National Institute of Standards and Technology"_s, u"Barnes and Noble, Inc"_s,
                 u"O'Brien, Seán"_s};
    d.year = 2021;
    d.venue = u"Journal of R&D"_s;
    d.doi = u"10.1000/a_b(c)"_s;
    d.arxivId = kind == u"preprint" ? u"2307.15043"_s : QString();
    d.url = u"https://example.org/a_b?x=1%20&y=#z"_s;
    d.abstract = u"We study {x} at 50% — and more."_s;
    d.tags = {{u"Value Misalignment"_s, u"Toxicity"_s}, {u"a, b; c"_s}, {u"plain"_s}};
    d.extra = QJsonObject{{u"pages"_s, u"1–10"_s}, {u"volume"_s, u"3"_s}, {u"note"_s, u"a_note"_s}};
    const QString written = Bibtex::write({d});
    const ParseResult result = parse(written);
    QVERIFY2(result.diagnostics.isEmpty(), qPrintable(result.diagnostics.value(0).toString() + u"\n"_s + written));
    QCOMPARE(comparable(result.records.documents), comparable({d}));
}

void BibtexWriterTest::goldenRoundTrip_data()
{
    QTest::addColumn<QString>("path");
    const QDir inputs(QStringLiteral(ATLAS_SOURCE_DIR "/tests/data/input"));
    const QStringList files = inputs.entryList({u"bibtex__*.bib"_s}, QDir::Files, QDir::Name);
    QVERIFY(files.size() >= 5);
    for (const QString &file : files)
        QTest::newRow(qPrintable(file)) << inputs.filePath(file);
}

void BibtexWriterTest::goldenRoundTrip()
{
    QFETCH(QString, path);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const ParseResult first = parse(QString::fromUtf8(file.readAll()));
    const ParseResult second = parse(Bibtex::write(first.records.documents));
    QCOMPARE(second.skipped, 0);
    // Extra fields the writer leaves out (file paths, langid) aside, the records are the same;
    // duplicate citation keys are made unique.
    QJsonArray before = comparable(first.records.documents, false), after = comparable(second.records.documents, false);
    QCOMPARE(after.size(), before.size());
    for (qsizetype i = 0; i < before.size(); ++i) {
        QJsonObject a = after.at(i).toObject(), b = before.at(i).toObject();
        if (a.value(u"citation_key"_s) != b.value(u"citation_key"_s)) {
            QVERIFY(a.value(u"citation_key"_s).toString().startsWith(b.value(u"citation_key"_s).toString()));
            QVERIFY(std::count_if(before.cbegin(), before.cend(), [&](const QJsonValue &v) { return v.toObject().value(u"citation_key"_s) == b.value(u"citation_key"_s); }) > 1);
            a.remove(u"citation_key"_s);
            b.remove(u"citation_key"_s);
        }
        QCOMPARE(a, b);
    }
    for (qsizetype i = 0; i < first.records.documents.size(); ++i) {
        const QJsonObject before = first.records.documents.at(i).extra;
        const QJsonObject after = second.records.documents.at(i).extra;
        for (auto it = after.begin(); it != after.end(); ++it)
            QCOMPARE(it.value(), before.value(it.key()));
        for (const char *key : {"pages", "month", "volume", "entrytype", "author_role", "note", "date", "editor", "publisher"}) {
            if (before.contains(QLatin1String(key)))
                QCOMPARE(after.value(QLatin1String(key)), before.value(QLatin1String(key)));
        }
    }
}

QTEST_GUILESS_MAIN(BibtexWriterTest)
#include "bibtexwriter_test.moc"

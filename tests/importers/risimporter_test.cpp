// RisImporter: tag-line tolerance, continuation lines, repeated tags, type and field mapping,
// record-level errors, and inputs that must give diagnostics instead of crashing or hanging.
#include "risimporter.h"

#include <QElapsedTimer>
#include <QTest>

using namespace Atlas;
using namespace Qt::StringLiterals;

namespace
{

ParseResult parse(const QString &text)
{
    return RisImporter().parse(text, u"test.ris"_s, ImportContext{});
}

int count(const ParseResult &result, ImportDiagnostic::Severity severity)
{
    return int(std::count_if(result.diagnostics.cbegin(), result.diagnostics.cend(), [severity](const ImportDiagnostic &d) {
        return d.severity == severity;
    }));
}

QString record(const QString &body)
{
    return u"TY  - JOUR\nTI  - A title\nAU  - Doe, Jane\nPY  - 2020\n"_s + body + u"ER  - \n"_s;
}

} // namespace

class RisImporterTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void tagLines_data();
    void tagLines();
    void continuationLines();
    void repeatedTags();
    void kinds_data();
    void kinds();
    void years_data();
    void years();
    void authors_data();
    void authors();
    void arxivAndDoi_data();
    void arxivAndDoi();
    void venueAndExtra();
    void recordErrors_data();
    void recordErrors();
    void truncatedAnywhere();
    void hostileInputs_data();
    void hostileInputs();
    void sniff_data();
    void sniff();
};

void RisImporterTest::tagLines_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("title");
    QTest::addColumn<int>("warnings");
    QTest::newRow("two spaces") << u"TI  - Safety"_s << u"Safety"_s << 0;
    QTest::newRow("one space") << u"TI - Safety"_s << u"Safety"_s << 0;
    QTest::newRow("trailing blanks") << u"TI  - Safety   "_s << u"Safety"_s << 0;
    QTest::newRow("no space before dash") << u"TI- Safety"_s << u"Safety"_s << 1;
    QTest::newRow("no space after dash") << u"TI  -Safety"_s << u"Safety"_s << 1;
    QTest::newRow("leading blank") << u"  TI  - Safety"_s << u"Safety"_s << 1;
    QTest::newRow("tab") << u"TI\t- Safety"_s << u"Safety"_s << 1;
}

void RisImporterTest::tagLines()
{
    QFETCH(QString, line);
    QFETCH(QString, title);
    QFETCH(int, warnings);
    const ParseResult result = parse(u"TY  - JOUR\n"_s + line + u"\nAU  - Doe, Jane\nPY  - 2020\nER  -\n"_s);
    QCOMPARE(result.records.documents.size(), 1);
    QCOMPARE(result.records.documents.first().title, title);
    QCOMPARE(count(result, ImportDiagnostic::Severity::Warning), warnings);
    QCOMPARE(count(result, ImportDiagnostic::Severity::Error), 0);
    if (warnings)
        QCOMPARE(result.diagnostics.first().line, 2);
}

void RisImporterTest::continuationLines()
{
    const ParseResult result = parse(u"TY  - JOUR\nTI  - A long\n   wrapped title\nAU  - Doe, Jane\nPY  - 2020\n"
                                     "AB  - First paragraph\ngoes on.\n\nSecond paragraph.\n"
                                     "US -based text is not a tag: US is no RIS tag\nER  - \n"_s);
    QCOMPARE(result.diagnostics.size(), 0);
    QCOMPARE(result.records.documents.size(), 1);
    const DocumentRecord &d = result.records.documents.first();
    QCOMPARE(d.title, u"A long wrapped title"_s);
    QCOMPARE(d.abstract, u"First paragraph goes on.\n\nSecond paragraph. US -based text is not a tag: US is no RIS tag"_s);
}

void RisImporterTest::repeatedTags()
{
    const ParseResult result = parse(record(u"AU  - Roe, Richard\nA1  - Anna Smith\nKW  - alpha\nKW  - beta\nKW  - Alpha\nKW  - a/b\n"
                                            "UR  - https://example.org/one\nUR  - https://example.org/two\nUR  - https://example.org/three\n"
                                            "AB  - Abstract.\nN2  - Abstract.\nN2  - Another abstract.\nSP  - 1\nSP  - 2\n"_s));
    QCOMPARE(result.records.documents.size(), 1);
    const DocumentRecord &d = result.records.documents.first();
    QCOMPARE(d.authors, (QStringList{u"Doe, Jane"_s, u"Roe, Richard"_s, u"Smith, Anna"_s}));
    QCOMPARE(d.tags, (QList<QStringList>{{u"alpha"_s}, {u"beta"_s}, {u"a-b"_s}}));
    QCOMPARE(d.url, u"https://example.org/one"_s);
    QCOMPARE(d.extra.value(u"UR"_s).toArray().size(), 2);
    QCOMPARE(d.abstract, u"Abstract.\n\nAnother abstract."_s);
    QCOMPARE(d.extra.value(u"SP"_s).toArray().size(), 2);
}

void RisImporterTest::kinds_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("typeInExtra");
    QTest::newRow("JOUR") << u"JOUR"_s << u"article"_s << false;
    QTest::newRow("CONF") << u"CONF"_s << u"paper-conference"_s << false;
    QTest::newRow("CPAPER") << u"CPAPER"_s << u"paper-conference"_s << true;
    QTest::newRow("BOOK") << u"BOOK"_s << u"book"_s << false;
    QTest::newRow("CHAP") << u"CHAP"_s << u"chapter"_s << false;
    QTest::newRow("RPRT") << u"RPRT"_s << u"report"_s << false;
    QTest::newRow("THES") << u"THES"_s << u"thesis"_s << false;
    QTest::newRow("ELEC") << u"ELEC"_s << u"web"_s << false;
    QTest::newRow("WEB") << u"WEB"_s << u"web"_s << true;
    QTest::newRow("UNPB") << u"UNPB"_s << u"preprint"_s << false;
    QTest::newRow("GEN") << u"GEN"_s << u"misc"_s << false;
    QTest::newRow("lower case") << u"jour"_s << u"article"_s << false;
    QTest::newRow("unknown") << u"SOUND"_s << u"misc"_s << true;
}

void RisImporterTest::kinds()
{
    QFETCH(QString, type);
    QFETCH(QString, kind);
    QFETCH(bool, typeInExtra);
    const ParseResult result = parse(u"TY  - %1\nTI  - T\nAU  - Doe, J.\nPY  - 2020\nER  - \n"_s.arg(type));
    QCOMPARE(result.records.documents.size(), 1);
    QCOMPARE(result.records.documents.first().kind, kind);
    QCOMPARE(result.records.documents.first().extra.contains(u"TY"_s), typeInExtra);
}

void RisImporterTest::years_data()
{
    QTest::addColumn<QString>("lines");
    QTest::addColumn<int>("year");
    QTest::addColumn<QString>("keptInExtra");
    QTest::newRow("PY") << u"PY  - 2021"_s << 2021 << QString();
    QTest::newRow("old Y1") << u"Y1  - 2019///"_s << 2019 << QString();
    QTest::newRow("full date kept") << u"Y1  - 2019/05/12/"_s << 2019 << u"Y1"_s;
    QTest::newRow("DA only") << u"DA  - 2018/03/"_s << 2018 << u"DA"_s;
    QTest::newRow("PY before DA") << u"DA  - 2018/03/\nPY  - 2017"_s << 2017 << u"DA"_s;
    QTest::newRow("circa") << u"PY  - c1999"_s << 1999 << QString();
    QTest::newRow("no five digits") << u"PY  - 12345 2003"_s << 2003 << QString();
    QTest::newRow("none") << u"PY  - n.d."_s << 0 << u"PY"_s;
}

void RisImporterTest::years()
{
    QFETCH(QString, lines);
    QFETCH(int, year);
    QFETCH(QString, keptInExtra);
    const ParseResult result = parse(u"TY  - JOUR\nTI  - T\nAU  - Doe, J.\n"_s + lines + u"\nER  - \n"_s);
    QCOMPARE(result.records.documents.size(), 1);
    const DocumentRecord &d = result.records.documents.first();
    QCOMPARE(d.year.value_or(0), year);
    if (!keptInExtra.isEmpty())
        QVERIFY(d.extra.contains(keptInExtra));
    QCOMPARE(count(result, ImportDiagnostic::Severity::Warning), year ? 0 : 1);
}

void RisImporterTest::authors_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("author");
    QTest::newRow("last, first") << u"Amodei, Dario"_s << u"Amodei, Dario"_s;
    QTest::newRow("first last") << u"Dario Amodei"_s << u"Amodei, Dario"_s;
    QTest::newRow("initials") << u"Kolter, J. Zico"_s << u"Kolter, J. Zico"_s;
    QTest::newRow("suffix") << u"King, Martin, Jr."_s << u"King, Martin, Jr."_s;
    QTest::newRow("corporate") << u"National Institute of Standards and Technology"_s << u"National Institute of Standards and Technology"_s;
    QTest::newRow("braced") << u"{OpenAI}"_s << u"OpenAI"_s;
    QTest::newRow("one word") << u"Anthropic"_s << u"Anthropic"_s;
}

void RisImporterTest::authors()
{
    QFETCH(QString, value);
    QFETCH(QString, author);
    const ParseResult result = parse(u"TY  - JOUR\nTI  - T\nAU  - %1\nPY  - 2020\nER  - \n"_s.arg(value));
    QCOMPARE(result.records.documents.size(), 1);
    QCOMPARE(result.records.documents.first().authors, QStringList{author});
}

void RisImporterTest::arxivAndDoi_data()
{
    QTest::addColumn<QString>("lines");
    QTest::addColumn<QString>("arxivId");
    QTest::addColumn<QString>("doi");
    QTest::addColumn<QString>("kind");
    QTest::newRow("abs url") << u"TY  - JOUR\nUR  - https://arxiv.org/abs/2307.15043v2"_s << u"2307.15043"_s << QString() << u"article"_s;
    QTest::newRow("pdf url, second link") << u"TY  - JOUR\nUR  - https://x.org\nUR  - https://arxiv.org/pdf/2202.03286"_s << u"2202.03286"_s << QString()
                                          << u"article"_s;
    QTest::newRow("N1") << u"TY  - GEN\nN1  - arXiv:2008.02275 [cs]"_s << u"2008.02275"_s << QString() << u"preprint"_s;
    QTest::newRow("M3 old style") << u"TY  - GEN\nM3  - arXiv:hep-th/9901001"_s << u"hep-th/9901001"_s << QString() << u"preprint"_s;
    QTest::newRow("arXiv DOI") << u"TY  - UNPB\nDO  - 10.48550/arXiv.2212.08073"_s << u"2212.08073"_s << u"10.48550/arxiv.2212.08073"_s << u"preprint"_s;
    QTest::newRow("doi url") << u"TY  - JOUR\nDO  - https://doi.org/10.1038/S42256-019-0088-2"_s << QString() << u"10.1038/s42256-019-0088-2"_s << u"article"_s;
    QTest::newRow("doi from link") << u"TY  - JOUR\nUR  - https://dx.doi.org/10.1145/3442188.3445922"_s << QString() << u"10.1145/3442188.3445922"_s
                                   << u"article"_s;
    QTest::newRow("generic without arXiv") << u"TY  - GEN"_s << QString() << QString() << u"misc"_s;
}

void RisImporterTest::arxivAndDoi()
{
    QFETCH(QString, lines);
    QFETCH(QString, arxivId);
    QFETCH(QString, doi);
    QFETCH(QString, kind);
    const ParseResult result = parse(lines + u"\nTI  - T\nAU  - Doe, J.\nPY  - 2020\nER  - \n"_s);
    QCOMPARE(result.records.documents.size(), 1);
    const DocumentRecord &d = result.records.documents.first();
    QCOMPARE(d.arxivId, arxivId);
    QCOMPARE(d.doi, doi);
    QCOMPARE(d.kind, kind);
}

void RisImporterTest::venueAndExtra()
{
    const ParseResult result = parse(u"TY  - JOUR\nT1  - T\nTI  - T\nJO  - Nat. Mach. Intell.\nT2  - Nature Machine Intelligence\nAU  - Doe, J.\n"
                                     "PY  - 2020\nID  - doe2020\nVL  - 1\nZZ  - unknown tag\nER  - \n"_s);
    QCOMPARE(result.records.documents.size(), 1);
    const DocumentRecord &d = result.records.documents.first();
    QCOMPARE(d.venue, u"Nature Machine Intelligence"_s);
    QCOMPARE(d.citationKey, u"doe2020"_s);
    QCOMPARE(d.extra.value(u"JO"_s).toString(), u"Nat. Mach. Intell."_s);
    QCOMPARE(d.extra.value(u"VL"_s).toString(), u"1"_s);
    QCOMPARE(d.extra.value(u"ZZ"_s).toString(), u"unknown tag"_s);
    QVERIFY(!d.extra.contains(u"T1"_s)); // the same title twice is no extra field
    QVERIFY(!d.extra.contains(u"TI"_s));
}

void RisImporterTest::recordErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("documents");
    QTest::addColumn<int>("skipped");
    QTest::addColumn<int>("errorLine");
    QTest::newRow("no title") << u"TY  - JOUR\nAU  - Doe, J.\nER  - \n"_s << 0 << 1 << 1;
    QTest::newRow("tag before TY") << u"\nAU  - Doe, J.\nTI  - T\nER  - \n"_s + record(QString()) << 1 << 1 << 2;
    QTest::newRow("no ER at the end") << record(QString()) + u"TY  - JOUR\nTI  - cut\n"_s << 1 << 1 << 6;
    QTest::newRow("no ER before TY") << u"TY  - JOUR\nTI  - first\n"_s + record(QString()) << 1 << 1 << 1;
    QTest::newRow("book title in BT") << u"TY  - BOOK\nBT  - A book\nAU  - Doe, J.\nPY  - 2001\nER  - \n"_s << 1 << 0 << 0;
    QTest::newRow("title only in BT of an article") << u"TY  - JOUR\nBT  - A book\nER  - \n"_s << 0 << 1 << 1;
}

void RisImporterTest::recordErrors()
{
    QFETCH(QString, text);
    QFETCH(int, documents);
    QFETCH(int, skipped);
    QFETCH(int, errorLine);
    const ParseResult result = parse(text);
    QCOMPARE(result.records.documents.size(), documents);
    QCOMPARE(result.skipped, skipped);
    QCOMPARE(count(result, ImportDiagnostic::Severity::Error), skipped);
    if (errorLine) {
        const auto error = std::find_if(result.diagnostics.cbegin(), result.diagnostics.cend(), [](const ImportDiagnostic &d) {
            return d.severity == ImportDiagnostic::Severity::Error;
        });
        QCOMPARE(error->line, errorLine);
        QCOMPARE(error->file, u"test.ris"_s);
    }
}

void RisImporterTest::truncatedAnywhere()
{
    // Cut a two-record file at every character: a record counts once its "ER  -" is complete; a
    // cut between a record's "TY  -" and that point is one error; nothing crashes.
    const QString first = record(u"KW  - k\nAB  - an abstract\n  continued\n"_s);
    const QString text = first + u"\n"_s + record(QString());
    const qsizetype firstEnd = first.lastIndexOf(u"ER  -"_s) + 5;
    const qsizetype secondStart = first.size() + 1;
    const qsizetype secondEnd = text.lastIndexOf(u"ER  -"_s) + 5;
    for (qsizetype cut = 0; cut <= text.size(); ++cut) {
        const ParseResult result = parse(text.left(cut));
        const int documents = cut >= secondEnd ? 2 : cut >= firstEnd ? 1 : 0;
        const bool open = (cut >= 5 && cut < firstEnd) || (cut >= secondStart + 5 && cut < secondEnd);
        QVERIFY2(result.records.documents.size() == documents, qPrintable(u"cut at %1"_s.arg(cut)));
        QVERIFY2(count(result, ImportDiagnostic::Severity::Error) == (open ? 1 : 0), qPrintable(u"cut at %1"_s.arg(cut)));
        QCOMPARE(result.skipped, open ? 1 : 0);
    }
}

void RisImporterTest::hostileInputs_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("documents");
    QTest::addColumn<bool>("diagnosed");
    QString junk;
    for (int i = 0; i < 20000; ++i)
        junk.append(QChar(char16_t(1 + (i * 7919) % 0xD000)));
    QTest::newRow("empty") << QString() << 0 << true;
    QTest::newRow("blank lines") << u"\n\n   \n"_s << 0 << true;
    QTest::newRow("binary junk") << junk << 0 << true;
    QTest::newRow("junk with dashes") << u"AB - - -\n-\n  -  \nER\nTY\nTY  -\n"_s.repeated(500) << 0 << true;
    QTest::newRow("only ER") << u"ER  - \n"_s.repeated(1000) << 0 << true;
    QTest::newRow("huge continuation") << u"TY  - JOUR\nTI  - T\nAU  - A, B\nPY  - 2000\nAB  - x\n"_s + QString(20'000'000, u'y') + u"\nER  - \n"_s << 1 << false;
    QTest::newRow("huge tag value") << u"TY  - JOUR\nTI  - "_s + QString(20'000'000, u'z') + u"\nAU  - A, B\nPY  - 2000\nER  - \n"_s << 1 << false;
    QTest::newRow("many continuations") << u"TY  - JOUR\nTI  - T\nAU  - A, B\nPY  - 2000\nAB  - x\n"_s + u"more text\n"_s.repeated(200000) + u"ER  - \n"_s << 1
                                        << false;
    QTest::newRow("many repeated tags") << record(u"SP  - 1\nKW  - k\nAU  - A, B\nUR  - https://x.org\n"_s.repeated(50000)) << 1 << false;
    QTest::newRow("many records") << record(QString()).repeated(20000) << 20000 << false;
}

void RisImporterTest::hostileInputs()
{
    QFETCH(QString, text);
    QFETCH(int, documents);
    QFETCH(bool, diagnosed);
    QElapsedTimer timer;
    timer.start();
    const ParseResult result = parse(text);
    QCOMPARE(result.records.documents.size(), documents);
    QCOMPARE(!result.diagnostics.isEmpty(), diagnosed);
    // A guard against a quadratic parse, not a speed target: generous for loaded or sanitizer builds.
    QVERIFY2(timer.elapsed() < 60000, "parsing must stay linear");
}

void RisImporterTest::sniff_data()
{
    QTest::addColumn<QString>("head");
    QTest::addColumn<bool>("claimed");
    QTest::newRow("Zotero") << u"TY  - JOUR\nTI  - x\n"_s << true;
    QTest::newRow("blank lines first") << u"\n\n  \nTY  - BOOK\n"_s << true;
    QTest::newRow("one space") << u"TY - JOUR\n"_s << true;
    QTest::newRow("preamble") << u"Exported from EndNote\n\nTY  - JOUR\n"_s << true;
    QTest::newRow("markdown") << u"# Papers\n\n- [A](https://x.org)\n"_s << false;
    QTest::newRow("bibtex") << u"@article{x,\n  title = {T},\n}\n"_s << false;
    QTest::newRow("json") << u"[{\"type\": \"article\", \"title\": \"T\"}]"_s << false;
    QTest::newRow("TY later in text") << u"a\nb\nc\nd\ne\nf\ng\nh\ni\nTY  - JOUR\n"_s << false;
    QTest::newRow("empty TY") << u"TY  - \n"_s << false;
    QTest::newRow("empty") << QString() << false;
}

void RisImporterTest::sniff()
{
    QFETCH(QString, head);
    QFETCH(bool, claimed);
    const int score = RisImporter().sniff(head, u"x.txt"_s);
    QVERIFY2(claimed ? score >= 60 : score == 0, qPrintable(QString::number(score)));
}

QTEST_GUILESS_MAIN(RisImporterTest)
#include "risimporter_test.moc"

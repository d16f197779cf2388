// CslJsonImporter: names, dates, types, arXiv ids and keywords as CSL-JSON writers spell them;
// wrong-type values, invalid and hostile JSON give diagnostics and never crash.
#include "csljsonimporter.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Atlas;
using namespace Qt::StringLiterals;

namespace
{

ParseResult parse(const QString &text)
{
    return CslJsonImporter().parse(text, u"test.json"_s, ImportContext{});
}

ParseResult parseItem(const QJsonObject &item)
{
    return parse(QString::fromUtf8(QJsonDocument(QJsonArray{item}).toJson()));
}

int count(const ParseResult &result, ImportDiagnostic::Severity severity)
{
    return int(std::count_if(result.diagnostics.cbegin(), result.diagnostics.cend(), [severity](const ImportDiagnostic &d) {
        return d.severity == severity;
    }));
}

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(text).object();
}

QJsonObject baseItem()
{
    return json(R"({"id": "k", "type": "article-journal", "title": "T", "author": [{"family": "Doe", "given": "Jane"}],
                   "issued": {"date-parts": [[2020]]}})");
}

} // namespace

class CslJsonImporterTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void names_data();
    void names();
    void issued_data();
    void issued();
    void kinds_data();
    void kinds();
    void arxiv_data();
    void arxiv();
    void keywords_data();
    void keywords();
    void citationKeyAndExtra();
    void wrongTypesNeverCrash();
    void itemLines();
    void invalidJson_data();
    void invalidJson();
    void truncatedAnywhere();
    void hostileInputs_data();
    void hostileInputs();
    void sniff_data();
    void sniff();
};

void CslJsonImporterTest::names_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expected");
    QTest::newRow("family, given") << uR"({"family": "Jobin", "given": "Anna"})"_s << u"Jobin, Anna"_s;
    QTest::newRow("non-dropping particle") << uR"({"family": "Berg", "given": "Jan", "non-dropping-particle": "van der"})"_s << u"van der Berg, Jan"_s;
    QTest::newRow("dropping particle") << uR"({"family": "Beethoven", "given": "Ludwig", "dropping-particle": "van"})"_s << u"Beethoven, Ludwig van"_s;
    QTest::newRow("suffix") << uR"({"family": "King", "given": "Martin Luther", "suffix": "Jr."})"_s << u"King, Martin Luther, Jr."_s;
    QTest::newRow("literal") << uR"({"literal": "National Institute of Standards and Technology"})"_s
                             << u"National Institute of Standards and Technology"_s;
    QTest::newRow("family only") << uR"({"family": "OpenAI"})"_s << u"OpenAI"_s;
    QTest::newRow("given only") << uR"({"given": "Plato"})"_s << u"Plato"_s;
    QTest::newRow("string") << uR"("Dario Amodei")"_s << u"Amodei, Dario"_s;
    QTest::newRow("extra blanks") << uR"({"family": " Doe ", "given": "  Jane   Q. "})"_s << u"Doe, Jane Q."_s;
}

void CslJsonImporterTest::names()
{
    QFETCH(QString, name);
    QFETCH(QString, expected);
    const ParseResult result = parse(uR"([{"type": "book", "title": "T", "issued": {"date-parts": [[2020]]}, "author": [%1]}])"_s.arg(name));
    QCOMPARE(result.records.documents.size(), 1);
    QCOMPARE(result.records.documents.first().authors, QStringList{expected});
    QCOMPARE(result.diagnostics.size(), 0);
}

void CslJsonImporterTest::issued_data()
{
    QTest::addColumn<QString>("issued");
    QTest::addColumn<int>("year");
    QTest::addColumn<bool>("keptInExtra");
    QTest::newRow("date-parts year") << uR"({"date-parts": [[2024]]})"_s << 2024 << false;
    QTest::newRow("date-parts full") << uR"({"date-parts": [[2024, 5, 1]]})"_s << 2024 << true;
    QTest::newRow("date-parts strings") << uR"({"date-parts": [["2019", "9"]]})"_s << 2019 << true;
    QTest::newRow("raw year") << uR"({"raw": "2024"})"_s << 2024 << false;
    QTest::newRow("raw date") << uR"({"raw": "2021-03-04"})"_s << 2021 << true;
    QTest::newRow("literal") << uR"({"literal": "Spring 2023"})"_s << 2023 << true;
    QTest::newRow("plain string") << uR"("2022-01")"_s << 2022 << true;
    QTest::newRow("number") << uR"(2017)"_s << 2017 << false;
    QTest::newRow("empty date-parts") << uR"({"date-parts": [[]]})"_s << 0 << true;
    QTest::newRow("no year in literal") << uR"({"literal": "forthcoming"})"_s << 0 << true;
    QTest::newRow("date-parts not a list") << uR"({"date-parts": 5})"_s << 0 << true;
    QTest::newRow("boolean") << uR"(true)"_s << 0 << true;
}

void CslJsonImporterTest::issued()
{
    QFETCH(QString, issued);
    QFETCH(int, year);
    QFETCH(bool, keptInExtra);
    const ParseResult result = parse(uR"([{"type": "book", "title": "T", "author": ["A B"], "issued": %1}])"_s.arg(issued));
    QCOMPARE(result.records.documents.size(), 1);
    const DocumentRecord &d = result.records.documents.first();
    QCOMPARE(d.year.value_or(0), year);
    QCOMPARE(d.extra.contains(u"issued"_s), keptInExtra);
    QCOMPARE(count(result, ImportDiagnostic::Severity::Warning), year ? 0 : 1);
}

void CslJsonImporterTest::kinds_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("typeInExtra");
    QTest::newRow("article-journal") << u"article-journal"_s << u"article"_s << false;
    QTest::newRow("article-magazine") << u"article-magazine"_s << u"article"_s << true;
    QTest::newRow("paper-conference") << u"paper-conference"_s << u"paper-conference"_s << false;
    QTest::newRow("book") << u"book"_s << u"book"_s << false;
    QTest::newRow("chapter") << u"chapter"_s << u"chapter"_s << false;
    QTest::newRow("report") << u"report"_s << u"report"_s << false;
    QTest::newRow("thesis") << u"thesis"_s << u"thesis"_s << false;
    QTest::newRow("webpage") << u"webpage"_s << u"web"_s << false;
    QTest::newRow("post-weblog") << u"post-weblog"_s << u"web"_s << true;
    QTest::newRow("article") << u"article"_s << u"preprint"_s << false;
    QTest::newRow("dataset") << u"dataset"_s << u"dataset"_s << false;
    QTest::newRow("unknown") << u"legal_case"_s << u"misc"_s << true;
}

void CslJsonImporterTest::kinds()
{
    QFETCH(QString, type);
    QFETCH(QString, kind);
    QFETCH(bool, typeInExtra);
    QJsonObject item = baseItem();
    item.insert(u"type"_s, type);
    const ParseResult result = parseItem(item);
    QCOMPARE(result.records.documents.size(), 1);
    QCOMPARE(result.records.documents.first().kind, kind);
    QCOMPARE(result.records.documents.first().extra.contains(u"type"_s), typeInExtra);
}

void CslJsonImporterTest::arxiv_data()
{
    QTest::addColumn<QString>("members");
    QTest::addColumn<QString>("arxivId");
    QTest::newRow("URL") << uR"("URL": "https://arxiv.org/abs/2212.08073v2")"_s << u"2212.08073"_s;
    QTest::newRow("arXiv DOI") << uR"("DOI": "10.48550/arXiv.2212.08073")"_s << u"2212.08073"_s;
    QTest::newRow("number with prefix") << uR"("archive": "arXiv", "number": "arXiv:2306.12001")"_s << u"2306.12001"_s;
    QTest::newRow("bare number") << uR"("archive": "arXiv", "number": "2306.12001v6")"_s << u"2306.12001"_s;
    QTest::newRow("publisher arXiv") << uR"("publisher": "arXiv", "number": "2306.12001")"_s << u"2306.12001"_s;
    QTest::newRow("bare number elsewhere") << uR"("archive": "SSRN", "number": "2306.12001")"_s << QString();
    QTest::newRow("note") << uR"("note": "arXiv: 2008.02275 [cs]")"_s << u"2008.02275"_s;
    QTest::newRow("container") << uR"("container-title": "arXiv preprint arXiv:1606.06565")"_s << u"1606.06565"_s;
    QTest::newRow("none") << uR"("URL": "https://example.org/2212.08073")"_s << QString();
}

void CslJsonImporterTest::arxiv()
{
    QFETCH(QString, members);
    QFETCH(QString, arxivId);
    const ParseResult result = parse(uR"([{"type": "article", "title": "T", "author": ["A B"], "issued": 2020, %1}])"_s.arg(members));
    QCOMPARE(result.records.documents.size(), 1);
    QCOMPARE(result.records.documents.first().arxivId, arxivId);
}

void CslJsonImporterTest::keywords_data()
{
    QTest::addColumn<QString>("keyword");
    QTest::addColumn<QList<QStringList>>("tags");
    QTest::newRow("comma separated") << uR"("a, b ,c")"_s << QList<QStringList>{{u"a"_s}, {u"b"_s}, {u"c"_s}};
    QTest::newRow("semicolons") << uR"("a; b")"_s << QList<QStringList>{{u"a"_s}, {u"b"_s}};
    QTest::newRow("duplicates and slashes") << uR"("RLHF/RLAIF, x, X, ")"_s << QList<QStringList>{{u"RLHF-RLAIF"_s}, {u"x"_s}};
    QTest::newRow("array") << uR"(["one", "two", 3])"_s << QList<QStringList>{{u"one"_s}, {u"two"_s}};
    QTest::newRow("wrong type") << uR"({"a": 1})"_s << QList<QStringList>{};
}

void CslJsonImporterTest::keywords()
{
    QFETCH(QString, keyword);
    QFETCH(QList<QStringList>, tags);
    const ParseResult result = parse(uR"([{"type": "book", "title": "T", "author": ["A B"], "issued": 2020, "keyword": %1}])"_s.arg(keyword));
    QCOMPARE(result.records.documents.size(), 1);
    QCOMPARE(result.records.documents.first().tags, tags);
}

void CslJsonImporterTest::citationKeyAndExtra()
{
    QJsonObject item = baseItem();
    item.insert(u"id"_s, 42);
    item.insert(u"page"_s, u"1-10"_s);
    item.insert(u"container-title"_s, u"Journal"_s);
    item.insert(u"DOI"_s, u"https://doi.org/10.1000/ABC"_s);
    item.insert(u"abstract"_s, u"<p>Not HTML to us.</p>"_s);
    ParseResult result = parseItem(item);
    QCOMPARE(result.records.documents.size(), 1);
    DocumentRecord d = result.records.documents.first();
    QCOMPARE(d.citationKey, u"42"_s);
    QCOMPARE(d.venue, u"Journal"_s);
    QCOMPARE(d.doi, u"10.1000/abc"_s);
    QCOMPARE(d.abstract, u"<p>Not HTML to us.</p>"_s);
    QCOMPARE(d.extra, (QJsonObject{{u"page"_s, u"1-10"_s}}));

    item.insert(u"citation-key"_s, u"doe2020"_s);
    result = parseItem(item);
    d = result.records.documents.first();
    QCOMPARE(d.citationKey, u"doe2020"_s);
    QCOMPARE(d.extra.value(u"id"_s).toInt(), 42);
}

void CslJsonImporterTest::wrongTypesNeverCrash()
{
    // Every member the importer reads, with every JSON type: no crash, and the item is read or
    // skipped with a diagnostic.
    const QStringList members{u"type"_s, u"title"_s, u"author"_s, u"editor"_s, u"issued"_s, u"container-title"_s, u"event-title"_s, u"DOI"_s,
                              u"URL"_s, u"archive"_s, u"publisher"_s, u"number"_s, u"note"_s, u"abstract"_s, u"keyword"_s, u"id"_s, u"citation-key"_s};
    const QList<QJsonValue> values{QJsonValue(), QJsonValue(true), QJsonValue(5), QJsonValue(-1.5e300), QJsonValue(u""_s), QJsonArray{},
                                   QJsonArray{1, u"x"_s, QJsonArray{}}, QJsonObject{}, QJsonObject{{u"date-parts"_s, QJsonArray{QJsonArray{u"x"_s}}}}};
    for (const QString &member : members) {
        for (const QJsonValue &value : values) {
            QJsonObject item = baseItem();
            item.insert(member, value);
            const ParseResult result = parseItem(item);
            QCOMPARE(result.records.documents.size() + result.skipped, 1);
            if (result.skipped)
                QCOMPARE(member, u"title"_s);
        }
    }
}

void CslJsonImporterTest::itemLines()
{
    const ParseResult result = parse(u"[\n  {\"title\": \"a\", \"type\": \"book\", \"issued\": 2001, \"author\": [\"A B\"], \"note\": \"[{,\\\"]\"},\n\n"
                                     "  7,\n  {\n    \"type\": \"book\"\n  }\n]\n"_s);
    QCOMPARE(result.records.documents.size(), 1);
    QCOMPARE(result.records.documents.first().line, 2);
    QCOMPARE(result.skipped, 2);
    QCOMPARE(result.diagnostics.size(), 2);
    QCOMPARE(result.diagnostics.at(0).line, 4);
    QCOMPARE(result.diagnostics.at(1).line, 5);
}

void CslJsonImporterTest::invalidJson_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("line");
    QTest::newRow("missing comma") << u"[\n{\"title\": \"a\"\n\"type\": \"book\"}\n]"_s << 3;
    QTest::newRow("after multibyte text") << u"[\n{\"title\": \"ääää\u4e2d\u6587\",\n\"type\": \"book\",,}\n]"_s << 3;
    QTest::newRow("trailing garbage") << u"[]\n\nx"_s << 3;
    QTest::newRow("scalar root") << u"\"just a string\""_s << 1;
    QTest::newRow("library json") << uR"({"format": "mitigation-atlas-library", "version": 1})"_s << 1;
}

void CslJsonImporterTest::invalidJson()
{
    QFETCH(QString, text);
    QFETCH(int, line);
    const ParseResult result = parse(text);
    QVERIFY(result.records.isEmpty());
    QCOMPARE(result.diagnostics.size(), 1);
    QCOMPARE(result.diagnostics.first().severity, ImportDiagnostic::Severity::Error);
    QCOMPARE(result.diagnostics.first().line, line);
}

void CslJsonImporterTest::truncatedAnywhere()
{
    const QString text = uR"([{"id": "a", "type": "book", "title": "T", "author": [{"family": "D", "given": "J"}], "issued": {"date-parts": [[2020]]}},
 {"id": "b", "type": "book", "title": "U", "author": ["X Y"], "issued": {"raw": "2021"}}])"_s;
    for (qsizetype cut = 1; cut < text.size(); ++cut) {
        const ParseResult result = parse(text.left(cut));
        QVERIFY2(result.records.isEmpty(), qPrintable(u"cut at %1"_s.arg(cut)));
        QVERIFY2(count(result, ImportDiagnostic::Severity::Error) == 1, qPrintable(u"cut at %1"_s.arg(cut)));
    }
    QCOMPARE(parse(text).records.documents.size(), 2);
}

void CslJsonImporterTest::hostileInputs_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("documents");
    QTest::addColumn<int>("errors");
    QString junk;
    for (int i = 0; i < 20000; ++i)
        junk.append(QChar(char16_t(1 + (i * 7919) % 0xD000)));
    QTest::newRow("empty") << QString() << 0 << 0;
    QTest::newRow("blank") << u" \n\t\n"_s << 0 << 0;
    QTest::newRow("empty array") << u"[]"_s << 0 << 0;
    QTest::newRow("binary junk") << junk << 0 << 1;
    QTest::newRow("deep arrays") << QString(10000, u'[') + QString(10000, u']') << 0 << 1;
    QTest::newRow("deep objects") << u"["_s + u"{\"a\":"_s.repeated(10000) + u"1"_s + QString(10000, u'}') + u"]"_s << 0 << 1;
    QTest::newRow("deep unclosed") << QString(100000, u'[') << 0 << 1;
    QTest::newRow("huge title") << uR"([{"type": "book", "author": ["A B"], "issued": 2000, "title": ")"_s + QString(20'000'000, u'x') + uR"("}])"_s << 1 << 0;
    QTest::newRow("huge unterminated string") << uR"([{"title": ")"_s + QString(20'000'000, u'x') << 0 << 1;
    QTest::newRow("many items") << u"["_s + uR"({"type": "book", "title": "T", "author": ["A B"], "issued": 2000},)"_s.repeated(50000)
            + uR"({"type": "book", "title": "T", "author": ["A B"], "issued": 2000}])"_s
                                << 50001 << 0;
}

void CslJsonImporterTest::hostileInputs()
{
    QFETCH(QString, text);
    QFETCH(int, documents);
    QFETCH(int, errors);
    QElapsedTimer timer;
    timer.start();
    const ParseResult result = parse(text);
    QCOMPARE(result.records.documents.size(), documents);
    QCOMPARE(count(result, ImportDiagnostic::Severity::Error), errors);
    if (documents == 0)
        QVERIFY(!result.diagnostics.isEmpty());
    // A guard against a quadratic parse, not a speed target: generous for loaded or sanitizer builds.
    QVERIFY2(timer.elapsed() < 60000, "parsing must stay linear");
}

void CslJsonImporterTest::sniff_data()
{
    QTest::addColumn<QString>("head");
    QTest::addColumn<int>("minimum");
    QTest::addColumn<int>("maximum");
    QTest::newRow("Zotero array") << uR"([
	{
		"id": "http://zotero.org/users/local/x/items/Y",
		"type": "article-journal",
		"author": [{"family": "A", "given": "B"}],
		"title": "T")"_s << 60
                                  << 100;
    QTest::newRow("single item") << uR"({"type": "book", "issued": {"date-parts": [[2020]]}})"_s << 60 << 100;
    QTest::newRow("type nested only") << uR"([{"author": [{"type": "x"}], "title": "T", "issued": 2000}])"_s << 1 << 40;
    QTest::newRow("library json") << uR"({"format": "mitigation-atlas-library", "version": 1, "documents": [{"type": "x", "title": "T"}]})"_s << 0 << 0;
    QTest::newRow("library json, type first") << uR"({"type": "x", "title": "T", "format": "mitigation-atlas-library"})"_s << 0 << 0;
    QTest::newRow("other json") << uR"({"name": "package", "version": "1.0", "type": "module"})"_s << 0 << 0;
    QTest::newRow("array of numbers") << u"[1, 2, 3]"_s << 0 << 0;
    QTest::newRow("ris") << u"TY  - JOUR\nTI  - T\n"_s << 0 << 0;
    QTest::newRow("cut in a key") << uR"([{"type": "book", "tit)"_s << 0 << 0;
    QTest::newRow("empty") << QString() << 0 << 0;
}

void CslJsonImporterTest::sniff()
{
    QFETCH(QString, head);
    QFETCH(int, minimum);
    QFETCH(int, maximum);
    const int score = CslJsonImporter().sniff(head, u"x.json"_s);
    QVERIFY2(score >= minimum && score <= maximum, qPrintable(QString::number(score)));
}

QTEST_GUILESS_MAIN(CslJsonImporterTest)
#include "csljsonimporter_test.moc"

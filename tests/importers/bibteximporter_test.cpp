// BibtexImporter: LaTeX to text, name lists, the value syntax (macros, #, delimiters), field
// mapping, and malformed input (truncated anywhere, junk, deep nesting, huge lines) that must give
// diagnostics and never crash or hang.
#include "bibteximporter.h"

#include <QElapsedTimer>
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

QStringList messages(const ParseResult &result, ImportDiagnostic::Severity severity)
{
    QStringList list;
    for (const ImportDiagnostic &d : result.diagnostics) {
        if (d.severity == severity)
            list.append(QString::number(d.line) + u": "_s + d.message);
    }
    return list;
}

} // namespace

class BibtexImporterTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void latexToText_data();
    void latexToText();
    void names_data();
    void names();
    void values_data();
    void values();
    void fields();
    void kinds_data();
    void kinds();
    void keywords();
    void diagnostics_data();
    void diagnostics();
    void truncatedAnywhere();
    void hostileInput_data();
    void hostileInput();
    void sniff_data();
    void sniff();
};

void BibtexImporterTest::latexToText_data()
{
    QTest::addColumn<QString>("latex");
    QTest::addColumn<QString>("text");
    QTest::newRow("umlaut") << uR"(M\"uller)"_s << u"Müller"_s;
    QTest::newRow("braced accent") << uR"(M{\"u}ller)"_s << u"Müller"_s;
    QTest::newRow("accent with braced argument") << uR"(M\"{u}ller)"_s << u"Müller"_s;
    QTest::newRow("acute") << uR"(Caf\'e)"_s << u"Café"_s;
    QTest::newRow("dotless i") << uR"(Garc\'{\i}a)"_s << u"García"_s;
    QTest::newRow("caron") << uR"(\v{C}apek \v{s})"_s << u"Čapek š"_s;
    QTest::newRow("cedilla") << uR"(Fran\c{c}ois, Fran\c cois)"_s << u"François, François"_s;
    QTest::newRow("eszett") << uR"(Stra\ss e, Stra{\ss}e)"_s << u"Straße, Straße"_s;
    QTest::newRow("o slash") << uR"(J\o rgen {\O}ystein)"_s << u"Jørgen Øystein"_s;
    QTest::newRow("ring") << uR"({\aa}se \AA{}ngstr\"om)"_s << u"åse Ångström"_s;
    QTest::newRow("escapes") << uR"(R\&D 50\% a\_b \#1 \$5 \{x\})"_s << u"R&D 50% a_b #1 $5 {x}"_s;
    QTest::newRow("tie") << u"a~b"_s << u"a b"_s;
    QTest::newRow("dashes") << u"1--2 a---b c-d"_s << u"1–2 a—b c-d"_s;
    QTest::newRow("text dashes") << uR"(a\textendash b\textemdash{}c)"_s << u"a–b—c"_s;
    QTest::newRow("quotes") << u"``hi'' `x'"_s << u"“hi” ‘x'"_s;
    QTest::newRow("math kept") << uR"($\alpha$-divergence and $O(n^{2})$)"_s << uR"($\alpha$-divergence and $O(n^{2})$)"_s;
    QTest::newRow("protective braces") << u"{GPT}-4 and {{BERT}}"_s << u"GPT-4 and BERT"_s;
    QTest::newRow("formatting") << uR"(\textit{Stra{\ss}e} \emph{x} \textbf{bold})"_s << u"Straße x bold"_s;
    QTest::newRow("unknown command kept") << uR"(a \foo{bar} b)"_s << uR"(a \foo{bar} b)"_s;
    QTest::newRow("white space") << u"  a \n\t b  "_s << u"a b"_s;
    QTest::newRow("spacing accents") << uR"(\~{} \^{})"_s << u"~ ^"_s;
    QTest::newRow("escaped backslash") << uR"(\textbackslash{}n)"_s << uR"(\n)"_s;
    QTest::newRow("lonely backslash") << uR"(a\)"_s << u"a"_s;
    QTest::newRow("unclosed math") << uR"(a $x)"_s << uR"(a $x)"_s;
    QTest::newRow("accent at end") << uR"(a\")"_s << u"a\""_s;
    QTest::newRow("unbalanced close") << u"a}b"_s << u"ab"_s;
}

void BibtexImporterTest::latexToText()
{
    QFETCH(QString, latex);
    QFETCH(QString, text);
    QCOMPARE(BibtexImporter::latexToText(latex), text);
}

void BibtexImporterTest::names_data()
{
    QTest::addColumn<QString>("names");
    QTest::addColumn<QStringList>("authors");
    QTest::newRow("last, first") << u"Zou, Andy and Wang, Zifan"_s << QStringList{u"Zou, Andy"_s, u"Wang, Zifan"_s};
    QTest::newRow("first last") << u"Long Ouyang and Carroll L. Wainwright"_s << QStringList{u"Ouyang, Long"_s, u"Wainwright, Carroll L."_s};
    QTest::newRow("von") << u"Ludwig van Beethoven and van der Berg, Jan"_s << QStringList{u"van Beethoven, Ludwig"_s, u"van der Berg, Jan"_s};
    QTest::newRow("junior") << u"Doe, Jr., John"_s << QStringList{u"Doe, John, Jr."_s};
    QTest::newRow("corporate") << u"{National Institute of Standards and Technology} and {OpenAI}"_s
                               << QStringList{u"National Institute of Standards and Technology"_s, u"OpenAI"_s};
    QTest::newRow("and others") << u"Doe, Jane and others"_s << QStringList{u"Doe, Jane"_s};
    QTest::newRow("AND upper case, new lines") << u"Doe, Jane\nAND\tRoe, Richard"_s << QStringList{u"Doe, Jane"_s, u"Roe, Richard"_s};
    QTest::newRow("and inside braces") << u"{Barnes and Noble} and Smith, A"_s << QStringList{u"Barnes and Noble"_s, u"Smith, A"_s};
    QTest::newRow("accents") << uR"(M{\"u}ller, J{\"o}rg and {\v{S}}koda, Ale\v{s})"_s << QStringList{u"Müller, Jörg"_s, u"Škoda, Aleš"_s};
    QTest::newRow("single name") << u"Aristotle"_s << QStringList{u"Aristotle"_s};
    QTest::newRow("tie") << u"Jean~Dupont"_s << QStringList{u"Dupont, Jean"_s};
    QTest::newRow("empty parts") << u" and  and Doe, J"_s << QStringList{u"Doe, J"_s};
    QTest::newRow("brand name word kept with braces") << u"Diogo {de Almeida}"_s << QStringList{u"de Almeida, Diogo"_s};
}

void BibtexImporterTest::names()
{
    QFETCH(QString, names);
    QFETCH(QStringList, authors);
    QCOMPARE(BibtexImporter::splitNames(names), authors);
}

void BibtexImporterTest::values_data()
{
    QTest::addColumn<QString>("bib");
    QTest::addColumn<QString>("title");
    QTest::newRow("braces") << u"@misc{k, title = {A {B} c}, year = 2020}"_s << u"A B c"_s;
    QTest::newRow("quotes") << u"@misc{k, title = \"A {\"}B{\"} c\", year = 2020}"_s << u"A \"B\" c"_s;
    QTest::newRow("bare number") << u"@misc{k, title = 1984, year = 2020}"_s << u"1984"_s;
    QTest::newRow("macro") << u"@string{t = {Macro title}}\n@misc{k, title = t, year = 2020}"_s << u"Macro title"_s;
    QTest::newRow("macro case") << u"@STRING{Tt = {Macro title}}\n@misc{k, title = tT, year = 2020}"_s << u"Macro title"_s;
    QTest::newRow("concatenation") << u"@string{a = \"Alpha\"}\n@misc{k, title = a # { and } # \"Beta\" # 2, year = 2020}"_s << u"Alpha and Beta2"_s;
    QTest::newRow("parentheses") << u"@MISC(k, title = {In (parentheses)}, year = 2020)"_s << u"In (parentheses)"_s;
    QTest::newRow("string in parentheses") << u"@string(t = \"P\")\n@misc{k, title = t, year = 2020}"_s << u"P"_s;
    QTest::newRow("month macro") << u"@misc{k, title = jan # \"~1\", year = 2020}"_s << u"January 1"_s;
    QTest::newRow("comment and preamble ignored") << u"@comment{x {y} z}\n@preamble{\"\\newcommand{\\x}{}\"}\n@misc{k, title = {T}, year = 2020}"_s << u"T"_s;
    QTest::newRow("text outside") << u"Some notes. mail@example.org\n@misc{k, title = {T}, year = 2020}\ntrailing"_s << u"T"_s;
    QTest::newRow("comment lines") << u"% @misc{no, title = {No}}\n@misc{k, title = {T}, year = 2020}"_s << u"T"_s;
    QTest::newRow("trailing comma") << u"@misc{k, title = {T}, year = 2020,}"_s << u"T"_s;
    QTest::newRow("no key") << u"@misc{title = {T}, year = 2020}"_s << u"T"_s;
    QTest::newRow("escaped brace in value") << u"@misc{k, title = {a \\} b}, year = 2020}"_s << u"a } b"_s;
    QTest::newRow("deep protective braces") << u"@misc{k, title = {{{{{T}}}}}, year = 2020}"_s << u"T"_s;
    QTest::newRow("multi-line value") << u"@misc{k,\n title = {Line one\n   line two},\n year = 2020}"_s << u"Line one line two"_s;
}

void BibtexImporterTest::values()
{
    QFETCH(QString, bib);
    QFETCH(QString, title);
    const ParseResult result = parse(bib);
    QVERIFY2(messages(result, ImportDiagnostic::Severity::Error).isEmpty(), qPrintable(messages(result, ImportDiagnostic::Severity::Error).join(u'\n')));
    QCOMPARE(result.records.documents.size(), 1);
    QCOMPARE(result.records.documents.constFirst().title, title);
}

void BibtexImporterTest::fields()
{
    const ParseResult result = parse(uR"(@Article{Key1,
  AUTHOR = {Doe, Jane},
  Title = {T},
  date = {2024-03-01},
  journaltitle = {J},
  doi = {https://doi.org/10.1000/ABC.def},
  eprint = {2008.02275v2}, eprinttype = {arXiv},
  url = {https://example.org/a\_b?x=1\%20},
  abstract = {An \emph{abstract}.},
  pages = {1--2},
  volume = 3,
}
@misc{k2, title = {U}, author = {X, Y}, year = {2019}, url = {https://arxiv.org/abs/hep-th/9901001v3}}
@misc{k3, title = {V}, editor = {Ed, It}, year = {in press}}
)"_s);
    QCOMPARE(result.records.documents.size(), 3);
    const DocumentRecord &d = result.records.documents.at(0);
    QCOMPARE(d.citationKey, u"Key1"_s);
    QCOMPARE(d.key, u"Key1"_s);
    QCOMPARE(d.line, 1);
    QCOMPARE(d.authors, QStringList{u"Doe, Jane"_s});
    QCOMPARE(d.year, 2024);
    QCOMPARE(d.venue, u"J"_s);
    QCOMPARE(d.doi, u"10.1000/abc.def"_s);
    QCOMPARE(d.arxivId, u"2008.02275"_s);
    QCOMPARE(d.url, u"https://example.org/a_b?x=1%20"_s);
    QCOMPARE(d.abstract, u"An abstract."_s);
    QCOMPARE(d.kind, u"article"_s);
    QCOMPARE(d.extra.value(u"pages"_s).toString(), u"1–2"_s);
    QCOMPARE(d.extra.value(u"volume"_s).toString(), u"3"_s);
    QCOMPARE(d.extra.value(u"date"_s).toString(), u"2024-03-01"_s);
    QVERIFY(!d.extra.contains(u"eprint"_s));
    QVERIFY(!d.extra.contains(u"doi"_s));

    const DocumentRecord &d2 = result.records.documents.at(1);
    QCOMPARE(d2.arxivId, u"hep-th/9901001"_s);
    QCOMPARE(d2.kind, u"preprint"_s);

    const DocumentRecord &d3 = result.records.documents.at(2);
    QCOMPARE(d3.authors, QStringList{u"Ed, It"_s});
    QCOMPARE(d3.extra.value(u"author_role"_s).toString(), u"editor"_s);
    QVERIFY(!d3.year);
    QCOMPARE(d3.extra.value(u"year"_s).toString(), u"in press"_s);
    QVERIFY(messages(result, ImportDiagnostic::Severity::Warning).join(u'\n').contains(u"without a year"_s));
}

void BibtexImporterTest::kinds_data()
{
    QTest::addColumn<QString>("entry");
    QTest::addColumn<QString>("kind");
    QTest::newRow("article") << u"@article{k, title={T}, journal={J}}"_s << u"article"_s;
    QTest::newRow("inproceedings") << u"@InProceedings{k, title={T}}"_s << u"paper-conference"_s;
    QTest::newRow("conference") << u"@conference{k, title={T}}"_s << u"paper-conference"_s;
    QTest::newRow("book") << u"@BOOK{k, title={T}}"_s << u"book"_s;
    QTest::newRow("techreport") << u"@techreport{k, title={T}}"_s << u"report"_s;
    QTest::newRow("phdthesis") << u"@phdthesis{k, title={T}}"_s << u"thesis"_s;
    QTest::newRow("mastersthesis") << u"@mastersthesis{k, title={T}}"_s << u"thesis"_s;
    QTest::newRow("online") << u"@online{k, title={T}, url={https://x.org}}"_s << u"web"_s;
    QTest::newRow("misc with arXiv") << u"@misc{k, title={T}, eprint={2301.00001}, archivePrefix={arXiv}}"_s << u"preprint"_s;
    QTest::newRow("misc with url") << u"@misc{k, title={T}, url={https://x.org}}"_s << u"web"_s;
    QTest::newRow("Google Scholar arXiv article") << u"@article{k, title={T}, journal={arXiv preprint arXiv:2301.00001}}"_s << u"preprint"_s;
    QTest::newRow("journal article with eprint") << u"@article{k, title={T}, journal={Nature}, eprint={2301.00001}, archiveprefix={arXiv}}"_s << u"article"_s;
    QTest::newRow("unknown type") << u"@patent{k, title={T}}"_s << u"article"_s;
}

void BibtexImporterTest::kinds()
{
    QFETCH(QString, entry);
    QFETCH(QString, kind);
    const ParseResult result = parse(entry);
    QCOMPARE(result.records.documents.size(), 1);
    QCOMPARE(result.records.documents.constFirst().kind, kind);
}

void BibtexImporterTest::keywords()
{
    const ParseResult result = parse(u"@misc{k, title={T}, keywords = {alpha, beta;gamma ,{x, y}, AI/ML, Risk > Toxicity, alpha}}"_s);
    QCOMPARE(result.records.documents.size(), 1);
    const QList<QStringList> expected{{u"alpha"_s}, {u"beta"_s}, {u"gamma"_s}, {u"x, y"_s}, {u"AI-ML"_s}, {u"Risk"_s, u"Toxicity"_s}};
    QCOMPARE(result.records.documents.constFirst().tags, expected);
}

void BibtexImporterTest::diagnostics_data()
{
    QTest::addColumn<QString>("bib");
    QTest::addColumn<int>("documents");
    QTest::addColumn<int>("skipped");
    QTest::addColumn<QStringList>("errors");
    QTest::addColumn<QStringList>("warnings"); // substrings, in order
    QTest::newRow("empty") << QString() << 0 << 0 << QStringList{} << QStringList{u"0: no records"_s};
    QTest::newRow("only comments") << u"% nothing\n@comment{x}\n"_s << 0 << 0 << QStringList{} << QStringList{u"0: no records"_s};
    QTest::newRow("unbalanced braces resume at next entry")
        << u"@article{a,\n title = {Open,\n year = 2020\n}\n@article{b, title = {B}, author = {X, Y}, year = 2021}\n"_s << 1 << 1
        << QStringList{u"1: @article entry skipped: unbalanced braces"_s} << QStringList{};
    QTest::newRow("unbalanced quotes")
        << u"@article{a,\n title = \"Open,\n year = 2020\n}\n@article{b, title = {B}, author = {X, Y}, year = 2021}\n"_s << 1 << 1
        << QStringList{u"1: @article entry skipped: unbalanced quotes"_s} << QStringList{};
    QTest::newRow("no title") << u"@article{a, author = {X, Y}, year = 2020}"_s << 0 << 1 << QStringList{u"1: the entry \"a\" has no title"_s}
                              << QStringList{u"0: no records"_s};
    QTest::newRow("no year, no author") << u"\n@article{a, title = {T}}"_s << 1 << 0 << QStringList{}
                                        << QStringList{u"2: the entry \"a\" has no author"_s, u"2: the entry \"a\" has no year"_s};
    QTest::newRow("duplicate key") << u"@misc{a, title={T}, author={X, Y}, year=1999}\n@misc{a, title={U}, author={X, Y}, year=1999}"_s << 2 << 0 << QStringList{}
                                   << QStringList{u"2: duplicate citation key \"a\" (first at line 1)"_s};
    QTest::newRow("unknown macro") << u"@misc{a, title = {T}, author={X, Y}, year = 2020, journal = nips}"_s << 1 << 0 << QStringList{}
                                   << QStringList{u"1: unknown macro \"nips\""_s};
    QTest::newRow("missing equals") << u"@misc{a, title {T}}\n@misc{b, title = {U}, author={X, Y}, year = 2020}"_s << 1 << 1
                                    << QStringList{u"1: @misc entry skipped: expected \"=\""_s} << QStringList{};
    QTest::newRow("truncated after @type") << u"@article"_s << 0 << 1 << QStringList{u"1: @article entry skipped: the file ends"_s}
                                           << QStringList{u"0: no records"_s};
    QTest::newRow("unbalanced comment") << u"@comment{ never closed\n@misc{b, title = {U}, author={X, Y}, year = 2020}"_s << 1 << 0
                                        << QStringList{u"1: @comment entry skipped: unbalanced braces"_s} << QStringList{};
    QTest::newRow("duplicate field") << u"@misc{a, title = {T}, title = {U}, author={X, Y}, year = 2020}"_s << 1 << 0 << QStringList{}
                                     << QStringList{u"1: the field \"title\" is given twice"_s};
}

void BibtexImporterTest::diagnostics()
{
    QFETCH(QString, bib);
    QFETCH(int, documents);
    QFETCH(int, skipped);
    QFETCH(QStringList, errors);
    QFETCH(QStringList, warnings);
    const ParseResult result = parse(bib);
    QCOMPARE(result.records.documents.size(), documents);
    QCOMPARE(result.skipped, skipped);
    const QStringList actualErrors = messages(result, ImportDiagnostic::Severity::Error);
    const QStringList actualWarnings = messages(result, ImportDiagnostic::Severity::Warning);
    QCOMPARE(actualErrors.size(), errors.size());
    for (qsizetype i = 0; i < errors.size(); ++i)
        QVERIFY2(actualErrors.at(i).startsWith(errors.at(i)), qPrintable(actualErrors.at(i)));
    QCOMPARE(actualWarnings.size(), warnings.size());
    for (qsizetype i = 0; i < warnings.size(); ++i)
        QVERIFY2(actualWarnings.at(i).startsWith(warnings.at(i)), qPrintable(actualWarnings.at(i)));
}

void BibtexImporterTest::truncatedAnywhere()
{
    // Every prefix of a file: the complete first entry is always read, the cut one never crashes.
    const QString bib = uR"(@string{ j = "Journal" }
@article{first, title = {First}, author = {A, B}, year = 2020}
@article{second,
  title = "Second {with} \"quotes\"",
  author = {M{\"u}ller, J. and {Org Inc}},
  journal = j # { Letters},
  year = {2021},
}
)"_s;
    const qsizetype firstEnd = bib.indexOf(u"}\n@article{second"_s) + 1;
    for (qsizetype cut = 0; cut <= bib.size(); ++cut) {
        const ParseResult result = parse(bib.left(cut));
        if (cut >= firstEnd) {
            QVERIFY2(!result.records.documents.isEmpty(), qPrintable(QString::number(cut)));
            QCOMPARE(result.records.documents.constFirst().title, u"First"_s);
        }
        const bool secondComplete = cut >= bib.lastIndexOf(u'}') + 1;
        QCOMPARE(result.records.documents.size() == 2, secondComplete);
        // A cut inside the second entry is an error on the line it starts at.
        if (cut > bib.indexOf(u"@article{second"_s) + 8 && !secondComplete) {
            QVERIFY2(result.skipped == 1, qPrintable(QString::number(cut)));
            QCOMPARE(result.diagnostics.constFirst().line, 3);
            QCOMPARE(result.diagnostics.constFirst().severity, ImportDiagnostic::Severity::Error);
        }
    }
}

void BibtexImporterTest::hostileInput_data()
{
    QTest::addColumn<QString>("bib");
    QTest::addColumn<int>("documents");
    QTest::newRow("binary junk") << QString::fromLatin1(QByteArray("\x01\x02@\x7f{{}}@@@{(\"\"\xff\xfe", 18)) << 0;
    QTest::newRow("deep nesting in value") << u"@misc{k, title = "_s + QString(10000, u'{') + u"T"_s + QString(10000, u'}') + u"}"_s << 1;
    QTest::newRow("deep nesting unclosed") << u"@misc{k, title = "_s + QString(10000, u'{') + u"T"_s << 0;
    QTest::newRow("deep nesting in names") << u"@misc{k, title = {T}, author = "_s + QString(10000, u'{') + u"X"_s + QString(10000, u'}') + u"}"_s << 1;
    QTest::newRow("many accents") << u"@misc{k, title = {"_s + QString(u"\\\"{"_s).repeated(5000) + u"}"_s << 0;
    QTest::newRow("long line of entries") << u"@misc{k, title = {"_s + QString(u"@a{ "_s).repeated(500000) << 0;
    QTest::newRow("long line of ats") << QString(2000000, u'@') << 0;
    QTest::newRow("long title") << u"@misc{k, title = {"_s + QString(u"word \\\"o "_s).repeated(500000) + u"}, year = 2020}"_s << 1;
    QTest::newRow("many broken entries") << QString(u"@misc{k, title = {x\n"_s).repeated(20000) << 0;
    QTest::newRow("many entries without line breaks") << QString(u"@misc{k, title = {x}} "_s).repeated(20000) << 20000;
    QTest::newRow("long author list") << u"@misc{k, title = {T}, author = {"_s + QString(u"A B and "_s).repeated(100000) + u"C D}}"_s << 1;
}

void BibtexImporterTest::hostileInput()
{
    QFETCH(QString, bib);
    QFETCH(int, documents);
    QElapsedTimer timer;
    timer.start();
    const ParseResult result = parse(bib);
    QCOMPARE(result.records.documents.size(), documents);
    if (documents == 0)
        QVERIFY(!result.diagnostics.isEmpty());
    // A guard against a hang or a quadratic parse, not a speed target (see abstractlistimporter_test).
    QVERIFY2(timer.elapsed() < 60000, qPrintable(QString::number(timer.elapsed())));
}

void BibtexImporterTest::sniff_data()
{
    QTest::addColumn<QString>("head");
    QTest::addColumn<bool>("bibtex");
    QTest::newRow("entry") << u"\n\n@article{key,\n title = {T}}"_s << true;
    QTest::newRow("upper case, parentheses") << u"@ARTICLE(key, title = {T})"_s << true;
    QTest::newRow("string first") << u"@string{a = {b}}"_s << true;
    QTest::newRow("JabRef header") << u"% This file was created with JabRef 5.9.\n% Encoding: UTF-8\n\n@Article{k,"_s << true;
    QTest::newRow("preamble text") << u"My references\n\n@article{key,\n title = {T}}"_s << true;
    QTest::newRow("RIS") << u"TY  - JOUR\nTI  - Title\nER  - \n"_s << false;
    QTest::newRow("JSON") << u"[{\"type\": \"article\", \"title\": \"@article{x,\"}]"_s << false;
    QTest::newRow("Markdown") << u"# Papers\n\n1. **Title** by someone@example.org\n"_s << false;
    QTest::newRow("email") << u"@someone said hello"_s << false;
}

void BibtexImporterTest::sniff()
{
    QFETCH(QString, head);
    QFETCH(bool, bibtex);
    const int score = BibtexImporter().sniff(head, u"x.txt"_s);
    if (bibtex)
        QVERIFY2(score >= 40, qPrintable(QString::number(score)));
    else
        QCOMPARE(score, 0);
}

QTEST_GUILESS_MAIN(BibtexImporterTest)
#include "bibteximporter_test.moc"

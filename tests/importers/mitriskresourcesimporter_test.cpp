// MitRiskResourcesImporter: the repository's resource table (65 included documents, notes below it
// skipped), its many author styles, and malformed rows.
#include "importerregistry.h"
#include "mitriskresourcesimporter.h"

#include <QFile>
#include <QTest>

using namespace Atlas;
using namespace Qt::StringLiterals;

namespace
{

const QString path = QStringLiteral(ATLAS_SHARED_DIR "/data/mit-ai-risk-repository-v3/included-resources-v3.csv");
const QString header = u"Included,Paper_ID,QuickRef,Title,Authors (full),Authors (short),Year,DOI,URL,Citations (28 May 2024),Cites/yr,Item type\n"_s;

QString readText(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    auto text = ImporterRegistry::decode(f.readAll());
    return text ? text.value() : QString();
}

ParseResult parse(const QString &text)
{
    return MitRiskResourcesImporter().parse(text, u"test.csv"_s, ImportContext{});
}

int count(const ParseResult &result, ImportDiagnostic::Severity severity)
{
    return int(std::count_if(result.diagnostics.cbegin(), result.diagnostics.cend(), [severity](const ImportDiagnostic &d) {
        return d.severity == severity;
    }));
}

} // namespace

class MitRiskResourcesImporterTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void realFile();
    void splitAuthors_data();
    void splitAuthors();
    void rows_data();
    void rows();
    void sniff();
    void hostileInput_data();
    void hostileInput();
};

void MitRiskResourcesImporterTest::realFile()
{
    const ParseResult result = parse(readText(path));
    QCOMPARE(result.records.documents.size(), 65);
    QCOMPARE(result.skipped, 0);
    QCOMPARE(count(result, ImportDiagnostic::Severity::Error), 0);
    // The six note rows below the table are one warning.
    const auto notes = std::find_if(result.diagnostics.cbegin(), result.diagnostics.cend(), [](const ImportDiagnostic &d) {
        return d.message.contains(u"Included = Yes"_s);
    });
    QVERIFY(notes != result.diagnostics.cend());
    QVERIFY(notes->message.startsWith(u"6 "_s));
    QCOMPARE(notes->line, 67);
    const DocumentRecord &critch = result.records.documents.first();
    QCOMPARE(critch.key, u"Critch2023"_s);
    QCOMPARE(critch.authors, (QStringList{u"Critch, A"_s, u"Russell, S"_s}));
    QCOMPARE(critch.year, 2023);
    QCOMPARE(critch.doi, u"10.48550/arxiv.2306.06924"_s);
    QCOMPARE(critch.arxivId, u"2306.06924"_s);
    QCOMPARE(critch.kind, u"preprint"_s);
    for (const DocumentRecord &d : result.records.documents) {
        QVERIFY(!d.title.isEmpty());
        QVERIFY(!d.authors.isEmpty());
        QVERIFY(d.year.has_value());
        for (const QString &a : d.authors)
            QVERIFY2(a == a.trimmed() && !a.isEmpty(), qPrintable(d.key));
    }
}

void MitRiskResourcesImporterTest::splitAuthors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("authors");
    QTest::addColumn<QStringList>("stray");
    QTest::newRow("vancouver") << u"Critch A, Russell S"_s << QStringList{u"Critch, A"_s, u"Russell, S"_s} << QStringList();
    QTest::newRow("vancouver particles") << u"Daumé III H, de Haas S, Fui-Hoon Nah F"_s << QStringList{u"Daumé III, H"_s, u"de Haas, S"_s, u"Fui-Hoon Nah, F"_s}
                                         << QStringList();
    QTest::newRow("comma pairs") << u"Coghlan, S, Parker, C, Ng, K Y"_s << QStringList{u"Coghlan, S"_s, u"Parker, C"_s, u"Ng, K Y"_s} << QStringList();
    QTest::newRow("apa with ampersand") << u"Schnitzer, R., Gaube, S., & Zillner, S."_s << QStringList{u"Schnitzer, R."_s, u"Gaube, S."_s, u"Zillner, S."_s}
                                        << QStringList();
    QTest::newRow("and") << u"Marchal, N. and Xu, R."_s << QStringList{u"Marchal, N."_s, u"Xu, R."_s} << QStringList();
    QTest::newRow("given first") << u"Y. Bengio, P.-O. Gourinchas, J. R. López Portillo, D., O. Molchanovskyi"_s
                                 << QStringList{u"Bengio, Y."_s, u"Gourinchas, P.-O."_s, u"López Portillo, J. R."_s, u"Molchanovskyi, O."_s}
                                 << QStringList{u"D."_s};
    QTest::newRow("organisations") << u"InfoComm Media Development Authority, AI Verify Foundation "_s
                                   << QStringList{u"InfoComm Media Development Authority"_s, u"AI Verify Foundation"_s} << QStringList();
    QTest::newRow("organisation with and") << u"Allianz Global Corporate and Specialty "_s << QStringList{u"Allianz Global Corporate and Specialty"_s}
                                           << QStringList();
    QTest::newRow("acronym") << u"IBM"_s << QStringList{u"IBM"_s} << QStringList();
    QTest::newRow("two capitals alone") << u"AB, Doe J"_s << QStringList{u"AB"_s, u"Doe, J"_s} << QStringList();
    QTest::newRow("empty") << u"  "_s << QStringList() << QStringList();
    QTest::newRow("only commas") << u", ,,"_s << QStringList() << QStringList();
}

void MitRiskResourcesImporterTest::splitAuthors()
{
    QFETCH(QString, text);
    QStringList stray;
    QTEST(MitRiskResourcesImporter::splitAuthors(text, &stray), "authors");
    QTEST(stray, "stray");
}

void MitRiskResourcesImporterTest::rows_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<int>("documents");
    QTest::addColumn<int>("skipped");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("message");
    QTest::newRow("no title") << u"Yes,1.0,A2020,,Doe J,,2020,,,,,Report\n"_s << 0 << 1 << 2 << u"no Title"_s;
    QTest::newRow("wrong field count") << u"Yes,1.0,A2020,T\n"_s << 0 << 1 << 2 << u"4 fields"_s;
    QTest::newRow("duplicate quickref") << u"Yes,1.0,A2020,T,Doe J,,2020,,,,,Report\nYes,2.0,A2020,U,Doe J,,2020,,,,,Report\n"_s << 1 << 1 << 3 << u"used again"_s;
    QTest::newRow("same doi twice") << u"Yes,1.0,A2020,T,Doe J,,2020,10.1234/x,,,,Report\nYes,2.0,B2020,U,Doe J,,2020,10.1234/X,,,,Report\n"_s << 2 << 0 << 3
                                    << u"probably wrong"_s;
    QTest::newRow("bad year") << u"Yes,1.0,A2020,T,Doe J,,20x0,,,,,Report\n"_s << 1 << 0 << 2 << u"not a year"_s;
    QTest::newRow("not included") << u"No,1.0,A2020,T,Doe J,,2020,,,,,Report\nMore information,,,,,,,,,,,\n"_s << 0 << 0 << 2 << u"2 rows"_s;
    QTest::newRow("broken quoting") << u"Yes,1.0,A2020,T,Doe J,,2020,,,,,Report\nYes,2.0,B2020,\"T,Doe J,,2020,,,,,Report\n"_s << 1 << 1 << 3 << u"never closed"_s;
}

void MitRiskResourcesImporterTest::rows()
{
    QFETCH(QString, body);
    QFETCH(int, line);
    QFETCH(QString, message);
    const ParseResult result = parse(header + body);
    QTEST(int(result.records.documents.size()), "documents");
    QTEST(result.skipped, "skipped");
    const bool found = std::any_of(result.diagnostics.cbegin(), result.diagnostics.cend(), [&](const ImportDiagnostic &d) {
        return d.line == line && d.message.contains(message);
    });
    QVERIFY2(found, qPrintable(result.diagnostics.isEmpty() ? u"no diagnostics"_s : result.diagnostics.first().toString()));
}

void MitRiskResourcesImporterTest::sniff()
{
    const MitRiskResourcesImporter importer;
    QVERIFY(importer.sniff(header, u"x.csv"_s) >= 60);
    QCOMPARE(importer.sniff(u"Included,Title\n"_s, u"x.csv"_s), 0);
    QCOMPARE(importer.sniff(u"ShortRef,DocumentID,Title,First author,Year\n"_s, u"x.csv"_s), 0);
    QCOMPARE(importer.sniff(QString(), u"x.csv"_s), 0);
}

void MitRiskResourcesImporterTest::hostileInput_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("expectError");
    const QString real = readText(path);
    QTest::newRow("truncated mid-row") << real.left(real.indexOf(u"\nYes,30.0"_s) + 12) << true;
    QTest::newRow("truncated in a quoted field") << real.left(real.indexOf(u"\"Cui T"_s) + 8) << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("header only") << header << false;
    QTest::newRow("very long authors") << header + u"Yes,1.0,A2020,T,\""_s + QString(5 * 1024 * 1024, u'A') + u" B\",,2020,,,,,Report\n"_s << false;
    QString manyAuthors;
    for (int i = 0; i < 100000; ++i)
        manyAuthors += u"X, Y, "_s;
    QTest::newRow("100,000 authors") << header + u"Yes,1.0,A2020,T,\""_s + manyAuthors + u"\",,2020,,,,,Report\n"_s << false;
}

void MitRiskResourcesImporterTest::hostileInput()
{
    QFETCH(QString, text);
    QFETCH(bool, expectError);
    const ParseResult result = parse(text);
    QCOMPARE(count(result, ImportDiagnostic::Severity::Error) > 0, expectError);
}

QTEST_GUILESS_MAIN(MitRiskResourcesImporterTest)
#include "mitriskresourcesimporter_test.moc"

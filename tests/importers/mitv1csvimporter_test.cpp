// MitV1CsvImporter: the real mitigation database (831 entries joined with its 13 documents found
// beside it), code splitting, short-reference matching, and malformed CSV that never crashes.
#include "importerregistry.h"
#include "mitv1csvimporter.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Atlas;
using namespace Qt::StringLiterals;

namespace
{

const QString dataDir = QStringLiteral(ATLAS_SHARED_DIR "/data/mit-mitigation-db-v1/");
const QString mitigationsPath = dataDir + u"mitigation-database-2025-07-23.csv"_s;
const QString documentsPath = dataDir + u"mitigation-database-included-documents-2025-07-23.csv"_s;
const QString header = u"Action ID,Action Name,Action Definition,Action Source,MitigationCode\n"_s;

QString readText(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    auto text = ImporterRegistry::decode(file.readAll());
    return text ? text.value() : QString();
}

ImportContext context()
{
    ImportContext c;
    c.codeNames.insert(u"mit-mitigation-v1"_s,
                       {{u"1"_s, u"Governance & Oversight Controls"_s},
                        {u"1.1"_s, u"Board Structure & Oversight"_s},
                        {u"1.2"_s, u"Risk Management"_s},
                        {u"2.2"_s, u"Model Alignment"_s}});
    return c;
}

ParseResult parse(const QString &text, const QString &fileName = u"test.csv"_s)
{
    return MitV1CsvImporter().parse(text, fileName, context());
}

int count(const ParseResult &result, ImportDiagnostic::Severity severity)
{
    return int(std::count_if(result.diagnostics.cbegin(), result.diagnostics.cend(), [severity](const ImportDiagnostic &d) {
        return d.severity == severity;
    }));
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

} // namespace

class MitV1CsvImporterTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void realFileFindsItsDocuments();
    void realFileByNameOnly();
    void documentsTable();
    void siblingMatching();
    void classification_data();
    void classification();
    void rowErrors_data();
    void rowErrors();
    void brokenQuotingKeepsRowsBefore_data();
    void brokenQuotingKeepsRowsBefore();
    void sniff_data();
    void sniff();
    void hostileInput_data();
    void hostileInput();
};

void MitV1CsvImporterTest::realFileFindsItsDocuments()
{
    const QString text = readText(mitigationsPath);
    QVERIFY2(!text.isEmpty(), qPrintable(mitigationsPath));
    QElapsedTimer timer;
    timer.start();
    const ParseResult result = parse(text, mitigationsPath);
    qInfo("parsed %lld entries and %lld documents in %lld ms", qlonglong(result.records.entries.size()), qlonglong(result.records.documents.size()),
          qlonglong(timer.elapsed()));
    QCOMPARE(result.records.entries.size(), 831);
    QCOMPARE(result.records.documents.size(), 13);
    QCOMPARE(result.skipped, 0);
    QCOMPARE(count(result, ImportDiagnostic::Severity::Error), 0);
    QSet<QString> ids;
    QSet<QString> documentKeys;
    for (const DocumentRecord &d : result.records.documents)
        documentKeys.insert(d.key);
    QCOMPARE(documentKeys.size(), 13);
    for (const EntryRecord &e : result.records.entries) {
        ids.insert(e.externalId);
        QVERIFY2(documentKeys.contains(e.documentKey), qPrintable(e.externalId + u" -> "_s + e.documentKey));
        QCOMPARE(e.classifications.size(), 1);
        QCOMPARE(e.classifications.first().schemeKey, u"mit-mitigation-v1"_s);
        QVERIFY(!e.classifications.first().code.isEmpty());
    }
    QCOMPARE(ids.size(), 831);
    // No warning says a source has no document.
    for (const ImportDiagnostic &d : result.diagnostics)
        QVERIFY2(!d.message.contains(u"not a ShortRef"_s) && !d.message.contains(u"no included-documents"_s), qPrintable(d.toString()));
    const EntryRecord &first = result.records.entries.first();
    QCOMPARE(first.externalId, u"A0086_Future of Life Institute2024"_s);
    QCOMPARE(first.documentKey, u"Future of Life Institute2024"_s);
    QCOMPARE(first.classifications.first().code, u"1.1"_s);
    QCOMPARE(first.classifications.first().name, u"Board Structure & Oversight"_s);
}

void MitV1CsvImporterTest::realFileByNameOnly()
{
    const ParseResult result = parse(readText(mitigationsPath), u"no-such-dir/mitigation-database-2025-07-23.csv"_s);
    QCOMPARE(result.records.entries.size(), 831);
    QCOMPARE(result.records.documents.size(), 0);
    for (const EntryRecord &e : result.records.entries) {
        QVERIFY(e.documentKey.isEmpty());
        QVERIFY(!e.extra.value(u"Action Source"_s).toString().isEmpty());
    }
    QVERIFY(std::any_of(result.diagnostics.cbegin(), result.diagnostics.cend(), [](const ImportDiagnostic &d) {
        return d.severity == ImportDiagnostic::Severity::Warning && d.message.contains(u"no included-documents"_s);
    }));
}

void MitV1CsvImporterTest::documentsTable()
{
    const ParseResult result = parse(readText(documentsPath), documentsPath);
    QCOMPARE(result.records.documents.size(), 13);
    QCOMPARE(result.records.entries.size(), 0);
    QCOMPARE(count(result, ImportDiagnostic::Severity::Error), 0);
    const DocumentRecord &bengio = result.records.documents.first();
    QCOMPARE(bengio.key, u"Bengio2025"_s);
    QCOMPARE(bengio.citationKey, u"Bengio2025"_s);
    QCOMPARE(bengio.title, u"International AI Safety Report"_s);
    QCOMPARE(bengio.authors, QStringList{u"Bengio"_s});
    QCOMPARE(bengio.year, 2025);
    QCOMPARE(bengio.doi, u"10.48550/arxiv.2501.17805"_s);
    QCOMPARE(bengio.arxivId, u"2501.17805"_s);
    QCOMPARE(bengio.kind, u"preprint"_s);
    QVERIFY(bengio.extra.value(u"Description"_s).toString().startsWith(u"The first comprehensive"_s));
    const auto fli = std::find_if(result.records.documents.cbegin(), result.records.documents.cend(), [](const DocumentRecord &d) {
        return d.key == u"Future of Life Institute2024";
    });
    QVERIFY(fli != result.records.documents.cend());
    QCOMPARE(fli->authors, QStringList{u"Future of Life Institute"_s});
    QCOMPARE(fli->kind, u"report"_s);
    QVERIFY(fli->doi.isEmpty());
    // Trailing spaces of titles are not kept.
    for (const DocumentRecord &d : result.records.documents)
        QCOMPARE(d.title, d.title.trimmed());
}

void MitV1CsvImporterTest::siblingMatching()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray mitigations = header.toUtf8()
        + "A1_Acme Lab2024,Exact,Text.,Acme Lab2024,1.1 Board Structure & Oversight\n"
          "A2_Acme Lab2024,Loose,Text.,acme  lab 2024,1.1 Board Structure & Oversight\n"
          "A3_Nobody2020,Missing,Text.,Nobody2020,1.2 Risk Management\n"
          "A4_Nobody2020,Missing too,Text.,Nobody2020,1.2 Risk Management\n";
    QByteArray documentsHeader = "ShortRef,DocumentID,Title,First author,Year,Abstract,Description,URL,DOI,Type\n";
    QVERIFY(writeFile(dir.filePath(u"mitigations.csv"_s), mitigations));
    // A documents table without the preferred name, and one with it (BOM and CRLF as exported).
    QVERIFY(writeFile(dir.filePath(u"a-other-documents.csv"_s), documentsHeader + "Other2000,1,Other,Other,2000,,,,,Report\n"));
    documentsHeader.replace("\n", "\r\n");
    QVERIFY(writeFile(dir.filePath(u"z-included-documents.csv"_s), "\xEF\xBB\xBF" + documentsHeader + "Acme Lab2024,1,Acme Report,Acme Lab,2024,,,,,Report\r\n"));
    QVERIFY(writeFile(dir.filePath(u"b-unrelated.csv"_s), "ShortRef,Title\nX,Y\n"));

    const QString path = dir.filePath(u"mitigations.csv"_s);
    const ParseResult result = parse(QString::fromUtf8(mitigations), path);
    QCOMPARE(result.records.documents.size(), 1);
    QCOMPARE(result.records.documents.first().key, u"Acme Lab2024"_s);
    QCOMPARE(result.records.entries.size(), 4);
    QCOMPARE(result.records.entries.at(0).documentKey, u"Acme Lab2024"_s);
    QCOMPARE(result.records.entries.at(1).documentKey, u"Acme Lab2024"_s);
    QVERIFY(result.records.entries.at(2).documentKey.isEmpty());
    QVERIFY(result.records.entries.at(3).documentKey.isEmpty());
    // One warning for the missing source, at its first entry, counting both.
    int missing = 0;
    for (const ImportDiagnostic &d : result.diagnostics) {
        if (d.message.contains(u"Nobody2020"_s)) {
            ++missing;
            QCOMPARE(d.severity, ImportDiagnostic::Severity::Warning);
            QCOMPARE(d.line, 4);
            QVERIFY(d.message.contains(u"2 entries"_s));
        }
    }
    QCOMPARE(missing, 1);
    QCOMPARE(count(result, ImportDiagnostic::Severity::Error), 0);
}

void MitV1CsvImporterTest::classification_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("path");
    QTest::addColumn<int>("notes");
    QTest::addColumn<int>("warnings");
    QTest::newRow("code and name") << u"1.1 Board Structure & Oversight"_s << u"1.1"_s << u"Board Structure & Oversight"_s << QStringList() << 0 << 0;
    QTest::newRow("catch-all") << u"X.X Control not otherwise categorized"_s << u"X.X"_s << u"Control not otherwise categorized"_s << QStringList() << 1 << 0;
    QTest::newRow("lower-case x") << u"1.x Other"_s << u"1.X"_s << u"Other"_s << QStringList() << 1 << 0;
    QTest::newRow("code alone") << u"2.2"_s << u"2.2"_s << u"Model Alignment"_s << QStringList() << 0 << 0;
    QTest::newRow("trailing dot") << u"1.2. Risk Management"_s << u"1.2"_s << u"Risk Management"_s << QStringList() << 0 << 0;
    QTest::newRow("name only") << u"risk management"_s << u"1.2"_s << u"Risk Management"_s << QStringList() << 0 << 0;
    QTest::newRow("unknown name") << u"Something Else"_s << QString() << QString() << QStringList{u"Something Else"_s} << 0 << 1;
    QTest::newRow("version-like text") << u"1.1beta"_s << QString() << QString() << QStringList{u"1.1beta"_s} << 0 << 1;
}

void MitV1CsvImporterTest::classification()
{
    QFETCH(QString, value);
    const ParseResult result = parse(header + u"A1,Name,Text.,Src,\""_s + value + u"\"\n"_s, u"no-such-dir/x.csv"_s);
    QCOMPARE(result.records.entries.size(), 1);
    const QList<ClassificationRecord> &c = result.records.entries.first().classifications;
    QCOMPARE(c.size(), 1);
    QTEST(c.first().code, "code");
    QTEST(c.first().name, "name");
    QTEST(c.first().path, "path");
    QTEST(count(result, ImportDiagnostic::Severity::Note), "notes");
    // The missing documents table is one more warning.
    QTEST(count(result, ImportDiagnostic::Severity::Warning) - 1, "warnings");
}

void MitV1CsvImporterTest::rowErrors_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<int>("entries");
    QTest::addColumn<int>("skipped");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("severity");
    QTest::addColumn<QString>("message");
    const int error = int(ImportDiagnostic::Severity::Error);
    const int warning = int(ImportDiagnostic::Severity::Warning);
    QTest::newRow("too many fields") << u"A1,N,T,S,1.1\nA2,N,T,with, comma,S,1.1\n"_s << 1 << 1 << 3 << error << u"7 fields"_s;
    QTest::newRow("too few fields, multi-line row") << u"A1,N,T,S,1.1\nA2,\"N\nM\",T\nA3,N,T,S,1.1\n"_s << 2 << 1 << 3 << error << u"3 fields"_s;
    QTest::newRow("no Action ID") << u"A1,N,T,S,1.1\n  ,N,T,S,1.1\n"_s << 1 << 1 << 3 << error << u"no Action ID"_s;
    QTest::newRow("no Action Name") << u"A1,N,T,S,1.1\nA2,,T,S,1.1\n"_s << 1 << 1 << 3 << error << u"no Action Name"_s;
    QTest::newRow("duplicate id") << u"A1,N,T,S,1.1\nA1,M,T,S,1.1\n"_s << 1 << 1 << 3 << warning << u"first at line 2"_s;
    QTest::newRow("empty code") << u"A1,N,T,S,\n"_s << 1 << 0 << 2 << warning << u"no MitigationCode"_s;
    QTest::newRow("no definition") << u"A1,N,,S,1.1\n"_s << 1 << 0 << 2 << warning << u"no Action Definition"_s;
}

void MitV1CsvImporterTest::rowErrors()
{
    QFETCH(QString, body);
    QFETCH(int, line);
    QFETCH(int, severity);
    QFETCH(QString, message);
    const ParseResult result = parse(header + body);
    QTEST(int(result.records.entries.size()), "entries");
    QTEST(result.skipped, "skipped");
    const bool found = std::any_of(result.diagnostics.cbegin(), result.diagnostics.cend(), [&](const ImportDiagnostic &d) {
        return d.line == line && int(d.severity) == severity && d.message.contains(message);
    });
    QVERIFY2(found, qPrintable(result.diagnostics.isEmpty() ? u"no diagnostics"_s : result.diagnostics.first().toString()));
}

void MitV1CsvImporterTest::brokenQuotingKeepsRowsBefore_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<int>("entries");
    QTest::addColumn<int>("line");
    QTest::newRow("quote never closed") << u"A1,\"N\nM\",T,S,1.1\nA2,N,\"open,S,1.1\nA3,N,T,S,1.1\n"_s << 1 << 4;
    QTest::newRow("text after closing quote") << u"A1,N,T,S,1.1\nA2,N,\"T\"x,S,1.1\nA3,N,T,S,1.1\n"_s << 1 << 3;
    QTest::newRow("text after a multi-line field") << u"A1,N,T,S,1.1\nA2,N,\"T\nU\"x,S,1.1\n"_s << 1 << 4;
    QTest::newRow("first row") << u"\"A1,N,T,S,1.1\n"_s << 0 << 2;
}

void MitV1CsvImporterTest::brokenQuotingKeepsRowsBefore()
{
    QFETCH(QString, body);
    QFETCH(int, line);
    const ParseResult result = parse(header + body);
    QTEST(int(result.records.entries.size()), "entries");
    const auto error = std::find_if(result.diagnostics.cbegin(), result.diagnostics.cend(), [](const ImportDiagnostic &d) {
        return d.severity == ImportDiagnostic::Severity::Error;
    });
    QVERIFY(error != result.diagnostics.cend());
    QCOMPARE(error->line, line);
    QVERIFY(!error->message.startsWith(u"line"_s));
    QVERIFY(result.skipped >= 1);
}

void MitV1CsvImporterTest::sniff_data()
{
    QTest::addColumn<QString>("head");
    QTest::addColumn<bool>("mine");
    QTest::newRow("mitigations") << header + u"A1,N,T,S,1.1\n"_s << true;
    QTest::newRow("mitigations with BOM") << QString(QChar(0xFEFF)) + header << true;
    QTest::newRow("documents") << u"ShortRef,DocumentID,Title,First author,Year,Abstract,Description,URL,DOI,Type\n"_s << true;
    QTest::newRow("domain taxonomy") << u"domain_code,domain,subdomain_code,subdomain,description\n"_s << false;
    QTest::newRow("resources") << u"Included,Paper_ID,QuickRef,Title,Authors (full)\n"_s << false;
    QTest::newRow("other csv") << u"Action,Name\n"_s << false;
    QTest::newRow("bibtex") << u"@article{x, title={Action ID}}\n"_s << false;
    QTest::newRow("empty") << QString() << false;
}

void MitV1CsvImporterTest::sniff()
{
    QFETCH(QString, head);
    QFETCH(bool, mine);
    const int score = MitV1CsvImporter().sniff(head, u"x.csv"_s);
    if (mine)
        QVERIFY2(score >= 60, qPrintable(QString::number(score)));
    else
        QCOMPARE(score, 0);
}

void MitV1CsvImporterTest::hostileInput_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("expectError");
    const QString real = readText(mitigationsPath);
    // Cut inside the first multi-line quoted field of the real file, and at two row ends.
    const qsizetype quoted = real.indexOf(u"\"Executive leadership"_s);
    QTest::newRow("truncated in a quoted field") << real.left(quoted + 30) << true;
    QTest::newRow("truncated at a third") << real.left(real.indexOf(u"\nA0"_s, real.size() / 3) + 1) << false;
    QTest::newRow("truncated mid-row") << real.left(real.indexOf(u"\nA0", real.size() / 2) + 6) << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("blank lines") << u"\n\n  \n"_s << false;
    QTest::newRow("header only") << header << false;
    QTest::newRow("not this table") << u"a,b,c\n1,2,3\n"_s << true;
    QString junk;
    for (int i = 0; i < 5000; ++i)
        junk.append(QChar(char16_t(0x20 + (i * 7919) % 0x2000)));
    QTest::newRow("binary junk") << junk << true;
    QTest::newRow("quotes, deeply") << header + QString(10000, u'"') << true;
    QTest::newRow("10,000 open quotes") << header + u"A1,N,"_s + QString(10000, u'"') + u"x\n"_s << true;
    QTest::newRow("very long line") << header + u"A1,N,"_s + QString(20 * 1024 * 1024, u'x') + u",S,1.1\n"_s << false;
    QTest::newRow("very long quoted field") << header + u"A1,N,\""_s + QString(20 * 1024 * 1024, u'x') << true;
}

void MitV1CsvImporterTest::hostileInput()
{
    QFETCH(QString, text);
    QFETCH(bool, expectError);
    QElapsedTimer timer;
    timer.start();
    const ParseResult result = parse(text);
    // A guard against a hang or a quadratic parse, not a speed target (see abstractlistimporter_test).
    QVERIFY(timer.elapsed() < 120000);
    QCOMPARE(count(result, ImportDiagnostic::Severity::Error) > 0, expectError);
    for (const EntryRecord &e : result.records.entries) {
        QVERIFY(!e.externalId.isEmpty());
        QVERIFY(!e.name.isEmpty());
    }
}

QTEST_GUILESS_MAIN(MitV1CsvImporterTest)
#include "mitv1csvimporter_test.moc"

// ImportDiagnosticTest: the compiler-like text and the JSON of an importer's diagnostics.
#include "importdiagnostic.h"

#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using Atlas::ImportDiagnostic;

using Severity = ImportDiagnostic::Severity;
Q_DECLARE_METATYPE(Severity)

namespace
{

ImportDiagnostic diagnostic(Severity severity, const QString &file, int line, const QString &message)
{
    ImportDiagnostic d;
    d.severity = severity;
    d.file = file;
    d.line = line;
    d.message = message;
    return d;
}

} // namespace

class ImportDiagnosticTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults();
    void toString_data();
    void toString();
    void toJson_data();
    void toJson();
    void hasErrors_data();
    void hasErrors();
};

void ImportDiagnosticTest::defaults()
{
    const ImportDiagnostic d;
    QCOMPARE(d.severity, Severity::Error);
    QCOMPARE(d.line, 0);
    QVERIFY(d.file.isEmpty());
    QVERIFY(d.message.isEmpty());
}

void ImportDiagnosticTest::toString_data()
{
    QTest::addColumn<Severity>("severity");
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("expected");

    QTest::newRow("error with line") << Severity::Error << u"data/entries.csv"_s << 12 << u"missing column \"title\""_s
                                     << u"data/entries.csv:12: error: missing column \"title\""_s;
    QTest::newRow("error on line 1") << Severity::Error << u"a.json"_s << 1 << u"not JSON"_s << u"a.json:1: error: not JSON"_s;
    QTest::newRow("error for the whole file") << Severity::Error << u"entries.csv"_s << 0 << u"the file is empty"_s
                                              << u"entries.csv: error: the file is empty"_s;
    QTest::newRow("warning with line") << Severity::Warning << u"papers.md"_s << 340 << u"unknown heading, kept as provisional"_s
                                       << u"papers.md:340: warning: unknown heading, kept as provisional"_s;
    QTest::newRow("warning for the whole file") << Severity::Warning << u"papers.md"_s << 0 << u"no licence stated"_s
                                                << u"papers.md: warning: no licence stated"_s;
    // Placeholders in user data are not expanded a second time.
    QTest::newRow("percent signs in data") << Severity::Error << u"100%.csv"_s << 3 << u"value %1 out of range"_s
                                           << u"100%.csv:3: error: value %1 out of range"_s;
    QTest::newRow("non-ASCII") << Severity::Warning << u"données/entrées.csv"_s << 7 << u"nom « inconnu »"_s
                               << u"données/entrées.csv:7: warning: nom « inconnu »"_s;
}

void ImportDiagnosticTest::toString()
{
    QFETCH(Severity, severity);
    QFETCH(QString, file);
    QFETCH(int, line);
    QFETCH(QString, message);
    QFETCH(QString, expected);

    QCOMPARE(diagnostic(severity, file, line, message).toString(), expected);
}

void ImportDiagnosticTest::toJson_data()
{
    QTest::addColumn<Severity>("severity");
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("severityText");

    QTest::newRow("error") << Severity::Error << u"entries.csv"_s << 12 << u"bad row"_s << u"error"_s;
    QTest::newRow("warning") << Severity::Warning << u"papers.md"_s << 3 << u"odd heading"_s << u"warning"_s;
    QTest::newRow("whole file") << Severity::Error << u"empty.csv"_s << 0 << u"the file is empty"_s << u"error"_s;
}

void ImportDiagnosticTest::toJson()
{
    QFETCH(Severity, severity);
    QFETCH(QString, file);
    QFETCH(int, line);
    QFETCH(QString, message);
    QFETCH(QString, severityText);

    const QJsonObject json = diagnostic(severity, file, line, message).toJson();
    QCOMPARE(json.size(), 4);
    QCOMPARE(json.value(u"severity"_s), QJsonValue(severityText));
    QCOMPARE(json.value(u"file"_s), QJsonValue(file));
    QVERIFY(json.value(u"line"_s).isDouble());
    QCOMPARE(json.value(u"line"_s).toInteger(), line);
    QCOMPARE(json.value(u"message"_s), QJsonValue(message));
}

void ImportDiagnosticTest::hasErrors_data()
{
    QTest::addColumn<QList<ImportDiagnostic>>("diagnostics");
    QTest::addColumn<bool>("expected");

    const ImportDiagnostic warning = diagnostic(Severity::Warning, u"a.csv"_s, 2, u"w"_s);
    const ImportDiagnostic error = diagnostic(Severity::Error, u"a.csv"_s, 3, u"e"_s);
    QTest::newRow("none") << QList<ImportDiagnostic>() << false;
    QTest::newRow("one warning") << QList<ImportDiagnostic> {warning} << false;
    QTest::newRow("warnings only") << QList<ImportDiagnostic> {warning, warning, warning} << false;
    QTest::newRow("one error") << QList<ImportDiagnostic> {error} << true;
    QTest::newRow("error after warnings") << QList<ImportDiagnostic> {warning, warning, error} << true;
    QTest::newRow("error before a warning") << QList<ImportDiagnostic> {error, warning} << true;
}

void ImportDiagnosticTest::hasErrors()
{
    QFETCH(QList<ImportDiagnostic>, diagnostics);
    QFETCH(bool, expected);
    QCOMPARE(Atlas::hasErrors(diagnostics), expected);
}

QTEST_GUILESS_MAIN(ImportDiagnosticTest)

#include "importdiagnostic_test.moc"

// Tests CsvReader and CsvTable on the shapes the real data has (BOM, quotes, multi-line fields).
#include "csvreader.h"

#include <QTest>

using namespace Atlas;
using namespace Qt::StringLiterals;

class CsvReaderTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesRecords_data();
    void parsesRecords();
    void rejectsBrokenQuoting_data();
    void rejectsBrokenQuoting();
    void tableLooksUpColumns();
    void tableNeedsRequiredColumns();
};

void CsvReaderTest::parsesRecords_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QList<QStringList>>("records");
    QTest::addColumn<QList<int>>("lines");

    QTest::newRow("plain") << QStringLiteral("a,b\n1,2\n") << QList<QStringList> {{u"a"_s, u"b"_s}, {u"1"_s, u"2"_s}} << QList<int> {1, 2};
    QTest::newRow("no final newline") << QStringLiteral("a,b\n1,2") << QList<QStringList> {{u"a"_s, u"b"_s}, {u"1"_s, u"2"_s}} << QList<int> {1, 2};
    QTest::newRow("bom and crlf") << QStringLiteral("\uFEFFa,b\r\n1,2\r\n") << QList<QStringList> {{u"a"_s, u"b"_s}, {u"1"_s, u"2"_s}} << QList<int> {1, 2};
    QTest::newRow("quoted comma and quote") << QStringLiteral("\"x, y\",\"say \"\"hi\"\"\"\n") << QList<QStringList> {{u"x, y"_s, u"say \"hi\""_s}}
                                            << QList<int> {1};
    QTest::newRow("multi-line field keeps line numbers")
        << QStringLiteral("h\n\"one\ntwo\nthree\"\nnext\n") << QList<QStringList> {{u"h"_s}, {u"one\ntwo\nthree"_s}, {u"next"_s}} << QList<int> {1, 2, 5};
    QTest::newRow("empty fields") << QStringLiteral(",,\n") << QList<QStringList> {{QString(), QString(), QString()}} << QList<int> {1};
    QTest::newRow("blank lines skipped") << QStringLiteral("a\n\n\nb\n") << QList<QStringList> {{u"a"_s}, {u"b"_s}} << QList<int> {1, 4};
    QTest::newRow("empty quoted field") << QStringLiteral("\"\",x\n") << QList<QStringList> {{QString(), u"x"_s}} << QList<int> {1};
    QTest::newRow("trailing comma opens an empty field") << QStringLiteral("a,\nb,") << QList<QStringList> {{u"a"_s, QString()}, {u"b"_s, QString()}}
                                                         << QList<int> {1, 2};
    QTest::newRow("crlf kept inside quotes") << QStringLiteral("h\r\n\"x\r\ny\"\r\nz\r\n") << QList<QStringList> {{u"h"_s}, {u"x\r\ny"_s}, {u"z"_s}}
                                             << QList<int> {1, 2, 4};
    QTest::newRow("doubled quotes at the edges") << QStringLiteral("\"\"\"a\"\"\",\"\"\"\"\n") << QList<QStringList> {{u"\"a\""_s, u"\""_s}} << QList<int> {1};
    QTest::newRow("quote inside an unquoted field") << QStringLiteral("ab\"c,d\n") << QList<QStringList> {{u"ab\"c"_s, u"d"_s}} << QList<int> {1};
    QTest::newRow("lone cr ends a line") << QStringLiteral("a\rb\r\"c\rd\"\r") << QList<QStringList> {{u"a"_s}, {u"b"_s}, {u"c\rd"_s}} << QList<int> {1, 2, 3};
}

void CsvReaderTest::parsesRecords()
{
    QFETCH(QString, text);
    QFETCH(QList<QStringList>, records);
    QFETCH(QList<int>, lines);
    auto parsed = CsvReader::parse(text);
    QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
    QCOMPARE(parsed->size(), records.size());
    for (qsizetype i = 0; i < records.size(); ++i) {
        QCOMPARE(parsed->at(i).fields, records.at(i));
        QCOMPARE(parsed->at(i).line, lines.at(i));
    }
}

void CsvReaderTest::rejectsBrokenQuoting_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("place");
    QTest::newRow("never closed") << QStringLiteral("a\n\"open\nstill open\n") << QStringLiteral("line 2");
    QTest::newRow("text after quote") << QStringLiteral("a\nb\n\"x\"y,z\n") << QStringLiteral("line 3");
}

void CsvReaderTest::rejectsBrokenQuoting()
{
    QFETCH(QString, text);
    QFETCH(QString, place);
    auto parsed = CsvReader::parse(text);
    QVERIFY(!parsed.ok());
    QVERIFY2(parsed.error().startsWith(place), qPrintable(parsed.error()));
}

void CsvReaderTest::tableLooksUpColumns()
{
    auto table = CsvTable::fromText(u"code, name\n1.1,Model\n2\n"_s, {u"code"_s, u"name"_s});
    QVERIFY2(table.ok(), qPrintable(table.error()));
    QCOMPARE(table->rows().size(), 2);
    QCOMPARE(table->value(table->rows().at(0), u"name"_s), u"Model"_s);
    // A short row yields empty values, not a crash.
    QCOMPARE(table->value(table->rows().at(1), u"name"_s), QString());
    QCOMPARE(table->value(table->rows().at(1), u"missing"_s), QString());
}

void CsvReaderTest::tableNeedsRequiredColumns()
{
    auto table = CsvTable::fromText(u"code\n1\n"_s, {u"code"_s, u"name"_s});
    QVERIFY(!table.ok());
    QVERIFY(table.error().contains(u"\"name\""_s));
    QVERIFY(!CsvTable::fromText(QString(), {}).ok());
}

QTEST_GUILESS_MAIN(CsvReaderTest)
#include "csvreader_test.moc"

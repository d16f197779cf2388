// Exporters: the library JSON round trip (export, import into an empty library, export again:
// the same file apart from timestamps and the round trip's own batch), the CSV formula guard
// and the Markdown paper list.
#include "csvexporter.h"
#include "exporterregistry.h"
#include "fileimport.h"
#include "importwriter.h"
#include "library.h"
#include "libraryjsonexporter.h"
#include "sql.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Atlas;
using namespace Qt::StringLiterals;

namespace
{

// Removes what may differ between two exports of the same content.
QJsonValue withoutTimestamps(const QJsonValue &value)
{
    static const QStringList stamps{u"exported_at"_s, u"created_at"_s, u"modified_at"_s, u"assigned_at"_s, u"started_at"_s, u"finished_at"_s};
    if (value.isObject()) {
        QJsonObject o = value.toObject();
        for (const QString &key : stamps)
            o.remove(key);
        for (auto it = o.begin(); it != o.end(); ++it)
            it.value() = withoutTimestamps(it.value());
        return o;
    }
    if (value.isArray()) {
        QJsonArray a = value.toArray();
        for (qsizetype i = 0; i < a.size(); ++i)
            a[i] = withoutTimestamps(a.at(i));
        return a;
    }
    return value;
}

ClassificationRecord byCode(const QString &scheme, const QString &code)
{
    ClassificationRecord c;
    c.schemeKey = scheme;
    c.code = code;
    return c;
}

} // namespace

class ExportersTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    // A small library with a bit of everything: documents, nested entries, classifications by
    // code and path (with a provisional node), a curator classification, tags, edits, a batch.
    void fill(Library &library)
    {
        ParseResult parsed;
        DocumentRecord survey;
        survey.key = u"s"_s;
        survey.title = u"Large Language Model Safety: A Holistic Survey"_s;
        survey.authors = {u"Shi, Dan"_s, u"Xiong, Deyi"_s};
        survey.year = 2024;
        survey.arxivId = u"2412.17686"_s;
        survey.tags = {{u"Surveys"_s}, {u"Safety"_s, u"LLM"_s}};
        DocumentRecord bare;
        bare.key = u"b"_s;
        bare.title = u"Manual red teaming is costly"_s;
        bare.titleInferred = true;
        bare.needsReview = true;
        bare.abstract = u"Manual red teaming is a commonly used method to identify vulnerabilities in large language models."_s;
        parsed.records.documents = {survey, bare};
        EntryRecord parent;
        parent.key = u"vm"_s;
        parent.name = u"Value Misalignment"_s;
        parent.documentKey = u"s"_s;
        parent.listingOnly = true;
        parent.classifications = {byCode(u"mit-mitigation-v2"_s, u"99.9"_s)};
        EntryRecord child;
        child.key = u"t"_s;
        child.name = u"Methods for mitigating toxicity"_s;
        child.text = u"=HYPERLINK(\"http://evil\") is text here, with \"quotes\",\nand a line break"_s;
        child.parentKey = u"vm"_s;
        child.documentKey = u"s"_s;
        ClassificationRecord risk;
        risk.schemeKey = u"llm-safety-survey"_s;
        risk.path = {u"Value Misalignment"_s, u"A new subsection"_s};
        ClassificationRecord unknown = byCode(u"mit-mitigation-v2"_s, u"7.7.7"_s);
        unknown.name = u"Unseen"_s;
        unknown.evidence = u"the page says so"_s;
        unknown.confidence = 0.75;
        child.classifications = {byCode(u"mit-mitigation-v2"_s, u"1.1.2"_s), risk, unknown};
        child.tags = {{u"toxicity"_s}};
        child.relatedDocuments = {{u"b"_s, u"cites"_s}};
        parsed.records.entries = {child, parent}; // children before parents in the file
        ImportOptions options;
        options.file = u"made-by-hand"_s;
        options.format = u"test"_s;
        auto summary = ImportWriter(library).apply(parsed, options);
        QVERIFY(summary.ok() && summary->written);
        // A curator's classification and edit.
        QVERIFY(Sql::exec(library.database(),
            u"INSERT INTO classification(entry_id, node_id, assigned_by_kind, assigned_by) SELECT e.id, n.id, 'curator', 'Ada' FROM entry e, taxonomy_node n "
            "JOIN scheme s ON s.id = n.scheme_id WHERE e.name = 'Value Misalignment' AND s.key = 'lifecycle' AND n.name = 'Deploy'"_s)
                    .ok());
        QVERIFY(Sql::exec(library.database(), u"UPDATE entry SET notes = 'checked', edited_fields = '[\"notes\"]' WHERE name = 'Value Misalignment'"_s).ok());
    }

private Q_SLOTS:
    void libraryJsonRoundTrips()
    {
        Library original;
        QVERIFY(original.open(m_dir.filePath(u"original.sqlite"_s)).ok());
        fill(original);
        auto first = LibraryJsonExporter().toJson(original.database());
        QVERIFY2(first.ok(), qPrintable(first.error()));
        QCOMPARE(first->value(u"entries"_s).toArray().size(), 2);
        QCOMPARE(first->value(u"entries"_s).toArray().first().toObject().value(u"name"_s).toString(), u"Value Misalignment"_s); // parents first
        QCOMPARE(first->value(u"taxonomy_nodes"_s).toArray().size(), 2); // 7.7.7 and "A new subsection", both provisional
        const QJsonObject parentEntry = first->value(u"entries"_s).toArray().first().toObject();
        QVERIFY(QJsonDocument(parentEntry).toJson().contains("\"assigned_by_kind\": \"curator\""));
        QCOMPARE(parentEntry.value(u"edited_fields"_s).toArray(), QJsonArray{u"notes"_s});
        QCOMPARE(first->value(u"entries"_s).toArray().last().toObject().value(u"related_documents"_s).toArray().size(), 1);

        const QString path = m_dir.filePath(u"export.json"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(first.value()).toJson());
        file.close();

        Library copy;
        QVERIFY(copy.open(m_dir.filePath(u"copy.sqlite"_s)).ok());
        ImporterRegistry registry;
        auto imported = importFile(copy, registry, path, {}, {});
        QVERIFY2(imported.ok(), qPrintable(imported.error()));
        QCOMPARE(imported->formatKey, u"library-json"_s);
        QVERIFY2(imported->summary.written, qPrintable(imported->summary.text()));

        auto second = LibraryJsonExporter().toJson(copy.database());
        QVERIFY(second.ok());
        QJsonObject expected = withoutTimestamps(first.value()).toObject();
        QJsonObject actual = withoutTimestamps(second.value()).toObject();
        QJsonArray batches = actual.value(u"batches"_s).toArray();
        QCOMPARE(batches.size(), 2);
        QCOMPARE(batches.last().toObject().value(u"format"_s).toString(), u"library-json"_s); // the round trip's own
        batches.removeLast();
        actual.insert(u"batches"_s, batches);
        QCOMPARE(QJsonDocument(actual).toJson(), QJsonDocument(expected).toJson());

        // Importing the same export again changes nothing.
        auto again = importFile(copy, registry, path, {}, {});
        QVERIFY(again.ok());
        QVERIFY2(!again->summary.written, qPrintable(again->summary.text()));
    }

    void csvEscapesFormulasAndQuotes()
    {
        QCOMPARE(CsvExporter::cell(u"=1+2"_s), u"'=1+2"_s);
        QCOMPARE(CsvExporter::cell(u"+cmd"_s), u"'+cmd"_s);
        QCOMPARE(CsvExporter::cell(u"-2"_s), u"'-2"_s);
        QCOMPARE(CsvExporter::cell(u"@SUM(A1)"_s), u"'@SUM(A1)"_s);
        QCOMPARE(CsvExporter::cell(u"a, \"b\""_s), u"\"a, \"\"b\"\"\""_s);
        QCOMPARE(CsvExporter::cell(u"plain"_s), u"plain"_s);

        Library library;
        QVERIFY(library.open(m_dir.filePath(u"csv.sqlite"_s)).ok());
        fill(library);
        auto bytes = ExporterRegistry().find(u"csv"_s)->write(library.database());
        QVERIFY(bytes.ok());
        const QString csv = QString::fromUtf8(bytes.value());
        QVERIFY(csv.startsWith(u"id,external_id,name,text,"_s));
        QVERIFY(csv.contains(u"\"'=HYPERLINK(\"\"http://evil\"\") is text here, with \"\"quotes\"\",\nand a line break\""_s));
        QVERIFY(csv.contains(u"mit-mitigation-v2: 1.1.2 Learning Objectives; mit-mitigation-v2: 7.7.7 Unseen"_s));
        QVERIFY(csv.contains(u"lifecycle: Deploy"_s));
    }

    void markdownGroupsPapersByRisk()
    {
        Library library;
        QVERIFY(library.open(m_dir.filePath(u"md.sqlite"_s)).ok());
        fill(library);
        auto bytes = ExporterRegistry().find(u"markdown"_s)->write(library.database());
        QVERIFY(bytes.ok());
        const QString md = QString::fromUtf8(bytes.value());
        QVERIFY2(md.contains(u"## Value Misalignment\n\n### A new subsection\n\n1. **Large Language Model Safety: A Holistic Survey**\n"_s), qPrintable(md));
        QVERIFY(md.contains(u"\tDan Shi, Deyi Xiong. 2024. [[Paper](https://arxiv.org/abs/2412.17686)]"_s));
        QVERIFY(md.contains(u"## Not classified by risk\n\n1. **Manual red teaming is costly**"_s));
    }
};

QTEST_GUILESS_MAIN(ExportersTest)
#include "exporters_test.moc"

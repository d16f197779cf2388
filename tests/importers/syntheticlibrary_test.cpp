// SyntheticLibrary: the same seed gives the same bytes and another seed other bytes; the files hold
// the numbers of entries and documents asked for, with texts of 200 to 2000 characters and 3 to 6
// classifications per entry over all dimensions; both the library JSON and the MIT v1 CSV pair import
// with the existing importers, without errors, into the same counts.
#include "csvreader.h"
#include "fileimport.h"
#include "library.h"
#include "sql.h"
#include "syntheticlibrary.h"
#include "taxonomystore.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace Atlas;
using namespace Qt::StringLiterals;

namespace
{

QByteArray contents(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QList<CsvRecord> csvRecords(const QString &path)
{
    auto records = CsvReader::parse(QString::fromUtf8(contents(path)));
    return records ? records.value() : QList<CsvRecord>();
}

} // namespace

class SyntheticLibraryTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::optional<SyntheticLibrary> m_generator;
    QHash<QString, Dimension> m_dimensions; // scheme key -> dimension, from a new library
    int m_folders = 0;

    // The files of a library generated into a folder of its own (the MIT v1 importer takes any
    // documents table beside the mitigations table).
    SyntheticLibrary::Files generate(qint64 entries, qint64 documents, quint64 seed, SyntheticLibrary::Summary *summary = nullptr)
    {
        const QString folder = m_dir.filePath(u"library-%1"_s.arg(++m_folders));
        QDir().mkpath(folder);
        const SyntheticLibrary::Files files = SyntheticLibrary::filesFor(folder + u"/synthetic.json"_s);
        SyntheticLibrary::Options options;
        options.entries = entries;
        options.documents = documents;
        options.seed = seed;
        auto written = m_generator->write(options, files);
        if (!written)
            qWarning() << written.error();
        else if (summary)
            *summary = written.value();
        return files;
    }

    QJsonObject json(const QString &path)
    {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(contents(path), &error);
        if (error.error != QJsonParseError::NoError)
            qWarning() << path << error.errorString() << error.offset;
        return document.object();
    }

    // Imports `path` into a new library; the summary, or nullopt with the diagnostics printed.
    std::optional<FileImportResult> import(const QString &path, const QString &database)
    {
        Library library;
        if (Status s = library.open(database); !s) {
            qWarning() << s.error();
            return std::nullopt;
        }
        ImporterRegistry registry;
        auto imported = importFile(library, registry, path, QString(), ImportOptions());
        if (!imported) {
            qWarning() << imported.error();
            return std::nullopt;
        }
        for (const ImportDiagnostic &d : std::as_const(imported->summary.diagnostics)) {
            if (d.severity == ImportDiagnostic::Severity::Error)
                qWarning() << d.toString();
        }
        auto problems = library.check();
        if (!problems || !problems->isEmpty()) {
            qWarning() << "check:" << (problems ? problems->join(u"; "_s) : problems.error());
            return std::nullopt;
        }
        return imported.value();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto generator = SyntheticLibrary::withBundledTaxonomies();
        QVERIFY2(generator.ok(), qPrintable(generator.error()));
        m_generator = generator.value();
        Library library;
        QVERIFY(library.open(m_dir.filePath(u"taxonomies.sqlite"_s)));
        auto schemes = TaxonomyStore(library.database()).schemes();
        QVERIFY(schemes.ok());
        for (const Scheme &scheme : schemes.value())
            m_dimensions.insert(scheme.key, scheme.dimension);
    }

    void filesFor()
    {
        const SyntheticLibrary::Files files = SyntheticLibrary::filesFor(u"/data/big.json"_s);
        QCOMPARE(files.libraryJson, u"/data/big.json"_s);
        QCOMPARE(files.mitigationsCsv, u"/data/big.csv"_s);
        QCOMPARE(files.documentsCsv, u"/data/big.included-documents.csv"_s);
        QCOMPARE(SyntheticLibrary::filesFor(u"big.lib"_s).mitigationsCsv, u"big.lib.csv"_s);
    }

    void sameSeedSameBytes()
    {
        const SyntheticLibrary::Files a = generate(300, 12, 7);
        const SyntheticLibrary::Files b = generate(300, 12, 7);
        const SyntheticLibrary::Files c = generate(300, 12, 8);
        for (const auto &[first, second, other] : {std::tuple{a.libraryJson, b.libraryJson, c.libraryJson},
                 std::tuple{a.mitigationsCsv, b.mitigationsCsv, c.mitigationsCsv}, std::tuple{a.documentsCsv, b.documentsCsv, c.documentsCsv}}) {
            const QByteArray bytes = contents(first);
            QVERIFY2(bytes.size() > 1000, qPrintable(first));
            QVERIFY2(bytes == contents(second), qPrintable(second));
            QVERIFY2(bytes != contents(other), qPrintable(other));
        }
        // The first entries do not depend on how many follow them.
        const QList<CsvRecord> more = csvRecords(generate(400, 12, 7).mitigationsCsv);
        const QList<CsvRecord> fewer = csvRecords(a.mitigationsCsv);
        QVERIFY(more.size() > fewer.size());
        for (qsizetype i = 0; i < fewer.size(); ++i)
            QCOMPARE(more.at(i).fields, fewer.at(i).fields);
    }

    void shapes()
    {
        const qint64 entries = 500;
        const qint64 documents = 20;
        SyntheticLibrary::Summary summary;
        const SyntheticLibrary::Files files = generate(entries, documents, 42, &summary);
        QCOMPARE(summary.entries, entries);
        QCOMPARE(summary.documents, documents);
        QCOMPARE(summary.libraryJsonBytes, QFileInfo(files.libraryJson).size());
        QCOMPARE(summary.mitigationsCsvBytes, QFileInfo(files.mitigationsCsv).size());
        QCOMPARE(summary.documentsCsvBytes, QFileInfo(files.documentsCsv).size());

        const QJsonObject root = json(files.libraryJson);
        QCOMPARE(root.value(u"format"_s).toString(), u"mitigation-atlas-library"_s);
        const QJsonArray documentArray = root.value(u"documents"_s).toArray();
        const QJsonArray entryArray = root.value(u"entries"_s).toArray();
        QCOMPARE(qint64(documentArray.size()), documents);
        QCOMPARE(qint64(entryArray.size()), entries);

        QSet<QString> documentKeys;
        QSet<QString> titles;
        QSet<QString> shortRefs;
        for (const QJsonValue &value : documentArray) {
            const QJsonObject d = value.toObject();
            documentKeys.insert(d.value(u"key"_s).toString());
            titles.insert(d.value(u"title"_s).toString().toLower());
            shortRefs.insert(d.value(u"citation_key"_s).toString());
            QVERIFY(!d.value(u"authors"_s).toArray().isEmpty());
            QVERIFY(d.value(u"year"_s).toInt() >= 2015 && d.value(u"year"_s).toInt() <= 2025);
            QVERIFY(d.value(u"abstract"_s).toString().size() >= 400);
            QVERIFY(d.value(u"url"_s).toString().startsWith(u"https://"_s));
            if (d.value(u"kind"_s).toString() == u"preprint"_s) {
                QVERIFY(!d.value(u"arxiv_id"_s).toString().isEmpty());
                QCOMPARE(d.value(u"doi"_s).toString(), u"10.48550/arxiv."_s + d.value(u"arxiv_id"_s).toString());
            }
        }
        QCOMPARE(qint64(documentKeys.size()), documents);
        QCOMPARE(qint64(titles.size()), documents);
        QCOMPARE(qint64(shortRefs.size()), documents);

        QHash<QString, QString> parentOf; // key -> parent key, for the entries before
        QSet<QString> dimensions;
        qint64 classifications = 0;
        qint64 children = 0;
        qint64 tagged = 0;
        for (const QJsonValue &value : entryArray) {
            const QJsonObject e = value.toObject();
            const QString key = e.value(u"key"_s).toString();
            const int length = int(e.value(u"text"_s).toString().size());
            QVERIFY2(length >= 200 && length <= 2000, qPrintable(u"%1: %2 characters"_s.arg(key).arg(length)));
            QVERIFY(!e.value(u"name"_s).toString().trimmed().isEmpty());
            // Timestamps as Qt writes them (the generator formats them itself).
            for (const QString &stamp : {e.value(u"created_at"_s).toString(), e.value(u"modified_at"_s).toString()}) {
                const QDateTime time = QDateTime::fromString(stamp, Qt::ISODate);
                QVERIFY2(time.isValid() && time.toString(Qt::ISODate) == stamp, qPrintable(stamp));
                QVERIFY(time.date().year() >= 2024 && time.date().year() <= 2026);
            }
            QVERIFY(documentKeys.contains(e.value(u"document"_s).toString()));
            const QJsonArray list = e.value(u"classifications"_s).toArray();
            QVERIFY2(list.size() >= 3 && list.size() <= 6, qPrintable(key));
            QSet<QString> schemes;
            for (const QJsonValue &c : list) {
                const QString scheme = c.toObject().value(u"scheme"_s).toString();
                QVERIFY2(m_dimensions.contains(scheme), qPrintable(scheme));
                QVERIFY2(!schemes.contains(scheme), qPrintable(key));
                schemes.insert(scheme);
                dimensions.insert(dimensionKey(m_dimensions.value(scheme)));
            }
            QVERIFY(schemes.contains(u"mit-mitigation-v1"_s));
            classifications += list.size();
            // A parent comes earlier in the file, is a top-level entry and has the same document.
            const QString parent = e.value(u"parent"_s).toString();
            if (!parent.isEmpty()) {
                QVERIFY2(parentOf.contains(parent), qPrintable(key));
                QVERIFY(parentOf.value(parent).isEmpty());
                ++children;
            }
            parentOf.insert(key, parent);
            const QJsonArray tags = e.value(u"tags"_s).toArray();
            tagged += tags.isEmpty() ? 0 : 1;
            for (const QJsonValue &tag : tags) {
                QVERIFY(!tag.toArray().isEmpty());
                for (const QJsonValue &name : tag.toArray())
                    QVERIFY(!name.toString().isEmpty() && !name.toString().contains(u'/'));
            }
        }
        QCOMPARE(classifications, summary.classifications);
        QCOMPARE(children, summary.childEntries);
        QVERIFY(children > entries / 20);
        QVERIFY(tagged > entries / 4);
        for (Dimension dimension : allDimensions())
            QVERIFY2(dimensions.contains(dimensionKey(dimension)), qPrintable(dimensionKey(dimension)));

        // The CSV pair holds the same entries and documents, with the real tables' headers.
        const QList<CsvRecord> mitigations = csvRecords(files.mitigationsCsv);
        QCOMPARE(qint64(mitigations.size()), entries + 1);
        QCOMPARE(mitigations.first().fields, (QStringList{u"Action ID"_s, u"Action Name"_s, u"Action Definition"_s, u"Action Source"_s, u"MitigationCode"_s}));
        for (qsizetype i = 0; i < entryArray.size(); ++i) {
            const QJsonObject e = entryArray.at(i).toObject();
            const QStringList &row = mitigations.at(i + 1).fields;
            QCOMPARE(row.size(), 5);
            QCOMPARE(row.at(0), e.value(u"external_id"_s).toString());
            QCOMPARE(row.at(1), e.value(u"name"_s).toString());
            QCOMPARE(row.at(2), e.value(u"text"_s).toString());
            QCOMPARE(row.at(3), e.value(u"extra"_s).toObject().value(u"Action Source"_s).toString());
            QVERIFY(row.at(4).startsWith(e.value(u"classifications"_s).toArray().first().toObject().value(u"code"_s).toString() + u' '));
        }
        const QList<CsvRecord> documentRows = csvRecords(files.documentsCsv);
        QCOMPARE(qint64(documentRows.size()), documents + 1);
        QCOMPARE(documentRows.first().fields,
            (QStringList{
                u"ShortRef"_s, u"DocumentID"_s, u"Title"_s, u"First author"_s, u"Year"_s, u"Abstract"_s, u"Description"_s, u"URL"_s, u"DOI"_s, u"Type"_s}));
        for (qsizetype i = 0; i < documentArray.size(); ++i) {
            const QStringList &row = documentRows.at(i + 1).fields;
            QCOMPARE(row.at(0), documentArray.at(i).toObject().value(u"citation_key"_s).toString());
            QCOMPARE(row.at(2), documentArray.at(i).toObject().value(u"title"_s).toString());
        }
    }

    void importsBoth_data()
    {
        QTest::addColumn<qint64>("entries");
        QTest::addColumn<qint64>("documents");
        QTest::newRow("typical") << qint64(400) << qint64(15);
        QTest::newRow("more documents than entries") << qint64(20) << qint64(60);
        QTest::newRow("one of each") << qint64(1) << qint64(1);
    }

    void importsBoth()
    {
        QFETCH(qint64, entries);
        QFETCH(qint64, documents);
        SyntheticLibrary::Summary summary;
        const SyntheticLibrary::Files files = generate(entries, documents, 3, &summary);

        const auto fromJson = import(files.libraryJson, files.libraryJson + u".sqlite"_s);
        QVERIFY(fromJson);
        QCOMPARE(fromJson->formatKey, u"library-json"_s);
        QVERIFY(!fromJson->summary.hasErrors());
        QCOMPARE(qint64(fromJson->summary.entries.added), entries);
        QCOMPARE(qint64(fromJson->summary.documents.added), documents);
        QCOMPARE(fromJson->summary.entries.merged + fromJson->summary.documents.merged, 0);
        QCOMPARE(fromJson->summary.conflicts, 0);
        // Every classification names a node the bundled taxonomies hold.
        QCOMPARE(fromJson->summary.provisionalNodes, 0);
        QCOMPARE(qint64(fromJson->summary.classificationsAdded), summary.classifications + summary.documentClassifications);
        QCOMPARE(qint64(fromJson->summary.tagLinksAdded), summary.tagLinks);

        const auto fromCsv = import(files.mitigationsCsv, files.mitigationsCsv + u".sqlite"_s);
        QVERIFY(fromCsv);
        QCOMPARE(fromCsv->formatKey, u"mit-v1-csv"_s);
        QVERIFY(!fromCsv->summary.hasErrors());
        QCOMPARE(qint64(fromCsv->summary.entries.added), entries);
        QCOMPARE(qint64(fromCsv->summary.documents.added), documents);
        QCOMPARE(fromCsv->summary.provisionalNodes, 0);
        QCOMPARE(qint64(fromCsv->summary.classificationsAdded), entries);

        // Both libraries hold the same entries, each linked to the same document.
        Library json;
        Library csv;
        QVERIFY(json.open(files.libraryJson + u".sqlite"_s));
        QVERIFY(csv.open(files.mitigationsCsv + u".sqlite"_s));
        const QString query
            = u"SELECT e.external_id, e.name, e.text, d.citation_key FROM entry e JOIN document d ON d.id = e.document_id ORDER BY e.external_id"_s;
        auto a = Sql::exec(json.database(), query);
        auto b = Sql::exec(csv.database(), query);
        QVERIFY(a && b);
        qint64 rows = 0;
        while (a.value().next()) {
            QVERIFY(b.value().next());
            for (int column = 0; column < 4; ++column)
                QCOMPARE(a.value().value(column).toString(), b.value().value(column).toString());
            ++rows;
        }
        QVERIFY(!b.value().next());
        QCOMPARE(rows, entries);
    }

    void emptyAndEntriesWithoutDocuments()
    {
        SyntheticLibrary::Summary summary;
        const SyntheticLibrary::Files empty = generate(0, 0, 1, &summary);
        QVERIFY(json(empty.libraryJson).value(u"entries"_s).toArray().isEmpty());
        QCOMPARE(int(csvRecords(empty.mitigationsCsv).size()), 1);
        QCOMPARE(int(csvRecords(empty.documentsCsv).size()), 1);

        const SyntheticLibrary::Files alone = generate(30, 0, 1, &summary);
        const auto imported = import(alone.libraryJson, alone.libraryJson + u".sqlite"_s);
        QVERIFY(imported);
        QVERIFY(!imported->summary.hasErrors());
        QCOMPARE(imported->summary.entries.added, 30);
        QCOMPARE(imported->summary.documents.added, 0);
    }

    void refusesAndStops()
    {
        SyntheticLibrary::Options options;
        options.entries = -1;
        const SyntheticLibrary::Files files = SyntheticLibrary::filesFor(m_dir.filePath(u"refused.json"_s));
        QVERIFY(!m_generator->write(options, files));
        QVERIFY(!QFileInfo::exists(files.libraryJson));

        const SyntheticLibrary::Files nowhere = SyntheticLibrary::filesFor(m_dir.filePath(u"no/such/folder/x.json"_s));
        options.entries = 10;
        const auto failed = m_generator->write(options, nowhere);
        QVERIFY(!failed);
        QVERIFY(failed.error().contains(u"x.json"_s));

        // Stopped half-way: nothing is left behind.
        options.entries = 5000;
        options.documents = 10;
        qint64 calls = 0;
        options.progress = [&calls](qint64 done, qint64 total) {
            ++calls;
            return done < total / 2;
        };
        QVERIFY(!m_generator->write(options, files));
        QVERIFY(calls > 1);
        for (const QString &path : {files.libraryJson, files.mitigationsCsv, files.documentsCsv})
            QVERIFY2(!QFileInfo::exists(path), qPrintable(path));
    }
};

QTEST_GUILESS_MAIN(SyntheticLibraryTest)
#include "syntheticlibrary_test.moc"

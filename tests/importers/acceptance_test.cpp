// The import acceptance facts of the project, on the real files: the three seed pages in any
// order, the abstract list, the awesome paper list, the MIT v1 database; importing twice
// changes nothing; a malformed file leaves the library as it was.
#include "fileimport.h"
#include "importwriter.h"
#include "library.h"
#include "libraryreader.h"
#include "sql.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Atlas;
using namespace Qt::StringLiterals;

namespace
{

QString shared(const QString &relative)
{
    return QDir(QStringLiteral(ATLAS_SHARED_DIR)).filePath(relative);
}

const QString seed000 = u"seeds/000_c9b4ed642a83cae2.txt"_s;
const QString seed001 = u"seeds/001_941bdcbe8d94e6ef.txt"_s;
const QString seed002 = u"seeds/002_a0a8653dee302dd3.txt"_s;
const QString seed003 = u"seeds/003_e84dd38198dead75.txt"_s;

QByteArray snapshot(Library &library)
{
    LibraryReader reader(library.database());
    const auto entries = reader.entries();
    const auto documents = reader.documents();
    QJsonArray all;
    if (entries && documents) {
        for (const EntryView &e : entries.value())
            all.append(e.toJson());
        for (const DocumentView &d : documents.value())
            all.append(d.toJson());
    }
    all.append(Sql::scalar(library.database(), u"SELECT count(*) FROM taxonomy_node"_s).value().toInt());
    all.append(Sql::scalar(library.database(), u"SELECT count(*) FROM import_batch"_s).value().toInt());
    return QJsonDocument(all).toJson(QJsonDocument::Compact);
}

QStringList codesOf(const EntryView &e, const QString &scheme)
{
    QStringList codes;
    for (const ClassificationView &c : e.classifications) {
        if (c.scheme == scheme)
            codes.append(c.code.isEmpty() ? c.name : c.code);
    }
    codes.sort();
    return codes;
}

} // namespace

class AcceptanceTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    ImporterRegistry m_registry;
    int m_count = 0;

    std::unique_ptr<Library> newLibrary()
    {
        auto library = std::make_unique<Library>();
        if (!library->open(m_dir.filePath(u"lib%1.sqlite"_s.arg(++m_count))).ok())
            qWarning("cannot open a library");
        return library;
    }

    ImportSummary import(Library &library, const QString &relative, const QString &format = {})
    {
        QElapsedTimer timer;
        timer.start();
        auto result = importFile(library, m_registry, shared(relative), format, {});
        if (!result) {
            qWarning("%s", qPrintable(result.error()));
            return {};
        }
        for (const ImportDiagnostic &d : result->summary.diagnostics) {
            if (d.severity == ImportDiagnostic::Severity::Error)
                qWarning("%s", qPrintable(d.toString()));
        }
        qInfo("%s: %s in %lld ms", qPrintable(relative), qPrintable(result->formatKey), timer.elapsed());
        return result->summary;
    }

    const EntryView *find(const QList<EntryView> &entries, const std::function<bool(const EntryView &)> &predicate)
    {
        for (const EntryView &e : entries) {
            if (predicate(e))
                return &e;
        }
        return nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFileInfo::exists(shared(seed000)))
            QSKIP("../shared is not beside the checkout");
    }

    void seedPagesInAnyOrder_data()
    {
        QTest::addColumn<QStringList>("order");
        QTest::newRow("000 001 002") << QStringList{seed000, seed001, seed002};
        QTest::newRow("001 000 002") << QStringList{seed001, seed000, seed002};
        QTest::newRow("002 001 000") << QStringList{seed002, seed001, seed000};
    }

    void seedPagesInAnyOrder()
    {
        QFETCH(QStringList, order);
        auto library = newLibrary();
        for (const QString &page : order) {
            const ImportSummary summary = import(*library, page);
            QVERIFY2(summary.written && !summary.hasErrors(), qPrintable(page + u": "_s + summary.text()));
        }
        LibraryReader reader(library->database());
        const auto documents = reader.documents();
        QVERIFY(documents.ok());
        QCOMPARE(documents->size(), 1);
        const DocumentView &survey = documents->first();
        QCOMPARE(survey.title, u"Large Language Model Safety: A Holistic Survey"_s);
        QCOMPARE(survey.authors.size(), 13);
        QCOMPARE(survey.authors.first(), u"Shi, Dan"_s);
        QCOMPARE(survey.year, std::optional<int>(2024));
        QVERIFY(survey.abstract.startsWith(u"The rapid development"_s));

        const auto entries = reader.entries();
        QVERIFY(entries.ok());
        const QList<EntryView> &all = entries.value();
        // 000's own entry, named by the listings of 001 and 002.
        const EntryView *toxicity = find(all, [](const EntryView &e) {
            return e.name.compare(u"Methods for mitigating toxicity"_s, Qt::CaseInsensitive) == 0;
        });
        QVERIFY(toxicity);
        QCOMPARE(toxicity->parentName, u"Value Misalignment"_s);
        QVERIFY(!toxicity->listingOnly);
        QVERIFY(!toxicity->needsReview);
        QCOMPARE(codesOf(*toxicity, u"mit-mitigation-v2"_s), QStringList{u"1"_s});
        int phases = 0;
        for (const QString &phase : {u"pre-training phase"_s, u"supervised fine-tuning phase"_s, u"alignment phase"_s}) {
            const EntryView *e = find(all, [&](const EntryView &v) {
                return v.name.endsWith(phase) && v.parentId == toxicity->id;
            });
            QVERIFY2(e, qPrintable(phase));
            QCOMPARE(codesOf(*e, u"mit-mitigation-v2"_s), QStringList{phase.startsWith(u"pre"_s) ? u"1.1.1"_s : u"1.1.2"_s});
            QVERIFY(!e->text.isEmpty());
            ++phases;
        }
        QCOMPARE(phases, 3);
        const EntryView *redTeaming = find(all, [](const EntryView &e) {
            return e.name == u"Red teaming"_s;
        });
        QVERIFY(redTeaming);
        QCOMPARE(codesOf(*redTeaming, u"mit-mitigation-v2"_s), QStringList{u"2.2.2"_s});
        QVERIFY(redTeaming->listingOnly);
        QCOMPARE(redTeaming->parentName, u"Robustness to attack"_s);
        QVERIFY(redTeaming->text.startsWith(u"Red teaming is widely used"_s));

        const EntryView *postTraining = find(all, [](const EntryView &e) {
            return e.text.startsWith(u"Post-training is crucial"_s);
        });
        QVERIFY(postTraining);
        QCOMPARE(codesOf(*postTraining, u"mit-mitigation-v2"_s), QStringList{u"1.1.2"_s});
        QCOMPARE(codesOf(*postTraining, u"lifecycle"_s), QStringList{u"Build and Use Model"_s});
        QCOMPARE(codesOf(*postTraining, u"actor"_s), QStringList{u"Developer"_s});
        QCOMPARE(codesOf(*postTraining, u"nist-ai-rmf"_s), QStringList{u"Manage"_s});
        QCOMPARE(postTraining->parentName, u"Mitigating social bias"_s);
        QVERIFY(!postTraining->reasoning.isEmpty());

        const EntryView *studies = find(all, [](const EntryView &e) {
            return e.text.startsWith(u"Recent studies argue"_s);
        });
        QVERIFY(studies);
        QCOMPARE(codesOf(*studies, u"mit-mitigation-v2"_s), QStringList{u"2.4.1"_s});
        QCOMPARE(codesOf(*studies, u"nist-ai-rmf"_s), QStringList{u"Measure"_s});

        // Each listed item once; listing-only items under their risk path.
        QSet<QString> places;
        for (const EntryView &e : all) {
            const QString place = e.parentName + u" > "_s + e.name.toLower();
            QVERIFY2(!places.contains(place), qPrintable(u"twice: "_s + place));
            places.insert(place);
        }
        QVERIFY(library->check().value().isEmpty());

        // The abstract list: one new document, the other merged into the survey.
        const ImportSummary abstracts = import(*library, seed003);
        QVERIFY2(!abstracts.hasErrors(), qPrintable(abstracts.text()));
        QCOMPARE(abstracts.documents.added, 1);
        QCOMPARE(abstracts.documents.added + abstracts.documents.merged + abstracts.documents.unchanged, 2);
        QCOMPARE(reader.documents()->size(), 2);

        // Everything again: nothing changes.
        const QByteArray before = snapshot(*library);
        for (const QString &page : order + QStringList{seed003})
            QVERIFY2(!import(*library, page).written, qPrintable(page));
        QCOMPARE(snapshot(*library), before);
    }

    void awesomePaperList()
    {
        auto library = newLibrary();
        const ImportSummary summary = import(*library, u"data/paper-lists/awesome-llm-safety-papers.md"_s);
        QVERIFY2(summary.written && !summary.hasErrors(), qPrintable(summary.text()));
        const auto documents = LibraryReader(library->database()).documents();
        QVERIFY(documents.ok());
        qInfo("%lld documents, %d conflicts", qlonglong(documents->size()), summary.conflicts);
        QVERIFY(documents->size() >= 380);
        QVERIFY(documents->size() <= 400);
        int multiSection = 0, complete = 0;
        for (const DocumentView &d : documents.value()) {
            QVERIFY2(!d.title.isEmpty() && d.year, qPrintable(d.title));
            QVERIFY2(!d.tags.isEmpty(), qPrintable(d.title));
            multiSection += d.tags.size() > 1 ? 1 : 0;
            complete += !d.url.isEmpty() || !d.arxivId.isEmpty() ? 1 : 0;
        }
        qInfo("%d documents with title, year and a link", complete);
        QVERIFY(complete >= 380);
        // The few items the list gives no link ("[Paper]" with no URL) are kept and reported.
        int unlinked = 0;
        for (const ImportDiagnostic &d : summary.diagnostics)
            unlinked += d.message.endsWith(u"has no link"_s) ? 1 : 0;
        QVERIFY(unlinked >= int(documents->size()) - complete);
        QVERIFY(multiSection > 0); // papers listed under several headings carry all their sections
        const QByteArray before = snapshot(*library);
        QVERIFY(!import(*library, u"data/paper-lists/awesome-llm-safety-papers.md"_s).written);
        QCOMPARE(snapshot(*library), before);
    }

    void mitMitigationDatabaseV1()
    {
        auto library = newLibrary();
        const ImportSummary summary = import(*library, u"data/mit-mitigation-db-v1/mitigation-database-2025-07-23.csv"_s);
        QVERIFY2(summary.written && !summary.hasErrors(), qPrintable(summary.text()));
        QCOMPARE(summary.entries.added, 831);
        QCOMPARE(summary.documents.added, 13);
        QCOMPARE(Sql::scalar(library->database(), u"SELECT count(DISTINCT external_id) FROM entry"_s).value().toInt(), 831);
        QCOMPARE(Sql::scalar(library->database(), u"SELECT count(*) FROM entry WHERE document_id IS NULL"_s).value().toInt(), 0);
        QCOMPARE(Sql::scalar(library->database(),
                     u"SELECT count(DISTINCT c.entry_id) FROM classification c JOIN taxonomy_node n ON n.id = c.node_id JOIN scheme s ON s.id = n.scheme_id "
                     "WHERE s.key = 'mit-mitigation-v1'"_s)
                     .value()
                     .toInt(),
            831);
        const QByteArray before = snapshot(*library);
        QVERIFY(!import(*library, u"data/mit-mitigation-db-v1/mitigation-database-2025-07-23.csv"_s).written);
        QCOMPARE(snapshot(*library), before);
    }

    void malformedFilesLeaveTheLibraryAlone_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("format");
        QTest::newRow("binary junk") << QByteArray("\x00\x01\x02\xff\xfe garbage", 14) << QString();
        QTest::newRow("invalid UTF-8") << QByteArray("@article{a,\n title={Caf\xe9}\n}\n") << u"bibtex"_s;
        QTest::newRow("unbalanced braces") << QByteArray("@article{a,\n title={Open\n}\n") << u"bibtex"_s;
        QTest::newRow("broken CSV quoting") << QByteArray("Action ID,Action Name,Action Definition,Action Source,MitigationCode\nA1,\"Broken,x,y,1.1 Z\n") << QString();
        QTest::newRow("truncated library JSON") << QByteArray("{\"format\": \"mitigation-atlas-library\", \"version\": 1, \"documents\": [{\"key\"") << QString();
        QTest::newRow("empty file") << QByteArray() << u"ris"_s;
    }

    void malformedFilesLeaveTheLibraryAlone()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, format);
        auto library = newLibrary();
        QVERIFY(import(*library, seed001).written);
        const QByteArray before = snapshot(*library);
        const QString path = m_dir.filePath(u"bad%1.txt"_s.arg(m_count));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
        file.close();
        auto result = importFile(*library, m_registry, path, format, {});
        QVERIFY(result.ok());
        QVERIFY(!result->summary.written);
        if (!content.isEmpty()) {
            QVERIFY(result->summary.hasErrors());
            for (const ImportDiagnostic &d : result->summary.diagnostics)
                QVERIFY2(d.toString().startsWith(path), qPrintable(d.toString())); // names the file
        }
        QCOMPARE(snapshot(*library), before);
    }
};

QTEST_GUILESS_MAIN(AcceptanceTest)
#include "acceptance_test.moc"

// ImportWriter: matching, merging, conflicts, strict/skip/dry-run modes, undo, and the listing
// rules of survey pages, on records built by hand.
#include "importwriter.h"
#include "libraryreader.h"
#include "testlibrary.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;
using namespace Atlas;
using namespace AtlasTest;

namespace
{

DocumentRecord paper(const QString &title, int year, const QString &doi = {}, const QString &arxiv = {})
{
    DocumentRecord d;
    d.key = title;
    d.title = title;
    d.year = year;
    d.doi = doi;
    d.arxivId = arxiv;
    return d;
}

ParseResult withDocuments(const QList<DocumentRecord> &documents)
{
    ParseResult result;
    result.records.documents = documents;
    return result;
}

ClassificationRecord code(const QString &scheme, const QString &c, const QString &name = {})
{
    ClassificationRecord r;
    r.schemeKey = scheme;
    r.code = c;
    r.name = name;
    return r;
}

ClassificationRecord path(const QString &scheme, const QStringList &p)
{
    ClassificationRecord r;
    r.schemeKey = scheme;
    r.path = p;
    return r;
}

// Everything a user can see of the library, for "nothing changed" comparisons.
QByteArray snapshot(Library &library)
{
    LibraryReader reader(library.database());
    QJsonArray all;
    const auto entries = reader.entries();
    const auto documents = reader.documents();
    if (!entries || !documents)
        return {};
    for (const EntryView &e : entries.value())
        all.append(e.toJson());
    for (const DocumentView &d : documents.value())
        all.append(d.toJson());
    all.append(scalar(library, u"SELECT count(*) FROM taxonomy_node"_s).toInt());
    all.append(scalar(library, u"SELECT count(*) FROM tag"_s).toInt());
    return QJsonDocument(all).toJson(QJsonDocument::Compact);
}

} // namespace

class ImportWriterTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_counter = 0;

    std::unique_ptr<Library> newLibrary()
    {
        auto library = std::make_unique<Library>();
        const Status opened = library->open(m_dir.filePath(u"lib%1.sqlite"_s.arg(++m_counter)));
        if (!opened)
            qWarning("%s", qPrintable(opened.error()));
        return library;
    }

    static ImportSummary apply(Library &library, const ParseResult &parsed, ImportOptions options = {})
    {
        if (options.format.isEmpty())
            options.format = u"test"_s;
        if (options.file.isEmpty())
            options.file = u"input.txt"_s;
        ImportWriter writer(library);
        auto summary = writer.apply(parsed, options);
        if (!summary)
            qWarning("apply failed: %s", qPrintable(summary.error()));
        return summary.ok() ? summary.value() : ImportSummary{};
    }

private Q_SLOTS:
    void documentsMatchByDoiArxivTitleAndAbstract()
    {
        auto library = newLibrary();
        auto first = apply(*library, withDocuments({paper(u"Alpha: A Study"_s, 2020, u"10.1/a"_s), paper(u"Beta Things"_s, 2021, {}, u"2101.00001"_s),
                                          paper(u"Gamma Rays in Practice"_s, 2022)}));
        QCOMPARE(first.documents.added, 3);
        QVERIFY(first.written);

        DocumentRecord byDoi = paper(u"ALPHA — a study"_s, 2020, u"10.1/A"_s);
        byDoi.venue = u"Venue A"_s;
        DocumentRecord byArxiv = paper(u"Beta things"_s, 2021, {}, u"2101.00001"_s);
        DocumentRecord byTitle = paper(u"Gamma rays in practice."_s, 2022);
        byTitle.authors = {u"Doe, Jane"_s};
        DocumentRecord otherYear = paper(u"Gamma Rays in Practice"_s, 2015);
        auto second = apply(*library, withDocuments({byDoi, byArxiv, byTitle, otherYear}));
        QCOMPARE(second.documents.merged, 2); // venue and authors filled
        QCOMPARE(second.documents.unchanged, 1);
        QCOMPARE(second.documents.added, 1); // same title, other year: another paper
        QCOMPARE(scalar(*library, u"SELECT venue FROM document WHERE doi = '10.1/a'"_s).toString(), u"Venue A"_s);
        QCOMPARE(scalar(*library, u"SELECT count(*) FROM document"_s).toInt(), 4);
    }

    void clearlyDifferentTitlesAreAConflictNotAMerge()
    {
        auto library = newLibrary();
        apply(*library, withDocuments({paper(u"Deep Reinforcement Learning from Human Preferences"_s, 2017, {}, u"2008.02275"_s)}));
        auto second = apply(*library, withDocuments({paper(u"Aligning AI With Shared Human Values"_s, 2020, {}, u"2008.02275"_s)}));
        QCOMPARE(second.conflicts, 1);
        QCOMPARE(second.documents.added, 1);
        QCOMPARE(scalar(*library, u"SELECT count(*) FROM document"_s).toInt(), 2);
        bool reported = false;
        for (const ImportDiagnostic &d : second.diagnostics)
            reported = reported || (d.message.contains(u"conflict"_s) && d.message.contains(u"2008.02275"_s));
        QVERIFY(reported);
        // The same file again: each record finds its own document; nothing changes.
        auto third = apply(*library, withDocuments({paper(u"Aligning AI With Shared Human Values"_s, 2020, {}, u"2008.02275"_s)}));
        QCOMPARE(third.documents.unchanged, 1);
        QVERIFY(!third.written);
    }

    void inferredTitlesMatchByAbstractAndGiveWay()
    {
        auto library = newLibrary();
        const QString abstract = u"We study how red teaming language models with language models finds harmful behaviours before deployment."_s;
        DocumentRecord bare;
        bare.title = u"We study how red teaming language models"_s;
        bare.titleInferred = true;
        bare.needsReview = true;
        bare.abstract = abstract;
        apply(*library, withDocuments({bare}));
        QCOMPARE(scalar(*library, u"SELECT needs_review FROM document"_s).toInt(), 1);
        DocumentRecord real = paper(u"Red Teaming Language Models with Language Models"_s, 2022);
        real.abstract = abstract + u"  "_s;
        auto merged = apply(*library, withDocuments({real}));
        QCOMPARE(merged.documents.merged, 1);
        QCOMPARE(scalar(*library, u"SELECT count(*) FROM document"_s).toInt(), 1);
        QCOMPARE(scalar(*library, u"SELECT title FROM document"_s).toString(), real.title);
        QCOMPARE(scalar(*library, u"SELECT needs_review FROM document"_s).toInt(), 0);
    }

    void curatorEditsAreNeverOverwritten()
    {
        auto library = newLibrary();
        apply(*library, withDocuments({paper(u"Kappa"_s, 2020)}));
        exec(*library, u"UPDATE document SET edited_fields = '[\"venue\"]'"_s);
        DocumentRecord again = paper(u"Kappa"_s, 2020);
        again.venue = u"Imported venue"_s;
        again.url = u"https://example.org/kappa"_s;
        apply(*library, withDocuments({again}));
        QVERIFY(scalar(*library, u"SELECT venue FROM document"_s).isNull());
        QCOMPARE(scalar(*library, u"SELECT url FROM document"_s).toString(), again.url);
    }

    void strictModeWritesNothingOnError()
    {
        auto library = newLibrary();
        const QByteArray before = snapshot(*library);
        ParseResult parsed = withDocuments({paper(u"Good"_s, 2020)});
        parsed.diagnostics.append(ImportDiagnostic{ImportDiagnostic::Severity::Error, u"input.bib"_s, 7, u"unbalanced braces"_s});
        parsed.skipped = 1;
        auto strict = apply(*library, parsed);
        QVERIFY(!strict.written);
        QVERIFY(strict.hasErrors());
        QCOMPARE(snapshot(*library), before);
        QCOMPARE(scalar(*library, u"SELECT count(*) FROM import_batch"_s).toInt(), 0);

        ImportOptions skip;
        skip.skipInvalid = true;
        auto skipped = apply(*library, parsed, skip);
        QVERIFY(skipped.written);
        QCOMPARE(skipped.skipped, 1);
        QCOMPARE(scalar(*library, u"SELECT count(*) FROM document"_s).toInt(), 1);
        QCOMPARE(scalar(*library, u"SELECT skipped FROM import_batch"_s).toInt(), 1);
    }

    void dryRunReportsButWritesNothing()
    {
        auto library = newLibrary();
        const QByteArray before = snapshot(*library);
        ImportOptions dry;
        dry.dryRun = true;
        auto summary = apply(*library, withDocuments({paper(u"One"_s, 2020), paper(u"Two"_s, 2021)}), dry);
        QCOMPARE(summary.documents.added, 2);
        QVERIFY(!summary.written);
        QCOMPARE(snapshot(*library), before);
    }

    void cancellingWritesNothing()
    {
        auto library = newLibrary();
        const QByteArray before = snapshot(*library);
        ImportOptions options;
        options.progress = [](int done, int) { return done < 2; };
        auto summary = apply(*library, withDocuments({paper(u"One"_s, 2020), paper(u"Two"_s, 2021), paper(u"Three"_s, 2022)}), options);
        QVERIFY(summary.cancelled);
        QVERIFY(!summary.written);
        QCOMPARE(snapshot(*library), before);
    }

    void undoRemovesAdditionsAndRestoresMerges()
    {
        auto library = newLibrary();
        DocumentRecord base = paper(u"Base paper"_s, 2019);
        base.tags = {{u"Robustness"_s}};
        apply(*library, withDocuments({base}));
        const QByteArray before = snapshot(*library);

        DocumentRecord fill = paper(u"Base paper"_s, 2019);
        fill.venue = u"NeurIPS"_s;
        fill.tags = {{u"Robustness"_s}, {u"Attacks"_s, u"Jailbreak"_s}};
        fill.classifications = {path(u"llm-safety-survey"_s, {u"Robustness to attack"_s, u"Brand new area"_s})};
        EntryRecord entry;
        entry.name = u"An entry"_s;
        entry.documentKey = fill.key;
        entry.classifications = {code(u"mit-mitigation-v2"_s, u"9.9.9"_s, u"Unheard of"_s)};
        ParseResult parsed = withDocuments({fill, paper(u"New paper"_s, 2024)});
        parsed.records.entries = {entry};
        auto second = apply(*library, parsed);
        QVERIFY(second.written);
        QCOMPARE(second.documents.merged, 1);
        QCOMPARE(second.documents.added, 1);
        QCOMPARE(second.provisionalNodes, 2);
        QVERIFY(snapshot(*library) != before);

        ImportWriter writer(*library);
        auto undone = writer.undo(second.batchId);
        QVERIFY2(undone.ok(), qPrintable(undone.error()));
        QCOMPARE(snapshot(*library), before);
        QCOMPARE(writer.batch(second.batchId)->status, u"undone"_s);
        QVERIFY(!writer.undo(second.batchId).ok()); // only once
        QVERIFY(library->check().value().isEmpty());
    }

    // The rows an import adds are indexed by one statement before it commits (the FTS triggers
    // leave them to it, schema 4); rows it merges into that existed before are indexed by the
    // triggers. After every import, merge, dry run, cancel and undo the indexes match the tables,
    // no deferral is left, and other writers are indexed by the triggers again.
    void fullTextIndexesFollowImportsMergesAndUndo()
    {
        auto library = newLibrary();
        const auto hits = [&](const QString &table, const QString &word) {
            return scalar(*library, u"SELECT count(*) FROM %1 WHERE %1 MATCH ?"_s.arg(table), {word}).toInt();
        };
        const auto consistent = [&] {
            const auto problems = library->check();
            if (!problems.ok() || !problems.value().isEmpty())
                qWarning("%s", qPrintable(problems.ok() ? problems.value().join(u"; "_s) : problems.error()));
            return problems.ok() && problems.value().isEmpty() && scalar(*library, u"SELECT count(*) FROM fts_deferral"_s).toInt() == 0;
        };
        const qint64 before = addEntry(*library, u"Existing entry"_s); // indexed by the trigger, no text

        EntryRecord added;
        added.key = u"e1"_s;
        added.externalId = u"X1"_s;
        added.name = u"Watermark outputs"_s;
        added.text = u"Embed a zebrafish signal in generated text."_s;
        EntryRecord sameAgain = added; // matched by its source id: merges into the row just added
        sameAgain.key = u"e2"_s;
        sameAgain.reasoning = u"Provenance of quokka pictures."_s;
        EntryRecord fillsOld; // fills the empty text of the entry made before the import
        fillsOld.name = u"Existing entry"_s;
        fillsOld.text = u"Now about narwhal audits."_s;
        DocumentRecord document = paper(u"Axolotl robustness survey"_s, 2024);
        document.abstract = u"A survey of pangolin attacks."_s;
        ParseResult parsed = withDocuments({document});
        parsed.records.entries = {added, sameAgain, fillsOld};

        ImportOptions dryRun;
        dryRun.dryRun = true;
        QVERIFY(!apply(*library, parsed, dryRun).written);
        QCOMPARE(hits(u"entry_fts"_s, u"zebrafish"_s), 0);
        QVERIFY(consistent());

        ImportOptions cancel;
        cancel.progress = [](int done, int) { return done < 2; };
        QVERIFY(apply(*library, parsed, cancel).cancelled);
        QCOMPARE(hits(u"document_fts"_s, u"axolotl"_s), 0);
        QVERIFY(consistent());

        const ImportSummary summary = apply(*library, parsed);
        QVERIFY(summary.written);
        QCOMPARE(summary.entries.added, 1);
        QCOMPARE(summary.entries.merged, 1);
        QCOMPARE(hits(u"entry_fts"_s, u"zebrafish"_s), 1);
        QCOMPARE(hits(u"entry_fts"_s, u"quokka"_s), 1);
        QCOMPARE(hits(u"entry_fts"_s, u"narwhal"_s), 1);
        QCOMPARE(scalar(*library, u"SELECT rowid FROM entry_fts WHERE entry_fts MATCH 'narwhal'"_s).toLongLong(), before);
        QCOMPARE(hits(u"document_fts"_s, u"axolotl"_s), 1);
        QCOMPARE(hits(u"document_fts"_s, u"pangolin"_s), 1);
        QVERIFY(consistent());

        // Writes after the import are indexed by the triggers.
        exec(*library, u"UPDATE entry SET text = 'About okapi.' WHERE external_id = 'X1'"_s);
        QCOMPARE(hits(u"entry_fts"_s, u"zebrafish"_s), 0);
        QCOMPARE(hits(u"entry_fts"_s, u"okapi"_s), 1);
        addEntry(*library, u"Later entry"_s, u"Kept for the tapir."_s);
        QCOMPARE(hits(u"entry_fts"_s, u"tapir"_s), 1);
        QVERIFY(consistent());

        ImportWriter writer(*library);
        QVERIFY(writer.undo(summary.batchId).ok());
        QCOMPARE(hits(u"entry_fts"_s, u"okapi"_s), 0);
        QCOMPARE(hits(u"entry_fts"_s, u"narwhal"_s), 0);
        QCOMPARE(hits(u"document_fts"_s, u"axolotl"_s), 0);
        QCOMPARE(hits(u"entry_fts"_s, u"tapir"_s), 1);
        QVERIFY(consistent());

        // check() names a deferral left behind (it would stop the triggers indexing new rows).
        exec(*library, u"INSERT INTO fts_deferral(table_name, first_id) VALUES ('entry', 1)"_s);
        const auto problems = library->check();
        QVERIFY(problems.ok());
        QVERIFY2(problems.value().join(u"\n"_s).contains(u"deferral"_s), qPrintable(problems.value().join(u"\n"_s)));
    }

    void codesAndPathsResolveOrBecomeProvisional()
    {
        auto library = newLibrary();
        EntryRecord entry;
        entry.name = u"Toxicity filtering"_s;
        entry.classifications = {
            code(u"mit-mitigation-v2"_s, u"1.1.1"_s),
            code(u"mit-mitigation-v2"_s, u"2.4.7"_s, u"Something new"_s),
            path(u"llm-safety-survey"_s, {u"value misalignment"_s, u"methods for mitigating toxicity"_s}),
            path(u"lifecycle"_s, {u"Build and Use Model"_s}),
            path(u"no-such-scheme"_s, {u"X"_s}),
        };
        ParseResult parsed;
        parsed.records.entries = {entry};
        auto summary = apply(*library, parsed);
        QCOMPARE(summary.classificationsAdded, 4);
        QCOMPARE(summary.provisionalNodes, 1);
        // The unknown code sits under its nearest known ancestor, provisional.
        QCOMPARE(scalar(*library, u"SELECT p.code FROM taxonomy_node n JOIN taxonomy_node p ON p.id = n.parent_id WHERE n.code = '2.4.7'"_s).toString(), u"2.4"_s);
        QCOMPARE(scalar(*library, u"SELECT provisional FROM taxonomy_node WHERE code = '2.4.7'"_s).toInt(), 1);
        // The survey path skips a level; the existing deeper node is found, not duplicated.
        QCOMPARE(scalar(*library, u"SELECT p.name FROM classification c JOIN taxonomy_node n ON n.id = c.node_id JOIN taxonomy_node p ON p.id = n.parent_id "
                                  "JOIN scheme s ON s.id = n.scheme_id WHERE s.key = 'llm-safety-survey'"_s)
                     .toString(),
            u"Toxicity"_s);
        QVERIFY(std::any_of(summary.diagnostics.cbegin(), summary.diagnostics.cend(), [](const ImportDiagnostic &d) {
            return d.message.contains(u"no-such-scheme"_s);
        }));
    }

    void surveyListingNamesAPageEntryInEitherOrder_data()
    {
        QTest::addColumn<bool>("pageFirst");
        QTest::newRow("page, then listing") << true;
        QTest::newRow("listing, then page") << false;
    }

    void surveyListingNamesAPageEntryInEitherOrder()
    {
        QFETCH(bool, pageFirst);
        auto library = newLibrary();
        DocumentRecord survey = paper(u"Large Language Model Safety: A Holistic Survey"_s, 2024);
        survey.key = u"doc"_s;
        const auto listed = [](const QString &key, const QString &name, const QString &parentKey, const QString &c) {
            EntryRecord e;
            e.key = key;
            e.name = name;
            e.parentKey = parentKey;
            e.documentKey = u"doc"_s;
            e.listingOnly = true;
            e.classifications = {code(u"mit-mitigation-v2"_s, c)};
            return e;
        };
        // The page of "Methods for mitigating toxicity" cannot name itself; its listing shows its siblings.
        ParseResult page = withDocuments({survey});
        EntryRecord self;
        self.key = u"self"_s;
        self.name = u"Filters harmful content from"_s;
        self.nameInferred = true;
        self.needsReview = true;
        self.reasoning = u"Filters harmful content from training data."_s;
        self.parentKey = u"vm"_s;
        self.documentKey = u"doc"_s;
        self.classifications = {code(u"mit-mitigation-v2"_s, u"1"_s)};
        self.pageListing = {u"Value Misalignment"_s, u"Value Misalignment > Privacy protection"_s, u"Value Misalignment > Mitigating social bias"_s};
        EntryRecord phase;
        phase.key = u"phase"_s;
        phase.name = u"Methods for mitigating toxicity: pre-training phase"_s;
        phase.parentKey = u"self"_s;
        phase.documentKey = u"doc"_s;
        phase.classifications = {code(u"mit-mitigation-v2"_s, u"1.1.1"_s)};
        page.records.entries = {listed(u"vm"_s, u"Value Misalignment"_s, {}, u"99.9"_s), self, phase,
            listed(u"p"_s, u"Privacy protection"_s, u"vm"_s, u"1"_s), listed(u"s"_s, u"Mitigating social bias"_s, u"vm"_s, u"1"_s)};
        // Another page lists it by name.
        ParseResult other = withDocuments({survey});
        other.records.entries = {listed(u"vm"_s, u"Value Misalignment"_s, {}, u"99.9"_s), listed(u"p"_s, u"Privacy protection"_s, u"vm"_s, u"1"_s),
            listed(u"t"_s, u"Methods for mitigating toxicity"_s, u"vm"_s, u"1"_s), listed(u"s"_s, u"Mitigating social bias"_s, u"vm"_s, u"1"_s)};

        apply(*library, pageFirst ? page : other);
        apply(*library, pageFirst ? other : page);
        const auto count = [&](const QString &where) {
            return scalar(*library, u"SELECT count(*) FROM entry WHERE "_s + where).toInt();
        };
        QCOMPARE(count(u"1"_s), 5);
        QCOMPARE(count(u"name = 'Methods for mitigating toxicity' AND listing_only = 0 AND needs_review = 0"_s), 1);
        QCOMPARE(count(u"name = 'Privacy protection' AND listing_only = 1"_s), 1);
        QCOMPARE(scalar(*library, u"SELECT p.name FROM entry e JOIN entry p ON p.id = e.parent_id WHERE e.name LIKE '%pre-training phase'"_s).toString(),
            u"Methods for mitigating toxicity"_s);
        // Both pages again: nothing changes.
        const QByteArray before = snapshot(*library);
        const ImportSummary again = apply(*library, page);
        for (const ImportDiagnostic &d : again.diagnostics)
            qInfo("%s", qPrintable(d.toString()));
        QVERIFY2(!again.written, qPrintable(again.text()));
        QVERIFY(!apply(*library, other).written);
        QCOMPARE(snapshot(*library), before);
    }
};

QTEST_GUILESS_MAIN(ImportWriterTest)
#include "importwriter_test.moc"

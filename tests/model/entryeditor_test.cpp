// EntryEditor: every edit and its revert, compared with snapshots of the tables they touch;
// edited_fields marks, provenance of classifications, batch tagging, document merges (fields
// filled, references moved without duplicates), refusals that write nothing.
#include "entryeditor.h"
#include "importwriter.h"
#include "testlibrary.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Atlas;
using AtlasTest::exec;
using AtlasTest::scalar;

namespace
{

// Every row of the tables an edit can touch, each value with its type, so a restored row must
// match column for column (NULL is not '', 0.5 is not "0.5").
QStringList snapshot(const Library &library)
{
    QStringList rows;
    const QStringList tables {u"entry"_s, u"classification"_s, u"tag"_s, u"entry_tag"_s, u"document"_s, u"entry_document"_s, u"document_tag"_s,
        u"document_classification"_s, u"import_change"_s};
    for (const QString &table : tables) {
        QSqlQuery q = exec(library, u"SELECT * FROM %1 ORDER BY 1, 2"_s.arg(table));
        while (q.next()) {
            QStringList values;
            for (int i = 0; i < q.record().count(); ++i) {
                const QVariant v = q.value(i);
                values.append(v.isNull() ? u"NULL"_s : QString::fromLatin1(v.typeName()) + u':' + v.toString());
            }
            rows.append(table + u": "_s + values.join(u" | "_s));
        }
    }
    return rows;
}

qint64 nodeId(const Library &library, const QString &scheme, const QString &code)
{
    return scalar(library, u"SELECT n.id FROM taxonomy_node n JOIN scheme s ON s.id = n.scheme_id WHERE s.key = ? AND n.code = ?"_s, {scheme, code})
        .toLongLong();
}

qint64 addBatch(const Library &library)
{
    return exec(library, u"INSERT INTO import_batch(file, format, started_at) VALUES ('seed.txt', 'survey-page', '2024-01-02T03:04:05Z')"_s)
        .lastInsertId()
        .toLongLong();
}

qint64 addDocument(const Library &library, const QString &title)
{
    return exec(library, u"INSERT INTO document(title, modified_at) VALUES (?, '2020-01-01T00:00:00Z')"_s, {title}).lastInsertId().toLongLong();
}

QVariant documentValue(const Library &library, qint64 id, const QString &column)
{
    return scalar(library, u"SELECT %1 FROM document WHERE id = ?"_s.arg(column), {id});
}

int count(const Library &library, const QString &table, const QString &where, const QVariantList &values)
{
    return scalar(library, u"SELECT count(*) FROM %1 WHERE %2"_s.arg(table, where), values).toInt();
}

QStringList problems(const Library &library)
{
    auto check = library.check();
    return check ? check.value() : QStringList {check.error()};
}

// Undo, redo and undo again of `change`: each must bring back the library exactly as it was
// (`before`) or as the change left it (`after`), FTS indexes and foreign keys included.
template<typename Change>
void revertReapplyRevert(const Library &library, EntryEditor &editor, const Change &change, const QStringList &before, const QStringList &after)
{
    QVERIFY2(editor.revert(change), "revert");
    QCOMPARE(snapshot(library), before);
    QCOMPARE(problems(library), QStringList());
    QVERIFY2(editor.reapply(change), "reapply");
    QCOMPARE(snapshot(library), after);
    QVERIFY2(editor.revert(change), "revert again");
    QCOMPARE(snapshot(library), before);
    QCOMPARE(problems(library), QStringList());
}

} // namespace

class EntryEditorTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Library> m_library;
    int m_count = 0;

private Q_SLOTS:
    void init()
    {
        m_library = std::make_unique<Library>();
        QVERIFY(m_library->open(m_dir.filePath(u"lib%1.sqlite"_s.arg(++m_count))).ok());
    }

    void cleanup() { m_library.reset(); }

    void setFieldAndRevert_data()
    {
        QTest::addColumn<EntryField>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QVariant>("stored");
        QTest::newRow("name") << EntryField::Name << u"  Red   teaming at scale "_s << QVariant(u"Red teaming at scale"_s);
        QTest::newRow("text") << EntryField::Text << u"New text\nwith two lines"_s << QVariant(u"New text\nwith two lines"_s);
        QTest::newRow("reasoning") << EntryField::Reasoning << u"Because."_s << QVariant(u"Because."_s);
        QTest::newRow("notes") << EntryField::Notes << u"# Notes\n\n- *check* the source"_s << QVariant(u"# Notes\n\n- *check* the source"_s);
        QTest::newRow("text cleared") << EntryField::Text << QString() << QVariant();
    }

    void setFieldAndRevert()
    {
        QFETCH(EntryField, field);
        QFETCH(QString, value);
        QFETCH(QVariant, stored);
        const qint64 id = AtlasTest::addEntry(*m_library, u"Red teaming"_s, u"Old text"_s);
        exec(*m_library, u"UPDATE entry SET modified_at = '2020-01-01T00:00:00Z' WHERE id = ?"_s, {id});
        const QStringList before = snapshot(*m_library);
        const QString column = entryFieldColumn(field);

        QSignalSpy changed(m_library.get(), &Library::changed);
        EntryEditor editor(*m_library);
        auto change = editor.setField(id, field, value);
        QVERIFY2(change, qPrintable(change.error()));
        QVERIFY(!change->isEmpty());
        QCOMPARE(changed.count(), 1);
        const QVariant now = scalar(*m_library, u"SELECT %1 FROM entry WHERE id = ?"_s.arg(column), {id});
        QCOMPARE(now.isNull(), stored.isNull());
        QCOMPARE(now.toString(), stored.toString());
        QCOMPARE(scalar(*m_library, u"SELECT edited_fields FROM entry WHERE id = ?"_s, {id}).toString(), u"[\"%1\"]"_s.arg(column));
        QVERIFY(scalar(*m_library, u"SELECT modified_at FROM entry WHERE id = ?"_s, {id}).toString() != u"2020-01-01T00:00:00Z"_s);
        revertReapplyRevert(*m_library, editor, change.value(), before, snapshot(*m_library));
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(changed.count(), 4);
    }

    void setFieldKeepsOtherMarks()
    {
        const qint64 id = AtlasTest::addEntry(*m_library, u"Data filtering"_s);
        exec(*m_library, u"UPDATE entry SET edited_fields = '[\"text\"]' WHERE id = ?"_s, {id});
        const QStringList before = snapshot(*m_library);
        EntryEditor editor(*m_library);
        auto name = editor.setField(id, EntryField::Name, u"Filtering training data"_s);
        QVERIFY2(name, qPrintable(name.error()));
        QCOMPARE(scalar(*m_library, u"SELECT edited_fields FROM entry WHERE id = ?"_s, {id}).toString(), u"[\"text\",\"name\"]"_s);
        // A second edit of a marked field keeps one mark.
        auto text = editor.setField(id, EntryField::Text, u"Removing toxic text."_s);
        QVERIFY2(text, qPrintable(text.error()));
        QCOMPARE(scalar(*m_library, u"SELECT edited_fields FROM entry WHERE id = ?"_s, {id}).toString(), u"[\"text\",\"name\"]"_s);
        QVERIFY(editor.revert(text.value()));
        QVERIFY(editor.revert(name.value()));
        QCOMPARE(snapshot(*m_library), before);
    }

    void setFieldWithSameValueWritesNothing()
    {
        const qint64 id = AtlasTest::addEntry(*m_library, u"Data filtering"_s);
        const QStringList before = snapshot(*m_library);
        QSignalSpy changed(m_library.get(), &Library::changed);
        EntryEditor editor(*m_library);
        auto change = editor.setField(id, EntryField::Name, u"Data  filtering"_s);
        QVERIFY2(change, qPrintable(change.error()));
        QVERIFY(change->isEmpty());
        auto notes = editor.setField(id, EntryField::Notes, QString()); // NULL stays NULL
        QVERIFY(notes && notes->isEmpty());
        QCOMPARE(snapshot(*m_library), before);
        QCOMPARE(changed.count(), 0);
    }

    void refusalsWriteNothing()
    {
        const qint64 id = AtlasTest::addEntry(*m_library, u"Data filtering"_s);
        const QStringList before = snapshot(*m_library);
        EntryEditor editor(*m_library);
        QVERIFY(!editor.setField(id, EntryField::Name, u"   "_s));
        QVERIFY(!editor.setField(id + 100, EntryField::Notes, u"x"_s));
        QVERIFY(!editor.addClassification(id, nodeId(*m_library, u"mit-mitigation-v2"_s, u"2.2.2"_s), QString()));
        QVERIFY(!editor.addClassification(id, nodeId(*m_library, u"mit-mitigation-v2"_s, u"2.2.2"_s), u"Ada"_s, {}, 1.5));
        QVERIFY(!editor.addClassification(id, 999999, u"Ada"_s));
        QVERIFY(!editor.removeClassification(id, nodeId(*m_library, u"mit-mitigation-v2"_s, u"2.2.2"_s)));
        QVERIFY(!editor.addTag({id}, {u" "_s}));
        QVERIFY(!editor.addTag({id, id + 100}, {u"Reviewed"_s})); // one unknown entry: none tagged
        QVERIFY(!editor.removeTag({id}, {u"No such tag"_s}));
        QCOMPARE(snapshot(*m_library), before);
    }

    void revertRefusedWhenChangedElsewhere()
    {
        const qint64 id = AtlasTest::addEntry(*m_library, u"Data filtering"_s);
        EntryEditor editor(*m_library);
        auto change = editor.setField(id, EntryField::Name, u"Filtering"_s);
        QVERIFY(change);
        exec(*m_library, u"UPDATE entry SET name = 'Renamed by someone else' WHERE id = ?"_s, {id});
        const QStringList before = snapshot(*m_library);
        const Status reverted = editor.revert(change.value());
        QVERIFY(!reverted);
        QVERIFY(!reverted.error().isEmpty());
        QCOMPARE(snapshot(*m_library), before);
    }

    void addClassificationRecordsProvenance()
    {
        const qint64 id = AtlasTest::addEntry(*m_library, u"Red teaming"_s);
        const qint64 node = nodeId(*m_library, u"mit-mitigation-v2"_s, u"2.2.2"_s);
        QVERIFY(node > 0);
        const QStringList before = snapshot(*m_library);
        EntryEditor editor(*m_library);
        const QDateTime start = QDateTime::currentDateTimeUtc().addSecs(-1);
        auto change = editor.addClassification(id, node, u"Ada Lovelace"_s, u"  Section 3 says so  "_s, 0.75);
        QVERIFY2(change, qPrintable(change.error()));
        QVERIFY(change->added);
        QSqlQuery q = exec(*m_library,
            u"SELECT assigned_by_kind, assigned_by, assigned_at, evidence, confidence, origin_batch_id FROM classification WHERE entry_id = ? AND node_id = ?"_s,
            {id, node});
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), u"curator"_s);
        QCOMPARE(q.value(1).toString(), u"Ada Lovelace"_s);
        const QDateTime at = QDateTime::fromString(q.value(2).toString(), Qt::ISODate);
        QVERIFY2(at.isValid() && at >= start && at <= QDateTime::currentDateTimeUtc().addSecs(1), qPrintable(q.value(2).toString()));
        QVERIFY(q.value(2).toString().endsWith(u'Z'));
        QCOMPARE(q.value(3).toString(), u"Section 3 says so"_s);
        QCOMPARE(q.value(4).toDouble(), 0.75);
        QVERIFY(q.value(5).isNull());
        QCOMPARE(change->row.assignedBy, u"Ada Lovelace"_s);
        QCOMPARE(change->row.evidence, std::optional<QString>(u"Section 3 says so"_s));
        const QStringList after = snapshot(*m_library);

        QVERIFY(!editor.addClassification(id, node, u"Ada Lovelace"_s)); // once per node
        QVERIFY(editor.revert(change.value()));
        QCOMPARE(snapshot(*m_library), before);
        // Redo brings back the same row: same id, same time, same provenance.
        QVERIFY(editor.reapply(change.value()));
        QCOMPARE(snapshot(*m_library), after);

        // Without evidence and confidence both stay NULL.
        const qint64 stage
            = scalar(*m_library, u"SELECT n.id FROM taxonomy_node n JOIN scheme s ON s.id = n.scheme_id WHERE s.key = 'lifecycle' LIMIT 1"_s).toLongLong();
        auto plain = editor.addClassification(id, stage, u"Ada Lovelace"_s);
        QVERIFY2(plain, qPrintable(plain.error()));
        QVERIFY(scalar(*m_library, u"SELECT evidence IS NULL AND confidence IS NULL FROM classification WHERE id = ?"_s, {plain->row.id}).toBool());
        auto list = editor.classifications(id);
        QVERIFY(list);
        QCOMPARE(list->size(), 2);
        QCOMPARE(list->first().code, u"2.2.2"_s);
        QCOMPARE(list->first().name, u"Testing & Evaluation"_s);
        QCOMPARE(list->first().schemeKey, u"mit-mitigation-v2"_s);
        QCOMPARE(list->first().path.size(), 3);
        QCOMPARE(list->first().path.last(), u"Testing & Evaluation"_s);
    }

    void removeClassificationRestoresProvenance()
    {
        const qint64 id = AtlasTest::addEntry(*m_library, u"Red teaming"_s);
        const qint64 other = AtlasTest::addEntry(*m_library, u"Data filtering"_s);
        const qint64 node = nodeId(*m_library, u"mit-mitigation-v2"_s, u"2.2.2"_s);
        const qint64 batch = addBatch(*m_library);
        exec(*m_library,
            u"INSERT INTO classification(entry_id, node_id, assigned_by_kind, assigned_by, assigned_at, evidence, confidence, origin_batch_id) "
            "VALUES (?, ?, 'import', 'survey-page', '2024-01-02T03:04:05Z', 'the page says 2.2.2', 0.35, ?)"_s,
            {id, node, batch});
        AtlasTest::classify(*m_library, other, node);
        const QStringList before = snapshot(*m_library);

        QSignalSpy changed(m_library.get(), &Library::changed);
        EntryEditor editor(*m_library);
        auto change = editor.removeClassification(id, node);
        QVERIFY2(change, qPrintable(change.error()));
        QVERIFY(!change->added);
        QCOMPARE(change->row.assignedByKind, u"import"_s);
        QCOMPARE(change->row.originBatchId, std::optional<qint64>(batch));
        QCOMPARE(scalar(*m_library, u"SELECT count(*) FROM classification WHERE entry_id = ?"_s, {id}).toInt(), 0);
        QCOMPARE(scalar(*m_library, u"SELECT count(*) FROM classification WHERE entry_id = ?"_s, {other}).toInt(), 1);
        revertReapplyRevert(*m_library, editor, change.value(), before, snapshot(*m_library));
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(changed.count(), 4);

        // Undo refuses to bring back a row when the entry was classified there again meanwhile.
        QVERIFY(editor.reapply(change.value()));
        QVERIFY(editor.addClassification(id, node, u"Ada"_s));
        const QStringList meanwhile = snapshot(*m_library);
        QVERIFY(!editor.revert(change.value()));
        QCOMPARE(snapshot(*m_library), meanwhile);
    }

    void tagManyEntries()
    {
        const qint64 a = AtlasTest::addEntry(*m_library, u"A"_s);
        const qint64 b = AtlasTest::addEntry(*m_library, u"B"_s);
        const qint64 c = AtlasTest::addEntry(*m_library, u"C"_s);
        EntryEditor editor(*m_library);
        // a has the tag already: it is left alone.
        auto first = editor.addTag({a}, {u"Reviewed"_s});
        QVERIFY2(first, qPrintable(first.error()));
        QCOMPARE(first->createdTags.size(), 1);
        const QStringList before = snapshot(*m_library);

        QSignalSpy changed(m_library.get(), &Library::changed);
        auto change = editor.addTag({a, b, c, b}, {u"reviewed"_s});
        QVERIFY2(change, qPrintable(change.error()));
        QCOMPARE(change->path, QStringList {u"Reviewed"_s}); // the tag as stored
        QCOMPARE(change->tagId, first->tagId);
        QVERIFY(change->createdTags.isEmpty());
        QCOMPARE(change->links.size(), 2);
        QCOMPARE(scalar(*m_library, u"SELECT count(*) FROM entry_tag WHERE tag_id = ?"_s, {change->tagId}).toInt(), 3);
        QCOMPARE(changed.count(), 1);
        QVERIFY(editor.revert(change.value()));
        QCOMPARE(snapshot(*m_library), before);

        // Everyone has it: nothing to do, nothing written.
        QVERIFY(editor.reapply(change.value()));
        auto again = editor.addTag({a, b, c}, {u"Reviewed"_s});
        QVERIFY(again && again->isEmpty());
    }

    void tagByPathCreatesTagsAndUndoRemovesThem()
    {
        const qint64 a = AtlasTest::addEntry(*m_library, u"A"_s);
        const qint64 b = AtlasTest::addEntry(*m_library, u"B"_s);
        exec(*m_library, u"INSERT INTO tag(name) VALUES ('priority')"_s);
        const QStringList before = snapshot(*m_library);
        EntryEditor editor(*m_library);
        auto change = editor.addTag({a, b}, EntryEditor::splitTagPath(u"Priority > High"_s));
        QVERIFY2(change, qPrintable(change.error()));
        QCOMPARE(change->path, (QStringList {u"priority"_s, u"High"_s}));
        QCOMPARE(change->createdTags.size(), 1);
        QCOMPARE(change->createdTags.first().name, u"High"_s);
        QCOMPARE(change->links.size(), 2);
        auto paths = editor.tagPaths();
        QVERIFY(paths);
        QCOMPARE(paths.value(), (QStringList {u"priority"_s, u"priority > High"_s}));
        const QStringList after = snapshot(*m_library);

        QVERIFY(editor.revert(change.value()));
        QCOMPARE(snapshot(*m_library), before); // "High" is gone again, "priority" stays
        QVERIFY(editor.reapply(change.value()));
        QCOMPARE(snapshot(*m_library), after); // with the same id
        QVERIFY(editor.revert(change.value()));
        QCOMPARE(snapshot(*m_library), before);

        // A made tag that something else came to use is kept by the revert, and reused by redo.
        QVERIFY(editor.reapply(change.value()));
        const qint64 c = AtlasTest::addEntry(*m_library, u"C"_s);
        exec(*m_library, u"INSERT INTO entry_tag(entry_id, tag_id) VALUES (?, ?)"_s, {c, change->tagId});
        QVERIFY(editor.revert(change.value()));
        QCOMPARE(scalar(*m_library, u"SELECT count(*) FROM tag WHERE id = ?"_s, {change->tagId}).toInt(), 1);
        QVERIFY(editor.reapply(change.value()));
        QCOMPARE(scalar(*m_library, u"SELECT count(*) FROM entry_tag WHERE tag_id = ?"_s, {change->tagId}).toInt(), 3);
    }

    void untagManyEntriesRestoresBatchLinks()
    {
        const qint64 a = AtlasTest::addEntry(*m_library, u"A"_s);
        const qint64 b = AtlasTest::addEntry(*m_library, u"B"_s);
        const qint64 c = AtlasTest::addEntry(*m_library, u"C"_s);
        const qint64 batch = addBatch(*m_library);
        const qint64 parent = exec(*m_library, u"INSERT INTO tag(name, origin_batch_id) VALUES ('Survey', ?)"_s, {batch}).lastInsertId().toLongLong();
        const qint64 tag = exec(*m_library, u"INSERT INTO tag(parent_id, name) VALUES (?, 'Toxicity')"_s, {parent}).lastInsertId().toLongLong();
        exec(*m_library, u"INSERT INTO entry_tag(entry_id, tag_id, origin_batch_id) VALUES (?, ?, ?)"_s, {a, tag, batch});
        exec(*m_library, u"INSERT INTO entry_tag(entry_id, tag_id) VALUES (?, ?)"_s, {b, tag});
        const QStringList before = snapshot(*m_library);

        EntryEditor editor(*m_library);
        auto change = editor.removeTag({a, b, c}, {u"survey"_s, u"TOXICITY"_s});
        QVERIFY2(change, qPrintable(change.error()));
        QVERIFY(!change->added);
        QCOMPARE(change->links.size(), 2); // c never had it
        QCOMPARE(scalar(*m_library, u"SELECT count(*) FROM entry_tag"_s).toInt(), 0);
        QCOMPARE(scalar(*m_library, u"SELECT count(*) FROM tag"_s).toInt(), 2); // the tag stays
        const QStringList after = snapshot(*m_library);

        QVERIFY(editor.revert(change.value()));
        QCOMPARE(snapshot(*m_library), before); // with the batch of a's link
        QVERIFY(editor.reapply(change.value()));
        QCOMPARE(snapshot(*m_library), after);

        auto nothing = editor.removeTag({c}, {u"Survey"_s, u"Toxicity"_s});
        QVERIFY(nothing && nothing->isEmpty());
    }

    void mergeDocumentsMovesEverythingAndRevertsExactly()
    {
        const qint64 batch = addBatch(*m_library);
        const qint64 keep = addDocument(*m_library, u"Red Teaming Language Models"_s);
        exec(*m_library, u"UPDATE document SET doi = '10.1/red', extra = '{\"a\":1}', edited_fields = '[\"venue\"]' WHERE id = ?"_s, {keep});
        const qint64 merged = addDocument(*m_library, u"Red teaming LMs (preprint)"_s);
        exec(*m_library,
            u"UPDATE document SET authors = '[\"Perez, Ethan\"]', year = 2022, venue = 'EMNLP', doi = '10.1/other', arxiv_id = '2202.03286', "
            "abstract = 'We red team.', abstract_key = 'k', extra = '{\"a\":2,\"b\":3}', edited_fields = '[\"year\"]', origin_batch_id = ? "
            "WHERE id = ?"_s,
            {batch, merged});
        const qint64 cited = AtlasTest::addEntry(*m_library, u"Cited"_s);
        const qint64 fromMerged = AtlasTest::addEntry(*m_library, u"From the preprint"_s);
        const qint64 fromKept = AtlasTest::addEntry(*m_library, u"From the paper"_s);
        exec(*m_library, u"UPDATE entry SET document_id = ? WHERE id = ?"_s, {merged, fromMerged});
        exec(*m_library, u"UPDATE entry SET document_id = ? WHERE id = ?"_s, {keep, fromKept});
        // Links: two move, one is already on the kept document and goes.
        exec(*m_library, u"INSERT INTO entry_document(entry_id, document_id, relation, origin_batch_id) VALUES (?, ?, 'cites', ?)"_s, {cited, merged, batch});
        exec(*m_library, u"INSERT INTO entry_document(entry_id, document_id, relation) VALUES (?, ?, 'related')"_s, {cited, merged});
        exec(*m_library, u"INSERT INTO entry_document(entry_id, document_id, relation) VALUES (?, ?, 'related')"_s, {cited, keep});
        exec(*m_library, u"INSERT INTO entry_document(entry_id, document_id, relation) VALUES (?, ?, 'cites')"_s, {fromKept, merged});
        const qint64 shared = exec(*m_library, u"INSERT INTO tag(name) VALUES ('Survey')"_s).lastInsertId().toLongLong();
        const qint64 own = exec(*m_library, u"INSERT INTO tag(name) VALUES ('Preprint')"_s).lastInsertId().toLongLong();
        exec(*m_library, u"INSERT INTO document_tag(document_id, tag_id) VALUES (?, ?)"_s, {keep, shared});
        exec(*m_library, u"INSERT INTO document_tag(document_id, tag_id, origin_batch_id) VALUES (?, ?, ?)"_s, {merged, shared, batch});
        exec(*m_library, u"INSERT INTO document_tag(document_id, tag_id) VALUES (?, ?)"_s, {merged, own});
        const qint64 testing = nodeId(*m_library, u"mit-mitigation-v2"_s, u"2.2.2"_s);
        const qint64 other = nodeId(*m_library, u"mit-mitigation-v2"_s, u"2.2.1"_s);
        QVERIFY(testing > 0 && other > 0);
        exec(*m_library, u"INSERT INTO document_classification(document_id, node_id, assigned_by_kind, assigned_by) VALUES (?, ?, 'curator', 'Ada')"_s,
            {keep, testing});
        exec(*m_library,
            u"INSERT INTO document_classification(document_id, node_id, assigned_by_kind, assigned_by, assigned_at, evidence, confidence, origin_batch_id) "
            "VALUES (?, ?, 'import', 'markdown-list', '2024-01-02T03:04:05Z', 'a heading', 0.5, ?)"_s,
            {merged, testing, batch});
        const qint64 movedClassification = exec(*m_library,
            u"INSERT INTO document_classification(document_id, node_id, assigned_by_kind, assigned_by) VALUES (?, ?, 'rule', 'r')"_s, {merged, other})
                                               .lastInsertId()
                                               .toLongLong();
        // An import that once moved an entry off the merged document, and one that changed the
        // merged document itself.
        exec(*m_library, u"INSERT INTO import_change(batch_id, table_name, row_id, before) VALUES (?, 'entry', ?, ?)"_s,
            {batch, fromKept, u"{\"document_id\":%1,\"modified_at\":\"2020-01-01T00:00:00Z\"}"_s.arg(merged)});
        exec(*m_library, u"INSERT INTO import_change(batch_id, table_name, row_id, before) VALUES (?, 'document', ?, '{\"venue\":null}')"_s, {batch, merged});
        QCOMPARE(problems(*m_library), QStringList());
        const QStringList before = snapshot(*m_library);

        QSignalSpy changed(m_library.get(), &Library::changed);
        EntryEditor editor(*m_library);
        auto merge = editor.mergeDocuments(keep, merged);
        QVERIFY2(merge, qPrintable(merge.error()));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(merge->keepId, keep);
        QCOMPARE(merge->mergeId, merged);
        QCOMPARE(merge->sourceOf, QList<qint64> {fromMerged});

        // The merged row is gone; nothing refers to it any more.
        QCOMPARE(count(*m_library, u"document"_s, u"id = ?"_s, {merged}), 0);
        for (const QString &table : {u"entry"_s, u"entry_document"_s, u"document_tag"_s, u"document_classification"_s})
            QCOMPARE(count(*m_library, table, u"document_id = ?"_s, {merged}), 0);
        // Empty fields filled; the venue the curator cleared, the title and DOI the kept one had stay.
        QCOMPARE(documentValue(*m_library, keep, u"title"_s).toString(), u"Red Teaming Language Models"_s);
        QCOMPARE(documentValue(*m_library, keep, u"doi"_s).toString(), u"10.1/red"_s);
        QVERIFY(documentValue(*m_library, keep, u"venue"_s).isNull());
        QCOMPARE(documentValue(*m_library, keep, u"authors"_s).toString(), u"[\"Perez, Ethan\"]"_s);
        QCOMPARE(documentValue(*m_library, keep, u"year"_s).toInt(), 2022);
        QCOMPARE(documentValue(*m_library, keep, u"arxiv_id"_s).toString(), u"2202.03286"_s);
        QCOMPARE(documentValue(*m_library, keep, u"abstract"_s).toString(), u"We red team."_s);
        QCOMPARE(documentValue(*m_library, keep, u"abstract_key"_s).toString(), u"k"_s);
        QCOMPARE(documentValue(*m_library, keep, u"extra"_s).toString(), u"{\"a\":1,\"b\":3}"_s);
        // The year was a curator's value on the merged document, and stays one.
        QCOMPARE(documentValue(*m_library, keep, u"edited_fields"_s).toString(), u"[\"venue\",\"year\"]"_s);
        QVERIFY(documentValue(*m_library, keep, u"modified_at"_s).toString() != u"2020-01-01T00:00:00Z"_s);
        QCOMPARE(merge->filled, (QStringList {u"authors"_s, u"year"_s, u"arxiv_id"_s, u"abstract"_s, u"abstract_key"_s, u"extra"_s}));
        // References moved, none doubled.
        QCOMPARE(scalar(*m_library, u"SELECT document_id FROM entry WHERE id = ?"_s, {fromMerged}).toLongLong(), keep);
        QCOMPARE(count(*m_library, u"entry_document"_s, u"document_id = ?"_s, {keep}), 3);
        QCOMPARE(count(*m_library, u"entry_document"_s, u"entry_id = ? AND relation = 'related'"_s, {cited}), 1);
        QCOMPARE(count(*m_library, u"entry_document"_s, u"entry_id = ? AND relation = 'cites' AND origin_batch_id = ?"_s, {cited, batch}), 1);
        QCOMPARE(count(*m_library, u"document_tag"_s, u"document_id = ?"_s, {keep}), 2);
        QCOMPARE(count(*m_library, u"document_tag"_s, u"document_id = ? AND tag_id = ? AND origin_batch_id IS NULL"_s, {keep, shared}), 1);
        QCOMPARE(count(*m_library, u"document_classification"_s, u"document_id = ?"_s, {keep}), 2);
        QCOMPARE(scalar(*m_library, u"SELECT assigned_by FROM document_classification WHERE document_id = ? AND node_id = ?"_s, {keep, testing}).toString(),
            u"Ada"_s); // the kept document's own
        QCOMPARE(scalar(*m_library, u"SELECT document_id FROM document_classification WHERE id = ?"_s, {movedClassification}).toLongLong(), keep);
        QCOMPARE(merge->links.size(), 3);
        // Undoing the import later points the entry at the kept document, not at a deleted one.
        QCOMPARE(scalar(*m_library, u"SELECT before FROM import_change WHERE table_name = 'entry'"_s).toString(),
            u"{\"document_id\":%1,\"modified_at\":\"2020-01-01T00:00:00Z\"}"_s.arg(keep));
        QCOMPARE(problems(*m_library), QStringList()); // foreign keys and the FTS index followed
        revertReapplyRevert(*m_library, editor, merge.value(), before, snapshot(*m_library));
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(changed.count(), 4);

        // After the merge, undoing that import works and leaves the entry on the kept document.
        QVERIFY(editor.reapply(merge.value()));
        auto undone = ImportWriter(*m_library).undo(batch);
        QVERIFY2(undone, qPrintable(undone.error()));
        QCOMPARE(scalar(*m_library, u"SELECT document_id FROM entry WHERE id = ?"_s, {fromKept}).toLongLong(), keep);
        QCOMPARE(problems(*m_library), QStringList());
    }

    void mergeReplacesAnInferredTitle_data()
    {
        QTest::addColumn<QString>("edited");
        QTest::addColumn<QString>("title");
        QTest::addColumn<int>("inferred");
        QTest::newRow("inferred title replaced") << u"[]"_s << u"Constitutional AI"_s << 0;
        QTest::newRow("edited title kept") << u"[\"title\"]"_s << u"We train a harmless assistant"_s << 1;
    }

    void mergeReplacesAnInferredTitle()
    {
        QFETCH(QString, edited);
        QFETCH(QString, title);
        QFETCH(int, inferred);
        const qint64 keep = addDocument(*m_library, u"We train a harmless assistant"_s);
        exec(*m_library,
            u"UPDATE document SET title_inferred = 1, needs_review = 1, abstract = 'We train a harmless assistant.', edited_fields = ? WHERE id = ?"_s,
            {edited, keep});
        const qint64 merged = addDocument(*m_library, u"Constitutional AI"_s);
        exec(*m_library, u"UPDATE document SET title_key = 'constitutional ai' WHERE id = ?"_s, {merged});
        const QStringList before = snapshot(*m_library);
        EntryEditor editor(*m_library);
        auto merge = editor.mergeDocuments(keep, merged);
        QVERIFY2(merge, qPrintable(merge.error()));
        QCOMPARE(documentValue(*m_library, keep, u"title"_s).toString(), title);
        QCOMPARE(documentValue(*m_library, keep, u"title_inferred"_s).toInt(), inferred);
        QCOMPARE(documentValue(*m_library, keep, u"needs_review"_s).toInt(), inferred);
        QCOMPARE(documentValue(*m_library, keep, u"title_key"_s).isNull(), inferred == 1);
        QCOMPARE(documentValue(*m_library, keep, u"edited_fields"_s).toString(), edited);
        QVERIFY(editor.revert(merge.value()));
        QCOMPARE(snapshot(*m_library), before);
    }

    void mergeRefusalsWriteNothing()
    {
        const qint64 keep = addDocument(*m_library, u"A"_s);
        const qint64 merged = addDocument(*m_library, u"B"_s);
        const QStringList before = snapshot(*m_library);
        QSignalSpy changed(m_library.get(), &Library::changed);
        EntryEditor editor(*m_library);
        QVERIFY(!editor.mergeDocuments(keep, keep));
        QVERIFY(!editor.mergeDocuments(keep, merged + 100));
        QVERIFY(!editor.mergeDocuments(merged + 100, keep));
        QCOMPARE(snapshot(*m_library), before);
        QCOMPARE(changed.count(), 0);

        // Undo refuses when the kept document changed since; redo when the merged one gained a link.
        auto merge = editor.mergeDocuments(keep, merged);
        QVERIFY2(merge, qPrintable(merge.error()));
        exec(*m_library, u"UPDATE document SET venue = 'NeurIPS' WHERE id = ?"_s, {keep});
        const QStringList edited = snapshot(*m_library);
        const Status reverted = editor.revert(merge.value());
        QVERIFY(!reverted);
        QVERIFY2(reverted.error().contains(u"changed elsewhere"_s), qPrintable(reverted.error()));
        QCOMPARE(snapshot(*m_library), edited);
        exec(*m_library, u"UPDATE document SET venue = NULL WHERE id = ?"_s, {keep});
        QVERIFY(editor.revert(merge.value()));
        QCOMPARE(snapshot(*m_library), before);
        const qint64 entry = AtlasTest::addEntry(*m_library, u"Late"_s);
        exec(*m_library, u"INSERT INTO entry_document(entry_id, document_id) VALUES (?, ?)"_s, {entry, merged});
        const QStringList linked = snapshot(*m_library);
        const Status reapplied = editor.reapply(merge.value());
        QVERIFY(!reapplied);
        QVERIFY2(reapplied.error().contains(u"gained links"_s), qPrintable(reapplied.error()));
        QCOMPARE(snapshot(*m_library), linked);
    }

    void documentTitleFallsBackToTheAbstract()
    {
        const qint64 titled = addDocument(*m_library, u"  A   title "_s);
        const qint64 bare = exec(*m_library, u"INSERT INTO document(abstract) VALUES ('Only  an abstract.')"_s).lastInsertId().toLongLong();
        EntryEditor editor(*m_library);
        QCOMPARE(editor.documentTitle(titled).value(), u"A title"_s);
        QCOMPARE(editor.documentTitle(bare).value(), u"Only an abstract."_s);
        QVERIFY(!editor.documentTitle(bare + 100));
    }

    void editorOnDatabaseDoesNotNotify()
    {
        const qint64 id = AtlasTest::addEntry(*m_library, u"A"_s);
        QSignalSpy changed(m_library.get(), &Library::changed);
        EntryEditor editor(m_library->database());
        QVERIFY(editor.setField(id, EntryField::Notes, u"n"_s));
        QVERIFY(editor.addTag({id}, {u"T"_s}));
        QCOMPARE(changed.count(), 0);
    }

    void splitTagPath_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("path");
        QTest::newRow("one") << u"Reviewed"_s << QStringList {u"Reviewed"_s};
        QTest::newRow("two") << u"Priority > High"_s << QStringList {u"Priority"_s, u"High"_s};
        QTest::newRow("spaces and empty parts") << u"  a   b > > c "_s << QStringList {u"a b"_s, u"c"_s};
        QTest::newRow("slash") << u"input/output"_s << QStringList {u"input-output"_s};
        QTest::newRow("empty") << u" > "_s << QStringList();
    }

    void splitTagPath()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, path);
        QCOMPARE(EntryEditor::splitTagPath(text), path);
        if (!path.isEmpty())
            QCOMPARE(EntryEditor::splitTagPath(EntryEditor::joinTagPath(path)), path);
    }
};

QTEST_GUILESS_MAIN(EntryEditorTest)
#include "entryeditor_test.moc"

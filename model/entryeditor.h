// EntryEditor: a curator's changes to entries (fields, classifications, tags) and documents (merges).
// Each change is one transaction and returns what it replaced, so it can be reverted and reapplied
// exactly (undo/redo).
#pragma once

#include "result.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QVariantList>

#include <optional>

namespace Atlas
{

class Library;

// The entry columns a curator edits by hand.
enum class EntryField {
    Name,
    Text,
    Reasoning,
    Notes,
};

// The column of `field` ("name", "text", "reasoning", "notes"), as edited_fields records it.
QString entryFieldColumn(EntryField field);

// One field set on one entry: the column, edited_fields and modified_at before and after.
struct FieldChange {
    qint64 entryId = 0;
    EntryField field = EntryField::Name;
    std::optional<QString> before; // nullopt for NULL
    std::optional<QString> after;
    QString editedFieldsBefore; // the JSON text as stored
    QString editedFieldsAfter;
    QString modifiedAtBefore;
    QString modifiedAtAfter;

    // True when the value was already the one asked for: nothing was written.
    bool isEmpty() const { return before == after && editedFieldsBefore == editedFieldsAfter; }
};

// Every column of one classification row, so a removed one comes back with its provenance.
struct ClassificationRow {
    qint64 id = 0;
    qint64 entryId = 0;
    qint64 nodeId = 0;
    QString assignedByKind; // import, classifier, curator, rule
    QString assignedBy;
    QString assignedAt;
    std::optional<QString> evidence;
    std::optional<double> confidence;
    std::optional<qint64> originBatchId;
};

struct ClassificationChange {
    bool added = true; // false: the row was removed
    ClassificationRow row;
};

// A classification of an entry with what a view shows of its node.
struct EntryClassification {
    ClassificationRow row;
    QString schemeKey;
    QString schemeName;
    QString code; // empty when the node has none
    QString name;
    QStringList path; // node names from the root
};

struct TagRow {
    qint64 id = 0;
    std::optional<qint64> parentId;
    QString name;
    std::optional<QString> color;
    std::optional<qint64> originBatchId;
};

struct TagLink {
    qint64 entryId = 0;
    qint64 tagId = 0;
    std::optional<qint64> originBatchId;
};

// A tag put on (or taken off) some entries.
struct TagChange {
    bool added = true; // false: the links were removed
    QStringList path; // the tag's names from the root, as stored
    qint64 tagId = 0;
    QList<TagRow> createdTags; // tags this change made, parents first
    QList<TagLink> links; // the links it added or removed; entries that already had (or lacked) the tag are not listed

    bool isEmpty() const { return links.isEmpty() && createdTags.isEmpty(); }
};

// One table row as stored, NULLs and value types included, so it can be put back as it was.
struct StoredRow {
    QStringList columns;
    QVariantList values;

    // The value of `column`; an invalid QVariant when the row has no such column.
    QVariant value(const QString &column) const;
    void setValue(const QString &column, const QVariant &value);
    // Column for column, telling NULL from '' (QVariant's == does not).
    bool isSameAs(const StoredRow &other) const;
};

// The rows of one link table (entry_document, document_tag, document_classification) that
// pointed at a merged document.
struct DocumentLinks {
    QString table;
    QList<StoredRow> moved; // as they were; they point at the kept document now
    QList<StoredRow> dropped; // deleted, as the kept document had the same link already
};

// An import record whose before-state named the merged document as an entry's source; it names
// the kept one instead, so undoing that import cannot point an entry at a deleted document.
struct ImportChangeEdit {
    qint64 id = 0;
    QString before; // the JSON text as stored
    QString after;
};

// One document merged into another: both rows as they were, the kept one as it became, and every
// reference that moved.
struct DocumentMerge {
    qint64 keepId = 0;
    qint64 mergeId = 0;
    StoredRow kept; // the kept document before the merge
    StoredRow keptAfter; // and after it
    StoredRow merged; // the merged document, deleted by the merge
    QStringList filled; // the kept document's columns filled from the merged one
    QList<qint64> sourceOf; // the entries whose source document was the merged one
    QList<DocumentLinks> links;
    QList<ImportChangeEdit> importChanges;
};

// A curator's link between an entry and a demo plugin (a plugin_link row), made or removed by
// hand: the row as it was (none, or its origin and state) and as it became.
struct PluginLinkChange {
    struct Row {
        QString origin; // "auto" or "curator"
        QString state; // "linked" or "removed"
        QString createdAt;
    };
    qint64 entryId = 0;
    QString pluginId;
    std::optional<Row> before;
    Row after;

    // Linking what is linked (or removing what is removed) changes nothing.
    bool isEmpty() const { return before && before->state == after.state; }
};

class EntryEditor
{
    Q_DECLARE_TR_FUNCTIONS(EntryEditor)
public:
    // Writes through the library's connection and calls Library::notifyChanged() after every
    // change that wrote something.
    explicit EntryEditor(Library &library);
    // Writes through `db`; nothing is notified.
    explicit EntryEditor(QSqlDatabase db);

    // Sets one field and records its column in edited_fields, so imports never overwrite it.
    // The name is simplified and must not be blank; other fields store empty text as NULL.
    Result<FieldChange> setField(qint64 entryId, EntryField field, const QString &value);

    // Classifies an entry with the provenance of a curator (assigned now). Fails when the entry
    // is already classified at that node.
    Result<ClassificationChange> addClassification(
        qint64 entryId, qint64 nodeId, const QString &curator, const QString &evidence = {}, std::optional<double> confidence = {});
    Result<ClassificationChange> removeClassification(qint64 entryId, qint64 nodeId);

    // Tags entries with the tag at `path` (names from the root, matched ignoring case), making
    // missing tags. Entries that already have it are left alone.
    Result<TagChange> addTag(const QList<qint64> &entryIds, const QStringList &path);
    // Takes the tag at `path` off those of `entryIds` that have it. The tag itself stays.
    Result<TagChange> removeTag(const QList<qint64> &entryIds, const QStringList &path);

    // Merges document `mergeId` into `keepId`: the kept document's empty fields are filled from the
    // other (a column in its edited_fields never is), every entry, link, tag and classification of
    // the merged document moves to the kept one (a link the kept one has already is dropped, not
    // doubled), and the merged row is deleted.
    Result<DocumentMerge> mergeDocuments(qint64 keepId, qint64 mergeId);

    // Links the entry to a demo plugin by hand, or removes its link (kept as a 'removed' row, so
    // automatic linking never brings it back). Either way the row becomes the curator's.
    Result<PluginLinkChange> setPluginLink(qint64 entryId, const QString &pluginId, bool linked);

    // Undo and redo of a change made above. revert() puts back what the change replaced;
    // reapply() makes the change again with the same ids, times and provenance. Each fails,
    // writing nothing, when the library no longer holds what the step expects.
    Status revert(const FieldChange &change);
    Status reapply(const FieldChange &change);
    Status revert(const ClassificationChange &change);
    Status reapply(const ClassificationChange &change);
    Status revert(const TagChange &change);
    Status reapply(const TagChange &change);
    Status revert(const DocumentMerge &merge);
    Status reapply(const DocumentMerge &merge);
    Status revert(const PluginLinkChange &change);
    Status reapply(const PluginLinkChange &change);

    // Reads for editors.
    Result<QString> entryName(qint64 entryId) const;
    // The node's code, or its name when it has none.
    Result<QString> nodeLabel(qint64 nodeId) const;
    // The document's title, or its abstract when it has none; simplified.
    Result<QString> documentTitle(qint64 documentId) const;
    // The entry's classifications, by scheme (in the schemes' order), then in the order made.
    Result<QList<EntryClassification>> classifications(qint64 entryId) const;
    // Every tag's path joined with " > ", sorted, for completion.
    Result<QStringList> tagPaths() const;

    // "Priority > High" <-> {"Priority", "High"}; names are simplified and may not hold '/'
    // (it becomes '-', as imports do).
    static QStringList splitTagPath(const QString &text);
    static QString joinTagPath(const QStringList &path);

private:
    QSqlDatabase database() const;
    void notify() const;
    // Runs `body(db)` in one transaction. What it returns is committed, and the library notified,
    // when it succeeded and changed something; otherwise everything is rolled back.
    template<typename Body>
    auto write(Body body);
    Status writeField(const FieldChange &change, bool forward);
    Status insertClassification(const ClassificationRow &row);
    Status deleteClassification(const ClassificationRow &row);
    Status linkTags(const TagChange &change);
    Status unlinkTags(const TagChange &change);

    Library *m_library = nullptr;
    QSqlDatabase m_db;
};

} // namespace Atlas

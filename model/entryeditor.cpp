#include "entryeditor.h"

#include "library.h"
#include "sql.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QSqlRecord>

#include <algorithm>
#include <type_traits>

namespace Atlas
{

namespace
{

template<typename T>
QVariant bindable(const std::optional<T> &value)
{
    return value ? QVariant::fromValue(*value) : QVariant(QMetaType::fromType<T>());
}

std::optional<QString> optionalText(const QVariant &value)
{
    return value.isNull() ? std::nullopt : std::optional<QString>(value.toString());
}

std::optional<qint64> optionalId(const QVariant &value)
{
    return value.isNull() ? std::nullopt : std::optional<qint64>(value.toLongLong());
}

// The same form as the schema's strftime('%Y-%m-%dT%H:%M:%SZ', 'now').
QString now()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
}

QJsonArray parseArray(const QString &json)
{
    return QJsonDocument::fromJson(json.toUtf8()).array();
}

QString compactJson(const QJsonArray &array)
{
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

QJsonArray without(QJsonArray array, const QString &column)
{
    for (qsizetype i = array.size() - 1; i >= 0; --i) {
        if (array.at(i).toString() == column)
            array.removeAt(i);
    }
    return array;
}

const char classificationColumns[]
    = "SELECT id, entry_id, node_id, assigned_by_kind, assigned_by, assigned_at, evidence, confidence, origin_batch_id FROM classification ";

ClassificationRow classificationFrom(const QSqlQuery &q)
{
    ClassificationRow row;
    row.id = q.value(0).toLongLong();
    row.entryId = q.value(1).toLongLong();
    row.nodeId = q.value(2).toLongLong();
    row.assignedByKind = q.value(3).toString();
    row.assignedBy = q.value(4).toString();
    row.assignedAt = q.value(5).toString();
    row.evidence = optionalText(q.value(6));
    if (!q.value(7).isNull())
        row.confidence = q.value(7).toDouble();
    row.originBatchId = optionalId(q.value(8));
    return row;
}

Result<std::optional<ClassificationRow>> findClassification(const QSqlDatabase &db, qint64 entryId, qint64 nodeId)
{
    auto q = Sql::exec(db, QLatin1String(classificationColumns) + QLatin1String("WHERE entry_id = ? AND node_id = ?"), {entryId, nodeId});
    if (!q)
        return Error {q.error()};
    if (!q.value().next())
        return std::optional<ClassificationRow>();
    return std::optional<ClassificationRow>(classificationFrom(q.value()));
}

Result<bool> exists(const QSqlDatabase &db, const QString &statement, const QVariantList &values)
{
    auto q = Sql::exec(db, statement, values);
    if (!q)
        return Error {q.error()};
    return q.value().next();
}

QStringList cleanPath(const QStringList &path)
{
    QStringList names;
    for (const QString &raw : path) {
        QString name = raw.simplified();
        name.replace(QLatin1Char('/'), QLatin1Char('-'));
        if (!name.isEmpty())
            names.append(name);
    }
    return names;
}

QList<qint64> distinct(const QList<qint64> &ids)
{
    QList<qint64> result;
    for (qint64 id : ids) {
        if (id > 0 && !result.contains(id))
            result.append(id);
    }
    return result;
}

struct FoundTag {
    qint64 id = 0;
    QString name;
};

Result<std::optional<FoundTag>> findTag(const QSqlDatabase &db, std::optional<qint64> parent, const QString &name)
{
    auto q = Sql::exec(db, QStringLiteral("SELECT id, name FROM tag WHERE parent_id IS ? AND name = ? COLLATE NOCASE"), {bindable(parent), name});
    if (!q)
        return Error {q.error()};
    if (!q.value().next())
        return std::optional<FoundTag>();
    return std::optional<FoundTag>(FoundTag {q.value().value(0).toLongLong(), q.value().value(1).toString()});
}

// Finds the tag at `names` (each matched ignoring case) from the root, for `change`: its path as
// stored and its id. A missing tag is made, and listed in createdTags, when `create` says so;
// otherwise it is an error.
Status walkTagPath(const QSqlDatabase &db, const QStringList &names, bool create, TagChange &change)
{
    std::optional<qint64> parent;
    for (const QString &name : names) {
        auto found = findTag(db, parent, name);
        if (!found)
            return Error {found.error()};
        if (found.value()) {
            parent = found.value()->id;
            change.path.append(found.value()->name);
            continue;
        }
        if (!create)
            return Error {EntryEditor::tr("there is no tag \"%1\"").arg(EntryEditor::joinTagPath(names))};
        auto inserted = Sql::exec(db, QStringLiteral("INSERT INTO tag(parent_id, name) VALUES (?, ?)"), {bindable(parent), name});
        if (!inserted)
            return Error {inserted.error()};
        TagRow row;
        row.id = inserted.value().lastInsertId().toLongLong();
        row.parentId = parent;
        row.name = name;
        change.createdTags.append(row);
        change.path.append(name);
        parent = row.id;
    }
    change.tagId = *parent;
    return {};
}

} // namespace

QString entryFieldColumn(EntryField field)
{
    switch (field) {
    case EntryField::Name:
        return QStringLiteral("name");
    case EntryField::Text:
        return QStringLiteral("text");
    case EntryField::Reasoning:
        return QStringLiteral("reasoning");
    case EntryField::Notes:
        return QStringLiteral("notes");
    }
    return QStringLiteral("name");
}

EntryEditor::EntryEditor(Library &library) : m_library(&library) { }

EntryEditor::EntryEditor(QSqlDatabase db) : m_db(std::move(db)) { }

QSqlDatabase EntryEditor::database() const
{
    return m_library ? m_library->database() : m_db;
}

void EntryEditor::notify() const
{
    if (m_library)
        m_library->notifyChanged();
}

namespace
{

// A change that reports itself empty wrote nothing; everything else did.
template<typename T>
bool wroteSomething(const Result<T> &result)
{
    if constexpr (requires { result.value().isEmpty(); })
        return !result.value().isEmpty();
    else
        return true;
}

} // namespace

template<typename Body>
auto EntryEditor::write(Body body)
{
    using Outcome = std::invoke_result_t<Body, QSqlDatabase &>;
    QSqlDatabase db = database();
    Sql::Transaction transaction(db);
    if (!transaction.isActive())
        return Outcome(Error {transaction.error()});
    Outcome outcome = body(db);
    if (!outcome || !wroteSomething(outcome))
        return outcome;
    if (Status committed = transaction.commit(); !committed)
        return Outcome(Error {committed.error()});
    notify();
    return outcome;
}

// ---------------------------------------------------------------- fields

Result<FieldChange> EntryEditor::setField(qint64 entryId, EntryField field, const QString &value)
{
    const QString column = entryFieldColumn(field);
    FieldChange change;
    change.entryId = entryId;
    change.field = field;
    if (field == EntryField::Name) {
        change.after = value.simplified();
        if (change.after->isEmpty())
            return Error {tr("an entry needs a name")};
    } else if (!value.isEmpty()) {
        change.after = value;
    }

    return write([&](QSqlDatabase &db) -> Result<FieldChange> {
        auto row = Sql::exec(db, QStringLiteral("SELECT %1, edited_fields, modified_at FROM entry WHERE id = ?").arg(column), {entryId});
        if (!row)
            return Error {row.error()};
        if (!row.value().next())
            return Error {tr("there is no entry %1").arg(entryId)};
        change.before = optionalText(row.value().value(0));
        change.editedFieldsBefore = row.value().value(1).toString();
        change.modifiedAtBefore = row.value().value(2).toString();
        change.editedFieldsAfter = change.editedFieldsBefore;
        change.modifiedAtAfter = change.modifiedAtBefore;
        if (change.before == change.after)
            return change;

        QJsonArray edited = parseArray(change.editedFieldsBefore);
        if (!edited.contains(QJsonValue(column))) {
            edited.append(column);
            change.editedFieldsAfter = compactJson(edited);
        }
        change.modifiedAtAfter = now();
        auto update = Sql::exec(db, QStringLiteral("UPDATE entry SET %1 = ?, edited_fields = ?, modified_at = ? WHERE id = ?").arg(column),
            {bindable(change.after), change.editedFieldsAfter, change.modifiedAtAfter, entryId});
        if (!update)
            return Error {update.error()};
        return change;
    });
}

Status EntryEditor::writeField(const FieldChange &change, bool forward)
{
    if (change.isEmpty())
        return {};
    const QString column = entryFieldColumn(change.field);
    const std::optional<QString> &expected = forward ? change.before : change.after;
    const std::optional<QString> &target = forward ? change.after : change.before;

    return write([&](QSqlDatabase &db) -> Status {
        auto row = Sql::exec(db, QStringLiteral("SELECT %1, edited_fields FROM entry WHERE id = ?").arg(column), {change.entryId});
        if (!row)
            return Error {row.error()};
        if (!row.value().next())
            return Error {tr("there is no entry %1").arg(change.entryId)};
        if (optionalText(row.value().value(0)) != expected)
            return Error {tr("the %1 of entry %2 was changed elsewhere").arg(column).arg(change.entryId)};

        // edited_fields goes back byte for byte when nothing else touched it; otherwise only this
        // field's mark is added or taken away.
        const QString current = row.value().value(1).toString();
        QString edited;
        if (current == (forward ? change.editedFieldsBefore : change.editedFieldsAfter)) {
            edited = forward ? change.editedFieldsAfter : change.editedFieldsBefore;
        } else {
            QJsonArray array = parseArray(current);
            const bool markedBefore = parseArray(change.editedFieldsBefore).contains(QJsonValue(column));
            if (forward && !array.contains(QJsonValue(column)))
                array.append(column);
            else if (!forward && !markedBefore)
                array = without(array, column);
            edited = compactJson(array);
        }
        auto update = Sql::exec(db, QStringLiteral("UPDATE entry SET %1 = ?, edited_fields = ?, modified_at = ? WHERE id = ?").arg(column),
            {bindable(target), edited, forward ? change.modifiedAtAfter : change.modifiedAtBefore, change.entryId});
        if (!update)
            return Error {update.error()};
        return {};
    });
}

Status EntryEditor::revert(const FieldChange &change)
{
    return writeField(change, false);
}

Status EntryEditor::reapply(const FieldChange &change)
{
    return writeField(change, true);
}

// ---------------------------------------------------------------- classifications

Result<ClassificationChange> EntryEditor::addClassification(
    qint64 entryId, qint64 nodeId, const QString &curator, const QString &evidence, std::optional<double> confidence)
{
    const QString by = curator.simplified();
    if (by.isEmpty())
        return Error {tr("a classification by a curator needs the curator's name")};
    if (confidence && !(*confidence >= 0.0 && *confidence <= 1.0))
        return Error {tr("a confidence must lie between 0 and 1")};

    return write([&](QSqlDatabase &db) -> Result<ClassificationChange> {
        auto entry = exists(db, QStringLiteral("SELECT 1 FROM entry WHERE id = ?"), {entryId});
        if (!entry)
            return Error {entry.error()};
        if (!entry.value())
            return Error {tr("there is no entry %1").arg(entryId)};
        auto node = exists(db, QStringLiteral("SELECT 1 FROM taxonomy_node WHERE id = ?"), {nodeId});
        if (!node)
            return Error {node.error()};
        if (!node.value())
            return Error {tr("there is no taxonomy node %1").arg(nodeId)};
        auto existing = findClassification(db, entryId, nodeId);
        if (!existing)
            return Error {existing.error()};
        if (existing.value()) {
            auto label = nodeLabel(nodeId);
            return Error {tr("the entry is already classified as %1").arg(label ? label.value() : QString::number(nodeId))};
        }
        const QString trimmedEvidence = evidence.trimmed();
        auto inserted = Sql::exec(db,
            QStringLiteral("INSERT INTO classification(entry_id, node_id, assigned_by_kind, assigned_by, assigned_at, evidence, confidence) "
                           "VALUES (?, ?, 'curator', ?, ?, ?, ?)"),
            {entryId, nodeId, by, now(), Sql::nullIfEmpty(trimmedEvidence), bindable(confidence)});
        if (!inserted)
            return Error {inserted.error()};
        auto row = findClassification(db, entryId, nodeId);
        if (!row)
            return Error {row.error()};
        if (!row.value())
            return Error {tr("the new classification could not be read back")};
        return ClassificationChange {true, *row.value()};
    });
}

Result<ClassificationChange> EntryEditor::removeClassification(qint64 entryId, qint64 nodeId)
{
    return write([&](QSqlDatabase &db) -> Result<ClassificationChange> {
        auto row = findClassification(db, entryId, nodeId);
        if (!row)
            return Error {row.error()};
        if (!row.value())
            return Error {tr("entry %1 is not classified at node %2").arg(entryId).arg(nodeId)};
        auto removed = Sql::exec(db, QStringLiteral("DELETE FROM classification WHERE id = ?"), {row.value()->id});
        if (!removed)
            return Error {removed.error()};
        return ClassificationChange {false, *row.value()};
    });
}

Status EntryEditor::insertClassification(const ClassificationRow &row)
{
    return write([&](QSqlDatabase &db) -> Status {
        auto existing = findClassification(db, row.entryId, row.nodeId);
        if (!existing)
            return Error {existing.error()};
        if (existing.value())
            return Error {tr("entry %1 was classified at node %2 elsewhere").arg(row.entryId).arg(row.nodeId)};
        // The old id when it is still free, so the row is the one that was removed.
        auto idTaken = exists(db, QStringLiteral("SELECT 1 FROM classification WHERE id = ?"), {row.id});
        if (!idTaken)
            return Error {idTaken.error()};
        const QVariant id = idTaken.value() ? QVariant(QMetaType::fromType<qint64>()) : QVariant(row.id);
        auto inserted = Sql::exec(db,
            QStringLiteral("INSERT INTO classification(id, entry_id, node_id, assigned_by_kind, assigned_by, assigned_at, evidence, "
                           "confidence, origin_batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            {id, row.entryId, row.nodeId, row.assignedByKind, row.assignedBy, row.assignedAt, bindable(row.evidence), bindable(row.confidence),
                bindable(row.originBatchId)});
        if (!inserted)
            return Error {inserted.error()};
        return {};
    });
}

Status EntryEditor::deleteClassification(const ClassificationRow &row)
{
    return write([&](QSqlDatabase &db) -> Status {
        auto existing = findClassification(db, row.entryId, row.nodeId);
        if (!existing)
            return Error {existing.error()};
        const std::optional<ClassificationRow> &found = existing.value();
        if (!found || found->assignedBy != row.assignedBy || found->assignedByKind != row.assignedByKind || found->assignedAt != row.assignedAt)
            return Error {tr("the classification of entry %1 at node %2 was changed elsewhere").arg(row.entryId).arg(row.nodeId)};
        auto removed = Sql::exec(db, QStringLiteral("DELETE FROM classification WHERE id = ?"), {found->id});
        if (!removed)
            return Error {removed.error()};
        return {};
    });
}

Status EntryEditor::revert(const ClassificationChange &change)
{
    return change.added ? deleteClassification(change.row) : insertClassification(change.row);
}

Status EntryEditor::reapply(const ClassificationChange &change)
{
    return change.added ? insertClassification(change.row) : deleteClassification(change.row);
}

// ---------------------------------------------------------------- tags

Result<TagChange> EntryEditor::addTag(const QList<qint64> &entryIds, const QStringList &path)
{
    const QStringList names = cleanPath(path);
    if (names.isEmpty())
        return Error {tr("a tag needs a name")};
    const QList<qint64> entries = distinct(entryIds);
    if (entries.isEmpty())
        return Error {tr("no entries to tag")};

    return write([&](QSqlDatabase &db) -> Result<TagChange> {
        for (qint64 entryId : entries) {
            auto found = exists(db, QStringLiteral("SELECT 1 FROM entry WHERE id = ?"), {entryId});
            if (!found)
                return Error {found.error()};
            if (!found.value())
                return Error {tr("there is no entry %1").arg(entryId)};
        }
        TagChange change;
        change.added = true;
        if (Status found = walkTagPath(db, names, true, change); !found)
            return Error {found.error()};
        for (qint64 entryId : entries) {
            auto linked = Sql::exec(db, QStringLiteral("INSERT OR IGNORE INTO entry_tag(entry_id, tag_id) VALUES (?, ?)"), {entryId, change.tagId});
            if (!linked)
                return Error {linked.error()};
            if (linked.value().numRowsAffected() > 0)
                change.links.append(TagLink {entryId, change.tagId, std::nullopt});
        }
        return change; // empty when there was nothing to do: rolled back, nobody notified
    });
}

Result<TagChange> EntryEditor::removeTag(const QList<qint64> &entryIds, const QStringList &path)
{
    const QStringList names = cleanPath(path);
    if (names.isEmpty())
        return Error {tr("a tag needs a name")};
    const QList<qint64> entries = distinct(entryIds);

    return write([&](QSqlDatabase &db) -> Result<TagChange> {
        TagChange change;
        change.added = false;
        if (Status found = walkTagPath(db, names, false, change); !found)
            return Error {found.error()};
        for (qint64 entryId : entries) {
            auto link = Sql::exec(db, QStringLiteral("SELECT origin_batch_id FROM entry_tag WHERE entry_id = ? AND tag_id = ?"), {entryId, change.tagId});
            if (!link)
                return Error {link.error()};
            if (!link.value().next())
                continue;
            const std::optional<qint64> batch = optionalId(link.value().value(0));
            auto removed = Sql::exec(db, QStringLiteral("DELETE FROM entry_tag WHERE entry_id = ? AND tag_id = ?"), {entryId, change.tagId});
            if (!removed)
                return Error {removed.error()};
            change.links.append(TagLink {entryId, change.tagId, batch});
        }
        return change; // empty when there was nothing to do: rolled back, nobody notified
    });
}

Status EntryEditor::linkTags(const TagChange &change)
{
    if (change.isEmpty())
        return {};
    return write([&](QSqlDatabase &db) -> Status {
        for (const TagRow &tag : change.createdTags) {
            // A tag kept by revert() because something else came to use it is still there.
            auto kept
                = exists(db, QStringLiteral("SELECT 1 FROM tag WHERE id = ? AND parent_id IS ? AND name = ?"), {tag.id, bindable(tag.parentId), tag.name});
            if (!kept)
                return Error {kept.error()};
            if (kept.value())
                continue;
            auto inserted = Sql::exec(db, QStringLiteral("INSERT INTO tag(id, parent_id, name, color, origin_batch_id) VALUES (?, ?, ?, ?, ?)"),
                {tag.id, bindable(tag.parentId), tag.name, bindable(tag.color), bindable(tag.originBatchId)});
            if (!inserted)
                return Error {tr("the tag \"%1\" cannot be made again: %2").arg(tag.name, inserted.error())};
        }
        for (const TagLink &link : change.links) {
            auto linked = Sql::exec(db, QStringLiteral("INSERT OR IGNORE INTO entry_tag(entry_id, tag_id, origin_batch_id) VALUES (?, ?, ?)"),
                {link.entryId, link.tagId, bindable(link.originBatchId)});
            if (!linked)
                return Error {linked.error()};
            if (linked.value().numRowsAffected() == 0)
                return Error {tr("entry %1 was tagged \"%2\" elsewhere").arg(link.entryId).arg(joinTagPath(change.path))};
        }
        return {};
    });
}

Status EntryEditor::unlinkTags(const TagChange &change)
{
    if (change.isEmpty())
        return {};
    return write([&](QSqlDatabase &db) -> Status {
        for (const TagLink &link : change.links) {
            auto removed = Sql::exec(db, QStringLiteral("DELETE FROM entry_tag WHERE entry_id = ? AND tag_id = ?"), {link.entryId, link.tagId});
            if (!removed)
                return Error {removed.error()};
            if (removed.value().numRowsAffected() == 0)
                return Error {tr("the tag \"%1\" was taken off entry %2 elsewhere").arg(joinTagPath(change.path)).arg(link.entryId)};
        }
        // Tags the change made go with it, deepest first, unless something else uses them by now.
        for (auto it = change.createdTags.crbegin(); it != change.createdTags.crend(); ++it) {
            auto removed = Sql::exec(db, QStringLiteral(R"(
                DELETE FROM tag WHERE id = ?
                  AND NOT EXISTS (SELECT 1 FROM tag c WHERE c.parent_id = tag.id)
                  AND NOT EXISTS (SELECT 1 FROM entry_tag x WHERE x.tag_id = tag.id)
                  AND NOT EXISTS (SELECT 1 FROM document_tag x WHERE x.tag_id = tag.id))"),
                {it->id});
            if (!removed)
                return Error {removed.error()};
        }
        return {};
    });
}

Status EntryEditor::revert(const TagChange &change)
{
    return change.added ? unlinkTags(change) : linkTags(change);
}

Status EntryEditor::reapply(const TagChange &change)
{
    return change.added ? linkTags(change) : unlinkTags(change);
}

// ---------------------------------------------------------------- document merges

QVariant StoredRow::value(const QString &column) const
{
    const qsizetype index = columns.indexOf(column);
    return index < 0 ? QVariant() : values.at(index);
}

void StoredRow::setValue(const QString &column, const QVariant &value)
{
    const qsizetype index = columns.indexOf(column);
    if (index >= 0)
        values[index] = value;
}

bool StoredRow::isSameAs(const StoredRow &other) const
{
    if (columns != other.columns || values.size() != other.values.size())
        return false;
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (values.at(i).isNull() != other.values.at(i).isNull() || values.at(i) != other.values.at(i))
            return false;
    }
    return true;
}

namespace
{

// Every table that refers to a document besides entry.document_id, with the columns that make
// one of its links unique beside document_id.
struct LinkTable {
    QString name;
    QStringList keys;
};

const QList<LinkTable> &linkTables()
{
    static const QList<LinkTable> tables {
        {QStringLiteral("entry_document"), {QStringLiteral("entry_id"), QStringLiteral("relation")}},
        {QStringLiteral("document_tag"), {QStringLiteral("tag_id")}},
        {QStringLiteral("document_classification"), {QStringLiteral("node_id")}},
    };
    return tables;
}

const LinkTable *linkTable(const QString &name)
{
    for (const LinkTable &table : linkTables()) {
        if (table.name == name)
            return &table;
    }
    return nullptr;
}

Result<QList<StoredRow>> readRows(const QSqlDatabase &db, const QString &statement, const QVariantList &values)
{
    auto q = Sql::exec(db, statement, values);
    if (!q)
        return Error {q.error()};
    QList<StoredRow> rows;
    while (q.value().next()) {
        const QSqlRecord record = q.value().record();
        StoredRow row;
        for (int i = 0; i < record.count(); ++i) {
            row.columns.append(record.fieldName(i));
            row.values.append(record.value(i));
        }
        rows.append(row);
    }
    return rows;
}

Result<std::optional<StoredRow>> readDocument(const QSqlDatabase &db, qint64 id)
{
    auto rows = readRows(db, QStringLiteral("SELECT * FROM document WHERE id = ?"), {id});
    if (!rows)
        return Error {rows.error()};
    return rows->isEmpty() ? std::optional<StoredRow>() : std::optional<StoredRow>(rows->first());
}

Status insertRow(const QSqlDatabase &db, const QString &table, const StoredRow &row)
{
    const QStringList marks(row.columns.size(), QStringLiteral("?"));
    auto inserted = Sql::exec(
        db, QStringLiteral("INSERT INTO %1(%2) VALUES (%3)").arg(table, row.columns.join(QLatin1String(", ")), marks.join(QLatin1String(", "))), row.values);
    if (!inserted)
        return Error {inserted.error()};
    return {};
}

// Writes every column of `row` but its id into the document `id`.
Status writeDocument(const QSqlDatabase &db, qint64 id, const StoredRow &row)
{
    QStringList assignments;
    QVariantList values;
    for (qsizetype i = 0; i < row.columns.size(); ++i) {
        if (row.columns.at(i) == QLatin1String("id"))
            continue;
        assignments.append(row.columns.at(i) + QLatin1String(" = ?"));
        values.append(row.values.at(i));
    }
    values.append(id);
    auto updated = Sql::exec(db, QStringLiteral("UPDATE document SET %1 WHERE id = ?").arg(assignments.join(QLatin1String(", "))), values);
    if (!updated)
        return Error {updated.error()};
    return {};
}

// "document_id = ? AND entry_id = ? AND relation = ?" and its values: the one link `row` is.
std::pair<QString, QVariantList> linkWhere(const LinkTable &table, const StoredRow &row, qint64 documentId)
{
    QString where = QStringLiteral("document_id = ?");
    QVariantList values {documentId};
    for (const QString &key : table.keys) {
        where += QStringLiteral(" AND %1 = ?").arg(key);
        values.append(row.value(key));
    }
    return {where, values};
}

// Runs `statement` (with a %1 for the link's WHERE clause) on the one link `row` is, at document
// `documentId`; anything but one row changed means someone else changed the links.
Status changeLink(const QSqlDatabase &db, const LinkTable &table, const QString &statement, const QVariantList &first, const StoredRow &row, qint64 documentId)
{
    auto [where, values] = linkWhere(table, row, documentId);
    auto changed = Sql::exec(db, statement.arg(table.name, where), first + values);
    if (!changed)
        return Error {changed.error()};
    if (changed.value().numRowsAffected() != 1)
        return Error {EntryEditor::tr("a link of document %1 in %2 was changed elsewhere").arg(documentId).arg(table.name)};
    return {};
}

Status moveLink(const QSqlDatabase &db, const LinkTable &table, const StoredRow &row, qint64 from, qint64 to)
{
    return changeLink(db, table, QStringLiteral("UPDATE %1 SET document_id = ? WHERE %2"), {to}, row, from);
}

Status dropLink(const QSqlDatabase &db, const LinkTable &table, const StoredRow &row, qint64 documentId)
{
    return changeLink(db, table, QStringLiteral("DELETE FROM %1 WHERE %2"), {}, row, documentId);
}

Status moveSources(const QSqlDatabase &db, const QList<qint64> &entryIds, qint64 from, qint64 to)
{
    for (qint64 entryId : entryIds) {
        auto moved = Sql::exec(db, QStringLiteral("UPDATE entry SET document_id = ? WHERE id = ? AND document_id = ?"), {to, entryId, from});
        if (!moved)
            return Error {moved.error()};
        if (moved.value().numRowsAffected() != 1)
            return Error {EntryEditor::tr("the source document of entry %1 was changed elsewhere").arg(entryId)};
    }
    return {};
}

// An import record may be gone by now (its batch undone): that is not a conflict.
Status rewriteImportChanges(const QSqlDatabase &db, const QList<ImportChangeEdit> &edits, bool forward)
{
    for (const ImportChangeEdit &edit : edits) {
        auto rewritten = Sql::exec(db, QStringLiteral("UPDATE import_change SET before = ? WHERE id = ? AND before = ?"),
            {forward ? edit.after : edit.before, edit.id, forward ? edit.before : edit.after});
        if (!rewritten)
            return Error {rewritten.error()};
    }
    return {};
}

Status checkDocument(const QSqlDatabase &db, qint64 id, const StoredRow &expected)
{
    auto row = readDocument(db, id);
    if (!row)
        return Error {row.error()};
    if (!row.value() || !row.value()->isSameAs(expected))
        return Error {EntryEditor::tr("document %1 was changed elsewhere").arg(id)};
    return {};
}

// The merge's writes, the first time and again on redo: references move, the merged row goes and
// the kept one takes its filled fields.
Status writeMerge(const QSqlDatabase &db, const DocumentMerge &merge)
{
    if (Status moved = moveSources(db, merge.sourceOf, merge.mergeId, merge.keepId); !moved)
        return moved;
    for (const DocumentLinks &links : merge.links) {
        const LinkTable *table = linkTable(links.table);
        if (!table)
            return Error {EntryEditor::tr("unknown link table %1").arg(links.table)};
        for (const StoredRow &row : links.dropped) {
            if (Status dropped = dropLink(db, *table, row, merge.mergeId); !dropped)
                return dropped;
        }
        for (const StoredRow &row : links.moved) {
            if (Status moved = moveLink(db, *table, row, merge.mergeId, merge.keepId); !moved)
                return moved;
        }
    }
    if (Status rewritten = rewriteImportChanges(db, merge.importChanges, true); !rewritten)
        return rewritten;
    // Whatever still refers to the merged document came after the merge was made; deleting the
    // row would silently cascade or unlink it.
    QStringList left {QStringLiteral("SELECT 1 FROM entry WHERE document_id = ?")};
    for (const LinkTable &table : linkTables())
        left.append(QStringLiteral("SELECT 1 FROM %1 WHERE document_id = ?").arg(table.name));
    auto referred = exists(db, left.join(QLatin1String(" UNION ALL ")), QVariantList(left.size(), merge.mergeId));
    if (!referred)
        return Error {referred.error()};
    if (referred.value())
        return Error {EntryEditor::tr("document %1 gained links elsewhere").arg(merge.mergeId)};
    auto deleted = Sql::exec(db, QStringLiteral("DELETE FROM document WHERE id = ?"), {merge.mergeId});
    if (!deleted)
        return Error {deleted.error()};
    return writeDocument(db, merge.keepId, merge.keptAfter);
}

bool isBlank(const QVariant &value)
{
    return value.isNull() || value.toString().trimmed().isEmpty();
}

// Fills the kept document's empty columns from the merged one, as an import merge does; returns
// the columns filled. A column the curator edited on the kept document is never touched.
QStringList fillDocument(StoredRow &kept, const StoredRow &merged)
{
    QJsonArray edited = parseArray(kept.value(QStringLiteral("edited_fields")).toString());
    const QJsonArray mergedEdited = parseArray(merged.value(QStringLiteral("edited_fields")).toString());
    auto editable = [&edited](const QString &column) {
        return !edited.contains(QJsonValue(column));
    };
    QStringList filled;
    auto take = [&](const QString &column) {
        kept.setValue(column, merged.value(column));
        filled.append(column);
    };

    // A title inferred from an abstract gives way to a real one, as in an import merge.
    const QString title = QStringLiteral("title");
    const bool keptInferred = kept.value(QStringLiteral("title_inferred")).toInt() == 1;
    const bool mergedInferred = merged.value(QStringLiteral("title_inferred")).toInt() == 1;
    if (editable(title) && !isBlank(merged.value(title)) && (isBlank(kept.value(title)) || (keptInferred && !mergedInferred))) {
        take(title);
        take(QStringLiteral("title_key"));
        take(QStringLiteral("title_inferred"));
        if (keptInferred && !mergedInferred && merged.value(QStringLiteral("needs_review")).toInt() == 0)
            take(QStringLiteral("needs_review"));
    }
    const QString authors = QStringLiteral("authors");
    if (editable(authors) && parseArray(kept.value(authors).toString()).isEmpty() && !parseArray(merged.value(authors).toString()).isEmpty())
        take(authors);
    for (const char *name : {"year", "venue", "doi", "arxiv_id", "url", "abstract", "citation_key"}) {
        const QString column = QLatin1String(name);
        if (editable(column) && isBlank(kept.value(column)) && !isBlank(merged.value(column)))
            take(column);
    }
    if (filled.contains(QLatin1String("abstract")))
        take(QStringLiteral("abstract_key"));

    const QString extraColumn = QStringLiteral("extra");
    QJsonObject extra = QJsonDocument::fromJson(kept.value(extraColumn).toString().toUtf8()).object();
    const QJsonObject mergedExtra = QJsonDocument::fromJson(merged.value(extraColumn).toString().toUtf8()).object();
    bool extraFilled = false;
    for (auto it = mergedExtra.constBegin(); it != mergedExtra.constEnd(); ++it) {
        if (!extra.contains(it.key())) {
            extra.insert(it.key(), it.value());
            extraFilled = true;
        }
    }
    if (extraFilled) {
        kept.setValue(extraColumn, QString::fromUtf8(QJsonDocument(extra).toJson(QJsonDocument::Compact)));
        filled.append(extraColumn);
    }

    // A value a curator gave the merged document stays a curator's value on the kept one.
    bool marked = false;
    for (const QString &column : std::as_const(filled)) {
        if (mergedEdited.contains(QJsonValue(column)) && !edited.contains(QJsonValue(column))) {
            edited.append(column);
            marked = true;
        }
    }
    if (marked)
        kept.setValue(QStringLiteral("edited_fields"), compactJson(edited));
    if (!filled.isEmpty())
        kept.setValue(QStringLiteral("modified_at"), now());
    return filled;
}

// The import records that would point an entry back at `mergeId` when their batch is undone.
Result<QList<ImportChangeEdit>> importChangesNaming(const QSqlDatabase &db, qint64 mergeId, qint64 keepId)
{
    auto q
        = Sql::exec(db, QStringLiteral("SELECT id, before FROM import_change WHERE table_name = 'entry' AND instr(before, '\"document_id\"') > 0 ORDER BY id"));
    if (!q)
        return Error {q.error()};
    QList<ImportChangeEdit> edits;
    while (q.value().next()) {
        const QString before = q.value().value(1).toString();
        QJsonObject object = QJsonDocument::fromJson(before.toUtf8()).object();
        if (object.value(QLatin1String("document_id")).toInteger(-1) != mergeId)
            continue;
        object.insert(QLatin1String("document_id"), keepId);
        edits.append(ImportChangeEdit {q.value().value(0).toLongLong(), before, QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact))});
    }
    return edits;
}

} // namespace

Result<DocumentMerge> EntryEditor::mergeDocuments(qint64 keepId, qint64 mergeId)
{
    if (keepId == mergeId)
        return Error {tr("a document cannot be merged into itself")};
    return write([&](QSqlDatabase &db) -> Result<DocumentMerge> {
        DocumentMerge merge;
        merge.keepId = keepId;
        merge.mergeId = mergeId;
        for (auto [id, row] : {std::pair {keepId, &merge.kept}, std::pair {mergeId, &merge.merged}}) {
            auto found = readDocument(db, id);
            if (!found)
                return Error {found.error()};
            if (!found.value())
                return Error {tr("there is no document %1").arg(id)};
            *row = *found.value();
        }
        merge.keptAfter = merge.kept;
        merge.filled = fillDocument(merge.keptAfter, merge.merged);

        auto sources = Sql::exec(db, QStringLiteral("SELECT id FROM entry WHERE document_id = ? ORDER BY id"), {mergeId});
        if (!sources)
            return Error {sources.error()};
        while (sources.value().next())
            merge.sourceOf.append(sources.value().value(0).toLongLong());
        for (const LinkTable &table : linkTables()) {
            auto rows = readRows(db, QStringLiteral("SELECT * FROM %1 WHERE document_id = ?").arg(table.name), {mergeId});
            if (!rows)
                return Error {rows.error()};
            DocumentLinks links;
            links.table = table.name;
            for (const StoredRow &row : rows.value()) {
                auto [where, values] = linkWhere(table, row, keepId);
                auto twin = exists(db, QStringLiteral("SELECT 1 FROM %1 WHERE %2").arg(table.name, where), values);
                if (!twin)
                    return Error {twin.error()};
                (twin.value() ? links.dropped : links.moved).append(row);
            }
            merge.links.append(links);
        }
        auto importChanges = importChangesNaming(db, mergeId, keepId);
        if (!importChanges)
            return Error {importChanges.error()};
        merge.importChanges = importChanges.value();

        if (Status written = writeMerge(db, merge); !written)
            return Error {written.error()};
        // As stored, so undo and redo compare with what SQLite gives back.
        auto kept = readDocument(db, keepId);
        if (!kept)
            return Error {kept.error()};
        merge.keptAfter = *kept.value();
        return merge;
    });
}

Status EntryEditor::reapply(const DocumentMerge &merge)
{
    return write([&](QSqlDatabase &db) -> Status {
        if (Status same = checkDocument(db, merge.keepId, merge.kept); !same)
            return same;
        if (Status same = checkDocument(db, merge.mergeId, merge.merged); !same)
            return same;
        return writeMerge(db, merge);
    });
}

Status EntryEditor::revert(const DocumentMerge &merge)
{
    return write([&](QSqlDatabase &db) -> Status {
        if (Status same = checkDocument(db, merge.keepId, merge.keptAfter); !same)
            return same;
        // The merged document comes back with its id, then everything that was its.
        if (Status inserted = insertRow(db, QStringLiteral("document"), merge.merged); !inserted)
            return Error {tr("document %1 cannot be restored: %2").arg(QString::number(merge.mergeId), inserted.error())};
        if (Status written = writeDocument(db, merge.keepId, merge.kept); !written)
            return written;
        if (Status moved = moveSources(db, merge.sourceOf, merge.keepId, merge.mergeId); !moved)
            return moved;
        for (const DocumentLinks &links : merge.links) {
            const LinkTable *table = linkTable(links.table);
            if (!table)
                return Error {tr("unknown link table %1").arg(links.table)};
            for (const StoredRow &row : links.moved) {
                if (Status moved = moveLink(db, *table, row, merge.keepId, merge.mergeId); !moved)
                    return moved;
            }
            for (const StoredRow &row : links.dropped) {
                if (Status inserted = insertRow(db, table->name, row); !inserted)
                    return inserted;
            }
        }
        return rewriteImportChanges(db, merge.importChanges, false);
    });
}

// ---------------------------------------------------------------- demo plugin links

namespace
{

// The link row of an entry and a plugin, if there is one.
Result<std::optional<PluginLinkChange::Row>> findPluginLink(const QSqlDatabase &db, qint64 entryId, const QString &pluginId)
{
    auto query = Sql::exec(db, QStringLiteral("SELECT origin, state, created_at FROM plugin_link WHERE entry_id = ? AND plugin_id = ?"), {entryId, pluginId});
    if (!query)
        return Error {query.error()};
    if (!query.value().next())
        return std::optional<PluginLinkChange::Row>();
    return std::optional<PluginLinkChange::Row>(
        PluginLinkChange::Row {query.value().value(0).toString(), query.value().value(1).toString(), query.value().value(2).toString()});
}

// Makes the link row what `row` says (none: no row), if it is still what `expected` says.
Status putPluginLink(QSqlDatabase &db, qint64 entryId, const QString &pluginId, const std::optional<PluginLinkChange::Row> &expected,
    const std::optional<PluginLinkChange::Row> &row)
{
    auto current = findPluginLink(db, entryId, pluginId);
    if (!current)
        return Error {current.error()};
    const auto same = [](const std::optional<PluginLinkChange::Row> &a, const std::optional<PluginLinkChange::Row> &b) {
        return a.has_value() == b.has_value() && (!a || (a->origin == b->origin && a->state == b->state));
    };
    if (!same(current.value(), expected))
        return Error {EntryEditor::tr("the link of entry %1 and demo %2 was changed elsewhere").arg(entryId).arg(pluginId)};
    if (!row) {
        auto removed = Sql::exec(db, QStringLiteral("DELETE FROM plugin_link WHERE entry_id = ? AND plugin_id = ?"), {entryId, pluginId});
        return removed ? Status() : Status(Error {removed.error()});
    }
    auto written = Sql::exec(db,
        QStringLiteral("INSERT INTO plugin_link (entry_id, plugin_id, origin, state, created_at) VALUES (?, ?, ?, ?, ?) "
                       "ON CONFLICT (entry_id, plugin_id) DO UPDATE SET origin = excluded.origin, state = excluded.state, created_at = excluded.created_at"),
        {entryId, pluginId, row->origin, row->state, row->createdAt});
    return written ? Status() : Status(Error {written.error()});
}

} // namespace

Result<PluginLinkChange> EntryEditor::setPluginLink(qint64 entryId, const QString &pluginId, bool linked)
{
    if (pluginId.trimmed().isEmpty())
        return Error {tr("a demo link needs a plugin id")};
    return write([&](QSqlDatabase &db) -> Result<PluginLinkChange> {
        auto found = exists(db, QStringLiteral("SELECT 1 FROM entry WHERE id = ?"), {entryId});
        if (!found)
            return Error {found.error()};
        if (!found.value())
            return Error {tr("there is no entry %1").arg(entryId)};
        auto before = findPluginLink(db, entryId, pluginId);
        if (!before)
            return Error {before.error()};
        PluginLinkChange change;
        change.entryId = entryId;
        change.pluginId = pluginId;
        change.before = before.value();
        change.after = PluginLinkChange::Row {QStringLiteral("curator"), linked ? QStringLiteral("linked") : QStringLiteral("removed"),
            QDateTime::currentDateTimeUtc().toString(Qt::ISODate)};
        if (change.isEmpty())
            return change;
        if (!linked && !change.before)
            return Error {tr("entry %1 is not linked to demo %2").arg(entryId).arg(pluginId)};
        if (Status put = putPluginLink(db, entryId, pluginId, change.before, change.after); !put)
            return Error {put.error()};
        return change;
    });
}

Status EntryEditor::revert(const PluginLinkChange &change)
{
    return write([&](QSqlDatabase &db) -> Status {
        return putPluginLink(db, change.entryId, change.pluginId, change.after, change.before);
    });
}

Status EntryEditor::reapply(const PluginLinkChange &change)
{
    return write([&](QSqlDatabase &db) -> Status {
        return putPluginLink(db, change.entryId, change.pluginId, change.before, change.after);
    });
}

// ---------------------------------------------------------------- reads

namespace
{

// The text the one-value `statement` reads for `id`, or `missing` when there is no such row.
Result<QString> textOf(const QSqlDatabase &db, const QString &statement, qint64 id, const QString &missing)
{
    auto q = Sql::exec(db, statement, {id});
    if (!q)
        return Error {q.error()};
    if (!q.value().next())
        return Error {missing};
    return q.value().value(0).toString();
}

} // namespace

Result<QString> EntryEditor::entryName(qint64 entryId) const
{
    return textOf(database(), QStringLiteral("SELECT name FROM entry WHERE id = ?"), entryId, tr("there is no entry %1").arg(entryId));
}

Result<QString> EntryEditor::nodeLabel(qint64 nodeId) const
{
    return textOf(database(), QStringLiteral("SELECT coalesce(nullif(code, ''), name) FROM taxonomy_node WHERE id = ?"), nodeId,
        tr("there is no taxonomy node %1").arg(nodeId));
}

Result<QString> EntryEditor::documentTitle(qint64 documentId) const
{
    auto title = textOf(database(), QStringLiteral("SELECT coalesce(nullif(trim(title), ''), abstract) FROM document WHERE id = ?"), documentId,
        tr("there is no document %1").arg(documentId));
    if (!title)
        return title;
    return title.value().simplified();
}

Result<QList<EntryClassification>> EntryEditor::classifications(qint64 entryId) const
{
    const QSqlDatabase db = database();
    auto q = Sql::exec(db, QStringLiteral(R"(
        SELECT c.id, c.entry_id, c.node_id, c.assigned_by_kind, c.assigned_by, c.assigned_at, c.evidence, c.confidence, c.origin_batch_id,
               s.key, s.name, ifnull(n.code, ''), n.name
        FROM classification c JOIN taxonomy_node n ON n.id = c.node_id JOIN scheme s ON s.id = n.scheme_id
        WHERE c.entry_id = ?
        ORDER BY s.position, s.id, c.id)"),
        {entryId});
    if (!q)
        return Error {q.error()};
    QList<EntryClassification> result;
    while (q.value().next()) {
        EntryClassification c;
        c.row = classificationFrom(q.value());
        c.schemeKey = q.value().value(9).toString();
        c.schemeName = q.value().value(10).toString();
        c.code = q.value().value(11).toString();
        c.name = q.value().value(12).toString();
        result.append(c);
    }
    for (EntryClassification &c : result) {
        auto path = Sql::exec(db,
            QStringLiteral("SELECT a.name FROM taxonomy_closure t JOIN taxonomy_node a ON a.id = t.ancestor_id "
                           "WHERE t.descendant_id = ? ORDER BY t.depth DESC"),
            {c.row.nodeId});
        if (!path)
            return Error {path.error()};
        while (path.value().next())
            c.path.append(path.value().value(0).toString());
    }
    return result;
}

Result<QStringList> EntryEditor::tagPaths() const
{
    auto q = Sql::exec(database(), QStringLiteral("SELECT id, ifnull(parent_id, 0), name FROM tag"));
    if (!q)
        return Error {q.error()};
    QHash<qint64, std::pair<qint64, QString>> tags;
    while (q.value().next())
        tags.insert(q.value().value(0).toLongLong(), {q.value().value(1).toLongLong(), q.value().value(2).toString()});
    QStringList paths;
    paths.reserve(tags.size());
    for (auto it = tags.cbegin(); it != tags.cend(); ++it) {
        QStringList path;
        qint64 id = it.key();
        for (int guard = 0; id != 0 && guard < 256; ++guard) {
            const auto found = tags.constFind(id);
            if (found == tags.cend())
                break;
            path.prepend(found->second);
            id = found->first;
        }
        paths.append(joinTagPath(path));
    }
    std::sort(paths.begin(), paths.end(), [](const QString &a, const QString &b) {
        return a.compare(b, Qt::CaseInsensitive) < 0;
    });
    return paths;
}

QStringList EntryEditor::splitTagPath(const QString &text)
{
    return cleanPath(text.split(QLatin1Char('>')));
}

QString EntryEditor::joinTagPath(const QStringList &path)
{
    return path.join(QLatin1String(" > "));
}

} // namespace Atlas

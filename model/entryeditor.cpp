#include "entryeditor.h"

#include "library.h"
#include "sql.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

#include <algorithm>

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

    QSqlDatabase db = database();
    Sql::Transaction transaction(db);
    if (!transaction.isActive())
        return Error {transaction.error()};
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
    if (Status committed = transaction.commit(); !committed)
        return Error {committed.error()};
    notify();
    return change;
}

Status EntryEditor::writeField(const FieldChange &change, bool forward)
{
    if (change.isEmpty())
        return {};
    const QString column = entryFieldColumn(change.field);
    const std::optional<QString> &expected = forward ? change.before : change.after;
    const std::optional<QString> &target = forward ? change.after : change.before;

    QSqlDatabase db = database();
    Sql::Transaction transaction(db);
    if (!transaction.isActive())
        return Error {transaction.error()};
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
    if (Status committed = transaction.commit(); !committed)
        return committed;
    notify();
    return {};
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

    QSqlDatabase db = database();
    Sql::Transaction transaction(db);
    if (!transaction.isActive())
        return Error {transaction.error()};
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
    if (Status committed = transaction.commit(); !committed)
        return Error {committed.error()};
    notify();
    return ClassificationChange {true, *row.value()};
}

Result<ClassificationChange> EntryEditor::removeClassification(qint64 entryId, qint64 nodeId)
{
    QSqlDatabase db = database();
    Sql::Transaction transaction(db);
    if (!transaction.isActive())
        return Error {transaction.error()};
    auto row = findClassification(db, entryId, nodeId);
    if (!row)
        return Error {row.error()};
    if (!row.value())
        return Error {tr("entry %1 is not classified at node %2").arg(entryId).arg(nodeId)};
    auto removed = Sql::exec(db, QStringLiteral("DELETE FROM classification WHERE id = ?"), {row.value()->id});
    if (!removed)
        return Error {removed.error()};
    if (Status committed = transaction.commit(); !committed)
        return Error {committed.error()};
    notify();
    return ClassificationChange {false, *row.value()};
}

Status EntryEditor::insertClassification(const ClassificationRow &row)
{
    QSqlDatabase db = database();
    Sql::Transaction transaction(db);
    if (!transaction.isActive())
        return Error {transaction.error()};
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
    if (Status committed = transaction.commit(); !committed)
        return committed;
    notify();
    return {};
}

Status EntryEditor::deleteClassification(const ClassificationRow &row)
{
    QSqlDatabase db = database();
    Sql::Transaction transaction(db);
    if (!transaction.isActive())
        return Error {transaction.error()};
    auto existing = findClassification(db, row.entryId, row.nodeId);
    if (!existing)
        return Error {existing.error()};
    const std::optional<ClassificationRow> &found = existing.value();
    if (!found || found->assignedBy != row.assignedBy || found->assignedByKind != row.assignedByKind || found->assignedAt != row.assignedAt)
        return Error {tr("the classification of entry %1 at node %2 was changed elsewhere").arg(row.entryId).arg(row.nodeId)};
    auto removed = Sql::exec(db, QStringLiteral("DELETE FROM classification WHERE id = ?"), {found->id});
    if (!removed)
        return Error {removed.error()};
    if (Status committed = transaction.commit(); !committed)
        return committed;
    notify();
    return {};
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

    QSqlDatabase db = database();
    Sql::Transaction transaction(db);
    if (!transaction.isActive())
        return Error {transaction.error()};
    for (qint64 entryId : entries) {
        auto found = exists(db, QStringLiteral("SELECT 1 FROM entry WHERE id = ?"), {entryId});
        if (!found)
            return Error {found.error()};
        if (!found.value())
            return Error {tr("there is no entry %1").arg(entryId)};
    }
    TagChange change;
    change.added = true;
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
    for (qint64 entryId : entries) {
        auto linked = Sql::exec(db, QStringLiteral("INSERT OR IGNORE INTO entry_tag(entry_id, tag_id) VALUES (?, ?)"), {entryId, change.tagId});
        if (!linked)
            return Error {linked.error()};
        if (linked.value().numRowsAffected() > 0)
            change.links.append(TagLink {entryId, change.tagId, std::nullopt});
    }
    if (change.isEmpty())
        return change;
    if (Status committed = transaction.commit(); !committed)
        return Error {committed.error()};
    notify();
    return change;
}

Result<TagChange> EntryEditor::removeTag(const QList<qint64> &entryIds, const QStringList &path)
{
    const QStringList names = cleanPath(path);
    if (names.isEmpty())
        return Error {tr("a tag needs a name")};
    const QList<qint64> entries = distinct(entryIds);

    QSqlDatabase db = database();
    Sql::Transaction transaction(db);
    if (!transaction.isActive())
        return Error {transaction.error()};
    TagChange change;
    change.added = false;
    std::optional<qint64> parent;
    for (const QString &name : names) {
        auto found = findTag(db, parent, name);
        if (!found)
            return Error {found.error()};
        if (!found.value())
            return Error {tr("there is no tag \"%1\"").arg(joinTagPath(names))};
        parent = found.value()->id;
        change.path.append(found.value()->name);
    }
    change.tagId = *parent;
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
    if (change.isEmpty())
        return change;
    if (Status committed = transaction.commit(); !committed)
        return Error {committed.error()};
    notify();
    return change;
}

Status EntryEditor::linkTags(const TagChange &change)
{
    if (change.isEmpty())
        return {};
    QSqlDatabase db = database();
    Sql::Transaction transaction(db);
    if (!transaction.isActive())
        return Error {transaction.error()};
    for (const TagRow &tag : change.createdTags) {
        // A tag kept by revert() because something else came to use it is still there.
        auto kept = exists(db, QStringLiteral("SELECT 1 FROM tag WHERE id = ? AND parent_id IS ? AND name = ?"), {tag.id, bindable(tag.parentId), tag.name});
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
    if (Status committed = transaction.commit(); !committed)
        return committed;
    notify();
    return {};
}

Status EntryEditor::unlinkTags(const TagChange &change)
{
    if (change.isEmpty())
        return {};
    QSqlDatabase db = database();
    Sql::Transaction transaction(db);
    if (!transaction.isActive())
        return Error {transaction.error()};
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
    if (Status committed = transaction.commit(); !committed)
        return committed;
    notify();
    return {};
}

Status EntryEditor::revert(const TagChange &change)
{
    return change.added ? unlinkTags(change) : linkTags(change);
}

Status EntryEditor::reapply(const TagChange &change)
{
    return change.added ? linkTags(change) : unlinkTags(change);
}

// ---------------------------------------------------------------- reads

Result<QString> EntryEditor::entryName(qint64 entryId) const
{
    auto q = Sql::exec(database(), QStringLiteral("SELECT name FROM entry WHERE id = ?"), {entryId});
    if (!q)
        return Error {q.error()};
    if (!q.value().next())
        return Error {tr("there is no entry %1").arg(entryId)};
    return q.value().value(0).toString();
}

Result<QString> EntryEditor::nodeLabel(qint64 nodeId) const
{
    auto q = Sql::exec(database(), QStringLiteral("SELECT coalesce(nullif(code, ''), name) FROM taxonomy_node WHERE id = ?"), {nodeId});
    if (!q)
        return Error {q.error()};
    if (!q.value().next())
        return Error {tr("there is no taxonomy node %1").arg(nodeId)};
    return q.value().value(0).toString();
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

#include "libraryjsonexporter.h"

#include "sql.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

namespace Atlas
{

namespace
{

QJsonValue textOrNull(const QVariant &value)
{
    return value.isNull() || value.toString().isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(value.toString());
}

QJsonValue parsed(const QVariant &json)
{
    const QJsonDocument document = QJsonDocument::fromJson(json.toString().toUtf8());
    if (document.isArray())
        return document.array();
    return document.object();
}

struct Node {
    qint64 parent = 0;
    QString scheme;
    QString code;
    QString name;
};

QStringList pathOf(const QHash<qint64, Node> &nodes, qint64 id)
{
    QStringList path;
    for (int guard = 0; id != 0 && guard < 256; ++guard) {
        const Node node = nodes.value(id);
        path.prepend(node.name);
        id = node.parent;
    }
    return path;
}

// {scheme, code} for a coded node, {scheme, path} otherwise: what the importer resolves again.
QJsonObject nodeReference(const QHash<qint64, Node> &nodes, qint64 id)
{
    const Node node = nodes.value(id);
    QJsonObject o{{QStringLiteral("scheme"), node.scheme}};
    if (!node.code.isEmpty())
        o.insert(QStringLiteral("code"), node.code);
    else
        o.insert(QStringLiteral("path"), QJsonArray::fromStringList(pathOf(nodes, id)));
    return o;
}

Result<QHash<qint64, QJsonArray>> classifications(const QSqlDatabase &db, const QHash<qint64, Node> &nodes, const QString &table, const char *owner)
{
    QHash<qint64, QJsonArray> result;
    auto rows = Sql::exec(db, QStringLiteral("SELECT %1, node_id, assigned_by_kind, assigned_by, assigned_at, evidence, confidence FROM %2 ORDER BY %1, id")
                                  .arg(QLatin1String(owner), table));
    if (!rows)
        return Error{rows.error()};
    while (rows.value().next()) {
        const QSqlQuery &q = rows.value();
        QJsonObject o = nodeReference(nodes, q.value(1).toLongLong());
        o.insert(QStringLiteral("assigned_by_kind"), q.value(2).toString());
        o.insert(QStringLiteral("assigned_by"), q.value(3).toString());
        o.insert(QStringLiteral("assigned_at"), q.value(4).toString());
        o.insert(QStringLiteral("evidence"), textOrNull(q.value(5)));
        o.insert(QStringLiteral("confidence"), q.value(6).isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(q.value(6).toDouble()));
        result[q.value(0).toLongLong()].append(o);
    }
    return result;
}

Result<QHash<qint64, QJsonArray>> tags(const QSqlDatabase &db, const QString &table, const char *owner)
{
    QHash<qint64, std::pair<qint64, QString>> tree;
    auto all = Sql::exec(db, QStringLiteral("SELECT id, ifnull(parent_id, 0), name FROM tag"));
    if (!all)
        return Error{all.error()};
    while (all.value().next())
        tree.insert(all.value().value(0).toLongLong(), {all.value().value(1).toLongLong(), all.value().value(2).toString()});
    QHash<qint64, QList<QStringList>> paths;
    auto rows = Sql::exec(db, QStringLiteral("SELECT %1, tag_id FROM %2").arg(QLatin1String(owner), table));
    if (!rows)
        return Error{rows.error()};
    while (rows.value().next()) {
        QStringList path;
        qint64 id = rows.value().value(1).toLongLong();
        for (int guard = 0; id != 0 && guard < 256; ++guard) {
            path.prepend(tree.value(id).second);
            id = tree.value(id).first;
        }
        paths[rows.value().value(0).toLongLong()].append(path);
    }
    QHash<qint64, QJsonArray> result;
    for (auto it = paths.begin(); it != paths.end(); ++it) {
        std::sort(it->begin(), it->end());
        QJsonArray array;
        for (const QStringList &path : std::as_const(it.value()))
            array.append(QJsonArray::fromStringList(path));
        result.insert(it.key(), array);
    }
    return result;
}

} // namespace

QString LibraryJsonExporter::displayName() const
{
    return QCoreApplication::translate("LibraryJsonExporter", "Mitigation Atlas library (JSON)");
}

Result<QJsonObject> LibraryJsonExporter::toJson(const QSqlDatabase &db) const
{
    // Taxonomy nodes, and those that did not come bundled, parents first.
    QHash<qint64, Node> nodes;
    auto nodeRows = Sql::exec(db, QStringLiteral("SELECT n.id, ifnull(n.parent_id, 0), s.key, ifnull(n.code, ''), n.name FROM taxonomy_node n JOIN scheme s ON s.id = n.scheme_id"));
    if (!nodeRows)
        return Error{nodeRows.error()};
    while (nodeRows.value().next()) {
        const QSqlQuery &q = nodeRows.value();
        nodes.insert(q.value(0).toLongLong(), Node{q.value(1).toLongLong(), q.value(2).toString(), q.value(3).toString(), q.value(4).toString()});
    }
    QJsonArray nodeArray;
    auto added = Sql::exec(db, QStringLiteral(R"(
        SELECT n.id, n.description, n.provisional, (SELECT count(*) FROM taxonomy_closure c WHERE c.descendant_id = n.id) AS depth
        FROM taxonomy_node n WHERE n.origin <> 'bundled' ORDER BY depth, n.id)"));
    if (!added)
        return Error{added.error()};
    while (added.value().next()) {
        const QSqlQuery &q = added.value();
        const qint64 id = q.value(0).toLongLong();
        const Node node = nodes.value(id);
        QJsonObject o{{QStringLiteral("scheme"), node.scheme}, {QStringLiteral("name"), node.name}, {QStringLiteral("code"), textOrNull(node.code)},
            {QStringLiteral("description"), textOrNull(q.value(1))}, {QStringLiteral("provisional"), q.value(2).toInt() == 1}};
        if (node.parent != 0) {
            const Node parent = nodes.value(node.parent);
            if (!parent.code.isEmpty())
                o.insert(QStringLiteral("parent_code"), parent.code);
            else
                o.insert(QStringLiteral("parent_path"), QJsonArray::fromStringList(pathOf(nodes, node.parent)));
        }
        nodeArray.append(o);
    }

    // Documents in id order; their keys are their positions.
    auto documentClassifications = classifications(db, nodes, QStringLiteral("document_classification"), "document_id");
    auto documentTags = tags(db, QStringLiteral("document_tag"), "document_id");
    auto entryClassifications = classifications(db, nodes, QStringLiteral("classification"), "entry_id");
    auto entryTags = tags(db, QStringLiteral("entry_tag"), "entry_id");
    for (const QString &error : {documentClassifications.error(), documentTags.error(), entryClassifications.error(), entryTags.error()}) {
        if (!error.isEmpty())
            return Error{error};
    }
    QHash<qint64, QString> documentKeys;
    QJsonArray documentArray;
    auto documents = Sql::exec(db, QStringLiteral("SELECT id, kind, title, authors, year, venue, doi, arxiv_id, url, abstract, citation_key, extra, edited_fields, "
                                                  "needs_review, title_inferred, created_at, modified_at FROM document ORDER BY id"));
    if (!documents)
        return Error{documents.error()};
    while (documents.value().next()) {
        const QSqlQuery &q = documents.value();
        const qint64 id = q.value(0).toLongLong();
        const QString key = QStringLiteral("d%1").arg(documentKeys.size() + 1);
        documentKeys.insert(id, key);
        documentArray.append(QJsonObject{
            {QStringLiteral("key"), key},
            {QStringLiteral("kind"), q.value(1).toString()},
            {QStringLiteral("title"), textOrNull(q.value(2))},
            {QStringLiteral("authors"), parsed(q.value(3))},
            {QStringLiteral("year"), q.value(4).isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(q.value(4).toInt())},
            {QStringLiteral("venue"), textOrNull(q.value(5))},
            {QStringLiteral("doi"), textOrNull(q.value(6))},
            {QStringLiteral("arxiv_id"), textOrNull(q.value(7))},
            {QStringLiteral("url"), textOrNull(q.value(8))},
            {QStringLiteral("abstract"), textOrNull(q.value(9))},
            {QStringLiteral("citation_key"), textOrNull(q.value(10))},
            {QStringLiteral("extra"), parsed(q.value(11))},
            {QStringLiteral("edited_fields"), parsed(q.value(12))},
            {QStringLiteral("needs_review"), q.value(13).toInt() == 1},
            {QStringLiteral("title_inferred"), q.value(14).toInt() == 1},
            {QStringLiteral("created_at"), q.value(15).toString()},
            {QStringLiteral("modified_at"), q.value(16).toString()},
            {QStringLiteral("tags"), documentTags->value(id)},
            {QStringLiteral("classifications"), documentClassifications->value(id)},
        });
    }

    // Entries parents first (then by id), so an import inserts them in the file's order.
    struct EntryRow {
        qint64 id;
        qint64 parent;
        QJsonObject object;
    };
    QList<EntryRow> rows;
    auto entries = Sql::exec(db, QStringLiteral("SELECT id, ifnull(parent_id, 0), ifnull(document_id, 0), external_id, name, text, reasoning, notes, listing_only, "
                                                "needs_review, extra, edited_fields, created_at, modified_at FROM entry ORDER BY id"));
    if (!entries)
        return Error{entries.error()};
    while (entries.value().next()) {
        const QSqlQuery &q = entries.value();
        const qint64 id = q.value(0).toLongLong();
        rows.append(EntryRow{id, q.value(1).toLongLong(),
            QJsonObject{
                {QStringLiteral("document"), q.value(2).toLongLong() != 0 ? QJsonValue(documentKeys.value(q.value(2).toLongLong())) : QJsonValue(QJsonValue::Null)},
                {QStringLiteral("external_id"), textOrNull(q.value(3))},
                {QStringLiteral("name"), q.value(4).toString()},
                {QStringLiteral("text"), textOrNull(q.value(5))},
                {QStringLiteral("reasoning"), textOrNull(q.value(6))},
                {QStringLiteral("notes"), textOrNull(q.value(7))},
                {QStringLiteral("listing_only"), q.value(8).toInt() == 1},
                {QStringLiteral("needs_review"), q.value(9).toInt() == 1},
                {QStringLiteral("extra"), parsed(q.value(10))},
                {QStringLiteral("edited_fields"), parsed(q.value(11))},
                {QStringLiteral("created_at"), q.value(12).toString()},
                {QStringLiteral("modified_at"), q.value(13).toString()},
                {QStringLiteral("tags"), entryTags->value(id)},
                {QStringLiteral("classifications"), entryClassifications->value(id)},
            }});
    }
    QHash<qint64, QList<qsizetype>> children;
    QHash<qint64, qsizetype> indexById;
    for (qsizetype i = 0; i < rows.size(); ++i)
        indexById.insert(rows.at(i).id, i);
    QList<qsizetype> roots;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (rows.at(i).parent != 0 && indexById.contains(rows.at(i).parent))
            children[rows.at(i).parent].append(i);
        else
            roots.append(i);
    }
    QList<qsizetype> order;
    QList<qsizetype> stack(roots.crbegin(), roots.crend());
    QSet<qsizetype> seen;
    while (!stack.isEmpty()) {
        const qsizetype i = stack.takeLast();
        if (seen.contains(i))
            continue;
        seen.insert(i);
        order.append(i);
        const QList<qsizetype> &kids = children.value(rows.at(i).id);
        for (auto it = kids.crbegin(); it != kids.crend(); ++it)
            stack.append(*it);
    }
    QHash<qint64, QString> entryKeys;
    for (qsizetype position = 0; position < order.size(); ++position)
        entryKeys.insert(rows.at(order.at(position)).id, QStringLiteral("e%1").arg(position + 1));

    QHash<qint64, QJsonArray> related;
    auto links = Sql::exec(db, QStringLiteral("SELECT entry_id, document_id, relation FROM entry_document ORDER BY entry_id, document_id, relation"));
    if (!links)
        return Error{links.error()};
    while (links.value().next()) {
        related[links.value().value(0).toLongLong()].append(
            QJsonObject{{QStringLiteral("document"), documentKeys.value(links.value().value(1).toLongLong())}, {QStringLiteral("relation"), links.value().value(2).toString()}});
    }
    QHash<qint64, QJsonArray> plugins;
    auto pluginLinks = Sql::exec(db, QStringLiteral("SELECT entry_id, plugin_id, origin, state FROM plugin_link ORDER BY entry_id, plugin_id"));
    if (!pluginLinks)
        return Error{pluginLinks.error()};
    while (pluginLinks.value().next()) {
        const QSqlQuery &q = pluginLinks.value();
        plugins[q.value(0).toLongLong()].append(QJsonObject{
            {QStringLiteral("plugin"), q.value(1).toString()}, {QStringLiteral("origin"), q.value(2).toString()}, {QStringLiteral("state"), q.value(3).toString()}});
    }

    QJsonArray entryArray;
    for (qsizetype i : std::as_const(order)) {
        const EntryRow &row = rows.at(i);
        QJsonObject o = row.object;
        o.insert(QStringLiteral("key"), entryKeys.value(row.id));
        o.insert(QStringLiteral("parent"), row.parent != 0 && entryKeys.contains(row.parent) ? QJsonValue(entryKeys.value(row.parent)) : QJsonValue(QJsonValue::Null));
        o.insert(QStringLiteral("related_documents"), related.value(row.id));
        o.insert(QStringLiteral("plugin_links"), plugins.value(row.id));
        entryArray.append(o);
    }

    QJsonArray batchArray;
    auto batches = Sql::exec(db, QStringLiteral("SELECT file, format, sha256, mode, started_at, finished_at, status, counts, diagnostics, added, merged, skipped "
                                                "FROM import_batch ORDER BY id"));
    if (!batches)
        return Error{batches.error()};
    while (batches.value().next()) {
        const QSqlQuery &q = batches.value();
        batchArray.append(QJsonObject{
            {QStringLiteral("file"), q.value(0).toString()},
            {QStringLiteral("format"), q.value(1).toString()},
            {QStringLiteral("sha256"), textOrNull(q.value(2))},
            {QStringLiteral("mode"), q.value(3).toString()},
            {QStringLiteral("started_at"), q.value(4).toString()},
            {QStringLiteral("finished_at"), textOrNull(q.value(5))},
            {QStringLiteral("status"), q.value(6).toString()},
            {QStringLiteral("counts"), parsed(q.value(7))},
            {QStringLiteral("diagnostics"), parsed(q.value(8))},
            {QStringLiteral("added"), q.value(9).toInt()},
            {QStringLiteral("merged"), q.value(10).toInt()},
            {QStringLiteral("skipped"), q.value(11).toInt()},
        });
    }

    auto schema = Sql::scalar(db, QStringLiteral("PRAGMA user_version"));
    return QJsonObject{
        {QStringLiteral("format"), QLatin1String(formatName)},
        {QStringLiteral("version"), formatVersion},
        {QStringLiteral("schema"), schema ? schema.value().toInt() : 0},
        {QStringLiteral("exported_at"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
        {QStringLiteral("taxonomy_nodes"), nodeArray},
        {QStringLiteral("documents"), documentArray},
        {QStringLiteral("entries"), entryArray},
        {QStringLiteral("batches"), batchArray},
    };
}

Result<QByteArray> LibraryJsonExporter::write(const QSqlDatabase &db) const
{
    auto json = toJson(db);
    if (!json)
        return Error{json.error()};
    return QJsonDocument(json.value()).toJson(QJsonDocument::Indented);
}

} // namespace Atlas

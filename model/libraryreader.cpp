#include "libraryreader.h"

#include "sql.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace Atlas
{

namespace
{

QJsonValue nullable(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QString idFilter(const char *column, const QList<qint64> &ids)
{
    if (ids.isEmpty())
        return {};
    QStringList numbers;
    numbers.reserve(ids.size());
    for (qint64 id : ids)
        numbers.append(QString::number(id));
    return QStringLiteral(" WHERE %1 IN (%2)").arg(QLatin1String(column), numbers.join(QLatin1Char(',')));
}

QStringList jsonStrings(const QString &json)
{
    QStringList list;
    const QJsonArray array = QJsonDocument::fromJson(json.toUtf8()).array();
    for (const QJsonValue &value : array)
        list.append(value.toString());
    return list;
}

// Names of nodes and tags up to their roots, read once per call.
struct Trees {
    struct Node {
        qint64 parent = 0;
        QString name;
        QString code;
        QString scheme;
        QString dimension;
    };
    QHash<qint64, Node> nodes;
    QHash<qint64, std::pair<qint64, QString>> tags;

    static Result<Trees> load(const QSqlDatabase &db)
    {
        Trees trees;
        auto nodes = Sql::exec(db, QStringLiteral("SELECT n.id, ifnull(n.parent_id, 0), n.name, ifnull(n.code, ''), s.key, s.dimension "
                                                  "FROM taxonomy_node n JOIN scheme s ON s.id = n.scheme_id"));
        if (!nodes)
            return Error{nodes.error()};
        while (nodes.value().next()) {
            const QSqlQuery &q = nodes.value();
            trees.nodes.insert(q.value(0).toLongLong(), Node{q.value(1).toLongLong(), q.value(2).toString(), q.value(3).toString(), q.value(4).toString(), q.value(5).toString()});
        }
        auto tags = Sql::exec(db, QStringLiteral("SELECT id, ifnull(parent_id, 0), name FROM tag"));
        if (!tags)
            return Error{tags.error()};
        while (tags.value().next())
            trees.tags.insert(tags.value().value(0).toLongLong(), {tags.value().value(1).toLongLong(), tags.value().value(2).toString()});
        return trees;
    }

    QStringList nodePath(qint64 id) const
    {
        QStringList path;
        for (int guard = 0; id != 0 && guard < 256; ++guard) {
            const auto it = nodes.constFind(id);
            if (it == nodes.cend())
                break;
            path.prepend(it->name);
            id = it->parent;
        }
        return path;
    }

    QStringList tagPath(qint64 id) const
    {
        QStringList path;
        for (int guard = 0; id != 0 && guard < 256; ++guard) {
            const auto it = tags.constFind(id);
            if (it == tags.cend())
                break;
            path.prepend(it->second);
            id = it->first;
        }
        return path;
    }
};

// owner id -> classifications, from `table` (classification or document_classification).
Result<QHash<qint64, QList<ClassificationView>>> loadClassifications(const QSqlDatabase &db, const Trees &trees, const QString &table, const char *ownerColumn, const QList<qint64> &ids)
{
    QHash<qint64, QList<ClassificationView>> result;
    auto rows = Sql::exec(db, QStringLiteral("SELECT %1, node_id, assigned_by_kind, assigned_by, assigned_at, ifnull(evidence, ''), confidence FROM %2%3 ORDER BY id")
                                  .arg(QLatin1String(ownerColumn), table, idFilter(ownerColumn, ids)));
    if (!rows)
        return Error{rows.error()};
    while (rows.value().next()) {
        const QSqlQuery &q = rows.value();
        const qint64 nodeId = q.value(1).toLongLong();
        const Trees::Node node = trees.nodes.value(nodeId);
        ClassificationView c;
        c.scheme = node.scheme;
        c.dimension = node.dimension;
        c.code = node.code;
        c.name = node.name;
        c.path = trees.nodePath(nodeId);
        c.assignedByKind = q.value(2).toString();
        c.assignedBy = q.value(3).toString();
        c.assignedAt = q.value(4).toString();
        c.evidence = q.value(5).toString();
        if (!q.value(6).isNull())
            c.confidence = q.value(6).toDouble();
        result[q.value(0).toLongLong()].append(c);
    }
    return result;
}

Result<QHash<qint64, QList<QStringList>>> loadTags(const QSqlDatabase &db, const Trees &trees, const QString &table, const char *ownerColumn, const QList<qint64> &ids)
{
    QHash<qint64, QList<QStringList>> result;
    auto rows = Sql::exec(db, QStringLiteral("SELECT %1, tag_id FROM %2%3").arg(QLatin1String(ownerColumn), table, idFilter(ownerColumn, ids)));
    if (!rows)
        return Error{rows.error()};
    while (rows.value().next())
        result[rows.value().value(0).toLongLong()].append(trees.tagPath(rows.value().value(1).toLongLong()));
    for (auto it = result.begin(); it != result.end(); ++it)
        std::sort(it->begin(), it->end());
    return result;
}

QStringList joinedPaths(const QList<QStringList> &paths)
{
    QStringList list;
    for (const QStringList &path : paths)
        list.append(path.join(QLatin1String(" > ")));
    return list;
}

QJsonArray classificationsJson(const QList<ClassificationView> &classifications)
{
    QJsonArray array;
    for (const ClassificationView &c : classifications) {
        array.append(QJsonObject{{QStringLiteral("scheme"), c.scheme},
            {QStringLiteral("dimension"), c.dimension},
            {QStringLiteral("code"), nullable(c.code)},
            {QStringLiteral("name"), c.name},
            {QStringLiteral("assigned_by"), c.assignedBy}});
    }
    return array;
}

} // namespace

QJsonObject DocumentView::toJson() const
{
    return QJsonObject{
        {QStringLiteral("id"), id},
        {QStringLiteral("title"), nullable(title)},
        {QStringLiteral("authors"), QJsonArray::fromStringList(authors)},
        {QStringLiteral("year"), year ? QJsonValue(*year) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("venue"), nullable(venue)},
        {QStringLiteral("doi"), nullable(doi)},
        {QStringLiteral("arxiv_id"), nullable(arxivId)},
        {QStringLiteral("url"), nullable(url)},
        {QStringLiteral("abstract"), nullable(abstract)},
        {QStringLiteral("tags"), QJsonArray::fromStringList(tags)},
    };
}

QJsonObject EntryView::toJson() const
{
    QJsonValue documentJson(QJsonValue::Null);
    if (document) {
        documentJson = QJsonObject{{QStringLiteral("title"), nullable(document->title)},
            {QStringLiteral("year"), document->year ? QJsonValue(*document->year) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("authors"), QJsonArray::fromStringList(document->authors)}};
    }
    return QJsonObject{
        {QStringLiteral("id"), id},
        {QStringLiteral("name"), name},
        {QStringLiteral("text"), nullable(text)},
        {QStringLiteral("reasoning"), nullable(reasoning)},
        {QStringLiteral("parent"), nullable(parentName)},
        {QStringLiteral("document"), documentJson},
        {QStringLiteral("classifications"), classificationsJson(classifications)},
        {QStringLiteral("tags"), QJsonArray::fromStringList(tags)},
        {QStringLiteral("listing_only"), listingOnly},
        {QStringLiteral("needs_review"), needsReview},
    };
}

LibraryReader::LibraryReader(QSqlDatabase db) : m_db(std::move(db)) { }

Result<QList<DocumentView>> LibraryReader::documents(const QList<qint64> &ids) const
{
    auto trees = Trees::load(m_db);
    if (!trees)
        return Error{trees.error()};
    auto classifications = loadClassifications(m_db, trees.value(), QStringLiteral("document_classification"), "document_id", ids);
    if (!classifications)
        return Error{classifications.error()};
    auto tags = loadTags(m_db, trees.value(), QStringLiteral("document_tag"), "document_id", ids);
    if (!tags)
        return Error{tags.error()};
    auto rows = Sql::exec(m_db, QStringLiteral("SELECT id, kind, ifnull(title, ''), authors, year, ifnull(venue, ''), ifnull(doi, ''), ifnull(arxiv_id, ''), "
                                               "ifnull(url, ''), ifnull(abstract, ''), ifnull(citation_key, ''), needs_review FROM document%1 ORDER BY id")
                                    .arg(idFilter("id", ids)));
    if (!rows)
        return Error{rows.error()};
    QList<DocumentView> list;
    while (rows.value().next()) {
        const QSqlQuery &q = rows.value();
        DocumentView d;
        d.id = q.value(0).toLongLong();
        d.kind = q.value(1).toString();
        d.title = q.value(2).toString();
        d.authors = jsonStrings(q.value(3).toString());
        if (!q.value(4).isNull())
            d.year = q.value(4).toInt();
        d.venue = q.value(5).toString();
        d.doi = q.value(6).toString();
        d.arxivId = q.value(7).toString();
        d.url = q.value(8).toString();
        d.abstract = q.value(9).toString();
        d.citationKey = q.value(10).toString();
        d.needsReview = q.value(11).toInt() == 1;
        d.tagPaths = tags->value(d.id);
        d.tags = joinedPaths(d.tagPaths);
        d.classifications = classifications->value(d.id);
        list.append(d);
    }
    return list;
}

Result<QList<EntryView>> LibraryReader::entries(const QList<qint64> &ids) const
{
    auto trees = Trees::load(m_db);
    if (!trees)
        return Error{trees.error()};
    auto classifications = loadClassifications(m_db, trees.value(), QStringLiteral("classification"), "entry_id", ids);
    if (!classifications)
        return Error{classifications.error()};
    auto tags = loadTags(m_db, trees.value(), QStringLiteral("entry_tag"), "entry_id", ids);
    if (!tags)
        return Error{tags.error()};
    auto rows = Sql::exec(m_db, QStringLiteral(R"(
        SELECT e.id, ifnull(e.external_id, ''), e.name, ifnull(e.text, ''), ifnull(e.reasoning, ''), ifnull(e.notes, ''),
               ifnull(e.parent_id, 0), ifnull(p.name, ''), ifnull(e.document_id, 0), d.title, d.year, d.authors, e.listing_only, e.needs_review
        FROM entry e LEFT JOIN entry p ON p.id = e.parent_id LEFT JOIN document d ON d.id = e.document_id%1
        ORDER BY e.id)")
                                    .arg(idFilter("e.id", ids)));
    if (!rows)
        return Error{rows.error()};
    QList<EntryView> list;
    while (rows.value().next()) {
        const QSqlQuery &q = rows.value();
        EntryView e;
        e.id = q.value(0).toLongLong();
        e.externalId = q.value(1).toString();
        e.name = q.value(2).toString();
        e.text = q.value(3).toString();
        e.reasoning = q.value(4).toString();
        e.notes = q.value(5).toString();
        e.parentId = q.value(6).toLongLong();
        e.parentName = q.value(7).toString();
        e.documentId = q.value(8).toLongLong();
        if (e.documentId != 0) {
            DocumentView d;
            d.id = e.documentId;
            d.title = q.value(9).toString();
            if (!q.value(10).isNull())
                d.year = q.value(10).toInt();
            d.authors = jsonStrings(q.value(11).toString());
            e.document = d;
        }
        e.listingOnly = q.value(12).toInt() == 1;
        e.needsReview = q.value(13).toInt() == 1;
        e.classifications = classifications->value(e.id);
        e.tagPaths = tags->value(e.id);
        e.tags = joinedPaths(e.tagPaths);
        list.append(e);
    }
    return list;
}

QString LibraryReader::ftsExpression(const QString &query)
{
    // Phrases in double quotes stay phrases; every other word becomes a quoted prefix term, so
    // FTS5 syntax in the input (AND, NEAR, *, :, -) is only ever text.
    QStringList terms;
    static const QRegularExpression tokens(QStringLiteral(R"re("([^"]*)"|(\S+))re"));
    auto it = tokens.globalMatch(query);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        if (match.capturedLength(1) > 0 || !match.captured(1).isNull()) {
            const QString phrase = match.captured(1).simplified();
            if (!phrase.isEmpty())
                terms.append(QLatin1Char('"') + QString(phrase).replace(QLatin1Char('"'), QLatin1String("\"\"")) + QLatin1Char('"'));
            continue;
        }
        QString word = match.captured(2);
        word.remove(QLatin1Char('"'));
        if (!word.isEmpty())
            terms.append(QLatin1Char('"') + word + QStringLiteral("\"*"));
    }
    return terms.join(QLatin1Char(' '));
}

Result<LibraryReader::SearchHits> LibraryReader::search(const QString &query, int limit) const
{
    SearchHits hits;
    const QString expression = ftsExpression(query);
    if (expression.isEmpty())
        return hits;
    auto entries = Sql::exec(m_db, QStringLiteral("SELECT rowid FROM entry_fts WHERE entry_fts MATCH ? ORDER BY bm25(entry_fts, 10.0, 1.0, 1.0, 1.0) LIMIT ?"),
        {expression, limit});
    if (!entries)
        return Error{entries.error()};
    while (entries.value().next())
        hits.entries.append(entries.value().value(0).toLongLong());
    auto documents = Sql::exec(m_db, QStringLiteral("SELECT rowid FROM document_fts WHERE document_fts MATCH ? ORDER BY bm25(document_fts, 10.0, 2.0, 1.0, 1.0) LIMIT ?"),
        {expression, limit});
    if (!documents)
        return Error{documents.error()};
    while (documents.value().next())
        hits.documents.append(documents.value().value(0).toLongLong());
    return hits;
}

} // namespace Atlas

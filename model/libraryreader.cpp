#include "libraryreader.h"

#include "sql.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlDriver>
#include <QVarLengthArray>

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

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


// What atlas_rank computes once per query: the average row size, the group of each phrase (the
// words a prefix was expanded to are one group, scored as FTS5 scores the prefix: their counts
// summed) and each group's IDF.
struct RankData {
    double averageSize = 1.0;
    std::vector<int> groupOf; // by phrase
    std::vector<double> idf; // by group
};

struct PhraseCount {
    sqlite3_int64 rows = 0;
    sqlite3_int64 stopAt = 0;
};

int countPhraseRow(const Fts5ExtensionApi *, Fts5Context *, void *data)
{
    auto *count = static_cast<PhraseCount *>(data);
    return ++count->rows >= count->stopAt ? SQLITE_DONE : SQLITE_OK;
}

Result<RankData *> rankData(const Fts5ExtensionApi *api, Fts5Context *fts, int valueCount, sqlite3_value **values)
{
    if (auto *data = static_cast<RankData *>(api->xGetAuxdata(fts, 0)))
        return data;
    auto data = std::make_unique<RankData>();
    sqlite3_int64 rows = 0;
    sqlite3_int64 tokens = 0;
    int rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK)
        rc = api->xColumnTotalSize(fts, -1, &tokens);
    if (rc != SQLITE_OK)
        return Error{QString::fromUtf8(sqlite3_errstr(rc))};
    data->averageSize = rows > 0 ? double(tokens) / double(rows) : 1.0;
    const int phrases = std::max(api->xPhraseCount(fts), 0);
    // The argument after the column weights, if any: the phrases' groups, "0,0,1".
    const int columns = api->xColumnCount(fts);
    QList<QByteArray> groups;
    if (valueCount > columns && sqlite3_value_type(values[columns]) == SQLITE_TEXT)
        groups = QByteArray(reinterpret_cast<const char *>(sqlite3_value_text(values[columns]))).split(',');
    int groupCount = 0;
    for (int i = 0; i < phrases; ++i) {
        const int group = groups.size() == phrases ? std::clamp(groups.at(i).toInt(), 0, phrases - 1) : i;
        data->groupOf.push_back(group);
        groupCount = std::max(groupCount, group + 1);
    }
    data->idf.assign(size_t(groupCount), 1.0);
    if (groupCount > 1) {
        // bm25's IDF, log((N - n + 0.5) / (n + 0.5)), is at its floor for n >= N/2: counting
        // stops there, so a common word costs half a pass at most. A group's n is the sum of
        // its words' (a row with two of them counts twice).
        std::vector<sqlite3_int64> matches(size_t(groupCount), 0);
        const sqlite3_int64 half = (rows + 1) / 2;
        for (int i = 0; i < phrases; ++i) {
            sqlite3_int64 &n = matches[size_t(data->groupOf[size_t(i)])];
            if (n >= half)
                continue;
            PhraseCount count{0, half - n};
            if ((rc = api->xQueryPhrase(fts, i, &count, countPhraseRow)) != SQLITE_OK)
                return Error{QString::fromUtf8(sqlite3_errstr(rc))};
            n += count.rows;
        }
        for (int g = 0; g < groupCount; ++g) {
            const double n = double(matches[size_t(g)]);
            const double idf = std::log((double(rows) - n + 0.5) / (n + 0.5));
            data->idf[size_t(g)] = idf <= 0.0 ? 1e-6 : idf;
        }
    }
    RankData *kept = data.get();
    rc = api->xSetAuxdata(fts, data.release(), [](void *p) {
        delete static_cast<RankData *>(p);
    });
    if (rc != SQLITE_OK)
        return Error{QString::fromUtf8(sqlite3_errstr(rc))};
    return kept;
}

// FTS5's bm25() (k1 = 1.2, b = 0.75, column weights as arguments, negative: lower is better),
// over the groups of rankData().
void atlasRank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *context, int valueCount, sqlite3_value **values)
{
    constexpr double k1 = 1.2;
    constexpr double b = 0.75;
    auto data = rankData(api, fts, valueCount, values);
    if (!data) {
        sqlite3_result_error(context, data.error().toUtf8().constData(), -1);
        return;
    }
    const RankData &rank = *data.value();
    const int columns = std::min(valueCount, api->xColumnCount(fts));
    QVarLengthArray<double, 8> frequency(qsizetype(rank.idf.size()), 0.0);
    int instances = 0;
    int rc = api->xInstCount(fts, &instances);
    for (int i = 0; rc == SQLITE_OK && i < instances; ++i) {
        int phrase = 0;
        int column = 0;
        int offset = 0;
        rc = api->xInst(fts, i, &phrase, &column, &offset);
        if (rc == SQLITE_OK && phrase >= 0 && size_t(phrase) < rank.groupOf.size())
            frequency[rank.groupOf[size_t(phrase)]] += column < columns ? sqlite3_value_double(values[column]) : 1.0;
    }
    int size = 0;
    if (rc == SQLITE_OK)
        rc = api->xColumnSize(fts, -1, &size);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(context, rc);
        return;
    }
    double score = 0.0;
    for (qsizetype g = 0; g < frequency.size(); ++g)
        score += rank.idf[size_t(g)] * (frequency[g] * (k1 + 1.0)) / (frequency[g] + k1 * (1 - b + b * double(size) / rank.averageSize));
    sqlite3_result_double(context, -score);
}

// The ids of the best `limit` matches of `text` in `table` (entry_fts or document_fts) by
// `statement` (atlas_rank with the table's weights; bound: groups, expression, candidates), among
// at most `candidates` matches, the newest.
Result<QList<qint64>> rankedMatches(
    const QSqlDatabase &db, const QString &table, const QString &statement, const QString &text, int limit, int candidates, bool *bounded)
{
    const LibraryReader::Expansion expansion = LibraryReader::expandedExpression(db, table, text);
    NativeQuery query(db, statement);
    query.bind(1, expansion.groups);
    query.bind(2, expansion.expression);
    query.bind(3, qint64(candidates) + 1); // one more, to know whether there are more
    std::vector<std::pair<double, qint64>> scored;
    while (query.next())
        scored.emplace_back(query.real(1), query.integer(0));
    if (!query.error().isEmpty())
        return Error{query.error()};
    // The one past the candidates (the oldest read) only says that more match.
    *bounded = scored.size() > size_t(candidates);
    if (*bounded)
        scored.pop_back();
    // Best score first; among equals the newer entry.
    const auto better = [](const std::pair<double, qint64> &a, const std::pair<double, qint64> &b) {
        return a.first < b.first || (a.first == b.first && a.second > b.second);
    };
    const size_t kept = std::min(scored.size(), size_t(std::max(limit, 0)));
    std::partial_sort(scored.begin(), scored.begin() + qsizetype(kept), scored.end(), better);
    QList<qint64> ids;
    ids.reserve(qsizetype(kept));
    for (size_t i = 0; i < kept; ++i)
        ids.append(scored[i].second);
    return ids;
}

} // namespace

NativeQuery::NativeQuery(const QSqlDatabase &db, const QString &statement) : m_db(Sql::nativeHandle(db))
{
    if (!m_db) {
        m_error = QCoreApplication::translate("Sql", "not an open SQLite connection");
        return;
    }
    const QByteArray text = statement.toUtf8();
    if (sqlite3_prepare_v2(m_db, text.constData(), int(text.size()), &m_statement, nullptr) != SQLITE_OK) {
        m_error = QString::fromUtf8(sqlite3_errmsg(m_db)) + QStringLiteral(": ") + statement.simplified();
        sqlite3_finalize(m_statement);
        m_statement = nullptr;
    }
}

NativeQuery::~NativeQuery()
{
    sqlite3_finalize(m_statement);
}

void NativeQuery::bind(int position, qint64 value)
{
    if (m_statement)
        sqlite3_bind_int64(m_statement, position, value);
}

void NativeQuery::bind(int position, const QString &value)
{
    if (!m_statement)
        return;
    const QByteArray text = value.toUtf8();
    sqlite3_bind_text(m_statement, position, text.constData(), int(text.size()), SQLITE_TRANSIENT);
}

bool NativeQuery::next()
{
    if (!m_statement || !m_error.isEmpty())
        return false;
    const int rc = sqlite3_step(m_statement);
    if (rc == SQLITE_ROW)
        return true;
    if (rc != SQLITE_DONE)
        m_error = rc == SQLITE_BUSY ? Sql::errorText(QSqlError(QString(), QString(), QSqlError::StatementError, QStringLiteral("5")))
                                    : QString::fromUtf8(sqlite3_errmsg(m_db));
    return false;
}

qint64 NativeQuery::integer(int column) const
{
    return sqlite3_column_int64(m_statement, column);
}

double NativeQuery::real(int column) const
{
    return sqlite3_column_double(m_statement, column);
}

QString NativeQuery::text(int column) const
{
    return QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(m_statement, column)), sqlite3_column_bytes(m_statement, column));
}

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

namespace
{

// A query as ftsExpression() reads it: phrases in double quotes, and words matched as prefixes.
struct QueryTerm {
    QString text;
    bool prefix = false;
};

QList<QueryTerm> queryTerms(const QString &query)
{
    QList<QueryTerm> terms;
    static const QRegularExpression tokens(QStringLiteral(R"re("([^"]*)"|(\S+))re"));
    auto it = tokens.globalMatch(query);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        if (match.capturedLength(1) > 0 || !match.captured(1).isNull()) {
            const QString phrase = match.captured(1).simplified();
            if (!phrase.isEmpty())
                terms.append({phrase, false});
            continue;
        }
        QString word = match.captured(2);
        word.remove(QLatin1Char('"'));
        if (!word.isEmpty())
            terms.append({word, true});
    }
    return terms;
}

QString quotedTerm(const QString &text)
{
    return QLatin1Char('"') + QString(text).replace(QLatin1Char('"'), QLatin1String("\"\"")) + QLatin1Char('"');
}

} // namespace

QString LibraryReader::ftsExpression(const QString &query)
{
    // Phrases in double quotes stay phrases; every other word becomes a quoted prefix term, so
    // FTS5 syntax in the input (AND, NEAR, *, :, -) is only ever text.
    QStringList terms;
    for (const QueryTerm &term : queryTerms(query))
        terms.append(quotedTerm(term.text) + (term.prefix ? QStringLiteral("*") : QString()));
    return terms.join(QLatin1Char(' '));
}

LibraryReader::Expansion LibraryReader::expandedExpression(const QSqlDatabase &db, const QString &table, const QString &query)
{
    // FTS5 answers a prefix term by merging the lists of every word with that prefix into one
    // before it returns a row, however few rows are asked for: "model"* took 15 ms at 100k
    // entries and 0.2 s at 1M, where the same words joined by OR, read lazily, give the newest
    // 2,000 matches in 1 ms (and all of them in a sixth of the time). The words come from the
    // index's vocabulary (fts5vocab, which reads their lists once, without merging). Only plain
    // ASCII words of 4 or more letters are expanded: 2 and 3 letters have prefix indexes, and
    // other text is tokenized by FTS5 in ways this code does not repeat.
    static const QRegularExpression plainWord(QStringLiteral("^[A-Za-z0-9]{4,}$"));
    constexpr int mostWords = 32;
    Expansion expansion;
    QStringList parts;
    QStringList groups;
    int group = 0;
    bool vocabulary = false;
    // The vocabulary of the table (a temporary fts5vocab table of the connection).
    const bool entries = table == QLatin1String("entry_fts");
    const bool documents = table == QLatin1String("document_fts");
    for (const QueryTerm &term : queryTerms(query)) {
        QStringList words;
        if (term.prefix && (entries || documents) && plainWord.match(term.text).hasMatch()) {
            if (!vocabulary) {
                NativeQuery create(db,
                    entries ? QStringLiteral("CREATE VIRTUAL TABLE IF NOT EXISTS temp.atlas_terms_entry_fts USING fts5vocab(main, 'entry_fts', 'row')")
                            : QStringLiteral("CREATE VIRTUAL TABLE IF NOT EXISTS temp.atlas_terms_document_fts USING fts5vocab(main, 'document_fts', 'row')"));
                create.next();
                vocabulary = create.error().isEmpty();
            }
            if (vocabulary) {
                const QString lower = term.text.toLower();
                QString above = lower;
                above.back() = QChar(above.back().unicode() + 1);
                NativeQuery terms(db,
                    entries ? QStringLiteral("SELECT term FROM temp.atlas_terms_entry_fts WHERE term >= ? AND term < ? LIMIT ?")
                            : QStringLiteral("SELECT term FROM temp.atlas_terms_document_fts WHERE term >= ? AND term < ? LIMIT ?"));
                terms.bind(1, lower);
                terms.bind(2, above);
                terms.bind(3, qint64(mostWords + 1));
                while (terms.next())
                    words.append(terms.text(0));
                if (!terms.error().isEmpty() || words.size() > mostWords)
                    words.clear();
            }
        }
        if (words.isEmpty()) {
            parts.append(quotedTerm(term.text) + (term.prefix ? QStringLiteral("*") : QString()));
            groups.append(QString::number(group));
        } else {
            QStringList alternatives;
            for (const QString &word : std::as_const(words)) {
                alternatives.append(quotedTerm(word));
                groups.append(QString::number(group));
            }
            parts.append(QLatin1Char('(') + alternatives.join(QLatin1String(" OR ")) + QLatin1Char(')'));
        }
        ++group;
    }
    // FTS5 reads two phrases side by side as AND, but not a parenthesised group beside anything.
    expansion.expression = parts.join(QLatin1String(" AND "));
    expansion.groups = groups.join(QLatin1Char(','));
    return expansion;
}

Status LibraryReader::registerRanking(const QSqlDatabase &db)
{
    static const char marker[] = "atlas_rank";
    sqlite3 *handle = Sql::nativeHandle(db);
    if (!handle)
        return Error{QCoreApplication::translate("Sql", "not an open SQLite connection")};
    // The connection's client data marks it as done, and goes with the connection.
    if (sqlite3_get_clientdata(handle, marker))
        return {};
    fts5_api *api = nullptr;
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v2(handle, "SELECT fts5(?1)", -1, &statement, nullptr) != SQLITE_OK)
        return Error{QString::fromUtf8(sqlite3_errmsg(handle))};
    sqlite3_bind_pointer(statement, 1, static_cast<void *>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(statement);
    sqlite3_finalize(statement);
    if (!api || api->iVersion < 2)
        return Error{QCoreApplication::translate("Sql", "SQLite has no FTS5")};
    if (const int rc = api->xCreateFunction(api, marker, nullptr, &atlasRank, nullptr); rc != SQLITE_OK)
        return Error{QString::fromUtf8(sqlite3_errstr(rc))};
    sqlite3_set_clientdata(handle, marker, const_cast<char *>(marker), nullptr);
    return {};
}

Result<LibraryReader::SearchHits> LibraryReader::search(const QString &query, int limit, int candidates) const
{
    SearchHits hits;
    const QString expression = ftsExpression(query);
    if (expression.isEmpty())
        return hits;
    if (auto registered = registerRanking(m_db); !registered)
        return Error{registered.error()};
    // One pass over at most rankedCandidates matches, newest first (FTS5 reads its index in rowid
    // order and stops there): a rarer query is ranked over all its matches, as bm25 would.
    candidates = std::max(candidates, 1);
    auto entries = rankedMatches(m_db, QStringLiteral("entry_fts"),
        QStringLiteral("SELECT rowid, atlas_rank(entry_fts, 10.0, 1.0, 1.0, 1.0, ?) FROM entry_fts WHERE entry_fts MATCH ? ORDER BY rowid DESC LIMIT ?"), query, limit,
        candidates, &hits.entriesBounded);
    if (!entries)
        return Error{entries.error()};
    hits.entries = entries.value();
    auto documents = rankedMatches(m_db, QStringLiteral("document_fts"),
        QStringLiteral("SELECT rowid, atlas_rank(document_fts, 10.0, 2.0, 1.0, 1.0, ?) FROM document_fts WHERE document_fts MATCH ? ORDER BY rowid DESC LIMIT ?"), query,
        limit, candidates, &hits.documentsBounded);
    if (!documents)
        return Error{documents.error()};
    hits.documents = documents.value();
    return hits;
}

} // namespace Atlas

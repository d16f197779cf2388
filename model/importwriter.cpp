#include "importwriter.h"

#include "library.h"
#include "sql.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QHash>
#include <QJsonDocument>
#include <QSet>

#include <algorithm>

namespace Atlas
{

namespace
{

QString tr(const char *text)
{
    return QCoreApplication::translate("ImportWriter", text);
}

QString now()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
}

QVariant optionalId(qint64 id)
{
    return id > 0 ? QVariant(id) : QVariant(QMetaType::fromType<qint64>());
}

QVariant optionalYear(const std::optional<int> &year)
{
    return year ? QVariant(*year) : QVariant(QMetaType::fromType<int>());
}

QString compactJson(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QString compactJson(const QJsonArray &array)
{
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

QJsonObject parseObject(const QString &json)
{
    return QJsonDocument::fromJson(json.toUtf8()).object();
}

QJsonArray parseArray(const QString &json)
{
    return QJsonDocument::fromJson(json.toUtf8()).array();
}

QJsonValue jsonValue(const QVariant &value)
{
    if (value.isNull())
        return QJsonValue(QJsonValue::Null);
    if (value.typeId() == QMetaType::LongLong || value.typeId() == QMetaType::Int)
        return value.toLongLong();
    if (value.typeId() == QMetaType::Double)
        return value.toDouble();
    return value.toString();
}

QString abstractKey(const QString &abstract)
{
    const QString normal = Records::normalisedTitle(abstract);
    if (normal.size() < 40) // too short to identify a paper
        return {};
    return QString::fromLatin1(QCryptographicHash::hash(normal.toUtf8(), QCryptographicHash::Sha1).toHex());
}

// Whether two normalised titles name the same work: equal, one containing the other, or most
// words shared. Used to refuse merges of a wrong DOI/arXiv link.
bool titlesAgree(const QString &a, const QString &b)
{
    if (a.isEmpty() || b.isEmpty() || a == b)
        return true;
    if ((a.size() >= 20 && b.contains(a)) || (b.size() >= 20 && a.contains(b)))
        return true;
    const QStringList wa = a.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    const QStringList wb = b.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    const QSet<QString> sa(wa.cbegin(), wa.cend());
    const QSet<QString> sb(wb.cbegin(), wb.cend());
    const qsizetype common = QSet<QString>(sa).intersect(sb).size();
    const qsizetype all = QSet<QString>(sa).unite(sb).size();
    return all > 0 && double(common) / double(all) >= 0.6;
}

bool isEditable(const QJsonArray &editedFields, const char *column)
{
    return !editedFields.contains(QJsonValue(QLatin1String(column)));
}

// The columns an undo may restore, per table; anything else in import_change is ignored.
const QHash<QString, QStringList> &restorableColumns()
{
    static const QHash<QString, QStringList> columns{
        {QStringLiteral("document"),
            {QStringLiteral("title"), QStringLiteral("title_key"), QStringLiteral("title_inferred"), QStringLiteral("needs_review"),
                QStringLiteral("authors"), QStringLiteral("year"), QStringLiteral("venue"), QStringLiteral("doi"), QStringLiteral("arxiv_id"),
                QStringLiteral("url"), QStringLiteral("abstract"), QStringLiteral("abstract_key"), QStringLiteral("citation_key"),
                QStringLiteral("extra"), QStringLiteral("modified_at")}},
        {QStringLiteral("entry"),
            {QStringLiteral("name"), QStringLiteral("external_id"), QStringLiteral("text"), QStringLiteral("reasoning"), QStringLiteral("notes"),
                QStringLiteral("parent_id"), QStringLiteral("document_id"), QStringLiteral("listing_only"), QStringLiteral("needs_review"),
                QStringLiteral("extra"), QStringLiteral("modified_at")}},
        {QStringLiteral("taxonomy_node"), {QStringLiteral("description"), QStringLiteral("provisional")}},
    };
    return columns;
}

// Collects column changes for one row and writes them with their before-state.
class RowUpdate
{
public:
    RowUpdate(QString table, qint64 id) : m_table(std::move(table)), m_id(id) { }

    void set(const QString &column, const QVariant &before, const QVariant &after)
    {
        m_columns.append(column);
        m_before.insert(column, jsonValue(before));
        m_values.append(after);
    }
    bool isEmpty() const { return m_columns.isEmpty(); }
    const QStringList &columns() const { return m_columns; }

    // Writes the change; records the before-state unless the row is the batch's own.
    Status write(Sql::StatementCache &sql, qint64 batchId, bool recordBefore, bool touchModified)
    {
        if (m_columns.isEmpty())
            return {};
        QStringList assignments;
        for (const QString &column : std::as_const(m_columns))
            assignments.append(column + QStringLiteral(" = ?"));
        if (touchModified) {
            assignments.append(QStringLiteral("modified_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"));
        }
        QVariantList values = m_values;
        values.append(m_id);
        auto updated = sql.exec(QStringLiteral("UPDATE %1 SET %2 WHERE id = ?").arg(m_table, assignments.join(QLatin1String(", "))), values);
        if (!updated)
            return Error{updated.error()};
        if (!recordBefore)
            return {};
        auto recorded = sql.exec(QStringLiteral("INSERT INTO import_change(batch_id, table_name, row_id, before) VALUES (?, ?, ?, ?)"),
            {batchId, m_table, m_id, compactJson(m_before)});
        if (!recorded)
            return Error{recorded.error()};
        return {};
    }

private:
    QString m_table;
    qint64 m_id;
    QStringList m_columns;
    QJsonObject m_before;
    QVariantList m_values;
};

// Rows of one table written many to a statement. Most of what an INSERT of one row costs is the
// statement's start and end (its savepoint, the foreign-key counters, the triggers' set-up), so
// an import writes its new entries and their links 64 rows at a time.
class RowQueue
{
public:
    // `head`: "INSERT … VALUES "; `row`: the placeholders of one row, `width` of them.
    RowQueue(QString head, QString row, int width) : m_head(std::move(head)), m_row(std::move(row)), m_width(width) { }

    void add(const QVariantList &values, int line)
    {
        Q_ASSERT(values.size() == m_width);
        m_values.append(values);
        m_lines.append(line);
    }
    qsizetype size() const { return m_lines.size(); }

    // Writes and forgets the rows; the number of rows written (INSERT OR IGNORE skips some). A
    // failed statement is undone by SQLite and its rows written one by one, to name the line.
    Result<int> write(Sql::StatementCache &sql, const QString &file)
    {
        constexpr qsizetype rowsPerStatement = 64;
        int written = 0;
        for (qsizetype at = 0; at < size(); at += rowsPerStatement) {
            const qsizetype rows = std::min(rowsPerStatement, size() - at);
            auto done = sql.exec(statement(rows), m_values.mid(at * m_width, rows * m_width));
            if (done) {
                written += done.value().numRowsAffected();
                continue;
            }
            for (qsizetype r = at; r < at + rows; ++r) {
                auto one = sql.exec(statement(1), m_values.mid(r * m_width, m_width));
                if (!one)
                    return Error{tr("%1:%2: %3").arg(file).arg(m_lines.at(r)).arg(one.error())};
                written += one.value().numRowsAffected();
            }
        }
        m_values.clear();
        m_lines.clear();
        return written;
    }

private:
    QString statement(qsizetype rows) const
    {
        QString text = m_head;
        text.reserve(m_head.size() + rows * (m_row.size() + 2));
        for (qsizetype i = 0; i < rows; ++i) {
            if (i > 0)
                text += QLatin1String(", ");
            text += m_row;
        }
        return text;
    }

    QString m_head;
    QString m_row;
    int m_width;
    QVariantList m_values;
    QList<int> m_lines;
};

// One import in progress: the state shared by the steps of ImportWriter::apply.
class Apply
{
public:
    Apply(QSqlDatabase db, const ImportOptions &options, ImportSummary &summary)
        : m_db(std::move(db))
        , m_sql(m_db)
        , m_options(options)
        , m_summary(summary)
    {
    }

    Status run(const RecordSet &records);
    // Puts the rows the import added into the full-text indexes; last, just before the commit.
    Status indexAddedRows();
    qint64 batchId() const { return m_batch; }

private:
    Status deferIndexing();
    Status begin();
    Status addHistory(const QJsonArray &history);
    Status backfillKeys();
    Status applyTaxonomyNode(const TaxonomyNodeRecord &record);
    Status applyDocument(const DocumentRecord &record);
    Status applyEntries(const QList<EntryRecord> &records);
    Status applyEntry(const EntryRecord &record, qint64 parentId);
    Result<qint64> findDocument(const DocumentRecord &record, const QString &titleKey);
    Result<qint64> findEntry(const EntryRecord &record, qint64 parentId, qint64 documentId, qint64 codeNode, bool &renameFromListing);
    Status mergeDocument(qint64 id, const DocumentRecord &record, const QString &titleKey);
    Status mergeEntry(qint64 id, const EntryRecord &record, qint64 parentId, qint64 documentId, bool renameFromListing);
    Status addClassifications(const QString &table, const char *ownerColumn, qint64 ownerId, const QList<ClassificationRecord> &classifications, int line,
        RowQueue *queue = nullptr);
    Status addTags(const QString &table, const char *ownerColumn, qint64 ownerId, const QList<QStringList> &tags, int line = 0, RowQueue *queue = nullptr);
    Status flushEntries();
    Result<qint64> schemeId(const QString &key);
    Result<qint64> resolveNode(const ClassificationRecord &record, int line);
    Result<qint64> nodeByCode(qint64 scheme, const QString &code, const QString &name);
    Result<qint64> nodeByPath(qint64 scheme, const QStringList &path);
    Result<qint64> createNode(qint64 scheme, qint64 parent, const QString &code, const QString &name, bool provisional, const QString &description);
    Result<qint64> tagId(const QStringList &path);
    bool tick();

    void note(int line, const QString &message) { diagnose(ImportDiagnostic::Severity::Note, line, message); }
    void warn(int line, const QString &message) { diagnose(ImportDiagnostic::Severity::Warning, line, message); }
    void fail(int line, const QString &message) { diagnose(ImportDiagnostic::Severity::Error, line, message); }
    void diagnose(ImportDiagnostic::Severity severity, int line, const QString &message)
    {
        m_summary.diagnostics.append(ImportDiagnostic{severity, m_options.file, line, message});
    }

    QSqlDatabase m_db;
    Sql::StatementCache m_sql; // every statement of the import, prepared once
    const ImportOptions &m_options;
    ImportSummary &m_summary;
    qint64 m_batch = 0;
    int m_done = 0;
    int m_total = 0;
    QSet<qint64> m_newDocuments;
    QSet<qint64> m_newEntries;
    bool m_entriesWithoutSourceId = true; // whether the library may hold an entry without external_id
    bool m_librarySourceIds = true; // whether entries from before this import have an external_id
    QHash<QString, qint64> m_sourceIds; // external_id -> entry, for the entries this import added or gave one
    // New entries and their links wait here until flushEntries() (a batch is full, or a step
    // is about to read the entries); their ids are given here, as SQLite would give them.
    qint64 m_nextEntryId = 0;
    RowQueue m_entryRows{QStringLiteral("INSERT INTO entry(id, external_id, name, text, reasoning, notes, parent_id, document_id, listing_only, "
                                        "needs_review, extra, origin_batch_id, edited_fields) VALUES "),
        QStringLiteral("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"), 13};
    RowQueue m_classificationRows{QStringLiteral("INSERT OR IGNORE INTO classification(entry_id, node_id, assigned_by_kind, assigned_by, assigned_at, "
                                                 "evidence, confidence, origin_batch_id) VALUES "),
        QStringLiteral("(?, ?, ?, ?, ifnull(?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')), ?, ?, ?)"), 8};
    RowQueue m_tagRows{QStringLiteral("INSERT OR IGNORE INTO entry_tag(entry_id, tag_id, origin_batch_id) VALUES "), QStringLiteral("(?, ?, ?)"), 3};
    RowQueue m_documentLinkRows{QStringLiteral("INSERT OR IGNORE INTO entry_document(entry_id, document_id, relation, origin_batch_id) VALUES "),
        QStringLiteral("(?, ?, ?, ?)"), 4};
    RowQueue m_pluginLinkRows{QStringLiteral("INSERT OR IGNORE INTO plugin_link(entry_id, plugin_id, origin, state) VALUES "), QStringLiteral("(?, ?, ?, ?)"), 4};
    QHash<QString, qint64> m_documentByKey;
    QHash<QString, qint64> m_entryByKey;
    QHash<QString, qint64> m_schemes;
    QHash<QString, qint64> m_nodeCache; // "scheme\x1fcode" or "scheme\x1epath"
    QHash<QString, qint64> m_tagCache;
};

bool Apply::tick()
{
    ++m_done;
    if (m_options.progress && !m_options.progress(m_done, m_total)) {
        m_summary.cancelled = true;
        return false;
    }
    return true;
}

Status Apply::begin()
{
    auto inserted = m_sql.exec(
        QStringLiteral("INSERT INTO import_batch(file, format, sha256, mode, started_at) VALUES (?, ?, ?, ?, ?)"),
        {m_options.file, m_options.format, Sql::nullIfEmpty(m_options.sha256),
            m_options.skipInvalid ? QStringLiteral("skip-invalid") : QStringLiteral("strict"), now()});
    if (!inserted)
        return Error{inserted.error()};
    m_batch = inserted.value().lastInsertId().toLongLong();
    return {};
}

Status Apply::addHistory(const QJsonArray &history)
{
    for (const QJsonValue &value : history) {
        const QJsonObject b = value.toObject();
        const QString file = b.value(QLatin1String("file")).toString();
        const QString startedAt = b.value(QLatin1String("started_at")).toString();
        if (file.isEmpty() || startedAt.isEmpty())
            continue;
        auto known = m_sql.exec(QStringLiteral("SELECT 1 FROM import_batch WHERE file = ? AND started_at = ?"), {file, startedAt});
        if (!known)
            return Error{known.error()};
        if (known.value().next())
            continue;
        const QString mode = b.value(QLatin1String("mode")).toString();
        const QString status = b.value(QLatin1String("status")).toString();
        auto inserted = m_sql.exec(
            QStringLiteral("INSERT INTO import_batch(file, format, sha256, mode, started_at, finished_at, status, counts, diagnostics, added, merged, skipped) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            {file, b.value(QLatin1String("format")).toString(), Sql::nullIfEmpty(b.value(QLatin1String("sha256")).toString()),
                mode == QLatin1String("skip-invalid") ? mode : QStringLiteral("strict"), startedAt,
                Sql::nullIfEmpty(b.value(QLatin1String("finished_at")).toString()), status == QLatin1String("undone") ? status : QStringLiteral("complete"),
                compactJson(b.value(QLatin1String("counts")).toObject()), compactJson(b.value(QLatin1String("diagnostics")).toArray()),
                b.value(QLatin1String("added")).toInt(), b.value(QLatin1String("merged")).toInt(), b.value(QLatin1String("skipped")).toInt()});
        if (!inserted)
            return Error{inserted.error()};
    }
    return {};
}

Status Apply::backfillKeys()
{
    // Documents written before the keys existed, or by other writers, get theirs here.
    auto rows = m_sql.exec(QStringLiteral("SELECT id, title, abstract FROM document WHERE (title_key IS NULL AND title IS NOT NULL AND title_inferred = 0) "
                                               "OR (abstract_key IS NULL AND abstract IS NOT NULL)"));
    if (!rows)
        return Error{rows.error()};
    QList<std::tuple<qint64, QString, QString>> keys;
    while (rows.value().next()) {
        const QString title = rows.value().value(1).toString();
        const QString abstract = rows.value().value(2).toString();
        keys.append({rows.value().value(0).toLongLong(), Records::normalisedTitle(title), abstractKey(abstract)});
    }
    for (const auto &[id, titleKey, abstract] : keys) {
        auto updated = m_sql.exec(QStringLiteral("UPDATE document SET title_key = ?, abstract_key = ? WHERE id = ?"),
            {Sql::nullIfEmpty(titleKey), Sql::nullIfEmpty(abstract), id});
        if (!updated)
            return Error{updated.error()};
    }
    return {};
}

// The FTS triggers leave the rows from these ids on to indexAddedRows() (schema 4,
// resources/migrations/0004_import_fts.sql): one INSERT … SELECT writes a few large index
// segments, where a trigger per row wrote a segment per row that FTS5 then kept merging.
Status Apply::deferIndexing()
{
    auto deferred = m_sql.exec(QStringLiteral("INSERT OR REPLACE INTO fts_deferral(table_name, first_id) "
                                              "SELECT 'entry', ifnull(max(id), 0) + 1 FROM entry UNION ALL SELECT 'document', ifnull(max(id), 0) + 1 FROM document"));
    if (!deferred)
        return Error{deferred.error()};
    return {};
}

Status Apply::indexAddedRows()
{
    // FTS5 gathers the terms in memory and writes them out as a segment whenever they pass its
    // 'hashsize' (1 MB by default); for one large statement a larger buffer means fewer, larger
    // segments and less merging. The default is set again afterwards, as the option is kept in
    // the index's config table.
    const QString statements[] = {
        QStringLiteral("INSERT INTO entry_fts(entry_fts, rank) VALUES ('hashsize', 67108864)"),
        QStringLiteral("INSERT INTO entry_fts(rowid, name, text, reasoning, notes) SELECT id, name, text, reasoning, notes FROM entry "
                       "WHERE id >= (SELECT first_id FROM fts_deferral WHERE table_name = 'entry') ORDER BY id"),
        QStringLiteral("INSERT INTO entry_fts(entry_fts, rank) VALUES ('hashsize', 1048576)"),
        QStringLiteral("INSERT INTO document_fts(rowid, title, authors, abstract, venue) SELECT id, title, authors, abstract, venue FROM document "
                       "WHERE id >= (SELECT first_id FROM fts_deferral WHERE table_name = 'document') ORDER BY id"),
        QStringLiteral("DELETE FROM fts_deferral"),
    };
    for (const QString &statement : statements) {
        if (auto done = m_sql.exec(statement); !done)
            return Error{done.error()};
    }
    return {};
}

Status Apply::run(const RecordSet &records)
{
    m_total = int(records.taxonomyNodes.size() + records.documents.size() + records.entries.size());
    if (Status s = deferIndexing(); !s)
        return s;
    if (Status s = addHistory(records.batchHistory); !s)
        return s;
    if (Status s = begin(); !s)
        return s;
    if (Status s = backfillKeys(); !s)
        return s;
    // Counted on indexes, not by reading the entries.
    auto unidentified = m_sql.exec(QStringLiteral("SELECT (SELECT count(*) FROM entry) - (SELECT count(*) FROM entry WHERE external_id IS NOT NULL)"));
    if (!unidentified)
        return Error{unidentified.error()};
    m_entriesWithoutSourceId = unidentified.value().next() && unidentified.value().value(0).toLongLong() > 0;
    auto counts = m_sql.exec(QStringLiteral("SELECT ifnull(max(id), 0) + 1, (SELECT count(*) FROM entry WHERE external_id IS NOT NULL) FROM entry"));
    if (!counts)
        return Error{counts.error()};
    if (!counts.value().next())
        return Error{tr("the entries could not be counted")};
    m_nextEntryId = counts.value().value(0).toLongLong();
    m_librarySourceIds = counts.value().value(1).toLongLong() > 0;
    for (const TaxonomyNodeRecord &node : records.taxonomyNodes) {
        if (Status s = applyTaxonomyNode(node); !s)
            return s;
        if (!tick())
            return {};
    }
    for (const DocumentRecord &document : records.documents) {
        if (Status s = applyDocument(document); !s)
            return s;
        if (!tick())
            return {};
    }
    if (Status s = applyEntries(records.entries); !s || m_summary.cancelled)
        return s;
    return flushEntries();
}

Status Apply::flushEntries()
{
    if (m_entryRows.size() == 0 && m_classificationRows.size() == 0 && m_tagRows.size() == 0 && m_documentLinkRows.size() == 0
        && m_pluginLinkRows.size() == 0)
        return {};
    // The entries first: the links refer to them.
    auto entries = m_entryRows.write(m_sql, m_options.file);
    if (!entries)
        return Error{entries.error()};
    auto classifications = m_classificationRows.write(m_sql, m_options.file);
    if (!classifications)
        return Error{classifications.error()};
    m_summary.classificationsAdded += classifications.value();
    auto tags = m_tagRows.write(m_sql, m_options.file);
    if (!tags)
        return Error{tags.error()};
    m_summary.tagLinksAdded += tags.value();
    for (RowQueue *links : {&m_documentLinkRows, &m_pluginLinkRows}) {
        if (auto written = links->write(m_sql, m_options.file); !written)
            return Error{written.error()};
    }
    return {};
}

// ---------------------------------------------------------------- taxonomy

Result<qint64> Apply::schemeId(const QString &key)
{
    if (auto it = m_schemes.constFind(key); it != m_schemes.cend())
        return it.value();
    auto id = m_sql.exec(QStringLiteral("SELECT id FROM scheme WHERE key = ?"), {key});
    if (!id)
        return Error{id.error()};
    const qint64 value = id.value().next() ? id.value().value(0).toLongLong() : 0;
    m_schemes.insert(key, value);
    return value;
}

Result<qint64> Apply::createNode(qint64 scheme, qint64 parent, const QString &code, const QString &name, bool provisional, const QString &description)
{
    QString label = name.simplified();
    if (label.isEmpty())
        label = code;
    // Names are unique among siblings: a second node of the same name gets its code appended.
    auto clash = m_sql.exec(QStringLiteral("SELECT 1 FROM taxonomy_node WHERE scheme_id = ? AND parent_id IS ? AND name = ? COLLATE NOCASE"),
        {scheme, optionalId(parent), label});
    if (!clash)
        return Error{clash.error()};
    if (clash.value().next())
        label = QStringLiteral("%1 (%2)").arg(label, code.isEmpty() ? QString::number(m_batch) : code);
    auto inserted = m_sql.exec(
        QStringLiteral("INSERT INTO taxonomy_node(scheme_id, parent_id, code, name, description, provisional, origin, origin_batch_id, position) "
                       "VALUES (?, ?, ?, ?, ?, ?, 'import', ?, (SELECT ifnull(max(position), -1) + 1 FROM taxonomy_node WHERE scheme_id = ?))"),
        {scheme, optionalId(parent), Sql::nullIfEmpty(code), label, Sql::nullIfEmpty(description), provisional ? 1 : 0, m_batch, scheme});
    if (!inserted)
        return Error{inserted.error()};
    if (provisional)
        ++m_summary.provisionalNodes;
    return inserted.value().lastInsertId().toLongLong();
}

Result<qint64> Apply::nodeByCode(qint64 scheme, const QString &code, const QString &name)
{
    const QString cacheKey = QString::number(scheme) + QChar(0x1f) + code;
    if (auto it = m_nodeCache.constFind(cacheKey); it != m_nodeCache.cend())
        return it.value();
    auto found = m_sql.exec(QStringLiteral("SELECT id FROM taxonomy_node WHERE scheme_id = ? AND code = ?"), {scheme, code});
    if (!found)
        return Error{found.error()};
    qint64 id = found.value().next() ? found.value().value(0).toLongLong() : 0;
    if (id == 0) {
        // An unknown code: a provisional node under the nearest known ancestor code ("2.4.7" under "2.4").
        qint64 parent = 0;
        QString prefix = code;
        while (parent == 0 && prefix.contains(QLatin1Char('.'))) {
            prefix.truncate(prefix.lastIndexOf(QLatin1Char('.')));
            auto ancestor = m_sql.exec(QStringLiteral("SELECT id FROM taxonomy_node WHERE scheme_id = ? AND code = ?"), {scheme, prefix});
            if (!ancestor)
                return Error{ancestor.error()};
            if (ancestor.value().next())
                parent = ancestor.value().value(0).toLongLong();
        }
        auto created = createNode(scheme, parent, code, name, true, {});
        if (!created)
            return created;
        id = created.value();
    }
    m_nodeCache.insert(cacheKey, id);
    return id;
}

Result<qint64> Apply::nodeByPath(qint64 scheme, const QStringList &path)
{
    const QString cacheKey = QString::number(scheme) + QChar(0x1e) + path.join(QChar(0x1e)).toLower();
    if (auto it = m_nodeCache.constFind(cacheKey); it != m_nodeCache.cend())
        return it.value();
    qint64 current = 0;
    for (const QString &rawName : path) {
        const QString name = rawName.simplified();
        if (name.isEmpty())
            continue;
        // A child of the current node with that name or alias; else the one node of that name
        // anywhere below it (sources skip levels: "Value Misalignment > Methods for mitigating
        // toxicity" sits under "Toxicity" in the survey's tree); else a new provisional child.
        auto child = m_sql.exec(QStringLiteral(R"(
            SELECT n.id FROM taxonomy_node n
            WHERE n.scheme_id = ? AND n.parent_id IS ?
              AND (n.name = ? COLLATE NOCASE OR EXISTS (SELECT 1 FROM taxonomy_alias a WHERE a.node_id = n.id AND a.alias = ? COLLATE NOCASE))
            LIMIT 1)"),
            {scheme, optionalId(current), name, name});
        if (!child)
            return Error{child.error()};
        if (child.value().next()) {
            current = child.value().value(0).toLongLong();
            continue;
        }
        auto below = current > 0 ? m_sql.exec(QStringLiteral(R"(
                SELECT n.id FROM taxonomy_node n JOIN taxonomy_closure c ON c.descendant_id = n.id
                WHERE c.ancestor_id = ? AND c.depth > 0
                  AND (n.name = ? COLLATE NOCASE OR EXISTS (SELECT 1 FROM taxonomy_alias a WHERE a.node_id = n.id AND a.alias = ? COLLATE NOCASE))
                LIMIT 2)"),
                                       {current, name, name})
                                 : m_sql.exec(QStringLiteral(R"(
                SELECT n.id FROM taxonomy_node n
                WHERE n.scheme_id = ?
                  AND (n.name = ? COLLATE NOCASE OR EXISTS (SELECT 1 FROM taxonomy_alias a WHERE a.node_id = n.id AND a.alias = ? COLLATE NOCASE))
                LIMIT 2)"),
                                       {scheme, name, name});
        if (!below)
            return Error{below.error()};
        QList<qint64> matches;
        while (below.value().next())
            matches.append(below.value().value(0).toLongLong());
        if (matches.size() == 1) {
            current = matches.first();
            continue;
        }
        auto created = createNode(scheme, current, {}, name, true, {});
        if (!created)
            return created;
        current = created.value();
    }
    m_nodeCache.insert(cacheKey, current);
    return current;
}

Result<qint64> Apply::resolveNode(const ClassificationRecord &record, int line)
{
    auto scheme = schemeId(record.schemeKey);
    if (!scheme)
        return scheme;
    if (scheme.value() == 0) {
        warn(line, tr("the taxonomy scheme \"%1\" is not in this library; the classification was left out").arg(record.schemeKey));
        return qint64(0);
    }
    if (!record.code.isEmpty())
        return nodeByCode(scheme.value(), record.code.trimmed(), record.name);
    if (!record.path.isEmpty())
        return nodeByPath(scheme.value(), record.path);
    if (!record.name.isEmpty())
        return nodeByPath(scheme.value(), {record.name});
    warn(line, tr("a classification in \"%1\" with neither code nor name was left out").arg(record.schemeKey));
    return qint64(0);
}

Status Apply::applyTaxonomyNode(const TaxonomyNodeRecord &record)
{
    auto scheme = schemeId(record.schemeKey);
    if (!scheme)
        return Error{scheme.error()};
    if (scheme.value() == 0) {
        fail(record.line, tr("the taxonomy scheme \"%1\" is not in this library").arg(record.schemeKey));
        return {};
    }
    qint64 parent = 0;
    if (!record.parentCode.isEmpty()) {
        auto p = nodeByCode(scheme.value(), record.parentCode, {});
        if (!p)
            return Error{p.error()};
        parent = p.value();
    } else if (!record.parentPath.isEmpty()) {
        auto p = nodeByPath(scheme.value(), record.parentPath);
        if (!p)
            return Error{p.error()};
        parent = p.value();
    }
    qint64 id = 0;
    auto found = record.code.isEmpty()
        ? m_sql.exec(QStringLiteral("SELECT id, description, provisional FROM taxonomy_node WHERE scheme_id = ? AND parent_id IS ? AND name = ? COLLATE NOCASE"),
              {scheme.value(), optionalId(parent), record.name.simplified()})
        : m_sql.exec(QStringLiteral("SELECT id, description, provisional FROM taxonomy_node WHERE scheme_id = ? AND code = ?"), {scheme.value(), record.code});
    if (!found)
        return Error{found.error()};
    if (found.value().next()) {
        id = found.value().value(0).toLongLong();
        RowUpdate update(QStringLiteral("taxonomy_node"), id);
        const QVariant description = found.value().value(1);
        if (description.toString().isEmpty() && !record.description.isEmpty())
            update.set(QStringLiteral("description"), description, record.description);
        const int provisional = found.value().value(2).toInt();
        if (provisional == 1 && !record.provisional) // the source confirms a node that was only met before
            update.set(QStringLiteral("provisional"), provisional, 0);
        if (update.isEmpty()) {
            ++m_summary.taxonomyNodes.unchanged;
            return {};
        }
        ++m_summary.taxonomyNodes.merged;
        return update.write(m_sql, m_batch, true, false);
    }
    auto created = createNode(scheme.value(), parent, record.code, record.name, record.provisional, record.description);
    if (!created)
        return Error{created.error()};
    if (record.provisional)
        --m_summary.provisionalNodes; // kept as the file has it, not made up by this import
    ++m_summary.taxonomyNodes.added;
    m_nodeCache.insert(QString::number(scheme.value()) + QChar(0x1f) + record.code, created.value());
    return {};
}

// ---------------------------------------------------------------- tags and classifications

Result<qint64> Apply::tagId(const QStringList &path)
{
    qint64 parent = 0;
    QString cacheKey;
    for (const QString &rawName : path) {
        QString name = rawName.simplified();
        name.replace(QLatin1Char('/'), QLatin1Char('-'));
        if (name.isEmpty())
            continue;
        cacheKey += name.toLower() + QChar(0x1e);
        if (auto it = m_tagCache.constFind(cacheKey); it != m_tagCache.cend()) {
            parent = it.value();
            continue;
        }
        auto found = m_sql.exec(QStringLiteral("SELECT id FROM tag WHERE parent_id IS ? AND name = ? COLLATE NOCASE"), {optionalId(parent), name});
        if (!found)
            return Error{found.error()};
        qint64 id = found.value().next() ? found.value().value(0).toLongLong() : 0;
        if (id == 0) {
            auto inserted = m_sql.exec(QStringLiteral("INSERT INTO tag(parent_id, name, origin_batch_id) VALUES (?, ?, ?)"), {optionalId(parent), name, m_batch});
            if (!inserted)
                return Error{inserted.error()};
            id = inserted.value().lastInsertId().toLongLong();
        }
        m_tagCache.insert(cacheKey, id);
        parent = id;
    }
    return parent;
}

Status Apply::addTags(const QString &table, const char *ownerColumn, qint64 ownerId, const QList<QStringList> &tags, int line, RowQueue *queue)
{
    for (const QStringList &path : tags) {
        auto tag = tagId(path);
        if (!tag)
            return Error{tag.error()};
        if (tag.value() == 0)
            continue;
        if (queue) {
            queue->add({ownerId, tag.value(), m_batch}, line);
            continue;
        }
        auto linked = m_sql.exec(QStringLiteral("INSERT OR IGNORE INTO %1(%2, tag_id, origin_batch_id) VALUES (?, ?, ?)").arg(table, QLatin1String(ownerColumn)),
            {ownerId, tag.value(), m_batch});
        if (!linked)
            return Error{linked.error()};
        m_summary.tagLinksAdded += linked.value().numRowsAffected() > 0 ? 1 : 0;
    }
    return {};
}

Status Apply::addClassifications(const QString &table, const char *ownerColumn, qint64 ownerId, const QList<ClassificationRecord> &classifications, int line,
    RowQueue *queue)
{
    for (const ClassificationRecord &c : classifications) {
        auto node = resolveNode(c, line);
        if (!node)
            return Error{node.error()};
        if (node.value() == 0)
            continue;
        const QString assignedBy = c.assignedBy.isEmpty() ? m_options.format : c.assignedBy;
        static const QStringList kinds{QStringLiteral("import"), QStringLiteral("classifier"), QStringLiteral("curator"), QStringLiteral("rule")};
        const QString kind = kinds.contains(c.assignedByKind) ? c.assignedByKind : QStringLiteral("import");
        const QVariant confidence = c.confidence ? QVariant(*c.confidence) : QVariant(QMetaType::fromType<double>());
        if (queue) {
            queue->add({ownerId, node.value(), kind, assignedBy, Sql::nullIfEmpty(c.assignedAt), Sql::nullIfEmpty(c.evidence), confidence, m_batch}, line);
            continue;
        }
        auto inserted = m_sql.exec(
            QStringLiteral("INSERT OR IGNORE INTO %1(%2, node_id, assigned_by_kind, assigned_by, assigned_at, evidence, confidence, origin_batch_id) "
                           "VALUES (?, ?, ?, ?, ifnull(?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')), ?, ?, ?)")
                .arg(table, QLatin1String(ownerColumn)),
            {ownerId, node.value(), kind, assignedBy, Sql::nullIfEmpty(c.assignedAt), Sql::nullIfEmpty(c.evidence), confidence, m_batch});
        if (!inserted)
            return Error{inserted.error()};
        m_summary.classificationsAdded += inserted.value().numRowsAffected() > 0 ? 1 : 0;
    }
    return {};
}

// ---------------------------------------------------------------- documents

Result<qint64> Apply::findDocument(const DocumentRecord &record, const QString &titleKey)
{
    const QString label = record.title.isEmpty() ? tr("(untitled)") : record.title;
    // DOI, then arXiv id: the same identifier with a clearly different title is a wrong link.
    const std::pair<QString, QString> identifiers[] = {
        {QStringLiteral("doi"), record.doi.toLower()},
        {QStringLiteral("arxiv_id"), record.arxivId},
    };
    for (const auto &[column, value] : identifiers) {
        if (value.isEmpty())
            continue;
        auto candidates = m_sql.exec(
            column == QLatin1String("doi") ? QStringLiteral("SELECT id, title_key, title, title_inferred FROM document WHERE lower(doi) = ? ORDER BY id")
                                           : QStringLiteral("SELECT id, title_key, title, title_inferred FROM document WHERE arxiv_id = ? ORDER BY id"),
            {value});
        if (!candidates)
            return Error{candidates.error()};
        QString clash;
        qint64 clashId = 0;
        while (candidates.value().next()) {
            const bool inferred = candidates.value().value(3).toInt() == 1;
            if (inferred || titlesAgree(candidates.value().value(1).toString(), titleKey))
                return candidates.value().value(0).toLongLong();
            if (clashId == 0) {
                clashId = candidates.value().value(0).toLongLong();
                clash = candidates.value().value(2).toString();
            }
        }
        if (clashId != 0) {
            ++m_summary.conflicts;
            warn(record.line,
                tr("conflict: %1 %2 of \"%3\" already belongs to document %4 \"%5\", whose title differs; not merged")
                    .arg(column == QLatin1String("doi") ? QStringLiteral("DOI") : QStringLiteral("arXiv id"), value, label)
                    .arg(clashId)
                    .arg(clash));
        }
    }
    if (!titleKey.isEmpty()) {
        auto candidates = m_sql.exec(QStringLiteral("SELECT id, year FROM document WHERE title_key = ? ORDER BY id"), {titleKey});
        if (!candidates)
            return Error{candidates.error()};
        while (candidates.value().next()) {
            const QVariant year = candidates.value().value(1);
            if (!record.year || year.isNull() || year.toInt() == *record.year)
                return candidates.value().value(0).toLongLong();
        }
    }
    const QString abstract = abstractKey(record.abstract);
    if (!abstract.isEmpty()) {
        // A bare abstract matches any document with the same abstract; a titled record matches
        // only a document whose title was inferred (or is missing).
        auto candidates = m_sql.exec(QStringLiteral("SELECT id, title_inferred, title FROM document WHERE abstract_key = ? ORDER BY id"), {abstract});
        if (!candidates)
            return Error{candidates.error()};
        while (candidates.value().next()) {
            const bool weakTitle = candidates.value().value(1).toInt() == 1 || candidates.value().value(2).isNull();
            if (titleKey.isEmpty() || weakTitle)
                return candidates.value().value(0).toLongLong();
        }
    }
    return qint64(0);
}

Status Apply::mergeDocument(qint64 id, const DocumentRecord &record, const QString &titleKey)
{
    auto row = m_sql.exec(QStringLiteral("SELECT title, title_inferred, needs_review, authors, year, venue, doi, arxiv_id, url, abstract, "
                                              "citation_key, extra, edited_fields FROM document WHERE id = ?"),
        {id});
    if (!row)
        return Error{row.error()};
    if (!row.value().next())
        return Error{tr("document %1 vanished during the import").arg(id)};
    const Sql::CachedQuery &q = row.value();
    const QJsonArray edited = parseArray(q.value(12).toString());
    RowUpdate update(QStringLiteral("document"), id);

    const bool titleWeak = q.value(0).isNull() || q.value(1).toInt() == 1;
    if (titleWeak && !record.title.isEmpty() && !record.titleInferred && isEditable(edited, "title")) {
        update.set(QStringLiteral("title"), q.value(0), record.title);
        update.set(QStringLiteral("title_key"), QVariant(), titleKey);
        update.set(QStringLiteral("title_inferred"), q.value(1), 0);
        if (q.value(2).toInt() == 1 && !record.needsReview)
            update.set(QStringLiteral("needs_review"), q.value(2), 0);
    } else if (q.value(0).isNull() && !record.title.isEmpty() && isEditable(edited, "title")) {
        update.set(QStringLiteral("title"), q.value(0), record.title);
        update.set(QStringLiteral("title_inferred"), q.value(1), 1);
    }
    if (parseArray(q.value(3).toString()).isEmpty() && !record.authors.isEmpty() && isEditable(edited, "authors"))
        update.set(QStringLiteral("authors"), q.value(3), compactJson(QJsonArray::fromStringList(record.authors)));
    if (q.value(4).isNull() && record.year && isEditable(edited, "year"))
        update.set(QStringLiteral("year"), q.value(4), *record.year);
    const std::tuple<int, const char *, QString> texts[] = {
        {5, "venue", record.venue},
        {6, "doi", record.doi.toLower()},
        {7, "arxiv_id", record.arxivId},
        {8, "url", record.url},
        {9, "abstract", record.abstract},
        {10, "citation_key", record.citationKey},
    };
    for (const auto &[index, column, value] : texts) {
        if (!value.isEmpty() && q.value(index).toString().isEmpty() && isEditable(edited, column))
            update.set(QLatin1String(column), q.value(index), value);
    }
    if (update.columns().contains(QLatin1String("abstract")))
        update.set(QStringLiteral("abstract_key"), QVariant(), Sql::nullIfEmpty(abstractKey(record.abstract)));
    QJsonObject extra = parseObject(q.value(11).toString());
    bool extraChanged = false;
    for (auto it = record.extra.constBegin(); it != record.extra.constEnd(); ++it) {
        if (!extra.contains(it.key())) {
            extra.insert(it.key(), it.value());
            extraChanged = true;
        }
    }
    if (extraChanged)
        update.set(QStringLiteral("extra"), q.value(11), compactJson(extra));

    const int linksBefore = m_summary.tagLinksAdded + m_summary.classificationsAdded;
    if (Status s = addTags(QStringLiteral("document_tag"), "document_id", id, record.tags); !s)
        return s;
    if (Status s = addClassifications(QStringLiteral("document_classification"), "document_id", id, record.classifications, record.line); !s)
        return s;
    const bool linked = m_summary.tagLinksAdded + m_summary.classificationsAdded > linksBefore;

    const bool own = m_newDocuments.contains(id);
    if (update.isEmpty() && !linked) {
        if (!own)
            ++m_summary.documents.unchanged;
        return {};
    }
    if (!own) {
        ++m_summary.documents.merged;
        QStringList what = update.columns();
        what.removeAll(QLatin1String("title_key"));
        what.removeAll(QLatin1String("abstract_key"));
        what.removeAll(QLatin1String("title_inferred"));
        if (linked)
            what.append(tr("tags/classifications"));
        note(record.line, tr("merged into document %1 (%2)").arg(id).arg(what.join(QLatin1String(", "))));
    }
    return update.write(m_sql, m_batch, !own, !update.isEmpty());
}

Status Apply::applyDocument(const DocumentRecord &record)
{
    if (record.title.trimmed().isEmpty() && record.abstract.trimmed().isEmpty()) {
        fail(record.line, tr("a document with neither title nor abstract"));
        return {};
    }
    const QString titleKey = record.titleInferred ? QString() : Records::normalisedTitle(record.title);
    auto found = findDocument(record, titleKey);
    if (!found)
        return Error{found.error()};
    qint64 id = found.value();
    if (id != 0) {
        if (Status s = mergeDocument(id, record, titleKey); !s)
            return s;
    } else {
        auto inserted = m_sql.exec(
            QStringLiteral("INSERT INTO document(kind, title, authors, year, venue, doi, arxiv_id, url, abstract, citation_key, extra, origin_batch_id, "
                           "title_key, abstract_key, title_inferred, needs_review, edited_fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            {record.kind.isEmpty() ? QStringLiteral("article") : record.kind, Sql::nullIfEmpty(record.title.simplified()),
                compactJson(QJsonArray::fromStringList(record.authors)), optionalYear(record.year), Sql::nullIfEmpty(record.venue),
                Sql::nullIfEmpty(record.doi.toLower()), Sql::nullIfEmpty(record.arxivId), Sql::nullIfEmpty(record.url), Sql::nullIfEmpty(record.abstract),
                Sql::nullIfEmpty(record.citationKey), compactJson(record.extra), m_batch, Sql::nullIfEmpty(titleKey),
                Sql::nullIfEmpty(abstractKey(record.abstract)), record.titleInferred ? 1 : 0, record.needsReview ? 1 : 0,
                compactJson(QJsonArray::fromStringList(record.editedFields))});
        if (!inserted)
            return Error{tr("%1:%2: %3").arg(m_options.file).arg(record.line).arg(inserted.error())};
        id = inserted.value().lastInsertId().toLongLong();
        m_newDocuments.insert(id);
        ++m_summary.documents.added;
        if (Status s = addTags(QStringLiteral("document_tag"), "document_id", id, record.tags); !s)
            return s;
        if (Status s = addClassifications(QStringLiteral("document_classification"), "document_id", id, record.classifications, record.line); !s)
            return s;
    }
    if (!record.key.isEmpty())
        m_documentByKey.insert(record.key, id);
    return {};
}

// ---------------------------------------------------------------- entries

Result<qint64> Apply::findEntry(const EntryRecord &record, qint64 parentId, qint64 documentId, qint64 codeNode, bool &renameFromListing)
{
    renameFromListing = false;
    if (!record.externalId.isEmpty()) {
        // The entries from before the import have lower ids than its own, so they come first.
        if (m_librarySourceIds) {
            auto found = m_sql.exec(QStringLiteral("SELECT id FROM entry WHERE external_id = ? ORDER BY id LIMIT 1"), {record.externalId});
            if (!found)
                return Error{found.error()};
            if (found.value().next())
                return found.value().value(0).toLongLong();
        }
        if (auto it = m_sourceIds.constFind(record.externalId); it != m_sourceIds.cend())
            return it.value();
    }
    // The same name at the same place from the same document.
    // Two different source ids are two entries, whatever their names: a record with a source id
    // can only match an entry without one, so when the library has none the look-up is skipped.
    // The unary + keeps SQLite on the name index (without it, it walks every entry of the
    // document, ~40 rows per look-up in a large import).
    if (record.externalId.isEmpty() || m_entriesWithoutSourceId) {
        if (Status s = flushEntries(); !s) // the look-ups below read the entries
            return Error{s.error()};
        auto same = m_sql.exec(QStringLiteral("SELECT id, ifnull(json_extract(extra, '$.nameInferred'), 0) FROM entry WHERE name = ? COLLATE NOCASE "
                                              "AND +parent_id IS ? AND +document_id IS ? AND (external_id IS NULL OR ifnull(?, '') = '') ORDER BY id LIMIT 1"),
            {record.name.simplified(), optionalId(parentId), optionalId(documentId), Sql::nullIfEmpty(record.externalId)});
        if (!same)
            return Error{same.error()};
        if (same.value().next()) {
            // A listing that names an entry exactly as its own page guessed confirms the name.
            renameFromListing = record.listingOnly && !record.nameInferred && same.value().value(1).toInt() == 1;
            return same.value().value(0).toLongLong();
        }
    }
    if (documentId == 0)
        return qint64(0);

    // The listing rules of survey pages: a page does not name its own entry, other pages list it.
    const auto listedByPage = [](const QJsonArray &listing, const QString &name) {
        for (const QJsonValue &item : listing) {
            const QString last = item.toString().section(QStringLiteral(" > "), -1).trimmed();
            if (last.compare(name.simplified(), Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    };
    if (record.nameInferred) {
        // Imported before: the same passage and reasoning at the same place.
        if (Status s = flushEntries(); !s)
            return Error{s.error()};
        if (!record.reasoning.isEmpty()) {
            auto again = m_sql.exec(
                QStringLiteral("SELECT id FROM entry WHERE parent_id IS ? AND document_id = ? AND reasoning = ? AND ifnull(text, '') = ifnull(?, '') ORDER BY id LIMIT 1"),
                {optionalId(parentId), documentId, record.reasoning, record.text});
            if (!again)
                return Error{again.error()};
            if (again.value().next())
                return again.value().value(0).toLongLong();
        }
        if (codeNode == 0)
            return qint64(0);
        // Listed by another page: same parent, same code, and not among this page's own listing.
        auto listed = m_sql.exec(
            QStringLiteral("SELECT e.id, e.name FROM entry e JOIN classification c ON c.entry_id = e.id "
                           "WHERE c.node_id = ? AND e.parent_id IS ? AND e.document_id = ? AND e.listing_only = 1"),
            {codeNode, optionalId(parentId), documentId});
        if (!listed)
            return Error{listed.error()};
        const QJsonArray listing = QJsonArray::fromStringList(record.pageListing);
        QList<qint64> candidates;
        while (listed.value().next()) {
            if (!listedByPage(listing, listed.value().value(1).toString()))
                candidates.append(listed.value().value(0).toLongLong());
        }
        if (candidates.size() == 1)
            return candidates.first();
        return qint64(0);
    }
    if (record.listingOnly && codeNode != 0) {
        if (Status s = flushEntries(); !s)
            return Error{s.error()};
        // A page imported before that could not name its entry, and whose own listing lacks this name.
        auto inferred = m_sql.exec(
            QStringLiteral("SELECT e.id, e.extra FROM entry e JOIN classification c ON c.entry_id = e.id "
                           "WHERE c.node_id = ? AND e.parent_id IS ? AND e.document_id = ? AND json_extract(e.extra, '$.nameInferred') = 1"),
            {codeNode, optionalId(parentId), documentId});
        if (!inferred)
            return Error{inferred.error()};
        QList<qint64> candidates;
        while (inferred.value().next()) {
            const QJsonArray listing = parseObject(inferred.value().value(1).toString()).value(QLatin1String("pageListing")).toArray();
            if (!listedByPage(listing, record.name))
                candidates.append(inferred.value().value(0).toLongLong());
        }
        if (candidates.size() == 1) {
            renameFromListing = true;
            return candidates.first();
        }
    }
    return qint64(0);
}

Status Apply::mergeEntry(qint64 id, const EntryRecord &record, qint64 parentId, qint64 documentId, bool renameFromListing)
{
    if (Status s = flushEntries(); !s) // the entry may still be waiting in the queue
        return s;
    auto row = m_sql.exec(QStringLiteral("SELECT name, external_id, text, reasoning, notes, parent_id, document_id, listing_only, needs_review, extra, "
                                              "edited_fields FROM entry WHERE id = ?"),
        {id});
    if (!row)
        return Error{row.error()};
    if (!row.value().next())
        return Error{tr("entry %1 vanished during the import").arg(id)};
    const Sql::CachedQuery &q = row.value();
    const QJsonArray edited = parseArray(q.value(10).toString());
    RowUpdate update(QStringLiteral("entry"), id);
    QJsonObject extra = parseObject(q.value(9).toString());
    bool extraChanged = false;

    if (renameFromListing && isEditable(edited, "name")) {
        // The listing names an entry its own page could not.
        if (q.value(0).toString() != record.name.simplified())
            update.set(QStringLiteral("name"), q.value(0), record.name.simplified());
        if (q.value(8).toInt() == 1)
            update.set(QStringLiteral("needs_review"), q.value(8), 0);
        extra.remove(QLatin1String("nameInferred"));
        extraChanged = true;
    }
    const std::tuple<int, const char *, QString> texts[] = {
        {1, "external_id", record.externalId},
        {2, "text", record.text},
        {3, "reasoning", record.reasoning},
        {4, "notes", record.notes},
    };
    for (const auto &[index, column, value] : texts) {
        if (!value.isEmpty() && q.value(index).toString().isEmpty() && isEditable(edited, column))
            update.set(QLatin1String(column), q.value(index), value);
    }
    if (q.value(5).isNull() && parentId > 0 && parentId != id && isEditable(edited, "parent_id"))
        update.set(QStringLiteral("parent_id"), q.value(5), parentId);
    if (q.value(6).isNull() && documentId > 0 && isEditable(edited, "document_id"))
        update.set(QStringLiteral("document_id"), q.value(6), documentId);
    if (q.value(7).toInt() == 1 && !record.listingOnly)
        update.set(QStringLiteral("listing_only"), q.value(7), 0);
    if (!record.pageListing.isEmpty() && !extra.contains(QLatin1String("pageListing"))) {
        extra.insert(QStringLiteral("pageListing"), QJsonArray::fromStringList(record.pageListing));
        extraChanged = true;
    }
    for (auto it = record.extra.constBegin(); it != record.extra.constEnd(); ++it) {
        if (!extra.contains(it.key())) {
            extra.insert(it.key(), it.value());
            extraChanged = true;
        }
    }
    if (extraChanged && compactJson(extra) != q.value(9).toString())
        update.set(QStringLiteral("extra"), q.value(9), compactJson(extra));
    if (update.columns().contains(QLatin1String("external_id")) && !m_sourceIds.contains(record.externalId))
        m_sourceIds.insert(record.externalId, id);

    const int linksBefore = m_summary.tagLinksAdded + m_summary.classificationsAdded;
    if (Status s = addTags(QStringLiteral("entry_tag"), "entry_id", id, record.tags); !s)
        return s;
    if (Status s = addClassifications(QStringLiteral("classification"), "entry_id", id, record.classifications, record.line); !s)
        return s;
    const bool linked = m_summary.tagLinksAdded + m_summary.classificationsAdded > linksBefore;

    const bool own = m_newEntries.contains(id);
    if (update.isEmpty() && !linked) {
        if (!own)
            ++m_summary.entries.unchanged;
        return {};
    }
    if (!own) {
        ++m_summary.entries.merged;
        QStringList what = update.columns();
        if (linked)
            what.append(tr("tags/classifications"));
        if (renameFromListing)
            note(record.line, tr("entry %1 \"%2\" is named \"%3\" by this listing").arg(id).arg(q.value(0).toString(), record.name.simplified()));
        else
            note(record.line, tr("merged into entry %1 \"%2\" (%3)").arg(id).arg(q.value(0).toString(), what.join(QLatin1String(", "))));
    }
    return update.write(m_sql, m_batch, !own, !update.isEmpty());
}

Status Apply::applyEntry(const EntryRecord &record, qint64 parentId)
{
    if (record.name.trimmed().isEmpty()) {
        fail(record.line, tr("an entry without a name"));
        return {};
    }
    qint64 documentId = 0;
    if (!record.documentKey.isEmpty()) {
        documentId = m_documentByKey.value(record.documentKey);
        if (documentId == 0)
            warn(record.line, tr("entry \"%1\" names a document that is not in the file (%2)").arg(record.name, record.documentKey));
    }
    qint64 codeNode = 0;
    for (const ClassificationRecord &c : record.classifications) {
        if (c.schemeKey == QLatin1String("mit-mitigation-v2") && !c.code.isEmpty()) {
            auto node = resolveNode(c, record.line);
            if (!node)
                return Error{node.error()};
            codeNode = node.value();
            break;
        }
    }
    bool rename = false;
    auto found = findEntry(record, parentId, documentId, codeNode, rename);
    if (!found)
        return Error{found.error()};
    qint64 id = found.value();
    bool queued = false; // a new entry: it and its links wait in the queues
    if (id != 0) {
        if (Status s = mergeEntry(id, record, parentId, documentId, rename); !s)
            return s;
    } else {
        QJsonObject extra = record.extra;
        if (record.nameInferred)
            extra.insert(QStringLiteral("nameInferred"), 1);
        if (!record.pageListing.isEmpty())
            extra.insert(QStringLiteral("pageListing"), QJsonArray::fromStringList(record.pageListing));
        queued = true;
        // Queued with the id SQLite would give it (the largest id plus one); written by flushEntries().
        id = m_nextEntryId++;
        m_entryRows.add({id, Sql::nullIfEmpty(record.externalId), record.name.simplified(), Sql::nullIfEmpty(record.text), Sql::nullIfEmpty(record.reasoning),
                            Sql::nullIfEmpty(record.notes), optionalId(parentId), optionalId(documentId), record.listingOnly ? 1 : 0,
                            (record.needsReview || record.nameInferred) ? 1 : 0, compactJson(extra), m_batch,
                            compactJson(QJsonArray::fromStringList(record.editedFields))},
            record.line);
        m_newEntries.insert(id);
        if (record.externalId.isEmpty())
            m_entriesWithoutSourceId = true;
        else if (!m_sourceIds.contains(record.externalId))
            m_sourceIds.insert(record.externalId, id);
        ++m_summary.entries.added;
        if (Status s = addTags(QStringLiteral("entry_tag"), "entry_id", id, record.tags, record.line, &m_tagRows); !s)
            return s;
        if (Status s = addClassifications(QStringLiteral("classification"), "entry_id", id, record.classifications, record.line, &m_classificationRows); !s)
            return s;
    }
    for (const auto &[documentKey, relation] : record.relatedDocuments) {
        const qint64 related = m_documentByKey.value(documentKey);
        if (related == 0)
            continue;
        if (queued) {
            m_documentLinkRows.add({id, related, relation.isEmpty() ? QStringLiteral("related") : relation, m_batch}, record.line);
            continue;
        }
        auto linked = m_sql.exec(QStringLiteral("INSERT OR IGNORE INTO entry_document(entry_id, document_id, relation, origin_batch_id) VALUES (?, ?, ?, ?)"),
            {id, related, relation.isEmpty() ? QStringLiteral("related") : relation, m_batch});
        if (!linked)
            return Error{linked.error()};
    }
    for (const QJsonValue &value : record.pluginLinks) {
        const QJsonObject link = value.toObject();
        const QString plugin = link.value(QLatin1String("plugin")).toString();
        const QString origin = link.value(QLatin1String("origin")).toString();
        const QString state = link.value(QLatin1String("state")).toString();
        if (plugin.isEmpty())
            continue;
        if (queued) {
            m_pluginLinkRows.add({id, plugin, origin == QLatin1String("auto") ? origin : QStringLiteral("curator"),
                                     state == QLatin1String("removed") ? state : QStringLiteral("linked")},
                record.line);
            continue;
        }
        auto linked = m_sql.exec(QStringLiteral("INSERT OR IGNORE INTO plugin_link(entry_id, plugin_id, origin, state) VALUES (?, ?, ?, ?)"),
            {id, plugin, origin == QLatin1String("auto") ? origin : QStringLiteral("curator"), state == QLatin1String("removed") ? state : QStringLiteral("linked")});
        if (!linked)
            return Error{linked.error()};
    }
    if (!record.key.isEmpty())
        m_entryByKey.insert(record.key, id);
    if (m_entryRows.size() >= 256)
        return flushEntries();
    return {};
}

Status Apply::applyEntries(const QList<EntryRecord> &records)
{
    // Parents first, whatever the order of the file; a parent key that names no record, or a
    // cycle, is an error of the record.
    QHash<QString, qsizetype> indexByKey;
    for (qsizetype i = 0; i < records.size(); ++i) {
        if (!records.at(i).key.isEmpty())
            indexByKey.insert(records.at(i).key, i);
    }
    QList<int> state(records.size(), 0); // 0 = to do, 1 = in progress, 2 = done
    QList<qsizetype> stack;
    for (qsizetype start = 0; start < records.size(); ++start) {
        if (state.at(start) != 0)
            continue;
        // Walk up to the first ancestor not yet written, then write downwards.
        QList<qsizetype> chain{start};
        bool broken = false;
        while (true) {
            const EntryRecord &r = records.at(chain.last());
            state[chain.last()] = 1;
            if (r.parentKey.isEmpty() || m_entryByKey.contains(r.parentKey))
                break;
            const qsizetype parent = indexByKey.value(r.parentKey, -1);
            if (parent < 0) {
                warn(r.line, tr("entry \"%1\" names a parent that is not in the file (%2)").arg(r.name, r.parentKey));
                break;
            }
            if (state.at(parent) == 1) {
                fail(r.line, tr("entry \"%1\" is its own ancestor").arg(r.name));
                broken = true;
                break;
            }
            if (state.at(parent) == 2) // written, but skipped for an error
                break;
            chain.append(parent);
        }
        for (qsizetype i = chain.size() - 1; i >= 0; --i) {
            const EntryRecord &r = records.at(chain.at(i));
            state[chain.at(i)] = 2;
            if (broken)
                continue;
            if (Status s = applyEntry(r, m_entryByKey.value(r.parentKey)); !s)
                return s;
            if (!tick())
                return {};
        }
    }
    return {};
}

} // namespace

// ---------------------------------------------------------------- summary

QJsonObject ImportCounts::toJson() const
{
    return QJsonObject{{QStringLiteral("added"), added}, {QStringLiteral("merged"), merged}, {QStringLiteral("unchanged"), unchanged}};
}

bool ImportSummary::hasErrors() const
{
    return Atlas::hasErrors(diagnostics);
}

QJsonObject ImportSummary::toJson() const
{
    QJsonArray list;
    for (const ImportDiagnostic &d : diagnostics)
        list.append(d.toJson());
    return QJsonObject{
        {QStringLiteral("batch"), batchId > 0 ? QJsonValue(batchId) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("written"), written},
        {QStringLiteral("dry_run"), dryRun},
        {QStringLiteral("cancelled"), cancelled},
        {QStringLiteral("added"), added()},
        {QStringLiteral("merged"), merged()},
        {QStringLiteral("skipped"), skipped},
        {QStringLiteral("conflicts"), conflicts},
        {QStringLiteral("documents"), documents.toJson()},
        {QStringLiteral("entries"), entries.toJson()},
        {QStringLiteral("taxonomy_nodes"), taxonomyNodes.toJson()},
        {QStringLiteral("classifications_added"), classificationsAdded},
        {QStringLiteral("tag_links_added"), tagLinksAdded},
        {QStringLiteral("provisional_nodes"), provisionalNodes},
        {QStringLiteral("diagnostics"), list},
    };
}

QString ImportSummary::text() const
{
    const auto counts = [](const ImportCounts &c) {
        return tr("%1 added, %2 merged, %3 unchanged").arg(c.added).arg(c.merged).arg(c.unchanged);
    };
    QStringList lines;
    if (documents.added + documents.merged + documents.unchanged > 0)
        lines.append(tr("documents: %1").arg(counts(documents)));
    if (entries.added + entries.merged + entries.unchanged > 0)
        lines.append(tr("entries: %1").arg(counts(entries)));
    if (taxonomyNodes.added + taxonomyNodes.merged + taxonomyNodes.unchanged > 0)
        lines.append(tr("taxonomy nodes: %1").arg(counts(taxonomyNodes)));
    QString extra = tr("classifications added: %1, tag links added: %2").arg(classificationsAdded).arg(tagLinksAdded);
    if (provisionalNodes > 0)
        extra += tr(", provisional taxonomy nodes: %1").arg(provisionalNodes);
    if (conflicts > 0)
        extra += tr(", conflicts: %1").arg(conflicts);
    if (skipped > 0)
        extra += tr(", skipped: %1").arg(skipped);
    lines.append(extra);
    if (cancelled)
        lines.append(tr("cancelled: nothing was written"));
    else if (dryRun)
        lines.append(tr("dry run: nothing was written"));
    else if (hasErrors() && !written)
        lines.append(tr("errors: nothing was written (use --skip-invalid to import the valid records)"));
    else if (!written)
        lines.append(tr("nothing changed: everything in the file is already in the library"));
    else
        lines.append(tr("written as import batch %1 (undo with: undo-import %1)").arg(batchId));
    return lines.join(QLatin1Char('\n'));
}

QJsonObject ImportBatch::toJson() const
{
    return QJsonObject{
        {QStringLiteral("id"), id},
        {QStringLiteral("file"), file},
        {QStringLiteral("format"), format},
        {QStringLiteral("sha256"), sha256},
        {QStringLiteral("mode"), mode},
        {QStringLiteral("started_at"), startedAt},
        {QStringLiteral("finished_at"), finishedAt},
        {QStringLiteral("status"), status},
        {QStringLiteral("added"), added},
        {QStringLiteral("merged"), merged},
        {QStringLiteral("skipped"), skipped},
        {QStringLiteral("counts"), counts},
        {QStringLiteral("diagnostics"), diagnostics},
    };
}

// ---------------------------------------------------------------- ImportWriter

ImportWriter::ImportWriter(Library &library) : m_library(&library) { }

ImportWriter::ImportWriter(QSqlDatabase db) : m_db(std::move(db)) { }

QSqlDatabase ImportWriter::database() const
{
    return m_library ? m_library->database() : m_db;
}

void ImportWriter::notifyChanged()
{
    if (m_library)
        m_library->notifyChanged();
}

Result<ImportSummary> ImportWriter::apply(const ParseResult &parsed, const ImportOptions &options)
{
    ImportSummary summary;
    summary.dryRun = options.dryRun;
    summary.skipped = parsed.skipped;
    summary.diagnostics = parsed.diagnostics;
    if (!options.skipInvalid && summary.hasErrors())
        return summary; // strict: an error in the file writes nothing

    const QSqlDatabase db = database();
    Sql::Transaction transaction(db);
    if (!transaction.isActive())
        return Error{transaction.error()};
    Apply apply(db, options, summary);
    if (Status s = apply.run(parsed.records); !s)
        return Error{s.error()};
    if (summary.cancelled)
        return summary;
    if (!options.skipInvalid && summary.hasErrors())
        return summary;
    const bool changed = summary.added() + summary.merged() + summary.classificationsAdded + summary.tagLinksAdded > 0;
    if (!changed || options.dryRun)
        return summary; // the transaction rolls back
    if (options.beforeCommit) {
        if (Status s = options.beforeCommit(db); !s)
            return Error{s.error()};
    }
    if (Status s = apply.indexAddedRows(); !s)
        return Error{s.error()};
    QJsonArray list;
    for (const ImportDiagnostic &d : std::as_const(summary.diagnostics))
        list.append(d.toJson());
    QJsonObject counts = summary.toJson();
    counts.remove(QStringLiteral("diagnostics"));
    counts.remove(QStringLiteral("batch"));
    counts.remove(QStringLiteral("written"));
    counts.remove(QStringLiteral("dry_run"));
    counts.remove(QStringLiteral("cancelled"));
    summary.batchId = apply.batchId();
    auto finished = Sql::exec(db, QStringLiteral("UPDATE import_batch SET finished_at = ?, counts = ?, diagnostics = ?, added = ?, merged = ?, skipped = ? WHERE id = ?"),
        {now(), compactJson(counts), compactJson(list), summary.added(), summary.merged(), summary.skipped, summary.batchId});
    if (!finished)
        return Error{finished.error()};
    if (Status s = transaction.commit(); !s)
        return Error{s.error()};
    summary.written = true;
    notifyChanged();
    return summary;
}

namespace
{

ImportBatch batchFrom(const QSqlQuery &q)
{
    ImportBatch b;
    b.id = q.value(0).toLongLong();
    b.file = q.value(1).toString();
    b.format = q.value(2).toString();
    b.sha256 = q.value(3).toString();
    b.mode = q.value(4).toString();
    b.startedAt = q.value(5).toString();
    b.finishedAt = q.value(6).toString();
    b.status = q.value(7).toString();
    b.added = q.value(8).toInt();
    b.merged = q.value(9).toInt();
    b.skipped = q.value(10).toInt();
    b.counts = parseObject(q.value(11).toString());
    b.diagnostics = parseArray(q.value(12).toString());
    return b;
}

const char *const batchColumns = "SELECT id, file, format, sha256, mode, started_at, finished_at, status, added, merged, skipped, counts, diagnostics FROM import_batch";

} // namespace

Result<QList<ImportBatch>> ImportWriter::batches() const
{
    auto rows = Sql::exec(database(), QLatin1String(batchColumns) + QStringLiteral(" ORDER BY id"));
    if (!rows)
        return Error{rows.error()};
    QList<ImportBatch> list;
    while (rows.value().next())
        list.append(batchFrom(rows.value()));
    return list;
}

Result<ImportBatch> ImportWriter::batch(qint64 id) const
{
    auto rows = Sql::exec(database(), QLatin1String(batchColumns) + QStringLiteral(" WHERE id = ?"), {id});
    if (!rows)
        return Error{rows.error()};
    if (!rows.value().next())
        return Error{tr("there is no import batch %1 (list them with: batches)").arg(id)};
    return batchFrom(rows.value());
}

Result<QString> ImportWriter::undo(qint64 batchId)
{
    auto found = batch(batchId);
    if (!found)
        return Error{found.error()};
    if (found->status == QLatin1String("undone"))
        return Error{tr("import batch %1 was undone already").arg(batchId)};
    const QSqlDatabase db = database();
    Sql::Transaction transaction(db);
    if (!transaction.isActive())
        return Error{transaction.error()};

    // 1. Restore what the batch merged, newest change first.
    auto changes = Sql::exec(db, QStringLiteral("SELECT table_name, row_id, before FROM import_change WHERE batch_id = ? ORDER BY id DESC"), {batchId});
    if (!changes)
        return Error{changes.error()};
    QList<std::tuple<QString, qint64, QJsonObject>> restores;
    while (changes.value().next())
        restores.append({changes.value().value(0).toString(), changes.value().value(1).toLongLong(), parseObject(changes.value().value(2).toString())});
    int restored = 0;
    for (const auto &[table, rowId, before] : restores) {
        const QStringList allowed = restorableColumns().value(table);
        QStringList assignments;
        QVariantList values;
        for (auto it = before.constBegin(); it != before.constEnd(); ++it) {
            if (!allowed.contains(it.key()))
                continue;
            assignments.append(it.key() + QStringLiteral(" = ?"));
            values.append(it.value().isNull() ? QVariant() : it.value().toVariant());
        }
        if (assignments.isEmpty())
            continue;
        values.append(rowId);
        auto updated = Sql::exec(db, QStringLiteral("UPDATE %1 SET %2 WHERE id = ?").arg(table, assignments.join(QLatin1String(", "))), values);
        if (!updated)
            return Error{updated.error()};
        restored += updated.value().numRowsAffected() > 0 ? 1 : 0;
    }

    // 2. Remove what it added: links first, then rows. Taxonomy nodes and tags other batches
    //    still use stay (they lose their batch).
    const QString statements[] = {
        QStringLiteral("DELETE FROM classification WHERE origin_batch_id = ?"),
        QStringLiteral("DELETE FROM document_classification WHERE origin_batch_id = ?"),
        QStringLiteral("DELETE FROM entry_tag WHERE origin_batch_id = ?"),
        QStringLiteral("DELETE FROM document_tag WHERE origin_batch_id = ?"),
        QStringLiteral("DELETE FROM entry_document WHERE origin_batch_id = ?"),
        QStringLiteral("DELETE FROM entry WHERE origin_batch_id = ?"),
        QStringLiteral("DELETE FROM document WHERE origin_batch_id = ?"),
    };
    int removed = 0;
    for (const QString &statement : statements) {
        auto deleted = Sql::exec(db, statement, {batchId});
        if (!deleted)
            return Error{deleted.error()};
        removed += deleted.value().numRowsAffected();
    }
    // Nodes: deepest first, only those nothing refers to any more.
    for (int pass = 0; pass < 64; ++pass) {
        auto deleted = Sql::exec(db, QStringLiteral(R"(
            DELETE FROM taxonomy_node WHERE origin_batch_id = ?
              AND NOT EXISTS (SELECT 1 FROM taxonomy_node c WHERE c.parent_id = taxonomy_node.id)
              AND NOT EXISTS (SELECT 1 FROM classification x WHERE x.node_id = taxonomy_node.id)
              AND NOT EXISTS (SELECT 1 FROM document_classification x WHERE x.node_id = taxonomy_node.id))"),
            {batchId});
        if (!deleted)
            return Error{deleted.error()};
        if (deleted.value().numRowsAffected() <= 0)
            break;
        removed += deleted.value().numRowsAffected();
    }
    for (int pass = 0; pass < 64; ++pass) {
        auto deleted = Sql::exec(db, QStringLiteral(R"(
            DELETE FROM tag WHERE origin_batch_id = ?
              AND NOT EXISTS (SELECT 1 FROM tag c WHERE c.parent_id = tag.id)
              AND NOT EXISTS (SELECT 1 FROM entry_tag x WHERE x.tag_id = tag.id)
              AND NOT EXISTS (SELECT 1 FROM document_tag x WHERE x.tag_id = tag.id))"),
            {batchId});
        if (!deleted)
            return Error{deleted.error()};
        if (deleted.value().numRowsAffected() <= 0)
            break;
    }
    const QString cleanup[] = {
        QStringLiteral("UPDATE taxonomy_node SET origin_batch_id = NULL WHERE origin_batch_id = ?"),
        QStringLiteral("UPDATE tag SET origin_batch_id = NULL WHERE origin_batch_id = ?"),
        QStringLiteral("DELETE FROM import_change WHERE batch_id = ?"),
    };
    for (const QString &statement : cleanup) {
        auto done = Sql::exec(db, statement, {batchId});
        if (!done)
            return Error{done.error()};
    }
    auto marked = Sql::exec(db, QStringLiteral("UPDATE import_batch SET status = 'undone', undone_at = ? WHERE id = ?"), {now(), batchId});
    if (!marked)
        return Error{marked.error()};
    if (Status s = transaction.commit(); !s)
        return Error{s.error()};
    notifyChanged();
    return tr("import batch %1 undone: %2 rows removed, %3 rows restored").arg(batchId).arg(removed).arg(restored);
}

} // namespace Atlas

#include "libraryjsonimporter.h"

#include "libraryjsonexporter.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace Atlas
{

namespace
{

QString tr(const char *text)
{
    return QCoreApplication::translate("LibraryJsonImporter", text);
}

QString text(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

QStringList strings(const QJsonValue &value)
{
    QStringList list;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &v : array) {
        if (v.isString())
            list.append(v.toString());
    }
    return list;
}

QList<QStringList> tagPaths(const QJsonValue &value)
{
    QList<QStringList> paths;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &v : array) {
        const QStringList path = strings(v);
        if (!path.isEmpty())
            paths.append(path);
    }
    return paths;
}

QList<ClassificationRecord> classifications(const QJsonValue &value)
{
    QList<ClassificationRecord> list;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &v : array) {
        const QJsonObject o = v.toObject();
        ClassificationRecord c;
        c.schemeKey = text(o, "scheme");
        c.code = text(o, "code");
        c.path = strings(o.value(QLatin1String("path")));
        c.assignedBy = text(o, "assigned_by");
        c.assignedByKind = text(o, "assigned_by_kind");
        c.assignedAt = text(o, "assigned_at");
        c.evidence = text(o, "evidence");
        if (o.value(QLatin1String("confidence")).isDouble())
            c.confidence = o.value(QLatin1String("confidence")).toDouble();
        if (!c.schemeKey.isEmpty() && (!c.code.isEmpty() || !c.path.isEmpty()))
            list.append(c);
    }
    return list;
}

// The line of `"key": "KEY"` in the text, for diagnostics; 0 if unknown.
// The line of each record's "key" member, found in one pass over the file (the first place a
// key appears wins), so diagnostics can name lines without searching the text per record.
class KeyLines
{
public:
    explicit KeyLines(const QString &text)
    {
        static const QString needle = QStringLiteral("\"key\": \"");
        int line = 1;
        qsizetype counted = 0;
        for (qsizetype at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.size())) {
            line += int(QStringView(text).mid(counted, at - counted).count(QLatin1Char('\n')));
            counted = at;
            const qsizetype start = at + needle.size();
            const qsizetype end = text.indexOf(QLatin1Char('"'), start);
            if (end < 0)
                break;
            const QString key = text.mid(start, end - start);
            if (!m_lines.contains(key))
                m_lines.insert(key, line);
        }
    }
    int lineOf(const QString &key) const { return m_lines.value(key, 0); }

private:
    QHash<QString, int> m_lines;
};

} // namespace

QString LibraryJsonImporter::displayName() const
{
    return tr("Mitigation Atlas library (JSON)");
}

int LibraryJsonImporter::sniff(QStringView head, const QString &) const
{
    static const QRegularExpression marker(QStringLiteral(R"re("format"\s*:\s*"mitigation-atlas-library")re"));
    return head.trimmed().startsWith(QLatin1Char('{')) && marker.matchView(head).hasMatch() ? 100 : 0;
}

ParseResult LibraryJsonImporter::parse(const QString &input, const QString &fileName, const ImportContext &) const
{
    ParseResult result;
    const auto error = [&](int line, const QString &message) {
        result.diagnostics.append(ImportDiagnostic{ImportDiagnostic::Severity::Error, fileName, line, message});
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(input.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // The offset counts UTF-8 bytes; the line is that of the byte.
        const QByteArray bytes = input.toUtf8().left(parseError.offset);
        error(int(bytes.count('\n')) + 1, tr("invalid JSON: %1").arg(parseError.errorString()));
        return result;
    }
    const KeyLines keyLines(input);
    const QJsonObject root = document.object();
    if (!document.isObject() || root.value(QLatin1String("format")).toString() != QLatin1String(LibraryJsonExporter::formatName)) {
        error(1, tr("not a Mitigation Atlas library: the \"format\" member must be \"%1\"").arg(QLatin1String(LibraryJsonExporter::formatName)));
        return result;
    }
    const int version = root.value(QLatin1String("version")).toInt();
    if (version < 1 || version > LibraryJsonExporter::formatVersion) {
        error(1, tr("library JSON version %1 is not supported (this version reads 1 to %2)").arg(version).arg(LibraryJsonExporter::formatVersion));
        return result;
    }

    const QJsonArray nodes = root.value(QLatin1String("taxonomy_nodes")).toArray();
    for (const QJsonValue &value : nodes) {
        const QJsonObject o = value.toObject();
        TaxonomyNodeRecord n;
        n.schemeKey = text(o, "scheme");
        n.code = text(o, "code");
        n.name = text(o, "name");
        n.parentCode = text(o, "parent_code");
        n.parentPath = strings(o.value(QLatin1String("parent_path")));
        n.description = text(o, "description");
        n.provisional = o.value(QLatin1String("provisional")).toBool();
        if (n.schemeKey.isEmpty() || n.name.trimmed().isEmpty()) {
            error(0, tr("a taxonomy node without scheme or name"));
            ++result.skipped;
            continue;
        }
        result.records.taxonomyNodes.append(n);
    }

    const QJsonArray documents = root.value(QLatin1String("documents")).toArray();
    for (const QJsonValue &value : documents) {
        const QJsonObject o = value.toObject();
        DocumentRecord d;
        d.key = text(o, "key");
        d.line = keyLines.lineOf(d.key);
        d.kind = text(o, "kind");
        d.title = text(o, "title");
        d.authors = strings(o.value(QLatin1String("authors")));
        if (o.value(QLatin1String("year")).isDouble())
            d.year = o.value(QLatin1String("year")).toInt();
        d.venue = text(o, "venue");
        d.doi = text(o, "doi");
        d.arxivId = text(o, "arxiv_id");
        d.url = text(o, "url");
        d.abstract = text(o, "abstract");
        d.citationKey = text(o, "citation_key");
        d.extra = o.value(QLatin1String("extra")).toObject();
        d.editedFields = strings(o.value(QLatin1String("edited_fields")));
        d.needsReview = o.value(QLatin1String("needs_review")).toBool();
        d.titleInferred = o.value(QLatin1String("title_inferred")).toBool();
        d.tags = tagPaths(o.value(QLatin1String("tags")));
        d.classifications = classifications(o.value(QLatin1String("classifications")));
        if (d.key.isEmpty() || (d.title.trimmed().isEmpty() && d.abstract.trimmed().isEmpty())) {
            error(d.line, tr("a document without key, or with neither title nor abstract"));
            ++result.skipped;
            continue;
        }
        result.records.documents.append(d);
    }

    const QJsonArray entries = root.value(QLatin1String("entries")).toArray();
    for (const QJsonValue &value : entries) {
        const QJsonObject o = value.toObject();
        EntryRecord e;
        e.key = text(o, "key");
        e.line = keyLines.lineOf(e.key);
        e.externalId = text(o, "external_id");
        e.name = text(o, "name");
        e.text = text(o, "text");
        e.reasoning = text(o, "reasoning");
        e.notes = text(o, "notes");
        e.parentKey = text(o, "parent");
        e.documentKey = text(o, "document");
        e.listingOnly = o.value(QLatin1String("listing_only")).toBool();
        e.needsReview = o.value(QLatin1String("needs_review")).toBool();
        e.extra = o.value(QLatin1String("extra")).toObject();
        e.editedFields = strings(o.value(QLatin1String("edited_fields")));
        e.tags = tagPaths(o.value(QLatin1String("tags")));
        e.classifications = classifications(o.value(QLatin1String("classifications")));
        const QJsonArray related = o.value(QLatin1String("related_documents")).toArray();
        for (const QJsonValue &link : related)
            e.relatedDocuments.append({text(link.toObject(), "document"), text(link.toObject(), "relation")});
        e.pluginLinks = o.value(QLatin1String("plugin_links")).toArray();
        if (e.name.trimmed().isEmpty()) {
            error(e.line, tr("an entry without a name"));
            ++result.skipped;
            continue;
        }
        result.records.entries.append(e);
    }
    result.records.batchHistory = root.value(QLatin1String("batches")).toArray();
    if (result.records.isEmpty() && result.diagnostics.isEmpty())
        result.diagnostics.append(ImportDiagnostic{ImportDiagnostic::Severity::Warning, fileName, 1, tr("the library holds no records")});
    return result;
}

} // namespace Atlas

#include "libraryjsonimporter.h"

#include "libraryjsonexporter.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

#include <functional>
#include <optional>

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


// The top level of a library JSON taken apart without parsing its record arrays: the other
// members parsed, and the text of each element of "taxonomy_nodes", "documents" and "entries",
// parsed one at a time as its record is made. Parsed whole, a 250 MB file (100k entries) took
// 1.5 GB and a third of the import. Anything unexpected (escapes or repeats in member names, a
// value that does not end where it should, text after the object) gives nothing, and the file is
// then parsed whole as before, which also names the line of an error.
struct SplitLibrary {
    QJsonObject root; // every member but the record arrays
    QHash<QString, QList<QStringView>> elements;
};

qsizetype skipSpace(QStringView text, qsizetype at)
{
    while (at < text.size() && (text[at] == u' ' || text[at] == u'\n' || text[at] == u'\t' || text[at] == u'\r'))
        ++at;
    return at;
}

// Just past the string whose opening quote is at `at`, or -1.
qsizetype stringEnd(QStringView text, qsizetype at)
{
    for (qsizetype i = at + 1; i < text.size(); ++i) {
        if (text[i] == u'\\')
            ++i;
        else if (text[i] == u'"')
            return i + 1;
    }
    return -1;
}

// Just past the value that starts at `at`, or -1. Brackets are counted, not matched: the value
// is parsed afterwards, which rejects what does not match.
qsizetype valueEnd(QStringView text, qsizetype at)
{
    if (at >= text.size())
        return -1;
    if (text[at] == u'"')
        return stringEnd(text, at);
    if (text[at] == u'{' || text[at] == u'[') {
        int depth = 0;
        for (qsizetype i = at; i < text.size(); ++i) {
            const QChar c = text[i];
            if (c == u'"') {
                i = stringEnd(text, i);
                if (i < 0)
                    return -1;
                --i;
            } else if (c == u'{' || c == u'[') {
                ++depth;
            } else if ((c == u'}' || c == u']') && --depth == 0) {
                return i + 1;
            }
        }
        return -1;
    }
    qsizetype i = at;
    while (i < text.size() && text[i] != u',' && text[i] != u'}' && text[i] != u']' && skipSpace(text, i) == i)
        ++i;
    return i > at ? i : -1;
}

std::optional<SplitLibrary> splitLibrary(QStringView text)
{
    static const QStringList recordArrays{QStringLiteral("taxonomy_nodes"), QStringLiteral("documents"), QStringLiteral("entries")};
    SplitLibrary split;
    QString others = QStringLiteral("{"); // the other members, parsed together at the end
    QSet<QStringView> seen;
    qsizetype at = skipSpace(text, 0);
    if (at >= text.size() || text[at] != u'{')
        return std::nullopt;
    at = skipSpace(text, at + 1);
    bool first = true;
    while (at < text.size() && text[at] != u'}') {
        if (!first) {
            if (text[at] != u',')
                return std::nullopt;
            at = skipSpace(text, at + 1);
        }
        first = false;
        if (at >= text.size() || text[at] != u'"')
            return std::nullopt;
        const qsizetype keyEnd = stringEnd(text, at);
        if (keyEnd < 0)
            return std::nullopt;
        const QStringView key = text.sliced(at + 1, keyEnd - at - 2);
        if (key.contains(u'\\') || seen.contains(key))
            return std::nullopt;
        seen.insert(key);
        at = skipSpace(text, keyEnd);
        if (at >= text.size() || text[at] != u':')
            return std::nullopt;
        at = skipSpace(text, at + 1);
        if (recordArrays.contains(key) && at < text.size() && text[at] == u'[') {
            QList<QStringView> &elements = split.elements[key.toString()];
            at = skipSpace(text, at + 1);
            while (at < text.size() && text[at] != u']') {
                if (!elements.isEmpty()) {
                    if (text[at] != u',')
                        return std::nullopt;
                    at = skipSpace(text, at + 1);
                }
                const qsizetype end = valueEnd(text, at);
                if (end < 0)
                    return std::nullopt;
                elements.append(text.sliced(at, end - at));
                at = skipSpace(text, end);
            }
            if (at >= text.size())
                return std::nullopt;
            at = skipSpace(text, at + 1);
            continue;
        }
        const qsizetype end = valueEnd(text, at);
        if (end < 0)
            return std::nullopt;
        if (others.size() > 1)
            others += u',';
        others += QLatin1Char('"');
        others += key;
        others += QLatin1String("\":");
        others += text.sliced(at, end - at);
        at = skipSpace(text, end);
    }
    if (at >= text.size() || skipSpace(text, at + 1) != text.size())
        return std::nullopt;
    others += u'}';
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(others.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    split.root = document.object();
    return split;
}

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

namespace
{

// Calls `record` with each object of the record array `key`, in order; false to give up.
using EachRecord = std::function<bool(const char *key, const std::function<void(const QJsonObject &)> &record)>;

// The records of a library whose top level is `root` and whose record arrays `each` reads.
ParseResult readRecords(const QJsonObject &root, const EachRecord &each, const QString &input, const QString &fileName, bool &complete)
{
    ParseResult result;
    const auto error = [&](int line, const QString &message) {
        result.diagnostics.append(ImportDiagnostic{ImportDiagnostic::Severity::Error, fileName, line, message});
    };
    complete = true;
    if (root.value(QLatin1String("format")).toString() != QLatin1String(LibraryJsonExporter::formatName)) {
        error(1, tr("not a Mitigation Atlas library: the \"format\" member must be \"%1\"").arg(QLatin1String(LibraryJsonExporter::formatName)));
        return result;
    }
    const int version = root.value(QLatin1String("version")).toInt();
    if (version < 1 || version > LibraryJsonExporter::formatVersion) {
        error(1, tr("library JSON version %1 is not supported (this version reads 1 to %2)").arg(version).arg(LibraryJsonExporter::formatVersion));
        return result;
    }

    const KeyLines keyLines(input);

    complete = each("taxonomy_nodes", [&](const QJsonObject &o) {
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
            return;
        }
        result.records.taxonomyNodes.append(std::move(n));
    }) && each("documents", [&](const QJsonObject &o) {
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
            return;
        }
        result.records.documents.append(std::move(d));
    }) && each("entries", [&](const QJsonObject &o) {
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
            return;
        }
        result.records.entries.append(std::move(e));
    });
    if (!complete)
        return result;
    result.records.batchHistory = root.value(QLatin1String("batches")).toArray();
    if (result.records.isEmpty() && result.diagnostics.isEmpty())
        result.diagnostics.append(ImportDiagnostic{ImportDiagnostic::Severity::Warning, fileName, 1, tr("the library holds no records")});
    return result;
}

} // namespace

ParseResult LibraryJsonImporter::parse(const QString &input, const QString &fileName, const ImportContext &) const
{
    bool complete = false;
    const std::optional<SplitLibrary> split = splitLibrary(input);
    // Only a library read this way; for anything else the whole parse below gives the messages.
    const auto isLibrary = [](const QJsonObject &root) {
        const int version = root.value(QLatin1String("version")).toInt();
        return root.value(QLatin1String("format")).toString() == QLatin1String(LibraryJsonExporter::formatName) && version >= 1
            && version <= LibraryJsonExporter::formatVersion;
    };
    if (split && isLibrary(split->root)) {
        const auto elements = [&](const char *key, const std::function<void(const QJsonObject &)> &record) {
            for (const QStringView element : split->elements.value(QLatin1String(key))) {
                QJsonParseError error;
                const QJsonDocument document = QJsonDocument::fromJson(element.toUtf8(), &error);
                if (error.error != QJsonParseError::NoError || !document.isObject())
                    return false; // the whole file is parsed below, to name the problem
                record(document.object());
            }
            return true;
        };
        ParseResult result = readRecords(split->root, elements, input, fileName, complete);
        if (complete)
            return result;
    }

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(input.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // The offset counts UTF-8 bytes; the line is that of the byte.
        ParseResult result;
        const QByteArray bytes = input.toUtf8().left(parseError.offset);
        result.diagnostics.append(ImportDiagnostic{ImportDiagnostic::Severity::Error, fileName, int(bytes.count('\n')) + 1,
                                                   tr("invalid JSON: %1").arg(parseError.errorString())});
        return result;
    }
    // A top level that is not an object has no "format": readRecords says so.
    const QJsonObject root = document.object();
    const auto arrays = [&](const char *key, const std::function<void(const QJsonObject &)> &record) {
        const QJsonArray array = root.value(QLatin1String(key)).toArray();
        for (const QJsonValue &value : array)
            record(value.toObject());
        return true;
    };
    return readRecords(root, arrays, input, fileName, complete);
}

} // namespace Atlas

#include "csljsonimporter.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

#include <cmath>
#include <optional>

using namespace Qt::StringLiterals;

namespace Atlas
{

namespace
{

QString tr(const char *text)
{
    return QCoreApplication::translate("CslJsonImporter", text);
}

struct KindMapping {
    const char *type;
    const char *kind;
    bool canonical; // the type a writer would choose for the kind: no need to keep it in extra
};

// CSL item types to document kinds. CSL's "article" is a preprint or working paper.
constexpr KindMapping kindMappings[] = {
    {"article-journal", "article", true},
    {"article-magazine", "article", false},
    {"article-newspaper", "article", false},
    {"paper-conference", "paper-conference", true},
    {"speech", "paper-conference", false},
    {"book", "book", true},
    {"chapter", "chapter", true},
    {"entry", "chapter", false},
    {"entry-encyclopedia", "chapter", false},
    {"entry-dictionary", "chapter", false},
    {"report", "report", true},
    {"standard", "report", false},
    {"thesis", "thesis", true},
    {"webpage", "web", true},
    {"post-weblog", "web", false},
    {"post", "web", false},
    {"article", "preprint", true},
    {"manuscript", "preprint", false},
    {"dataset", "dataset", true},
    {"software", "software", true},
};

// "a number", "an object": for messages.
QString jsonTypeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return u"a boolean"_s;
    case QJsonValue::Double:
        return u"a number"_s;
    case QJsonValue::String:
        return u"a string"_s;
    case QJsonValue::Array:
        return u"an array"_s;
    case QJsonValue::Object:
        return u"an object"_s;
    case QJsonValue::Undefined:
        break;
    }
    return u"nothing"_s;
}

// The first four-digit number that is not part of a longer one.
std::optional<int> yearIn(const QString &text)
{
    const qsizetype size = text.size();
    qsizetype i = 0;
    while (i < size) {
        if (!text.at(i).isDigit()) {
            ++i;
            continue;
        }
        qsizetype j = i;
        while (j < size && text.at(j).isDigit())
            ++j;
        if (j - i == 4)
            return text.mid(i, 4).toInt();
        i = j;
    }
    return std::nullopt;
}

// arXiv ids also hide in arXiv's own DOIs (10.48550/arXiv.2008.02275).
QString arxivIdIn(const QString &text)
{
    static const QRegularExpression arxivDoi(u"10\\.48550/arxiv\\.(\\d{4}\\.\\d{4,5})"_s, QRegularExpression::CaseInsensitiveOption);
    if (QString id = Records::arxivIdFrom(text); !id.isEmpty())
        return id;
    if (const auto m = arxivDoi.match(text); m.hasMatch())
        return m.captured(1);
    return {};
}

// The line on which each element of the root array starts. The text is valid JSON, so a flat
// scan that only tracks strings and depth is enough (and needs no recursion).
QList<int> elementLines(QStringView text)
{
    QList<int> lines;
    int line = 1;
    int depth = 0;
    bool inString = false;
    bool escape = false;
    bool expectValue = false;
    for (const QChar c : text) {
        if (c == u'\n')
            ++line;
        if (inString) {
            if (escape)
                escape = false;
            else if (c == u'\\')
                escape = true;
            else if (c == u'"')
                inString = false;
            continue;
        }
        if (c == u' ' || c == u'\t' || c == u'\n' || c == u'\r')
            continue;
        const bool start = depth == 1 && expectValue && c != u']' && c != u'}';
        if (start) {
            lines.append(line);
            expectValue = false;
        }
        if (c == u'"') {
            inString = true;
        } else if (c == u'[' || c == u'{') {
            ++depth;
            expectValue = depth == 1 && c == u'[';
        } else if (c == u']' || c == u'}') {
            --depth;
        } else if (c == u',' && depth == 1) {
            expectValue = true;
        }
    }
    return lines;
}

// The member names of the first item in `head` (the root object, or the first object of the root
// array), read as far as `head` goes. Empty when `head` does not start like that.
QSet<QString> firstItemKeys(QStringView head)
{
    QSet<QString> keys;
    qsizetype i = 0;
    const auto skipBlanks = [&] {
        while (i < head.size() && head.at(i).isSpace())
            ++i;
    };
    skipBlanks();
    if (i < head.size() && head.at(i) == u'[') {
        ++i;
        skipBlanks();
    }
    if (i >= head.size() || head.at(i) != u'{')
        return keys;
    ++i;
    int depth = 1;
    bool expectKey = true;
    while (i < head.size() && depth > 0) {
        const QChar c = head.at(i);
        if (c == u'"') {
            const qsizetype start = ++i;
            while (i < head.size() && head.at(i) != u'"')
                i += head.at(i) == u'\\' ? 2 : 1;
            if (depth == 1 && expectKey)
                keys.insert(head.mid(start, std::min(i, head.size()) - start).toString());
            expectKey = false;
        } else if (c == u'{' || c == u'[') {
            ++depth;
        } else if (c == u'}' || c == u']') {
            --depth;
        } else if (c == u',' && depth == 1) {
            expectKey = true;
        }
        ++i;
    }
    return keys;
}

class ItemReader
{
public:
    ItemReader(const QJsonObject &item, int line, const QString &fileName, ParseResult &result)
        : m_item(item)
        , m_line(line)
        , m_fileName(fileName)
        , m_result(result)
    {
    }

    std::optional<DocumentRecord> read(int index);

private:
    // The member as text: a string, a number, or the first string of an array (as Crossref writes
    // titles). Any other type is reported and read as empty.
    QString text(const char *key, bool markUsed = true);
    QStringList names(const char *key);
    std::optional<int> year();
    void warn(const QString &message);

    const QJsonObject &m_item;
    int m_line;
    const QString &m_fileName;
    ParseResult &m_result;
    QSet<QString> m_used;
};

void ItemReader::warn(const QString &message)
{
    m_result.diagnostics.append(ImportDiagnostic{ImportDiagnostic::Severity::Warning, m_fileName, m_line, message});
}

QString ItemReader::text(const char *key, bool markUsed)
{
    const QJsonValue value = m_item.value(QLatin1String(key));
    QString result;
    if (value.isString()) {
        result = value.toString().trimmed();
    } else if (value.isDouble()) {
        const double number = value.toDouble();
        const bool whole = std::abs(number) < 1e15 && number == std::trunc(number);
        result = whole ? QString::number(qint64(number)) : QString::number(number);
    } else if (value.isArray() && value.toArray().at(0).isString()) {
        result = value.toArray().at(0).toString().trimmed();
    } else if (!value.isUndefined() && !value.isNull()) {
        warn(tr("\"%1\" is %2, not text; it is ignored").arg(QLatin1String(key), jsonTypeName(value)));
        return {};
    }
    if (markUsed && !result.isEmpty())
        m_used.insert(QLatin1String(key));
    return result;
}

QStringList ItemReader::names(const char *key)
{
    QStringList list;
    const QJsonValue value = m_item.value(QLatin1String(key));
    if (value.isUndefined() || value.isNull())
        return list;
    if (!value.isArray()) {
        warn(tr("\"%1\" is %2, not a list of names; it is ignored").arg(QLatin1String(key), jsonTypeName(value)));
        return list;
    }
    bool reported = false;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &entry : array) {
        QString name;
        if (entry.isString()) {
            name = Records::normaliseAuthor(entry.toString());
        } else if (entry.isObject()) {
            const QJsonObject n = entry.toObject();
            const auto part = [&n](const char *member) {
                return n.value(QLatin1String(member)).toString().simplified();
            };
            const QString literal = part("literal");
            const QString family = QStringList{part("non-dropping-particle"), part("family")}.join(u' ').trimmed();
            const QString given = QStringList{part("given"), part("dropping-particle")}.join(u' ').trimmed();
            const QString suffix = part("suffix");
            if (!literal.isEmpty())
                name = literal;
            else if (family.isEmpty())
                name = given;
            else
                name = family + (given.isEmpty() ? QString() : ", "_L1 + given) + (suffix.isEmpty() ? QString() : ", "_L1 + suffix);
        }
        if (!name.isEmpty()) {
            list.append(name);
        } else if (!reported) {
            warn(tr("a name in \"%1\" could not be read (%2); it is ignored").arg(QLatin1String(key), jsonTypeName(entry)));
            reported = true;
        }
    }
    if (!list.isEmpty() && !reported)
        m_used.insert(QLatin1String(key));
    return list;
}

std::optional<int> ItemReader::year()
{
    const QJsonValue issued = m_item.value("issued"_L1);
    if (issued.isUndefined() || issued.isNull())
        return std::nullopt;
    std::optional<int> year;
    bool exact = false; // the value is nothing but the year: nothing to keep in extra
    if (issued.isObject()) {
        const QJsonObject o = issued.toObject();
        const QJsonValue parts = o.value("date-parts"_L1).toArray().at(0);
        if (parts.isArray()) {
            const QJsonValue y = parts.toArray().at(0);
            const int value = y.isString() ? y.toString().trimmed().toInt() : y.toInt();
            if (value > 0 && value < 10000)
                year = value;
            exact = parts.toArray().size() == 1 && o.size() == 1;
        }
        for (const QLatin1String member : {"raw"_L1, "literal"_L1}) {
            if (!year && o.value(member).isString()) {
                const QString raw = o.value(member).toString().trimmed();
                year = yearIn(raw);
                exact = year && o.size() == 1 && raw == QString::number(*year);
            }
        }
    } else if (issued.isString()) {
        year = yearIn(issued.toString());
        exact = year && issued.toString().trimmed() == QString::number(*year);
    } else if (issued.isDouble() && issued.toInt() > 0 && issued.toInt() < 10000) {
        year = issued.toInt();
        exact = true;
    }
    if (!year)
        warn(tr("no year could be read from \"issued\""));
    else if (exact)
        m_used.insert(u"issued"_s);
    return year;
}

std::optional<DocumentRecord> ItemReader::read(int index)
{
    DocumentRecord d;
    d.line = m_line;
    d.key = u"csl-%1"_s.arg(index + 1);

    const QString type = text("type", false);
    d.kind = u"misc"_s;
    for (const KindMapping &mapping : kindMappings) {
        if (type == QLatin1String(mapping.type)) {
            d.kind = QLatin1String(mapping.kind);
            if (mapping.canonical)
                m_used.insert(u"type"_s);
            break;
        }
    }
    if (type.isEmpty())
        warn(tr("the item has no \"type\"; it is read as a generic document"));

    d.title = text("title");
    if (d.title.isEmpty()) {
        m_result.diagnostics.append(ImportDiagnostic{ImportDiagnostic::Severity::Error, m_fileName, m_line, tr("the item has no title; it is skipped")});
        ++m_result.skipped;
        return std::nullopt;
    }

    d.authors = names("author");
    if (d.authors.isEmpty())
        d.authors = names("editor"); // an edited volume is known by its editors
    if (d.authors.isEmpty())
        warn(tr("the item has no authors"));

    d.year = year();
    if (!d.year && (m_item.value("issued"_L1).isUndefined() || m_item.value("issued"_L1).isNull()))
        warn(tr("the item has no year (\"issued\")"));

    d.venue = text("container-title");
    if (d.venue.isEmpty())
        d.venue = text("event-title");

    const QString doi = text("DOI", false);
    if (!doi.isEmpty()) {
        d.doi = Records::doiFrom(doi);
        if (d.doi.isEmpty())
            warn(tr("\"%1\" is not a DOI; it is kept as an extra field").arg(doi.left(200)));
        else
            m_used.insert(u"DOI"_s);
    }
    d.url = text("URL");
    if (d.doi.isEmpty() && d.url.contains("doi.org/"_L1, Qt::CaseInsensitive))
        d.doi = Records::doiFrom(d.url);

    // arXiv: the link, arXiv's DOI, or the number of an item archived at arXiv (Zotero writes
    // preprints as archive "arXiv", number "arXiv:2008.02275").
    d.arxivId = arxivIdIn(d.url);
    if (d.arxivId.isEmpty())
        d.arxivId = arxivIdIn(doi);
    const bool atArxiv = text("archive", false).contains("arxiv"_L1, Qt::CaseInsensitive)
        || text("publisher", false).contains("arxiv"_L1, Qt::CaseInsensitive);
    if (d.arxivId.isEmpty() && atArxiv) {
        static const QRegularExpression bare(u"^(\\d{4}\\.\\d{4,5}|[a-z\\-]+(?:\\.[A-Z]{2})?/\\d{7})(?:v\\d+)?$"_s);
        const QString number = text("number", false);
        d.arxivId = arxivIdIn(number);
        if (const auto m = bare.match(number); d.arxivId.isEmpty() && m.hasMatch())
            d.arxivId = m.captured(1);
    }
    for (const char *key : {"note", "container-title", "archive_location"}) {
        if (d.arxivId.isEmpty())
            d.arxivId = arxivIdIn(text(key, false));
    }

    d.abstract = text("abstract");

    const QJsonValue keywords = m_item.value("keyword"_L1);
    QStringList words;
    if (keywords.isString()) {
        static const QRegularExpression separator(u"[,;]"_s);
        words = keywords.toString().split(separator);
    } else if (keywords.isArray()) {
        const QJsonArray array = keywords.toArray();
        for (const QJsonValue &word : array)
            words.append(word.toString());
    } else if (!keywords.isUndefined() && !keywords.isNull()) {
        warn(tr("\"keyword\" is %1, not text; it is ignored").arg(jsonTypeName(keywords)));
    }
    QSet<QString> seen;
    for (QString word : std::as_const(words)) {
        word = word.replace(u'/', u'-').simplified();
        if (!word.isEmpty() && !seen.contains(word.toLower())) {
            seen.insert(word.toLower());
            d.tags.append(QStringList{word});
        }
    }
    if (!d.tags.isEmpty())
        m_used.insert(u"keyword"_s);

    d.citationKey = text("citation-key");
    if (d.citationKey.isEmpty())
        d.citationKey = text("id");

    for (auto it = m_item.begin(); it != m_item.end(); ++it) {
        if (!m_used.contains(it.key()) && !it.value().isNull())
            d.extra.insert(it.key(), it.value());
    }
    return d;
}

} // namespace

QString CslJsonImporter::displayName() const
{
    return tr("CSL-JSON (Zotero, pandoc)");
}

int CslJsonImporter::sniff(QStringView head, const QString &) const
{
    const QStringView start = head.trimmed();
    if (!start.startsWith(u'[') && !start.startsWith(u'{'))
        return 0;
    static const QRegularExpression libraryMarker(uR"re("format"\s*:\s*"mitigation-atlas-library")re"_s);
    if (start.startsWith(u'{') && libraryMarker.matchView(head).hasMatch())
        return 0;
    const QSet<QString> keys = firstItemKeys(start);
    const bool described = keys.contains(u"title"_s) || keys.contains(u"author"_s) || keys.contains(u"issued"_s);
    if (keys.contains(u"type"_s) && described)
        return 90;
    if (keys.contains(u"title"_s) && (keys.contains(u"author"_s) || keys.contains(u"issued"_s) || keys.contains(u"container-title"_s)))
        return 30;
    return 0;
}

ParseResult CslJsonImporter::parse(const QString &input, const QString &fileName, const ImportContext &) const
{
    ParseResult result;
    const auto report = [&](ImportDiagnostic::Severity severity, int line, const QString &message) {
        result.diagnostics.append(ImportDiagnostic{severity, fileName, line, message});
    };
    if (input.trimmed().isEmpty()) {
        report(ImportDiagnostic::Severity::Warning, 0, tr("the file is empty"));
        return result;
    }
    const QByteArray bytes = input.toUtf8();
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // The offset counts UTF-8 bytes; the line is that of the byte.
        const int line = int(bytes.left(parseError.offset).count('\n')) + 1;
        report(ImportDiagnostic::Severity::Error, line, tr("invalid JSON: %1").arg(parseError.errorString()));
        return result;
    }

    QJsonArray items;
    QList<int> lines;
    if (document.isArray()) {
        items = document.array();
        lines = elementLines(input);
    } else if (document.isObject()) {
        const QJsonObject root = document.object();
        if (root.value("format"_L1).toString() == "mitigation-atlas-library"_L1) {
            report(ImportDiagnostic::Severity::Error, 1, tr("this is a Mitigation Atlas library file, not CSL-JSON; import it as library-json"));
            return result;
        }
        items.append(root);
        lines.append(int(QStringView(input).left(input.indexOf(u'{')).count(u'\n')) + 1);
    } else {
        report(ImportDiagnostic::Severity::Error, 1, tr("CSL-JSON is an array of items; this file holds a single value"));
        return result;
    }
    if (items.isEmpty())
        report(ImportDiagnostic::Severity::Warning, 1, tr("the file holds no items"));

    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonValue value = items.at(i);
        const int line = int(i) < lines.size() ? lines.at(i) : 0;
        if (!value.isObject()) {
            report(ImportDiagnostic::Severity::Error, line, tr("item %1 is %2, not an object; it is skipped").arg(i + 1).arg(jsonTypeName(value)));
            ++result.skipped;
            continue;
        }
        const QJsonObject item = value.toObject();
        ItemReader reader(item, line, fileName, result);
        if (auto d = reader.read(int(i)))
            result.records.documents.append(std::move(*d));
    }
    return result;
}

} // namespace Atlas

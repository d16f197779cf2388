#include "risimporter.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace Atlas
{

namespace
{

QString tr(const char *text)
{
    return QCoreApplication::translate("RisImporter", text);
}

// Tags of the RIS specification and of common exports. A line that is almost a tag line is read
// as a tag (with a warning) only when it names one of these: "US -based" in an abstract is text.
const QSet<QString> &knownTags()
{
    static const QSet<QString> tags{
        u"TY"_s, u"ER"_s, u"ID"_s, u"TI"_s, u"T1"_s, u"T2"_s, u"T3"_s, u"TT"_s, u"ST"_s, u"BT"_s, u"CT"_s, u"JO"_s, u"JF"_s, u"JA"_s, u"J1"_s,
        u"J2"_s, u"AU"_s, u"A1"_s, u"A2"_s, u"A3"_s, u"A4"_s, u"ED"_s, u"PY"_s, u"Y1"_s, u"Y2"_s, u"DA"_s, u"DO"_s, u"UR"_s, u"L1"_s, u"L2"_s,
        u"L3"_s, u"L4"_s, u"LK"_s, u"AB"_s, u"N1"_s, u"N2"_s, u"M1"_s, u"M2"_s, u"M3"_s, u"KW"_s, u"SP"_s, u"EP"_s, u"VL"_s, u"IS"_s, u"CY"_s,
        u"PB"_s, u"SN"_s, u"AN"_s, u"DB"_s, u"DP"_s, u"LA"_s, u"CN"_s, u"CA"_s, u"ET"_s, u"LB"_s, u"NV"_s, u"OP"_s, u"RN"_s, u"RP"_s, u"SE"_s,
        u"AD"_s, u"AV"_s, u"C1"_s, u"C2"_s, u"C3"_s, u"C4"_s, u"C5"_s, u"C6"_s, u"C7"_s, u"C8"_s, u"U1"_s, u"U2"_s, u"U3"_s, u"U4"_s, u"U5"_s,
    };
    return tags;
}

struct KindMapping {
    const char *type;
    const char *kind;
    bool canonical; // the type a writer would choose for the kind: no need to keep it in extra
};

// RIS reference types (Zotero, EndNote, the RIS specification) to document kinds.
constexpr KindMapping kindMappings[] = {
    {"JOUR", "article", true},
    {"EJOUR", "article", false},
    {"JFULL", "article", false},
    {"INPR", "article", false},
    {"MGZN", "article", false},
    {"NEWS", "article", false},
    {"CONF", "paper-conference", true},
    {"CPAPER", "paper-conference", false},
    {"BOOK", "book", true},
    {"EBOOK", "book", false},
    {"EDBOOK", "book", false},
    {"CHAP", "chapter", true},
    {"ECHAP", "chapter", false},
    {"RPRT", "report", true},
    {"GOVDOC", "report", false},
    {"STAND", "report", false},
    {"THES", "thesis", true},
    {"ELEC", "web", true},
    {"WEB", "web", false},
    {"BLOG", "web", false},
    {"UNPB", "preprint", true},
    {"MANSCPT", "preprint", false},
    {"DATA", "dataset", true},
    {"COMP", "software", true},
    {"GEN", "misc", true},
};

enum class TagMatch { None, Strict, Loose };

struct TagLine {
    TagMatch match = TagMatch::None;
    QString tag;
    QString value;
};

bool isSpace(QChar c)
{
    return c == u' ' || c == u'\t';
}

bool isUpper(QChar c)
{
    return c >= u'A' && c <= u'Z';
}

// "XX  - value" is Strict; one space, a missing value or a missing space after the dash are
// tolerated. Leading blanks, a tab, no space before the dash or none after it make a Loose match.
TagLine readTag(QStringView line)
{
    const qsizetype size = line.size();
    qsizetype i = 0;
    while (i < size && isSpace(line.at(i)))
        ++i;
    const qsizetype lead = i;
    if (i + 2 > size || !isUpper(line.at(i)) || !(isUpper(line.at(i + 1)) || line.at(i + 1).isDigit()))
        return {};
    const QString tag = line.mid(i, 2).toString();
    i += 2;
    const qsizetype blankStart = i;
    bool tab = false;
    while (i < size && isSpace(line.at(i))) {
        tab = tab || line.at(i) == u'\t';
        ++i;
    }
    const qsizetype blanks = i - blankStart;
    if (i >= size || line.at(i) != u'-')
        return {};
    ++i;
    const bool blankAfter = i >= size || isSpace(line.at(i));
    TagLine result{TagMatch::None, tag, line.mid(i).trimmed().toString()};
    if (lead == 0 && !tab && (blanks == 1 || blanks == 2) && blankAfter)
        result.match = TagMatch::Strict;
    else if (blankAfter || (lead == 0 && blanks > 0))
        result.match = TagMatch::Loose;
    return result;
}

struct Field {
    QString tag;
    QString value;
    int line = 0;
    bool used = false;
};

struct RawRecord {
    int line = 0;
    QList<Field> fields;
};

// The first four-digit number that is not part of a longer one.
std::optional<int> yearIn(const QString &text, qsizetype *end = nullptr)
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
        if (j - i == 4) {
            if (end)
                *end = j;
            return text.mid(i, 4).toInt();
        }
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

// "National Institute of Standards and Technology": RIS has no mark for a corporate name, so one
// with a joining word is kept whole instead of being turned into "Technology, National ...".
QString authorName(const QString &value)
{
    static const QSet<QString> joiners{u"and"_s, u"of"_s, u"for"_s, u"the"_s, u"on"_s, u"&"_s, u"und"_s, u"für"_s, u"et"_s};
    if (!value.contains(u',')) {
        const QStringList words = value.simplified().split(u' ');
        for (const QString &word : words) {
            if (joiners.contains(word.toLower()))
                return value.simplified();
        }
    }
    return Records::normaliseAuthor(value);
}

class RecordReader
{
public:
    RecordReader(RawRecord &raw, const QString &fileName, ParseResult &result)
        : m_raw(raw)
        , m_fileName(fileName)
        , m_result(result)
    {
    }

    // The document of the record, or nothing when the record is dropped (an error is reported).
    std::optional<DocumentRecord> read();

private:
    // The first non-empty value of the first of `tags` that has one; fields holding that same
    // value under any of the tags are used up.
    QString first(std::initializer_list<QLatin1String> tags, bool markUsed = true);
    // Every non-empty value of `tags`, in file order, all used up.
    QStringList all(std::initializer_list<QLatin1String> tags);
    void warn(int line, const QString &message);

    RawRecord &m_raw;
    const QString &m_fileName;
    ParseResult &m_result;
};

void RecordReader::warn(int line, const QString &message)
{
    m_result.diagnostics.append(ImportDiagnostic{ImportDiagnostic::Severity::Warning, m_fileName, line, message});
}

QString RecordReader::first(std::initializer_list<QLatin1String> tags, bool markUsed)
{
    QString value;
    for (const QLatin1String tag : tags) {
        for (const Field &f : std::as_const(m_raw.fields)) {
            if (f.tag == tag && !f.value.isEmpty()) {
                value = f.value;
                break;
            }
        }
        if (!value.isEmpty())
            break;
    }
    if (markUsed && !value.isEmpty()) {
        for (Field &f : m_raw.fields) {
            if (f.value == value && std::find(tags.begin(), tags.end(), f.tag) != tags.end())
                f.used = true;
        }
    }
    return value;
}

QStringList RecordReader::all(std::initializer_list<QLatin1String> tags)
{
    QStringList values;
    for (Field &f : m_raw.fields) {
        if (std::find(tags.begin(), tags.end(), f.tag) == tags.end())
            continue;
        f.used = true;
        if (!f.value.isEmpty())
            values.append(f.value);
    }
    return values;
}

std::optional<DocumentRecord> RecordReader::read()
{
    DocumentRecord d;
    d.line = m_raw.line;
    d.key = u"ris-%1"_s.arg(m_raw.line);

    const QString type = first({"TY"_L1}, false).toUpper();
    bool keepType = true;
    d.kind = u"misc"_s;
    for (const KindMapping &mapping : kindMappings) {
        if (type == QLatin1String(mapping.type)) {
            d.kind = QLatin1String(mapping.kind);
            keepType = !mapping.canonical;
            break;
        }
    }
    for (Field &f : m_raw.fields) {
        if (f.tag == "TY"_L1)
            f.used = !keepType;
    }
    if (type.isEmpty())
        warn(m_raw.line, tr("the record has no reference type (TY); it is read as a generic document"));

    d.title = first({"TI"_L1, "T1"_L1});
    const bool bookTitle = d.title.isEmpty() && (d.kind == "book"_L1) && !first({"BT"_L1}, false).isEmpty();
    if (bookTitle)
        d.title = first({"BT"_L1});
    if (d.title.isEmpty()) {
        m_result.diagnostics.append(ImportDiagnostic{ImportDiagnostic::Severity::Error, m_fileName, m_raw.line,
                                                     tr("the record has no title (TI or T1); it is skipped")});
        ++m_result.skipped;
        return std::nullopt;
    }

    for (const QString &author : all({"AU"_L1, "A1"_L1})) {
        const QString name = authorName(author);
        if (!name.isEmpty())
            d.authors.append(name);
    }
    if (d.authors.isEmpty())
        warn(m_raw.line, tr("the record has no authors (AU or A1)"));

    for (const QLatin1String tag : {"PY"_L1, "Y1"_L1, "DA"_L1}) {
        for (Field &f : m_raw.fields) {
            if (f.tag != tag)
                continue;
            qsizetype end = 0;
            if (const auto year = yearIn(f.value, &end)) {
                d.year = year;
                // Keep a full date ("2023/05/12") in extra; a bare year ("2023///") is used up.
                bool moreDigits = false;
                for (qsizetype i = end; i < f.value.size() && !moreDigits; ++i)
                    moreDigits = f.value.at(i).isDigit();
                f.used = !moreDigits;
                break;
            }
        }
        if (d.year)
            break;
    }
    if (!d.year)
        warn(m_raw.line, tr("the record has no year (PY, Y1 or DA)"));

    for (Field &f : m_raw.fields) {
        if (f.tag != "DO"_L1 || f.value.isEmpty())
            continue;
        const QString doi = Records::doiFrom(f.value);
        if (doi.isEmpty()) {
            warn(f.line, tr("\"%1\" is not a DOI; it is kept as an extra field").arg(f.value.left(200)));
            continue;
        }
        if (d.doi.isEmpty() || d.doi == doi) {
            d.doi = doi;
            f.used = true;
        }
    }

    // The first link is the document's URL; further links stay in extra.
    for (Field &f : m_raw.fields) {
        if (f.tag == "UR"_L1 && !f.value.isEmpty()) {
            d.url = f.value;
            f.used = true;
            break;
        }
    }
    for (const Field &f : std::as_const(m_raw.fields)) {
        if (!d.doi.isEmpty())
            break;
        if (f.tag == "UR"_L1 && f.value.contains("doi.org/"_L1, Qt::CaseInsensitive))
            d.doi = Records::doiFrom(f.value);
    }
    // Links, arXiv's DOIs and the notes where Zotero writes "arXiv:2008.02275 [cs]".
    static const QStringList arxivTags{u"UR"_s, u"L1"_s, u"L2"_s, u"L4"_s, u"DO"_s, u"M3"_s, u"N1"_s, u"AN"_s, u"T2"_s, u"JO"_s, u"JF"_s};
    for (const QString &tag : arxivTags) {
        for (const Field &f : std::as_const(m_raw.fields)) {
            if (f.tag == tag && d.arxivId.isEmpty())
                d.arxivId = arxivIdIn(f.value);
        }
    }
    if (d.kind == "misc"_L1 && !d.arxivId.isEmpty())
        d.kind = u"preprint"_s;

    QStringList abstracts;
    for (const QString &text : all({"AB"_L1, "N2"_L1})) {
        if (!abstracts.contains(text))
            abstracts.append(text);
    }
    d.abstract = abstracts.join("\n\n"_L1);

    QSet<QString> seenTags;
    for (QString keyword : all({"KW"_L1})) {
        keyword = keyword.replace(u'/', u'-').simplified();
        if (!keyword.isEmpty() && !seenTags.contains(keyword.toLower())) {
            seenTags.insert(keyword.toLower());
            d.tags.append(QStringList{keyword});
        }
    }

    d.citationKey = first({"ID"_L1});
    if (!bookTitle)
        d.venue = first({"T2"_L1, "JF"_L1, "JO"_L1, "BT"_L1, "J2"_L1, "JA"_L1, "T3"_L1});
    else
        d.venue = first({"T2"_L1, "T3"_L1});

    // Everything else, by tag: a string, or an array when the tag repeats.
    QHash<QString, QStringList> rest;
    for (const Field &f : std::as_const(m_raw.fields)) {
        if (!f.used && !f.value.isEmpty())
            rest[f.tag].append(f.value);
    }
    for (auto it = rest.cbegin(); it != rest.cend(); ++it)
        d.extra.insert(it.key(), it.value().size() == 1 ? QJsonValue(it.value().first()) : QJsonValue(QJsonArray::fromStringList(it.value())));
    return d;
}

} // namespace

QString RisImporter::displayName() const
{
    return tr("RIS (Zotero, EndNote, digital libraries)");
}

int RisImporter::sniff(QStringView head, const QString &) const
{
    // The first non-empty line opens a record; a few lines of preamble are tolerated.
    qsizetype pos = 0;
    int nonEmpty = 0;
    while (pos < head.size() && nonEmpty < 8) {
        qsizetype end = head.indexOf(u'\n', pos);
        if (end < 0)
            end = head.size();
        const QStringView line = head.mid(pos, end - pos).trimmed();
        pos = end + 1;
        if (line.isEmpty())
            continue;
        const TagLine tag = readTag(line);
        if (tag.tag == "TY"_L1 && tag.match == TagMatch::Strict && !tag.value.isEmpty())
            return nonEmpty == 0 ? 95 : 60;
        ++nonEmpty;
    }
    return 0;
}

ParseResult RisImporter::parse(const QString &text, const QString &fileName, const ImportContext &) const
{
    ParseResult result;
    const auto report = [&](ImportDiagnostic::Severity severity, int line, const QString &message) {
        result.diagnostics.append(ImportDiagnostic{severity, fileName, line, message});
    };
    if (text.trimmed().isEmpty()) {
        report(ImportDiagnostic::Severity::Warning, 0, tr("the file is empty"));
        return result;
    }

    QList<RawRecord> records;
    std::optional<RawRecord> current;
    bool strayTags = false; // inside tag lines that no TY opened, up to the next ER or TY
    bool strayText = false; // text outside a record was reported since the last record
    bool paragraphBreak = false; // a blank line inside a record, before a continuation line

    const QStringView all(text);
    qsizetype pos = 0;
    int lineNo = 0;
    while (pos < all.size()) {
        qsizetype end = all.indexOf(u'\n', pos);
        if (end < 0)
            end = all.size();
        const QStringView line = all.mid(pos, end - pos);
        pos = end + 1;
        ++lineNo;

        if (line.trimmed().isEmpty()) {
            paragraphBreak = current.has_value();
            continue;
        }
        TagLine tag = readTag(line);
        if (tag.match == TagMatch::Loose && !knownTags().contains(tag.tag))
            tag.match = TagMatch::None;

        if (tag.match == TagMatch::None) {
            if (current && !current->fields.isEmpty()) {
                Field &last = current->fields.last();
                const QStringView more = line.trimmed();
                if (last.value.isEmpty())
                    last.value = more.toString();
                else if (paragraphBreak && (last.tag == "AB"_L1 || last.tag == "N2"_L1 || last.tag == "N1"_L1))
                    last.value += "\n\n"_L1 + more;
                else
                    last.value += u' ' + more;
            } else if (!strayTags && !strayText) {
                report(ImportDiagnostic::Severity::Warning, lineNo, tr("text outside a record (before TY or after ER) is ignored"));
                strayText = true;
            }
            paragraphBreak = false;
            continue;
        }
        paragraphBreak = false;

        if (tag.match == TagMatch::Loose)
            report(ImportDiagnostic::Severity::Warning, lineNo,
                   tr("a malformed tag line (a tag line reads \"%1  - value\"); it is read as %1").arg(tag.tag));

        if (tag.tag == "TY"_L1) {
            if (current) {
                report(ImportDiagnostic::Severity::Error, current->line,
                       tr("the record has no ER before the next TY on line %1; it is skipped").arg(lineNo));
                ++result.skipped;
            }
            current = RawRecord{lineNo, {}};
            strayTags = false;
            strayText = false;
        } else if (tag.tag == "ER"_L1) {
            if (current)
                records.append(std::move(*current));
            else if (!strayTags)
                report(ImportDiagnostic::Severity::Warning, lineNo, tr("an ER with no record open; it is ignored"));
            current.reset();
            strayTags = false;
            continue;
        }
        if (current) {
            current->fields.append(Field{tag.tag, tag.value, lineNo});
        } else if (!strayTags) {
            report(ImportDiagnostic::Severity::Error, lineNo,
                   tr("the tag %1 is outside a record (no TY opened one); the lines up to the next ER are skipped").arg(tag.tag));
            ++result.skipped;
            strayTags = true;
        }
    }
    if (current) {
        report(ImportDiagnostic::Severity::Error, current->line, tr("the record has no ER: the file ends inside it (truncated?); it is skipped"));
        ++result.skipped;
    }

    for (RawRecord &raw : records) {
        RecordReader reader(raw, fileName, result);
        if (auto document = reader.read())
            result.records.documents.append(std::move(*document));
    }
    if (records.isEmpty() && result.skipped == 0)
        report(ImportDiagnostic::Severity::Warning, 0, tr("the file holds no RIS records (TY  - ... ER  -)"));
    std::stable_sort(result.diagnostics.begin(), result.diagnostics.end(), [](const ImportDiagnostic &a, const ImportDiagnostic &b) {
        return a.line < b.line;
    });
    return result;
}

} // namespace Atlas

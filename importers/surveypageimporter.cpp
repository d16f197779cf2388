#include "surveypageimporter.h"

#include "abstractlistimporter.h"

#include <QCoreApplication>
#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <array>

using namespace Qt::StringLiterals;

namespace Atlas
{

namespace
{

QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("SurveyPageImporter", text, nullptr, n);
}

constexpr auto MitigationScheme = "mit-mitigation-v2";
constexpr auto RiskScheme = "llm-safety-survey";
// The three name/description pairs at the end of a page, in the order the page shows them.
constexpr std::array<const char *, 3> DimensionSchemes{"lifecycle", "actor", "nist-ai-rmf"};
constexpr std::array<const char *, 2> BannerPrefixes{"This page is still being polished", "Data on this page is preliminary"};
constexpr auto PathSeparator = " > ";
// A code name is a short title ("Testing & Evaluation"); longer text after a number is prose.
constexpr qsizetype MaxCodeNameWords = 6;
// A line of more words than this is a passage, never an item name or a heading.
constexpr qsizetype MaxNameWords = 20;
// A code's description is one sentence; a longer first line is the passage.
constexpr qsizetype MaxDescriptionWords = 40;

struct Line {
    int number = 0;
    QString text;
};

bool isBanner(const QString &line)
{
    return std::any_of(BannerPrefixes.cbegin(), BannerPrefixes.cend(), [&](const char *prefix) {
        return line.startsWith(QLatin1String(prefix));
    });
}

bool isReasoningMarker(QStringView line)
{
    return line.trimmed().compare(u"Reasoning", Qt::CaseInsensitive) == 0;
}

// Passage text rather than a name: long, or written as sentences.
bool isProse(const QString &line)
{
    if (line.count(u' ') + 1 > MaxNameWords)
        return true;
    return line.endsWith(u'.') || line.endsWith(u'?') || line.endsWith(u'!') || line.contains(u". "_s);
}

// "Shi, Dan; Shen, Tianhao (2024)": a list of "Family, Given" names (or one literal name)
// followed by the year in parentheses.
struct Authors {
    QStringList names;
    int year = 0;
};

std::optional<Authors> readAuthors(const QString &line)
{
    static const QRegularExpression pattern(u"^(.+?)\\s*\\((\\d{4})\\)$"_s);
    const QRegularExpressionMatch m = pattern.match(line);
    if (!m.hasMatch() || line.size() > 5000)
        return std::nullopt;
    Authors authors;
    authors.year = m.captured(2).toInt();
    const QStringList parts = m.captured(1).split(u';', Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        const QString name = part.trimmed();
        // Each name is "Family, Given" or a short literal name; anything else is prose.
        if (name.isEmpty() || name.count(u',') > 1 || name.count(u' ') > 5 || name.endsWith(u'.'))
            return std::nullopt;
        authors.names.append(Records::normaliseAuthor(name));
    }
    if (authors.names.isEmpty() || (authors.names.size() == 1 && !parts.first().contains(u',')))
        return std::nullopt;
    return authors;
}

QString simplifiedKey(const QString &text)
{
    return text.simplified().toCaseFolded();
}

QString pathKey(const QStringList &path)
{
    return u"path:"_s + simplifiedKey(path.join(QLatin1String(PathSeparator)));
}

QStringList splitPath(const QString &name)
{
    QStringList path;
    for (const QString &part : name.split(QLatin1String(PathSeparator))) {
        const QString segment = part.simplified();
        if (!segment.isEmpty())
            path.append(segment);
    }
    return path;
}

// An item of the page's list: a sub-entry of the page's entry, or another mitigation of the same
// document, named by its risk path.
struct Item {
    int line = 0;
    QString name;
    QStringList text;
    std::optional<SurveyPageImporter::GluedCode> code;
    int codeLine = 0;
};

ClassificationRecord mitigationCode(const SurveyPageImporter::GluedCode &code, const QString &evidence = {})
{
    ClassificationRecord c;
    c.schemeKey = QLatin1String(MitigationScheme);
    c.code = code.code;
    c.name = code.name;
    c.evidence = evidence;
    return c;
}

ClassificationRecord riskPath(const QStringList &path)
{
    ClassificationRecord c;
    c.schemeKey = QLatin1String(RiskScheme);
    c.path = path;
    return c;
}

class PageParser
{
public:
    PageParser(const QString &fileName, const ImportContext &context)
        : m_file(fileName)
        , m_context(context)
        , m_codeNames(context.codeNames.value(QLatin1String(MitigationScheme)))
    {
    }

    ParseResult parse(const QString &text);

private:
    void warn(int line, const QString &message)
    {
        m_result.diagnostics.append(ImportDiagnostic{ImportDiagnostic::Severity::Warning, m_file, line, message});
    }
    void error(int line, const QString &message)
    {
        m_result.diagnostics.append(ImportDiagnostic{ImportDiagnostic::Severity::Error, m_file, line, message});
    }

    std::optional<SurveyPageImporter::GluedCode> codeOf(const Line &line);
    QString codeForDescription(const QString &description) const;
    void readHead(qsizetype end);
    void readList(qsizetype begin, qsizetype end, bool documentFollows);
    void readDocument(qsizetype authorsAt);
    void readDimensions(qsizetype begin);
    QString ensurePath(const QStringList &path, int line);
    void buildRecords();

    QString m_file;
    const ImportContext &m_context;
    QHash<QString, QString> m_codeNames;
    ParseResult m_result;
    QList<Line> m_lines;

    // What the page holds.
    int m_descriptionLine = 0;
    QString m_ownCode;
    QString m_alsoIn;
    QList<Line> m_passage;
    QString m_reasoning;
    QStringList m_heading;
    int m_headingLine = 0;
    QList<Item> m_items;
    std::optional<Line> m_title;
    std::optional<Authors> m_authors;
    int m_authorsLine = 0;
    QStringList m_abstract;
    QList<std::pair<QString, Line>> m_dimensions; // scheme key, value line

    QHash<QString, EntryRecord> m_byPath; // pathKey -> listing record, kept in m_pathOrder
    QStringList m_pathOrder;
};

std::optional<SurveyPageImporter::GluedCode> PageParser::codeOf(const Line &line)
{
    auto code = SurveyPageImporter::splitGluedCode(line.text, m_codeNames);
    if (!code)
        return code;
    if (!code->known) {
        if (m_codeNames.contains(code->code))
            warn(line.number, tr("the page names code %1 \"%2\"; the taxonomy calls it \"%3\"").arg(code->code, code->name, m_codeNames.value(code->code)));
        else
            warn(line.number,
                 tr("code %1 \"%2\" is not in the mitigation taxonomy; it is added as a provisional node").arg(code->code, code->name));
    }
    return code;
}

QString PageParser::codeForDescription(const QString &description) const
{
    const QString key = simplifiedKey(description);
    const QHash<QString, QString> descriptions = m_context.codeDescriptions.value(QLatin1String(MitigationScheme));
    QString found;
    for (auto it = descriptions.cbegin(); it != descriptions.cend(); ++it) {
        if (simplifiedKey(it.value()) != key)
            continue;
        // Two codes with one description: the more specific one is what a page shows.
        if (found.isEmpty() || it.key().size() > found.size())
            found = it.key();
    }
    return found;
}

ParseResult PageParser::parse(const QString &text)
{
    // Lines, without banners and blank lines; numbers stay those of the file.
    qsizetype start = 0;
    for (int number = 1; start <= text.size(); ++number) {
        qsizetype end = text.indexOf(u'\n', start);
        if (end < 0)
            end = text.size();
        const QString line = QStringView(text).mid(start, end - start).trimmed().toString();
        start = end + 1;
        if (line.isEmpty() || isBanner(line))
            continue;
        m_lines.append(Line{number, line});
    }

    qsizetype reasoningAt = -1;
    for (qsizetype i = 0; i < m_lines.size() && reasoningAt < 0; ++i) {
        if (isReasoningMarker(m_lines.at(i).text))
            reasoningAt = i;
    }
    qsizetype authorsAt = -1;
    for (qsizetype i = std::max<qsizetype>(reasoningAt, 0); i < m_lines.size() && authorsAt < 0; ++i) {
        if (i > 0 && readAuthors(m_lines.at(i).text))
            authorsAt = i;
    }
    bool anyCode = false;
    for (const Line &line : std::as_const(m_lines))
        anyCode = anyCode || SurveyPageImporter::splitGluedCode(line.text, m_codeNames).has_value();
    if (reasoningAt < 0 && authorsAt < 0 && !anyCode) {
        error(m_lines.isEmpty() ? 0 : m_lines.first().number,
              tr("this is not a survey entry page: it has no \"Reasoning\" line, no coded list items and no source document"));
        return std::move(m_result);
    }

    const qsizetype listEnd = authorsAt >= 0 ? authorsAt : m_lines.size();
    qsizetype listBegin = 0;
    if (reasoningAt >= 0) {
        readHead(reasoningAt);
        if (reasoningAt + 1 < listEnd) {
            m_reasoning = m_lines.at(reasoningAt + 1).text;
            listBegin = reasoningAt + 2;
        } else {
            warn(m_lines.at(reasoningAt).number, tr("\"Reasoning\" is not followed by the classifier's rationale"));
            listBegin = reasoningAt + 1;
        }
    } else {
        // Without the marker the passage is the prose that follows the code's description.
        qsizetype headEnd = 0;
        if (!m_lines.isEmpty() && !codeForDescription(m_lines.first().text).isEmpty())
            headEnd = 1;
        if (headEnd < listEnd && m_lines.at(headEnd).text.startsWith(u"Also in "_s))
            ++headEnd;
        while (headEnd < listEnd && isProse(m_lines.at(headEnd).text) && !SurveyPageImporter::splitGluedCode(m_lines.at(headEnd).text, m_codeNames))
            ++headEnd;
        readHead(headEnd);
        warn(m_lines.isEmpty() ? 0 : m_lines.first().number, tr("no \"Reasoning\" line: the entry has no classifier rationale"));
        listBegin = headEnd;
    }
    readList(listBegin, listEnd, authorsAt >= 0);
    if (authorsAt >= 0) {
        readDocument(authorsAt);
    } else {
        warn(m_lines.isEmpty() ? 0 : m_lines.last().number, tr("no source document (a line of authors with the year in parentheses)"));
    }
    buildRecords();
    return std::move(m_result);
}

void PageParser::readHead(qsizetype end)
{
    qsizetype i = 0;
    if (i < end) {
        // The description of the entry's code; one the taxonomy does not know is still told from
        // the passage by an "Also in" line after it, or by being one short sentence.
        const Line &first = m_lines.at(i);
        m_ownCode = codeForDescription(first.text);
        const bool alsoInFollows = i + 1 < end && m_lines.at(i + 1).text.startsWith(u"Also in "_s);
        if (!m_ownCode.isEmpty()) {
            m_descriptionLine = first.number;
            ++i;
        } else if (alsoInFollows || first.text.count(u' ') + 1 <= MaxDescriptionWords) {
            m_descriptionLine = first.number;
            warn(first.number, tr("the mitigation-type description \"%1\" matches no code of the taxonomy; the entry is left without one")
                                   .arg(first.text.left(120)));
            ++i;
        } else {
            warn(first.number, tr("the page does not start with the description of a mitigation type; the entry is left without one"));
        }
    }
    if (i < end && m_lines.at(i).text.startsWith(u"Also in "_s)) {
        m_alsoIn = m_lines.at(i).text.mid(8).trimmed();
        ++i;
    }
    for (; i < end; ++i)
        m_passage.append(m_lines.at(i));
}

void PageParser::readList(qsizetype begin, qsizetype end, bool documentFollows)
{
    QList<Line> lead; // plain lines before the first code: heading, first item's name and text
    std::optional<Item> current;
    bool headingRead = false;
    const auto resolveLead = [&]() -> std::optional<Item> {
        if (lead.isEmpty())
            return std::nullopt;
        // The trailing run of prose is the first item's text; the line before it its name; any
        // lines before that are the entry's heading.
        qsizetype textStart = lead.size();
        while (textStart > 0 && isProse(lead.at(textStart - 1).text))
            --textStart;
        if (textStart == 0) {
            warn(lead.first().number, tr("a list item has text but no name; its first line is taken as its name"));
            textStart = 1;
        }
        Item item;
        item.line = lead.at(textStart - 1).number;
        item.name = lead.at(textStart - 1).text;
        for (qsizetype i = textStart; i < lead.size(); ++i)
            item.text.append(lead.at(i).text);
        if (!headingRead) {
            for (qsizetype i = 0; i + 1 < textStart; ++i) {
                m_heading.append(splitPath(lead.at(i).text));
                if (m_headingLine == 0)
                    m_headingLine = lead.at(i).number;
            }
        } else if (textStart > 1) {
            warn(lead.first().number, tr("%n line(s) between list items belong to no item and are ignored", int(textStart - 1)));
        }
        headingRead = true;
        lead.clear();
        return item;
    };

    for (qsizetype i = begin; i < end; ++i) {
        const Line &line = m_lines.at(i);
        auto code = codeOf(line);
        if (!code) {
            if (current)
                current->text.append(line.text);
            else
                lead.append(line);
            continue;
        }
        if (!current)
            current = resolveLead();
        if (current) {
            current->code = code;
            current->codeLine = line.number;
            m_items.append(*current);
        } else {
            warn(line.number, tr("code %1 follows no list item and is ignored").arg(code->code));
        }
        current.reset();
        headingRead = true;
        if (!code->rest.isEmpty())
            current = Item{line.number, code->rest, {}, std::nullopt, 0};
    }

    // What is left names the source document: the remainder of the last code, or a plain line.
    if (current) {
        if (!current->text.isEmpty() || !documentFollows) {
            // Without a document after it the last name is an item the page lost the code of.
            m_items.append(*current);
            warn(current->line, tr("the list item \"%1\" has no code (is the page cut off?)").arg(current->name));
        } else {
            m_title = Line{current->line, current->name};
        }
    } else if (!lead.isEmpty() && documentFollows) {
        m_title = lead.takeLast();
        if (!headingRead) {
            for (const Line &line : std::as_const(lead)) {
                m_heading.append(splitPath(line.text));
                if (m_headingLine == 0)
                    m_headingLine = line.number;
            }
        } else if (!lead.isEmpty()) {
            warn(lead.first().number, tr("%n line(s) before the source title belong to no item and are ignored", int(lead.size())));
        }
    }
}

void PageParser::readDocument(qsizetype authorsAt)
{
    const Line &line = m_lines.at(authorsAt);
    m_authors = readAuthors(line.text);
    m_authorsLine = line.number;
    if (!m_title)
        warn(line.number, tr("the source document has no title"));
    readDimensions(authorsAt + 1);
}

void PageParser::readDimensions(qsizetype begin)
{
    const auto knownScheme = [&](const QString &name) -> QString {
        for (const char *scheme : DimensionSchemes) {
            const QStringList names = m_context.nodeNames.value(QLatin1String(scheme));
            for (const QString &known : names) {
                if (known.compare(name, Qt::CaseInsensitive) == 0)
                    return QLatin1String(scheme);
            }
        }
        return {};
    };
    // The abstract: its first line, and any paragraphs of prose after it.
    qsizetype i = begin;
    while (i < m_lines.size() && (i == begin || (isProse(m_lines.at(i).text) && knownScheme(m_lines.at(i).text).isEmpty()))) {
        m_abstract.append(m_lines.at(i).text);
        ++i;
    }
    if (m_abstract.isEmpty())
        warn(m_authorsLine, tr("the source document has no abstract"));

    // Then name/description pairs; a description is any line that is not itself a known name.
    QList<std::pair<QString, Line>> found;
    while (i < m_lines.size()) {
        const Line &name = m_lines.at(i);
        if (found.size() == qsizetype(DimensionSchemes.size())) {
            warn(name.number, tr("%n line(s) after the lifecycle stage, actor and function are ignored", int(m_lines.size() - i)));
            break;
        }
        found.append({knownScheme(name.text), name});
        ++i;
        if (i < m_lines.size() && knownScheme(m_lines.at(i).text).isEmpty())
            ++i;
    }
    // Each pair's scheme: the one that knows its name, else the next one in page order.
    QSet<QString> used;
    for (const auto &[scheme, name] : std::as_const(found)) {
        if (!scheme.isEmpty())
            used.insert(scheme);
    }
    for (auto &[scheme, name] : found) {
        if (!scheme.isEmpty())
            continue;
        for (const char *candidate : DimensionSchemes) {
            if (!used.contains(QLatin1String(candidate))) {
                scheme = QLatin1String(candidate);
                used.insert(scheme);
                break;
            }
        }
        if (scheme.isEmpty()) {
            warn(name.number, tr("\"%1\" is not a known lifecycle stage, actor or function and is ignored").arg(name.text));
            continue;
        }
        warn(name.number, tr("\"%1\" is not a known value of %2; it is added as a provisional node").arg(name.text, scheme));
    }
    for (const auto &pair : std::as_const(found)) {
        if (!pair.first.isEmpty())
            m_dimensions.append(pair);
    }
    if (used.size() < qsizetype(DimensionSchemes.size())) {
        QStringList missing;
        for (const char *scheme : DimensionSchemes) {
            if (!used.contains(QLatin1String(scheme)))
                missing.append(QLatin1String(scheme));
        }
        warn(m_lines.last().number, tr("the page gives no %1").arg(missing.join(u", "_s)));
    }
}

QString PageParser::ensurePath(const QStringList &path, int line)
{
    const QString key = pathKey(path);
    if (m_byPath.contains(key))
        return key;
    EntryRecord record;
    record.line = line;
    record.key = key;
    record.name = path.last();
    record.listingOnly = true;
    record.documentKey = m_title || m_authors ? u"doc"_s : QString();
    record.classifications.append(riskPath(path));
    if (path.size() > 1)
        record.parentKey = ensurePath(path.mid(0, path.size() - 1), line);
    m_byPath.insert(key, record);
    m_pathOrder.append(key);
    return key;
}

void PageParser::buildRecords()
{
    const bool hasDocument = m_title || m_authors;
    const QString documentKey = hasDocument ? u"doc"_s : QString();
    if (hasDocument) {
        DocumentRecord d;
        d.key = documentKey;
        d.line = m_title ? m_title->number : m_authorsLine;
        d.title = m_title ? m_title->text : QString();
        if (m_authors) {
            d.authors = m_authors->names;
            d.year = m_authors->year;
        }
        d.abstract = m_abstract.join(u"\n\n"_s);
        if (d.title.isEmpty() && d.abstract.isEmpty()) {
            error(d.line, tr("the source document has neither a title nor an abstract"));
            ++m_result.skipped;
        } else {
            m_result.records.documents.append(d);
        }
    }

    // The leading items named "Prefix: part" with one prefix are the entry's own sub-entries.
    static const QRegularExpression partName(u"^([^:>]+?):\\s+(\\S.*)$"_s);
    qsizetype subEntries = 0;
    QString prefix;
    for (const Item &item : std::as_const(m_items)) {
        const QRegularExpressionMatch m = partName.match(item.name);
        if (!m.hasMatch() || item.name.contains(QLatin1String(PathSeparator)))
            break;
        if (subEntries > 0 && simplifiedKey(m.captured(1)) != simplifiedKey(prefix))
            break;
        prefix = m.captured(1).simplified();
        ++subEntries;
    }

    // The listing: one record per distinct risk path.
    QStringList pageListing;
    QSet<QString> listed;
    for (qsizetype i = subEntries; i < m_items.size(); ++i) {
        const Item &item = m_items.at(i);
        const QStringList path = splitPath(item.name);
        if (path.isEmpty())
            continue;
        const QString key = ensurePath(path, item.line);
        if (listed.contains(key)) {
            warn(item.line, tr("\"%1\" is listed twice; the first listing is kept").arg(item.name));
            continue;
        }
        listed.insert(key);
        EntryRecord &record = m_byPath[key];
        record.line = item.line;
        record.text = item.text.join(u"\n\n"_s);
        if (item.code)
            record.classifications.prepend(mitigationCode(*item.code));
        pageListing.append(path.join(QLatin1String(PathSeparator)));
    }

    // The page's heading is a listed path (matched by its last segment) or a path of its own.
    QStringList headingPath = m_heading;
    if (m_heading.size() == 1) {
        for (const QString &key : std::as_const(m_pathOrder)) {
            const QStringList path = m_byPath.value(key).classifications.last().path;
            if (simplifiedKey(path.last()) == simplifiedKey(m_heading.first())) {
                headingPath = path;
                break;
            }
        }
    }
    const QString parentKey = headingPath.isEmpty() ? QString() : ensurePath(headingPath, m_headingLine);

    // The page's own entry.
    EntryRecord self;
    self.key = u"self"_s;
    self.line = m_descriptionLine > 0 ? m_descriptionLine : (m_passage.isEmpty() ? 0 : m_passage.first().number);
    self.parentKey = parentKey;
    self.documentKey = documentKey;
    self.reasoning = m_reasoning;
    self.nameInferred = true;
    self.needsReview = true;
    self.pageListing = pageListing;
    QStringList passage;
    for (const Line &line : std::as_const(m_passage))
        passage.append(line.text);
    self.text = passage.join(u"\n\n"_s);
    if (!prefix.isEmpty())
        self.name = prefix;
    else if (!self.text.isEmpty())
        self.name = AbstractListImporter::inferTitle(self.text);
    else if (!m_reasoning.isEmpty())
        self.name = AbstractListImporter::inferTitle(m_reasoning);
    const bool hasSelf = !self.name.isEmpty() || !m_ownCode.isEmpty();
    if (hasSelf && self.name.isEmpty()) {
        error(self.line, tr("the page's entry has no passage, rationale or sub-entries to name it by"));
        ++m_result.skipped;
    } else if (hasSelf) {
        if (self.text.isEmpty() && subEntries == 0)
            warn(self.line, tr("the page's entry has no passage of its own"));
        if (self.line == 0)
            self.line = m_lines.isEmpty() ? 0 : m_lines.first().number;
        if (!m_ownCode.isEmpty())
            self.classifications.append(mitigationCode({m_ownCode, m_codeNames.value(m_ownCode), {}, true}, m_reasoning));
        if (!prefix.isEmpty() && !headingPath.isEmpty())
            self.classifications.append(riskPath(headingPath + QStringList{prefix}));
        else if (!headingPath.isEmpty())
            self.classifications.append(riskPath(headingPath));
        for (const auto &[scheme, value] : std::as_const(m_dimensions)) {
            ClassificationRecord c;
            c.schemeKey = scheme;
            c.name = value.text;
            c.path = {value.text};
            self.classifications.append(c);
        }
        if (!m_alsoIn.isEmpty())
            self.extra.insert(u"also_in"_s, m_alsoIn);
    }

    // Parents come before children: headings and listed paths, then the entry, then its parts.
    for (const QString &key : std::as_const(m_pathOrder))
        m_result.records.entries.append(m_byPath.value(key));
    if (!hasSelf || self.name.isEmpty())
        return;
    m_result.records.entries.append(self);
    for (qsizetype i = 0; i < subEntries; ++i) {
        const Item &item = m_items.at(i);
        EntryRecord part;
        part.key = u"part:%1"_s.arg(i + 1);
        part.line = item.line;
        part.name = item.name;
        part.text = item.text.join(u"\n\n"_s);
        part.parentKey = self.key;
        part.documentKey = documentKey;
        if (item.code)
            part.classifications.append(mitigationCode(*item.code));
        if (!headingPath.isEmpty()) {
            const QString phase = partName.match(item.name).captured(2).simplified();
            part.classifications.append(riskPath(headingPath + QStringList{prefix, phase}));
        }
        m_result.records.entries.append(part);
    }
}

} // namespace

QString SurveyPageImporter::displayName() const
{
    return tr("Survey entry page (MIT AI Risk Navigator text)");
}

std::optional<SurveyPageImporter::GluedCode> SurveyPageImporter::splitGluedCode(const QString &line, const QHash<QString, QString> &names)
{
    static const QRegularExpression pattern(u"^(\\d{1,3}(?:\\.\\d{1,3}){0,3})\\s+(\\S.*)$"_s);
    const QRegularExpressionMatch m = pattern.match(line);
    if (!m.hasMatch())
        return std::nullopt;
    GluedCode glued;
    glued.code = m.captured(1);
    const QString rest = m.captured(2);
    if (const auto known = names.constFind(glued.code); known != names.cend() && !known->isEmpty()) {
        const QString &name = known.value();
        const bool runsOn = rest.size() > name.size() && rest.at(name.size()).isLower();
        if (rest.startsWith(name, Qt::CaseInsensitive) && !runsOn) {
            glued.name = rest.left(name.size());
            glued.rest = rest.mid(name.size()).trimmed();
            glued.known = true;
            return glued;
        }
    }
    // A code the taxonomy does not know (or names differently): its name is a short title that
    // ends where a lower-case letter runs into an upper-case one.
    if (!rest.at(0).isUpper())
        return std::nullopt;
    qsizetype cut = -1;
    for (qsizetype i = 1; i < rest.size(); ++i) {
        if (rest.at(i - 1).isLower() && rest.at(i).isUpper()) {
            cut = i;
            break;
        }
    }
    // A known code whose name neither starts the text nor ends at a glue is text that starts with
    // a number.
    if (cut < 0 && names.contains(glued.code))
        return std::nullopt;
    const QString name = cut < 0 ? rest : rest.left(cut);
    if (name.count(u' ') + 1 > MaxCodeNameWords || isProse(name))
        return std::nullopt;
    glued.name = name.trimmed();
    glued.rest = cut < 0 ? QString() : rest.mid(cut).trimmed();
    return glued;
}

int SurveyPageImporter::sniff(QStringView head, const QString &) const
{
    static const QRegularExpression glued(u"^\\d{1,3}(?:\\.\\d{1,3}){0,3} [A-Z][^\\n]*?[a-z][A-Z]"_s, QRegularExpression::MultilineOption);
    bool banner = false, reasoning = false;
    qsizetype start = 0;
    for (int count = 0; start < head.size() && count < 200; ++count) {
        qsizetype end = head.indexOf(u'\n', start);
        if (end < 0)
            end = head.size();
        const QString line = head.mid(start, end - start).trimmed().toString();
        start = end + 1;
        banner = banner || isBanner(line);
        reasoning = reasoning || isReasoningMarker(line);
    }
    const bool codes = glued.matchView(head).hasMatch();
    if (banner && (reasoning || codes))
        return 95;
    if (reasoning && codes)
        return 80;
    if (banner)
        return 40;
    return 0;
}

ParseResult SurveyPageImporter::parse(const QString &text, const QString &fileName, const ImportContext &context) const
{
    return PageParser(fileName, context).parse(text);
}

} // namespace Atlas

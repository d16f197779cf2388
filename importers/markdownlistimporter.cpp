#include "markdownlistimporter.h"

#include <QCoreApplication>
#include <QDate>
#include <QHash>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>

#include <array>

using namespace Qt::StringLiterals;

namespace Atlas
{

namespace
{

QString tr(const char *text)
{
    return QCoreApplication::translate("MarkdownListImporter", text);
}

// An item's inline text is read up to this length: enough for any real item, and it bounds the
// work on a pathological line.
constexpr qsizetype MaxInlineLength = 16384;
// Where a link was cut out of inline text: MarkStart, the link's label, MarkEnd.
constexpr QChar MarkStart(0xE000);
constexpr QChar MarkEnd(0xE001);
// A paper list that cites this arXiv id is the survey's own list: its headings are the survey's
// risk categories, so items are classified under them (the store resolves the names).
constexpr auto SurveyArxivId = "2412.17686";
constexpr auto SurveyScheme = "llm-safety-survey";

struct Link {
    QString label;
    QString url;
};

struct Inline {
    QString text; // with each link replaced by MarkStart label MarkEnd
    QList<Link> links;
};

bool isMarkdownPunctuation(QChar c)
{
    return c.unicode() < 128 && c.isPunct();
}

bool isUrlStart(QStringView s, qsizetype i)
{
    if (i > 0 && s.at(i - 1).isLetterOrNumber())
        return false;
    const QStringView rest = s.mid(i, 8);
    return rest.startsWith(u"https://", Qt::CaseInsensitive) || rest.startsWith(u"http://", Qt::CaseInsensitive);
}

// Cuts Markdown links, autolinks and bare URLs out of `s`; drops images and HTML tags; resolves
// backslash escapes. Linear but for bounded look-aheads.
Inline extractLinks(QStringView s)
{
    Inline out;
    out.text.reserve(s.size());
    const qsizetype n = s.size();
    qsizetype i = 0;
    while (i < n) {
        const QChar c = s.at(i);
        if (c == u'\\' && i + 1 < n && isMarkdownPunctuation(s.at(i + 1))) {
            out.text += s.at(i + 1);
            i += 2;
            continue;
        }
        const bool image = c == u'!' && i + 1 < n && s.at(i + 1) == u'[';
        if (c == u'[' || image) {
            const qsizetype open = image ? i + 1 : i;
            qsizetype close = -1;
            int depth = 0;
            for (qsizetype j = open; j < n && j - open < 1000; ++j) {
                const QChar d = s.at(j);
                if (d == u'\\') {
                    ++j;
                } else if (d == u'[') {
                    ++depth;
                } else if (d == u']' && --depth == 0) {
                    close = j;
                    break;
                }
            }
            if (close > 0 && close + 1 < n && s.at(close + 1) == u'(') {
                QString url;
                qsizetype k = close + 2;
                int parens = 1;
                bool ok = false;
                bool inTitle = false;
                while (k < n && k - close < 4000) {
                    const QChar d = s.at(k);
                    if (d == u'\\' && k + 1 < n) {
                        if (!inTitle)
                            url += s.at(k + 1);
                        k += 2;
                        continue;
                    }
                    if (d == u'(') {
                        ++parens;
                    } else if (d == u')' && --parens == 0) {
                        ok = true;
                        break;
                    } else if (d.isSpace() && !url.isEmpty()) {
                        inTitle = true; // [label](url "title")
                    }
                    if (!inTitle && !d.isSpace())
                        url += d;
                    ++k;
                }
                if (ok) {
                    if (url.startsWith(u'<') && url.endsWith(u'>'))
                        url = url.mid(1, url.size() - 2);
                    if (!image) {
                        QString label = s.mid(open + 1, close - open - 1).toString();
                        // A badge or image as the label says nothing.
                        if (label.contains(u"!["_s))
                            label.clear();
                        label.remove(MarkStart).remove(MarkEnd);
                        out.links.append(Link{label.simplified(), url});
                        out.text += MarkStart + label + MarkEnd;
                    }
                    i = k + 1;
                    continue;
                }
            }
            out.text += c;
            ++i;
            continue;
        }
        if (c == u'<') {
            qsizetype close = -1;
            for (qsizetype j = i + 1; j < n && j - i < 400; ++j) {
                if (s.at(j) == u'>') {
                    close = j;
                    break;
                }
                if (s.at(j) == u'<' || s.at(j) == u'\n')
                    break;
            }
            if (close > 0) {
                const QStringView inner = s.mid(i + 1, close - i - 1);
                if (isUrlStart(inner, 0)) {
                    out.links.append(Link{QString(), inner.toString()});
                    out.text += MarkStart + MarkEnd;
                    i = close + 1;
                    continue;
                }
                if (!inner.isEmpty() && (inner.at(0).isLetter() || inner.at(0) == u'/' || inner.at(0) == u'!')) {
                    out.text += u' '; // an HTML tag: dropped, never interpreted
                    i = close + 1;
                    continue;
                }
            }
        }
        if ((c == u'h' || c == u'H') && isUrlStart(s, i)) {
            qsizetype j = i;
            while (j < n && !s.at(j).isSpace() && s.at(j) != u']' && s.at(j) != u')' && s.at(j) != u'>' && s.at(j) != u'<' && s.at(j) != u'"')
                ++j;
            QString url = s.mid(i, j - i).toString();
            while (!url.isEmpty() && QStringLiteral(".,;:").contains(url.back()))
                url.chop(1);
            i += url.size();
            out.links.append(Link{QString(), url});
            out.text += MarkStart + MarkEnd;
            continue;
        }
        out.text += (c == MarkStart || c == MarkEnd) ? QChar(u' ') : c;
        ++i;
    }
    return out;
}

// Text without the links that were cut out of it.
QString withoutLinks(const QString &text)
{
    QString out;
    out.reserve(text.size());
    bool inLink = false;
    for (const QChar c : text) {
        if (c == MarkStart) {
            inLink = true;
            out += u' ';
        } else if (c == MarkEnd) {
            inLink = false;
        } else if (!inLink) {
            out += c;
        }
    }
    return out;
}

// Emphasis, code spans and strike-through marks removed; underscores only at word edges.
QString plain(const QString &text)
{
    QString out;
    out.reserve(text.size());
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = text.at(i);
        if (c == u'*' || c == u'`' || c == MarkStart || c == MarkEnd)
            continue;
        if (c == u'~' && i + 1 < n && text.at(i + 1) == u'~') {
            ++i;
            continue;
        }
        if (c == u'_') {
            const bool before = i > 0 && text.at(i - 1).isLetterOrNumber();
            const bool after = i + 1 < n && text.at(i + 1).isLetterOrNumber();
            if (!(before && after))
                continue;
        }
        out += c;
    }
    return out.simplified();
}

QString trimmedOf(QString text, const QString &characters)
{
    qsizetype start = 0, end = text.size();
    while (start < end && (characters.contains(text.at(start)) || text.at(start).isSpace()))
        ++start;
    while (end > start && (characters.contains(text.at(end - 1)) || text.at(end - 1).isSpace()))
        --end;
    return text.mid(start, end - start);
}

// A title as the list writes it, without quotes, emphasis and the closing period.
QString cleanTitle(const QString &text)
{
    QString t = plain(text);
    static const QString quotes = u"\"\u201c\u201d\u00ab\u00bb"_s;
    t = trimmedOf(t, quotes);
    while (t.endsWith(u'.') || t.endsWith(u',') || t.endsWith(u':') || t.endsWith(u';'))
        t.chop(1);
    return trimmedOf(t, quotes).simplified();
}

bool isCodeHost(const QString &url)
{
    static const QRegularExpression host(u"^https?://(?:www\\.)?(?:github\\.com|gitlab\\.com|huggingface\\.co|[^/]*\\.github\\.io|colab\\.research)"_s,
                                         QRegularExpression::CaseInsensitiveOption);
    return host.match(url).hasMatch();
}

enum class LabelKind { Title, Paper, Other };

// What a link's label says about the link: a paper, something else (code, data...), or a title.
LabelKind labelKind(const QString &label)
{
    static const QSet<QString> paper{u"paper"_s, u"papers"_s, u"pdf"_s, u"arxiv"_s, u"link"_s, u"html"_s, u"doi"_s, u"abs"_s, u"abstract"_s, u"book"_s,
        u"blog"_s, u"article"_s, u"preprint"_s, u"publication"_s, u"openreview"_s, u"acl"_s, u"url"_s, u"proceedings"_s, u"report"_s, u"web"_s,
        u"paper link"_s, u"arxiv paper"_s, u"full text"_s, u"post"_s, u"pub"_s, u"semantic scholar"_s, u"acm"_s, u"ieee"_s, u"springer"_s};
    static const QSet<QString> other{u"code"_s, u"github"_s, u"git"_s, u"source"_s, u"src"_s, u"project"_s, u"project page"_s, u"homepage"_s,
        u"home"_s, u"website"_s, u"site"_s, u"page"_s, u"dataset"_s, u"data"_s, u"demo"_s, u"video"_s, u"slides"_s, u"poster"_s, u"talk"_s,
        u"twitter"_s, u"tweet"_s, u"huggingface"_s, u"hugging face"_s, u"model"_s, u"models"_s, u"benchmark"_s, u"leaderboard"_s, u"bib"_s,
        u"bibtex"_s, u"citation"_s, u"cite"_s, u"here"_s, u"official"_s, u"supplementary"_s, u"notes"_s, u"review"_s, u"repo"_s, u"repository"_s,
        u"weights"_s, u"checkpoint"_s, u"colab"_s, u"youtube"_s, u"zhihu"_s, u"media"_s, u"news"_s, u"docs"_s, u"documentation"_s};
    QString l = plain(label).toLower();
    l = trimmedOf(l, u"[]():.!"_s);
    if (l.isEmpty())
        return LabelKind::Other;
    if (paper.contains(l))
        return LabelKind::Paper;
    if (other.contains(l) || l.startsWith(u"http"_s))
        return LabelKind::Other;
    return LabelKind::Title;
}

bool isAnchor(const QString &url)
{
    return url.startsWith(u'#');
}

int currentYearLimit()
{
    return QDate::currentDate().year() + 1;
}

std::optional<int> plausibleYear(int year)
{
    if (year >= 1900 && year <= currentYearLimit())
        return year;
    return std::nullopt;
}

// The arXiv id in a URL, also from arXiv's own DOIs (10.48550/arXiv.2309.00770).
QString arxivIdOf(const QString &url)
{
    QString id = Records::arxivIdFrom(url);
    if (id.isEmpty()) {
        static const QRegularExpression doi(u"10\\.48550/arxiv\\.(\\d{4}\\.\\d{4,5})"_s, QRegularExpression::CaseInsensitiveOption);
        if (const auto m = doi.match(url); m.hasMatch())
            id = m.captured(1);
    }
    return id;
}

QString doiOf(const QString &url)
{
    static const QRegularExpression carrier(u"^https?://(?:dx\\.)?doi\\.org/|/doi/(?:abs/|full/|pdf/|epdf/)?10\\."_s, QRegularExpression::CaseInsensitiveOption);
    if (!carrier.match(url).hasMatch())
        return {};
    return Records::doiFrom(QUrl::fromPercentEncoding(url.toUtf8()));
}

bool isLiteralName(const QString &name)
{
    static const QRegularExpression organisation(
        u"\\b(?:institute|alliance|forum|group|house|foundation|labs?|laboratory|university|council|commission|office|inc|ltd|llc|corporation|corp|"
        "association|center|centre|agency|department|ministry|government|committee|team|initiative|consortium|company|society|board|network|"
        "openai|anthropic|google|deepmind|microsoft|meta|databricks|dataiku|nvidia|ibm)\\b"_s,
        QRegularExpression::CaseInsensitiveOption);
    if (organisation.match(name).hasMatch())
        return true;
    const QStringList words = name.split(u' ', Qt::SkipEmptyParts);
    for (const QString &word : words) {
        bool letters = word.size() >= 2, upper = true;
        for (const QChar c : word) {
            letters = letters && c.isLetter();
            upper = upper && c.isUpper();
        }
        if (letters && upper)
            return true; // an acronym: METR, NAIAC, DLA Piper
    }
    return false;
}

// "Su Lin Blodgett et al", "Dixon, Lucas", "Haoran Li and Dadi Guo", "Xuan Li, Zhanke Zhou, and Jianing Zhu".
QStringList splitAuthors(const QString &text)
{
    static const QRegularExpression etAl(u"\\bet\\s*al\\b\\.?"_s, QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression separator(u"\\s*;\\s*|\\s*,\\s*(?:and\\s+|&\\s*)?|\\s+(?:and|&)\\s+"_s);
    QString t = plain(text);
    t.remove(etAl);
    t = trimmedOf(t, u".,;:"_s).simplified();
    if (t.isEmpty())
        return {};
    QStringList parts;
    const bool lists = t.contains(u" and "_s) || t.contains(u'&') || t.contains(u';');
    const qsizetype commas = t.count(u',');
    if (commas == 0 && !lists)
        parts = {t};
    else if (commas == 0 && isLiteralName(t))
        parts = {t}; // "AI Risk and Vulnerability Alliance"
    else if (commas == 1 && !lists && !t.left(t.indexOf(u',')).trimmed().contains(u' '))
        parts = {t}; // "Family, Given"
    else
        parts = t.split(separator, Qt::SkipEmptyParts);
    QStringList authors;
    for (QString part : std::as_const(parts)) {
        part = trimmedOf(part, u",;:"_s).simplified();
        const qsizetype space = part.lastIndexOf(u' ');
        if (part.endsWith(u'.') && part.size() - space - 1 > 2)
            part.chop(1); // "Michal." but not the initial in "Kush R."
        bool digits = false;
        for (const QChar c : std::as_const(part))
            digits = digits || c.isDigit();
        if (part.isEmpty() || (digits && part.contains(u' ')) || part.count(u' ') > 5)
            continue;
        // "Rigaki M", "Meystre SM": the family name first, then initials.
        static const QRegularExpression familyInitials(u"^(\\S.*\\S)\\s+([A-Z]{1,3})$"_s);
        if (const auto m = familyInitials.match(part); m.hasMatch() && !part.contains(u','))
            authors.append(m.captured(1) + u", "_s + m.captured(2));
        else
            authors.append(isLiteralName(part) ? part : Records::normaliseAuthor(part));
    }
    return authors;
}

struct YearVenue {
    std::optional<int> year;
    QString venue;
};

const QRegularExpression &yearPattern()
{
    static const QRegularExpression year(u"(?<![\\d./\\-])((?:19|20)\\d{2})(?![\\d])"_s);
    return year;
}

// "arxiv 2017", "Findings of EMNLP 2023", "AAMAS24", "Blog. 2021", "2023 ICML AdvML Workshop".
YearVenue yearAndVenue(const QString &text)
{
    static const QString edges = u".,;:-\u2013\u2014()[]|"_s;
    YearVenue result;
    QString t = trimmedOf(plain(text), edges).simplified();
    QString venue = t;
    if (const auto m = yearPattern().match(t); m.hasMatch()) {
        result.year = plausibleYear(m.captured(1).toInt());
        if (m.capturedEnd(1) == t.size())
            venue = t.left(m.capturedStart(1));
        else if (m.capturedStart(1) == 0)
            venue = t.mid(m.capturedEnd(1));
    } else {
        static const QRegularExpression glued(u"\\b[A-Z][A-Za-z]*[A-Z]['\u2019]?(\\d{2})\\b"_s);
        if (const auto g = glued.match(t); g.hasMatch()) {
            const int yy = g.captured(1).toInt();
            result.year = plausibleYear(2000 + yy <= currentYearLimit() ? 2000 + yy : 1900 + yy);
        }
    }
    venue = trimmedOf(venue, edges).simplified();
    if (venue.size() > 150)
        venue.clear(); // a description, not a venue
    if (venue.compare(u"arxiv"_s, Qt::CaseInsensitive) == 0)
        venue = u"arXiv"_s;
    result.venue = venue;
    return result;
}

struct Paper {
    QString title;
    QString alias;
    QStringList authors;
    std::optional<int> year;
    bool yearFromArxiv = false;
    QString venue;
    QString description;
    QString url;
    QString arxivId;
    QString doi;
    QList<Link> otherLinks;
    bool anchorsOnly = false; // a table-of-contents item: links into the page only
};

qsizetype linkIndexAt(const QString &text, qsizetype position)
{
    return QStringView(text).left(position).count(MarkStart);
}

// Whether a name list looks like people: "Leonard Bereska and Efstratios Gavves".
bool looksLikeNames(const QString &text)
{
    static const QSet<QString> particles{u"and"_s, u"van"_s, u"de"_s, u"von"_s, u"der"_s, u"la"_s, u"di"_s, u"da"_s, u"du"_s, u"le"_s, u"&"_s};
    const QStringList words = text.split(QRegularExpression(u"[\\s,]+"_s), Qt::SkipEmptyParts);
    if (words.size() < 2 || words.size() > 20)
        return false;
    for (const QString &word : words) {
        if (!word.at(0).isUpper() && !particles.contains(word))
            return false;
        for (const QChar c : word) {
            if (c.isDigit())
                return false;
        }
    }
    return true;
}

// Authors, venue and year from what follows a title: "*Su Lin Blodgett et al*. arxiv 2017.",
// ", Vaswani et al., NeurIPS 2017", " - a description (2023)".
void readMetadata(const QString &rest, Paper &paper)
{
    QString m = withoutLinks(rest);
    // Labels of links without a target ("[Paper]") and empty brackets left by removed links.
    static const QRegularExpression bare(u"\\[\\s*([A-Za-z ]{0,24})\\s*\\]"_s);
    QString cleaned;
    qsizetype last = 0;
    for (auto it = bare.globalMatch(m); it.hasNext();) {
        const auto match = it.next();
        cleaned += QStringView(m).mid(last, match.capturedStart() - last);
        if (!match.captured(1).trimmed().isEmpty() && labelKind(match.captured(1)) == LabelKind::Title)
            cleaned += match.captured(0);
        last = match.capturedEnd();
    }
    cleaned += QStringView(m).mid(last);
    m = cleaned;
    m.replace(u'\n', u' ');
    m = m.trimmed();
    if (m.isEmpty())
        return;

    static const QString dashes = u"-\u2013\u2014:"_s;
    if (dashes.contains(m.at(0))) {
        paper.description = plain(m.mid(1));
        static const QRegularExpression parenthesised(u"\\(((?:19|20)\\d{2})\\)"_s);
        static const QRegularExpression venueYear(u"\\b[A-Z]{2,}[A-Za-z\\-]*\\s+((?:19|20)\\d{2})\\b"_s); // "EACL 2024"
        if (const auto y = parenthesised.match(paper.description); y.hasMatch())
            paper.year = plausibleYear(y.captured(1).toInt());
        else if (const auto v = venueYear.match(paper.description); v.hasMatch())
            paper.year = plausibleYear(v.captured(1).toInt());
        return;
    }
    if (m.at(0) == u',') {
        QStringList segments = m.mid(1).split(u',', Qt::SkipEmptyParts);
        qsizetype venueAt = -1;
        for (qsizetype i = segments.size() - 1; i >= 0 && venueAt < 0; --i) {
            if (yearPattern().match(segments.at(i)).hasMatch())
                venueAt = i;
        }
        if (venueAt >= 0) {
            const YearVenue yv = yearAndVenue(segments.mid(venueAt).join(u", "_s));
            paper.year = yv.year;
            paper.venue = yv.venue;
            segments = segments.mid(0, venueAt);
        }
        for (const QString &segment : std::as_const(segments))
            paper.authors += splitAuthors(segment);
        return;
    }

    m = trimmedOf(m, u".,;:"_s);
    static const QRegularExpression etAl(u"\\bet\\s*al\\b\\.?"_s, QRegularExpression::CaseInsensitiveOption);
    QString authorsText, after = m;
    if (m.startsWith(u'*') || m.startsWith(u'_')) {
        const QString mark = (m.startsWith(u"**"_s) || m.startsWith(u"__"_s)) ? m.left(2) : m.left(1);
        const qsizetype close = m.indexOf(mark, mark.size());
        if (close > 0) {
            authorsText = m.mid(mark.size(), close - mark.size());
            after = m.mid(close + mark.size());
            static const QRegularExpression onlyYear(u"^[\\s.,;:]*(?:19|20)\\d{2}[\\s.,;:]*$"_s);
            if ((yearPattern().match(authorsText).hasMatch() && !etAl.match(authorsText).hasMatch()) || onlyYear.match(after).hasMatch()) {
                after = authorsText + u". "_s + after; // "*NeurIPS 2023*", "*arXiv*. 2023.": a venue, not names
                authorsText.clear();
            }
        }
    }
    if (authorsText.isEmpty()) {
        if (const auto e = etAl.matchView(QStringView(m).left(400)); e.hasMatch()) {
            authorsText = m.left(e.capturedStart());
            after = m.mid(e.capturedEnd());
        }
    } else if (const auto e = etAl.match(authorsText); e.hasMatch()) {
        after = authorsText.mid(e.capturedEnd()) + u". "_s + after; // "*Albert Q. Jiang et al. arXiv* 2023"
        authorsText = authorsText.left(e.capturedStart());
    }
    if (authorsText.isEmpty()) {
        // The first sentence, if it is a list of names: a period ends it unless it closes an initial.
        for (qsizetype i = 0; i + 1 < m.size(); ++i) {
            if (m.at(i) != u'.' || m.at(i + 1) != u' ')
                continue;
            const qsizetype space = m.lastIndexOf(u' ', i);
            if (i - space - 1 <= 1)
                continue;
            const QString first = plain(m.left(i));
            if (looksLikeNames(first)) {
                authorsText = first;
                after = m.mid(i + 1);
            }
            break;
        }
    }
    after = plain(after);
    if (const auto e = etAl.match(after); e.hasMatch() && e.capturedStart() == 0)
        after = after.mid(e.capturedEnd()); // "*Joshua Meltzer* et al. Blog 2021."
    paper.authors = splitAuthors(authorsText);
    const YearVenue yv = yearAndVenue(after);
    paper.year = yv.year;
    paper.venue = yv.venue;
}

// One item of a list (or a table row made into one): its title, the links, and what follows.
Paper analyseItem(QStringView raw)
{
    Paper paper;
    const Inline in = extractLinks(raw.left(MaxInlineLength));
    QString t = in.text;
    bool anyRealLink = false;
    for (const Link &link : in.links)
        anyRealLink = anyRealLink || !isAnchor(link.url);

    std::optional<int> prefixYear;
    static const QRegularExpression datePrefix(u"^\\s*\\[((?:19|20)\\d{2})(?:[/.\\-]\\d{1,2}){0,2}\\]\\s*"_s);
    if (const auto m = datePrefix.match(t); m.hasMatch()) {
        prefixYear = plausibleYear(m.captured(1).toInt());
        t.remove(0, m.capturedLength());
    }
    qsizetype firstLineEnd = t.indexOf(u'\n');
    if (firstLineEnd < 0)
        firstLineEnd = t.size();
    qsizetype lead = 0;
    while (lead < t.size() && t.at(lead).isSpace())
        ++lead;

    QString title, rest;
    qsizetype titleLink = -1;
    auto titleFromLink = [&](qsizetype start) {
        const qsizetype index = linkIndexAt(t, start);
        if (index >= in.links.size() || isAnchor(in.links.at(index).url) || labelKind(in.links.at(index).label) != LabelKind::Title)
            return false;
        title = cleanTitle(in.links.at(index).label);
        titleLink = index;
        const qsizetype end = t.indexOf(MarkEnd, start);
        rest = t.left(start) + t.mid(end + 1);
        return !title.isEmpty();
    };
    if (lead < t.size() && t.at(lead) == MarkStart)
        titleFromLink(lead);
    if (title.isEmpty()) {
        for (const QString &mark : {u"**"_s, u"__"_s}) {
            const qsizetype b = t.indexOf(mark);
            const qsizetype e = b >= 0 ? t.indexOf(mark, b + 2) : -1;
            if (b < 0 || b >= firstLineEnd || e < 0)
                continue;
            const QString bold = t.mid(b + 2, e - b - 2);
            const qsizetype linkInBold = bold.indexOf(MarkStart);
            if (linkInBold < 0 || !titleFromLink(b + 2 + linkInBold)) {
                title = cleanTitle(withoutLinks(bold));
                rest = t.mid(e + 2);
            } else {
                rest = t.mid(e + 2);
            }
            QString before = plain(withoutLinks(t.left(b)));
            if (before.endsWith(u':')) {
                paper.alias = before.chopped(1).trimmed();
                before.clear();
            }
            if (!before.isEmpty())
                rest = before + u". "_s + rest;
            if (!title.isEmpty())
                break;
        }
    }
    if (title.isEmpty()) {
        for (qsizetype i = t.indexOf(MarkStart); i >= 0 && i < firstLineEnd; i = t.indexOf(MarkStart, i + 1)) {
            if (titleFromLink(i))
                break;
        }
    }
    if (title.isEmpty()) {
        static const QRegularExpression quoted(u"[\"\u201c]([^\"\u201d\\n]{3,400})[\"\u201d]"_s);
        if (const auto q = quoted.matchView(QStringView(t).left(firstLineEnd)); q.hasMatch()) {
            title = cleanTitle(q.captured(1));
            rest = t.left(q.capturedStart()) + t.mid(q.capturedEnd());
        }
    }
    if (title.isEmpty() && anyRealLink) {
        // "Title. Authors. Venue 2023. [pdf](url)": the first sentence before any link.
        const QString first = plain(withoutLinks(t.left(firstLineEnd)));
        qsizetype cut = first.size();
        for (const QString &separator : {u". "_s, u" - "_s, u" \u2013 "_s, u" \u2014 "_s}) {
            const qsizetype at = first.indexOf(separator);
            if (at > 0 && at < cut)
                cut = at;
        }
        const QString candidate = cleanTitle(first.left(cut));
        const qsizetype words = candidate.count(u' ') + 1;
        if (words >= 2 && words <= 40) {
            title = candidate;
            rest = first.mid(cut) + t.mid(firstLineEnd);
        }
    }
    paper.anchorsOnly = !in.links.isEmpty() && !anyRealLink;
    if (title.isEmpty())
        return paper;
    paper.title = title;

    readMetadata(rest, paper);
    if (!paper.year)
        paper.year = prefixYear;
    if (!paper.year) {
        static const QRegularExpression parenthesised(u"\\(((?:19|20)\\d{2})\\)"_s);
        if (const auto y = parenthesised.match(withoutLinks(t)); y.hasMatch())
            paper.year = plausibleYear(y.captured(1).toInt());
    }

    // The paper's own link: the title's, else the first that names a paper, else the first that is not code.
    QList<qsizetype> real;
    for (qsizetype i = 0; i < in.links.size(); ++i) {
        if (!isAnchor(in.links.at(i).url) && !in.links.at(i).url.isEmpty())
            real.append(i);
    }
    qsizetype primary = titleLink;
    for (const qsizetype i : std::as_const(real)) {
        if (primary < 0 && labelKind(in.links.at(i).label) == LabelKind::Paper)
            primary = i;
    }
    for (const qsizetype i : std::as_const(real)) {
        if (primary < 0 && in.links.at(i).label.isEmpty() && !isCodeHost(in.links.at(i).url))
            primary = i;
    }
    if (primary < 0 && !real.isEmpty())
        primary = real.first();
    if (primary >= 0) {
        paper.url = in.links.at(primary).url;
        paper.arxivId = arxivIdOf(paper.url);
        paper.doi = doiOf(paper.url);
    }
    for (const qsizetype i : std::as_const(real)) {
        if (i == primary)
            continue;
        paper.otherLinks.append(in.links.at(i));
        if (paper.arxivId.isEmpty() && labelKind(in.links.at(i).label) != LabelKind::Other)
            paper.arxivId = arxivIdOf(in.links.at(i).url);
    }
    if (!paper.year && paper.arxivId.size() >= 4 && paper.arxivId.at(0).isDigit()) {
        paper.year = plausibleYear(2000 + paper.arxivId.left(2).toInt());
        paper.yearFromArxiv = paper.year.has_value();
    }
    return paper;
}

// A heading's text without numbering, emoji, shortcodes and Markdown.
QString cleanHeading(QStringView raw)
{
    const Inline in = extractLinks(raw.left(1000));
    QString t = plain(in.text);
    static const QRegularExpression shortcode(u":[a-z0-9_+\\-]+:"_s);
    t.remove(shortcode);
    QString out;
    const QList<uint> codePoints = t.toUcs4();
    for (const uint cp : codePoints) {
        if (QChar::category(char32_t(cp)) == QChar::Symbol_Other || cp == 0xFE0F || cp == 0x200D || (cp >= 0x1F000 && cp <= 0x1FAFF))
            continue;
        const char32_t c = cp;
        out += QString::fromUcs4(&c, 1);
    }
    static const QRegularExpression numbering(u"^(?:\\d+(?:\\.\\d+)*\\.?|[IVXivx]+\\.|[A-Za-z]\\.|\\d+\\))\\s+"_s);
    out = out.simplified();
    out.remove(numbering);
    return trimmedOf(out, u":.-\u2013\u2014|#"_s).simplified();
}

bool isSkippedSection(const QString &name)
{
    static const QRegularExpression skipped(
        u"^(?:table of contents?|contents|toc|contribut\\w*.*|how to contribute.*|citations?.*|cite.*|how to cite.*|licen[cs]e.*|acknowledg.*|"
        "star history.*|stargazers.*|contact.*|contributors.*|related (?:awesome )?(?:lists?|repos\\w*|projects?).*|changelog|news|updates|to ?do)$"_s,
        QRegularExpression::CaseInsensitiveOption);
    return skipped.match(name).hasMatch();
}

bool isContainerSection(const QString &name)
{
    static const QRegularExpression container(u"^(?:papers?|paper ?list|papers list|list of papers|the papers|reading list|paper collection|collection|not classified by risk|unclassified|"
                                                                "uncategori[sz]ed)$"_s,
                                              QRegularExpression::CaseInsensitiveOption);
    return container.match(name).hasMatch();
}

// The level (1-6) and text of an ATX heading, or level 0.
int atxHeading(QStringView line, QStringView *content)
{
    qsizetype i = 0;
    while (i < line.size() && i < 4 && line.at(i) == u' ')
        ++i;
    if (i > 3)
        return 0;
    int level = 0;
    while (i < line.size() && line.at(i) == u'#' && level < 7) {
        ++level;
        ++i;
    }
    if (level == 0 || level > 6 || (i < line.size() && line.at(i) != u' ' && line.at(i) != u'\t'))
        return 0;
    QStringView text = line.mid(i).trimmed();
    while (text.endsWith(u'#'))
        text.chop(1); // closing sequence
    *content = text.trimmed();
    return level;
}

qsizetype indentOf(QStringView line)
{
    qsizetype width = 0;
    for (const QChar c : line) {
        if (c == u' ')
            ++width;
        else if (c == u'\t')
            width += 4;
        else
            break;
    }
    return width;
}

// The content of a list item line ("1. ", "- ", "* ", "+ "), or a null view when it is none.
QStringView listItemContent(QStringView line)
{
    const QStringView t = line.trimmed();
    if (t.isEmpty())
        return {};
    qsizetype i = 0;
    if (t.at(0) == u'-' || t.at(0) == u'*' || t.at(0) == u'+') {
        i = 1;
    } else {
        while (i < t.size() && i < 9 && t.at(i).isDigit())
            ++i;
        if (i == 0 || i >= t.size() || (t.at(i) != u'.' && t.at(i) != u')'))
            return {};
        ++i;
    }
    if (i < t.size() && t.at(i) != u' ' && t.at(i) != u'\t')
        return {};
    // A thematic break ("---", "* * *") is no item.
    bool rule = true;
    for (const QChar c : t)
        rule = rule && (c == t.at(0) || c == u' ');
    if (rule && t.count(t.at(0)) >= 3)
        return {};
    const QStringView content = t.mid(i).trimmed();
    return content.isNull() ? QStringView(u"") : content;
}

bool isTableSeparator(QStringView line)
{
    static const QRegularExpression separator(u"^\\s*\\|?\\s*:?-+:?\\s*(?:\\|\\s*:?-+:?\\s*)*\\|?\\s*$"_s);
    return line.size() < 2000 && line.contains(u'-') && separator.matchView(line).hasMatch();
}

QStringList tableCells(QStringView line)
{
    QStringView t = line.trimmed();
    if (t.startsWith(u'|'))
        t = t.mid(1);
    if (t.endsWith(u'|') && !t.endsWith(u"\\|"))
        t.chop(1);
    QStringList cells;
    QString cell;
    int brackets = 0;
    for (qsizetype i = 0; i < t.size(); ++i) {
        const QChar c = t.at(i);
        if (c == u'\\' && i + 1 < t.size() && t.at(i + 1) == u'|') {
            cell += u'|';
            ++i;
            continue;
        }
        if (c == u'[')
            ++brackets;
        else if (c == u']' && brackets > 0)
            --brackets;
        if (c == u'|' && brackets == 0) {
            cells.append(cell.trimmed());
            cell.clear();
            continue;
        }
        cell += c;
    }
    cells.append(cell.trimmed());
    return cells;
}

// A short line standing for a sub-heading: "**Code Jailbreaking**", or (when `plainAllowed`)
// a few capitalised words without punctuation, such as "Chemical Weaponization".
QString pseudoHeading(QStringView line, bool plainAllowed)
{
    if (line.size() > 200)
        return {};
    const Inline in = extractLinks(line);
    if (!in.links.isEmpty())
        return {};
    const QString t = in.text.trimmed();
    for (const QString &mark : {u"**"_s, u"__"_s}) {
        if (t.size() > 4 && t.startsWith(mark) && t.endsWith(mark) && t.indexOf(mark, 2) == t.size() - 2)
            return cleanHeading(t);
    }
    if (!plainAllowed || t.isEmpty() || !t.at(0).isUpper() || t.count(u' ') >= 8)
        return {};
    for (const QChar c : t) {
        if (c.isDigit() || QStringLiteral("*_|\"[]().,;:!?`").contains(c))
            return {};
    }
    return cleanHeading(t);
}

class ListParser
{
public:
    ListParser(const QString &fileName, ParseResult &result)
        : m_fileName(fileName)
        , m_result(result)
    {
    }

    void run(const QString &text);

private:
    struct Item {
        int line = 0;
        qsizetype indent = 0;
        QString text;
        bool blankSince = false;
        bool hasLink = false;
        bool skipped = false;
        QStringList path;
    };
    struct Level {
        QString name;
        bool skipped = false;
        bool dropped = false;
    };
    struct Table {
        int titleColumn = -1, authorsColumn = -1, venueColumn = -1, yearColumn = -1;
        QList<int> linkColumns;
        qsizetype columns = 0;
        bool closedRows = false; // the header ends with "|", so rows should too
    };

    void heading(int level, QStringView content);
    void startItem(int line, QStringView rawLine, QStringView content);
    void finishItem();
    void strayLine(int line, QStringView content);
    void setPseudoHeading(const QString &name);
    void startTable(QStringView header);
    void tableRow(int line, QStringView row);
    QStringList path() const;
    bool skipped() const;
    void warn(int line, const QString &message);
    void addPaper(const Paper &paper, int line, const QStringList &path);
    void finish();

    QString m_fileName;
    bool m_classify = false; // items are classified under the survey's categories
    ParseResult &m_result;
    std::array<std::optional<Level>, 7> m_levels; // by heading level 1-6
    QString m_pseudo; // a sub-heading written as a bold or plain line, until the next heading
    bool m_pseudoIsSibling = false; // it follows items of the heading above: a section beside it, not in it
    bool m_seenHeading = false;
    std::optional<Item> m_item;
    int m_itemsInSection = 0;
    std::optional<Table> m_table;
};

QString excerpt(QStringView text)
{
    const QString t = text.trimmed().left(80).toString().simplified();
    return text.trimmed().size() > 80 ? t + u"\u2026"_s : t;
}

void ListParser::warn(int line, const QString &message)
{
    m_result.diagnostics.append(ImportDiagnostic{ImportDiagnostic::Severity::Warning, m_fileName, line, message});
}

QStringList ListParser::path() const
{
    QStringList names;
    for (const auto &level : m_levels) {
        if (level && !level->dropped && !level->name.isEmpty())
            names.append(level->name);
    }
    if (!m_pseudo.isEmpty()) {
        if (m_pseudoIsSibling && !names.isEmpty())
            names.removeLast();
        names.append(m_pseudo);
    }
    return names;
}

bool ListParser::skipped() const
{
    for (const auto &level : m_levels) {
        if (level && level->skipped)
            return true;
    }
    return false;
}

void ListParser::heading(int level, QStringView content)
{
    finishItem();
    m_table.reset();
    Level entry;
    entry.name = cleanHeading(content);
    entry.skipped = isSkippedSection(entry.name);
    // The first heading, a level-1 title, names the list itself; "Papers" only wraps the sections.
    entry.dropped = (!m_seenHeading && level == 1) || isContainerSection(entry.name);
    m_seenHeading = true;
    for (int i = level; i < int(m_levels.size()); ++i)
        m_levels[i].reset();
    m_levels[level] = entry;
    m_pseudo.clear();
    m_pseudoIsSibling = false;
    m_itemsInSection = 0;
}

void ListParser::startItem(int line, QStringView rawLine, QStringView content)
{
    finishItem();
    Item item;
    item.line = line;
    item.indent = indentOf(rawLine);
    item.text = content.left(MaxInlineLength).toString();
    item.hasLink = content.contains(u"]("_s) || content.contains(u"http"_s);
    item.skipped = skipped();
    item.path = path();
    m_item = item;
    ++m_itemsInSection;
}

void ListParser::finishItem()
{
    if (!m_item)
        return;
    const Item item = *m_item;
    m_item.reset();
    if (item.skipped)
        return;
    const Paper paper = analyseItem(item.text);
    if (paper.title.isEmpty()) {
        if (!paper.anchorsOnly)
            warn(item.line, tr("a list item without a recognisable title, not imported: \"%1\"").arg(excerpt(item.text)));
        return;
    }
    addPaper(paper, item.line, item.path);
}

void ListParser::addPaper(const Paper &paper, int line, const QStringList &path)
{
    DocumentRecord d;
    d.line = line;
    d.key = u"item-%1"_s.arg(line);
    d.title = paper.title;
    d.authors = paper.authors;
    d.year = paper.year;
    d.venue = paper.venue;
    d.url = paper.url;
    d.arxivId = paper.arxivId;
    d.doi = paper.doi;
    if (!path.isEmpty()) {
        QStringList tag;
        for (QString name : path)
            tag.append(name.replace(u'/', u'-'));
        d.tags.append(tag);
        if (m_classify) {
            ClassificationRecord c;
            c.schemeKey = QLatin1String(SurveyScheme);
            c.path = path;
            d.classifications.append(c);
        }
    }
    if (!paper.alias.isEmpty())
        d.extra.insert(u"alias"_s, paper.alias);
    if (!paper.description.isEmpty())
        d.extra.insert(u"description"_s, paper.description);
    if (!paper.otherLinks.isEmpty()) {
        QJsonArray links;
        for (const Link &link : paper.otherLinks)
            links.append(QJsonObject{{u"label"_s, plain(link.label)}, {u"url"_s, link.url}});
        d.extra.insert(u"links"_s, links);
    }
    if (paper.yearFromArxiv)
        warn(line, tr("no year given for \"%1\"; took %2 from its arXiv id").arg(paper.title).arg(*paper.year));
    m_result.records.documents.append(d);
}

void ListParser::setPseudoHeading(const QString &name)
{
    if (m_pseudo.isEmpty())
        m_pseudoIsSibling = m_itemsInSection > 0;
    m_pseudo = name;
    m_itemsInSection = 0;
}

void ListParser::strayLine(int line, QStringView content)
{
    // Prose between sections is normal; text in the middle of a list is not.
    if (m_itemsInSection > 0 && !skipped())
        warn(line, tr("text in a list that is not an item, ignored: \"%1\"").arg(excerpt(content)));
}

void ListParser::startTable(QStringView header)
{
    Table table;
    const QStringList cells = tableCells(header);
    table.columns = cells.size();
    table.closedRows = header.trimmed().endsWith(u'|');
    int paperColumn = -1;
    for (int i = 0; i < cells.size(); ++i) {
        const QString name = cleanHeading(cells.at(i)).toLower();
        if (name.contains(u"title"_s) && table.titleColumn < 0)
            table.titleColumn = i;
        else if ((name.contains(u"paper"_s) || name == u"name"_s || name == u"work"_s || name == u"article"_s) && paperColumn < 0)
            paperColumn = i;
        else if (name.contains(u"author"_s))
            table.authorsColumn = i;
        else if (name.contains(u"venue"_s) || name.contains(u"conference"_s) || name.contains(u"journal"_s) || name == u"conf"_s
                 || name.contains(u"publication"_s))
            table.venueColumn = i;
        else if (name.contains(u"year"_s) || name.contains(u"date"_s) || name == u"time"_s)
            table.yearColumn = i;
        else if (name.contains(u"link"_s) || name.contains(u"url"_s) || name.contains(u"pdf"_s) || name.contains(u"arxiv"_s) || name.contains(u"code"_s)
                 || name.contains(u"github"_s) || name.contains(u"project"_s))
            table.linkColumns.append(i);
    }
    if (table.titleColumn < 0)
        table.titleColumn = paperColumn;
    else if (paperColumn >= 0)
        table.linkColumns.prepend(paperColumn); // "Title | Paper": the paper column holds the link
    m_table = table;
}

void ListParser::tableRow(int line, QStringView row)
{
    const Table &table = *m_table;
    if (table.titleColumn < 0 || skipped())
        return; // not a table of papers
    const QStringList cells = tableCells(row.left(MaxInlineLength));
    if (cells.size() != table.columns)
        warn(line, tr("a table row with %1 cells where the header has %2").arg(cells.size()).arg(table.columns));
    const auto cell = [&](int column) {
        return column >= 0 && column < cells.size() ? cells.at(column) : QString();
    };
    QString raw = cell(table.titleColumn);
    for (const int column : table.linkColumns)
        raw += u"  "_s + cell(column);
    Paper paper = analyseItem(raw);
    const Paper own = analyseItem(cell(table.titleColumn));
    paper.title = own.title.isEmpty() ? cleanTitle(withoutLinks(extractLinks(cell(table.titleColumn)).text)) : own.title;
    if (table.closedRows && !row.trimmed().endsWith(u'|'))
        warn(line, tr("a table row that is not closed with \"|\" (truncated?)"));
    if (paper.title.isEmpty()) {
        warn(line, tr("a table row without a title, not imported: \"%1\"").arg(excerpt(row)));
        return;
    }
    if (table.authorsColumn >= 0)
        paper.authors = splitAuthors(withoutLinks(extractLinks(cell(table.authorsColumn)).text));
    if (table.venueColumn >= 0 || table.yearColumn >= 0) {
        const YearVenue venue = yearAndVenue(withoutLinks(extractLinks(cell(table.venueColumn)).text));
        const YearVenue year = yearAndVenue(cell(table.yearColumn));
        if (table.venueColumn >= 0)
            paper.venue = venue.venue;
        if (year.year || venue.year) {
            paper.year = year.year ? year.year : venue.year;
            paper.yearFromArxiv = false;
        }
    }
    ++m_itemsInSection;
    addPaper(paper, line, path());
}

void ListParser::run(const QString &text)
{
    QList<QStringView> lines;
    for (qsizetype start = 0; start <= text.size();) {
        qsizetype end = text.indexOf(u'\n', start);
        if (end < 0)
            end = text.size();
        lines.append(QStringView(text).mid(start, end - start));
        start = end + 1;
    }
    if (!text.isEmpty() && text.endsWith(u'\n'))
        lines.removeLast();

    // The survey's own list names the survey before its first item.
    for (qsizetype index = 0; index < lines.size(); ++index) {
        if (!listItemContent(lines.at(index)).isNull()) {
            m_classify = QStringView(text).left(lines.at(index).data() - text.data()).contains(QLatin1String(SurveyArxivId));
            break;
        }
    }

    QChar fence;
    bool inComment = false;
    bool blankBefore = true;
    for (qsizetype index = 0; index < lines.size(); ++index) {
        const QStringView line = lines.at(index);
        const int number = int(index) + 1;
        const QStringView trimmed = line.trimmed();
        if (!fence.isNull()) {
            if (trimmed.startsWith(QString(3, fence)))
                fence = QChar();
            continue;
        }
        if (trimmed.startsWith(u"```") || trimmed.startsWith(u"~~~")) {
            finishItem();
            fence = trimmed.at(0);
            continue;
        }
        if (inComment) {
            inComment = !trimmed.contains(u"-->");
            continue;
        }
        if (trimmed.startsWith(u"<!--")) {
            inComment = !trimmed.contains(u"-->");
            continue;
        }
        if (trimmed.isEmpty()) {
            if (m_item)
                m_item->blankSince = true;
            m_table.reset();
            blankBefore = true;
            continue;
        }
        const bool afterBlank = blankBefore;
        blankBefore = false;

        QStringView content;
        if (const int level = atxHeading(line, &content); level > 0) {
            heading(level, content);
            continue;
        }
        if (m_table) {
            if (trimmed.contains(u'|')) {
                tableRow(number, line);
                continue;
            }
            m_table.reset();
        }
        if (trimmed.contains(u'|') && index + 1 < lines.size() && isTableSeparator(lines.at(index + 1))) {
            finishItem();
            startTable(line.left(MaxInlineLength));
            ++index;
            continue;
        }
        const QStringView itemContent = listItemContent(line);
        if (!itemContent.isNull()) {
            // A deeper item holding only links ("- [code](...)") belongs to the item above.
            if (m_item && indentOf(line) > m_item->indent) {
                const Paper nested = analyseItem(itemContent.left(2000));
                if (nested.title.isEmpty()) {
                    m_item->text += u'\n' + itemContent.left(MaxInlineLength).toString();
                    m_item->hasLink = m_item->hasLink || itemContent.contains(u"]("_s) || itemContent.contains(u"http"_s);
                    continue;
                }
            }
            startItem(number, line, itemContent);
            continue;
        }
        if (m_item) {
            const QString sub = afterBlank ? pseudoHeading(line, m_item->hasLink) : QString();
            if (!sub.isEmpty()) {
                finishItem();
                if (!skipped())
                    warn(number, tr("read \"%1\" as a sub-heading").arg(sub));
                setPseudoHeading(sub);
                continue;
            }
            if (!afterBlank || line.at(0).isSpace() || !m_item->hasLink) {
                if (m_item->text.size() < MaxInlineLength)
                    m_item->text += u'\n' + trimmed.left(MaxInlineLength).toString();
                m_item->blankSince = false;
                m_item->hasLink = m_item->hasLink || trimmed.contains(u"]("_s) || trimmed.contains(u"http"_s);
                continue;
            }
            finishItem();
        }
        if (afterBlank) {
            if (const QString sub = pseudoHeading(line, false); !sub.isEmpty()) {
                setPseudoHeading(sub);
                continue;
            }
        }
        if (!extractLinks(trimmed.left(MaxInlineLength)).text.trimmed().isEmpty())
            strayLine(number, trimmed);
    }
    finishItem();
    finish();
}

void ListParser::finish()
{
    // An item without a link takes the link of the same paper listed elsewhere in the file. With
    // none, it is kept when it reads as a paper (authors or a year) and dropped otherwise: a bare
    // line without a link cannot be told from a note.
    QHash<QString, qsizetype> linked;
    QList<DocumentRecord> &documents = m_result.records.documents;
    for (qsizetype i = 0; i < documents.size(); ++i) {
        const DocumentRecord &d = documents.at(i);
        if (!d.url.isEmpty() || !d.arxivId.isEmpty() || !d.doi.isEmpty())
            linked.insert(Records::normalisedTitle(d.title), i);
    }
    QList<DocumentRecord> kept;
    kept.reserve(documents.size());
    for (DocumentRecord &d : documents) {
        if (d.url.isEmpty() && d.arxivId.isEmpty() && d.doi.isEmpty()) {
            const auto other = linked.constFind(Records::normalisedTitle(d.title));
            if (other == linked.cend()) {
                if (!d.year && d.authors.isEmpty()) {
                    warn(d.line, tr("\"%1\" has no link, authors or year; not imported").arg(d.title));
                    continue;
                }
                warn(d.line, tr("\"%1\" has no link").arg(d.title));
                if (!d.year)
                    warn(d.line, tr("no year for \"%1\"").arg(d.title));
                kept.append(d);
                continue;
            }
            const DocumentRecord &source = documents.at(other.value());
            d.url = source.url;
            d.arxivId = source.arxivId;
            d.doi = source.doi;
            warn(d.line, tr("\"%1\" has no link; took the link of the same paper at line %2").arg(d.title).arg(source.line));
        }
        if (!d.year)
            warn(d.line, tr("no year for \"%1\"").arg(d.title));
        kept.append(d);
    }
    documents = kept;
}

} // namespace

QString MarkdownListImporter::displayName() const
{
    return tr("Paper list (Markdown)");
}

int MarkdownListImporter::sniff(QStringView head, const QString &) const
{
    int headings = 0, paperItems = 0, tables = 0;
    qsizetype start = 0;
    QStringView previous;
    for (int count = 0; start < head.size() && count < 3000; ++count) {
        qsizetype end = head.indexOf(u'\n', start);
        if (end < 0)
            end = head.size();
        const QStringView line = head.mid(start, end - start).left(4000);
        start = end + 1;
        QStringView content;
        if (atxHeading(line, &content) > 0)
            ++headings;
        const QStringView item = listItemContent(line);
        if (!item.isNull() && (item.contains(u"]("_s) || item.contains(u"**"_s)) && !item.contains(u"](#"_s))
            ++paperItems;
        if (isTableSeparator(line) && line.contains(u'|') && previous.contains(u'|')
            && (previous.contains(u"title"_s, Qt::CaseInsensitive) || previous.contains(u"paper"_s, Qt::CaseInsensitive)))
            ++tables;
        previous = line;
    }
    int score = headings > 0 ? 10 : 0;
    if (paperItems > 0)
        score = (headings > 0 ? 55 : 15) + std::min(paperItems, 10) * 4;
    if (tables > 0)
        score = std::max(score, headings > 0 ? 80 : 65);
    return std::min(score, 95);
}

ParseResult MarkdownListImporter::parse(const QString &text, const QString &fileName, const ImportContext &) const
{
    ParseResult result;
    if (text.trimmed().isEmpty()) {
        result.diagnostics.append(ImportDiagnostic{ImportDiagnostic::Severity::Warning, fileName, 0, tr("the file is empty")});
        return result;
    }
    ListParser parser(fileName, result);
    parser.run(text);
    if (result.records.documents.isEmpty())
        result.diagnostics.append(ImportDiagnostic{ImportDiagnostic::Severity::Warning, fileName, 0, tr("no papers found in the list")});
    return result;
}

} // namespace Atlas

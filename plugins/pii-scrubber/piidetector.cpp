#include "piidetector.h"

#include "checksums.h"

#include <QRegularExpression>

#include <algorithm>

namespace Atlas::PiiScrubber
{

namespace
{

bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

QChar charAt(const QString &text, qsizetype i)
{
    return i >= 0 && i < text.size() ? text.at(i) : QChar();
}

// A run of digit groups, as phone and card numbers are written: "(020) 7946-0018".
struct DigitGroup {
    qsizetype start = 0; // including a '(' around the group
    qsizetype end = 0; // including a ')'
    QString digits;
    bool parens = false;
    QChar separatorBefore; // null for the first group or when a '(' follows directly
};

// Reads the groups of the run that starts at `position`; `allowParens` for phones.
QList<DigitGroup> readDigitGroups(const QString &text, qsizetype position, const QString &separators, bool allowParens, qsizetype *runEnd)
{
    QList<DigitGroup> groups;
    qsizetype pos = position;
    QChar separator;
    while (pos < text.size()) {
        DigitGroup group;
        group.start = pos;
        group.separatorBefore = separator;
        if (allowParens && text.at(pos) == u'(') {
            group.parens = true;
            ++pos;
        }
        while (pos < text.size() && isAsciiDigit(text.at(pos)))
            group.digits += text.at(pos++);
        if (group.digits.isEmpty() || (group.parens && charAt(text, pos) != u')')) {
            pos = group.start;
            break;
        }
        if (group.parens)
            ++pos;
        group.end = pos;
        groups.append(group);
        // A separator counts only when another group follows it.
        const QChar next = charAt(text, pos);
        qsizetype after = pos;
        separator = QChar();
        if (!next.isNull() && separators.contains(next)) {
            separator = next;
            ++after;
        } else if (!(allowParens && next == u'(') && !(group.parens && isAsciiDigit(next))) {
            // Groups may touch only around parentheses: "+44(0)20", "(020)7946".
            break;
        }
        const QChar first = charAt(text, after);
        if (!(isAsciiDigit(first) || (allowParens && first == u'(' && isAsciiDigit(charAt(text, after + 1)))))
            break;
        pos = after;
    }
    *runEnd = groups.isEmpty() ? position : groups.last().end;
    return groups;
}

// Tries the run, then the run cut short before each space from the end, so "020 7946 0018 3x"
// still yields the number; the run's start stays, since a number glued to digits before it is
// more often part of something else (an account, an IBAN's body). `accept(last)` decides.
template<typename Accept>
void scanRun(const QList<DigitGroup> &groups, PiiKind kind, QList<PiiSpan> *spans, Accept accept)
{
    for (qsizetype last = groups.size() - 1; last >= 0; --last) {
        if (last + 1 < groups.size() && groups.at(last + 1).separatorBefore != u' ')
            continue;
        if (accept(last)) {
            spans->append({groups.first().start, groups.at(last).end, kind});
            return;
        }
    }
}

bool separatorsConsistent(const QList<DigitGroup> &groups, qsizetype last)
{
    bool anyDot = false;
    bool anyOther = false;
    for (qsizetype k = 1; k <= last; ++k) {
        if (groups.at(k).separatorBefore == u'.')
            anyDot = true;
        else
            anyOther = true;
    }
    return !(anyDot && anyOther);
}

bool phoneValid(const QList<DigitGroup> &groups, qsizetype last, bool plus)
{
    const qsizetype first = 0;
    if (!separatorsConsistent(groups, last))
        return false;
    int digits = 0;
    int parens = 0;
    for (qsizetype k = first; k <= last; ++k) {
        digits += int(groups.at(k).digits.size());
        parens += groups.at(k).parens ? 1 : 0;
    }
    if (parens > 1)
        return false;
    const DigitGroup &head = groups.at(first);
    const qsizetype count = last - first + 1;
    if (plus) {
        // "+44 20 7946 0018", "+1 (202) 555-0143", "+44 (0)20 7946 0018", "+442079460018".
        if (head.parens || head.digits.size() > (count == 1 ? 15 : 3))
            return false;
        for (qsizetype k = first + 1; k <= last; ++k) {
            if (groups.at(k).digits.size() > 8)
                return false;
        }
        // After the country code the national trunk 0 is dropped, or written "(0)".
        if (count > 1 && groups.at(first + 1).digits.startsWith(u'0') && !(groups.at(first + 1).parens && groups.at(first + 1).digits == QLatin1String("0")))
            return false;
        const bool trunkZero = parens == 1 && std::any_of(groups.begin() + first, groups.begin() + last + 1, [](const DigitGroup &g) {
                                   return g.parens && g.digits == QLatin1String("0");
                               });
        const int significant = digits - (trunkZero ? 1 : 0);
        return significant >= 8 && significant <= 15;
    }
    if (count < 2)
        return false;
    for (qsizetype k = first + 1; k <= last; ++k) {
        if (groups.at(k).digits.size() < 2 || groups.at(k).digits.size() > 8)
            return false;
    }
    if (!head.parens && head.digits.startsWith(QLatin1String("00")) && head.digits.size() <= 5) {
        // "0044 20 7946 0018", "00 44 20 7946 0018": the international prefix of most of
        // Europe. A country code does not start with 0, and the trunk 0 after it is dropped.
        const bool codeApart = head.digits.size() == 2;
        if (codeApart && count < 3)
            return false;
        const QString code = codeApart ? groups.at(first + 1).digits : head.digits.mid(2);
        const qsizetype next = first + (codeApart ? 2 : 1);
        if (code.startsWith(u'0') || code.size() > 3 || groups.at(next).digits.startsWith(u'0'))
            return false;
        const int significant = digits - 2;
        return significant >= 8 && significant <= 15;
    }
    if (head.digits.startsWith(u'0'))
        return head.digits.size() >= 2 && head.digits.size() <= 5 && digits >= 9 && digits <= 11;
    // North American: [1] NXX NXX XXXX.
    qsizetype area = first;
    if (count == 4 && !head.parens && head.digits == QLatin1String("1"))
        area = first + 1;
    if (last - area + 1 != 3)
        return false;
    const DigitGroup &a = groups.at(area);
    const DigitGroup &b = groups.at(area + 1);
    const DigitGroup &c = groups.at(area + 2);
    if (b.parens || c.parens)
        return false;
    return a.digits.size() == 3 && b.digits.size() == 3 && c.digits.size() == 4 && a.digits.at(0) >= u'2' && b.digits.at(0) >= u'2';
}

bool cardPrefixValid(const QString &digits)
{
    const qsizetype n = digits.size();
    auto prefix = [&](int length) {
        return digits.left(length).toInt();
    };
    auto between = [&](int length, int low, int high) {
        const int p = prefix(length);
        return p >= low && p <= high;
    };
    if (digits.startsWith(u'4'))
        return n == 13 || n == 16 || n == 19; // Visa
    if (between(2, 51, 55) || between(4, 2221, 2720))
        return n == 16; // Mastercard
    if (prefix(2) == 34 || prefix(2) == 37)
        return n == 15; // American Express
    if (prefix(4) == 6011 || between(3, 644, 649) || prefix(2) == 65)
        return n >= 16 && n <= 19; // Discover
    if (between(4, 3528, 3589))
        return n >= 16 && n <= 19; // JCB
    if (between(3, 300, 305) || prefix(4) == 3095 || prefix(2) == 36 || prefix(2) == 38 || prefix(2) == 39)
        return n >= 14 && n <= 19; // Diners Club
    if (prefix(2) == 62)
        return n >= 16 && n <= 19; // UnionPay
    if (prefix(2) == 50 || between(2, 56, 58) || prefix(2) == 63 || prefix(2) == 67)
        return n >= 13 && n <= 19; // Maestro
    return false;
}

bool cardValid(const QList<DigitGroup> &groups, qsizetype last)
{
    const qsizetype first = 0;
    QString digits;
    QChar separator;
    for (qsizetype k = first; k <= last; ++k) {
        if (k > first) {
            if (separator.isNull())
                separator = groups.at(k).separatorBefore;
            else if (groups.at(k).separatorBefore != separator)
                return false;
        }
        if (k < last && (groups.at(k).digits.size() < 4 || groups.at(k).digits.size() > 6))
            return false;
        digits += groups.at(k).digits;
    }
    return digits.size() >= 13 && digits.size() <= 19 && cardPrefixValid(digits) && luhnValid(digits);
}

bool ipv6Valid(const QString &candidate)
{
    QString text = candidate;
    int extraGroups = 0;
    // An IPv4 tail ("::ffff:192.0.2.1") stands for the last two groups.
    if (const qsizetype lastColon = text.lastIndexOf(u':'); text.indexOf(u'.', lastColon) >= 0) {
        const QStringList octets = text.mid(lastColon + 1).split(u'.');
        if (octets.size() != 4)
            return false;
        for (const QString &octet : octets) {
            bool ok = false;
            const int value = octet.toInt(&ok);
            if (!ok || value > 255 || (octet.size() > 1 && octet.startsWith(u'0')))
                return false;
        }
        text = text.left(lastColon + 1) + QStringLiteral("0");
        extraGroups = 1;
    }
    const qsizetype compression = text.indexOf(QLatin1String("::"));
    if (compression >= 0 && text.indexOf(QLatin1String("::"), compression + 1) >= 0)
        return false;
    auto groupsOf = [](const QString &part, int *count) {
        if (part.isEmpty()) {
            *count = 0;
            return true;
        }
        const QStringList groups = part.split(u':');
        for (const QString &group : groups) {
            if (group.isEmpty() || group.size() > 4)
                return false;
        }
        *count = int(groups.size());
        return true;
    };
    int groups = 0;
    if (compression >= 0) {
        int before = 0;
        int after = 0;
        if (!groupsOf(text.left(compression), &before) || !groupsOf(text.mid(compression + 2), &after))
            return false;
        groups = before + after + extraGroups;
        if (groups > 7)
            return false;
        if (groups < 2 && text != QLatin1String("::1"))
            return false;
    } else {
        if (!groupsOf(text, &groups))
            return false;
        groups += extraGroups;
        if (groups != 8)
            return false;
    }
    return std::any_of(candidate.begin(), candidate.end(), isAsciiDigit);
}

} // namespace

QList<PiiSpan> findEmails(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral(
        R"((?<![\w.%+-])([A-Za-z0-9._%+-]+)@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-]|\.[A-Za-z0-9]))"));
    QList<PiiSpan> spans;
    auto it = pattern.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        const QString local = match.captured(1);
        if (local.startsWith(u'.') || local.endsWith(u'.') || local.contains(QLatin1String("..")))
            continue;
        spans.append({match.capturedStart(), match.capturedEnd(), PiiKind::Email});
    }
    return spans;
}

QList<PiiSpan> findPhones(const QString &text)
{
    static const QString separators = QStringLiteral(" -.");
    QList<PiiSpan> spans;
    qsizetype i = 0;
    while (i < text.size()) {
        const QChar c = text.at(i);
        const bool plus = c == u'+' && isAsciiDigit(charAt(text, i + 1));
        const bool starts = isAsciiDigit(c) || plus || (c == u'(' && isAsciiDigit(charAt(text, i + 1)));
        const QChar before = charAt(text, i - 1);
        const bool boundary = before.isNull() || !(before.isLetterOrNumber() || QStringView(u".-+@#/_\\").contains(before));
        if (!starts || !boundary) {
            ++i;
            continue;
        }
        qsizetype runEnd = i;
        const QList<DigitGroup> groups = readDigitGroups(text, plus ? i + 1 : i, separators, true, &runEnd);
        // A run glued to a letter or to more digits by a dot or dash is something else.
        const QChar after = charAt(text, runEnd);
        if (groups.isEmpty() || after.isLetterOrNumber() || after == u'@') {
            i = std::max(runEnd, i + 1);
            continue;
        }
        QList<PiiSpan> found;
        scanRun(groups, PiiKind::Phone, &found, [&](qsizetype last) {
            return phoneValid(groups, last, plus);
        });
        for (PiiSpan &span : found) {
            if (plus && span.start == groups.first().start)
                span.start = i;
            spans.append(span);
        }
        i = std::max(runEnd, i + 1);
    }
    return spans;
}

QList<PiiSpan> findIps(const QString &text)
{
    static const QRegularExpression v4(QStringLiteral(R"((?<![\w.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\w]|\.\d))"));
    static const QRegularExpression versionBefore(QStringLiteral(R"((?:\b(?:version|ver|release|build|firmware)|\bv)[\s.:]*$)"),
                                                  QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression v6(
        QStringLiteral(R"((?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{1,4}|(?<=:))(?![\w:]|\.\w))"));
    QList<PiiSpan> spans;
    auto it = v4.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        bool valid = true;
        for (int k = 1; k <= 4; ++k) {
            const QString octet = match.captured(k);
            if (octet.toInt() > 255 || (octet.size() > 1 && octet.startsWith(u'0')))
                valid = false;
        }
        const qsizetype from = std::max<qsizetype>(0, match.capturedStart() - 24);
        if (valid && versionBefore.match(text.mid(from, match.capturedStart() - from)).hasMatch())
            valid = false;
        if (valid)
            spans.append({match.capturedStart(), match.capturedEnd(), PiiKind::Ip});
    }
    it = v6.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        if (ipv6Valid(match.captured(0)))
            spans.append({match.capturedStart(), match.capturedEnd(), PiiKind::Ip});
    }
    std::sort(spans.begin(), spans.end(), [](const PiiSpan &a, const PiiSpan &b) {
        return a.start < b.start;
    });
    return spans;
}

QList<PiiSpan> findCards(const QString &text)
{
    static const QString separators = QStringLiteral(" -");
    QList<PiiSpan> spans;
    qsizetype i = 0;
    while (i < text.size()) {
        const QChar before = charAt(text, i - 1);
        const bool boundary = before.isNull() || !(before.isLetterOrNumber() || QStringView(u".-+_/").contains(before));
        if (!isAsciiDigit(text.at(i)) || !boundary) {
            ++i;
            continue;
        }
        qsizetype runEnd = i;
        const QList<DigitGroup> groups = readDigitGroups(text, i, separators, false, &runEnd);
        const QChar after = charAt(text, runEnd);
        if (!after.isLetterOrNumber() && !(after == u'.' && isAsciiDigit(charAt(text, runEnd + 1)))) {
            scanRun(groups, PiiKind::Card, &spans, [&](qsizetype last) {
                return cardValid(groups, last);
            });
        }
        i = std::max(runEnd, i + 1);
    }
    return spans;
}

QList<PiiSpan> findIbans(const QString &text)
{
    // Either contiguous or in groups of up to four; the country's length decides where it ends.
    static const QRegularExpression pattern(QStringLiteral(R"((?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?:[A-Z0-9]{10,30}|(?: [A-Z0-9]{1,4})+)(?![A-Za-z0-9]))"));
    QList<PiiSpan> spans;
    auto it = pattern.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        const QString candidate = match.captured(0);
        const int length = ibanLengthFor(candidate.left(2));
        if (length == 0)
            continue;
        qsizetype end = -1;
        if (!candidate.contains(u' ')) {
            if (candidate.size() == length)
                end = candidate.size();
        } else {
            // Take groups while they add up to less than the length; all but the last must be
            // four characters long.
            const QStringList groups = candidate.split(u' ');
            qsizetype characters = 0;
            qsizetype position = 0;
            for (qsizetype k = 0; k < groups.size(); ++k) {
                const QString &group = groups.at(k);
                characters += group.size();
                position += group.size() + (k > 0 ? 1 : 0);
                if (characters == length) {
                    end = position;
                    break;
                }
                if (characters > length || group.size() != 4)
                    break;
            }
        }
        if (end < 0)
            continue;
        const QString iban = candidate.left(end);
        if (ibanChecksumValid(iban))
            spans.append({match.capturedStart(), match.capturedStart() + end, PiiKind::Iban});
    }
    return spans;
}

QList<PiiSpan> resolveOverlaps(QList<PiiSpan> candidates)
{
    std::stable_sort(candidates.begin(), candidates.end(), [](const PiiSpan &a, const PiiSpan &b) {
        if (a.kind != b.kind)
            return int(a.kind) < int(b.kind);
        if (a.length() != b.length())
            return a.length() > b.length();
        return a.start < b.start;
    });
    QList<PiiSpan> kept;
    for (const PiiSpan &span : std::as_const(candidates)) {
        if (std::none_of(kept.begin(), kept.end(), [&](const PiiSpan &k) {
                return k.overlaps(span);
            }))
            kept.append(span);
    }
    std::sort(kept.begin(), kept.end(), [](const PiiSpan &a, const PiiSpan &b) {
        return a.start < b.start;
    });
    return kept;
}

PiiDetector::PiiDetector(const QList<PiiKind> &kinds)
    : m_kinds(kinds.begin(), kinds.end())
{
}

QList<PiiSpan> PiiDetector::detect(const QString &text) const
{
    QList<PiiSpan> candidates;
    if (isEnabled(PiiKind::Email))
        candidates += findEmails(text);
    if (isEnabled(PiiKind::Iban))
        candidates += findIbans(text);
    if (isEnabled(PiiKind::Card))
        candidates += findCards(text);
    if (isEnabled(PiiKind::Ip))
        candidates += findIps(text);
    if (isEnabled(PiiKind::Phone))
        candidates += findPhones(text);
    return resolveOverlaps(candidates);
}

int MaskNumbering::numberFor(PiiKind kind, const QString &value)
{
    // The same address written with other spacing or case is the same value.
    static const QRegularExpression separators(QStringLiteral("[\\s().-]"));
    QString key = value.toLower();
    if (kind != PiiKind::Email)
        key.remove(separators);
    key = kindTag(kind) + u':' + key;
    if (const auto it = m_numbers.constFind(key); it != m_numbers.constEnd())
        return it.value();
    const int number = ++m_next[int(kind)];
    m_numbers.insert(key, number);
    return number;
}

QString redact(const QString &text, const QList<PiiSpan> &spans, MaskStyle style, MaskNumbering *numbering)
{
    QString out;
    qsizetype position = 0;
    for (const PiiSpan &span : spans) {
        out += QStringView(text).mid(position, span.start - position);
        if (style == MaskStyle::Numbered && numbering)
            out += u'[' + kindTag(span.kind) + u'_' + QString::number(numbering->numberFor(span.kind, text.mid(span.start, span.length()))) + u']';
        else
            out += u'[' + kindTag(span.kind) + u']';
        position = span.end;
    }
    out += QStringView(text).mid(position);
    return out;
}

} // namespace Atlas::PiiScrubber

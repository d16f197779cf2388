#include "abstractlistimporter.h"

#include <QCoreApplication>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Atlas
{

namespace
{

QString tr(const char *text)
{
    return QCoreApplication::translate("AbstractListImporter", text);
}

constexpr qsizetype MaxTitleWords = 12;
// A clause a little longer than MaxTitleWords is kept whole rather than cut just before its end.
constexpr qsizetype MaxWholeClauseWords = 14;

// The text after "Abstract:" when the line starts a block, or a null view.
QStringView blockStart(QStringView line)
{
    const QStringView t = line.trimmed();
    if (!t.startsWith(u"abstract:", Qt::CaseInsensitive))
        return {};
    const QStringView rest = t.mid(9).trimmed();
    return rest.isNull() ? QStringView(u"") : rest;
}

// Where the first sentence ends: at ". ", "? " or "! ", but not after an initial or "e.g."/"et al.".
qsizetype sentenceEnd(const QString &text)
{
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        const QChar c = text.at(i);
        if ((c != u'.' && c != u'?' && c != u'!') || !text.at(i + 1).isSpace())
            continue;
        if (c == u'.') {
            const qsizetype space = text.lastIndexOf(u' ', i);
            const QString word = text.mid(space + 1, i - space - 1).toLower();
            if (word.size() <= 1 || word == u"e.g"_s || word == u"i.e"_s || word == u"al"_s || word == u"etc"_s || word == u"vs"_s)
                continue;
        }
        return i;
    }
    return text.size();
}

} // namespace

QString AbstractListImporter::inferTitle(const QString &abstract)
{
    const QString text = abstract.simplified();
    QString sentence = text.left(sentenceEnd(text));
    // The main clause: up to the first comma, semicolon, colon or dash outside parentheses.
    int depth = 0;
    for (qsizetype i = 0; i < sentence.size(); ++i) {
        const QChar c = sentence.at(i);
        if (c == u'(')
            ++depth;
        else if (c == u')' && depth > 0)
            --depth;
        else if (depth == 0 && (c == u',' || c == u';' || c == u':' || c == u'\u2014') && i > 0) {
            if (sentence.left(i).count(u' ') >= 3) {
                sentence.truncate(i);
                break;
            }
        }
    }
    // Parenthesised asides ("(LLMs)") do not belong in a title.
    QString bare;
    depth = 0;
    for (const QChar c : std::as_const(sentence)) {
        if (c == u'(')
            ++depth;
        else if (c == u')' && depth > 0)
            --depth;
        else if (depth == 0)
            bare += c;
    }
    if (std::any_of(bare.cbegin(), bare.cend(), [](QChar c) {
            return c.isLetterOrNumber();
        }))
        sentence = bare;
    QStringList words = sentence.split(u' ', Qt::SkipEmptyParts);
    // Do not end on a word that leads into the part cut off, nor inside parentheses.
    static const QSet<QString> dangling{u"a"_s, u"an"_s, u"the"_s, u"of"_s, u"in"_s, u"on"_s, u"for"_s, u"to"_s, u"and"_s, u"or"_s, u"with"_s,
        u"by"_s, u"from"_s, u"as"_s, u"at"_s, u"into"_s, u"its"_s, u"their"_s, u"is"_s, u"are"_s, u"was"_s, u"were"_s, u"be"_s, u"that"_s,
        u"which"_s, u"this"_s, u"these"_s, u"we"_s};
    if (words.size() > MaxWholeClauseWords) {
        words = words.mid(0, MaxTitleWords);
        // Cut before a phrase the cut would leave unfinished ("have introduced a new").
        for (qsizetype j = words.size() - 1; j >= words.size() - 3 && j > 0; --j) {
            if (dangling.contains(words.at(j).toLower())) {
                words = words.mid(0, j);
                break;
            }
        }
    }
    while (words.size() > 1) {
        const QString last = words.last();
        const QString joined = words.join(u' ');
        const bool unbalanced = joined.count(u'(') > joined.count(u')');
        if (!dangling.contains(last.toLower()) && !unbalanced)
            break;
        words.removeLast();
    }
    QString title = words.join(u' ');
    while (!title.isEmpty() && QStringLiteral(".,;:!-").contains(title.back()))
        title.chop(1);
    return title.trimmed();
}

QString AbstractListImporter::displayName() const
{
    return tr("List of abstracts (text)");
}

int AbstractListImporter::sniff(QStringView head, const QString &) const
{
    qsizetype start = 0;
    int nonEmpty = 0;
    bool seen = false;
    for (int count = 0; start < head.size() && count < 5000; ++count) {
        qsizetype end = head.indexOf(u'\n', start);
        if (end < 0)
            end = head.size();
        const QStringView line = head.mid(start, end - start);
        start = end + 1;
        if (line.trimmed().isEmpty())
            continue;
        ++nonEmpty;
        if (!blockStart(line).isNull()) {
            if (nonEmpty == 1)
                return 90;
            if (nonEmpty <= 20)
                return 60;
            seen = true;
        }
    }
    return seen ? 10 : 0;
}

ParseResult AbstractListImporter::parse(const QString &text, const QString &fileName, const ImportContext &) const
{
    ParseResult result;
    struct Block {
        int line = 0;
        QStringList parts;
    };
    QList<Block> blocks;
    bool warnedPreamble = false;
    qsizetype start = 0;
    for (int number = 1; start <= text.size(); ++number) {
        qsizetype end = text.indexOf(u'\n', start);
        if (end < 0)
            end = text.size();
        const QStringView line = QStringView(text).mid(start, end - start);
        start = end + 1;
        if (const QStringView rest = blockStart(line); !rest.isNull()) {
            blocks.append(Block{number, {}});
            if (!rest.isEmpty())
                blocks.last().parts.append(rest.toString());
            continue;
        }
        const QStringView trimmed = line.trimmed();
        if (trimmed.isEmpty())
            continue;
        if (blocks.isEmpty()) {
            if (!warnedPreamble)
                result.diagnostics.append(ImportDiagnostic{ImportDiagnostic::Severity::Warning, fileName, number,
                                                           tr("text before the first \"Abstract:\" is ignored")});
            warnedPreamble = true;
            continue;
        }
        blocks.last().parts.append(trimmed.toString());
    }
    if (blocks.isEmpty()) {
        result.diagnostics.clear(); // no preamble: the whole file is not the format
        result.diagnostics.append(ImportDiagnostic{ImportDiagnostic::Severity::Error, fileName, text.trimmed().isEmpty() ? 0 : 1,
                                                   tr("no \"Abstract:\" block: this is not a list of abstracts")});
        return result;
    }
    for (const Block &block : std::as_const(blocks)) {
        const QString abstract = block.parts.join(u' ').trimmed();
        if (abstract.isEmpty()) {
            result.diagnostics.append(ImportDiagnostic{ImportDiagnostic::Severity::Error, fileName, block.line, tr("an empty abstract")});
            ++result.skipped;
            continue;
        }
        DocumentRecord d;
        d.line = block.line;
        d.key = u"abstract-%1"_s.arg(block.line);
        d.abstract = abstract;
        d.title = inferTitle(abstract);
        d.titleInferred = true;
        d.needsReview = true;
        result.records.documents.append(d);
    }
    return result;
}

} // namespace Atlas

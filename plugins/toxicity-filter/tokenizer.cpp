#include "tokenizer.h"

namespace Atlas::ToxicityFilter
{

namespace
{

// The letter a leetspeak character stands for, or a null QChar.
QChar leetLetter(QChar c)
{
    switch (c.unicode()) {
    case u'0':
        return u'o';
    case u'1':
        return u'i';
    case u'3':
        return u'e';
    case u'4':
        return u'a';
    case u'5':
        return u's';
    case u'7':
        return u't';
    case u'@':
        return u'a';
    case u'$':
        return u's';
    default:
        return QChar();
    }
}

bool isApostrophe(QChar c)
{
    return c == u'\'' || c == u'\u2019' || c == u'\u2018';
}

// Shrinks every run of three or more equal letters to one letter. Runs of two stay, since
// English spells many words with double letters ("loser" against "looser").
QString shrinkRuns(const QString &token)
{
    QString out;
    out.reserve(token.size());
    qsizetype i = 0;
    while (i < token.size()) {
        qsizetype j = i + 1;
        while (j < token.size() && token.at(j) == token.at(i))
            ++j;
        const qsizetype run = j - i;
        if (run >= 3 && token.at(i).isLetter())
            out += token.at(i);
        else
            out += token.mid(i, run);
        i = j;
    }
    return out;
}

} // namespace

QStringList tokenize(const QString &text)
{
    QStringList tokens;
    const QString lower = text.toLower();
    qsizetype i = 0;
    while (i < lower.size()) {
        while (i < lower.size() && lower.at(i).isSpace())
            ++i;
        qsizetype end = i;
        while (end < lower.size() && !lower.at(end).isSpace())
            ++end;
        if (end == i)
            break;
        // A whitespace-delimited chunk; leetspeak is only read where the chunk has a letter.
        QString chunk = lower.mid(i, end - i);
        i = end;
        bool hasLetter = false;
        for (QChar c : std::as_const(chunk)) {
            if (c.isLetter()) {
                hasLetter = true;
                break;
            }
        }
        QString current;
        auto flush = [&]() {
            if (!current.isEmpty())
                tokens.append(shrinkRuns(current));
            current.clear();
        };
        for (qsizetype k = 0; k < chunk.size(); ++k) {
            QChar c = chunk.at(k);
            if (isApostrophe(c))
                continue;
            if (hasLetter) {
                const QChar letter = leetLetter(c);
                // '@' and '$' at the edge of a chunk are more often punctuation than letters
                // ("@alice", "$5"), so they only count as letters inside a word.
                const bool edgeSymbol = (c == u'@' || c == u'$') && (k == 0 || k + 1 == chunk.size());
                if (!letter.isNull() && !edgeSymbol)
                    c = letter;
            }
            if (c.isLetterOrNumber())
                current += c;
            else
                flush();
        }
        flush();
    }
    return tokens;
}

} // namespace Atlas::ToxicityFilter

#include "wordtokens.h"

namespace CounterfactualAugmentation
{

QList<TextToken> tokenize(QStringView text)
{
    QList<TextToken> tokens;
    qsizetype start = 0;
    while (start < text.size()) {
        const bool word = text.at(start).isLetter();
        qsizetype end = start + 1;
        while (end < text.size() && text.at(end).isLetter() == word)
            ++end;
        tokens.append(TextToken {text.mid(start, end - start).toString(), word});
        start = end;
    }
    return tokens;
}

QStringList lowerWords(QStringView text)
{
    QStringList words;
    for (const TextToken &token : tokenize(text)) {
        if (token.isWord)
            words.append(token.text.toLower());
    }
    return words;
}

bool isSingleWord(QStringView text)
{
    if (text.isEmpty())
        return false;
    for (const QChar c : text) {
        if (!c.isLetter())
            return false;
    }
    return true;
}

QString matchCase(QStringView original, const QString &replacement)
{
    if (original.isEmpty() || replacement.isEmpty())
        return replacement;
    bool allUpper = original.size() > 1;
    for (const QChar c : original) {
        if (c.isLower()) {
            allUpper = false;
            break;
        }
    }
    if (allUpper)
        return replacement.toUpper();
    QString result = replacement.toLower();
    if (original.at(0).isUpper())
        result[0] = result.at(0).toUpper();
    return result;
}

} // namespace CounterfactualAugmentation

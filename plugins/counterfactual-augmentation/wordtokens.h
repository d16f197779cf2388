// Word tokens for the counterfactual-augmentation demo: text split into runs of letters and
// runs of everything else, so a sentence can be rewritten word by word and joined back exactly.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

namespace CounterfactualAugmentation
{

struct TextToken {
    QString text;
    bool isWord = false;
};

// Splits text into alternating runs of letters (words) and of other characters (spaces,
// digits, punctuation, apostrophes). Joining the token texts gives the input back, and a
// word never straddles an apostrophe, so "he's" is "he", "'", "s".
QList<TextToken> tokenize(QStringView text);

// The words of text, lower-cased, in order.
QStringList lowerWords(QStringView text);

// True when text is one non-empty run of letters.
bool isSingleWord(QStringView text);

// The replacement written in the case pattern of the original: all capitals (of two or more
// letters) stay all capitals, a capital first letter stays capital, anything else is lower case.
QString matchCase(QStringView original, const QString &replacement);

} // namespace CounterfactualAugmentation

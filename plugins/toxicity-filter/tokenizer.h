// Turns a document into the lower-case word tokens that the lexicon and the naive Bayes
// classifier both read, so the two scorers see the same words.
#pragma once

#include <QString>
#include <QStringList>

namespace Atlas::ToxicityFilter
{

// Splits `text` into tokens: lower case; apostrophes dropped ("you're" -> "youre"); every
// other character that is not a letter or a digit separates tokens. Inside a chunk that holds a
// letter, the common leetspeak stand-ins are read as letters (0 o, 1 i, 3 e, 4 a, 5 s, 7 t,
// @ a, $ s), so "l0ser" and "1d10t" are the words they spell while "2024" stays a number. A
// run of three or more of the same letter shrinks to one ("stuuupid" -> "stupid").
QStringList tokenize(const QString &text);

} // namespace Atlas::ToxicityFilter

// A weighted lexicon of abusive words and phrases, and the transparent score it gives a
// document: the noisy-OR of the weights of the terms found.
#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace Atlas::ToxicityFilter
{

// One term of the lexicon: its tokens (a phrase has several), whether its last token is a
// prefix (written with a trailing '*': "idiot*" matches "idiots" and "idiotic"), and its weight.
struct LexiconTerm {
    QString text;
    QStringList tokens;
    bool prefix = false;
    double weight = 0.0;
};

// A term found in a document, at token position `position`.
struct LexiconMatch {
    int term = -1;
    qsizetype position = 0;
};

class Lexicon
{
public:
    // Reads lines `term<TAB>weight` ('#' starts a comment line, blank lines are skipped) and
    // adds them; a term already present takes the new weight, so an extra file can re-weight
    // the shipped terms. The weight is in (0, 1]: the chance that this term alone makes a
    // document abusive. On a bad line nothing is added and `error` says "source:line: problem".
    bool add(const QByteArray &data, const QString &source, QString *error);

    qsizetype size() const { return m_terms.size(); }
    const QList<LexiconTerm> &terms() const { return m_terms; }

    // The terms found in `tokens`, left to right; at each position the longest term wins and
    // the search goes on after it, so a phrase is not counted again through its words.
    QList<LexiconMatch> match(const QStringList &tokens) const;
    // 1 - prod(1 - weight) over the matches: 0 with no match, and each further match moves the
    // score towards 1. A transparent stand-in for a probability of being abusive.
    double score(const QStringList &tokens) const;

private:
    bool matchesAt(const LexiconTerm &term, const QStringList &tokens, qsizetype position) const;

    QList<LexiconTerm> m_terms;
    QHash<QString, int> m_byText;
    // Terms by their first token (exact first tokens); terms whose first token is a prefix.
    QHash<QString, QList<int>> m_byFirstToken;
    QList<int> m_prefixFirst;
};

} // namespace Atlas::ToxicityFilter

#include "counterfactualswapper.h"

#include "wordtokens.h"

#include <QSet>

namespace CounterfactualAugmentation
{

namespace
{

// Words that cannot follow a possessive "her"/"his" but often follow an object "her" or an
// independent "his": prepositions, conjunctions, determiners, pronouns, auxiliaries and a few
// adverbs and particles. After one of these, "her" is "him" (gave her a book, thanked her
// and left) and "his" is "hers" (his is the red one). Words that can be adjectives or nouns
// ("first", "very", "own") are left out on purpose, so "her own car" stays possessive.
const QSet<QString> &nonNounFollowers()
{
    static const QSet<QString> words = [] {
        QSet<QString> set;
        const char *const list[] = {// prepositions
            "about", "above", "across", "after", "against", "along", "among", "around", "as", "at", "before", "behind", "below", "beside", "between", "beyond",
            "by", "despite", "down", "during", "except", "for", "from", "in", "inside", "into", "like", "near", "of", "off", "on", "onto", "out", "outside",
            "over", "past", "since", "through", "throughout", "till", "to", "toward", "towards", "under", "until", "up", "upon", "via", "with", "within",
            "without",
            // conjunctions
            "and", "or", "but", "nor", "so", "yet", "because", "although", "though", "while", "whereas", "if", "unless", "when", "whenever", "where",
            "wherever", "whether", "that", "than",
            // determiners and quantifiers
            "a", "an", "the", "this", "these", "those", "some", "any", "each", "every", "no", "all", "both", "another", "several", "many", "few", "much",
            "more", "most", "such", "what", "which", "whose", "who", "whom", "how", "why",
            // pronouns
            "i", "you", "he", "she", "it", "we", "they", "me", "us", "them", "him", "myself", "yourself", "itself", "ourselves", "themselves", "everyone",
            "everybody", "someone", "somebody", "anyone", "anybody", "nobody", "something", "anything", "nothing", "everything",
            // possessive determiners: the first of "gave her her coat" is the object
            "my", "your", "its", "our", "their", "his", "her",
            // auxiliaries and copulas
            "is", "was", "are", "were", "be", "been", "am", "will", "would", "can", "could", "shall", "should", "may", "might", "must", "has", "have", "had",
            "does", "did", "do",
            // adverbs and particles
            "again", "too", "now", "then", "later", "soon", "already", "also", "always", "never", "often", "still", "here", "there", "yesterday", "today",
            "tomorrow", "tonight", "back", "away", "not", "just", "twice", "directly", "immediately", "personally", "afterwards", "anyway", "either", "instead",
            "ever"};
        for (const char *word : list)
            set.insert(QLatin1String(word));
        return set;
    }();
    return words;
}

// "let her go", "helped her finish": after these verbs, "her" followed by a bare verb is an object.
const QSet<QString> &causativeVerbs()
{
    static const QSet<QString> words = [] {
        QSet<QString> set;
        const char *const list[] = {"let", "lets", "letting", "make", "makes", "made", "making", "help", "helps", "helped", "helping", "watch", "watches",
            "watched", "see", "sees", "saw", "seen", "hear", "hears", "heard", "have", "has", "had", "notice", "noticed", "feel", "felt"};
        for (const char *word : list)
            set.insert(QLatin1String(word));
        return set;
    }();
    return words;
}

const QSet<QString> &bareVerbs()
{
    static const QSet<QString> words = [] {
        QSet<QString> set;
        const char *const list[] = {"go", "come", "leave", "stay", "know", "see", "do", "be", "have", "make", "take", "get", "find", "work", "laugh", "cry",
            "speak", "talk", "decide", "sign", "win", "lead", "run", "try", "finish", "start", "wait", "rest", "explain", "sit", "stand", "think", "choose",
            "join", "use", "read", "write", "say", "call", "drive", "fly", "teach", "cook", "help", "fix", "answer", "check", "review", "handle", "manage",
            "present", "sing", "dance", "play", "sleep", "eat", "move", "walk"};
        for (const char *word : list)
            set.insert(QLatin1String(word));
        return set;
    }();
    return words;
}

} // namespace

CounterfactualSwapper::CounterfactualSwapper(const WordPairList &pairs)
{
    for (const WordPair &pair : pairs.pairs()) {
        QStringList &toFeminine = m_partners[pair.masculine];
        if (!toFeminine.contains(pair.feminine))
            toFeminine.append(pair.feminine);
        QStringList &toMasculine = m_partners[pair.feminine];
        if (!toMasculine.contains(pair.masculine))
            toMasculine.append(pair.masculine);
    }
}

QString CounterfactualSwapper::choosePartner(
    const QString &word, const QStringList &partners, const QString &previousWord, const QString &nextWord, bool nextIsNumber) const
{
    if (partners.size() == 1)
        return partners.first();
    // A word after punctuation or at the end, or a closed-class word, cannot be the noun a
    // possessive determiner needs, so the pronoun stands alone there.
    const bool standsAlone = !nextIsNumber && (nextWord.isEmpty() || nonNounFollowers().contains(nextWord));
    if (word == QLatin1String("her") && partners.contains(QLatin1String("him")) && partners.contains(QLatin1String("his"))) {
        const bool objectOfCausative = causativeVerbs().contains(previousWord) && bareVerbs().contains(nextWord);
        return (standsAlone || objectOfCausative) ? QStringLiteral("him") : QStringLiteral("his");
    }
    if (word == QLatin1String("his") && partners.contains(QLatin1String("her")) && partners.contains(QLatin1String("hers")))
        return standsAlone ? QStringLiteral("hers") : QStringLiteral("her");
    return partners.first();
}

CounterfactualSwapper::Result CounterfactualSwapper::swap(QStringView sentence) const
{
    const QList<TextToken> tokens = tokenize(sentence);
    // The context of a word is its neighbour word when only spaces lie between them; any
    // other character in between (punctuation, a line end) counts as no neighbour.
    const auto neighbourWord = [&tokens](qsizetype i, int direction) -> QString {
        const qsizetype gap = i + direction;
        const qsizetype word = i + 2 * direction;
        if (gap < 0 || gap >= tokens.size() || word < 0 || word >= tokens.size())
            return QString();
        if (!tokens.at(gap).text.trimmed().isEmpty())
            return QString();
        return tokens.at(word).text.toLower();
    };
    Result result;
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        const TextToken &token = tokens.at(i);
        if (!token.isWord) {
            result.text += token.text;
            continue;
        }
        const QString lower = token.text.toLower();
        const auto found = m_partners.constFind(lower);
        if (found == m_partners.constEnd()) {
            result.text += token.text;
            continue;
        }
        bool nextIsNumber = false;
        if (i + 1 < tokens.size()) {
            const QString gap = tokens.at(i + 1).text.trimmed();
            nextIsNumber = !gap.isEmpty() && gap.at(0).isDigit();
        }
        const QString partner = choosePartner(lower, found.value(), neighbourWord(i, -1), neighbourWord(i, +1), nextIsNumber);
        result.text += matchCase(token.text, partner);
        ++result.swaps;
    }
    return result;
}

} // namespace CounterfactualAugmentation

#include "wordpairlist.h"

#include "lexiconfile.h"
#include "wordtokens.h"

namespace CounterfactualAugmentation
{

bool WordPairList::load(const QString &path, QString *error)
{
    QString text;
    if (!readTextFile(path, &text, error))
        return false;
    return parse(text, path, error);
}

bool WordPairList::parse(const QString &text, const QString &source, QString *error)
{
    QList<WordPair> added;
    for (const LexiconRow &row : parseLexiconText(text)) {
        QString problem;
        if (row.fields.size() != 2)
            problem = QStringLiteral("expected two words (masculine, then feminine), found %1 field(s)").arg(row.fields.size());
        else if (!isSingleWord(row.fields.at(0)) || !isSingleWord(row.fields.at(1)))
            problem = QStringLiteral("'%1' is not a pair of single words made of letters").arg(row.fields.join(QLatin1Char(' ')));
        else if (row.fields.at(0).compare(row.fields.at(1), Qt::CaseInsensitive) == 0)
            problem = QStringLiteral("a word cannot be paired with itself ('%1')").arg(row.fields.at(0));
        if (!problem.isEmpty()) {
            if (error)
                *error = lineError(source, row.line, problem);
            return false;
        }
        added.append(WordPair {row.fields.at(0).toLower(), row.fields.at(1).toLower()});
    }
    m_pairs.append(added);
    return true;
}

void WordPairList::append(const WordPairList &other)
{
    m_pairs.append(other.m_pairs);
}

QSet<QString> WordPairList::masculineWords() const
{
    QSet<QString> words;
    for (const WordPair &pair : m_pairs)
        words.insert(pair.masculine);
    return words;
}

QSet<QString> WordPairList::feminineWords() const
{
    QSet<QString> words;
    for (const WordPair &pair : m_pairs)
        words.insert(pair.feminine);
    return words;
}

} // namespace CounterfactualAugmentation

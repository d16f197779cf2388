// WordPairList: masculine/feminine word pairs (he/she, king/queen, ...) read from the shipped
// list and from users' files in the same format.
#pragma once

#include <QList>
#include <QSet>
#include <QString>

namespace CounterfactualAugmentation
{

struct WordPair {
    QString masculine;
    QString feminine;
};

class WordPairList
{
public:
    // Adds the pairs of a file (see resources/demos/counterfactual-augmentation/README.md).
    // On a bad line, adds nothing and sets error to "file:line: problem".
    bool load(const QString &path, QString *error);
    // The same from text; source names it in errors.
    bool parse(const QString &text, const QString &source, QString *error);
    void append(const WordPairList &other);

    const QList<WordPair> &pairs() const { return m_pairs; }
    QSet<QString> masculineWords() const;
    QSet<QString> feminineWords() const;

private:
    QList<WordPair> m_pairs;
};

} // namespace CounterfactualAugmentation

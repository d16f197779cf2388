// CounterfactualSwapper: rewrites a sentence with every listed gendered word replaced by its
// partner (Lu et al. 2018, counterfactual data augmentation), keeping case and punctuation.
#pragma once

#include "wordpairlist.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QStringView>

namespace CounterfactualAugmentation
{

class CounterfactualSwapper
{
public:
    struct Result {
        QString text;
        int swaps = 0;
    };

    explicit CounterfactualSwapper(const WordPairList &pairs);

    Result swap(QStringView sentence) const;

    // The partners of a lower-case word, in the order the lists gave them (empty: not listed).
    QStringList partners(const QString &word) const { return m_partners.value(word); }

private:
    QString choosePartner(const QString &word, const QStringList &partners, const QString &previousWord, const QString &nextWord, bool nextIsNumber) const;

    QHash<QString, QStringList> m_partners;
};

} // namespace CounterfactualAugmentation

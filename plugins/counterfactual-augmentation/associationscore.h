// AssociationScore: how strongly each occupation co-occurs with masculine rather than feminine
// words in a corpus. bias(o) = |ln((m(o) + alpha) / (f(o) + alpha))|, where m(o) and f(o)
// count the gendered words in the same sentence as a mention of o (or within `window` words
// of it); the score is the mean bias over the occupations that co-occur with any gendered word.
#pragma once

#include "occupationlist.h"

#include <QList>
#include <QSet>
#include <QString>
#include <QStringView>

#include <vector>

namespace CounterfactualAugmentation
{

// Co-occurrence counts of each occupation (index as in the OccupationList).
struct GenderCounts {
    std::vector<double> masculine;
    std::vector<double> feminine;

    explicit GenderCounts(qsizetype occupations = 0) : masculine(std::size_t(occupations), 0.0), feminine(std::size_t(occupations), 0.0) { }
    void add(const GenderCounts &other);
};

class AssociationScore
{
public:
    // A word in both sets is ambiguous and counted in neither (see ambiguousWords()).
    AssociationScore(const QSet<QString> &masculine, const QSet<QString> &feminine, const OccupationList &occupations, int window, double alpha);

    GenderCounts count(QStringView sentence) const;
    double bias(const GenderCounts &counts, qsizetype occupation) const;
    // The mean bias over the occupations flagged in `scored`.
    double score(const GenderCounts &counts, const std::vector<bool> &scored) const;

    bool isGendered(const QString &lowerWord) const { return m_masculine.contains(lowerWord) || m_feminine.contains(lowerWord); }
    const QSet<QString> &ambiguousWords() const { return m_ambiguous; }
    qsizetype occupationCount() const { return m_occupations.size(); }

private:
    QSet<QString> m_masculine;
    QSet<QString> m_feminine;
    QSet<QString> m_ambiguous;
    OccupationList m_occupations;
    int m_window;
    double m_alpha;
};

} // namespace CounterfactualAugmentation

#include "associationscore.h"

#include "wordtokens.h"

#include <cmath>
#include <cstdlib>

namespace CounterfactualAugmentation
{

void GenderCounts::add(const GenderCounts &other)
{
    for (std::size_t i = 0; i < masculine.size() && i < other.masculine.size(); ++i) {
        masculine[i] += other.masculine[i];
        feminine[i] += other.feminine[i];
    }
}

AssociationScore::AssociationScore(const QSet<QString> &masculine, const QSet<QString> &feminine, const OccupationList &occupations, int window, double alpha)
    : m_masculine(masculine), m_feminine(feminine), m_occupations(occupations), m_window(window), m_alpha(alpha)
{
    m_ambiguous = m_masculine;
    m_ambiguous.intersect(m_feminine);
    m_masculine.subtract(m_ambiguous);
    m_feminine.subtract(m_ambiguous);
}

GenderCounts AssociationScore::count(QStringView sentence) const
{
    GenderCounts counts(m_occupations.size());
    const QStringList words = lowerWords(sentence);
    for (qsizetype i = 0; i < words.size(); ++i) {
        const int occupation = m_occupations.indexOfForm(words.at(i));
        if (occupation < 0)
            continue;
        for (qsizetype j = 0; j < words.size(); ++j) {
            if (j == i || (m_window > 0 && std::abs(j - i) > m_window))
                continue;
            if (m_masculine.contains(words.at(j)))
                counts.masculine[std::size_t(occupation)] += 1.0;
            else if (m_feminine.contains(words.at(j)))
                counts.feminine[std::size_t(occupation)] += 1.0;
        }
    }
    return counts;
}

double AssociationScore::bias(const GenderCounts &counts, qsizetype occupation) const
{
    const auto i = std::size_t(occupation);
    return std::abs(std::log((counts.masculine[i] + m_alpha) / (counts.feminine[i] + m_alpha)));
}

double AssociationScore::score(const GenderCounts &counts, const std::vector<bool> &scored) const
{
    double sum = 0.0;
    int n = 0;
    for (std::size_t i = 0; i < scored.size(); ++i) {
        if (!scored[i])
            continue;
        sum += bias(counts, qsizetype(i));
        ++n;
    }
    return n > 0 ? sum / n : 0.0;
}

} // namespace CounterfactualAugmentation

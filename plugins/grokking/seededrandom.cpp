#include "seededrandom.h"

#include <cmath>
#include <numbers>
#include <utility>

namespace Atlas::Grokking
{

SeededRandom::SeededRandom(quint64 seed) : m_engine(seed) { }

double SeededRandom::uniform()
{
    return double(m_engine() >> 11) * 0x1.0p-53;
}

double SeededRandom::normal()
{
    // u1 lies in (0, 1] so that the logarithm is finite.
    const double u1 = double((m_engine() >> 11) + 1) * 0x1.0p-53;
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

quint64 SeededRandom::below(quint64 bound)
{
    Q_ASSERT(bound > 0);
    // The largest multiple of bound that fits in 64 bits; draws at or above it would favour
    // the small remainders.
    const quint64 limit = ~quint64(0) - (~quint64(0) % bound);
    quint64 draw = m_engine();
    while (draw >= limit)
        draw = m_engine();
    return draw % bound;
}

void SeededRandom::shuffle(std::vector<int> &values)
{
    for (std::size_t i = values.size(); i > 1; --i) {
        const std::size_t j = std::size_t(below(i));
        std::swap(values[i - 1], values[j]);
    }
}

} // namespace Atlas::Grokking

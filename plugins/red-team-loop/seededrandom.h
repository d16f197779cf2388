// SeededRandom: draws built only on the raw output of std::mt19937_64, which the C++ standard
// fixes, so a seed gives the same simulation with every compiler and standard library.
#pragma once

#include <QtGlobal>

#include <random>

namespace RedTeamLoop
{

class SeededRandom
{
public:
    explicit SeededRandom(quint64 seed) : m_engine(seed) { }

    quint64 next() { return m_engine(); }
    // Uniform in [0, 1), from the top 53 bits.
    double uniform() { return double(m_engine() >> 11) * 0x1.0p-53; }
    // Uniform integer in [0, n); 0 when n <= 0.
    int below(int n) { return n <= 0 ? 0 : int(uniform() * n); }
    bool chance(double probability) { return uniform() < probability; }

private:
    std::mt19937_64 m_engine;
};

} // namespace RedTeamLoop

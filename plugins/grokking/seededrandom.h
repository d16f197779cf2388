// SeededRandom: uniform, normal and shuffled draws built only on the raw output of
// std::mt19937_64, which the C++ standard fixes, so a seed gives the same numbers with any
// standard library (the standard's distributions are free to differ between them).
#pragma once

#include <QtGlobal>

#include <random>
#include <vector>

namespace Atlas::Grokking
{

class SeededRandom
{
public:
    explicit SeededRandom(quint64 seed);

    // A double in [0, 1) from the top 53 bits of one raw draw.
    double uniform();
    // A standard normal number (Box-Muller on two raw draws; only the cosine branch is used,
    // so every call consumes exactly two draws and the sequence never depends on a cache).
    double normal();
    // An integer in [0, bound), without the bias of a plain modulo (draws above the largest
    // multiple of bound are rejected). bound must be positive.
    quint64 below(quint64 bound);
    // Fisher-Yates shuffle of the whole vector.
    void shuffle(std::vector<int> &values);

private:
    std::mt19937_64 m_engine;
};

} // namespace Atlas::Grokking

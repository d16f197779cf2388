// Text features of the red-team-loop simulation: the hashed features the target's refusal
// classifier reads, and the character 3-gram sets that measure how alike two attacks are.
#pragma once

#include <QString>
#include <QtGlobal>

#include <vector>

namespace RedTeamLoop
{

// Sorted, distinct feature ids in [0, 2^bits): words, word pairs, and character 3- and
// 4-grams of the lower-cased text (spaces and punctuation included, so "f-o-r" and "f0r" are
// features of their own).
std::vector<quint32> classifierFeatures(const QString &text, int bits);

// Sorted, distinct hashes of the character 3-grams of the lower-cased text.
std::vector<quint32> shingles(const QString &text);

// |a ∩ b| / |a ∪ b| of two sorted sets; 1 when both are empty.
double jaccard(const std::vector<quint32> &a, const std::vector<quint32> &b);

} // namespace RedTeamLoop

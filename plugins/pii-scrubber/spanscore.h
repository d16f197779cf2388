// Span-level scoring: a found span counts only when its start, end and kind all equal a
// labelled one (exact match; a span off by one character is both a miss and a false alarm).
#pragma once

#include "piikind.h"

#include <QList>

#include <array>

namespace Atlas::PiiScrubber
{

struct SpanCounts {
    int labelled = 0;
    int found = 0;
    int matched = 0;

    // NaN when nothing was found / labelled.
    double precision() const;
    double recall() const;
    // 2 matched / (found + labelled); NaN when both are 0.
    double f1() const;
    SpanCounts &operator+=(const SpanCounts &other);
};

class SpanScore
{
public:
    // Adds one document's labelled and found spans.
    void add(const QList<PiiSpan> &labelled, const QList<PiiSpan> &found);
    const SpanCounts &counts(PiiKind kind) const { return m_byKind[int(kind)]; }
    SpanCounts total() const;

private:
    std::array<SpanCounts, PiiKindCount> m_byKind {};
};

} // namespace Atlas::PiiScrubber

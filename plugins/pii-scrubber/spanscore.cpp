#include "spanscore.h"

#include <limits>

namespace Atlas::PiiScrubber
{

namespace
{

double ratio(int numerator, int denominator)
{
    return denominator == 0 ? std::numeric_limits<double>::quiet_NaN() : double(numerator) / double(denominator);
}

} // namespace

double SpanCounts::precision() const
{
    return ratio(matched, found);
}

double SpanCounts::recall() const
{
    return ratio(matched, labelled);
}

double SpanCounts::f1() const
{
    return ratio(2 * matched, found + labelled);
}

SpanCounts &SpanCounts::operator+=(const SpanCounts &other)
{
    labelled += other.labelled;
    found += other.found;
    matched += other.matched;
    return *this;
}

void SpanScore::add(const QList<PiiSpan> &labelled, const QList<PiiSpan> &found)
{
    for (const PiiSpan &span : labelled)
        ++m_byKind[int(span.kind)].labelled;
    for (const PiiSpan &span : found) {
        ++m_byKind[int(span.kind)].found;
        if (labelled.contains(span))
            ++m_byKind[int(span.kind)].matched;
    }
}

SpanCounts SpanScore::total() const
{
    SpanCounts sum;
    for (const SpanCounts &counts : m_byKind)
        sum += counts;
    return sum;
}

} // namespace Atlas::PiiScrubber

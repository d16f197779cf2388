#include "thresholdsweep.h"

#include <cmath>
#include <limits>

namespace Atlas::ToxicityFilter
{

namespace
{

constexpr double notANumber = std::numeric_limits<double>::quiet_NaN();

double ratio(int numerator, int denominator)
{
    return denominator == 0 ? notANumber : double(numerator) / double(denominator);
}

QByteArray field(double value)
{
    return std::isfinite(value) ? QByteArray::number(value, 'g', 10) : QByteArray();
}

} // namespace

double FilterPoint::fractionRemoved() const
{
    return ratio(removed(), documents());
}

double FilterPoint::toxicRateLeft() const
{
    return ratio(falseNegatives, kept());
}

double FilterPoint::precision() const
{
    return ratio(truePositives, removed());
}

double FilterPoint::recall() const
{
    return ratio(truePositives, truePositives + falseNegatives);
}

double FilterPoint::f1() const
{
    // 2 TP / (2 TP + FP + FN) equals 2PR / (P + R) and needs no special case for P undefined.
    return ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives);
}

double FilterPoint::cleanRemovedRate() const
{
    return ratio(falsePositives, falsePositives + trueNegatives);
}

FilterPoint filterAt(const QList<double> &scores, const QList<int> &labels, double threshold)
{
    FilterPoint point;
    point.threshold = threshold;
    for (qsizetype i = 0; i < scores.size() && i < labels.size(); ++i) {
        const bool removed = scores.at(i) >= threshold;
        const bool toxic = labels.at(i) == 1;
        if (removed && toxic)
            ++point.truePositives;
        else if (removed)
            ++point.falsePositives;
        else if (toxic)
            ++point.falseNegatives;
        else
            ++point.trueNegatives;
    }
    return point;
}

QList<FilterPoint> sweepThresholds(const QList<double> &scores, const QList<int> &labels, int steps)
{
    QList<FilterPoint> points;
    if (steps < 1)
        return points;
    points.reserve(steps + 1);
    for (int k = 0; k <= steps; ++k)
        points.append(filterAt(scores, labels, double(k) / double(steps)));
    return points;
}

qsizetype bestF1Index(const QList<FilterPoint> &points)
{
    qsizetype best = -1;
    for (qsizetype i = 0; i < points.size(); ++i) {
        const double f1 = points.at(i).f1();
        if (std::isfinite(f1) && (best < 0 || f1 > points.at(best).f1()))
            best = i;
    }
    return best;
}

QByteArray sweepCsv(const QList<FilterPoint> &points)
{
    QByteArray csv = "threshold,removed,kept,fraction_removed,toxic_rate_left,precision,recall,f1,clean_removed_rate,"
                     "true_positives,false_positives,false_negatives,true_negatives\n";
    for (const FilterPoint &p : points) {
        csv += field(p.threshold) + ',' + QByteArray::number(p.removed()) + ',' + QByteArray::number(p.kept()) + ',' + field(p.fractionRemoved()) + ','
            + field(p.toxicRateLeft()) + ',' + field(p.precision()) + ',' + field(p.recall()) + ',' + field(p.f1()) + ',' + field(p.cleanRemovedRate()) + ','
            + QByteArray::number(p.truePositives) + ',' + QByteArray::number(p.falsePositives) + ',' + QByteArray::number(p.falseNegatives) + ','
            + QByteArray::number(p.trueNegatives) + '\n';
    }
    return csv;
}

} // namespace Atlas::ToxicityFilter

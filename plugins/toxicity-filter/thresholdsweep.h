// What removing every document scored at or above a threshold does to a labelled corpus.
#pragma once

#include <QByteArray>
#include <QList>

namespace Atlas::ToxicityFilter
{

// The counts at one threshold. "Removed" is the positive prediction: a removed toxic
// document is a true positive, a removed clean one a false positive.
struct FilterPoint {
    double threshold = 0.0;
    int truePositives = 0;
    int falsePositives = 0;
    int falseNegatives = 0;
    int trueNegatives = 0;

    int documents() const { return truePositives + falsePositives + falseNegatives + trueNegatives; }
    int removed() const { return truePositives + falsePositives; }
    int kept() const { return falseNegatives + trueNegatives; }
    // Removed / all documents.
    double fractionRemoved() const;
    // Toxic among the kept documents; NaN when nothing is kept.
    double toxicRateLeft() const;
    // Toxic among the removed; NaN when nothing is removed.
    double precision() const;
    // Removed among the toxic; NaN when there is no toxic document.
    double recall() const;
    // Harmonic mean of precision and recall; 0 when no toxic document is removed.
    double f1() const;
    // Removed among the clean documents (the collateral); NaN when there is no clean one.
    double cleanRemovedRate() const;
};

// Removes the documents whose score is >= threshold and counts.
FilterPoint filterAt(const QList<double> &scores, const QList<int> &labels, double threshold);
// filterAt() at thresholds k / steps for k = 0..steps (steps + 1 points, 0 first).
QList<FilterPoint> sweepThresholds(const QList<double> &scores, const QList<int> &labels, int steps);
// The index of the point with the highest F1 (the lowest threshold among ties).
qsizetype bestF1Index(const QList<FilterPoint> &points);
// The sweep as CSV with a header line; NaN is written as an empty field.
QByteArray sweepCsv(const QList<FilterPoint> &points);

} // namespace Atlas::ToxicityFilter

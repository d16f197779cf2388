// The toxicity-filter demonstration without the plugin around it: score a labelled corpus,
// sweep the removal threshold and measure what the filter removes and what it leaves.
#pragma once

#include "democallbacks.h"
#include "thresholdsweep.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>

namespace Atlas::ToxicityFilter
{

// What the demo reports while it runs, and how it learns to stop (plugins/sdk/democallbacks.h).
using DemoHooks = Atlas::DemoCallbacks;

struct DemoOptions {
    QString corpusPath; // labelled TSV; empty: the shipped corpus
    QString lexiconPath; // extra lexicon merged over the shipped one; empty: none
    QString trainingPath; // labelled TSV to train naive Bayes on; empty: a seeded split of the corpus
    QString scorer = QStringLiteral("combined"); // "lexicon", "naive_bayes" or "combined"
    double trainFraction = 0.5; // share of the corpus that trains naive Bayes when there is no training file
    int thresholdSteps = 20;
    double threshold = 0.5; // the operating point
};

struct DemoOutcome {
    enum class Status { Finished, Failed, Cancelled };
    Status status = Status::Failed;
    QString error;
    QJsonObject summary;
    QList<FilterPoint> sweep;
    QByteArray sweepCsv;
    // The evaluated documents kept at the operating point, in the corpus format.
    QByteArray keptCorpus;
    // One line per evaluated document: its scores, label, fate and the lexicon terms found.
    QByteArray scoresTsv;
};

// The shipped data, compiled in as Qt resources.
QString shippedLexiconPath();
QString shippedCorpusPath();

// Runs the demonstration. The seed only decides the train/held-out split.
DemoOutcome runDemo(const DemoOptions &options, quint64 seed, const DemoHooks &hooks = {});

} // namespace Atlas::ToxicityFilter

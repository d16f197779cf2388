// The counterfactual-augmentation demo as one call: read the lists and the corpus, add a
// gender-swapped copy of each sentence that has a listed word (Lu et al. 2018, CDA), and
// measure the occupation-gender association score before and after. No RunContext here: the
// plugin passes callbacks and writes the artifacts from the report.
#pragma once

#include "democallbacks.h"
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <vector>

namespace CounterfactualAugmentation
{

enum class AugmentationMode {
    Append, // original + swapped copies (CDA as in Lu et al.)
    Replace, // swapped copies instead of the originals: flips the bias rather than removing it
};

struct AugmentationSettings {
    QString corpusPath;
    QString corpusLabel; // how the result names the corpus
    QStringList pairFiles; // swapped and measured
    QStringList nameFiles; // always measured, swapped only with swapNames
    QStringList occupationFiles;
    bool swapNames = false;
    AugmentationMode mode = AugmentationMode::Append;
    int window = 0; // 0: the whole sentence
    double alpha = 1.0;
    double fraction = 1.0; // share of the swappable sentences that get a copy, drawn with the seed
    double claimDrop = 0.9;
};

// What the demo reports while it runs, and how it learns to stop (plugins/sdk/democallbacks.h).
using DemoCallbacks = Atlas::DemoCallbacks;

struct OccupationBias {
    QString occupation;
    double masculineBefore = 0;
    double feminineBefore = 0;
    double biasBefore = 0;
    double masculineAfter = 0;
    double feminineAfter = 0;
    double biasAfter = 0;
    bool scored = false;
};

struct AugmentationReport {
    bool ok = false;
    bool cancelled = false;
    QString error;

    double scoreBefore = 0;
    double scoreAfter = 0;
    double drop = 0; // (before - after) / before
    bool claimMet = false;
    int sentences = 0;
    int swappableSentences = 0;
    int sentencesAugmented = 0;
    int swaps = 0;
    int occupationsScored = 0;
    int unswappedGenderedWords = 0; // measured gendered words the swapper leaves alone (names by default)
    QStringList outputCorpus; // the augmented corpus, one sentence a line
    QList<OccupationBias> occupations; // sorted by bias before, largest first
    std::vector<double> scoreByShare; // score with 0%, 10%, ..., 100% of the swappable sentences augmented

    QJsonObject toJson(const AugmentationSettings &settings) const;
    QString occupationCsv() const;
};

AugmentationReport runAugmentation(const AugmentationSettings &settings, quint64 seed, const DemoCallbacks &callbacks);

} // namespace CounterfactualAugmentation

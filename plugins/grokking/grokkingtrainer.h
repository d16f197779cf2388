// The grokking experiment: split the p^2 pairs of modular addition into a training and a
// validation set, train a ModularMlp with full-batch AdamW, record the learning curves, and
// judge whether validation accuracy rose long after training accuracy did (grokking) and
// whether it failed to rise without weight decay. Pure computation; the plugin reports it.
#pragma once

#include "modularmlp.h"

#include <QString>

#include <functional>
#include <vector>

namespace Atlas::Grokking
{

struct TrainingConfig {
    int modulus = 97;
    double trainFraction = 0.5;
    int embeddingSize = 64;
    int hiddenSize = 128;
    double learningRate = 0.01;
    double weightDecay = 1.0;
    double beta1 = 0.9;
    double beta2 = 0.98;
    double initScale = 1.0;
    int steps = 1000;
    int evalEvery = 10;
    // Accuracies that count as "fitted" (T1) and "generalised" (T2).
    double trainThreshold = 0.99;
    double validationThreshold = 0.95;
};

// What is wrong with the configuration, or an empty string.
QString checkConfig(const TrainingConfig &config);

struct Split {
    Examples train;
    Examples validation;
};

// All pairs (a, b) with a, b in [0, modulus), labelled (a + b) mod modulus, shuffled with the
// random source and cut after round(trainFraction * modulus^2) pairs.
Split splitModularAddition(int modulus, double trainFraction, SeededRandom &random);

// One evaluation of the whole training and validation sets after `step` optimiser steps.
struct CurvePoint {
    int step = 0;
    double trainAccuracy = 0.0;
    double validationAccuracy = 0.0;
    double trainLoss = 0.0;
    double validationLoss = 0.0;
    // L2 norm of all parameters (embeddings, weights and biases).
    double weightNorm = 0.0;
};

struct TrainingRun {
    std::vector<CurvePoint> curve;
    int trainExamples = 0;
    int validationExamples = 0;
    qsizetype parameterCount = 0;
    // First evaluated step where training accuracy reached trainThreshold (T1) and where
    // validation accuracy reached validationThreshold (T2); -1 when never.
    int trainThresholdStep = -1;
    int validationThresholdStep = -1;
    // False when the step callback stopped the run early.
    bool finished = false;
};

// Called after every optimiser step with the number of steps done; returning false stops
// the run (cancellation).
using StepCallback = std::function<bool(int step)>;
// Called with each point of the curve as it is measured.
using CurveCallback = std::function<void(const CurvePoint &point)>;

// Trains from the seed: the same seed gives the same split and the same initial weights,
// whatever the weight decay, so runs that differ only in decay are a controlled comparison.
TrainingRun trainModularAddition(const TrainingConfig &config, quint64 seed, const CurveCallback &onCurve = {}, const StepCallback &onStep = {});

// The claim, judged from a run with weight decay and its control without.
struct Verdict {
    int t1 = -1;
    int t2 = -1;
    // T1 and T2 were both reached and T2 >= 2 * T1.
    bool grokked = false;
    // T2 of the control run without weight decay (-1: never reached).
    int controlT2 = -1;
    // The control stayed below the validation threshold, or reached it at least 3x later.
    bool controlHeldBack = false;
    bool claimMet = false;
};

Verdict judge(const TrainingRun &withDecay, const TrainingRun &withoutDecay);
// Only the grokking part (no control run): claimMet equals grokked.
Verdict judge(const TrainingRun &withDecay);

} // namespace Atlas::Grokking

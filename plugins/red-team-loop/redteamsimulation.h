// The red-team-loop simulation as one call: a red generator attacks a target that refuses by a
// classifier; after each round the target is hardened on an active-learning selection of the
// attacks that got through (in the style of DART, Jiang et al. 2024). A simulation of the
// method: no language model is attacked and every "forbidden goal" is a placeholder.
#pragma once

#include "democallbacks.h"
#include "redgenerator.h"
#include "refusalclassifier.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <vector>

namespace RedTeamLoop
{

enum class SelectionStrategy {
    Diverse, // farthest-first among the successful attacks, from the one the target missed most
    Uncertain, // the successful attacks the target came closest to refusing
    Random,
};

struct SimulationSettings {
    QStringList templateFiles;
    QStringList fillerFiles;
    QStringList seedAttackFiles;
    QStringList benignFiles; // 1st, 3rd, ... request trains the target; 2nd, 4th, ... is held out
    int rounds = 10;
    int attacksPerRound = 40;
    int selectionBudget = 10; // attacks added to the target's refusals per round; 0: no hardening
    SelectionStrategy selection = SelectionStrategy::Diverse;
    double threshold = 0.5; // the target refuses when its refusal probability reaches this
    RedGenerator::Settings red;
    RefusalClassifier::Settings target;
    double claimDrop = 0.5;
    double diversityFloor = 0.8;
};

// What the demo reports while it runs, and how it learns to stop (plugins/sdk/democallbacks.h).
using SimulationCallbacks = Atlas::DemoCallbacks;

struct RoundRecord {
    double attackSuccessRate = 0;
    double diversity = 0; // mean pairwise Jaccard distance of the round's attacks (character 3-grams)
    double novelty = 0; // mean distance of each attack to its nearest attack of earlier rounds
    double falseRefusalRate = 0; // on the held-out harmless requests, after this round's hardening
    int successes = 0;
    int selected = 0;
};

struct AttackRecord {
    int round = 0;
    QString text;
    double refusalProbability = 0;
    bool succeeded = false;
    bool selectedForHardening = false;
};

struct SimulationReport {
    bool ok = false;
    bool cancelled = false;
    QString error;

    double initialFalseRefusalRate = 0;
    std::vector<RoundRecord> rounds;
    QList<AttackRecord> attacks;
    double asrFirst = 0;
    double asrLast = 0;
    double drop = 0; // (first - last) / first
    double diversityMin = 0;
    bool claimMet = false;
    int seedAttacks = 0;
    int benignTrain = 0;
    int benignHeldOut = 0;

    QJsonObject toJson(const SimulationSettings &settings) const;
    QString roundsCsv() const;
    QString attacksCsv() const;
};

SimulationReport runSimulation(const SimulationSettings &settings, quint64 seed, const SimulationCallbacks &callbacks);

} // namespace RedTeamLoop

// RedGenerator: the simulated red team. It builds attacks from templates and mutation operators
// (synonym swap, leetspeak, letter spacing, splitting, language mix, role-play wrapper, prefix
// injection, padding), learns which parts of its attacks got through, breeds new attacks from
// the last successes, and is penalised for repeating itself: each candidate loses
// diversity_weight times its highest similarity to any attack made so far (global diversity,
// as in DART, Jiang et al. 2024), and a near repeat is rejected.
#pragma once

#include "attackmaterial.h"
#include "seededrandom.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

namespace RedTeamLoop
{

struct AttackGenome {
    int templateIndex = 0;
    int verb = 0;
    int intent = 0;
    int noun = 0;
    int number = 1;
    int foreign = -1; // language mix: replaces intent and noun
    bool leet = false;
    quint32 leetSeed = 0;
    int spacing = -1; // separator index for the letters of the first goal word
    bool split = false;
    int wrapper = -1;
    int prefix = -1;
    int padding = -1;
};

struct Attack {
    AttackGenome genome;
    QString text;
    std::vector<quint32> shingles;
    double promise = 0.0; // the red team's own estimate of success, from its past rounds
    double similarity = 0.0; // highest similarity to an earlier attack when chosen
};

class RedGenerator
{
public:
    struct Settings {
        double diversityWeight = 1.0;
        // A candidate more similar than this to an earlier attack (or one already chosen this
        // round) is rejected outright, unless no other candidate is left; 1 switches it off.
        double maxSimilarity = 0.9;
        int candidatesPerAttack = 5;
        double exploreRate = 0.3; // share of candidates built fresh rather than bred from successes
        double memory = 0.5; // how much of its older experience the red team keeps each round
    };

    RedGenerator(const AttackMaterial &material, const Settings &settings);

    // The attacks of one round: candidates bred or built fresh, then chosen greedily by
    // promise - diversityWeight * highest similarity to the attacks so far and those chosen,
    // skipping candidates above maxSimilarity while others are left.
    QList<Attack> propose(int count, SeededRandom &random) const;
    // What the round taught the red team: which attacks got through.
    void learn(const QList<Attack> &attacks, const std::vector<bool> &succeeded);

    QString render(const AttackGenome &genome) const;
    const std::vector<std::vector<quint32>> &history() const { return m_history; }

private:
    AttackGenome freshGenome(SeededRandom &random) const;
    AttackGenome mutate(AttackGenome genome, SeededRandom &random) const;
    QStringList components(const AttackGenome &genome) const;
    double promise(const AttackGenome &genome) const;

    AttackMaterial m_material;
    Settings m_settings;
    // Per component ("template 3", "leet", ...): decayed successes and trials.
    QHash<QString, std::pair<double, double>> m_record;
    QList<AttackGenome> m_parents;
    QList<AttackGenome> m_allSuccesses;
    std::vector<std::vector<quint32>> m_history;
};

} // namespace RedTeamLoop

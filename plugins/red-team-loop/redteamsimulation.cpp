#include "redteamsimulation.h"

#include "attackmaterial.h"
#include "seededrandom.h"
#include "textfeatures.h"

#include <QJsonArray>

#include <algorithm>
#include <limits>
#include <utility>

namespace RedTeamLoop
{

namespace
{

QString csvField(const QString &text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

double meanPairwiseDistance(const QList<Attack> &attacks)
{
    double sum = 0.0;
    int pairs = 0;
    for (qsizetype i = 0; i < attacks.size(); ++i) {
        for (qsizetype j = i + 1; j < attacks.size(); ++j) {
            sum += 1.0 - jaccard(attacks.at(i).shingles, attacks.at(j).shingles);
            ++pairs;
        }
    }
    return pairs > 0 ? sum / pairs : 0.0;
}

// Which of the round's successful attacks the target learns from (active learning).
std::vector<qsizetype> selectForHardening(const QList<Attack> &attacks, const std::vector<double> &probabilities, const std::vector<qsizetype> &successes,
    int budget, SelectionStrategy strategy, SeededRandom &random)
{
    std::vector<qsizetype> pool = successes;
    std::vector<qsizetype> selected;
    if (budget <= 0 || pool.empty())
        return selected;
    if (qsizetype(pool.size()) <= budget)
        return pool;
    switch (strategy) {
    case SelectionStrategy::Uncertain:
        std::stable_sort(pool.begin(), pool.end(), [&probabilities](qsizetype a, qsizetype b) {
            return probabilities[std::size_t(a)] > probabilities[std::size_t(b)];
        });
        pool.resize(std::size_t(budget));
        return pool;
    case SelectionStrategy::Random:
        for (int i = 0; i < budget; ++i) {
            const std::size_t pick = std::size_t(random.below(int(pool.size())));
            selected.push_back(pool[pick]);
            pool.erase(pool.begin() + std::ptrdiff_t(pick));
        }
        return selected;
    case SelectionStrategy::Diverse:
        break;
    }
    // Farthest-first: start from the attack the target was surest to answer, then take each
    // time the one least like those already taken, so the budget covers the most ground.
    std::size_t first = 0;
    for (std::size_t i = 1; i < pool.size(); ++i) {
        if (probabilities[std::size_t(pool[i])] < probabilities[std::size_t(pool[first])])
            first = i;
    }
    std::vector<double> nearest(pool.size(), std::numeric_limits<double>::infinity());
    std::vector<bool> taken(pool.size(), false);
    std::size_t next = first;
    while (int(selected.size()) < budget) {
        taken[next] = true;
        selected.push_back(pool[next]);
        double farthest = -1.0;
        std::size_t pick = next;
        for (std::size_t i = 0; i < pool.size(); ++i) {
            if (taken[i])
                continue;
            nearest[i] = std::min(nearest[i], 1.0 - jaccard(attacks.at(pool[i]).shingles, attacks.at(pool[next]).shingles));
            if (nearest[i] > farthest) {
                farthest = nearest[i];
                pick = i;
            }
        }
        if (pick == next)
            break;
        next = pick;
    }
    return selected;
}

} // namespace

SimulationReport runSimulation(const SimulationSettings &settings, quint64 seed, const SimulationCallbacks &callbacks)
{
    SimulationReport report;
    const auto progress = std::bind_front(&SimulationCallbacks::reportProgress, &callbacks);
    const auto log = std::bind_front(&SimulationCallbacks::reportLog, &callbacks);
    const auto metric = std::bind_front(&SimulationCallbacks::reportMetric, &callbacks);
    const auto cancelled = [&callbacks, &report] {
        report.cancelled = callbacks.cancelRequested();
        return report.cancelled;
    };

    if (settings.rounds < 1 || settings.attacksPerRound < 2) {
        report.error = QStringLiteral("the simulation needs at least one round of at least two attacks");
        return report;
    }
    progress(0.0, QStringLiteral("reading the attack material"));
    AttackMaterial material;
    for (const QString &file : settings.templateFiles) {
        if (!material.loadTemplates(file, &report.error))
            return report;
    }
    for (const QString &file : settings.fillerFiles) {
        if (!material.loadFillers(file, &report.error))
            return report;
    }
    if (!material.missing().isEmpty()) {
        report.error = material.missing();
        return report;
    }
    QStringList seedAttacks;
    for (const QString &file : settings.seedAttackFiles) {
        if (!readRequestLines(file, &seedAttacks, &report.error))
            return report;
    }
    QStringList benignTrain;
    QStringList benignHeldOut;
    for (const QString &file : settings.benignFiles) {
        QStringList lines;
        if (!readRequestLines(file, &lines, &report.error))
            return report;
        for (qsizetype i = 0; i < lines.size(); ++i)
            (i % 2 == 0 ? benignTrain : benignHeldOut).append(lines.at(i));
    }
    if (seedAttacks.isEmpty() || benignTrain.isEmpty() || benignHeldOut.isEmpty()) {
        report.error = QStringLiteral("the target needs seed attacks and at least two harmless requests to start");
        return report;
    }
    report.seedAttacks = int(seedAttacks.size());
    report.benignTrain = int(benignTrain.size());
    report.benignHeldOut = int(benignHeldOut.size());

    const int bits = settings.target.bits;
    std::vector<LabelledRequest> training;
    for (const QString &text : std::as_const(seedAttacks))
        training.push_back(LabelledRequest {classifierFeatures(text, bits), true});
    for (const QString &text : std::as_const(benignTrain))
        training.push_back(LabelledRequest {classifierFeatures(text, bits), false});
    std::vector<std::vector<quint32>> heldOut;
    for (const QString &text : std::as_const(benignHeldOut))
        heldOut.push_back(classifierFeatures(text, bits));

    SeededRandom random(seed);
    RefusalClassifier target(settings.target);
    target.train(training, random.next());
    const auto falseRefusalRate = [&] {
        int refused = 0;
        for (const std::vector<quint32> &features : heldOut)
            refused += target.refusalProbability(features) >= settings.threshold ? 1 : 0;
        return double(refused) / double(heldOut.size());
    };
    report.initialFalseRefusalRate = falseRefusalRate();
    metric(QStringLiteral("false_refusal_rate"), 0, report.initialFalseRefusalRate);
    log(QStringLiteral("simulation: target trained on %1 seed attacks and %2 harmless requests; %3 held-out harmless requests, %4% refused")
            .arg(seedAttacks.size())
            .arg(benignTrain.size())
            .arg(benignHeldOut.size())
            .arg(100.0 * report.initialFalseRefusalRate, 0, 'f', 1));

    RedGenerator red(material, settings.red);
    for (int round = 1; round <= settings.rounds; ++round) {
        if (cancelled())
            return report;
        const QList<Attack> attacks = red.propose(settings.attacksPerRound, random);
        RoundRecord record;
        std::vector<double> probabilities;
        std::vector<bool> succeeded;
        std::vector<qsizetype> successes;
        for (qsizetype i = 0; i < attacks.size(); ++i) {
            // Every simulated attack carries the forbidden intent, so it succeeds exactly when
            // the target does not refuse it.
            const double p = target.refusalProbability(classifierFeatures(attacks.at(i).text, bits));
            probabilities.push_back(p);
            succeeded.push_back(p < settings.threshold);
            if (succeeded.back())
                successes.push_back(i);
        }
        record.successes = int(successes.size());
        record.attackSuccessRate = attacks.isEmpty() ? 0.0 : double(successes.size()) / double(attacks.size());
        record.diversity = meanPairwiseDistance(attacks);
        double novelty = 0.0;
        for (const Attack &attack : attacks) {
            double nearest = 0.0;
            for (const std::vector<quint32> &past : red.history())
                nearest = std::max(nearest, jaccard(attack.shingles, past));
            novelty += 1.0 - nearest;
        }
        record.novelty = attacks.isEmpty() ? 0.0 : novelty / double(attacks.size());
        red.learn(attacks, succeeded);
        if (cancelled())
            return report;

        const std::vector<qsizetype> chosen = selectForHardening(attacks, probabilities, successes, settings.selectionBudget, settings.selection, random);
        record.selected = int(chosen.size());
        for (const qsizetype i : chosen)
            training.push_back(LabelledRequest {classifierFeatures(attacks.at(i).text, bits), true});
        if (!chosen.empty())
            target.train(training, random.next());
        record.falseRefusalRate = falseRefusalRate();

        for (qsizetype i = 0; i < attacks.size(); ++i) {
            const bool selected = std::find(chosen.begin(), chosen.end(), i) != chosen.end();
            report.attacks.append(AttackRecord {round, attacks.at(i).text, probabilities[std::size_t(i)], succeeded[std::size_t(i)], selected});
        }
        report.rounds.push_back(record);
        metric(QStringLiteral("attack_success_rate"), round, record.attackSuccessRate);
        metric(QStringLiteral("diversity"), round, record.diversity);
        metric(QStringLiteral("novelty"), round, record.novelty);
        metric(QStringLiteral("false_refusal_rate"), round, record.falseRefusalRate);
        metric(QStringLiteral("hardening_examples"), round, double(training.size() - seedAttacks.size() - benignTrain.size()));
        log(QStringLiteral("round %1: %2 of %3 attacks got through (ASR %4), diversity %5, novelty %6; %7 added to the target's refusals; false refusals %8%")
                .arg(round)
                .arg(successes.size())
                .arg(attacks.size())
                .arg(record.attackSuccessRate, 0, 'f', 3)
                .arg(record.diversity, 0, 'f', 3)
                .arg(record.novelty, 0, 'f', 3)
                .arg(chosen.size())
                .arg(100.0 * record.falseRefusalRate, 0, 'f', 1));
        progress(double(round) / double(settings.rounds), QStringLiteral("round %1 of %2").arg(round).arg(settings.rounds));
    }

    report.asrFirst = report.rounds.front().attackSuccessRate;
    report.asrLast = report.rounds.back().attackSuccessRate;
    report.drop = report.asrFirst > 0 ? (report.asrFirst - report.asrLast) / report.asrFirst : 0.0;
    report.diversityMin = report.rounds.front().diversity;
    for (const RoundRecord &record : report.rounds)
        report.diversityMin = std::min(report.diversityMin, record.diversity);
    report.claimMet = report.asrFirst > 0 && report.drop >= settings.claimDrop && report.diversityMin >= settings.diversityFloor;
    log(QStringLiteral("attack success rate %1 in round 1, %2 in round %3: a drop of %4% (claim: at least %5%); lowest diversity %6 (floor %7)")
            .arg(report.asrFirst, 0, 'f', 3)
            .arg(report.asrLast, 0, 'f', 3)
            .arg(settings.rounds)
            .arg(100.0 * report.drop, 0, 'f', 1)
            .arg(100.0 * settings.claimDrop, 0, 'f', 0)
            .arg(report.diversityMin, 0, 'f', 3)
            .arg(settings.diversityFloor, 0, 'f', 2));
    report.ok = true;
    return report;
}

QJsonObject SimulationReport::toJson(const SimulationSettings &settings) const
{
    QJsonArray asr;
    QJsonArray diversity;
    QJsonArray frr;
    for (const RoundRecord &record : rounds) {
        asr.append(record.attackSuccessRate);
        diversity.append(record.diversity);
        frr.append(record.falseRefusalRate);
    }
    const char *selection = settings.selection == SelectionStrategy::Diverse ? "diverse"
        : settings.selection == SelectionStrategy::Uncertain                 ? "uncertain"
                                                                             : "random";
    return QJsonObject {
        {QStringLiteral("simulation"), true},
        {QStringLiteral("claim"),
            QStringLiteral(
                "The attack success rate falls by at least %1% from the first to the last round while the diversity of every round stays at or above %2")
                .arg(100.0 * settings.claimDrop, 0, 'f', 0)
                .arg(settings.diversityFloor)},
        {QStringLiteral("claim_met"), claimMet},
        {QStringLiteral("asr_first"), asrFirst},
        {QStringLiteral("asr_last"), asrLast},
        {QStringLiteral("asr_drop"), drop},
        {QStringLiteral("diversity_min"), diversityMin},
        {QStringLiteral("diversity_floor"), settings.diversityFloor},
        {QStringLiteral("diversity_definition"), QStringLiteral("mean pairwise Jaccard distance of the character 3-gram sets of one round's attacks")},
        {QStringLiteral("false_refusal_rate_initial"), initialFalseRefusalRate},
        {QStringLiteral("false_refusal_rate_final"), rounds.empty() ? initialFalseRefusalRate : rounds.back().falseRefusalRate},
        {QStringLiteral("attack_success_rate"), asr},
        {QStringLiteral("diversity"), diversity},
        {QStringLiteral("false_refusal_rate"), frr},
        {QStringLiteral("rounds"), settings.rounds},
        {QStringLiteral("attacks_per_round"), settings.attacksPerRound},
        {QStringLiteral("selection_budget"), settings.selectionBudget},
        {QStringLiteral("selection"), QLatin1String(selection)},
        {QStringLiteral("diversity_weight"), settings.red.diversityWeight},
        {QStringLiteral("threshold"), settings.threshold},
        {QStringLiteral("seed_attacks"), seedAttacks},
        {QStringLiteral("benign_train"), benignTrain},
        {QStringLiteral("benign_held_out"), benignHeldOut},
    };
}

QString SimulationReport::roundsCsv() const
{
    QString csv = QStringLiteral("round,attack_success_rate,diversity,novelty,false_refusal_rate,successes,selected\n");
    for (std::size_t i = 0; i < rounds.size(); ++i) {
        const RoundRecord &r = rounds[i];
        csv += QStringLiteral("%1,%2,%3,%4,%5,%6,%7\n")
                   .arg(i + 1)
                   .arg(r.attackSuccessRate, 0, 'f', 6)
                   .arg(r.diversity, 0, 'f', 6)
                   .arg(r.novelty, 0, 'f', 6)
                   .arg(r.falseRefusalRate, 0, 'f', 6)
                   .arg(r.successes)
                   .arg(r.selected);
    }
    return csv;
}

QString SimulationReport::attacksCsv() const
{
    QString csv = QStringLiteral("round,refusal_probability,succeeded,selected_for_hardening,attack\n");
    for (const AttackRecord &a : attacks) {
        csv += QStringLiteral("%1,%2,%3,%4,%5\n")
                   .arg(a.round)
                   .arg(a.refusalProbability, 0, 'f', 6)
                   .arg(a.succeeded ? QStringLiteral("yes") : QStringLiteral("no"))
                   .arg(a.selectedForHardening ? QStringLiteral("yes") : QStringLiteral("no"))
                   .arg(csvField(a.text));
    }
    return csv;
}

} // namespace RedTeamLoop

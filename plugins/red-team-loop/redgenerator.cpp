#include "redgenerator.h"

#include "textfeatures.h"

#include <limits>

namespace RedTeamLoop
{

namespace
{

const char *const separators[] = {" ", "-", ".", "_"};
constexpr int separatorCount = 4;

QString leetspeak(const QString &text, quint32 seed)
{
    SeededRandom random(seed);
    QString result;
    for (const QChar c : text) {
        const char16_t lower = c.toLower().unicode();
        QChar replacement = c;
        switch (lower) {
        case u'a':
            replacement = QLatin1Char('4');
            break;
        case u'e':
            replacement = QLatin1Char('3');
            break;
        case u'i':
            replacement = QLatin1Char('1');
            break;
        case u'o':
            replacement = QLatin1Char('0');
            break;
        case u's':
            replacement = QLatin1Char('5');
            break;
        case u't':
            replacement = QLatin1Char('7');
            break;
        default:
            break;
        }
        // Each letter that has a look-alike digit is replaced with probability 0.6.
        result += (replacement != c && random.chance(0.6)) ? replacement : c;
    }
    return result;
}

QString spaced(const QString &goal, int separator)
{
    const qsizetype end = goal.indexOf(QLatin1Char(' '));
    const QString first = end < 0 ? goal : goal.left(end);
    QString result;
    for (qsizetype i = 0; i < first.size(); ++i) {
        if (i > 0)
            result += QLatin1String(separators[separator]);
        result += first.at(i);
    }
    return end < 0 ? result : result + goal.mid(end);
}

} // namespace

RedGenerator::RedGenerator(const AttackMaterial &material, const Settings &settings) : m_material(material), m_settings(settings) { }

QString RedGenerator::render(const AttackGenome &genome) const
{
    const AttackMaterial &m = m_material;
    QString goal = genome.foreign >= 0 ? m.foreign.at(genome.foreign) : m.intents.at(genome.intent) + QLatin1Char(' ') + m.nouns.at(genome.noun);
    goal += QLatin1Char(' ') + QString::number(genome.number);
    if (genome.spacing >= 0)
        goal = spaced(goal, genome.spacing);
    if (genome.leet)
        goal = leetspeak(goal, genome.leetSeed);
    QString prompt = m.templates.at(genome.templateIndex);
    prompt.replace(QLatin1String("{verb}"), m.verbs.at(genome.verb));
    if (genome.split) {
        // The goal cut in two at a point fixed by the genome, reassembled by the reader.
        const qsizetype cut = 1 + qsizetype(genome.leetSeed % quint32(qMax<qsizetype>(1, goal.size() - 1)));
        prompt.replace(QLatin1String("{goal}"), QLatin1String("A+B"));
        prompt = QStringLiteral("Let A = \"%1\" and B = \"%2\". ").arg(goal.left(cut), goal.mid(cut)) + prompt;
    } else {
        prompt.replace(QLatin1String("{goal}"), goal);
    }
    if (genome.wrapper >= 0) {
        QString wrapped = m.wrappers.at(genome.wrapper);
        prompt = wrapped.replace(QLatin1String("{prompt}"), prompt);
    }
    if (genome.prefix >= 0)
        prompt += QLatin1Char(' ') + m.prefixes.at(genome.prefix);
    if (genome.padding >= 0)
        prompt = m.paddings.at(genome.padding) + QLatin1Char(' ') + prompt;
    return prompt;
}

AttackGenome RedGenerator::freshGenome(SeededRandom &random) const
{
    const AttackMaterial &m = m_material;
    AttackGenome g;
    g.templateIndex = random.below(int(m.templates.size()));
    g.verb = random.below(int(m.verbs.size()));
    g.intent = random.below(int(m.intents.size()));
    g.noun = random.below(int(m.nouns.size()));
    g.number = 1 + random.below(20);
    g.leetSeed = quint32(random.next() >> 32);
    g.leet = random.chance(0.25);
    g.spacing = random.chance(0.2) ? random.below(separatorCount) : -1;
    g.split = random.chance(0.15);
    g.foreign = (!m.foreign.isEmpty() && random.chance(0.15)) ? random.below(int(m.foreign.size())) : -1;
    g.wrapper = (!m.wrappers.isEmpty() && random.chance(0.3)) ? random.below(int(m.wrappers.size())) : -1;
    g.prefix = (!m.prefixes.isEmpty() && random.chance(0.25)) ? random.below(int(m.prefixes.size())) : -1;
    g.padding = (!m.paddings.isEmpty() && random.chance(0.2)) ? random.below(int(m.paddings.size())) : -1;
    return g;
}

AttackGenome RedGenerator::mutate(AttackGenome g, SeededRandom &random) const
{
    const AttackMaterial &m = m_material;
    // An optional part is switched off, or on with a drawn choice.
    const auto toggle = [&random](int current, qsizetype choices) {
        if (choices == 0)
            return -1;
        return current >= 0 && random.chance(0.5) ? -1 : random.below(int(choices));
    };
    const int changes = 1 + random.below(2);
    for (int c = 0; c < changes; ++c) {
        switch (random.below(12)) {
        case 0:
            g.templateIndex = random.below(int(m.templates.size()));
            break;
        case 1:
            g.verb = random.below(int(m.verbs.size()));
            break;
        case 2: // synonym swap of the intent word
            g.intent = random.below(int(m.intents.size()));
            g.foreign = -1;
            break;
        case 3:
            g.noun = random.below(int(m.nouns.size()));
            break;
        case 4:
            g.number = 1 + random.below(20);
            break;
        case 5:
            g.leet = !g.leet;
            g.leetSeed = quint32(random.next() >> 32);
            break;
        case 6:
            g.spacing = toggle(g.spacing, separatorCount);
            break;
        case 7:
            g.split = !g.split;
            break;
        case 8:
            g.foreign = toggle(g.foreign, m.foreign.size());
            break;
        case 9:
            g.wrapper = toggle(g.wrapper, m.wrappers.size());
            break;
        case 10:
            g.prefix = toggle(g.prefix, m.prefixes.size());
            break;
        default:
            g.padding = toggle(g.padding, m.paddings.size());
            break;
        }
    }
    return g;
}

QStringList RedGenerator::components(const AttackGenome &g) const
{
    QStringList keys {QStringLiteral("template %1").arg(g.templateIndex), QStringLiteral("verb %1").arg(g.verb)};
    if (g.foreign >= 0) {
        keys.append(QStringLiteral("foreign %1").arg(g.foreign));
    } else {
        keys.append(QStringLiteral("intent %1").arg(g.intent));
        keys.append(QStringLiteral("noun %1").arg(g.noun));
    }
    if (g.leet)
        keys.append(QStringLiteral("leet"));
    if (g.spacing >= 0)
        keys.append(QStringLiteral("spacing %1").arg(g.spacing));
    if (g.split)
        keys.append(QStringLiteral("split"));
    if (g.wrapper >= 0)
        keys.append(QStringLiteral("wrapper %1").arg(g.wrapper));
    if (g.prefix >= 0)
        keys.append(QStringLiteral("prefix %1").arg(g.prefix));
    if (g.padding >= 0)
        keys.append(QStringLiteral("padding %1").arg(g.padding));
    return keys;
}

double RedGenerator::promise(const AttackGenome &genome) const
{
    // The mean over the attack's parts of (successes + 1) / (trials + 2): untried parts count 1/2.
    const QStringList keys = components(genome);
    double sum = 0.0;
    for (const QString &key : keys) {
        const auto record = m_record.value(key, {0.0, 0.0});
        sum += (record.first + 1.0) / (record.second + 2.0);
    }
    return sum / double(keys.size());
}

QList<Attack> RedGenerator::propose(int count, SeededRandom &random) const
{
    const int candidateCount = count * qMax(1, m_settings.candidatesPerAttack);
    QList<Attack> candidates;
    std::vector<double> values;
    std::vector<double> highest;
    for (int i = 0; i < candidateCount; ++i) {
        const bool fresh = m_parents.isEmpty() || random.chance(m_settings.exploreRate);
        Attack attack;
        attack.genome = fresh ? freshGenome(random) : mutate(m_parents.at(random.below(int(m_parents.size()))), random);
        attack.text = render(attack.genome);
        attack.shingles = shingles(attack.text);
        attack.promise = promise(attack.genome);
        double maxSimilarity = 0.0;
        for (const std::vector<quint32> &past : m_history)
            maxSimilarity = std::max(maxSimilarity, jaccard(attack.shingles, past));
        // A little noise breaks ties between equally promising candidates.
        values.push_back(attack.promise + 0.02 * random.uniform());
        highest.push_back(maxSimilarity);
        candidates.append(attack);
    }

    QList<Attack> chosen;
    std::vector<bool> taken(candidates.size(), false);
    while (chosen.size() < count && chosen.size() < candidates.size()) {
        std::size_t best = 0;
        double bestValue = -std::numeric_limits<double>::infinity();
        bool found = false;
        for (int pass = 0; pass < 2 && !found; ++pass) {
            for (std::size_t i = 0; i < taken.size(); ++i) {
                if (taken[i] || (pass == 0 && highest[i] > m_settings.maxSimilarity))
                    continue;
                const double value = values[i] - m_settings.diversityWeight * highest[i];
                if (value > bestValue) {
                    bestValue = value;
                    best = i;
                    found = true;
                }
            }
        }
        taken[best] = true;
        Attack attack = candidates.at(qsizetype(best));
        attack.similarity = highest[best];
        chosen.append(attack);
        for (std::size_t i = 0; i < taken.size(); ++i) {
            if (!taken[i])
                highest[i] = std::max(highest[i], jaccard(candidates.at(qsizetype(i)).shingles, attack.shingles));
        }
    }
    return chosen;
}

void RedGenerator::learn(const QList<Attack> &attacks, const std::vector<bool> &succeeded)
{
    for (auto it = m_record.begin(); it != m_record.end(); ++it) {
        it->first *= m_settings.memory;
        it->second *= m_settings.memory;
    }
    QList<AttackGenome> successes;
    for (qsizetype i = 0; i < attacks.size(); ++i) {
        const bool success = succeeded[std::size_t(i)];
        for (const QString &key : components(attacks.at(i).genome)) {
            auto &record = m_record[key];
            record.first += success ? 1.0 : 0.0;
            record.second += 1.0;
        }
        if (success)
            successes.append(attacks.at(i).genome);
        m_history.push_back(attacks.at(i).shingles);
    }
    m_allSuccesses.append(successes);
    // Breed from the newest successes; when a round had none, from any earlier success.
    m_parents = successes.isEmpty() ? m_allSuccesses : successes;
}

} // namespace RedTeamLoop

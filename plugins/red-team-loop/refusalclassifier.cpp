#include "refusalclassifier.h"

#include "seededrandom.h"

#include <cmath>
#include <numeric>
#include <utility>

namespace RedTeamLoop
{

RefusalClassifier::RefusalClassifier(const Settings &settings) : m_settings(settings), m_weights(std::size_t(1) << settings.bits, 0.0) { }

double RefusalClassifier::margin(const std::vector<quint32> &features) const
{
    if (features.empty())
        return m_bias;
    // Every feature counts 1/sqrt(n), so long and short requests have the same norm.
    const double value = 1.0 / std::sqrt(double(features.size()));
    double sum = m_bias;
    for (const quint32 f : features)
        sum += m_weights[f] * value;
    return sum;
}

double RefusalClassifier::refusalProbability(const std::vector<quint32> &features) const
{
    return 1.0 / (1.0 + std::exp(-margin(features)));
}

void RefusalClassifier::train(const std::vector<LabelledRequest> &examples, quint64 shuffleSeed)
{
    std::fill(m_weights.begin(), m_weights.end(), 0.0);
    m_bias = 0.0;
    if (examples.empty())
        return;
    std::size_t refusals = 0;
    for (const LabelledRequest &example : examples)
        refusals += example.refuse ? 1 : 0;
    const double n = double(examples.size());
    const double refuseWeight = refusals > 0 ? n / (2.0 * double(refusals)) : 1.0;
    const double answerWeight = refusals < examples.size() ? n / (2.0 * double(examples.size() - refusals)) : 1.0;

    SeededRandom random(shuffleSeed);
    std::vector<std::size_t> order(examples.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    for (int epoch = 0; epoch < m_settings.epochs; ++epoch) {
        // Fisher-Yates with the fixed draws, not std::shuffle (whose algorithm is not fixed).
        for (std::size_t i = order.size(); i > 1; --i)
            std::swap(order[i - 1], order[std::size_t(random.below(int(i)))]);
        const double rate = m_settings.learningRate / (1.0 + 0.1 * epoch);
        for (const std::size_t index : order) {
            const LabelledRequest &example = examples[index];
            const double p = 1.0 / (1.0 + std::exp(-margin(example.features)));
            const double error = (p - (example.refuse ? 1.0 : 0.0)) * (example.refuse ? refuseWeight : answerWeight);
            const double value = example.features.empty() ? 0.0 : 1.0 / std::sqrt(double(example.features.size()));
            for (const quint32 f : example.features)
                m_weights[f] -= rate * (error * value + m_settings.l2 * m_weights[f]);
            m_bias -= rate * error;
        }
    }
}

} // namespace RedTeamLoop

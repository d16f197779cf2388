#include "naivebayes.h"

#include <cmath>

namespace Atlas::ToxicityFilter
{

bool NaiveBayes::train(const QList<QStringList> &documents, const QList<int> &labels, QString *error)
{
    auto fail = [&](const QString &problem) {
        if (error)
            *error = problem;
        return false;
    };
    if (documents.size() != labels.size())
        return fail(QStringLiteral("%1 documents but %2 labels").arg(documents.size()).arg(labels.size()));
    m_counts.clear();
    m_tokens = {0, 0};
    m_documents = {0, 0};
    m_trained = false;
    for (qsizetype i = 0; i < documents.size(); ++i) {
        const int label = labels.at(i);
        if (label != 0 && label != 1)
            return fail(QStringLiteral("label %1 of document %2 is not 0 or 1").arg(label).arg(i + 1));
        ++m_documents[label];
        for (const QString &token : documents.at(i)) {
            auto it = m_counts.find(token);
            if (it == m_counts.end())
                it = m_counts.insert(token, {0, 0});
            ++it.value()[label];
            ++m_tokens[label];
        }
    }
    if (m_documents[0] == 0 || m_documents[1] == 0)
        return fail(QStringLiteral("the training set needs documents of both classes (clean: %1, toxic: %2)").arg(m_documents[0]).arg(m_documents[1]));
    m_trained = true;
    return true;
}

double NaiveBayes::logOdds(const QStringList &tokens) const
{
    if (!m_trained)
        return 0.0;
    const double vocabulary = double(m_counts.size());
    const double denominator1 = double(m_tokens[1]) + m_alpha * vocabulary;
    const double denominator0 = double(m_tokens[0]) + m_alpha * vocabulary;
    double odds = std::log(double(m_documents[1])) - std::log(double(m_documents[0]));
    for (const QString &token : tokens) {
        const auto it = m_counts.constFind(token);
        if (it == m_counts.constEnd())
            continue;
        odds += std::log((double(it.value()[1]) + m_alpha) / denominator1) - std::log((double(it.value()[0]) + m_alpha) / denominator0);
    }
    return odds;
}

double NaiveBayes::probability(const QStringList &tokens) const
{
    const double odds = logOdds(tokens);
    if (odds >= 0.0)
        return 1.0 / (1.0 + std::exp(-odds));
    const double e = std::exp(odds);
    return e / (1.0 + e);
}

} // namespace Atlas::ToxicityFilter

// A multinomial naive Bayes classifier over word tokens, with Laplace smoothing and sums of
// log-probabilities, for two classes: 0 clean and 1 toxic.
#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <array>

namespace Atlas::ToxicityFilter
{

class NaiveBayes
{
public:
    // `alpha` is the count added to every word of the vocabulary in each class (1 = Laplace).
    explicit NaiveBayes(double alpha = 1.0)
        : m_alpha(alpha)
    {
    }

    // Learns from tokenised documents and their labels (0 or 1). Fails, with the reason in
    // `error`, when the lists differ in length or a class has no document.
    bool train(const QList<QStringList> &documents, const QList<int> &labels, QString *error);
    bool isTrained() const { return m_trained; }
    qsizetype vocabularySize() const { return m_counts.size(); }
    int documentCount(int label) const { return m_documents[label]; }

    // log P(toxic | tokens) - log P(clean | tokens). Words never seen in training are skipped:
    // they carry no evidence either way.
    double logOdds(const QStringList &tokens) const;
    // P(toxic | tokens), the logistic of logOdds(), computed without overflow.
    double probability(const QStringList &tokens) const;

private:
    double m_alpha;
    bool m_trained = false;
    QHash<QString, std::array<int, 2>> m_counts;
    std::array<qint64, 2> m_tokens {0, 0};
    std::array<int, 2> m_documents {0, 0};
};

} // namespace Atlas::ToxicityFilter

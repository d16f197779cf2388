// RefusalClassifier: the simulated target's safety layer, a logistic regression over hashed
// text features that gives the probability that a request should be refused.
#pragma once

#include <QtGlobal>

#include <vector>

namespace RedTeamLoop
{

struct LabelledRequest {
    std::vector<quint32> features;
    bool refuse = false;
};

class RefusalClassifier
{
public:
    struct Settings {
        int bits = 16;
        int epochs = 30;
        double learningRate = 0.5;
        double l2 = 1e-4;
    };

    explicit RefusalClassifier(const Settings &settings);

    // Trains from zero weights by stochastic gradient descent, the examples visited in an order
    // drawn from shuffleSeed, refusals and answers weighted to count equally in total.
    void train(const std::vector<LabelledRequest> &examples, quint64 shuffleSeed);
    double refusalProbability(const std::vector<quint32> &features) const;
    const Settings &settings() const { return m_settings; }

private:
    double margin(const std::vector<quint32> &features) const;

    Settings m_settings;
    std::vector<double> m_weights;
    double m_bias = 0.0;
};

} // namespace RedTeamLoop

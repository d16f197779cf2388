// AdamW: Adam with decoupled weight decay (Loshchilov & Hutter), as PyTorch's torch.optim.AdamW
// computes it: the weights shrink by lr * weight_decay before the Adam step, independent of
// the gradient. This decay is what drives the late generalisation of grokking.
#pragma once

#include <Eigen/Core>

#include <cmath>

namespace Atlas::Grokking
{

template<typename Scalar>
class AdamW
{
public:
    using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

    AdamW(Eigen::Index size, double learningRate, double weightDecay, double beta1 = 0.9, double beta2 = 0.98, double epsilon = 1e-8)
        : m_learningRate(learningRate)
        , m_weightDecay(weightDecay)
        , m_beta1(beta1)
        , m_beta2(beta2)
        , m_epsilon(epsilon)
        , m_firstMoment(Vector::Zero(size))
        , m_secondMoment(Vector::Zero(size))
    {
    }

    void step(Vector &weights, const Vector &gradient)
    {
        ++m_step;
        if (m_weightDecay != 0.0)
            weights *= Scalar(1.0 - m_learningRate * m_weightDecay);
        m_firstMoment = Scalar(m_beta1) * m_firstMoment + Scalar(1.0 - m_beta1) * gradient;
        m_secondMoment = Scalar(m_beta2) * m_secondMoment + Scalar(1.0 - m_beta2) * gradient.cwiseAbs2();
        const double correction1 = 1.0 - std::pow(m_beta1, double(m_step));
        const double correction2 = 1.0 - std::pow(m_beta2, double(m_step));
        const Scalar stepSize = Scalar(m_learningRate / correction1);
        const Scalar rootCorrection2 = Scalar(std::sqrt(correction2));
        weights.array() -= stepSize * m_firstMoment.array() / (m_secondMoment.array().sqrt() / rootCorrection2 + Scalar(m_epsilon));
    }

    long long stepCount() const { return m_step; }

private:
    double m_learningRate;
    double m_weightDecay;
    double m_beta1;
    double m_beta2;
    double m_epsilon;
    long long m_step = 0;
    Vector m_firstMoment;
    Vector m_secondMoment;
};

} // namespace Atlas::Grokking

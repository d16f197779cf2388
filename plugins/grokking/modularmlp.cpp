#include "modularmlp.h"

#include "seededrandom.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace Atlas::Grokking
{

namespace
{

// Where each block of the parameter vector starts, for a network of the given sizes.
struct Layout {
    Layout(int modulus, int embeddingSize, int hiddenSize)
        : embeddingA(0)
        , embeddingB(qsizetype(modulus) * embeddingSize)
        , hiddenWeights(2 * embeddingB)
        , hiddenBias(hiddenWeights + qsizetype(2) * embeddingSize * hiddenSize)
        , readoutWeights(hiddenBias + hiddenSize)
        , readoutBias(readoutWeights + qsizetype(hiddenSize) * modulus)
        , total(readoutBias + modulus)
    {
    }
    qsizetype embeddingA;
    qsizetype embeddingB;
    qsizetype hiddenWeights;
    qsizetype hiddenBias;
    qsizetype readoutWeights;
    qsizetype readoutBias;
    qsizetype total;
};

// Matrix views of the blocks of one parameter-sized vector (the weights or their gradient).
// The hidden weights are split in the rows that multiply the embedding of a and those that
// multiply the embedding of b.
template<typename Scalar>
struct Blocks {
    using Matrix = typename ModularMlp<Scalar>::Matrix;
    using MatrixMap = Eigen::Map<Matrix>;
    using RowMap = Eigen::Map<Eigen::Matrix<Scalar, 1, Eigen::Dynamic>>;

    Blocks(Scalar *data, int p, int d, int h) : Blocks(data, Layout(p, d, h), p, d, h) { }
    Blocks(Scalar *data, const Layout &layout, int p, int d, int h)
        : embeddingA(data + layout.embeddingA, p, d)
        , embeddingB(data + layout.embeddingB, p, d)
        , hiddenA(data + layout.hiddenWeights, d, h)
        , hiddenB(data + layout.hiddenWeights + qsizetype(d) * h, d, h)
        , hiddenBias(data + layout.hiddenBias, h)
        , readout(data + layout.readoutWeights, h, p)
        , readoutBias(data + layout.readoutBias, p)
    {
    }
    MatrixMap embeddingA;
    MatrixMap embeddingB;
    MatrixMap hiddenA;
    MatrixMap hiddenB;
    RowMap hiddenBias;
    MatrixMap readout;
    RowMap readoutBias;
};

} // namespace

template<typename Scalar>
ModularMlp<Scalar>::ModularMlp(int modulus, int embeddingSize, int hiddenSize)
    : m_modulus(modulus), m_embeddingSize(embeddingSize), m_hiddenSize(hiddenSize), m_parameters(Vector::Zero(Layout(modulus, embeddingSize, hiddenSize).total))
{
}

template<typename Scalar>
void ModularMlp<Scalar>::initialise(SeededRandom &random, double scale)
{
    const Layout layout(m_modulus, m_embeddingSize, m_hiddenSize);
    // Blocks in storage order, each with the standard deviation of its entries; the draws
    // follow that order, so the weights depend only on the seed and the sizes.
    const double embeddingStd = scale;
    const double hiddenStd = scale / std::sqrt(2.0 * m_embeddingSize);
    const double readoutStd = scale / std::sqrt(double(m_hiddenSize));
    const struct {
        qsizetype begin;
        qsizetype end;
        double std;
    } blocks[] = {
        {layout.embeddingA, layout.hiddenWeights, embeddingStd},
        {layout.hiddenWeights, layout.hiddenBias, hiddenStd},
        {layout.hiddenBias, layout.readoutWeights, 0.0},
        {layout.readoutWeights, layout.readoutBias, readoutStd},
        {layout.readoutBias, layout.total, 0.0},
    };
    for (const auto &block : blocks) {
        for (qsizetype i = block.begin; i < block.end; ++i)
            m_parameters[i] = block.std == 0.0 ? Scalar(0) : Scalar(block.std * random.normal());
    }
}

template<typename Scalar>
Evaluation ModularMlp<Scalar>::evaluate(const Examples &examples, Vector *gradient)
{
    const int p = m_modulus;
    const int h = m_hiddenSize;
    const qsizetype n = examples.size();
    Evaluation evaluation;
    if (n == 0) {
        if (gradient)
            gradient->setZero(m_parameters.size());
        return evaluation;
    }
    Blocks<Scalar> weights(m_parameters.data(), p, m_embeddingSize, h);

    // The hidden pre-activation of (a, b) is embA[a] * hiddenA + embB[b] * hiddenB + bias.
    // Both products depend on one residue only, so they are computed once per residue (p rows)
    // and gathered per example, instead of multiplying every example's concatenated
    // embedding: the same numbers at a fraction of the cost.
    m_tableA.noalias() = weights.embeddingA * weights.hiddenA;
    m_tableB.noalias() = weights.embeddingB * weights.hiddenB;
    m_hidden.resize(n, h);
    const Scalar *hiddenBias = weights.hiddenBias.data();
    for (qsizetype i = 0; i < n; ++i) {
        const Scalar *fromA = m_tableA.row(examples.a[i]).data();
        const Scalar *fromB = m_tableB.row(examples.b[i]).data();
        Scalar *out = m_hidden.row(i).data();
        for (int j = 0; j < h; ++j)
            out[j] = std::max(fromA[j] + fromB[j] + hiddenBias[j], Scalar(0));
    }
    m_logits.noalias() = m_hidden * weights.readout;

    // Cross-entropy through a shifted log-sum-exp; with a gradient wanted, each row of the
    // logits is turned in place into d(mean loss)/d(logits) = (softmax - onehot) / n, and the
    // read-out bias gradient (the sum of those rows) is gathered on the way. The loops over
    // rows are written out, fused and on contiguous rows: as separate Eigen expressions
    // (rowwise bias, select, colwise sums) they took a third of a step.
    // The gradient's blocks exist only when a gradient is wanted (views into no vector would be
    // offsets from a null pointer, which is undefined even when never read).
    std::optional<Blocks<Scalar>> grad;
    if (gradient) {
        gradient->resize(m_parameters.size());
        grad.emplace(gradient->data(), p, m_embeddingSize, h);
        grad->readoutBias.setZero();
    }
    double lossSum = 0.0;
    qsizetype correct = 0;
    const Scalar inverseCount = Scalar(1) / Scalar(n);
    for (qsizetype i = 0; i < n; ++i) {
        auto row = m_logits.row(i).array();
        row += weights.readoutBias.array();
        const int label = examples.label[i];
        const Scalar top = row.maxCoeff();
        // The first largest logit is the prediction (a NaN matches nothing: stop at the end).
        int best = 0;
        while (best < p - 1 && row(best) != top)
            ++best;
        if (best == label)
            ++correct;
        const Scalar labelLogit = row(label);
        if (gradient) {
            row = (row - top).exp();
            const Scalar sum = row.sum();
            lossSum += std::log(double(sum)) - double(labelLogit - top);
            row *= inverseCount / sum;
            row(label) -= inverseCount;
            grad->readoutBias.array() += row;
        } else {
            const Scalar sum = (row - top).exp().sum();
            lossSum += std::log(double(sum)) - double(labelLogit - top);
        }
    }
    evaluation.loss = lossSum / double(n);
    evaluation.accuracy = double(correct) / double(n);
    if (!gradient)
        return evaluation;

    const Matrix &gradLogits = m_logits;
    grad->readout.noalias() = m_hidden.transpose() * gradLogits;
    m_gradHidden.noalias() = gradLogits * weights.readout.transpose();
    // ReLU passes the gradient where its output is positive (zero at the kink); the result is
    // scattered straight into the per-residue tables, and since every example adds its row
    // to exactly one row of table A, the hidden bias gradient is the column sum of that table.
    {
        // One flat loop over two distinct buffers, which the compiler vectorises.
        Scalar *upstream = m_gradHidden.data();
        const Scalar *hidden = m_hidden.data();
        const qsizetype count = n * h;
        for (qsizetype k = 0; k < count; ++k)
            upstream[k] = hidden[k] > Scalar(0) ? upstream[k] : Scalar(0);
    }
    m_gradTableA.setZero(p, h);
    m_gradTableB.setZero(p, h);
    for (qsizetype i = 0; i < n; ++i) {
        m_gradTableA.row(examples.a[i]) += m_gradHidden.row(i);
        m_gradTableB.row(examples.b[i]) += m_gradHidden.row(i);
    }
    grad->hiddenBias = m_gradTableA.colwise().sum();
    // Then through the two small products of the tables.
    grad->hiddenA.noalias() = weights.embeddingA.transpose() * m_gradTableA;
    grad->hiddenB.noalias() = weights.embeddingB.transpose() * m_gradTableB;
    grad->embeddingA.noalias() = m_gradTableA * weights.hiddenA.transpose();
    grad->embeddingB.noalias() = m_gradTableB * weights.hiddenB.transpose();
    return evaluation;
}

template class ModularMlp<float>;
template class ModularMlp<double>;

} // namespace Atlas::Grokking

// ModularMlp: the small network of the grokking demo. It reads a pair (a, b) of residues
// mod p through two embedding tables, concatenates the two embeddings, applies one hidden
// ReLU layer and a linear read-out with one logit per residue, and is trained with the mean
// cross-entropy against (a + b) mod p. Forward and backward passes are written out here with
// Eigen; Scalar is float for training and double for checking the gradient.
#pragma once

#include <QtGlobal>

#include <Eigen/Core>

#include <vector>

namespace Atlas::Grokking
{

class SeededRandom;

// A set of pairs with their labels, one example per index.
struct Examples {
    std::vector<int> a;
    std::vector<int> b;
    std::vector<int> label;

    qsizetype size() const { return qsizetype(label.size()); }
};

// The mean cross-entropy and the share of examples whose largest logit is the label.
struct Evaluation {
    double loss = 0.0;
    double accuracy = 0.0;
};

template<typename Scalar>
class ModularMlp
{
public:
    using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
    using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

    ModularMlp(int modulus, int embeddingSize, int hiddenSize);

    int modulus() const { return m_modulus; }
    int embeddingSize() const { return m_embeddingSize; }
    int hiddenSize() const { return m_hiddenSize; }

    // Draws the weights: embeddings from N(0, scale^2), each weight matrix from
    // N(0, scale^2 / fan-in); biases start at zero.
    void initialise(SeededRandom &random, double scale = 1.0);

    // All parameters in one vector (embeddings of a, of b, hidden weights and bias, read-out
    // weights and bias), so the optimiser and the weight norm treat them alike.
    Vector &parameters() { return m_parameters; }
    const Vector &parameters() const { return m_parameters; }

    // Loss and accuracy over the examples. When gradient is not null it is resized to the
    // parameter count and set to the gradient of the mean loss.
    Evaluation evaluate(const Examples &examples, Vector *gradient = nullptr);

private:
    int m_modulus;
    int m_embeddingSize;
    int m_hiddenSize;
    Vector m_parameters;
    // Scratch buffers, kept between calls so that steps on the same set reuse their memory.
    Matrix m_tableA;
    Matrix m_tableB;
    Matrix m_hidden;
    Matrix m_logits;
    Matrix m_gradHidden;
    Matrix m_gradTableA;
    Matrix m_gradTableB;
};

extern template class ModularMlp<float>;
extern template class ModularMlp<double>;

} // namespace Atlas::Grokking

// Tests of the grokking demo's computation: the hand-written backward pass against finite
// differences, the optimiser, the seeded split, determinism, the refusal of bad settings,
// and the claim itself on a small modulus (grokking with weight decay, none without).
#include "adamw.h"
#include "grokkingtrainer.h"
#include "modularmlp.h"
#include "seededrandom.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <set>

namespace Grokking = Atlas::Grokking;

namespace
{

// A setting small enough for a test that still groks clearly: 31 residues, 70% of the 961
// pairs for training. Seen here: T1 = 20..30, T2 = 360..490, and no generalisation at all
// without weight decay.
Grokking::TrainingConfig smallConfig()
{
    Grokking::TrainingConfig config;
    config.modulus = 31;
    config.trainFraction = 0.7;
    config.learningRate = 0.01;
    config.weightDecay = 1.0;
    config.steps = 800;
    config.evalEvery = 10;
    return config;
}

} // namespace

class GrokkingDemoTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void gradientMatchesFiniteDifferences_data();
    void gradientMatchesFiniteDifferences();
    void lossAndAccuracyOfKnownLogits();
    void adamwDecaysAndSteps();
    void randomSourceIsSeededAndUnbiased();
    void splitCoversEveryPairOnce();
    void sameSeedSameCurves();
    void badSettingsAreRefused_data();
    void badSettingsAreRefused();
    void smallSettingGroksWithDecayOnly_data();
    void smallSettingGroksWithDecayOnly();
    void judgeAppliesTheClaimsThresholds();
    void stepCallbackStopsTheRun();
    void metadataDefaultsAreTheCoresDefaults();
};

void GrokkingDemoTest::gradientMatchesFiniteDifferences_data()
{
    QTest::addColumn<int>("modulus");
    QTest::addColumn<int>("embedding");
    QTest::addColumn<int>("hidden");
    QTest::addColumn<quint64>("seed");
    QTest::newRow("p5 d3 h4") << 5 << 3 << 4 << quint64(1);
    QTest::newRow("p7 d2 h6") << 7 << 2 << 6 << quint64(2);
    QTest::newRow("p4 d1 h3") << 4 << 1 << 3 << quint64(3);
}

void GrokkingDemoTest::gradientMatchesFiniteDifferences()
{
    QFETCH(int, modulus);
    QFETCH(int, embedding);
    QFETCH(int, hidden);
    QFETCH(quint64, seed);

    Grokking::SeededRandom random(seed);
    Grokking::ModularMlp<double> model(modulus, embedding, hidden);
    model.initialise(random);
    // Biases start at zero; give every parameter a random offset so that the bias gradients
    // are checked away from that special point too.
    for (Eigen::Index i = 0; i < model.parameters().size(); ++i)
        model.parameters()[i] += 0.3 * random.normal();
    // Some pairs twice and some not at all, as in a real training set, so the scatter of the
    // embedding gradients is checked with repeated and missing residues.
    Grokking::Examples examples;
    for (int i = 0; i < modulus * modulus; ++i) {
        const int a = int(random.below(quint64(modulus)));
        const int b = int(random.below(quint64(modulus)));
        examples.a.push_back(a);
        examples.b.push_back(b);
        examples.label.push_back((a + b) % modulus);
    }

    Grokking::ModularMlp<double>::Vector gradient;
    const double loss = model.evaluate(examples, &gradient).loss;
    QCOMPARE(gradient.size(), model.parameters().size());
    QVERIFY(std::isfinite(loss));

    const double h = 1e-6;
    double worst = 0.0;
    Eigen::Index worstIndex = -1;
    for (Eigen::Index i = 0; i < model.parameters().size(); ++i) {
        const double saved = model.parameters()[i];
        model.parameters()[i] = saved + h;
        const double up = model.evaluate(examples).loss;
        model.parameters()[i] = saved - h;
        const double down = model.evaluate(examples).loss;
        model.parameters()[i] = saved;
        const double numeric = (up - down) / (2.0 * h);
        const double error = std::abs(numeric - gradient[i]) / (1e-6 + std::abs(numeric) + std::abs(gradient[i]));
        if (error > worst) {
            worst = error;
            worstIndex = i;
        }
    }
    QVERIFY2(
        worst < 1e-5, qPrintable(QStringLiteral("largest relative error %1 at parameter %2 of %3").arg(worst).arg(worstIndex).arg(model.parameters().size())));
    // The evaluation with a gradient reports the same loss as the one without.
    QCOMPARE(model.evaluate(examples).loss, loss);
}

void GrokkingDemoTest::lossAndAccuracyOfKnownLogits()
{
    // With every weight zero all logits are equal: the loss is ln(p) and argmax picks class 0,
    // which is right exactly for the pairs whose sum is 0 mod p.
    const int p = 7;
    Grokking::ModularMlp<double> model(p, 3, 5);
    Grokking::Examples examples;
    for (int a = 0; a < p; ++a) {
        for (int b = 0; b < p; ++b) {
            examples.a.push_back(a);
            examples.b.push_back(b);
            examples.label.push_back((a + b) % p);
        }
    }
    const Grokking::Evaluation evaluation = model.evaluate(examples);
    QCOMPARE(evaluation.loss, std::log(double(p)));
    QCOMPARE(evaluation.accuracy, 1.0 / p);
}

void GrokkingDemoTest::adamwDecaysAndSteps()
{
    using Vector = Eigen::VectorXd;
    // With a zero gradient only the decoupled decay acts: w <- w (1 - lr wd).
    {
        Grokking::AdamW<double> optimiser(3, 0.01, 2.0);
        Vector weights(3);
        weights << 1.0, -2.0, 0.5;
        optimiser.step(weights, Vector::Zero(3));
        QCOMPARE(weights[0], 0.98);
        QCOMPARE(weights[1], -1.96);
        QCOMPARE(weights[2], 0.49);
    }
    // Adam's first step, bias-corrected, moves each weight by lr against the gradient's sign
    // whatever its size (up to epsilon).
    {
        Grokking::AdamW<double> optimiser(3, 0.01, 0.0);
        Vector weights = Vector::Zero(3);
        Vector gradient(3);
        gradient << 4.0, -0.001, 1e3;
        optimiser.step(weights, gradient);
        QVERIFY(std::abs(weights[0] + 0.01) < 1e-8);
        QVERIFY(std::abs(weights[1] - 0.01) < 1e-6);
        QVERIFY(std::abs(weights[2] + 0.01) < 1e-8);
        QCOMPARE(optimiser.stepCount(), 1LL);
    }
}

void GrokkingDemoTest::randomSourceIsSeededAndUnbiased()
{
    Grokking::SeededRandom first(42);
    Grokking::SeededRandom second(42);
    Grokking::SeededRandom other(43);
    bool differs = false;
    for (int i = 0; i < 100; ++i) {
        const double x = first.normal();
        QCOMPARE(second.normal(), x);
        differs = differs || other.normal() != x;
    }
    QVERIFY(differs);

    // Moments of the normal sampler and the range of below().
    Grokking::SeededRandom random(7);
    const int count = 200000;
    double sum = 0.0;
    double squares = 0.0;
    for (int i = 0; i < count; ++i) {
        const double x = random.normal();
        sum += x;
        squares += x * x;
    }
    const double mean = sum / count;
    const double variance = squares / count - mean * mean;
    QVERIFY2(std::abs(mean) < 0.01, qPrintable(QString::number(mean)));
    QVERIFY2(std::abs(variance - 1.0) < 0.02, qPrintable(QString::number(variance)));
    int counts[3] = {0, 0, 0};
    for (int i = 0; i < 30000; ++i) {
        const quint64 value = random.below(3);
        QVERIFY(value < 3);
        ++counts[value];
    }
    for (int c : counts)
        QVERIFY2(std::abs(c - 10000) < 400, qPrintable(QString::number(c)));
}

void GrokkingDemoTest::splitCoversEveryPairOnce()
{
    const int p = 13;
    Grokking::SeededRandom random(5);
    const Grokking::Split split = Grokking::splitModularAddition(p, 0.3, random);
    QCOMPARE(split.train.size(), qsizetype(std::lround(0.3 * p * p)));
    QCOMPARE(split.train.size() + split.validation.size(), qsizetype(p * p));
    std::set<int> seen;
    for (const Grokking::Examples *set : {&split.train, &split.validation}) {
        for (qsizetype i = 0; i < set->size(); ++i) {
            QCOMPARE(set->label[i], (set->a[i] + set->b[i]) % p);
            QVERIFY(seen.insert(set->a[i] * p + set->b[i]).second);
        }
    }
    QCOMPARE(int(seen.size()), p * p);
    // Shuffled: the training set is not simply the first pairs in order.
    bool ordered = true;
    for (qsizetype i = 0; i < split.train.size() && ordered; ++i)
        ordered = split.train.a[i] * p + split.train.b[i] == int(i);
    QVERIFY(!ordered);
}

void GrokkingDemoTest::sameSeedSameCurves()
{
    Grokking::TrainingConfig config = smallConfig();
    config.steps = 150;
    const Grokking::TrainingRun first = Grokking::trainModularAddition(config, 11);
    const Grokking::TrainingRun second = Grokking::trainModularAddition(config, 11);
    const Grokking::TrainingRun other = Grokking::trainModularAddition(config, 12);
    QVERIFY(first.finished && second.finished && other.finished);
    QCOMPARE(first.curve.size(), std::size_t(16));
    QCOMPARE(second.curve.size(), first.curve.size());
    bool differs = false;
    for (std::size_t i = 0; i < first.curve.size(); ++i) {
        const Grokking::CurvePoint &a = first.curve[i];
        const Grokking::CurvePoint &b = second.curve[i];
        QCOMPARE(b.step, a.step);
        // Bit for bit: the same seed must give the same numbers, not merely close ones.
        QCOMPARE(b.trainAccuracy, a.trainAccuracy);
        QCOMPARE(b.validationAccuracy, a.validationAccuracy);
        QCOMPARE(b.trainLoss, a.trainLoss);
        QCOMPARE(b.validationLoss, a.validationLoss);
        QCOMPARE(b.weightNorm, a.weightNorm);
        differs = differs || other.curve[i].trainLoss != a.trainLoss;
    }
    QCOMPARE(second.trainThresholdStep, first.trainThresholdStep);
    QVERIFY2(differs, "another seed gave the same curve");
}

void GrokkingDemoTest::badSettingsAreRefused_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("train_fraction 0") << QStringLiteral("trainFraction") << 0.0 << QStringLiteral("train_fraction");
    QTest::newRow("train_fraction 1") << QStringLiteral("trainFraction") << 1.0 << QStringLiteral("train_fraction");
    QTest::newRow("train_fraction leaves validation empty") << QStringLiteral("trainFraction") << 0.99995 << QStringLiteral("train_fraction");
    QTest::newRow("modulus 1") << QStringLiteral("modulus") << 1.0 << QStringLiteral("modulus");
    QTest::newRow("learning_rate 0") << QStringLiteral("learningRate") << 0.0 << QStringLiteral("learning_rate");
    QTest::newRow("learning_rate NaN") << QStringLiteral("learningRate") << std::nan("") << QStringLiteral("learning_rate");
    QTest::newRow("weight_decay negative") << QStringLiteral("weightDecay") << -1.0 << QStringLiteral("weight_decay");
    QTest::newRow("decay wipes the weights") << QStringLiteral("weightDecay") << 100.0 << QStringLiteral("weight_decay");
    QTest::newRow("steps 0") << QStringLiteral("steps") << 0.0 << QStringLiteral("steps");
    QTest::newRow("eval_every 0") << QStringLiteral("evalEvery") << 0.0 << QStringLiteral("eval_every");
    QTest::newRow("init_scale 0") << QStringLiteral("initScale") << 0.0 << QStringLiteral("init_scale");
}

void GrokkingDemoTest::badSettingsAreRefused()
{
    QFETCH(QString, field);
    QFETCH(double, value);
    QFETCH(QString, mentions);
    QVERIFY(Grokking::checkConfig(Grokking::TrainingConfig()).isEmpty());
    QVERIFY(Grokking::checkConfig(smallConfig()).isEmpty());
    Grokking::TrainingConfig config;
    if (field == QLatin1String("trainFraction"))
        config.trainFraction = value;
    else if (field == QLatin1String("modulus"))
        config.modulus = int(value);
    else if (field == QLatin1String("learningRate"))
        config.learningRate = value;
    else if (field == QLatin1String("weightDecay"))
        config.weightDecay = value;
    else if (field == QLatin1String("steps"))
        config.steps = int(value);
    else if (field == QLatin1String("evalEvery"))
        config.evalEvery = int(value);
    else if (field == QLatin1String("initScale"))
        config.initScale = value;
    const QString problem = Grokking::checkConfig(config);
    QVERIFY2(problem.contains(mentions), qPrintable(problem));
}

void GrokkingDemoTest::smallSettingGroksWithDecayOnly_data()
{
    QTest::addColumn<quint64>("seed");
    QTest::newRow("seed 1") << quint64(1);
    QTest::newRow("seed 2") << quint64(2);
}

void GrokkingDemoTest::smallSettingGroksWithDecayOnly()
{
    QFETCH(quint64, seed);
    const Grokking::TrainingConfig config = smallConfig();
    const Grokking::TrainingRun run = Grokking::trainModularAddition(config, seed);
    Grokking::TrainingConfig controlConfig = config;
    controlConfig.weightDecay = 0.0;
    const Grokking::TrainingRun control = Grokking::trainModularAddition(controlConfig, seed);
    QVERIFY(run.finished && control.finished);
    QCOMPARE(run.curve.back().step, config.steps);

    const Grokking::Verdict verdict = Grokking::judge(run, control);
    const QString numbers = QStringLiteral("T1 %1, T2 %2, control T2 %3, control final validation accuracy %4")
                                .arg(verdict.t1)
                                .arg(verdict.t2)
                                .arg(verdict.controlT2)
                                .arg(control.curve.back().validationAccuracy);
    qInfo().noquote() << numbers;
    // Memorised first: the training set is fitted while validation is still near chance.
    QVERIFY2(verdict.t1 > 0, qPrintable(numbers));
    const auto atT1 = std::find_if(run.curve.begin(), run.curve.end(), [&](const Grokking::CurvePoint &point) {
        return point.step == verdict.t1;
    });
    QVERIFY(atT1 != run.curve.end());
    QVERIFY2(atT1->validationAccuracy < 0.5, qPrintable(numbers));
    // Generalised much later, with decay.
    QVERIFY2(verdict.t2 >= 2 * verdict.t1, qPrintable(numbers));
    QVERIFY2(verdict.grokked, qPrintable(numbers));
    QVERIFY2(run.curve.back().validationAccuracy >= 0.95, qPrintable(numbers));
    // Without decay the same network from the same start fits the training set but does not
    // generalise in the same budget.
    QVERIFY2(control.trainThresholdStep > 0, qPrintable(numbers));
    QVERIFY2(verdict.controlHeldBack, qPrintable(numbers));
    QVERIFY2(control.curve.back().validationAccuracy < 0.95, qPrintable(numbers));
    QVERIFY2(verdict.claimMet, qPrintable(numbers));
    // The mechanism Liu et al. point to: decay shrinks the weights, without it they grow.
    QCOMPARE(control.curve.front().weightNorm, run.curve.front().weightNorm);
    QVERIFY(run.curve.back().weightNorm < run.curve.front().weightNorm);
    QVERIFY(control.curve.back().weightNorm > control.curve.front().weightNorm);
}

void GrokkingDemoTest::judgeAppliesTheClaimsThresholds()
{
    const auto makeRun = [](int t1, int t2) {
        Grokking::TrainingRun run;
        run.trainThresholdStep = t1;
        run.validationThresholdStep = t2;
        run.finished = true;
        return run;
    };
    // T2 exactly 2 x T1 counts; just under does not.
    QVERIFY(Grokking::judge(makeRun(100, 200)).grokked);
    QVERIFY(!Grokking::judge(makeRun(100, 190)).grokked);
    QVERIFY(!Grokking::judge(makeRun(100, -1)).grokked);
    QVERIFY(!Grokking::judge(makeRun(-1, -1)).grokked);
    // The control: never reaching 95%, or reaching it at least 3x later than T2.
    QVERIFY(Grokking::judge(makeRun(100, 300), makeRun(50, -1)).claimMet);
    QVERIFY(Grokking::judge(makeRun(100, 300), makeRun(50, 900)).claimMet);
    QVERIFY(!Grokking::judge(makeRun(100, 300), makeRun(50, 890)).claimMet);
    QVERIFY(!Grokking::judge(makeRun(100, 150), makeRun(50, -1)).claimMet);
    Grokking::TrainingRun stopped = makeRun(50, -1);
    stopped.finished = false;
    QVERIFY(!Grokking::judge(makeRun(100, 300), stopped).controlHeldBack);
}

void GrokkingDemoTest::stepCallbackStopsTheRun()
{
    Grokking::TrainingConfig config = smallConfig();
    int lastStep = 0;
    int points = 0;
    const Grokking::TrainingRun run = Grokking::trainModularAddition(
        config, 1,
        [&](const Grokking::CurvePoint &) {
            ++points;
        },
        [&](int step) {
            lastStep = step;
            return step < 25;
        });
    QVERIFY(!run.finished);
    QCOMPARE(lastStep, 25);
    // Evaluated at steps 0, 10 and 20 before the stop.
    QCOMPARE(points, 3);
    QCOMPARE(int(run.curve.size()), 3);
}

void GrokkingDemoTest::metadataDefaultsAreTheCoresDefaults()
{
    // The plugin runs with the defaults of its metadata, the tests and the benchmark reason
    // about TrainingConfig's: they must be the same numbers.
    QFile file(QStringLiteral(ATLAS_SOURCE_DIR "/plugins/grokking/grokking.json"));
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    QVERIFY2(document.isObject(), qPrintable(parseError.errorString()));
    QVariantMap defaults;
    for (const QJsonValue &parameter : document.object().value(QStringLiteral("parameters")).toArray())
        defaults.insert(parameter[QStringLiteral("name")].toString(), parameter[QStringLiteral("default")].toVariant());
    const Grokking::TrainingConfig config;
    QCOMPARE(defaults.value(QStringLiteral("modulus")).toInt(), config.modulus);
    QCOMPARE(defaults.value(QStringLiteral("train_fraction")).toDouble(), config.trainFraction);
    QCOMPARE(defaults.value(QStringLiteral("weight_decay")).toDouble(), config.weightDecay);
    QCOMPARE(defaults.value(QStringLiteral("learning_rate")).toDouble(), config.learningRate);
    QCOMPARE(defaults.value(QStringLiteral("steps")).toInt(), config.steps);
    QCOMPARE(defaults.value(QStringLiteral("eval_every")).toInt(), config.evalEvery);
    QCOMPARE(defaults.value(QStringLiteral("embedding_size")).toInt(), config.embeddingSize);
    QCOMPARE(defaults.value(QStringLiteral("hidden_size")).toInt(), config.hiddenSize);
    QCOMPARE(defaults.value(QStringLiteral("init_scale")).toDouble(), config.initScale);
    QCOMPARE(defaults.value(QStringLiteral("compare_without_decay")).toBool(), true);
}

QTEST_GUILESS_MAIN(GrokkingDemoTest)

#include "grokking_demo_test.moc"

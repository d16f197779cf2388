#include "grokkingtrainer.h"

#include "adamw.h"
#include "seededrandom.h"

#include <cmath>

namespace Atlas::Grokking
{

QString checkConfig(const TrainingConfig &config)
{
    if (config.modulus < 2)
        return QStringLiteral("modulus must be at least 2 (got %1)").arg(config.modulus);
    if (!(config.trainFraction > 0.0 && config.trainFraction < 1.0))
        return QStringLiteral("train_fraction must lie strictly between 0 and 1 (got %1): both sets need examples").arg(config.trainFraction);
    const qsizetype pairs = qsizetype(config.modulus) * config.modulus;
    const qsizetype train = qsizetype(std::llround(config.trainFraction * double(pairs)));
    if (train < 1 || train > pairs - 1)
        return QStringLiteral("train_fraction %1 of %2 pairs leaves the training or the validation set empty").arg(config.trainFraction).arg(pairs);
    if (config.embeddingSize < 1 || config.hiddenSize < 1)
        return QStringLiteral("embedding and hidden sizes must be positive");
    if (!(config.learningRate > 0.0) || !std::isfinite(config.learningRate))
        return QStringLiteral("learning_rate must be positive (got %1)").arg(config.learningRate);
    if (!(config.weightDecay >= 0.0) || !std::isfinite(config.weightDecay))
        return QStringLiteral("weight_decay must be zero or positive (got %1)").arg(config.weightDecay);
    if (config.learningRate * config.weightDecay >= 1.0)
        return QStringLiteral("learning_rate x weight_decay must stay below 1 (got %1), or the decay would flip or zero the weights")
            .arg(config.learningRate * config.weightDecay);
    if (!(config.beta1 >= 0.0 && config.beta1 < 1.0) || !(config.beta2 >= 0.0 && config.beta2 < 1.0))
        return QStringLiteral("the AdamW betas must lie in [0, 1)");
    if (!(config.initScale > 0.0) || !std::isfinite(config.initScale))
        return QStringLiteral("init_scale must be positive (got %1)").arg(config.initScale);
    if (config.steps < 1)
        return QStringLiteral("steps must be at least 1 (got %1)").arg(config.steps);
    if (config.evalEvery < 1)
        return QStringLiteral("eval_every must be at least 1 (got %1)").arg(config.evalEvery);
    return {};
}

Split splitModularAddition(int modulus, double trainFraction, SeededRandom &random)
{
    const int pairs = modulus * modulus;
    std::vector<int> order(pairs);
    for (int i = 0; i < pairs; ++i)
        order[i] = i;
    random.shuffle(order);
    const int trainCount = int(std::llround(trainFraction * double(pairs)));
    Split split;
    for (int i = 0; i < pairs; ++i) {
        Examples &target = i < trainCount ? split.train : split.validation;
        const int a = order[i] / modulus;
        const int b = order[i] % modulus;
        target.a.push_back(a);
        target.b.push_back(b);
        target.label.push_back((a + b) % modulus);
    }
    return split;
}

TrainingRun trainModularAddition(const TrainingConfig &config, quint64 seed, const CurveCallback &onCurve, const StepCallback &onStep)
{
    TrainingRun run;
    Q_ASSERT(checkConfig(config).isEmpty());
    // The split is drawn first and the weights next, from the one seeded source.
    SeededRandom random(seed);
    const Split split = splitModularAddition(config.modulus, config.trainFraction, random);
    ModularMlp<float> model(config.modulus, config.embeddingSize, config.hiddenSize);
    model.initialise(random, config.initScale);
    AdamW<float> optimiser(model.parameters().size(), config.learningRate, config.weightDecay, config.beta1, config.beta2);
    run.trainExamples = int(split.train.size());
    run.validationExamples = int(split.validation.size());
    run.parameterCount = model.parameters().size();

    ModularMlp<float>::Vector gradient;
    for (int step = 0;; ++step) {
        const bool last = step == config.steps;
        // The training pass that yields this step's gradient also gives the training loss
        // and accuracy of the current weights, so recording them costs nothing extra.
        const Evaluation train = model.evaluate(split.train, last ? nullptr : &gradient);
        if (last || step % config.evalEvery == 0) {
            const Evaluation validation = model.evaluate(split.validation);
            CurvePoint point;
            point.step = step;
            point.trainAccuracy = train.accuracy;
            point.trainLoss = train.loss;
            point.validationAccuracy = validation.accuracy;
            point.validationLoss = validation.loss;
            point.weightNorm = model.parameters().template cast<double>().norm();
            if (run.trainThresholdStep < 0 && point.trainAccuracy >= config.trainThreshold)
                run.trainThresholdStep = step;
            if (run.validationThresholdStep < 0 && point.validationAccuracy >= config.validationThreshold)
                run.validationThresholdStep = step;
            run.curve.push_back(point);
            if (onCurve)
                onCurve(point);
        }
        if (last)
            break;
        optimiser.step(model.parameters(), gradient);
        if (onStep && !onStep(step + 1))
            return run;
    }
    run.finished = true;
    return run;
}

Verdict judge(const TrainingRun &withDecay)
{
    Verdict verdict;
    verdict.t1 = withDecay.trainThresholdStep;
    verdict.t2 = withDecay.validationThresholdStep;
    verdict.grokked = verdict.t1 > 0 && verdict.t2 > 0 && verdict.t2 >= 2 * verdict.t1;
    verdict.claimMet = verdict.grokked;
    return verdict;
}

Verdict judge(const TrainingRun &withDecay, const TrainingRun &withoutDecay)
{
    Verdict verdict = judge(withDecay);
    verdict.controlT2 = withoutDecay.validationThresholdStep;
    verdict.controlHeldBack = withoutDecay.finished && (verdict.controlT2 < 0 || (verdict.t2 > 0 && verdict.controlT2 >= 3 * verdict.t2));
    verdict.claimMet = verdict.grokked && verdict.controlHeldBack;
    return verdict;
}

} // namespace Atlas::Grokking

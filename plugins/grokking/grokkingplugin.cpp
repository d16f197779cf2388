// GrokkingPlugin: runs the grokking experiment (grokkingtrainer.h) with weight decay and, as
// the control, without it; reports the curves as metrics and as a CSV file, and judges the
// issue's claim from T1 (training accuracy >= 99%) and T2 (validation accuracy >= 95%).
#include "grokkingtrainer.h"
#include "mitigationplugin.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonValue>
#include <QObject>

#include <algorithm>

namespace
{

namespace Grokking = Atlas::Grokking;

// The runner refuses a run with more than 200,000 metric points; each evaluation gives
// eight (five for the run, three for the control), so this keeps well within it.
constexpr qint64 MaxEvaluations = 10000;

QJsonValue stepOrNull(int step)
{
    return step < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(step);
}

QString percent(double fraction)
{
    return QString::number(100.0 * fraction, 'f', 1) + QLatin1Char('%');
}

double bestValidationAccuracy(const Grokking::TrainingRun &run)
{
    double best = 0.0;
    for (const Grokking::CurvePoint &point : run.curve)
        best = std::max(best, point.validationAccuracy);
    return best;
}

// Trains one network, sending its curve as metrics (names ending in `suffix`) and its
// progress within [offset, offset + share]. Returns the run; run.finished is false when
// the user cancelled.
Grokking::TrainingRun trainReporting(const Grokking::TrainingConfig &config, quint64 seed, const QString &suffix, bool allSeries, double offset, double share,
    const QString &label, Atlas::RunContext &context)
{
    const auto onCurve = [&](const Grokking::CurvePoint &point) {
        context.metric(QStringLiteral("train_accuracy") + suffix, point.step, point.trainAccuracy);
        context.metric(QStringLiteral("val_accuracy") + suffix, point.step, point.validationAccuracy);
        if (allSeries) {
            context.metric(QStringLiteral("train_loss") + suffix, point.step, point.trainLoss);
            context.metric(QStringLiteral("val_loss") + suffix, point.step, point.validationLoss);
        }
        context.metric(QStringLiteral("weight_norm") + suffix, point.step, point.weightNorm);
    };
    const auto onStep = [&](int step) {
        // A step takes a few tens of milliseconds at the default size, so checking the flag
        // after each one answers a cancel at once; progress every 10 steps is enough.
        if (step % 10 == 0 || step == config.steps)
            context.progress(offset + share * double(step) / double(config.steps), QStringLiteral("%1: step %2 of %3").arg(label).arg(step).arg(config.steps));
        return !context.isCancelled();
    };
    return Grokking::trainModularAddition(config, seed, onCurve, onStep);
}

bool writeCurves(const QString &path, const Grokking::TrainingRun &run, const Grokking::TrainingRun *control, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    QByteArray text = "step,train_accuracy,val_accuracy,train_loss,val_loss,weight_norm";
    if (control)
        text += ",train_accuracy_no_decay,val_accuracy_no_decay,train_loss_no_decay,val_loss_no_decay,weight_norm_no_decay";
    text += '\n';
    const auto appendPoint = [&text](const Grokking::CurvePoint &point) {
        for (double value : {point.trainAccuracy, point.validationAccuracy, point.trainLoss, point.validationLoss, point.weightNorm})
            text += ',' + QByteArray::number(value, 'g', 9);
    };
    for (std::size_t i = 0; i < run.curve.size(); ++i) {
        text += QByteArray::number(run.curve[i].step);
        appendPoint(run.curve[i]);
        // Both runs evaluate at the same steps, so their rows line up.
        if (control && i < control->curve.size())
            appendPoint(control->curve[i]);
        text += '\n';
    }
    if (file.write(text) != text.size() || !file.flush()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

QJsonObject summary(const Grokking::TrainingRun &run)
{
    const Grokking::CurvePoint &first = run.curve.front();
    const Grokking::CurvePoint &last = run.curve.back();
    return QJsonObject {
        {QStringLiteral("t1_train_accuracy_step"), stepOrNull(run.trainThresholdStep)},
        {QStringLiteral("t2_val_accuracy_step"), stepOrNull(run.validationThresholdStep)},
        {QStringLiteral("final_train_accuracy"), last.trainAccuracy},
        {QStringLiteral("final_val_accuracy"), last.validationAccuracy},
        {QStringLiteral("best_val_accuracy"), bestValidationAccuracy(run)},
        {QStringLiteral("final_train_loss"), last.trainLoss},
        {QStringLiteral("final_val_loss"), last.validationLoss},
        {QStringLiteral("initial_weight_norm"), first.weightNorm},
        {QStringLiteral("final_weight_norm"), last.weightNorm},
    };
}

} // namespace

class GrokkingPlugin : public QObject, public Atlas::MitigationPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID AtlasMitigationPlugin_iid FILE "grokking.json")
    Q_INTERFACES(Atlas::MitigationPlugin)

public:
    bool run(const QVariantMap &parameters, quint64 seed, Atlas::RunContext &context) override;
};

bool GrokkingPlugin::run(const QVariantMap &parameters, quint64 seed, Atlas::RunContext &context)
{
    Grokking::TrainingConfig config;
    config.modulus = int(parameters.value(QStringLiteral("modulus")).toLongLong());
    config.trainFraction = parameters.value(QStringLiteral("train_fraction")).toDouble();
    config.weightDecay = parameters.value(QStringLiteral("weight_decay")).toDouble();
    config.learningRate = parameters.value(QStringLiteral("learning_rate")).toDouble();
    config.steps = int(parameters.value(QStringLiteral("steps")).toLongLong());
    config.evalEvery = int(parameters.value(QStringLiteral("eval_every")).toLongLong());
    config.embeddingSize = int(parameters.value(QStringLiteral("embedding_size")).toLongLong());
    config.hiddenSize = int(parameters.value(QStringLiteral("hidden_size")).toLongLong());
    config.initScale = parameters.value(QStringLiteral("init_scale")).toDouble();
    const QString problem = Grokking::checkConfig(config);
    if (!problem.isEmpty()) {
        context.error(problem);
        return false;
    }
    const qint64 evaluations = config.steps / config.evalEvery + 2;
    if (evaluations > MaxEvaluations) {
        context.error(QStringLiteral("steps / eval_every asks for %1 evaluations per run; at most %2 keep the curves within the runner's limit of "
                                     "metric points: raise eval_every")
                          .arg(evaluations)
                          .arg(MaxEvaluations));
        return false;
    }
    bool compare = parameters.value(QStringLiteral("compare_without_decay")).toBool();
    if (compare && config.weightDecay == 0.0) {
        context.log(QStringLiteral("weight_decay is 0 already, so the run is its own control: no second training"));
        compare = false;
    }

    const int pairs = config.modulus * config.modulus;
    context.log(QStringLiteral("task: (a + b) mod %1 over %2 pairs, %3 of them for training; network: embeddings %4 + %4, hidden ReLU %5, "
                               "read-out %1; full-batch AdamW, learning rate %6, weight decay %7, %8 steps, seed %9")
                    .arg(config.modulus)
                    .arg(pairs)
                    .arg(percent(config.trainFraction))
                    .arg(config.embeddingSize)
                    .arg(config.hiddenSize)
                    .arg(config.learningRate)
                    .arg(config.weightDecay)
                    .arg(config.steps)
                    .arg(seed));

    QElapsedTimer timer;
    timer.start();
    const double share = compare ? 0.5 : 1.0;
    const Grokking::TrainingRun run
        = trainReporting(config, seed, QString(), true, 0.0, share, QStringLiteral("weight decay %1").arg(config.weightDecay), context);
    if (!run.finished)
        return false;
    // Wall time goes to the log only: the result must be the same for the same seed.
    context.log(QStringLiteral("run with weight decay %1: %2 training and %3 validation pairs, %4 parameters, %5 steps in %6 s")
                    .arg(config.weightDecay)
                    .arg(run.trainExamples)
                    .arg(run.validationExamples)
                    .arg(run.parameterCount)
                    .arg(config.steps)
                    .arg(double(timer.elapsed()) / 1000.0, 0, 'f', 1));

    Grokking::TrainingRun control;
    if (compare) {
        timer.restart();
        Grokking::TrainingConfig controlConfig = config;
        controlConfig.weightDecay = 0.0;
        control = trainReporting(controlConfig, seed, QStringLiteral("_no_decay"), false, 0.5, 0.5, QStringLiteral("control, weight decay 0"), context);
        if (!control.finished)
            return false;
        context.log(QStringLiteral("control without weight decay: %1 steps in %2 s").arg(config.steps).arg(double(timer.elapsed()) / 1000.0, 0, 'f', 1));
    }
    const Grokking::Verdict verdict = compare ? Grokking::judge(run, control) : Grokking::judge(run);

    const Grokking::CurvePoint &last = run.curve.back();
    if (verdict.t1 < 0) {
        context.log(QStringLiteral("training accuracy never reached 99% (final %1)").arg(percent(last.trainAccuracy)));
    } else if (verdict.t2 < 0) {
        context.log(QStringLiteral("training accuracy reached 99% at step %1 (T1); validation accuracy never reached 95% in %2 steps (best %3)")
                        .arg(verdict.t1)
                        .arg(config.steps)
                        .arg(percent(bestValidationAccuracy(run))));
    } else {
        context.log(QStringLiteral("training accuracy reached 99% at step %1 (T1), validation accuracy 95% at step %2 (T2 = %3 x T1): %4")
                        .arg(verdict.t1)
                        .arg(verdict.t2)
                        .arg(double(verdict.t2) / double(std::max(verdict.t1, 1)), 0, 'f', 2)
                        .arg(verdict.grokked ? QStringLiteral("grokking") : QStringLiteral("no clear delay, not grokking")));
    }
    context.log(QStringLiteral("weight norm with weight decay %1: %2 at the start, %3 at the end")
                    .arg(config.weightDecay)
                    .arg(run.curve.front().weightNorm, 0, 'f', 2)
                    .arg(last.weightNorm, 0, 'f', 2));
    if (compare) {
        const Grokking::CurvePoint &controlLast = control.curve.back();
        context.log(QStringLiteral("control without decay: validation accuracy %1 (best %2, final %3), weight norm %4 at the end; %5")
                        .arg(verdict.controlT2 < 0 ? QStringLiteral("never reached 95%") : QStringLiteral("reached 95% at step %1").arg(verdict.controlT2))
                        .arg(percent(bestValidationAccuracy(control)))
                        .arg(percent(controlLast.validationAccuracy))
                        .arg(controlLast.weightNorm, 0, 'f', 2)
                        .arg(verdict.controlHeldBack ? QStringLiteral("held back as claimed") : QStringLiteral("not held back")));
    }

    const QString csvPath = QDir(context.outputFolder()).filePath(QStringLiteral("grokking_curves.csv"));
    QString writeError;
    if (!writeCurves(csvPath, run, compare ? &control : nullptr, &writeError)) {
        context.error(writeError);
        return false;
    }
    context.artifact(csvPath,
        compare ? QStringLiteral("learning curves with and without weight decay (accuracy, loss, weight norm per evaluated step)")
                : QStringLiteral("learning curves (accuracy, loss, weight norm per evaluated step)"));

    QJsonObject result = summary(run);
    result.insert(QStringLiteral("claim"),
        QStringLiteral("Training accuracy passes 99% at step T1 while validation accuracy passes 95% only at T2 >= 2 x T1; with weight "
                       "decay 0 and the same steps, validation stays below 95% or passes it at least 3x later."));
    result.insert(QStringLiteral("claim_met"), verdict.claimMet);
    result.insert(QStringLiteral("claim_scope"),
        compare ? QStringLiteral("grokking and the control without weight decay")
                : QStringLiteral("grokking only: the control without weight decay was not run"));
    result.insert(QStringLiteral("grokked"), verdict.grokked);
    result.insert(QStringLiteral("t2_over_t1"), verdict.t1 > 0 && verdict.t2 > 0 ? QJsonValue(double(verdict.t2) / double(verdict.t1)) : QJsonValue());
    result.insert(QStringLiteral("steps"), config.steps);
    result.insert(QStringLiteral("eval_every"), config.evalEvery);
    result.insert(QStringLiteral("modulus"), config.modulus);
    result.insert(QStringLiteral("weight_decay"), config.weightDecay);
    result.insert(QStringLiteral("train_examples"), run.trainExamples);
    result.insert(QStringLiteral("validation_examples"), run.validationExamples);
    result.insert(QStringLiteral("parameter_count"), qint64(run.parameterCount));
    if (compare) {
        QJsonObject noDecay = summary(control);
        noDecay.insert(QStringLiteral("held_back"), verdict.controlHeldBack);
        result.insert(QStringLiteral("no_decay"), noDecay);
    }
    context.progress(1.0, QStringLiteral("done"));
    context.result(result);
    return true;
}

#include "grokkingplugin.moc"

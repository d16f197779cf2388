// ToxicityFilterPlugin: runs the toxicity-filter demonstration (toxicityfilterdemo.h) and
// turns its reports into the runner's progress, metrics, artifacts and result.
#include "mitigationplugin.h"
#include "toxicityfilterdemo.h"

#include <QObject>

class ToxicityFilterPlugin : public QObject, public Atlas::MitigationPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID AtlasMitigationPlugin_iid FILE "toxicity-filter.json")
    Q_INTERFACES(Atlas::MitigationPlugin)

public:
    bool run(const QVariantMap &parameters, quint64 seed, Atlas::RunContext &context) override
    {
        using namespace Atlas::ToxicityFilter;
        DemoOptions options;
        options.corpusPath = parameters.value(QStringLiteral("corpus")).toString();
        options.lexiconPath = parameters.value(QStringLiteral("lexicon")).toString();
        options.trainingPath = parameters.value(QStringLiteral("training_file")).toString();
        options.scorer = parameters.value(QStringLiteral("scorer"), options.scorer).toString();
        options.trainFraction = parameters.value(QStringLiteral("train_fraction"), options.trainFraction).toDouble();
        options.thresholdSteps = parameters.value(QStringLiteral("threshold_steps"), options.thresholdSteps).toInt();
        options.threshold = parameters.value(QStringLiteral("threshold"), options.threshold).toDouble();

        const DemoHooks hooks = DemoHooks::forContext(context);

        const DemoOutcome outcome = runDemo(options, seed, hooks);
        if (outcome.status == DemoOutcome::Status::Cancelled)
            return false;
        if (outcome.status == DemoOutcome::Status::Failed) {
            context.error(outcome.error);
            return false;
        }

        const struct {
            QString name;
            const QByteArray &data;
            QString description;
        } files[] = {
            {QStringLiteral("sweep.csv"), outcome.sweepCsv, QStringLiteral("the threshold sweep: removed, toxic rate left, precision, recall and F1 per threshold")},
            {QStringLiteral("kept-corpus.tsv"), outcome.keptCorpus, QStringLiteral("the evaluated documents kept at the operating threshold (label<TAB>text)")},
            {QStringLiteral("scores.tsv"), outcome.scoresTsv, QStringLiteral("every evaluated document with its scores, label, fate and the lexicon terms found")},
        };
        for (const auto &file : files) {
            if (!Atlas::writeArtifact(context, file.name, file.data, file.description))
                return false;
        }
        context.result(outcome.summary);
        return true;
    }
};

#include "toxicityfilterplugin.moc"

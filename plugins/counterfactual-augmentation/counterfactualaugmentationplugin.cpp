// CounterfactualAugmentationPlugin: runs the counterfactual-augmentation demo (augmentationdemo.h)
// on the shipped lists and corpus, compiled in as resources, plus the user's extra files.
#include "augmentationdemo.h"
#include "mitigationplugin.h"

#include <QObject>

namespace
{

const QString dataPrefix = QStringLiteral(":/demos/counterfactual-augmentation/");

} // namespace

class CounterfactualAugmentationPlugin : public QObject, public Atlas::MitigationPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID AtlasMitigationPlugin_iid FILE "counterfactual-augmentation.json")
    Q_INTERFACES(Atlas::MitigationPlugin)

public:
    bool run(const QVariantMap &parameters, quint64 seed, Atlas::RunContext &context) override
    {
        using namespace CounterfactualAugmentation;
        const auto text = [&parameters](const char *name) {
            return parameters.value(QLatin1String(name)).toString();
        };
        AugmentationSettings settings;
        settings.corpusPath = text("corpus").isEmpty() ? dataPrefix + QStringLiteral("corpus.txt") : text("corpus");
        settings.corpusLabel = text("corpus").isEmpty() ? QStringLiteral("shipped demo corpus") : text("corpus");
        settings.pairFiles = {dataPrefix + QStringLiteral("pairs.tsv")};
        settings.nameFiles = {dataPrefix + QStringLiteral("names.tsv")};
        settings.occupationFiles = {dataPrefix + QStringLiteral("occupations.tsv")};
        if (!text("pairs").isEmpty())
            settings.pairFiles.append(text("pairs"));
        if (!text("names").isEmpty())
            settings.nameFiles.append(text("names"));
        if (!text("occupations").isEmpty())
            settings.occupationFiles.append(text("occupations"));
        settings.swapNames = parameters.value(QStringLiteral("swap_names")).toBool();
        settings.mode = text("mode") == QLatin1String("replace") ? AugmentationMode::Replace : AugmentationMode::Append;
        settings.window = parameters.value(QStringLiteral("window")).toInt();
        settings.alpha = parameters.value(QStringLiteral("alpha")).toDouble();
        settings.fraction = parameters.value(QStringLiteral("fraction")).toDouble();
        settings.claimDrop = parameters.value(QStringLiteral("claim_drop")).toDouble();

        const DemoCallbacks callbacks = DemoCallbacks::forContext(context);

        const AugmentationReport report = runAugmentation(settings, seed, callbacks);
        if (report.cancelled)
            return false;
        if (!report.ok) {
            context.error(report.error);
            return false;
        }

        if (!Atlas::writeArtifact(context, QStringLiteral("augmented-corpus.txt"), (report.outputCorpus.join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8(),
                QStringLiteral("the augmented corpus, one sentence a line (each swapped copy follows its original in append mode)"))
            || !Atlas::writeArtifact(context, QStringLiteral("occupation-bias.csv"), report.occupationCsv().toUtf8(),
                QStringLiteral("per-occupation co-occurrence counts and bias before and after")))
            return false;
        context.progress(1.0, QStringLiteral("done"));
        context.result(report.toJson(settings));
        return true;
    }
};

#include "counterfactualaugmentationplugin.moc"

// PiiScrubberPlugin: runs the pii-scrubber demonstration (piiscrubberdemo.h) and turns its
// reports into the runner's progress, metrics, artifacts and result.
#include "mitigationplugin.h"
#include "piiscrubberdemo.h"

#include <QObject>

class PiiScrubberPlugin : public QObject, public Atlas::MitigationPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID AtlasMitigationPlugin_iid FILE "pii-scrubber.json")
    Q_INTERFACES(Atlas::MitigationPlugin)

public:
    bool run(const QVariantMap &parameters, quint64 seed, Atlas::RunContext &context) override
    {
        Q_UNUSED(seed) // the scrubber is deterministic and draws nothing
        using namespace Atlas::PiiScrubber;
        DemoOptions options;
        options.inputPath = parameters.value(QStringLiteral("input")).toString();
        options.kinds = parameters.value(QStringLiteral("kinds"), options.kinds).toString();
        options.maskStyle = parameters.value(QStringLiteral("mask_style"), options.maskStyle).toString();
        options.claimFloor = parameters.value(QStringLiteral("claim_floor"), options.claimFloor).toDouble();

        const DemoHooks hooks = DemoHooks::forContext(context);

        const DemoOutcome outcome = runDemo(options, hooks);
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
            {QStringLiteral("redacted.txt"), outcome.redacted, QStringLiteral("the input with every span found replaced by its mask, one document a line")},
            {QStringLiteral("detections.tsv"), outcome.detectionsTsv,
             QStringLiteral("every span found (matched or false positive) and every labelled span missed, with line, offsets, kind and value")},
        };
        for (const auto &file : files) {
            if (!Atlas::writeArtifact(context, file.name, file.data, file.description))
                return false;
        }
        context.result(outcome.summary);
        return true;
    }
};

#include "piiscrubberplugin.moc"

// PiiScrubberPlugin: runs the pii-scrubber demonstration (piiscrubberdemo.h) and turns its
// reports into the runner's progress, metrics, artifacts and result.
#include "mitigationplugin.h"
#include "piiscrubberdemo.h"

#include <QDir>
#include <QFile>
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

        DemoHooks hooks;
        hooks.progress = [&context](double fraction, const QString &message) {
            context.progress(fraction, message);
        };
        hooks.metric = [&context](const QString &name, qint64 step, double value) {
            context.metric(name, step, value);
        };
        hooks.log = [&context](const QString &message) {
            context.log(message);
        };
        hooks.cancelled = [&context]() {
            return context.isCancelled();
        };

        const DemoOutcome outcome = runDemo(options, hooks);
        if (outcome.status == DemoOutcome::Status::Cancelled)
            return false;
        if (outcome.status == DemoOutcome::Status::Failed) {
            context.error(outcome.error);
            return false;
        }

        const QDir folder(context.outputFolder());
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
            QFile out(folder.filePath(file.name));
            if (!out.open(QIODevice::WriteOnly) || out.write(file.data) != file.data.size()) {
                context.error(QStringLiteral("cannot write %1: %2").arg(out.fileName(), out.errorString()));
                return false;
            }
            out.close();
            context.artifact(out.fileName(), file.description);
        }
        context.result(outcome.summary);
        return true;
    }
};

#include "piiscrubberplugin.moc"

// RedTeamLoopPlugin: runs the red-team-loop simulation (redteamsimulation.h) with the shipped
// templates, fillers and requests, compiled in as resources, plus the user's extra files.
#include "mitigationplugin.h"
#include "redteamsimulation.h"

#include <QDir>
#include <QFile>
#include <QObject>

namespace
{

const QString dataPrefix = QStringLiteral(":/demos/red-team-loop/");

bool writeFile(const QString &path, const QString &text, QString *error)
{
    QFile file(path);
    const QByteArray bytes = text.toUtf8();
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace

class RedTeamLoopPlugin : public QObject, public Atlas::MitigationPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID AtlasMitigationPlugin_iid FILE "red-team-loop.json")
    Q_INTERFACES(Atlas::MitigationPlugin)

public:
    bool run(const QVariantMap &parameters, quint64 seed, Atlas::RunContext &context) override
    {
        using namespace RedTeamLoop;
        const auto value = [&parameters](const char *name) {
            return parameters.value(QLatin1String(name));
        };
        SimulationSettings settings;
        settings.templateFiles = {dataPrefix + QStringLiteral("templates.txt")};
        settings.fillerFiles = {dataPrefix + QStringLiteral("fillers.tsv")};
        settings.seedAttackFiles = {dataPrefix + QStringLiteral("seed-attacks.txt")};
        settings.benignFiles = {dataPrefix + QStringLiteral("benign.txt")};
        if (!value("templates").toString().isEmpty())
            settings.templateFiles.append(value("templates").toString());
        if (!value("fillers").toString().isEmpty())
            settings.fillerFiles.append(value("fillers").toString());
        if (!value("benign").toString().isEmpty())
            settings.benignFiles.append(value("benign").toString());
        settings.rounds = value("rounds").toInt();
        settings.attacksPerRound = value("attacks_per_round").toInt();
        settings.selectionBudget = value("selection_budget").toInt();
        const QString selection = value("selection").toString();
        settings.selection = selection == QLatin1String("uncertain") ? SelectionStrategy::Uncertain
            : selection == QLatin1String("random")                   ? SelectionStrategy::Random
                                                                     : SelectionStrategy::Diverse;
        settings.red.diversityWeight = value("diversity_weight").toDouble();
        settings.red.maxSimilarity = value("max_similarity").toDouble();
        settings.red.candidatesPerAttack = value("candidates_per_attack").toInt();
        settings.threshold = value("threshold").toDouble();
        settings.target.epochs = value("epochs").toInt();
        settings.target.learningRate = value("learning_rate").toDouble();
        settings.target.l2 = value("l2").toDouble();
        settings.diversityFloor = value("diversity_floor").toDouble();
        settings.claimDrop = value("claim_drop").toDouble();

        SimulationCallbacks callbacks;
        callbacks.progress = [&context](double fraction, const QString &message) {
            context.progress(fraction, message);
        };
        callbacks.metric = [&context](const QString &name, qint64 step, double number) {
            context.metric(name, step, number);
        };
        callbacks.log = [&context](const QString &message) {
            context.log(message);
        };
        callbacks.isCancelled = [&context] {
            return context.isCancelled();
        };

        const SimulationReport report = runSimulation(settings, seed, callbacks);
        if (report.cancelled)
            return false;
        if (!report.ok) {
            context.error(report.error);
            return false;
        }
        const QDir folder(context.outputFolder());
        const QString roundsPath = folder.filePath(QStringLiteral("rounds.csv"));
        const QString attacksPath = folder.filePath(QStringLiteral("attacks.csv"));
        QString error;
        if (!writeFile(roundsPath, report.roundsCsv(), &error) || !writeFile(attacksPath, report.attacksCsv(), &error)) {
            context.error(error);
            return false;
        }
        context.artifact(roundsPath, QStringLiteral("per round: attack success rate, diversity, novelty, false refusal rate (simulation)"));
        context.artifact(attacksPath, QStringLiteral("every simulated attack with the target's refusal probability and whether it was used for hardening"));
        context.progress(1.0, QStringLiteral("done"));
        context.result(report.toJson(settings));
        return true;
    }
};

#include "redteamloopplugin.moc"

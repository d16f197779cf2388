// RedTeamLoopPlugin: runs the red-team-loop simulation (redteamsimulation.h) with the shipped
// templates, fillers and requests, compiled in as resources, plus the user's extra files.
#include "mitigationplugin.h"
#include "redteamsimulation.h"

#include <QObject>

namespace
{

const QString dataPrefix = QStringLiteral(":/demos/red-team-loop/");

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

        const SimulationCallbacks callbacks = SimulationCallbacks::forContext(context);

        const SimulationReport report = runSimulation(settings, seed, callbacks);
        if (report.cancelled)
            return false;
        if (!report.ok) {
            context.error(report.error);
            return false;
        }
        if (!Atlas::writeArtifact(context, QStringLiteral("rounds.csv"), report.roundsCsv().toUtf8(),
                QStringLiteral("per round: attack success rate, diversity, novelty, false refusal rate (simulation)"))
            || !Atlas::writeArtifact(context, QStringLiteral("attacks.csv"), report.attacksCsv().toUtf8(),
                QStringLiteral("every simulated attack with the target's refusal probability and whether it was used for hardening")))
            return false;
        context.progress(1.0, QStringLiteral("done"));
        context.result(report.toJson(settings));
        return true;
    }
};

#include "redteamloopplugin.moc"

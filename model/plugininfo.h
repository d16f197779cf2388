// PluginInfo: what the app knows of a plugin from its metadata alone (the library is never
// loaded for it), with the reasons it cannot be used when it cannot.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>

namespace Atlas
{

// One parameter a plugin declares: its type ("int", "double", "bool", "string" or "path"),
// default, and where they apply min/max (int, double) and choices (int, double, string).
struct PluginParameter {
    QString name;
    QString type;
    QVariant defaultValue; // already of the parameter's type
    std::optional<double> minimum;
    std::optional<double> maximum;
    QVariantList choices;
    QString help;

    QJsonObject toJson() const;
};

// A mitigation-type code a plugin demonstrates ("2.4.1" in the MIT v2 scheme), optionally in
// another scheme ("mit-mitigation-v1:1.2") and narrowed to entries under a risk path: a broad
// code such as 1.1.2 links only the entries that also sit under `within`.
struct PluginCode {
    QString schemeKey;
    QString code;
    QString within; // a risk path, or empty

    // "2.4.1", "mit-mitigation-v1:1.2", "1.1.2 within Value Misalignment > Toxicity"
    QString label() const;
};

struct PluginInfo {
    enum class State {
        Ready, // metadata valid (and, when probed, the library loads)
        Invalid, // the metadata is missing, malformed or of another interface version
        Unloadable, // the metadata is valid but loading the library failed (missing symbol, ...)
        Duplicate, // another plugin found earlier has the same id
    };

    QString filePath;
    QString iid;
    QString id; // may be empty for an invalid plugin
    QString name;
    QString version;
    QString description;
    QString category;
    QList<PluginParameter> parameters;
    QList<PluginCode> mitigationTypes;
    QStringList riskCategories; // paths, "Value Misalignment > Methods for mitigating toxicity"
    QStringList papers; // arXiv ids or DOIs
    State state = State::Invalid;
    QStringList problems; // why it is not Ready; empty when it is
    bool probed = false; // the library was loaded once, in the runner, to check it

    bool isReady() const { return state == State::Ready; }
    // The problems as one sentence, or empty.
    QString reason() const { return problems.join(QLatin1String("; ")); }
    const PluginParameter *parameter(const QString &name) const;
    // The id, or the file name when the metadata has none.
    QString displayId() const;
};

// "ready", "invalid", "unloadable", "duplicate": the keys used in JSON.
QString pluginStateKey(PluginInfo::State state);

} // namespace Atlas

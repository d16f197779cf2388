// NoSymbolPlugin: refers to a variable no library defines. Its metadata reads fine; loading it
// fails, which only the runner (a probe or a run) can find out.
#include "mitigationplugin.h"

#include <QObject>

// Defined nowhere: a data reference must be resolved when the library is loaded.
extern "C" int atlas_test_symbol_defined_nowhere;

class NoSymbolPlugin : public QObject, public Atlas::MitigationPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID AtlasMitigationPlugin_iid FILE "nosymbol.json")
    Q_INTERFACES(Atlas::MitigationPlugin)

public:
    bool run(const QVariantMap &, quint64, Atlas::RunContext &context) override
    {
        context.result(QJsonObject {{QStringLiteral("value"), atlas_test_symbol_defined_nowhere}});
        return true;
    }
};

#include "nosymbolplugin.moc"

// BadMetaPlugin: valid code with invalid metadata; discovery must list it with every reason.
#include "mitigationplugin.h"

#include <QObject>

class BadMetaPlugin : public QObject, public Atlas::MitigationPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID AtlasMitigationPlugin_iid FILE "badmeta.json")
    Q_INTERFACES(Atlas::MitigationPlugin)

public:
    bool run(const QVariantMap &, quint64, Atlas::RunContext &context) override
    {
        context.result(QJsonObject());
        return true;
    }
};

#include "badmetaplugin.moc"

// WrongIidPlugin: claims a future interface version; discovery must refuse it without loading it.
#include "mitigationplugin.h"

#include <QObject>

class WrongIidPlugin : public QObject, public Atlas::MitigationPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID "org.mitigationatlas.MitigationPlugin/2" FILE "wrongiid.json")
    Q_INTERFACES(Atlas::MitigationPlugin)

public:
    bool run(const QVariantMap &, quint64, Atlas::RunContext &context) override
    {
        context.result(QJsonObject());
        return true;
    }
};

#include "wrongiidplugin.moc"

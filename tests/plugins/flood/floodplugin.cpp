// FloodPlugin: writes metric lines without end and never looks at the cancellation flag, so
// only the client's output limits stop it.
#include "mitigationplugin.h"

#include <QObject>

class FloodPlugin : public QObject, public Atlas::MitigationPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID AtlasMitigationPlugin_iid FILE "flood.json")
    Q_INTERFACES(Atlas::MitigationPlugin)

public:
    bool run(const QVariantMap &, quint64, Atlas::RunContext &context) override
    {
        for (qint64 step = 0;; ++step)
            context.metric(QStringLiteral("flood"), step, double(step));
    }
};

#include "floodplugin.moc"

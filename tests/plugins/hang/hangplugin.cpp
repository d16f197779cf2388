// HangPlugin: never returns and never looks at the cancellation flag, so only a timeout or a
// kill after Cancel ends it.
#include "mitigationplugin.h"

#include <QObject>

#include <chrono>
#include <thread>

class HangPlugin : public QObject, public Atlas::MitigationPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID AtlasMitigationPlugin_iid FILE "hang.json")
    Q_INTERFACES(Atlas::MitigationPlugin)

public:
    bool run(const QVariantMap &, quint64, Atlas::RunContext &context) override
    {
        context.progress(0.1, QStringLiteral("hanging"));
        for (;;)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
};

#include "hangplugin.moc"

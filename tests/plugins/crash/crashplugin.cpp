// CrashPlugin: segfaults in the middle of a run, to prove that only the runner dies.
#include "mitigationplugin.h"

#include <QObject>

class CrashPlugin : public QObject, public Atlas::MitigationPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID AtlasMitigationPlugin_iid FILE "crash.json")
    Q_INTERFACES(Atlas::MitigationPlugin)

public:
    bool run(const QVariantMap &parameters, quint64, Atlas::RunContext &context) override
    {
        const qint64 steps = parameters.value(QStringLiteral("steps")).toLongLong();
        for (qint64 i = 0; i < steps; ++i) {
            context.metric(QStringLiteral("before_crash"), i, double(i));
            context.progress(0.5 * double(i + 1) / double(steps), QStringLiteral("about to crash"));
        }
        // A real invalid write: the pointer is read and the store made as written (both volatile),
        // so the compiler can neither drop the store nor turn it into a trap instruction.
        volatile int *volatile nowhere = nullptr;
        *nowhere = 42;
        return true;
    }
};

#include "crashplugin.moc"

// CountPlugin: counts to n with progress, metrics, an optional artifact and a result that
// depends only on the parameters and the seed. It proves the happy path of the runner.
#include "mitigationplugin.h"

#include <QFile>
#include <QObject>

#include <chrono>
#include <random>
#include <thread>

class CountPlugin : public QObject, public Atlas::MitigationPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID AtlasMitigationPlugin_iid FILE "count.json")
    Q_INTERFACES(Atlas::MitigationPlugin)

public:
    bool run(const QVariantMap &parameters, quint64 seed, Atlas::RunContext &context) override
    {
        const qint64 n = parameters.value(QStringLiteral("n")).toLongLong();
        const int delayMs = parameters.value(QStringLiteral("delay_ms")).toInt();
        const bool useXor = parameters.value(QStringLiteral("mode")).toString() == QLatin1String("xor");
        const double scale = parameters.value(QStringLiteral("scale")).toDouble();
        const qint64 failAt = parameters.value(QStringLiteral("fail_at")).toLongLong();

        // The raw output of mt19937_64 is fixed by the standard, so the checksum is the same
        // for the same seed with any compiler.
        std::mt19937_64 random(seed);
        quint64 checksum = 0;
        qint64 sum = 0;
        QByteArray counts;
        for (qint64 i = 1; i <= n; ++i) {
            if (context.isCancelled())
                return false;
            if (i == failAt) {
                context.error(QStringLiteral("asked to fail at step %1").arg(i));
                return false;
            }
            const quint64 draw = random();
            checksum = useXor ? (checksum ^ draw) : (checksum + draw);
            sum += i;
            counts += QByteArray::number(i) + '\n';
            context.metric(QStringLiteral("value"), i, double(i) * scale);
            context.metric(QStringLiteral("draw"), i, double(draw >> 11) / double(quint64(1) << 53));
            context.progress(double(i) / double(n), QStringLiteral("step %1 of %2").arg(i).arg(n));
            if (delayMs > 0)
                std::this_thread::sleep_for(std::chrono::milliseconds(delayMs));
        }
        QJsonObject result {{QStringLiteral("count"), n}, {QStringLiteral("sum"), sum}, {QStringLiteral("checksum"), QString::number(checksum, 16)},
            {QStringLiteral("label"), parameters.value(QStringLiteral("label")).toString()}};
        if (parameters.value(QStringLiteral("write_file")).toBool()) {
            QFile file(context.outputFolder() + QStringLiteral("/count.txt"));
            if (!file.open(QIODevice::WriteOnly) || file.write(counts) != counts.size()) {
                context.error(QStringLiteral("cannot write %1").arg(file.fileName()));
                return false;
            }
            context.artifact(file.fileName(), QStringLiteral("the numbers counted"));
        }
        context.log(QStringLiteral("counted to %1").arg(n));
        context.result(result);
        return true;
    }
};

#include "countplugin.moc"

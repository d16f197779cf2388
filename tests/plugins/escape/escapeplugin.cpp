// EscapePlugin: a plugin that tries to act outside its run: it writes a file in its run folder
// (allowed), then tries to create, append to, truncate, remove and rename files elsewhere, to
// signal the process that started it and to connect to a TCP port. Each attempt is logged, and
// the result lists which were refused and which got through, so a test can tell a confined run
// from an unconfined one.
#include "mitigationplugin.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QObject>

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

class EscapePlugin : public QObject, public Atlas::MitigationPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID AtlasMitigationPlugin_iid FILE "escape.json")
    Q_INTERFACES(Atlas::MitigationPlugin)

public:
    bool run(const QVariantMap &parameters, quint64, Atlas::RunContext &context) override
    {
        QJsonArray refused;
        QJsonArray done;
        // Records one attempt: `result` is 0 on success or -1 with errno set.
        auto attempt = [&](const QString &what, int result) {
            if (result == 0) {
                done.append(what);
                context.log(QStringLiteral("done: %1").arg(what));
            } else {
                const QString why = QStringLiteral("%1: %2").arg(what, QString::fromLocal8Bit(std::strerror(errno)));
                refused.append(why);
                context.log(QStringLiteral("refused: %1").arg(why));
            }
        };

        const QString inside = QDir(context.outputFolder()).filePath(QStringLiteral("inside.txt"));
        QFile insideFile(inside);
        if (!insideFile.open(QIODevice::WriteOnly) || insideFile.write("written inside the run folder\n") < 0) {
            context.error(QStringLiteral("cannot write %1: %2").arg(inside, insideFile.errorString()));
            return false;
        }
        insideFile.close();
        context.artifact(inside, QStringLiteral("a file written inside the run folder"));

        const QByteArray target = QFile::encodeName(parameters.value(QStringLiteral("target")).toString());
        if (!target.isEmpty()) {
            const int fd = ::open(target.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
            attempt(QStringLiteral("create %1").arg(QString::fromLocal8Bit(target)), fd >= 0 ? 0 : -1);
            if (fd >= 0) {
                [[maybe_unused]] const ssize_t written = ::write(fd, "escaped\n", 8);
                ::close(fd);
            }
            // Moving a file of the run folder out of it.
            const QByteArray moved = target + QByteArrayLiteral(".moved");
            attempt(QStringLiteral("rename %1 to %2").arg(inside, QString::fromLocal8Bit(moved)), ::rename(QFile::encodeName(inside).constData(), moved.constData()));
        }
        const QByteArray victim = QFile::encodeName(parameters.value(QStringLiteral("victim")).toString());
        if (!victim.isEmpty()) {
            const QString name = QString::fromLocal8Bit(victim);
            const int fd = ::open(victim.constData(), O_WRONLY | O_APPEND | O_CLOEXEC);
            attempt(QStringLiteral("append to %1").arg(name), fd >= 0 ? 0 : -1);
            if (fd >= 0) {
                [[maybe_unused]] const ssize_t written = ::write(fd, "appended\n", 9);
                ::close(fd);
            }
            attempt(QStringLiteral("truncate %1").arg(name), ::truncate(victim.constData(), 0));
            attempt(QStringLiteral("remove %1").arg(name), ::unlink(victim.constData()));
        }
        if (const int port = parameters.value(QStringLiteral("port")).toInt(); port > 0) {
            const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            sockaddr_in address {};
            address.sin_family = AF_INET;
            address.sin_port = htons(quint16(port));
            address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            attempt(QStringLiteral("connect to 127.0.0.1:%1").arg(port), fd < 0 ? -1 : ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address));
            if (fd >= 0)
                ::close(fd);
        }
        if (parameters.value(QStringLiteral("signal_parent")).toBool())
            attempt(QStringLiteral("signal the parent process %1").arg(::getppid()), ::kill(::getppid(), SIGCONT));

        context.result({{QStringLiteral("refused"), refused}, {QStringLiteral("done"), done}});
        if (!refused.isEmpty() && parameters.value(QStringLiteral("on_refusal")).toString() == QLatin1String("fail")) {
            QStringList reasons;
            for (const QJsonValue &reason : refused)
                reasons.append(reason.toString());
            context.error(QStringLiteral("refused: %1").arg(reasons.join(QLatin1String("; "))));
            return false;
        }
        return true;
    }
};

#include "escapeplugin.moc"

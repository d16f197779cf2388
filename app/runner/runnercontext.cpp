#include "runnercontext.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cerrno>
#include <cmath>

#include <unistd.h>

RunnerContext::RunnerContext(int fd, const QString &outputFolder, std::atomic<bool> &cancelled) : m_fd(fd), m_outputFolder(outputFolder), m_cancelled(cancelled)
{
}

void RunnerContext::write(const QString &type, QJsonObject fields)
{
    // "type" first, so the stream reads well; QJsonObject would sort it among the other keys.
    fields.remove(QStringLiteral("type"));
    const QByteArray rest = QJsonDocument(fields).toJson(QJsonDocument::Compact);
    const QByteArray line = "{\"type\":" + QJsonDocument(QJsonArray {type}).toJson(QJsonDocument::Compact).mid(1).chopped(1)
        + (fields.isEmpty() ? QByteArray() : QByteArray(",")) + rest.mid(1) + '\n';
    const std::lock_guard<std::mutex> lock(m_mutex);
    const char *data = line.constData();
    qsizetype left = line.size();
    while (left > 0) {
        const ssize_t written = ::write(m_fd, data, size_t(left));
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0) {
            // Nobody reads any more (the app went away): stop the run.
            m_cancelled.store(true);
            return;
        }
        data += written;
        left -= written;
    }
}

void RunnerContext::progress(double fraction, const QString &message)
{
    const double clamped = std::isfinite(fraction) ? std::clamp(fraction, 0.0, 1.0) : 0.0;
    write(QStringLiteral("progress"), {{QStringLiteral("value"), clamped}, {QStringLiteral("message"), message}});
}

void RunnerContext::metric(const QString &name, qint64 step, double value)
{
    // JSON has no NaN or infinity; they are written as null.
    write(QStringLiteral("metric"),
        {{QStringLiteral("name"), name}, {QStringLiteral("step"), step}, {QStringLiteral("value"), std::isfinite(value) ? QJsonValue(value) : QJsonValue()}});
}

void RunnerContext::log(const QString &message)
{
    write(QStringLiteral("log"), {{QStringLiteral("message"), message}});
}

void RunnerContext::artifact(const QString &path, const QString &description)
{
    write(QStringLiteral("artifact"),
        {{QStringLiteral("path"), QDir::cleanPath(QDir(m_outputFolder).absoluteFilePath(path))}, {QStringLiteral("description"), description}});
}

void RunnerContext::result(const QJsonObject &summary)
{
    m_hasResult.store(true);
    write(QStringLiteral("result"), {{QStringLiteral("value"), summary}});
}

void RunnerContext::error(const QString &message)
{
    m_hasError.store(true);
    write(QStringLiteral("error"), {{QStringLiteral("message"), message}});
}

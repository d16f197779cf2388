// RunnerContext: the runner's side of Atlas::RunContext. Each call becomes one JSON line on
// the protocol channel; calls from several threads of a plugin are written one at a time.
#pragma once

#include "mitigationplugin.h"

#include <QJsonObject>
#include <QString>

#include <atomic>
#include <mutex>

class RunnerContext final : public Atlas::RunContext
{
public:
    // `fd`: where the JSON lines go; `cancelled`: the flag Cancel (or a signal) sets.
    RunnerContext(int fd, const QString &outputFolder, std::atomic<bool> &cancelled);

    void progress(double fraction, const QString &message) override;
    void metric(const QString &name, qint64 step, double value) override;
    void log(const QString &message) override;
    void artifact(const QString &path, const QString &description) override;
    void result(const QJsonObject &summary) override;
    void error(const QString &message) override;
    bool isCancelled() const override { return m_cancelled.load(); }
    QString outputFolder() const override { return m_outputFolder; }

    bool hasResult() const { return m_hasResult.load(); }
    bool hasError() const { return m_hasError.load(); }
    // Writes one line: {"type": type, ...fields}.
    void write(const QString &type, QJsonObject fields);

private:
    int m_fd;
    QString m_outputFolder;
    std::atomic<bool> &m_cancelled;
    std::atomic<bool> m_hasResult {false};
    std::atomic<bool> m_hasError {false};
    std::mutex m_mutex;
};

// runOnWorker: reads a library in a thread of its own, on its own SQLite connection, and hands
// the answer back to the window's thread. Item models use it so that no count or search ever
// holds up the window; WAL mode lets these readers run beside a writer.
#pragma once

#include "library.h"

#include <QCoreApplication>
#include <QMutex>
#include <QMutexLocker>
#include <QPointer>
#include <QSet>
#include <QThread>

#include <functional>
#include <optional>

namespace Atlas
{

namespace WorkerThreads
{

// The workers still running. When the application's event loop ends they are waited for, so no
// worker is left using SQLite and Qt SQL while the program tears them down (it crashed when a
// window closed during a long read).
inline QMutex mutex;
inline QSet<QThread *> running;
inline bool waitConnected = false;

inline void waitForAll()
{
    for (;;) {
        QThread *thread = nullptr;
        {
            QMutexLocker locker(&mutex);
            if (running.isEmpty())
                return;
            thread = *running.cbegin();
            running.remove(thread);
        }
        thread->wait();
    }
}

// Called in the main thread for each new worker.
inline void track(QThread *thread)
{
    {
        QMutexLocker locker(&mutex);
        running.insert(thread);
    }
    QObject::connect(thread, &QThread::finished, thread, [thread] {
        QMutexLocker locker(&mutex);
        running.remove(thread);
    }, Qt::DirectConnection);
    if (!waitConnected) {
        if (QCoreApplication *application = QCoreApplication::instance()) {
            QObject::connect(application, &QCoreApplication::aboutToQuit, application, &waitForAll);
            waitConnected = true;
        }
    }
}

} // namespace WorkerThreads

// Runs `work` with a connection to the library at `libraryPath` in a new thread, then `done`
// with its answer in the main thread, unless `context` was destroyed meanwhile.
// `work` must check `connection.isOpen()`.
template<typename T>
void runOnWorker(QObject *context, const QString &libraryPath, std::function<T(const WorkerConnection &connection)> work, std::function<void(T)> done)
{
    QPointer<QObject> guard(context);
    QThread *thread = QThread::create([guard, libraryPath, work = std::move(work), done = std::move(done)] {
        std::optional<T> answer;
        {
            const WorkerConnection connection(libraryPath);
            answer.emplace(work(connection));
        }
        // Delivered through the application object, which outlives every model; the guard is
        // read in the main thread only.
        if (QCoreApplication *application = QCoreApplication::instance())
            QMetaObject::invokeMethod(
                application,
                [guard, done, value = *answer] {
                    if (guard)
                        done(value);
                },
                Qt::QueuedConnection);
    });
    QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    WorkerThreads::track(thread);
    thread->start();
}

} // namespace Atlas

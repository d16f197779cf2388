#include "sql.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSqlDriver>
#include <QSqlError>

#include <sqlite3.h>

#include <atomic>

namespace Atlas::Sql
{

namespace
{

BusyWait &busyPolicy()
{
    static BusyWait policy;
    return policy;
}

// A short wait (two quick writers meeting) is not worth a message.
constexpr qint64 busyGraceMs = 300;

// SQLite calls this while another connection holds the lock; `count` starts at 0 for each wait.
// Returning 0 gives up: the statement then fails with SQLITE_BUSY.
int busyHandler(void *, int count)
{
    thread_local QElapsedTimer waited;
    thread_local bool told = false;
    if (count == 0 || !waited.isValid()) {
        waited.start();
        told = false;
    }
    const BusyWait &policy = busyPolicy();
    const qint64 elapsed = waited.elapsed();
    if (elapsed >= policy.timeoutMs)
        return 0;
    if (!told && elapsed >= busyGraceMs && policy.notify) {
        told = true;
        policy.notify(QCoreApplication::translate("Sql", "the library is busy: another program is writing to it; waiting up to %1 s")
                          .arg((policy.timeoutMs + 999) / 1000));
    }
    // Quick retries first (most waits are another writer's short change), then every 20 ms.
    const int step = count < 20 ? 2 : 20;
    sqlite3_sleep(int(qMin<qint64>(step, policy.timeoutMs - elapsed)));
    return 1;
}

sqlite3 *handleOf(const QSqlDatabase &db)
{
    if (!db.driver())
        return nullptr;
    const QVariant handle = db.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

} // namespace

QString errorText(const QSqlError &error)
{
    // SQLITE_BUSY: the busy handler waited as long as it may.
    if (error.nativeErrorCode() == QLatin1String("5")) {
        return QCoreApplication::translate("Sql", "the library is busy: another program has been writing to it for more than %1 s, so nothing was changed; "
                                                  "try again when it has finished")
            .arg((busyPolicy().timeoutMs + 999) / 1000);
    }
    return error.text();
}

void setBusyWait(BusyWait wait)
{
    busyPolicy() = std::move(wait);
}

const BusyWait &busyWait()
{
    return busyPolicy();
}

Status installBusyHandler(const QSqlDatabase &db)
{
    sqlite3 *handle = handleOf(db);
    if (!handle)
        return Error {QCoreApplication::translate("Sql", "not an open SQLite connection")};
    // Replaces the driver's busy timeout.
    if (sqlite3_busy_handler(handle, &busyHandler, nullptr) != SQLITE_OK)
        return Error {QString::fromUtf8(sqlite3_errmsg(handle))};
    return {};
}

Result<QSqlQuery> exec(const QSqlDatabase &db, const QString &statement, const QVariantList &values)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.prepare(statement))
        return Error {errorText(query.lastError())};
    for (const QVariant &value : values)
        query.addBindValue(value);
    if (!query.exec())
        return Error {errorText(query.lastError())};
    return query;
}

Result<QVariant> scalar(const QSqlDatabase &db, const QString &statement, const QVariantList &values)
{
    auto query = exec(db, statement, values);
    if (!query)
        return Error {query.error()};
    if (!query.value().next())
        return Error {QCoreApplication::translate("Sql", "the query returned no row")};
    return query.value().value(0);
}

QVariant nullIfEmpty(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

Transaction::Transaction(QSqlDatabase db) : m_db(std::move(db))
{
    sqlite3 *handle = handleOf(m_db);
    if (!handle) {
        m_error = QCoreApplication::translate("Sql", "not an open SQLite connection");
        return;
    }
    if (!sqlite3_get_autocommit(handle)) {
        static std::atomic<int> counter {0};
        m_savepoint = QStringLiteral("atlas_%1").arg(++counter);
    }
    // The savepoint's name is our own counter, never data.
    const Status begun = run(m_savepoint.isEmpty() ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("SAVEPOINT %1").arg(m_savepoint));
    m_active = begun.ok();
    if (!m_active)
        m_error = begun.error();
}

Transaction::~Transaction()
{
    if (!m_active)
        return;
    if (m_savepoint.isEmpty()) {
        run(QStringLiteral("ROLLBACK"));
    } else {
        run(QStringLiteral("ROLLBACK TO %1").arg(m_savepoint));
        run(QStringLiteral("RELEASE %1").arg(m_savepoint));
    }
}

Status Transaction::run(const QString &statement)
{
    QSqlQuery query(m_db);
    if (!query.exec(statement))
        return Error {errorText(query.lastError())};
    return {};
}

Status Transaction::commit()
{
    if (!m_active)
        return Error {m_error.isEmpty() ? QCoreApplication::translate("Sql", "no transaction is active") : m_error};
    m_active = false;
    const Status committed = run(m_savepoint.isEmpty() ? QStringLiteral("COMMIT") : QStringLiteral("RELEASE %1").arg(m_savepoint));
    if (!committed) {
        if (m_savepoint.isEmpty()) {
            run(QStringLiteral("ROLLBACK"));
        } else {
            run(QStringLiteral("ROLLBACK TO %1").arg(m_savepoint));
            run(QStringLiteral("RELEASE %1").arg(m_savepoint));
        }
        return committed;
    }
    return {};
}

} // namespace Atlas::Sql

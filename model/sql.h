// Small helpers over Qt SQL: run a statement with bound values and get its error as text,
// and a transaction guard that rolls back unless committed.
#pragma once

#include "result.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariantList>

#include <functional>

namespace Atlas::Sql
{

// Prepares and runs `statement` with positional `values`; the error names the statement.
Result<QSqlQuery> exec(const QSqlDatabase &db, const QString &statement, const QVariantList &values = {});

// The first column of the first row, or an error (also when there is no row).
Result<QVariant> scalar(const QSqlDatabase &db, const QString &statement, const QVariantList &values = {});

// A null QVariant for an empty string, so optional text columns hold NULL rather than ''.
QVariant nullIfEmpty(const QString &text);

// How long a statement waits while another program holds the library's write lock before it fails
// with a "the library is busy" error, and who is told (once per wait, after a short grace, from the
// waiting thread) that it waits. Process-wide: set it before opening libraries. The CLI waits long
// and says so on stderr; the default waits 5 s and tells no one.
struct BusyWait {
    int timeoutMs = 5000;
    std::function<void(const QString &message)> notify;
};
void setBusyWait(BusyWait wait);
const BusyWait &busyWait();
// Makes an open connection wait as busyWait() says (Library and WorkerConnection call it).
Status installBusyHandler(const QSqlDatabase &db);
// The text of a failed statement; a busy library gets a message saying so rather than SQLite's.
QString errorText(const QSqlError &error);

// BEGIN IMMEDIATE: the write lock is taken first, so a transaction that reads before it writes
// waits for another writer instead of failing at its first write (a deferred transaction cannot
// wait there: its snapshot would be stale). Inside another transaction it is a savepoint, so a step
// can run in its caller's transaction and commit with it or not at all.
class Transaction
{
public:
    explicit Transaction(QSqlDatabase db);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    // False (with error()) when BEGIN failed.
    bool isActive() const { return m_active; }
    const QString &error() const { return m_error; }
    Status commit();

private:
    Status run(const QString &statement);

    QSqlDatabase m_db;
    bool m_active = false;
    QString m_savepoint; // empty for a transaction of its own
    QString m_error;
};

} // namespace Atlas::Sql

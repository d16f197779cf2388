// Small helpers over Qt SQL: run a statement with bound values and get its error as text, a
// transaction guard that rolls back unless committed, and a cache of prepared statements for
// writers that run the same statements for every record.
#pragma once

#include "result.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariantList>

#include <functional>
#include <memory>
#include <unordered_map>

struct sqlite3;

namespace Atlas::Sql
{

// The SQLite connection under an open Qt connection (for what Qt SQL does not offer: busy
// handlers, FTS5 functions, statements bound through SQLite's API), or nullptr.
sqlite3 *nativeHandle(const QSqlDatabase &db);

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
    // The bound on the application's main thread, where a wait freezes the window (< 0: timeoutMs).
    // A window keeps it short and lets its workers (imports, counts) wait long.
    int mainThreadTimeoutMs = -1;
    // The bound for the calling thread.
    int currentTimeoutMs() const;
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

class StatementCache;

// The rows of a statement run by a StatementCache, read as a forward-only QSqlQuery: next() moves
// to the first row. When it goes, the statement is reset (its read of the tables ends) and is free
// for the next run.
class CachedQuery
{
public:
    struct Prepared;

    CachedQuery(CachedQuery &&other) noexcept;
    CachedQuery(const CachedQuery &) = delete;
    CachedQuery &operator=(const CachedQuery &) = delete;
    CachedQuery &operator=(CachedQuery &&) = delete;
    ~CachedQuery();

    bool next();
    // A column of the current row: qint64, double, QString, QByteArray, or a null QVariant.
    QVariant value(int column) const;
    QVariant lastInsertId() const { return m_lastInsertId; }
    int numRowsAffected() const { return m_changes; }

private:
    friend class StatementCache;
    CachedQuery(Prepared *prepared, std::unique_ptr<Prepared> spare);

    Prepared *m_prepared = nullptr;
    std::unique_ptr<Prepared> m_spare; // a copy prepared because the cached one was in use
    bool m_firstRowWaiting = false;
    bool m_onRow = false;
    bool m_finished = false;
    qint64 m_lastInsertId = 0;
    int m_changes = 0;
};

// Prepared statements of one connection kept for reuse, bound and stepped through SQLite's API.
// An import runs a dozen statements for each of 100k records: preparing each anew (compiling its
// triggers and foreign-key checks too) cost more than running it, and so did Qt's per-value work.
// The cache must outlive the queries it returns and be destroyed before the connection closes.
class StatementCache
{
public:
    explicit StatementCache(QSqlDatabase db);
    ~StatementCache();
    StatementCache(const StatementCache &) = delete;
    StatementCache &operator=(const StatementCache &) = delete;

    // As Sql::exec: positional values, NULL for a null QVariant or a null string, text as UTF-8.
    // A statement run again while a CachedQuery of it is alive gets a fresh copy.
    Result<CachedQuery> exec(const QString &statement, const QVariantList &values = {});

private:
    QSqlDatabase m_db;
    std::unordered_map<QString, std::unique_ptr<CachedQuery::Prepared>> m_prepared;
};

} // namespace Atlas::Sql

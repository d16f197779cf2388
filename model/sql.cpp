#include "sql.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSqlDriver>
#include <QSqlError>
#include <QThread>

#include <sqlite3.h>

#include <atomic>
#include <utility>
#include <vector>

namespace Atlas::Sql
{

sqlite3 *nativeHandle(const QSqlDatabase &db)
{
    if (!db.driver())
        return nullptr;
    const QVariant handle = db.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

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
    const int timeoutMs = policy.currentTimeoutMs();
    const qint64 elapsed = waited.elapsed();
    if (elapsed >= timeoutMs)
        return 0;
    if (!told && elapsed >= busyGraceMs && policy.notify) {
        told = true;
        policy.notify(QCoreApplication::translate("Sql", "the library is busy: another program is writing to it; waiting up to %1 s").arg((timeoutMs + 999) / 1000));
    }
    // Quick retries first (most waits are another writer's short change), then every 20 ms.
    const int step = count < 20 ? 2 : 20;
    sqlite3_sleep(int(qMin<qint64>(step, timeoutMs - elapsed)));
    return 1;
}


} // namespace

namespace
{

QString busyText()
{
    return QCoreApplication::translate("Sql", "the library is busy: another program has been writing to it for more than %1 s, so nothing was changed; "
                                              "try again when it has finished")
        .arg((busyPolicy().currentTimeoutMs() + 999) / 1000);
}

} // namespace

QString errorText(const QSqlError &error)
{
    // SQLITE_BUSY: the busy handler waited as long as it may.
    if (error.nativeErrorCode() == QLatin1String("5"))
        return busyText();
    return error.text();
}

int BusyWait::currentTimeoutMs() const
{
    const QCoreApplication *application = QCoreApplication::instance();
    const bool mainThread = application && QThread::currentThread() == application->thread();
    return mainThread && mainThreadTimeoutMs >= 0 ? mainThreadTimeoutMs : timeoutMs;
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
    sqlite3 *handle = nativeHandle(db);
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
    sqlite3 *handle = nativeHandle(m_db);
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

// ---------------------------------------------------------------- StatementCache

struct CachedQuery::Prepared {
    Prepared() = default;
    Prepared(const Prepared &) = delete;
    Prepared &operator=(const Prepared &) = delete;
    ~Prepared() { sqlite3_finalize(statement); }

    sqlite3_stmt *statement = nullptr;
    bool inUse = false;
    std::vector<QByteArray> texts; // the UTF-8 of bound values, alive until the statement is reset
};

namespace
{

QString sqliteError(sqlite3 *db, int code)
{
    if ((code & 0xff) == SQLITE_BUSY)
        return busyText();
    return QString::fromUtf8(sqlite3_errmsg(db));
}

Result<std::unique_ptr<CachedQuery::Prepared>> prepareStatement(sqlite3 *db, const QString &text)
{
    auto prepared = std::make_unique<CachedQuery::Prepared>();
    const QByteArray utf8 = text.toUtf8();
    const int code = sqlite3_prepare_v3(db, utf8.constData(), int(utf8.size()), SQLITE_PREPARE_PERSISTENT, &prepared->statement, nullptr);
    if (code != SQLITE_OK)
        return Error {sqliteError(db, code)};
    return prepared;
}

// Binds as Qt's SQLite driver does: NULL for a null value or a null string or byte array.
int bindValue(CachedQuery::Prepared &prepared, int index, const QVariant &value)
{
    sqlite3_stmt *statement = prepared.statement;
    if (value.isNull())
        return sqlite3_bind_null(statement, index);
    switch (value.typeId()) {
    case QMetaType::Bool:
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::Long:
    case QMetaType::ULong:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Short:
    case QMetaType::UShort:
        return sqlite3_bind_int64(statement, index, value.toLongLong());
    case QMetaType::Double:
    case QMetaType::Float:
        return sqlite3_bind_double(statement, index, value.toDouble());
    case QMetaType::QByteArray: {
        const QByteArray &bytes = prepared.texts.emplace_back(value.toByteArray());
        if (bytes.isNull())
            return sqlite3_bind_null(statement, index);
        return sqlite3_bind_blob(statement, index, bytes.constData(), int(bytes.size()), SQLITE_STATIC);
    }
    default: {
        const QString text = value.toString();
        if (text.isNull())
            return sqlite3_bind_null(statement, index);
        const QByteArray &utf8 = prepared.texts.emplace_back(text.toUtf8());
        return sqlite3_bind_text(statement, index, utf8.constData(), int(utf8.size()), SQLITE_STATIC);
    }
    }
}

} // namespace

CachedQuery::CachedQuery(Prepared *prepared, std::unique_ptr<Prepared> spare) : m_prepared(prepared), m_spare(std::move(spare))
{
    m_prepared->inUse = true;
}

CachedQuery::CachedQuery(CachedQuery &&other) noexcept
    : m_prepared(std::exchange(other.m_prepared, nullptr))
    , m_spare(std::move(other.m_spare))
    , m_firstRowWaiting(other.m_firstRowWaiting)
    , m_onRow(other.m_onRow)
    , m_finished(other.m_finished)
    , m_lastInsertId(other.m_lastInsertId)
    , m_changes(other.m_changes)
{
}

CachedQuery::~CachedQuery()
{
    if (!m_prepared)
        return;
    sqlite3_reset(m_prepared->statement);
    sqlite3_clear_bindings(m_prepared->statement);
    m_prepared->texts.clear();
    m_prepared->inUse = false;
}

bool CachedQuery::next()
{
    m_onRow = false;
    if (!m_prepared || m_finished)
        return false;
    if (m_firstRowWaiting) {
        m_firstRowWaiting = false;
        m_onRow = true;
        return true;
    }
    if (sqlite3_step(m_prepared->statement) == SQLITE_ROW) {
        m_onRow = true;
        return true;
    }
    m_finished = true;
    return false;
}

QVariant CachedQuery::value(int column) const
{
    if (!m_onRow)
        return {};
    sqlite3_stmt *statement = m_prepared->statement;
    switch (sqlite3_column_type(statement, column)) {
    case SQLITE_INTEGER:
        return QVariant(qint64(sqlite3_column_int64(statement, column)));
    case SQLITE_FLOAT:
        return QVariant(sqlite3_column_double(statement, column));
    case SQLITE_TEXT: {
        const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(statement, column));
        return QVariant(QString::fromUtf8(text, sqlite3_column_bytes(statement, column)));
    }
    case SQLITE_BLOB: {
        const auto *bytes = static_cast<const char *>(sqlite3_column_blob(statement, column));
        return QVariant(QByteArray(bytes, sqlite3_column_bytes(statement, column)));
    }
    default:
        return {};
    }
}

StatementCache::StatementCache(QSqlDatabase db) : m_db(std::move(db)) { }

StatementCache::~StatementCache() = default;

Result<CachedQuery> StatementCache::exec(const QString &statement, const QVariantList &values)
{
    sqlite3 *db = nativeHandle(m_db);
    if (!db)
        return Error {QCoreApplication::translate("Sql", "not an open SQLite connection")};
    auto it = m_prepared.find(statement);
    if (it == m_prepared.end()) {
        auto prepared = prepareStatement(db, statement);
        if (!prepared)
            return Error {prepared.error()};
        it = m_prepared.emplace(statement, std::move(prepared).value()).first;
    }
    CachedQuery::Prepared *prepared = it->second.get();
    std::unique_ptr<CachedQuery::Prepared> spare;
    if (prepared->inUse) {
        // A nested run, while the rows of the first are still read: a copy of its own.
        auto copy = prepareStatement(db, statement);
        if (!copy)
            return Error {copy.error()};
        spare = std::move(copy).value();
        prepared = spare.get();
    }
    CachedQuery query(prepared, std::move(spare));
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (const int code = bindValue(*prepared, int(i) + 1, values.at(i)); code != SQLITE_OK)
            return Error {sqliteError(db, code)};
    }
    const int code = sqlite3_step(prepared->statement);
    if (code != SQLITE_ROW && code != SQLITE_DONE)
        return Error {sqliteError(db, code)};
    query.m_firstRowWaiting = code == SQLITE_ROW;
    query.m_finished = code == SQLITE_DONE;
    query.m_lastInsertId = sqlite3_last_insert_rowid(db);
    query.m_changes = sqlite3_changes(db);
    return query;
}

} // namespace Atlas::Sql

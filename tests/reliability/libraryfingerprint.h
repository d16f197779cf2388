// Helpers of the reliability tests: a fingerprint of everything a library file holds, SQLite's own
// checks on a raw connection, the uncommitted frames a killed writer left in the WAL, and running
// the CLI or the helper as a process.
#pragma once

#include <QCryptographicHash>
#include <QDataStream>
#include <QElapsedTimer>
#include <QFile>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStringList>
#include <QtEndian>

#include <atomic>

namespace AtlasReliability
{

// The canonical dump of a library: every object of sqlite_master (its SQL included) and every row of
// every table in key order, shadow tables of the full-text indexes and sqlite_sequence included. Only
// wall-clock times are masked, since the same operation run twice stamps different times.
struct Fingerprint {
    QByteArray hash; // SHA-256 of the whole dump
    QMap<QString, QByteArray> tables; // per table, to name the ones that differ
    QMap<QString, qint64> rows;
    QString error; // not empty when the file could not be read

    bool isValid() const { return error.isEmpty() && !hash.isEmpty(); }
    bool operator==(const Fingerprint &other) const { return isValid() && hash == other.hash; }
    // The tables whose rows differ from `other`'s, with their row counts.
    QStringList differences(const Fingerprint &other) const
    {
        QStringList names;
        QStringList all = tables.keys() + other.tables.keys();
        all.removeDuplicates();
        all.sort();
        for (const QString &table : std::as_const(all)) {
            if (tables.value(table) != other.tables.value(table))
                names.append(QStringLiteral("%1 (%2 vs %3 rows)").arg(table).arg(rows.value(table, -1)).arg(other.rows.value(table, -1)));
        }
        return names;
    }
};

inline QString quotedIdentifier(const QString &name)
{
    return QLatin1Char('"') + QString(name).replace(QLatin1Char('"'), QLatin1String("\"\"")) + QLatin1Char('"');
}

// A connection of its own to `path` for one block of work; the name is unique per call.
class RawConnection
{
public:
    explicit RawConnection(const QString &path, bool readOnly = false)
    {
        static std::atomic<int> counter {0};
        m_name = QStringLiteral("reliability-raw-%1").arg(++counter);
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        if (readOnly)
            db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (!db.open())
            m_error = db.lastError().text();
    }
    ~RawConnection()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    RawConnection(const RawConnection &) = delete;
    RawConnection &operator=(const RawConnection &) = delete;

    QSqlDatabase database() const { return QSqlDatabase::database(m_name, false); }
    const QString &error() const { return m_error; }

private:
    QString m_name;
    QString m_error;
};

inline QString maskTimes(QString text)
{
    // ISO 8601 as Qt writes it and SQLite's datetime('now'); with or without fractions and zone.
    static const QRegularExpression time(QStringLiteral("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:?\\d{2})?"));
    return text.replace(time, QStringLiteral("<time>"));
}

inline void writeValue(QDataStream &stream, const QVariant &value)
{
    if (value.isNull()) {
        stream << quint8(0);
        return;
    }
    switch (value.typeId()) {
    case QMetaType::LongLong:
    case QMetaType::Int:
    case QMetaType::ULongLong:
    case QMetaType::UInt:
        stream << quint8(1) << value.toLongLong();
        break;
    case QMetaType::Double:
        stream << quint8(2) << value.toDouble();
        break;
    case QMetaType::QByteArray:
        stream << quint8(3) << value.toByteArray();
        break;
    default:
        stream << quint8(4) << maskTimes(value.toString());
        break;
    }
}

inline Fingerprint fingerprint(const QSqlDatabase &db)
{
    Fingerprint result;
    QCryptographicHash whole(QCryptographicHash::Sha256);
    QSqlQuery objects(db);
    if (!objects.exec(QStringLiteral("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"))) {
        result.error = objects.lastError().text();
        return result;
    }
    QStringList tables;
    QSet<QString> virtualTables;
    {
        QByteArray schema;
        QDataStream stream(&schema, QIODevice::WriteOnly);
        while (objects.next()) {
            const QString type = objects.value(0).toString();
            const QString name = objects.value(1).toString();
            const QString sql = objects.value(3).toString();
            stream << type << name << objects.value(2).toString() << sql;
            if (type != QLatin1String("table"))
                continue;
            // A virtual table's rows live in its shadow tables (dumped as tables of their own).
            if (sql.startsWith(QLatin1String("CREATE VIRTUAL TABLE"), Qt::CaseInsensitive))
                virtualTables.insert(name);
            else
                tables.append(name);
        }
        result.tables.insert(QStringLiteral("sqlite_master"), QCryptographicHash::hash(schema, QCryptographicHash::Sha256));
        whole.addData(schema);
    }
    for (const QString &table : std::as_const(tables)) {
        // Every column, rowid first where there is one, in key order. Names come from sqlite_master.
        QSqlQuery rows(db);
        rows.setForwardOnly(true);
        bool ok = rows.exec(QStringLiteral("SELECT rowid, * FROM %1 ORDER BY rowid").arg(quotedIdentifier(table)));
        if (!ok) {
            // WITHOUT ROWID: order by every column.
            QSqlQuery columns(db);
            if (!columns.exec(QStringLiteral("SELECT * FROM %1 LIMIT 0").arg(quotedIdentifier(table)))) {
                result.error = columns.lastError().text();
                return result;
            }
            QStringList order;
            for (int i = 1; i <= columns.record().count(); ++i)
                order.append(QString::number(i));
            ok = rows.exec(QStringLiteral("SELECT * FROM %1 ORDER BY %2").arg(quotedIdentifier(table), order.join(QLatin1Char(','))));
        }
        if (!ok) {
            result.error = QStringLiteral("%1: %2").arg(table, rows.lastError().text());
            return result;
        }
        QByteArray dump;
        QDataStream stream(&dump, QIODevice::WriteOnly);
        stream << table;
        qint64 count = 0;
        while (rows.next()) {
            const int n = rows.record().count();
            stream << qint32(n);
            for (int i = 0; i < n; ++i)
                writeValue(stream, rows.value(i));
            ++count;
        }
        result.rows.insert(table, count);
        result.tables.insert(table, QCryptographicHash::hash(dump, QCryptographicHash::Sha256));
        whole.addData(dump);
    }
    result.hash = whole.result();
    return result;
}

inline Fingerprint fingerprint(const QString &path)
{
    RawConnection connection(path);
    if (!connection.error().isEmpty()) {
        Fingerprint failed;
        failed.error = connection.error();
        return failed;
    }
    return fingerprint(connection.database());
}

// PRAGMA integrity_check's lines ("ok" alone when sound) and foreign_key_check's rows.
struct SqliteChecks {
    QStringList integrity;
    QStringList foreignKeys;
    QString error;

    bool ok() const { return error.isEmpty() && integrity == QStringList {QStringLiteral("ok")} && foreignKeys.isEmpty(); }
    QString text() const
    {
        if (!error.isEmpty())
            return error;
        return QStringLiteral("integrity: %1; foreign keys: %2").arg(integrity.join(QLatin1String(" | ")), foreignKeys.join(QLatin1String(" | ")));
    }
};

inline SqliteChecks sqliteChecks(const QSqlDatabase &db)
{
    SqliteChecks checks;
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA integrity_check"))) {
        checks.error = q.lastError().text();
        return checks;
    }
    while (q.next())
        checks.integrity.append(q.value(0).toString());
    if (!q.exec(QStringLiteral("PRAGMA foreign_key_check"))) {
        checks.error = q.lastError().text();
        return checks;
    }
    while (q.next())
        checks.foreignKeys.append(QStringLiteral("%1 row %2 -> %3").arg(q.value(0).toString(), q.value(1).toString(), q.value(2).toString()));
    return checks;
}

// What a killed writer left in the write-ahead log: the frames of committed transactions not yet
// checkpointed, and frames written after the last commit (a transaction that spilled pages to the
// log and was killed before committing). Only frames whose salts and running checksum are valid
// count, as in SQLite's own recovery.
struct WalState {
    bool exists = false;
    int committedFrames = 0;
    int uncommittedFrames = 0;
};

inline WalState walState(const QString &databasePath)
{
    WalState state;
    QFile file(databasePath + QLatin1String("-wal"));
    if (!file.open(QIODevice::ReadOnly))
        return state;
    state.exists = true;
    const QByteArray wal = file.readAll();
    if (wal.size() < 32)
        return state;
    const auto *bytes = reinterpret_cast<const uchar *>(wal.constData());
    const quint32 magic = qFromBigEndian<quint32>(bytes);
    if (magic != 0x377f0682 && magic != 0x377f0683)
        return state;
    const bool bigEndianSums = magic & 1;
    const quint32 pageSize = qFromBigEndian<quint32>(bytes + 8);
    const quint32 salt1 = qFromBigEndian<quint32>(bytes + 16);
    const quint32 salt2 = qFromBigEndian<quint32>(bytes + 20);
    quint32 s0 = 0;
    quint32 s1 = 0;
    const auto checksum = [&](const uchar *data, qsizetype length) {
        for (qsizetype i = 0; i + 8 <= length; i += 8) {
            const quint32 a = bigEndianSums ? qFromBigEndian<quint32>(data + i) : qFromLittleEndian<quint32>(data + i);
            const quint32 b = bigEndianSums ? qFromBigEndian<quint32>(data + i + 4) : qFromLittleEndian<quint32>(data + i + 4);
            s0 += a + s1;
            s1 += b + s0;
        }
    };
    checksum(bytes, 24);
    if (s0 != qFromBigEndian<quint32>(bytes + 24) || s1 != qFromBigEndian<quint32>(bytes + 28))
        return state; // a header that does not check out: SQLite ignores the whole log
    const qsizetype frameSize = 24 + qsizetype(pageSize);
    int sinceCommit = 0;
    for (qsizetype at = 32; at + frameSize <= wal.size(); at += frameSize) {
        const uchar *frame = bytes + at;
        if (qFromBigEndian<quint32>(frame + 8) != salt1 || qFromBigEndian<quint32>(frame + 12) != salt2)
            break;
        checksum(frame, 8);
        checksum(frame + 24, pageSize);
        if (s0 != qFromBigEndian<quint32>(frame + 16) || s1 != qFromBigEndian<quint32>(frame + 20))
            break;
        ++sinceCommit;
        if (qFromBigEndian<quint32>(frame + 4) != 0) { // the database size after a commit
            state.committedFrames += sinceCommit;
            sinceCommit = 0;
        }
    }
    state.uncommittedFrames = sinceCommit;
    return state;
}

inline bool copyFile(const QString &from, const QString &to)
{
    for (const QLatin1String suffix : {QLatin1String(""), QLatin1String("-wal"), QLatin1String("-shm")})
        QFile::remove(to + suffix);
    return QFile::copy(from, to);
}

struct ProcessRun {
    int exitCode = -1;
    QProcess::ExitStatus exitStatus = QProcess::CrashExit;
    QByteArray out;
    QByteArray err;
    qint64 ms = 0;

    bool ok() const { return exitStatus == QProcess::NormalExit && exitCode == 0; }
    QString text() const
    {
        return QStringLiteral("exit %1 (%2): %3 %4")
            .arg(exitCode)
            .arg(exitStatus == QProcess::NormalExit ? QStringLiteral("normal") : QStringLiteral("crash"))
            .arg(QString::fromUtf8(out), QString::fromUtf8(err));
    }
};

// Keeps the default library, settings and plugin folders of the programs inside `home`.
inline QProcessEnvironment isolatedEnvironment(const QString &home)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("HOME"), home);
    environment.insert(QStringLiteral("XDG_DATA_HOME"), home + QLatin1String("/data"));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QLatin1String("/config"));
    return environment;
}

inline ProcessRun runProgram(const QString &program, const QStringList &arguments, const QString &home, int timeoutMs = 120000)
{
    QProcess process;
    process.setProcessEnvironment(isolatedEnvironment(home));
    QElapsedTimer timer;
    timer.start();
    process.start(program, arguments);
    ProcessRun result;
    if (!process.waitForStarted() || !process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        result.err = process.errorString().toUtf8() + ' ' + process.readAllStandardError();
        return result;
    }
    result.ms = timer.elapsed();
    result.exitStatus = process.exitStatus();
    result.exitCode = process.exitCode();
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

inline QString cliPath()
{
    return QStringLiteral(ATLAS_BIN_DIR "/mitigation-atlas-cli");
}

inline QString helperPath()
{
    return QStringLiteral(ATLAS_BIN_DIR "/reliability_helper");
}

} // namespace AtlasReliability

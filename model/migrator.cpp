#include "migrator.h"

#include "sql.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

#include <sqlite3.h>

namespace Atlas
{

QString Migrator::bundledFolder()
{
    return QStringLiteral(":/migrations");
}

Result<QList<Migration>> Migrator::migrations(const QString &folder)
{
    const QString dirPath = folder.isEmpty() ? bundledFolder() : folder;
    const QDir dir(dirPath);
    static const QRegularExpression namePattern(QStringLiteral("^(\\d{4})_[A-Za-z0-9_-]+\\.sql$"));
    QList<Migration> found;
    const QStringList files = dir.entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name);
    for (const QString &file : files) {
        const auto match = namePattern.match(file);
        if (!match.hasMatch())
            return Error {QCoreApplication::translate("Migrator", "%1: a migration must be named NNNN_what.sql").arg(dir.filePath(file))};
        found.append({match.captured(1).toInt(), dir.filePath(file)});
    }
    for (qsizetype i = 0; i < found.size(); ++i) {
        if (found.at(i).version != i + 1)
            return Error {QCoreApplication::translate("Migrator", "%1: expected migration number %2").arg(found.at(i).path).arg(i + 1)};
    }
    if (found.isEmpty())
        return Error {QCoreApplication::translate("Migrator", "%1: no migrations found").arg(dirPath)};
    return found;
}

Status Migrator::executeScript(const QSqlDatabase &db, const QString &script)
{
    // sqlite3_complete() knows about strings, comments and trigger bodies, so a ';' inside
    // BEGIN ... END does not end the statement. A statement must end its line (no comment after the ";").
    const QStringList lines = script.split(QLatin1Char('\n'));
    QString statement;
    int firstLine = 0;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (statement.isEmpty()) {
            if (lines.at(i).trimmed().isEmpty() || lines.at(i).trimmed().startsWith(QLatin1String("--")))
                continue;
            firstLine = int(i) + 1;
        }
        statement += lines.at(i) + QLatin1Char('\n');
        if (!sqlite3_complete(statement.toUtf8().constData()))
            continue;
        QSqlQuery query(db);
        if (!query.exec(statement))
            return Error {QCoreApplication::translate("Migrator", "line %1: %2").arg(firstLine).arg(query.lastError().text())};
        statement.clear();
    }
    if (!statement.trimmed().isEmpty())
        return Error {QCoreApplication::translate("Migrator", "line %1: statement not terminated by ';'").arg(firstLine)};
    return {};
}

Status Migrator::apply(const QSqlDatabase &db, const QList<Migration> &migrations, int fromVersion)
{
    for (const Migration &migration : migrations) {
        if (migration.version <= fromVersion)
            continue;
        QFile file(migration.path);
        if (!file.open(QIODevice::ReadOnly))
            return Error {QCoreApplication::translate("Migrator", "%1: cannot read: %2").arg(migration.path, file.errorString())};
        const QString script = QString::fromUtf8(file.readAll());

        Sql::Transaction transaction(db);
        if (!transaction.isActive())
            return Error {transaction.error()};
        if (auto status = executeScript(db, script); !status)
            return Error {QStringLiteral("%1: %2").arg(migration.path, status.error())};
        // PRAGMA takes no bound parameters; the version is our own integer.
        if (auto status = Sql::exec(db, QStringLiteral("PRAGMA user_version = %1").arg(migration.version)); !status)
            return Error {status.error()};
        if (auto status = transaction.commit(); !status)
            return Error {QStringLiteral("%1: %2").arg(migration.path, status.error())};
    }
    return {};
}

} // namespace Atlas

// Migrator: brings a library's schema up to date, one numbered SQL file at a time,
// each in its own transaction, recording the version in PRAGMA user_version.
#pragma once

#include "result.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace Atlas
{

struct Migration {
    int version = 0;
    QString path;
};

class Migrator
{
public:
    // The migrations in `folder` (default: the bundled ones), named NNNN_what.sql, by version.
    // Fails when numbers are missing or repeated.
    static Result<QList<Migration>> migrations(const QString &folder = QString());
    static QString bundledFolder();

    // Applies every migration with a version above `fromVersion`.
    static Status apply(const QSqlDatabase &db, const QList<Migration> &migrations, int fromVersion);

    // Runs a script of several statements (split where SQLite says a statement is complete).
    static Status executeScript(const QSqlDatabase &db, const QString &script);
};

} // namespace Atlas

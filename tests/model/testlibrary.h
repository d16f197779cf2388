// Helpers shared by the model tests: a library in a temporary folder and raw SQL access.
#pragma once

#include "library.h"
#include "sql.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

namespace AtlasTest
{

inline QByteArray fileHash(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

// Runs a statement on the library and fails the test when it fails.
inline QSqlQuery exec(const Atlas::Library &library, const QString &sql, const QVariantList &values = {})
{
    auto query = Atlas::Sql::exec(library.database(), sql, values);
    if (!query.ok()) {
        qWarning("SQL failed: %s: %s", qPrintable(sql), qPrintable(query.error()));
        return QSqlQuery();
    }
    return std::move(query).value();
}

inline QVariant scalar(const Atlas::Library &library, const QString &sql, const QVariantList &values = {})
{
    auto value = Atlas::Sql::scalar(library.database(), sql, values);
    return value.ok() ? value.value() : QVariant();
}

inline qint64 addEntry(const Atlas::Library &library, const QString &name, const QString &text = QString())
{
    QSqlQuery q = exec(library, QStringLiteral("INSERT INTO entry(name, text) VALUES (?, ?)"), {name, text});
    return q.lastInsertId().toLongLong();
}

inline void classify(const Atlas::Library &library, qint64 entryId, qint64 nodeId)
{
    exec(library, QStringLiteral("INSERT INTO classification(entry_id, node_id, assigned_by_kind, assigned_by) VALUES (?, ?, 'curator', 'test')"),
        {entryId, nodeId});
}

} // namespace AtlasTest

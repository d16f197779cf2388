// Small helpers over Qt SQL: run a statement with bound values and get its error as text,
// and a transaction guard that rolls back unless committed.
#pragma once

#include "result.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariantList>

namespace Atlas::Sql
{

// Prepares and runs `statement` with positional `values`; the error names the statement.
Result<QSqlQuery> exec(const QSqlDatabase &db, const QString &statement, const QVariantList &values = {});

// The first column of the first row, or an error (also when there is no row).
Result<QVariant> scalar(const QSqlDatabase &db, const QString &statement, const QVariantList &values = {});

// A null QVariant for an empty string, so optional text columns hold NULL rather than ''.
QVariant nullIfEmpty(const QString &text);

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
    QSqlDatabase m_db;
    bool m_active = false;
    QString m_error;
};

} // namespace Atlas::Sql

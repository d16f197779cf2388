#include "sql.h"

#include <QCoreApplication>
#include <QSqlError>

namespace Atlas::Sql
{

Result<QSqlQuery> exec(const QSqlDatabase &db, const QString &statement, const QVariantList &values)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.prepare(statement))
        return Error {query.lastError().text()};
    for (const QVariant &value : values)
        query.addBindValue(value);
    if (!query.exec())
        return Error {query.lastError().text()};
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
    m_active = m_db.transaction();
    if (!m_active)
        m_error = m_db.lastError().text();
}

Transaction::~Transaction()
{
    if (m_active)
        m_db.rollback();
}

Status Transaction::commit()
{
    if (!m_active)
        return Error {m_error.isEmpty() ? QCoreApplication::translate("Sql", "no transaction is active") : m_error};
    m_active = false;
    if (!m_db.commit()) {
        const QString message = m_db.lastError().text();
        m_db.rollback();
        return Error {message};
    }
    return {};
}

} // namespace Atlas::Sql

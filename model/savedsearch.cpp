#include "savedsearch.h"

#include "sql.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace Atlas
{

namespace
{

constexpr auto MetaKey = "saved_searches";

QJsonArray idArray(const QList<qint64> &ids)
{
    QJsonArray array;
    for (qint64 id : ids)
        array.append(id);
    return array;
}

QList<qint64> idList(const QJsonValue &value)
{
    QList<qint64> ids;
    for (const QJsonValue &v : value.toArray()) {
        if (v.toInteger() > 0)
            ids.append(v.toInteger());
    }
    return ids;
}

} // namespace

QJsonObject SavedSearch::toJson() const
{
    return {{QStringLiteral("name"), name},
        {QStringLiteral("text"), filter.text},
        {QStringLiteral("nodes"), idArray(filter.nodeIds)},
        {QStringLiteral("tags"), idArray(filter.tagIds)},
        {QStringLiteral("label"), label}};
}

SavedSearch SavedSearch::fromJson(const QJsonObject &object)
{
    SavedSearch s;
    s.name = object.value(QStringLiteral("name")).toString();
    s.filter.text = object.value(QStringLiteral("text")).toString();
    s.filter.nodeIds = idList(object.value(QStringLiteral("nodes")));
    s.filter.tagIds = idList(object.value(QStringLiteral("tags")));
    s.label = object.value(QStringLiteral("label")).toString();
    return s;
}

Result<QList<SavedSearch>> SavedSearches::read(const QSqlDatabase &db)
{
    auto value = Sql::exec(db, QStringLiteral("SELECT value FROM meta WHERE key = ?"), {QLatin1String(MetaKey)});
    if (!value)
        return Error{value.error()};
    QList<SavedSearch> searches;
    if (!value.value().next())
        return searches;
    const QJsonArray array = QJsonDocument::fromJson(value.value().value(0).toString().toUtf8()).array();
    for (const QJsonValue &v : array) {
        SavedSearch s = SavedSearch::fromJson(v.toObject());
        if (!s.name.trimmed().isEmpty())
            searches.append(s);
    }
    return searches;
}

Status SavedSearches::write(const QSqlDatabase &db, const QList<SavedSearch> &searches)
{
    QJsonArray array;
    for (const SavedSearch &s : searches)
        array.append(s.toJson());
    auto written = Sql::exec(db, QStringLiteral("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
        {QLatin1String(MetaKey), QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact))});
    if (!written)
        return Error{written.error()};
    return {};
}

} // namespace Atlas

// SavedSearch: a named entry-list filter (search text, taxonomy nodes, tags) kept in the
// library itself (the meta table), so it travels with the library file. The tree shows them.
#pragma once

#include "entrytablemodel.h"
#include "result.h"

#include <QJsonObject>
#include <QSqlDatabase>

namespace Atlas
{

struct SavedSearch {
    QString name;
    EntryFilter filter;
    QString label; // how the window describes the node and tag part ("Value Misalignment › 1.1 Model")

    QJsonObject toJson() const;
    static SavedSearch fromJson(const QJsonObject &object);
    bool operator==(const SavedSearch &other) const = default;
};

namespace SavedSearches
{
Result<QList<SavedSearch>> read(const QSqlDatabase &db);
Status write(const QSqlDatabase &db, const QList<SavedSearch> &searches);
} // namespace SavedSearches

} // namespace Atlas

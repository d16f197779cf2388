#include "importcontext.h"

#include "sql.h"

namespace Atlas
{

ImportContext ImportContext::fromDatabase(const QSqlDatabase &db)
{
    ImportContext context;
    auto query = Sql::exec(db, QStringLiteral("SELECT s.key, n.code, n.name FROM taxonomy_node n JOIN scheme s ON s.id = n.scheme_id WHERE n.code IS NOT NULL"));
    if (!query)
        return context;
    while (query.value().next())
        context.codeNames[query.value().value(0).toString()].insert(query.value().value(1).toString(), query.value().value(2).toString());
    return context;
}

} // namespace Atlas

#include "importcontext.h"

#include "sql.h"

namespace Atlas
{

ImportContext ImportContext::fromDatabase(const QSqlDatabase &db)
{
    ImportContext context;
    auto query = Sql::exec(db, QStringLiteral("SELECT s.key, n.code, n.name, n.description FROM taxonomy_node n JOIN scheme s ON s.id = n.scheme_id"));
    if (!query)
        return context;
    while (query.value().next()) {
        const QString scheme = query.value().value(0).toString();
        const QString code = query.value().value(1).toString();
        context.nodeNames[scheme].append(query.value().value(2).toString());
        if (code.isEmpty())
            continue;
        context.codeNames[scheme].insert(code, query.value().value(2).toString());
        const QString description = query.value().value(3).toString();
        if (!description.isEmpty())
            context.codeDescriptions[scheme].insert(code, description);
    }
    return context;
}

} // namespace Atlas

// ImportContext: what an importer may know of the library it imports into, read before parsing.
#pragma once

#include <QHash>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

namespace Atlas
{

struct ImportContext {
    // scheme key -> code -> name, e.g. "mit-mitigation-v2" -> "1.1.2" -> "Learning Objectives".
    // Importers that must split codes glued to text ("1.1.2 Learning ObjectivesMethods for…") use it.
    QHash<QString, QHash<QString, QString>> codeNames;
    // scheme key -> code -> description, for pages that show a code's description instead of its code.
    QHash<QString, QHash<QString, QString>> codeDescriptions;
    // scheme key -> names of all its nodes, coded or not ("lifecycle" -> "Build and Use Model", ...).
    QHash<QString, QStringList> nodeNames;

    // Reads the nodes of every scheme of the library.
    static ImportContext fromDatabase(const QSqlDatabase &db);
};

} // namespace Atlas

// RisImporter: reads RIS files ("TY  - JOUR" ... "ER  -") as Zotero, EndNote and digital libraries
// export them; each record becomes a document.
#pragma once

#include "importer.h"

namespace Atlas
{

class RisImporter : public Importer
{
public:
    QString formatKey() const override { return QStringLiteral("ris"); }
    QString displayName() const override;
    QStringList fileExtensions() const override { return {QStringLiteral("ris"), QStringLiteral("txt")}; }
    int sniff(QStringView head, const QString &fileName) const override;
    ParseResult parse(const QString &text, const QString &fileName, const ImportContext &context) const override;
};

} // namespace Atlas

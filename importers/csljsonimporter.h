// CslJsonImporter: reads CSL-JSON (an array of citeproc items, as Zotero, Better BibTeX and
// pandoc write it); each item becomes a document.
#pragma once

#include "importer.h"

namespace Atlas
{

class CslJsonImporter : public Importer
{
public:
    QString formatKey() const override { return QStringLiteral("csl-json"); }
    QString displayName() const override;
    QStringList fileExtensions() const override { return {QStringLiteral("json")}; }
    int sniff(QStringView head, const QString &fileName) const override;
    ParseResult parse(const QString &text, const QString &fileName, const ImportContext &context) const override;
};

} // namespace Atlas

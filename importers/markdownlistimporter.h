// MarkdownListImporter: reads "awesome" paper lists in Markdown (numbered or bulleted items, link
// styles, tables of papers); each item is a document tagged with the headings it is listed under.
#pragma once

#include "importer.h"

namespace Atlas
{

class MarkdownListImporter : public Importer
{
public:
    QString formatKey() const override { return QStringLiteral("markdown-list"); }
    QString displayName() const override;
    QStringList fileExtensions() const override { return {QStringLiteral("md"), QStringLiteral("markdown")}; }
    int sniff(QStringView head, const QString &fileName) const override;
    ParseResult parse(const QString &text, const QString &fileName, const ImportContext &context) const override;
};

} // namespace Atlas

// AbstractListImporter: reads plain lists of abstracts ("Abstract: ..." blocks); each block is a
// document whose title is inferred from its text, for the store to match by abstract.
#pragma once

#include "importer.h"

namespace Atlas
{

class AbstractListImporter : public Importer
{
public:
    QString formatKey() const override { return QStringLiteral("abstract-list"); }
    QString displayName() const override;
    QStringList fileExtensions() const override { return {QStringLiteral("txt"), QStringLiteral("md")}; }
    int sniff(QStringView head, const QString &fileName) const override;
    ParseResult parse(const QString &text, const QString &fileName, const ImportContext &context) const override;

    // A short readable title made from an abstract: the first sentence's main clause, cut at a
    // word boundary after about twelve words.
    static QString inferTitle(const QString &abstract);
};

} // namespace Atlas

// LibraryJsonImporter: reads the project's own lossless JSON (see LibraryJsonExporter).
#pragma once

#include "importer.h"

namespace Atlas
{

class LibraryJsonImporter : public Importer
{
public:
    QString formatKey() const override { return QStringLiteral("library-json"); }
    QString displayName() const override;
    QStringList fileExtensions() const override { return {QStringLiteral("json")}; }
    int sniff(QStringView head, const QString &fileName) const override;
    ParseResult parse(const QString &text, const QString &fileName, const ImportContext &context) const override;
};

} // namespace Atlas

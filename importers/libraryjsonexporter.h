// LibraryJsonExporter: the project's own lossless format. Everything curators and imports made:
// entries, documents, classifications with provenance, tags, links, taxonomy nodes that did not
// come bundled, and the import batches. Keys ("d1", "e1") are positions, so exporting a library
// imported from an export gives the same file (apart from timestamps and the new batch).
#pragma once

#include "exporter.h"

#include <QJsonObject>

namespace Atlas
{

class LibraryJsonExporter : public Exporter
{
public:
    QString formatKey() const override { return QStringLiteral("json"); }
    QString displayName() const override;
    QString fileExtension() const override { return QStringLiteral("json"); }
    Result<QByteArray> write(const QSqlDatabase &db) const override;

    Result<QJsonObject> toJson(const QSqlDatabase &db) const;
    static constexpr const char *formatName = "mitigation-atlas-library";
    static constexpr int formatVersion = 1;
};

} // namespace Atlas

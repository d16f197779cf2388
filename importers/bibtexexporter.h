// BibtexExporter: the library's documents as BibTeX, readable again by BibtexImporter.
#pragma once

#include "exporter.h"

namespace Atlas
{

class BibtexExporter : public Exporter
{
public:
    QString formatKey() const override { return QStringLiteral("bibtex"); }
    QString displayName() const override;
    QString fileExtension() const override { return QStringLiteral("bib"); }
    Result<QByteArray> write(const QSqlDatabase &db) const override;
    // The BibTeX of the documents with these ids (all documents when empty).
    static Result<QString> documents(const QSqlDatabase &db, const QList<qint64> &ids = {});
};

} // namespace Atlas

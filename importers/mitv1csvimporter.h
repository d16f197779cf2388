// MitV1CsvImporter: reads the MIT AI Risk Mitigation Database v1 CSV exports, either the table of
// mitigations (one entry per Action ID) or the table of its included documents (one per ShortRef).
#pragma once

#include "importer.h"

namespace Atlas
{

class MitV1CsvImporter : public Importer
{
public:
    QString formatKey() const override { return QStringLiteral("mit-v1-csv"); }
    QString displayName() const override;
    QStringList fileExtensions() const override { return {QStringLiteral("csv")}; }
    int sniff(QStringView head, const QString &fileName) const override;
    // Unlike most importers, parse() reads more than `text` when `fileName` is the path of an existing
    // file: for the mitigations table it looks in the same folder for the included-documents table
    // (a CSV whose header starts with "ShortRef,DocumentID", preferring a name containing
    // "included-documents") and adds its documents, so entries link to their sources. When
    // `fileName` is a bare name or no such table is beside it, the entries come without documents.
    ParseResult parse(const QString &text, const QString &fileName, const ImportContext &context) const override;
};

} // namespace Atlas

// CsvExporter: one row per entry with its classifications per dimension, its document and tags.
// A cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR) is prefixed with '.
#pragma once

#include "exporter.h"

namespace Atlas
{

class CsvExporter : public Exporter
{
public:
    QString formatKey() const override { return QStringLiteral("csv"); }
    QString displayName() const override;
    QString fileExtension() const override { return QStringLiteral("csv"); }
    Result<QByteArray> write(const QSqlDatabase &db) const override;

    // RFC 4180 quoting plus the formula guard.
    static QString cell(const QString &value);
};

} // namespace Atlas

// CsvReader: RFC 4180 CSV (quoted fields, doubled quotes, line breaks inside quotes, BOM, CRLF)
// with the line number of every record, so callers can report "file:line: problem".
#pragma once

#include "result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Atlas
{

struct CsvRecord {
    int line = 0; // 1-based line where the record starts
    QStringList fields;
};

class CsvReader
{
public:
    // Parses the whole text. Fails (naming the line) on a quote left open or text after a closing quote.
    static Result<QList<CsvRecord>> parse(QStringView text);
};

// Column lookup by header name for a parsed table (first record is the header).
class CsvTable
{
public:
    static Result<CsvTable> fromText(QStringView text, const QStringList &requiredColumns);

    const QList<CsvRecord> &rows() const { return m_rows; }
    QString value(const CsvRecord &row, const QString &column) const;
    bool hasColumn(const QString &column) const { return m_header.contains(column); }

private:
    QStringList m_header;
    QList<CsvRecord> m_rows;
};

} // namespace Atlas

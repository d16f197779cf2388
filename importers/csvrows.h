// Helpers of the CSV-based importers (the MIT databases): the header of a file for sniffing,
// and a CSV text read as far as it can be when its quoting breaks somewhere.
#pragma once

#include "csvreader.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Atlas::CsvRows
{

// The fields of the first line of `head`, unquoted and trimmed (headers hold no line breaks).
QStringList headerFields(QStringView head);

// A CSV text read as far as it can be. CsvReader gives up on broken quoting and names the line in
// its message; the rows before that line are sound, so they are read again from the text before it.
struct Rows {
    QList<CsvRecord> records;
    QString error; // CsvReader's message without its "line N: " prefix
    int errorLine = 0;
};
Rows read(QStringView text);

// The document kind (CSL type) for the "Type" / "Item type" values of the MIT tables; "misc" if unknown.
QString documentKind(const QString &type);
// "2024" or "2024.0" (a spreadsheet's number); nothing for other text.
std::optional<int> yearFrom(const QString &text);

} // namespace Atlas::CsvRows

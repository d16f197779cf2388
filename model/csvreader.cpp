#include "csvreader.h"

#include <QCoreApplication>

namespace Atlas
{

Result<QList<CsvRecord>> CsvReader::parse(QStringView text)
{
    if (text.startsWith(QChar(0xFEFF)))
        text = text.mid(1);

    QList<CsvRecord> records;
    CsvRecord record;
    QString field;
    bool inQuotes = false;
    bool fieldWasQuoted = false;
    bool afterClosingQuote = false;
    int line = 1;
    int quoteLine = 0;
    record.line = 1;

    auto endField = [&] {
        record.fields.append(field);
        field.clear();
        fieldWasQuoted = false;
        afterClosingQuote = false;
    };
    auto endRecord = [&](int nextLine) {
        endField();
        // A blank line is not a record.
        if (!(record.fields.size() == 1 && record.fields.first().isEmpty()))
            records.append(record);
        record = CsvRecord {nextLine, {}};
    };

    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = text[i];
        if (inQuotes) {
            if (c == u'"') {
                if (i + 1 < n && text[i + 1] == u'"') {
                    field.append(u'"');
                    ++i;
                } else {
                    inQuotes = false;
                    afterClosingQuote = true;
                }
            } else {
                if (c == u'\n')
                    ++line;
                else if (c == u'\r') {
                    ++line;
                    if (i + 1 < n && text[i + 1] == u'\n') {
                        field.append(c);
                        ++i;
                        field.append(u'\n');
                        continue;
                    }
                }
                field.append(c);
            }
            continue;
        }
        if (c == u',') {
            endField();
        } else if (c == u'\n' || c == u'\r') {
            if (c == u'\r' && i + 1 < n && text[i + 1] == u'\n')
                ++i;
            ++line;
            endRecord(line);
        } else if (c == u'"' && field.isEmpty() && !fieldWasQuoted) {
            inQuotes = true;
            fieldWasQuoted = true;
            quoteLine = line;
        } else if (afterClosingQuote) {
            return Error {QCoreApplication::translate("CsvReader", "line %1: text after the closing quote of a field").arg(line)};
        } else {
            field.append(c);
        }
    }
    if (inQuotes)
        return Error {QCoreApplication::translate("CsvReader", "line %1: a quoted field is never closed").arg(quoteLine)};
    if (!field.isEmpty() || !record.fields.isEmpty() || fieldWasQuoted)
        endRecord(line);
    return records;
}

Result<CsvTable> CsvTable::fromText(QStringView text, const QStringList &requiredColumns)
{
    auto parsed = CsvReader::parse(text);
    if (!parsed)
        return Error {parsed.error()};
    QList<CsvRecord> records = std::move(parsed).value();
    if (records.isEmpty())
        return Error {QCoreApplication::translate("CsvReader", "line 1: the file has no header row")};
    CsvTable table;
    table.m_header = records.takeFirst().fields;
    for (QString &name : table.m_header)
        name = name.trimmed();
    for (const QString &column : requiredColumns) {
        if (!table.m_header.contains(column))
            return Error {QCoreApplication::translate("CsvReader", "line 1: the header has no column \"%1\"").arg(column)};
    }
    table.m_rows = std::move(records);
    return table;
}

QString CsvTable::value(const CsvRecord &row, const QString &column) const
{
    const qsizetype index = m_header.indexOf(column);
    if (index < 0 || index >= row.fields.size())
        return {};
    return row.fields.at(index);
}

} // namespace Atlas

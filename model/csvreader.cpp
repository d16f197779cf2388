#include "csvreader.h"

#include <QCoreApplication>

namespace Atlas
{

namespace
{

// The line breaks inside a quoted field: CR LF, LF and a lone CR count one each.
int lineBreaks(QStringView text)
{
    int breaks = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] == u'\n')
            ++breaks;
        else if (text[i] == u'\r' && (i + 1 == text.size() || text[i + 1] != u'\n'))
            ++breaks;
    }
    return breaks;
}

bool endsField(QChar c)
{
    return c == u',' || c == u'\n' || c == u'\r';
}

} // namespace

Result<QList<CsvRecord>> CsvReader::parse(QStringView text)
{
    if (text.startsWith(QChar(0xFEFF)))
        text = text.mid(1);

    // A field at a time: an unquoted field, or each run of a quoted one between doubled quotes, is
    // copied as one slice (a 100 MB table was copied a character at a time before).
    QList<CsvRecord> records;
    const qsizetype n = text.size();
    qsizetype i = 0;
    int line = 1;
    qsizetype width = 0; // the fields of the previous record, reserved for the next
    while (i < n) {
        CsvRecord record{line, {}};
        record.fields.reserve(width);
        while (true) {
            QString field;
            if (i < n && text[i] == u'"') {
                const int quoteLine = line;
                ++i;
                while (true) {
                    const qsizetype quote = text.indexOf(u'"', i);
                    if (quote < 0)
                        return Error {QCoreApplication::translate("CsvReader", "line %1: a quoted field is never closed").arg(quoteLine)};
                    const QStringView run = text.sliced(i, quote - i);
                    line += lineBreaks(run);
                    field += run;
                    i = quote + 1;
                    if (i < n && text[i] == u'"') { // a doubled quote stands for one
                        field += u'"';
                        ++i;
                        continue;
                    }
                    break;
                }
                if (i < n && !endsField(text[i]))
                    return Error {QCoreApplication::translate("CsvReader", "line %1: text after the closing quote of a field").arg(line)};
            } else {
                // Unquoted: up to the next separator; a quote inside is text.
                const qsizetype start = i;
                while (i < n && !endsField(text[i]))
                    ++i;
                field = text.sliced(start, i - start).toString();
            }
            record.fields.append(std::move(field));
            if (i < n && text[i] == u',') {
                ++i; // a comma that ends the text still opens an empty last field
                continue;
            }
            break;
        }
        if (i < n) { // the end of the line: LF, CR LF or a lone CR
            if (text[i] == u'\r' && i + 1 < n && text[i + 1] == u'\n')
                ++i;
            ++i;
            ++line;
        }
        // A blank line is not a record.
        if (!(record.fields.size() == 1 && record.fields.first().isEmpty())) {
            width = record.fields.size();
            records.append(std::move(record));
        }
    }
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

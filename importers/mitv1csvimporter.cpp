#include "mitv1csvimporter.h"

#include "csvreader.h"
#include "csvrows.h"
#include "importerregistry.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace Atlas
{

namespace
{

QString tr(const char *text)
{
    return QCoreApplication::translate("MitV1CsvImporter", text);
}

const QString schemeKey = u"mit-mitigation-v1"_s;
const QString actionId = u"Action ID"_s;
const QString actionName = u"Action Name"_s;
const QString actionDefinition = u"Action Definition"_s;
const QString actionSource = u"Action Source"_s;
const QString mitigationCode = u"MitigationCode"_s;
const QString shortRef = u"ShortRef"_s;
const QString documentId = u"DocumentID"_s;

// The header of a documents table starts like this (a sibling file is recognised by it).
constexpr char documentsHeaderStart[] = "ShortRef,DocumentID";
// Sibling files larger than this are not read (the real one has 20 kB).
constexpr qint64 maxSiblingSize = 64 * 1024 * 1024;

// A table read from CSV: the header's columns by name, the data rows, and where reading stopped.
struct Table {
    QString file;
    int headerLine = 1;
    QStringList header;
    QHash<QString, int> columns;
    QList<CsvRecord> rows;
    QString error;
    int errorLine = 0;

    bool has(const QString &column) const { return columns.contains(column); }
    QString value(const CsvRecord &row, const QString &column) const
    {
        const int index = columns.value(column, -1);
        return index >= 0 && index < row.fields.size() ? row.fields.at(index) : QString();
    }
};

class Reader
{
public:
    Reader(ParseResult &result, const ImportContext &context) : m_result(result), m_context(context) { }

    // Reads the rows of `text`; nullopt (with a diagnostic) when there is no header to read.
    std::optional<Table> readTable(const QString &text, const QString &file);
    void readMitigations(const Table &table);
    void readDocuments(const Table &table);
    // Reports what stopped the reading of a table early, after the diagnostics of the rows before it.
    void finish(const Table &table);
    void linkDocuments(const QString &fileName);

private:
    void report(ImportDiagnostic::Severity severity, const QString &file, int line, const QString &message)
    {
        m_result.diagnostics.append(ImportDiagnostic{severity, file, line, message});
    }
    // False (with an error) when the row does not have one field per column.
    bool fits(const Table &table, const CsvRecord &row);
    void classify(EntryRecord &entry, const QString &value, const Table &table);

    ParseResult &m_result;
    const ImportContext &m_context;
    QString m_mitigationFile;
    QSet<QString> m_reportedCodes;
};

std::optional<Table> Reader::readTable(const QString &text, const QString &file)
{
    if (QStringView(text).trimmed().isEmpty()) {
        report(ImportDiagnostic::Severity::Warning, file, 0, tr("the file is empty"));
        return std::nullopt;
    }
    CsvRows::Rows rows = CsvRows::read(text);
    Table table;
    table.file = file;
    table.error = rows.error;
    table.errorLine = rows.errorLine;
    if (rows.records.isEmpty()) {
        report(ImportDiagnostic::Severity::Error, file, rows.errorLine, tr("%1; the file cannot be read").arg(rows.error));
        ++m_result.skipped;
        return std::nullopt;
    }
    const CsvRecord header = rows.records.takeFirst();
    table.headerLine = header.line;
    for (const QString &name : header.fields) {
        table.columns.insert(name.trimmed(), int(table.header.size()));
        table.header.append(name.trimmed());
    }
    table.rows = std::move(rows.records);
    return table;
}

bool Reader::fits(const Table &table, const CsvRecord &row)
{
    if (row.fields.size() == table.header.size())
        return true;
    report(ImportDiagnostic::Severity::Error, table.file, row.line,
           tr("the row has %1 fields but the header has %2 columns; it is skipped").arg(row.fields.size()).arg(table.header.size()));
    ++m_result.skipped;
    return false;
}

void Reader::finish(const Table &table)
{
    if (!table.error.isEmpty()) {
        report(ImportDiagnostic::Severity::Error, table.file, table.errorLine, tr("%1; the rest of the file is not read").arg(table.error));
        ++m_result.skipped;
    } else if (table.rows.isEmpty()) {
        report(ImportDiagnostic::Severity::Warning, table.file, table.headerLine, tr("the table has a header but no rows"));
    }
}

void Reader::classify(EntryRecord &entry, const QString &value, const Table &table)
{
    // "1.1 Board Structure & Oversight"; the catch-alls are "1.X …" and "X.X …".
    static const QRegularExpression codeAndName(u"^((?:\\d+|X)(?:\\.(?:\\d+|X))*)\\.?(?:\\s+(.*))?$"_s, QRegularExpression::CaseInsensitiveOption);
    const QHash<QString, QString> known = m_context.codeNames.value(schemeKey);
    ClassificationRecord c;
    c.schemeKey = schemeKey;
    if (const QRegularExpressionMatch m = codeAndName.match(value); m.hasMatch()) {
        c.code = m.captured(1).toUpper();
        c.name = m.captured(2).trimmed();
        if (c.name.isEmpty())
            c.name = known.value(c.code);
        if (!known.isEmpty() && !known.contains(c.code) && !m_reportedCodes.contains(c.code)) {
            m_reportedCodes.insert(c.code);
            report(ImportDiagnostic::Severity::Note, table.file, entry.line,
                   tr("the code %1 (%2) is not in the mit-mitigation-v1 taxonomy; it is kept and added as a provisional node").arg(c.code, c.name));
        }
    } else {
        // A name without its code: the code of a node with that name, else the name as it stands.
        for (auto it = known.cbegin(); it != known.cend(); ++it) {
            if (it.value().compare(value, Qt::CaseInsensitive) == 0) {
                c.code = it.key();
                c.name = it.value();
                break;
            }
        }
        if (c.code.isEmpty()) {
            c.path = QStringList{value};
            report(ImportDiagnostic::Severity::Warning, table.file, entry.line,
                   tr("the MitigationCode \"%1\" of %2 has no code; it is kept as a name").arg(value, entry.externalId));
        }
    }
    entry.classifications.append(c);
}

void Reader::readMitigations(const Table &table)
{
    m_mitigationFile = table.file;
    for (const QString &column : {actionDefinition, actionSource, mitigationCode}) {
        if (!table.has(column))
            report(ImportDiagnostic::Severity::Warning, table.file, table.headerLine, tr("the header has no column \"%1\"").arg(column));
    }
    QHash<QString, int> lineOfId;
    lineOfId.reserve(table.rows.size());
    m_result.records.entries.reserve(m_result.records.entries.size() + table.rows.size());
    for (const CsvRecord &row : table.rows) {
        if (!fits(table, row))
            continue;
        EntryRecord entry;
        entry.line = row.line;
        entry.externalId = table.value(row, actionId).trimmed();
        entry.name = table.value(row, actionName).simplified();
        if (entry.externalId.isEmpty()) {
            report(ImportDiagnostic::Severity::Error, table.file, row.line, tr("the row has no Action ID; it is skipped"));
            ++m_result.skipped;
            continue;
        }
        if (entry.name.isEmpty()) {
            report(ImportDiagnostic::Severity::Error, table.file, row.line, tr("the action %1 has no Action Name; it is skipped").arg(entry.externalId));
            ++m_result.skipped;
            continue;
        }
        if (const int first = lineOfId.value(entry.externalId); first > 0) {
            report(ImportDiagnostic::Severity::Warning, table.file, row.line,
                   tr("the Action ID %1 is used again (first at line %2); this row is skipped").arg(entry.externalId).arg(first));
            ++m_result.skipped;
            continue;
        }
        lineOfId.insert(entry.externalId, row.line);
        entry.key = entry.externalId;
        entry.text = table.value(row, actionDefinition).trimmed();
        if (entry.text.isEmpty() && table.has(actionDefinition))
            report(ImportDiagnostic::Severity::Warning, table.file, row.line, tr("the action %1 has no Action Definition").arg(entry.externalId));
        const QString code = table.value(row, mitigationCode).simplified();
        if (!code.isEmpty())
            classify(entry, code, table);
        else if (table.has(mitigationCode))
            report(ImportDiagnostic::Severity::Warning, table.file, row.line, tr("the action %1 has no MitigationCode").arg(entry.externalId));
        const QString source = table.value(row, actionSource).trimmed();
        if (!source.isEmpty())
            entry.extra.insert(actionSource, source);
        else if (table.has(actionSource))
            report(ImportDiagnostic::Severity::Warning, table.file, row.line, tr("the action %1 has no Action Source").arg(entry.externalId));
        // Columns this importer does not know are kept for export.
        for (auto it = table.columns.cbegin(); it != table.columns.cend(); ++it) {
            const QString &column = it.key();
            if (column != actionId && column != actionName && column != actionDefinition && column != actionSource && column != mitigationCode
                && !column.isEmpty() && !row.fields.at(it.value()).trimmed().isEmpty())
                entry.extra.insert(column, row.fields.at(it.value()).trimmed());
        }
        m_result.records.entries.append(std::move(entry));
    }
}

void Reader::readDocuments(const Table &table)
{
    static const QStringList known{u"ShortRef"_s, u"Title"_s, u"First author"_s, u"Year"_s, u"Abstract"_s, u"URL"_s, u"DOI"_s, u"Type"_s};
    QHash<QString, int> lineOfRef;
    for (const CsvRecord &row : table.rows) {
        if (!fits(table, row))
            continue;
        DocumentRecord d;
        d.line = row.line;
        d.key = table.value(row, shortRef).trimmed();
        d.title = table.value(row, u"Title"_s).simplified();
        if (d.key.isEmpty()) {
            report(ImportDiagnostic::Severity::Error, table.file, row.line, tr("the row has no ShortRef; it is skipped"));
            ++m_result.skipped;
            continue;
        }
        if (d.title.isEmpty()) {
            report(ImportDiagnostic::Severity::Error, table.file, row.line, tr("the document %1 has no Title; it is skipped").arg(d.key));
            ++m_result.skipped;
            continue;
        }
        if (const int first = lineOfRef.value(d.key); first > 0) {
            report(ImportDiagnostic::Severity::Warning, table.file, row.line,
                   tr("the ShortRef %1 is used again (first at line %2); this row is skipped").arg(d.key).arg(first));
            ++m_result.skipped;
            continue;
        }
        lineOfRef.insert(d.key, row.line);
        d.citationKey = d.key;
        // Only the first author's family name (or an organisation) is given; it is kept as written.
        const QString author = table.value(row, u"First author"_s).simplified();
        if (!author.isEmpty())
            d.authors.append(author);
        else
            report(ImportDiagnostic::Severity::Warning, table.file, row.line, tr("the document %1 has no First author").arg(d.key));
        const QString year = table.value(row, u"Year"_s).trimmed();
        d.year = CsvRows::yearFrom(year);
        if (year.isEmpty())
            report(ImportDiagnostic::Severity::Warning, table.file, row.line, tr("the document %1 has no Year").arg(d.key));
        else if (!d.year)
            report(ImportDiagnostic::Severity::Warning, table.file, row.line, tr("the Year \"%1\" of %2 is not a year; it is left out").arg(year, d.key));
        d.abstract = table.value(row, u"Abstract"_s).trimmed();
        d.url = table.value(row, u"URL"_s).trimmed();
        const QString doi = table.value(row, u"DOI"_s).trimmed();
        d.doi = Records::doiFrom(doi);
        if (d.doi.isEmpty() && !doi.isEmpty() && doi != u"-")
            report(ImportDiagnostic::Severity::Warning, table.file, row.line, tr("the DOI \"%1\" of %2 is not a DOI; it is left out").arg(doi, d.key));
        d.arxivId = Records::arxivIdFrom(doi);
        if (d.arxivId.isEmpty())
            d.arxivId = Records::arxivIdFrom(d.url);
        const QString type = table.value(row, u"Type"_s).simplified();
        d.kind = CsvRows::documentKind(type);
        // Type (the source's own word for the kind), Description, DocumentID and unknown columns.
        for (auto it = table.columns.cbegin(); it != table.columns.cend(); ++it) {
            const QString value = row.fields.at(it.value()).trimmed();
            if ((it.key() == u"Type" || !known.contains(it.key())) && !it.key().isEmpty() && !value.isEmpty())
                d.extra.insert(it.key(), value);
        }
        m_result.records.documents.append(std::move(d));
    }
}

// A key under which short references match regardless of case, spaces and Unicode composition.
QString looseKey(const QString &ref)
{
    QString key = ref.normalized(QString::NormalizationForm_C).toCaseFolded();
    key.removeIf([](QChar c) {
        return c.isSpace();
    });
    return key;
}

// The included-documents table beside `fileName`, or empty.
QString siblingDocumentsFile(const QString &fileName)
{
    const QFileInfo info(fileName);
    if (fileName.isEmpty() || !info.isFile())
        return {};
    const QDir dir = info.dir();
    QStringList names = dir.entryList({u"*.csv"_s, u"*.CSV"_s}, QDir::Files | QDir::Readable, QDir::Name);
    names.removeDuplicates();
    std::stable_sort(names.begin(), names.end(), [](const QString &a, const QString &b) {
        return a.contains(u"included-documents"_s, Qt::CaseInsensitive) && !b.contains(u"included-documents"_s, Qt::CaseInsensitive);
    });
    for (const QString &name : std::as_const(names)) {
        const QFileInfo candidate(dir.filePath(name));
        if (candidate.canonicalFilePath() == info.canonicalFilePath() || candidate.size() > maxSiblingSize)
            continue;
        QFile file(candidate.filePath());
        if (!file.open(QIODevice::ReadOnly))
            continue;
        QByteArray head = file.read(4096);
        if (head.startsWith("\xEF\xBB\xBF"))
            head.remove(0, 3);
        if (head.startsWith(documentsHeaderStart))
            return candidate.filePath();
    }
    return {};
}

void Reader::linkDocuments(const QString &fileName)
{
    QList<EntryRecord> &entries = m_result.records.entries;
    const bool anySource = std::any_of(entries.cbegin(), entries.cend(), [](const EntryRecord &e) {
        return e.extra.contains(actionSource);
    });
    if (!anySource)
        return;
    const QString sibling = siblingDocumentsFile(fileName);
    if (sibling.isEmpty()) {
        report(ImportDiagnostic::Severity::Warning, m_mitigationFile, 0,
               tr("no included-documents table (a CSV whose header starts with ShortRef,DocumentID) was found beside the file; "
                  "the entries are kept without their source documents"));
        return;
    }
    // Diagnostics name the documents table the way the mitigations table was named.
    const QString siblingName = QFileInfo(fileName).dir().filePath(QFileInfo(sibling).fileName());
    QFile file(sibling);
    auto text = file.open(QIODevice::ReadOnly) ? ImporterRegistry::decode(file.readAll()) : Result<QString>(Error{file.errorString()});
    if (!text) {
        report(ImportDiagnostic::Severity::Warning, siblingName, 0,
               tr("the included-documents table cannot be read (%1); the entries are kept without their source documents").arg(text.error()));
        return;
    }
    const qsizetype before = m_result.records.documents.size();
    if (auto table = readTable(text.value(), siblingName)) {
        if (table->has(shortRef) && table->has(u"Title"_s)) {
            readDocuments(*table);
            finish(*table);
        }
    }
    report(ImportDiagnostic::Severity::Note, siblingName, 0,
           tr("%1 source documents read from the included-documents table beside the file").arg(m_result.records.documents.size() - before));

    QHash<QString, QString> exact;
    QHash<QString, QString> loose;
    for (const DocumentRecord &d : std::as_const(m_result.records.documents)) {
        exact.insert(d.key, d.key);
        loose.insert(looseKey(d.key), d.key);
    }
    struct Missing {
        int line = 0;
        int count = 0;
    };
    QHash<QString, Missing> missing;
    QStringList missingOrder;
    for (EntryRecord &entry : entries) {
        const QString source = entry.extra.value(actionSource).toString();
        if (source.isEmpty())
            continue;
        QString key = exact.value(source);
        if (key.isEmpty())
            key = loose.value(looseKey(source));
        if (!key.isEmpty()) {
            entry.documentKey = key;
            continue;
        }
        Missing &m = missing[source];
        if (m.count++ == 0) {
            m.line = entry.line;
            missingOrder.append(source);
        }
    }
    for (const QString &source : std::as_const(missingOrder)) {
        const Missing m = missing.value(source);
        report(ImportDiagnostic::Severity::Warning, m_mitigationFile, m.line,
               tr("the Action Source \"%1\" (%2 entries) is not a ShortRef of the included-documents table; those entries are kept without a source document")
                   .arg(source)
                   .arg(m.count));
    }
}

} // namespace

QString MitV1CsvImporter::displayName() const
{
    return tr("MIT AI Risk Mitigation Database v1 (CSV)");
}

int MitV1CsvImporter::sniff(QStringView head, const QString &) const
{
    const QStringList header = CsvRows::headerFields(head);
    const QStringList mitigations{actionId, actionName, actionDefinition, actionSource, mitigationCode};
    if (header == mitigations)
        return 95;
    if (header.startsWith(shortRef) && header.size() > 2 && header.at(1) == documentId && header.contains(u"Title"_s))
        return header.size() == 10 ? 95 : 80;
    // The same columns in another order or with more beside them.
    if (header.contains(actionId) && header.contains(actionName) && header.contains(mitigationCode))
        return 70;
    return 0;
}

ParseResult MitV1CsvImporter::parse(const QString &text, const QString &fileName, const ImportContext &context) const
{
    ParseResult result;
    Reader reader(result, context);
    auto table = reader.readTable(text, fileName);
    if (!table)
        return result;
    if (table->has(actionId) && table->has(actionName)) {
        reader.readMitigations(*table);
        reader.finish(*table);
        reader.linkDocuments(fileName);
    } else if (table->has(shortRef) && table->has(u"Title"_s)) {
        reader.readDocuments(*table);
        reader.finish(*table);
    } else {
        result.diagnostics.append(ImportDiagnostic{ImportDiagnostic::Severity::Error, fileName, table->headerLine,
                                                   tr("the header names neither the mitigations table (Action ID, Action Name, …) nor the "
                                                      "included-documents table (ShortRef, Title, …)")});
    }
    return result;
}

} // namespace Atlas

#include "mitriskresourcesimporter.h"

#include "csvreader.h"
#include "csvrows.h"

#include <QCoreApplication>
#include <QHash>
#include <QRegularExpression>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace Atlas
{

namespace
{

QString tr(const char *text)
{
    return QCoreApplication::translate("MitRiskResourcesImporter", text);
}

const QString included = u"Included"_s;
const QString paperId = u"Paper_ID"_s;
const QString quickRef = u"QuickRef"_s;
const QString titleColumn = u"Title"_s;
const QString authorsColumn = u"Authors (full)"_s;
const QString yearColumn = u"Year"_s;
const QString doiColumn = u"DOI"_s;
const QString urlColumn = u"URL"_s;
const QString typeColumn = u"Item type"_s;

// "S", "K Y", "PR", "S.", "C.I.", "P.-O.": a given name in initials. Three capitals without dots
// ("IBM") are a name.
bool isInitials(const QString &text)
{
    static const QRegularExpression initials(u"^\\p{Lu}\\.?(?:[\\s\\-]*\\p{Lu}\\.?)*$"_s);
    if (!initials.match(text).hasMatch())
        return false;
    return text.contains(u'.') || std::count_if(text.cbegin(), text.cend(), [](QChar c) {
                                      return c.isLetter();
                                  }) <= 2;
}

} // namespace

QStringList MitRiskResourcesImporter::splitAuthors(const QString &text, QStringList *stray)
{
    // "Marchal, N. and Xu, R.": "and" after an initial separates names; in "Allianz Global
    // Corporate and Specialty" it is part of one.
    static const QRegularExpression andAfterInitial(u"(?<=\\.)\\s+(?:and|&)\\s+"_s);
    static const QRegularExpression leadingAnd(u"^(?:and|&)\\s+"_s);
    // "Y. Bengio", "P.-O. Gourinchas", "J. R. López Portillo"
    static const QRegularExpression givenFirst(u"^(\\p{Lu}\\.(?:[\\s\\-]*\\p{Lu}\\.)*)\\s+(\\S.*)$"_s);
    // "Critch A", "Cunha PR", "Daumé III H" (Vancouver style)
    static const QRegularExpression familyFirst(u"^(.*\\p{Ll}.*?)\\s+(\\p{Lu}{1,3})$"_s);

    QString all = text.simplified();
    all.replace(andAfterInitial, u", "_s);
    QStringList pieces;
    for (const QString &part : all.split(u',')) {
        QString piece = part.trimmed();
        piece.remove(leadingAnd);
        if (!piece.isEmpty())
            pieces.append(piece);
    }
    QStringList authors;
    bool familyPending = false; // the last author is a family name whose initials come next
    for (qsizetype i = 0; i < pieces.size(); ++i) {
        const QString &piece = pieces.at(i);
        // Initials that follow no family name: "D." is left over from a broken list; "AB" may be a name.
        if (isInitials(piece) && (familyPending || piece.contains(u'.'))) {
            if (familyPending)
                authors.last() += u", "_s + piece;
            else if (stray)
                stray->append(piece);
            familyPending = false;
            continue;
        }
        familyPending = false;
        if (const auto m = givenFirst.match(piece); m.hasMatch()) {
            authors.append(m.captured(2) + u", "_s + m.captured(1));
        } else if (const auto m = familyFirst.match(piece); m.hasMatch()) {
            authors.append(m.captured(1) + u", "_s + m.captured(2));
        } else {
            // A family name before its initials ("Coghlan, S"), or an organisation kept whole.
            authors.append(piece);
            familyPending = i + 1 < pieces.size() && isInitials(pieces.at(i + 1));
        }
    }
    return authors;
}

QString MitRiskResourcesImporter::displayName() const
{
    return tr("MIT AI Risk Repository included resources (CSV)");
}

int MitRiskResourcesImporter::sniff(QStringView head, const QString &) const
{
    const QStringList header = CsvRows::headerFields(head);
    if (header.size() >= 5 && header.mid(0, 5) == QStringList{included, paperId, quickRef, titleColumn, authorsColumn})
        return 95;
    return 0;
}

ParseResult MitRiskResourcesImporter::parse(const QString &text, const QString &fileName, const ImportContext &) const
{
    ParseResult result;
    const auto report = [&](ImportDiagnostic::Severity severity, int line, const QString &message) {
        result.diagnostics.append(ImportDiagnostic{severity, fileName, line, message});
    };
    const auto drop = [&](int line, const QString &message) {
        report(ImportDiagnostic::Severity::Error, line, message);
        ++result.skipped;
    };
    if (QStringView(text).trimmed().isEmpty()) {
        report(ImportDiagnostic::Severity::Warning, 0, tr("the file is empty"));
        return result;
    }
    CsvRows::Rows rows = CsvRows::read(text);
    if (rows.records.isEmpty()) {
        drop(rows.errorLine, tr("%1; the file cannot be read").arg(rows.error));
        return result;
    }
    const CsvRecord header = rows.records.takeFirst();
    QHash<QString, int> columns;
    for (qsizetype i = 0; i < header.fields.size(); ++i)
        columns.insert(header.fields.at(i).trimmed(), int(i));
    for (const QString &column : {included, titleColumn}) {
        if (!columns.contains(column)) {
            report(ImportDiagnostic::Severity::Error, header.line, tr("the header has no column \"%1\"; this is not the included resources table").arg(column));
            return result;
        }
    }
    const auto value = [&](const CsvRecord &row, const QString &column) {
        const int index = columns.value(column, -1);
        return index >= 0 && index < row.fields.size() ? row.fields.at(index).trimmed() : QString();
    };
    static const QStringList mapped{included, quickRef, titleColumn, authorsColumn, yearColumn, doiColumn, urlColumn};

    QHash<QString, int> lineOfKey;
    QHash<QString, std::pair<QString, int>> keyOfDoi;
    int notIncluded = 0;
    int firstNotIncluded = 0;
    for (const CsvRecord &row : std::as_const(rows.records)) {
        if (row.fields.size() != header.fields.size()) {
            drop(row.line, tr("the row has %1 fields but the header has %2 columns; it is skipped").arg(row.fields.size()).arg(header.fields.size()));
            continue;
        }
        // The table ends with notes ("More information", "Cite as: …") in the first column.
        if (value(row, included).compare(u"Yes"_s, Qt::CaseInsensitive) != 0) {
            if (notIncluded++ == 0)
                firstNotIncluded = row.line;
            continue;
        }
        DocumentRecord d;
        d.line = row.line;
        d.citationKey = value(row, quickRef);
        d.key = !d.citationKey.isEmpty() ? d.citationKey : value(row, paperId);
        d.title = value(row, titleColumn).simplified();
        if (d.key.isEmpty()) {
            drop(row.line, tr("the row has no QuickRef and no Paper_ID; it is skipped"));
            continue;
        }
        if (d.title.isEmpty()) {
            drop(row.line, tr("the resource %1 has no Title; it is skipped").arg(d.key));
            continue;
        }
        if (const int first = lineOfKey.value(d.key); first > 0) {
            report(ImportDiagnostic::Severity::Warning, row.line, tr("the QuickRef %1 is used again (first at line %2); this row is skipped").arg(d.key).arg(first));
            ++result.skipped;
            continue;
        }
        lineOfKey.insert(d.key, row.line);
        QStringList stray;
        d.authors = splitAuthors(value(row, authorsColumn), &stray);
        if (d.authors.isEmpty())
            report(ImportDiagnostic::Severity::Warning, row.line, tr("the resource %1 has no authors").arg(d.key));
        if (!stray.isEmpty())
            report(ImportDiagnostic::Severity::Warning, row.line,
                   tr("initials with no name before them (%1) in the authors of %2 are left out").arg(stray.join(u", "_s), d.key));
        const QString year = value(row, yearColumn);
        d.year = CsvRows::yearFrom(year);
        if (year.isEmpty())
            report(ImportDiagnostic::Severity::Warning, row.line, tr("the resource %1 has no Year").arg(d.key));
        else if (!d.year)
            report(ImportDiagnostic::Severity::Warning, row.line, tr("the Year \"%1\" of %2 is not a year; it is left out").arg(year, d.key));
        const QString doi = value(row, doiColumn);
        d.doi = Records::doiFrom(doi);
        if (d.doi.isEmpty() && !doi.isEmpty() && doi != u"-")
            report(ImportDiagnostic::Severity::Warning, row.line, tr("the DOI \"%1\" of %2 is not a DOI; it is left out").arg(doi, d.key));
        if (!d.doi.isEmpty()) {
            // The source gives one DOI to two different papers; matching by it would merge them.
            if (const auto other = keyOfDoi.value(d.doi); other.second > 0)
                report(ImportDiagnostic::Severity::Warning, row.line,
                       tr("the DOI %1 of %2 is also the DOI of %3 (line %4); one of them is probably wrong").arg(d.doi, d.key, other.first).arg(other.second));
            else
                keyOfDoi.insert(d.doi, {d.key, row.line});
        }
        d.url = value(row, urlColumn);
        d.arxivId = Records::arxivIdFrom(doi);
        if (d.arxivId.isEmpty())
            d.arxivId = Records::arxivIdFrom(d.url);
        d.kind = CsvRows::documentKind(value(row, typeColumn));
        for (auto it = columns.cbegin(); it != columns.cend(); ++it) {
            QString field = row.fields.at(it.value()).trimmed();
            if (it.key().isEmpty() || field.isEmpty() || mapped.contains(it.key()))
                continue;
            if (it.key() == paperId)
                field = field.endsWith(u".0"_s) ? field.chopped(2) : field; // a spreadsheet's "1.0"
            d.extra.insert(it.key(), field);
        }
        result.records.documents.append(d);
    }
    if (notIncluded > 0)
        report(ImportDiagnostic::Severity::Warning, firstNotIncluded,
               tr("%1 rows not marked Included = Yes (notes below the table) are skipped").arg(notIncluded));
    if (!rows.error.isEmpty())
        drop(rows.errorLine, tr("%1; the rest of the file is not read").arg(rows.error));
    else if (rows.records.isEmpty())
        report(ImportDiagnostic::Severity::Warning, header.line, tr("the table has a header but no rows"));
    return result;
}

} // namespace Atlas

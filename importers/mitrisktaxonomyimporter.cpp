#include "mitrisktaxonomyimporter.h"

#include "csvreader.h"
#include "csvrows.h"

#include <QCoreApplication>
#include <QHash>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Atlas
{

namespace
{

QString tr(const char *text)
{
    return QCoreApplication::translate("MitRiskTaxonomyImporter", text);
}

// The shapes of the two files, as the repository publishes them (and as resources/taxonomies bundles them).
const QStringList domainColumns{u"domain_code"_s, u"domain"_s, u"subdomain_code"_s, u"subdomain"_s, u"description"_s};
const QStringList causalColumns{u"category"_s, u"level"_s, u"description"_s};

} // namespace

QString MitRiskTaxonomyImporter::displayName() const
{
    return tr("MIT AI Risk Repository taxonomy (CSV)");
}

int MitRiskTaxonomyImporter::sniff(QStringView head, const QString &) const
{
    const QStringList header = CsvRows::headerFields(head);
    if (header == domainColumns)
        return 95;
    // A generic header, but exactly these three names in this order is the causal taxonomy.
    if (header == causalColumns)
        return 85;
    return 0;
}

ParseResult MitRiskTaxonomyImporter::parse(const QString &text, const QString &fileName, const ImportContext &) const
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
    const CsvRecord headerRecord = rows.records.takeFirst();
    QHash<QString, int> columns;
    for (qsizetype i = 0; i < headerRecord.fields.size(); ++i)
        columns.insert(headerRecord.fields.at(i).trimmed(), int(i));
    const auto value = [&](const CsvRecord &row, const QString &column) {
        const int index = columns.value(column, -1);
        // Names and codes are single words or lines; the bundled loader trims them too.
        return index >= 0 && index < row.fields.size() ? row.fields.at(index).trimmed() : QString();
    };
    const auto hasAll = [&](const QStringList &names) {
        return std::all_of(names.cbegin(), names.cend(), [&](const QString &name) {
            return columns.contains(name);
        });
    };
    const bool domains = hasAll({u"domain_code"_s, u"domain"_s, u"subdomain_code"_s, u"subdomain"_s});
    const bool causal = !domains && hasAll({u"category"_s, u"level"_s});
    if (!domains && !causal) {
        report(ImportDiagnostic::Severity::Error, headerRecord.line,
               tr("the header names neither the domain taxonomy (domain_code, domain, subdomain_code, subdomain, description) nor the "
                  "causal taxonomy (category, level, description)"));
        return result;
    }
    if (!columns.contains(u"description"_s))
        report(ImportDiagnostic::Severity::Warning, headerRecord.line, tr("the header has no column \"description\""));

    const QString scheme = domains ? u"mit-risk-domain-v3"_s : u"mit-risk-causal-v3"_s;
    QHash<QString, QString> domainNames; // code -> name of the domains added
    QHash<QString, int> lineOfNode; // code (domains) or "category\nlevel" (causal) -> line
    QHash<QString, QString> categories; // case-folded -> the first spelling, which the levels name as parent
    for (const CsvRecord &row : std::as_const(rows.records)) {
        if (row.fields.size() != headerRecord.fields.size()) {
            drop(row.line, tr("the row has %1 fields but the header has %2 columns; it is skipped").arg(row.fields.size()).arg(headerRecord.fields.size()));
            continue;
        }
        const QString description = value(row, u"description"_s);
        if (domains) {
            const QString domainCode = value(row, u"domain_code"_s);
            const QString domainName = value(row, u"domain"_s);
            const QString code = value(row, u"subdomain_code"_s);
            const QString name = value(row, u"subdomain"_s);
            if (domainCode.isEmpty() || domainName.isEmpty()) {
                drop(row.line, tr("the row has no domain_code or no domain; it is skipped"));
                continue;
            }
            if (!domainNames.contains(domainCode)) {
                domainNames.insert(domainCode, domainName);
                TaxonomyNodeRecord node;
                node.line = row.line;
                node.schemeKey = scheme;
                node.code = domainCode;
                node.name = domainName;
                result.records.taxonomyNodes.append(node);
            } else if (domainNames.value(domainCode) != domainName) {
                report(ImportDiagnostic::Severity::Warning, row.line,
                       tr("the domain %1 is named \"%2\" here but \"%3\" above; the first name is kept").arg(domainCode, domainName, domainNames.value(domainCode)));
            }
            if (code.isEmpty() && name.isEmpty())
                continue; // a row for the domain alone
            if (code.isEmpty() || name.isEmpty()) {
                drop(row.line, tr("the subdomain has no subdomain_code or no subdomain name; it is skipped"));
                continue;
            }
            if (const int first = lineOfNode.value(code); first > 0) {
                report(ImportDiagnostic::Severity::Warning, row.line, tr("the subdomain %1 is listed again (first at line %2); this row is skipped").arg(code).arg(first));
                ++result.skipped;
                continue;
            }
            lineOfNode.insert(code, row.line);
            if (!code.startsWith(domainCode + u'.'))
                report(ImportDiagnostic::Severity::Warning, row.line, tr("the subdomain code %1 does not start with its domain's code %2").arg(code, domainCode));
            TaxonomyNodeRecord node;
            node.line = row.line;
            node.schemeKey = scheme;
            node.code = code;
            node.name = name;
            node.parentCode = domainCode;
            node.description = description;
            result.records.taxonomyNodes.append(node);
        } else {
            const QString category = value(row, u"category"_s);
            const QString level = value(row, u"level"_s);
            if (category.isEmpty() || level.isEmpty()) {
                drop(row.line, tr("the row has no category or no level; it is skipped"));
                continue;
            }
            // Categories have no codes and no descriptions of their own.
            if (!categories.contains(category.toCaseFolded())) {
                categories.insert(category.toCaseFolded(), category);
                TaxonomyNodeRecord node;
                node.line = row.line;
                node.schemeKey = scheme;
                node.name = category;
                result.records.taxonomyNodes.append(node);
            }
            const QString key = category.toCaseFolded() + u'\n' + level.toCaseFolded();
            if (const int first = lineOfNode.value(key); first > 0) {
                report(ImportDiagnostic::Severity::Warning, row.line,
                       tr("the level %1 of %2 is listed again (first at line %3); this row is skipped").arg(level, category).arg(first));
                ++result.skipped;
                continue;
            }
            lineOfNode.insert(key, row.line);
            TaxonomyNodeRecord node;
            node.line = row.line;
            node.schemeKey = scheme;
            node.name = level;
            node.parentPath = QStringList{categories.value(category.toCaseFolded())};
            node.description = description;
            result.records.taxonomyNodes.append(node);
        }
    }
    if (!rows.error.isEmpty())
        drop(rows.errorLine, tr("%1; the rest of the file is not read").arg(rows.error));
    else if (rows.records.isEmpty())
        report(ImportDiagnostic::Severity::Warning, headerRecord.line, tr("the table has a header but no rows"));
    return result;
}

} // namespace Atlas

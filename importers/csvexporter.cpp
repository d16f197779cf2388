#include "csvexporter.h"

#include "libraryreader.h"
#include "taxonomy.h"

#include <QCoreApplication>

namespace Atlas
{

QString CsvExporter::displayName() const
{
    return QCoreApplication::translate("CsvExporter", "Entries as CSV (spreadsheets)");
}

QString CsvExporter::cell(const QString &value)
{
    QString text = value;
    static const QString formulaStarts = QStringLiteral("=+-@\t\r");
    if (!text.isEmpty() && formulaStarts.contains(text.front()))
        text.prepend(QLatin1Char('\''));
    if (text.contains(QLatin1Char('"')) || text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r'))
        || text.startsWith(QLatin1Char(' ')) || text.endsWith(QLatin1Char(' '))) {
        text.replace(QLatin1Char('"'), QLatin1String("\"\""));
        return QLatin1Char('"') + text + QLatin1Char('"');
    }
    return text;
}

Result<QByteArray> CsvExporter::write(const QSqlDatabase &db) const
{
    auto entries = LibraryReader(db).entries();
    if (!entries)
        return Error{entries.error()};
    const QList<Dimension> dimensions = allDimensions();
    QStringList header{QStringLiteral("id"), QStringLiteral("external_id"), QStringLiteral("name"), QStringLiteral("text"), QStringLiteral("reasoning"),
        QStringLiteral("parent"), QStringLiteral("document"), QStringLiteral("year"), QStringLiteral("authors")};
    for (Dimension dimension : dimensions)
        header.append(dimensionKey(dimension));
    header << QStringLiteral("tags") << QStringLiteral("listing_only") << QStringLiteral("needs_review");
    QString out = header.join(QLatin1Char(',')) + QLatin1String("\r\n");
    for (const EntryView &e : entries.value()) {
        QStringList row{QString::number(e.id), e.externalId, e.name, e.text, e.reasoning, e.parentName, e.document ? e.document->title : QString(),
            e.document && e.document->year ? QString::number(*e.document->year) : QString(), e.document ? e.document->authors.join(QLatin1String("; ")) : QString()};
        for (Dimension dimension : dimensions) {
            QStringList values;
            for (const ClassificationView &c : e.classifications) {
                if (c.dimension != dimensionKey(dimension))
                    continue;
                const QString label = c.code.isEmpty() ? c.path.join(QLatin1String(" > ")) : c.code + QLatin1Char(' ') + c.name;
                values.append(QStringLiteral("%1: %2").arg(c.scheme, label));
            }
            row.append(values.join(QLatin1String("; ")));
        }
        row << e.tags.join(QLatin1String("; ")) << (e.listingOnly ? QStringLiteral("1") : QStringLiteral("0")) << (e.needsReview ? QStringLiteral("1") : QStringLiteral("0"));
        QStringList cells;
        for (const QString &value : std::as_const(row))
            cells.append(cell(value));
        out += cells.join(QLatin1Char(',')) + QLatin1String("\r\n");
    }
    return out.toUtf8();
}

} // namespace Atlas

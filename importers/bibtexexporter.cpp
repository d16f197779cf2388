#include "bibtexexporter.h"

#include "bibtexwriter.h"
#include "libraryreader.h"

#include <QCoreApplication>

namespace Atlas
{

QString BibtexExporter::displayName() const
{
    return QCoreApplication::translate("BibtexExporter", "Documents as BibTeX");
}

Result<QByteArray> BibtexExporter::write(const QSqlDatabase &db) const
{
    auto text = documents(db);
    if (!text)
        return Error{text.error()};
    return text.value().toUtf8();
}

Result<QString> BibtexExporter::documents(const QSqlDatabase &db, const QList<qint64> &ids)
{
    auto documents = LibraryReader(db).documents(ids);
    if (!documents)
        return Error{documents.error()};
    QList<DocumentRecord> records;
    records.reserve(documents->size());
    for (const DocumentView &d : documents.value()) {
        DocumentRecord r;
        r.kind = d.kind;
        r.title = d.title;
        r.authors = d.authors;
        r.year = d.year;
        r.venue = d.venue;
        r.doi = d.doi;
        r.arxivId = d.arxivId;
        r.url = d.url;
        r.abstract = d.abstract;
        r.citationKey = d.citationKey;
        r.tags = d.tagPaths;
        records.append(r);
    }
    return Bibtex::write(records);
}

} // namespace Atlas

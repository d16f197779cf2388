// ImportBackend: what the views need of the import formats (which live in importers/, a layer
// the views do not depend on): the list of formats and parsing a file into a preview.
#pragma once

#include "importrecords.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <utility>

namespace Atlas
{

// A file read, decoded and parsed, not yet written: what a dry run and the import dialog show.
struct ImportPreview {
    QString formatKey; // empty when no format could be chosen (see parsed.diagnostics)
    QString text; // the decoded file
    QString sha256;
    ParseResult parsed;
};

class ImportBackend
{
public:
    virtual ~ImportBackend() = default;
    // (format key, display name) in the registry's order.
    virtual QList<std::pair<QString, QString>> formats() const = 0;
    // Reads and parses `path` with `formatKey`, or with the format detected from its content when
    // empty. `db` supplies the taxonomy codes importers may need. Safe to call from a worker
    // thread with that thread's connection.
    virtual ImportPreview parse(const QSqlDatabase &db, const QString &path, const QString &formatKey) const = 0;
};

} // namespace Atlas

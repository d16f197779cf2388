// FileImport: one file from disk into a library: read, decode, pick the format (or take the
// one named), parse, apply. Every problem with the file becomes a diagnostic naming it.
#pragma once

#include "importbackend.h"
#include "importerregistry.h"
#include "importwriter.h"

namespace Atlas
{

class Library;

struct FileImportResult {
    QString formatKey; // the format used (detected or named); empty when none could be chosen
    ImportSummary summary;
};

// `formatKey` empty: detect from the content. `options.format` and `sha256` are filled in here,
// and `options.file` (the name the batch records) when it is empty. An Error result is a failure of the library (disk, lock), not of the file.
Result<FileImportResult> importFile(Library &library, const ImporterRegistry &registry, const QString &path, const QString &formatKey, ImportOptions options);

// Reads, decodes and parses without touching a library beyond reading its taxonomy codes:
// what --dry-run and the import dialog's preview show before anything is written.
using ParsedFile = ImportPreview;
ParsedFile parseFile(const QSqlDatabase &db, const ImporterRegistry &registry, const QString &path, const QString &formatKey);

// The registry's formats behind the interface the views use.
class RegistryImportBackend : public ImportBackend
{
public:
    QList<std::pair<QString, QString>> formats() const override;
    ImportPreview parse(const QSqlDatabase &db, const QString &path, const QString &formatKey) const override;

private:
    ImporterRegistry m_registry;
};

} // namespace Atlas

// ImportWriter: applies the records of one import to a library in one transaction, as one
// import batch: documents are matched across formats (DOI, arXiv id, title + year, abstract) and
// merged, entries are matched by source id, by place (name, parent, document) or by the listing
// rules of survey pages; taxonomy paths are resolved and missing nodes made provisional.
// Also lists batches and undoes one.
#pragma once

#include "importrecords.h"
#include "result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlDatabase>

#include <functional>

namespace Atlas
{

class Library;

struct ImportOptions {
    QString file; // as the user named it; stored in the batch
    QString format; // the importer's format key
    QString sha256; // of the file's bytes
    bool dryRun = false; // do everything, then roll back
    bool skipInvalid = false; // write the valid records even when the importer reported errors
    // Called after each record with (done, total); returning false cancels: nothing is written.
    std::function<bool(int, int)> progress;
    // Called in the import's transaction after its records are written, when it is about to be
    // committed: what it writes (the demos' automatic links) commits with the import or not at all.
    // An error rolls the whole import back.
    std::function<Status(const QSqlDatabase &db)> beforeCommit;
};

// What happened to one kind of record.
struct ImportCounts {
    int added = 0;
    int merged = 0; // matched a record in the library and changed it
    int unchanged = 0; // matched, nothing to change
    QJsonObject toJson() const;
};

struct ImportSummary {
    qint64 batchId = 0; // 0 when nothing was written
    bool written = false;
    bool dryRun = false;
    bool cancelled = false;
    ImportCounts documents;
    ImportCounts entries;
    ImportCounts taxonomyNodes;
    int classificationsAdded = 0;
    int tagLinksAdded = 0;
    int provisionalNodes = 0; // taxonomy nodes created because a record named one the library lacked
    int conflicts = 0; // DOI or arXiv matches whose titles differ, not merged
    int skipped = 0; // records dropped for an error
    QList<ImportDiagnostic> diagnostics; // the importer's, then the writer's (merges, conflicts)

    int added() const { return documents.added + entries.added + taxonomyNodes.added; }
    int merged() const { return documents.merged + entries.merged + taxonomyNodes.merged; }
    bool hasErrors() const;
    // {added, merged, skipped, diagnostics, documents{...}, entries{...}, ...}
    QJsonObject toJson() const;
    // Two or three lines for a terminal or a status bar.
    QString text() const;
};

struct ImportBatch {
    qint64 id = 0;
    QString file;
    QString format;
    QString sha256;
    QString mode;
    QString startedAt;
    QString finishedAt;
    QString status; // "complete" or "undone"
    int added = 0;
    int merged = 0;
    int skipped = 0;
    QJsonObject counts;
    QJsonArray diagnostics;
    QJsonObject toJson() const;
};

class ImportWriter
{
public:
    explicit ImportWriter(Library &library);
    // On another connection to the library's file (a worker thread's); nobody is notified of
    // changes: the caller tells the Library when the work is done.
    explicit ImportWriter(QSqlDatabase db);

    // Strict mode (the default) writes nothing when `parsed` or the matching reports an error;
    // the summary then carries the diagnostics and written == false. An Error result is a
    // failure of the library itself (disk full, locked), never of the input.
    Result<ImportSummary> apply(const ParseResult &parsed, const ImportOptions &options);

    Result<QList<ImportBatch>> batches() const;
    Result<ImportBatch> batch(qint64 id) const;
    // Removes what the batch added and restores what it merged. Rows later batches still use
    // (a taxonomy node another import classified with) are kept. Returns a short account.
    Result<QString> undo(qint64 batchId);

private:
    QSqlDatabase database() const;
    void notifyChanged();

    Library *m_library = nullptr;
    QSqlDatabase m_db;
};

} // namespace Atlas

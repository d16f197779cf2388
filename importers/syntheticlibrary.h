// SyntheticLibrary: writes a made-up library of any size for benchmarks and scale tests, as a library
// JSON file and as the same entries in the MIT v1 CSV layout. Words, names and taxonomy nodes come
// from the real data; the same seed and sizes give the same bytes.
#pragma once

#include "result.h"

#include <QSqlDatabase>
#include <QString>

#include <functional>
#include <memory>

namespace Atlas
{

class SyntheticLibrary
{
public:
    struct Options {
        qint64 entries = 1000;
        qint64 documents = 25;
        quint64 seed = 1;
        // Called every thousand records with (records written, records in all; documents come
        // first); returning false stops the work and leaves no file behind.
        std::function<bool(qint64, qint64)> progress;
    };

    // The three files one library is written to.
    struct Files {
        QString libraryJson;
        QString mitigationsCsv; // the MIT v1 mitigations table
        QString documentsCsv; // its included-documents table, beside it
    };

    struct Summary {
        qint64 entries = 0;
        qint64 documents = 0;
        qint64 childEntries = 0; // entries with a parent entry
        qint64 classifications = 0; // of entries
        qint64 documentClassifications = 0;
        qint64 tagLinks = 0; // of entries and documents
        qint64 libraryJsonBytes = 0;
        qint64 mitigationsCsvBytes = 0;
        qint64 documentsCsvBytes = 0;
    };

    // The CSV pair of a library JSON file: "big.json" gives "big.csv" and "big.included-documents.csv"
    // (a name the MIT v1 importer looks for beside a mitigations table). Other names keep their suffix:
    // "big.lib" gives "big.lib.csv".
    static Files filesFor(const QString &libraryJson);

    // A generator drawing its classifications from the taxonomy schemes of `db`, which must hold the
    // bundled mit-mitigation-v1 scheme (the one the CSV layout can carry).
    static Result<SyntheticLibrary> fromLibrary(const QSqlDatabase &db);
    // The same with the bundled taxonomies, read from a new library made in a temporary folder.
    static Result<SyntheticLibrary> withBundledTaxonomies();

    // Streams the three files (written under temporary names, renamed when complete). The JSON holds
    // the entries' parents, documents, tags and every classification; the CSV carries what its
    // layout can: Action ID, name, text, source document and the mit-mitigation-v1 code.
    Result<Summary> write(const Options &options, const Files &files) const;

    struct Private;

private:
    explicit SyntheticLibrary(std::shared_ptr<const Private> d);
    std::shared_ptr<const Private> d;
};

} // namespace Atlas

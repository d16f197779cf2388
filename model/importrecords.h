// Plain records an importer produces from a file, before anything touches a library.
// The store (ImportWriter) matches them against the library and applies them in one transaction.
#pragma once

#include "importdiagnostic.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Atlas
{

// A classification of an entry (or a risk category of a document) as the source states it.
// The node is found by code when `code` is set, else by the name path from the scheme's root.
struct ClassificationRecord {
    QString schemeKey; // "mit-mitigation-v2", "lifecycle", ...
    QString code; // "1.1.2"; empty when the scheme has no codes
    QString name; // the source's name for the code, used for a provisional node when the code is unknown
    QStringList path; // names from the root, when there is no code
    QString evidence;
    std::optional<double> confidence;
    QString assignedBy; // who or what the source says assigned it; default: the import format
    QString assignedByKind; // "import" (default), "classifier", "curator" or "rule": for lossless formats
    QString assignedAt; // ISO 8601; empty: the time of the import
};

struct DocumentRecord {
    int line = 0; // where the record starts in the file (1-based)
    QString key; // links entries to this document within one record set
    QString kind = QStringLiteral("article");
    QString title; // may be empty for a bare abstract
    QStringList authors; // "Family, Given", or a literal name such as an organisation
    std::optional<int> year;
    QString venue;
    QString doi; // bare, lower case: 10.1000/xyz
    QString arxivId; // 2008.02275 (no version) or old-style hep-th/9901001
    QString url;
    QString abstract;
    QString citationKey;
    QList<QStringList> tags; // hierarchical tag paths, e.g. {"Value Misalignment", "Toxicity"}
    QList<ClassificationRecord> classifications; // e.g. the risk category a paper list files it under
    bool needsReview = false; // a field was inferred; a curator should look at it
    bool titleInferred = false; // the title was made from the text: match by abstract, not by title
    QStringList editedFields; // columns a curator changed (lossless formats only)
    QJsonObject extra; // source fields with no column, kept for lossless export
};

struct EntryRecord {
    int line = 0;
    QString key; // parent links within one record set
    QString externalId; // the source's own id (Action ID, ...)
    QString name;
    QString text;
    QString reasoning;
    QString notes;
    QString parentKey; // key of another EntryRecord of the same set, or empty
    QString documentKey; // key of a DocumentRecord of the same set, or empty
    bool listingOnly = false; // known only from another page's listing
    bool needsReview = false; // the name (or another field) was inferred
    // The page did not name the entry; `name` was made from its text. The store names it from a
    // listing of the same document (same parent and code) that `pageListing` does not contain.
    bool nameInferred = false;
    QStringList pageListing; // the risk paths ("A > B") the entry's own page listed as its siblings
    QList<ClassificationRecord> classifications;
    QList<QStringList> tags;
    QStringList editedFields; // columns a curator changed (lossless formats only)
    QList<std::pair<QString, QString>> relatedDocuments; // (document key, relation "cites"/"related"/"source")
    QJsonArray pluginLinks; // [{plugin, origin, state}] as the library JSON carries them
    QJsonObject extra;
};

// A node for a taxonomy scheme update (e.g. the MIT risk repository CSVs).
struct TaxonomyNodeRecord {
    int line = 0;
    QString schemeKey;
    QString code;
    QString name;
    QStringList parentPath; // names of the ancestors, root first; or
    QString parentCode; // the parent's code
    QString description;
    bool provisional = false; // not confirmed by any source (lossless formats keep the flag)
};

struct RecordSet {
    QList<DocumentRecord> documents;
    QList<EntryRecord> entries;
    QList<TaxonomyNodeRecord> taxonomyNodes;
    // Earlier import batches a lossless file carries (objects as ImportBatch::toJson writes them);
    // the writer records them as history before the batch of the import itself.
    QJsonArray batchHistory;

    bool isEmpty() const { return documents.isEmpty() && entries.isEmpty() && taxonomyNodes.isEmpty(); }
    // A stable JSON form of the records, used by golden-file tests and --dry-run --json.
    QJsonObject toJson() const;
};

// What an importer returns: the records it could read, and what it met on the way.
struct ParseResult {
    RecordSet records;
    QList<ImportDiagnostic> diagnostics;
    int skipped = 0; // records dropped because of an error (listed in diagnostics)
};

// Helpers importers share.
namespace Records
{
// "Shi, Dan" from "Dan Shi", "Shi, Dan" or "{OpenAI}"; literal names are kept whole.
QString normaliseAuthor(const QString &name);
// The arXiv id in an arxiv.org URL, an arXiv DOI (10.48550/arXiv.2008.02275) or "arXiv:2008.02275v2"
// text, without version; empty if none.
QString arxivIdFrom(const QString &text);
// The DOI in a doi.org URL or "doi:" text, lower-cased; empty if none.
QString doiFrom(const QString &text);
// Lower case, letters and digits only, single spaces: the key titles are matched by.
QString normalisedTitle(const QString &title);
} // namespace Records

} // namespace Atlas

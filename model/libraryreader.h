// LibraryReader: entries and documents as plain values with what belongs to them (parent,
// source document, classifications, tags), for the CLI, the exporters and tests.
#pragma once

#include "result.h"

#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QStringList>

#include <optional>

struct sqlite3;
struct sqlite3_stmt;

namespace Atlas
{

// A read stepped through SQLite's own API, for the loops over every match or classification of a
// large library (search, the entry list's filter, coverage), where Qt's per-value work costs more
// than SQLite's read. Bound values are copied; columns are read as integers or reals.
class NativeQuery
{
public:
    NativeQuery(const QSqlDatabase &db, const QString &statement);
    ~NativeQuery();
    NativeQuery(const NativeQuery &) = delete;
    NativeQuery &operator=(const NativeQuery &) = delete;

    // Positions from 1, as in SQL.
    void bind(int position, qint64 value);
    void bind(int position, const QString &value);
    // The next row; false at the end or on an error (then error() is not empty).
    bool next();
    qint64 integer(int column) const;
    double real(int column) const;
    QString text(int column) const;
    const QString &error() const { return m_error; }

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_statement = nullptr;
    QString m_error;
};

struct ClassificationView {
    QString scheme; // key
    QString dimension; // key
    QString code;
    QString name;
    QStringList path; // names from the root
    QString assignedByKind;
    QString assignedBy;
    QString assignedAt;
    QString evidence;
    std::optional<double> confidence;
};

struct DocumentView {
    qint64 id = 0;
    QString kind;
    QString title;
    QStringList authors;
    std::optional<int> year;
    QString venue;
    QString doi;
    QString arxivId;
    QString url;
    QString abstract;
    QString citationKey;
    QStringList tags; // paths joined with " > "
    QList<QStringList> tagPaths;
    QList<ClassificationView> classifications;
    bool needsReview = false;
    QJsonObject toJson() const; // the shape of `list documents --json`
};

struct EntryView {
    qint64 id = 0;
    QString externalId;
    QString name;
    QString text;
    QString reasoning;
    QString notes;
    qint64 parentId = 0;
    QString parentName;
    qint64 documentId = 0;
    std::optional<DocumentView> document; // title, year, authors (others empty)
    bool listingOnly = false;
    bool needsReview = false;
    QList<ClassificationView> classifications;
    QStringList tags;
    QList<QStringList> tagPaths;
    QJsonObject toJson() const; // the shape of `list entries --json`
};

class LibraryReader
{
public:
    explicit LibraryReader(QSqlDatabase db);

    // All entries (or those of `ids`), ordered by id.
    Result<QList<EntryView>> entries(const QList<qint64> &ids = {}) const;
    Result<QList<DocumentView>> documents(const QList<qint64> &ids = {}) const;

    struct SearchHits {
        QList<qint64> entries; // best first
        QList<qint64> documents;
        // Set when the query has more matches than were ranked (the newest `candidates`).
        bool entriesBounded = false;
        bool documentsBounded = false;
    };
    // Full-text search (FTS5) over entries and documents. Plain words are matched as prefixes
    // and all must occur; quotes keep a phrase. Never fails on odd input: it is quoted. Ranked by
    // atlas_rank among at most `candidates` matches (the newest; see rankedCandidates).
    Result<SearchHits> search(const QString &query, int limit = 200, int candidates = rankedCandidates) const;
    // The FTS5 expression for `query`: the rows it matches are what the entry list shows.
    static QString ftsExpression(const QString &query);
    // The same matches as ftsExpression(query) in `table` (entry_fts or document_fts), each plain
    // word of 4+ letters spelt as its words in the index joined by OR, which FTS5 reads lazily
    // (a prefix term is merged in full first); `groups` numbers each phrase of the expression by
    // the query term it came from, for atlas_rank. search() and the entry list use it.
    struct Expansion {
        QString expression;
        QString groups; // "0,0,0,1"
    };
    static Expansion expandedExpression(const QSqlDatabase &db, const QString &table, const QString &query);
    // Registers the FTS5 ranking function atlas_rank on the connection (once per connection).
    // atlas_rank(fts, weights..., groups) orders rows as FTS5's bm25() with the same column
    // weights, the phrases of a group (Expansion::groups; each its own if absent) counted as one,
    // but counts a group's rows for its IDF only up to half the table (beyond that bm25's IDF is
    // its floor anyway) and not at all for a one-group query (the IDF is then a constant factor).
    static Status registerRanking(const QSqlDatabase &db);
    // The most matches search() ranks. A query with more (a word in most entries) is ranked among
    // its newest `rankedCandidates` matches: scoring a row costs 1-3 us (its column sizes are read),
    // 0.1-0.3 s for a word in all of 100k entries, and such a word's bm25 hardly tells rows apart
    // (its IDF is at the floor): what it prefers, the word in a short name, is plentiful among
    // 2,000 (a word in 12% of the names gives 240, more than a page). Fewer matches: exact bm25.
    static constexpr int rankedCandidates = 2000;

private:
    QSqlDatabase m_db;
};

} // namespace Atlas

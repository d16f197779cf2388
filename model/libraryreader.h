// LibraryReader: entries and documents as plain values with what belongs to them (parent,
// source document, classifications, tags), for the CLI, the exporters and tests.
#pragma once

#include "result.h"

#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QStringList>

#include <optional>

namespace Atlas
{

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
    };
    // Full-text search (FTS5) over entries and documents. Plain words are matched as prefixes
    // and all must occur; quotes keep a phrase. Never fails on odd input: it is quoted.
    Result<SearchHits> search(const QString &query, int limit = 200) const;
    // The FTS5 expression search() uses for `query`.
    static QString ftsExpression(const QString &query);

private:
    QSqlDatabase m_db;
};

} // namespace Atlas

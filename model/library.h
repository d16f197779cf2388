// Library: one SQLite file holding a curator's entries, documents, taxonomies and runs.
// Opening creates or upgrades the file (with a backup first) and refuses files from newer versions.
#pragma once

#include "result.h"

#include <QObject>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

namespace Atlas
{

struct LibraryStats {
    qint64 entries = 0;
    qint64 documents = 0;
    qint64 classifications = 0;
    qint64 tags = 0;
    qint64 schemes = 0;
    qint64 taxonomyNodes = 0;
    qint64 importBatches = 0;
    qint64 pluginRuns = 0;
    qint64 savedSearches = 0;
};

// A second connection to a library file, for a worker thread: make it, use it and let it go
// in that thread. Foreign keys on, and it waits for another program's write as the Library's own
// connection does (Sql::setBusyWait).
class WorkerConnection
{
public:
    explicit WorkerConnection(const QString &path);
    ~WorkerConnection();
    WorkerConnection(const WorkerConnection &) = delete;
    WorkerConnection &operator=(const WorkerConnection &) = delete;

    bool isOpen() const { return m_error.isEmpty(); }
    const QString &error() const { return m_error; }
    QSqlDatabase database() const;

private:
    QString m_name;
    QString m_error;
};

class Library : public QObject
{
    Q_OBJECT
public:
    struct Options {
        // Where the NNNN_*.sql migrations are read from; empty means the bundled ones (tests use others).
        QString migrationsFolder;
        // Load the bundled taxonomies into the library (on by default).
        bool installBundledTaxonomies = true;
    };

    explicit Library(QObject *parent = nullptr);
    ~Library() override;

    // The schema version this build writes (the number of bundled migrations).
    static int currentSchemaVersion();
    // The library used when none is named: a file under QStandardPaths::AppDataLocation.
    static QString defaultPath();

    Status open(const QString &path);
    Status open(const QString &path, const Options &options);
    void close();

    bool isOpen() const { return !m_connection.isEmpty(); }
    QString path() const { return m_path; }
    QSqlDatabase database() const;
    // The schema version of the open file.
    int schemaVersion() const { return m_schemaVersion; }
    // True when open() made a new library file.
    bool wasCreated() const { return m_created; }
    // The backup copy open() made before migrating, or empty.
    QString backupPath() const { return m_backupPath; }

    // PRAGMA integrity_check, foreign_key_check, the FTS indexes and the taxonomy closure.
    // The list is empty when everything is sound.
    Result<QStringList> check() const;
    Result<LibraryStats> stats() const;

    // Called by writers after a committed change, so views can refresh.
    void notifyChanged();
    // Called by editors when a change could not be written (the library busy with another
    // program's write, a full disk), so the window tells the user rather than only logging it.
    void notifyWriteFailed(const QString &message);

Q_SIGNALS:
    void changed();
    void writeFailed(const QString &message);

private:
    Status openChecked(const QString &path, const Options &options);

    QString m_connection;
    QString m_path;
    int m_schemaVersion = 0;
    bool m_created = false;
    QString m_backupPath;
};

} // namespace Atlas

// PivotModel: entries grouped by one taxonomy dimension, then another (risk category ›
// mitigation type › …). Each group is a node of a level's scheme at the level's depth, with the
// number of distinct entries classified at or under it and under every group above it; empty
// groups are left out. Groups are counted by SQLite in a worker thread on its own connection,
// level by level as the user expands them, so the window never waits for a count.
#pragma once

#include "entrytablemodel.h"
#include "result.h"

#include <QAbstractItemModel>
#include <QPointer>
#include <QSqlDatabase>

#include <memory>
#include <vector>

namespace Atlas
{

class Library;

struct PivotLevel {
    QString scheme; // scheme key, e.g. "llm-safety-survey"
    int depth = 1; // 1 = the scheme's top level
    bool operator==(const PivotLevel &other) const = default;
};

struct PivotGroup {
    qint64 nodeId = 0;
    QString label; // "1.1 Model", "Value Misalignment"
    qint64 count = 0;
};

class PivotModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, CountColumn, ColumnCount };
    enum Role { NodeIdRole = Qt::UserRole + 1, CountRole, LevelRole };

    explicit PivotModel(Library *library, QObject *parent = nullptr);
    ~PivotModel() override;

    // The grouping, outermost first. Setting it reloads.
    void setLevels(const QList<PivotLevel> &levels);
    QList<PivotLevel> levels() const { return m_levels; }
    // True while a count is running in the worker.
    bool isLoading() const { return m_running > 0; }
    QString errorString() const { return m_error; }

    // The entry-list filter of a group: its node and the nodes of the groups above it.
    EntryFilter filterFor(const QModelIndex &index) const;
    // "Value Misalignment › 1.1 Model": the labels from the outermost group down.
    QString pathLabel(const QModelIndex &index) const;

    // The groups of `scheme` at `depth` holding entries classified under every node of `within`,
    // with their counts (SQL on `db`; used by the worker, and by benchmarks directly).
    // The nodes of `scheme` at `depth`, in the scheme's order, labelled "code name" (counts 0).
    static Result<QList<PivotGroup>> levelNodes(const QSqlDatabase &db, const QString &scheme, int depth);
    static Result<QList<PivotGroup>> groups(const QSqlDatabase &db, const QList<qint64> &within, const QString &scheme, int depth);

    QModelIndex index(int row, int column, const QModelIndex &parent = QModelIndex()) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    bool hasChildren(const QModelIndex &parent = QModelIndex()) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

public Q_SLOTS:
    void reload();

Q_SIGNALS:
    // A level of groups arrived (or failed: see errorString()).
    void loaded();

private:
    struct Node {
        Node *parent = nullptr;
        int level = -1; // -1: the invisible root
        PivotGroup group;
        std::vector<std::unique_ptr<Node>> children;
        bool fetched = false;
        bool fetching = false;
    };
    Node *nodeOf(const QModelIndex &index) const;
    QModelIndex indexOf(Node *node) const;
    void startFetch(Node *node);
    void deliver(quint64 generation, Node *node, const Result<QList<PivotGroup>> &result);

    QPointer<Library> m_library;
    QList<PivotLevel> m_levels;
    std::unique_ptr<Node> m_root;
    quint64 m_generation = 0;
    int m_running = 0;
    QString m_error;
};

} // namespace Atlas

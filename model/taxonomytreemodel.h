// TaxonomyTreeModel: the five dimensions as roots, each with its schemes' hierarchies and
// the number of entries classified at or below every node (column 1), refreshed on change.
#pragma once

#include "savedsearch.h"
#include "taxonomy.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QSqlDatabase>
#include <QPointer>

#include <memory>
#include <vector>

namespace Atlas
{

class Library;

class TaxonomyTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { NameColumn = 0, CountColumn = 1, ColumnCount = 2 };
    // SavedSearches is the root of the saved searches (shown when there are any), SavedSearch one.
    enum class ItemKind { Dimension, Scheme, Node, SavedSearches, SavedSearch };
    enum Role {
        KindRole = Qt::UserRole + 1, // ItemKind as int
        DimensionRole, // dimension key
        SchemeIdRole,
        NodeIdRole,
        CodeRole,
        CountRole, // entries at or below, as qint64
        ProvisionalRole,
        SavedSearchRole, // the position of a saved search in SavedSearches::read()
    };

    // `asynchronous`: see setAsynchronous().
    explicit TaxonomyTreeModel(Library *library, QObject *parent = nullptr, bool asynchronous = false);
    ~TaxonomyTreeModel() override;

    QModelIndex index(int row, int column, const QModelIndex &parent = QModelIndex()) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Entries dragged from the entry list (EntryTableModel::entryIdsMimeType()) drop onto a
    // taxonomy node: the model only reports the drop; the window classifies them (undoably).
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QStringList mimeTypes() const override;
    Qt::DropActions supportedDropActions() const override;
    bool canDropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column, const QModelIndex &parent) const override;
    bool dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column, const QModelIndex &parent) override;

    // The saved search an index shows (ItemKind::SavedSearch), else nullptr.
    const SavedSearch *savedSearch(const QModelIndex &index) const;

    // The text of the last load error, empty when the last load worked.
    QString errorString() const { return m_error; }

    // In asynchronous mode (the window's), the counts are read by a worker thread and the cells
    // change when the answer arrives; otherwise (the default) before refreshCounts() returns.
    void setAsynchronous(bool asynchronous) { m_asynchronous = asynchronous; }
    // True while a worker counts for this model.
    bool isCounting() const { return m_counting > 0; }

Q_SIGNALS:
    void entriesDropped(const QList<qint64> &entryIds, qint64 nodeId);
    // The counts were read again (in asynchronous mode: the answer arrived and was shown).
    void countsRefreshed();

public Q_SLOTS:
    // Re-reads schemes and nodes (structure change).
    void reload();
    // Re-reads only the counts and signals the cells that changed.
    void refreshCounts();

private:
    struct Item;
    // Every count the tree shows: by scheme and node, by scheme, by dimension.
    struct Counts {
        QString error;
        QHash<qint64, QHash<qint64, qint64>> nodes;
        QHash<qint64, qint64> schemes;
        QHash<int, qint64> dimensions;
    };
    static Counts readCounts(const QSqlDatabase &db, const QList<qint64> &schemeIds, const QList<int> &dimensions);
    void applyCounts(const Counts &counts);
    Item *itemFor(const QModelIndex &index) const;
    void countsChanged(Item *item);

    QPointer<Library> m_library;
    std::unique_ptr<Item> m_root;
    QString m_error;
    QList<SavedSearch> m_saved;
    QString m_shape; // count, last id and parent sum of the nodes loaded: a change means reload
    bool m_asynchronous = false;
    int m_counting = 0; // workers counting
    quint64 m_generation = 0; // of the last count asked for; older answers are dropped
};

} // namespace Atlas

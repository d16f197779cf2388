#include "importhistorydialog.h"

#include "importwriter.h"
#include "library.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace Atlas
{

ImportHistoryDialog::ImportHistoryDialog(Library *library, QWidget *parent)
    : QDialog(parent)
    , m_library(library)
    , m_table(new QTableWidget(this))
    , m_undo(new QPushButton(QIcon::fromTheme(QStringLiteral("edit-undo")), tr("&Undo Import"), this))
{
    setWindowTitle(tr("Import History"));
    m_table->setColumnCount(8);
    m_table->setHorizontalHeaderLabels({tr("Batch"), tr("Started"), tr("File"), tr("Format"), tr("Added"), tr("Merged"), tr("Skipped"), tr("Status")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_undo, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_undo, &QPushButton::clicked, this, [this] {
        undoSelected(true);
    });
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &ImportHistoryDialog::updateButtons);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table);
    layout->addWidget(buttons);
    resize(820, 420);
    reload();
}

void ImportHistoryDialog::reload()
{
    m_table->setRowCount(0);
    auto batches = ImportWriter(*m_library).batches();
    if (!batches) {
        QMessageBox::warning(this, windowTitle(), batches.error());
        return;
    }
    // Newest first: the one most likely to be undone.
    const QList<ImportBatch> &list = batches.value();
    m_table->setRowCount(int(list.size()));
    for (qsizetype i = 0; i < list.size(); ++i) {
        const ImportBatch &b = list.at(list.size() - 1 - i);
        const QStringList cells{QString::number(b.id), b.startedAt, b.file, b.format, QString::number(b.added), QString::number(b.merged),
            QString::number(b.skipped), b.status == QLatin1String("undone") ? tr("undone") : tr("imported")};
        for (int column = 0; column < cells.size(); ++column) {
            auto *item = new QTableWidgetItem(cells.at(column));
            item->setData(Qt::UserRole, b.id);
            item->setData(Qt::UserRole + 1, b.status);
            m_table->setItem(int(i), column, item);
        }
    }
    m_table->resizeColumnsToContents();
    updateButtons();
}

void ImportHistoryDialog::updateButtons()
{
    const QList<QTableWidgetItem *> selected = m_table->selectedItems();
    m_undo->setEnabled(!selected.isEmpty() && selected.first()->data(Qt::UserRole + 1).toString() != QLatin1String("undone"));
}

void ImportHistoryDialog::undoSelected(bool confirm)
{
    const QList<QTableWidgetItem *> selected = m_table->selectedItems();
    if (selected.isEmpty())
        return;
    const qint64 id = selected.first()->data(Qt::UserRole).toLongLong();
    if (confirm
        && QMessageBox::question(this, tr("Undo Import"),
               tr("Remove what import batch %1 added and restore what it merged?\n%2").arg(id).arg(m_table->item(selected.first()->row(), 2)->text()))
            != QMessageBox::Yes)
        return;
    auto undone = ImportWriter(*m_library).undo(id);
    if (!undone)
        QMessageBox::warning(this, tr("Undo Import"), undone.error());
    reload();
}

} // namespace Atlas

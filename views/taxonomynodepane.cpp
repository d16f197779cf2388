#include "taxonomynodepane.h"

#include "taxonomytreemodel.h"

#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace Atlas
{

namespace
{

QLabel *plainLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText); // imported text is never interpreted as markup
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    return label;
}

} // namespace

TaxonomyNodePane::TaxonomyNodePane(QWidget *parent)
    : QWidget(parent), m_title(plainLabel(this)), m_path(plainLabel(this)), m_facts(plainLabel(this)), m_description(plainLabel(this))
{
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_path->setForegroundRole(QPalette::PlaceholderText);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_path);
    layout->addWidget(m_facts);
    layout->addSpacing(8);
    layout->addWidget(m_description, 1);
    showItem({});
}

void TaxonomyNodePane::showItem(const QModelIndex &index)
{
    const QModelIndex nameIndex = index.siblingAtColumn(TaxonomyTreeModel::NameColumn);
    if (!nameIndex.isValid()) {
        m_title->setText(tr("Taxonomy"));
        m_path->clear();
        m_facts->setText(tr("Select a dimension, scheme or category in the tree to see what it holds."));
        m_description->clear();
        return;
    }
    m_title->setText(nameIndex.data(Qt::DisplayRole).toString());

    QStringList path;
    for (QModelIndex up = nameIndex.parent(); up.isValid(); up = up.parent())
        path.prepend(up.data(Qt::DisplayRole).toString());
    m_path->setText(path.join(QStringLiteral(" › ")));

    const int kind = nameIndex.data(TaxonomyTreeModel::KindRole).toInt();
    if (kind == int(TaxonomyTreeModel::ItemKind::SavedSearches) || kind == int(TaxonomyTreeModel::ItemKind::SavedSearch)) {
        m_facts->setText(kind == int(TaxonomyTreeModel::ItemKind::SavedSearch) ? tr("Select it to filter the entry list; Delete removes it.")
                                                                                : tr("%n saved searches", nullptr, nameIndex.model()->rowCount(nameIndex)));
        m_description->setText(nameIndex.data(Qt::ToolTipRole).toString());
        return;
    }
    const qint64 count = nameIndex.data(TaxonomyTreeModel::CountRole).toLongLong();
    const int children = nameIndex.model()->rowCount(nameIndex);
    QStringList facts;
    facts.append(tr("%n entries classified here or below", nullptr, int(count)).replace(QString::number(count), QLocale().toString(count)));
    if (children > 0)
        facts.append(tr("%n subcategories", nullptr, children));
    if (nameIndex.data(TaxonomyTreeModel::ProvisionalRole).toBool())
        facts.append(tr("Provisional: not confirmed by the source; kept so that data using it can be classified."));
    m_facts->setText(facts.join(QLatin1Char('\n')));
    m_description->setText(nameIndex.data(Qt::ToolTipRole).toString());
}

} // namespace Atlas

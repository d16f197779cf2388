// TaxonomyNodePane: what is known about the selected tree item (name, code, scheme,
// description, provisional status, entry count), all shown as plain text.
#pragma once

#include <QModelIndex>
#include <QWidget>

class QLabel;

namespace Atlas
{

class TaxonomyNodePane : public QWidget
{
    Q_OBJECT
public:
    explicit TaxonomyNodePane(QWidget *parent = nullptr);

    // Shows the item at `index` of a TaxonomyTreeModel; an invalid index clears the pane.
    void showItem(const QModelIndex &index);

private:
    QLabel *m_title;
    QLabel *m_path;
    QLabel *m_facts;
    QLabel *m_description;
};

} // namespace Atlas

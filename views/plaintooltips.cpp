#include "plaintooltips.h"

#include <QAbstractItemView>
#include <QCoreApplication>
#include <QHeaderView>
#include <QHelpEvent>
#include <QTextDocument>
#include <QToolTip>

namespace Atlas
{

PlainToolTips::PlainToolTips(QObject *parent) : QObject(parent) { }

void PlainToolTips::install()
{
    QCoreApplication *application = QCoreApplication::instance();
    if (!application || application->findChild<PlainToolTips *>(QString(), Qt::FindDirectChildrenOnly))
        return;
    application->installEventFilter(new PlainToolTips(application));
}

QString PlainToolTips::escaped(const QString &text)
{
    // Escaped, with the line breaks kept; <qt> makes Qt take it as rich text whatever it holds.
    return QStringLiteral("<qt>%1</qt>").arg(Qt::convertFromPlainText(text, Qt::WhiteSpaceNormal));
}

bool PlainToolTips::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::ToolTip || !watched->isWidgetType())
        return false;
    auto *viewport = static_cast<QWidget *>(watched);
    auto *view = qobject_cast<QAbstractItemView *>(viewport->parentWidget());
    if (!view || view->viewport() != viewport || !view->model())
        return false;
    const auto *help = static_cast<QHelpEvent *>(event);
    QString text;
    QRect area;
    if (auto *header = qobject_cast<QHeaderView *>(view)) {
        const int section = header->logicalIndexAt(help->pos());
        if (section < 0)
            return false;
        text = header->model()->headerData(section, header->orientation(), Qt::ToolTipRole).toString();
        const int start = header->sectionViewportPosition(section);
        area = header->orientation() == Qt::Horizontal ? QRect(start, 0, header->sectionSize(section), viewport->height())
                                                       : QRect(0, start, viewport->width(), header->sectionSize(section));
    } else {
        const QModelIndex index = view->indexAt(help->pos());
        if (!index.isValid())
            return false;
        text = index.data(Qt::ToolTipRole).toString();
        area = view->visualRect(index);
    }
    if (text.isEmpty()) {
        QToolTip::hideText();
        event->ignore();
        return true;
    }
    QToolTip::showText(help->globalPos(), isEscaped(text) ? text : escaped(text), viewport, area);
    return true;
}

bool PlainToolTips::isEscaped(const QString &text)
{
    // Markup that can do nothing but break lines; whatever else it holds is text.
    if (!text.startsWith(QLatin1String("<qt>")) || !text.endsWith(QLatin1String("</qt>")))
        return false;
    QString inner = text.mid(4, text.size() - 9);
    inner.remove(QLatin1String("<br>"));
    return !inner.contains(QLatin1Char('<')) && !inner.contains(QLatin1Char('>'));
}

} // namespace Atlas

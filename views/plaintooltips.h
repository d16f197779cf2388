// PlainToolTips: shows the tooltips of item views (their cells and header sections) as plain text.
// Qt renders a tooltip as rich text when it looks like HTML, and models answer ToolTipRole with
// imported titles and names, so an application-wide filter shows them escaped instead.
#pragma once

#include <QObject>

namespace Atlas
{

class PlainToolTips : public QObject
{
    Q_OBJECT
public:
    explicit PlainToolTips(QObject *parent = nullptr);

    // Installs one filter on the application (once, whoever asks first); it lives as long as the application.
    static void install();
    // The rich text that shows `text` as it is, for QToolTip::showText().
    static QString escaped(const QString &text);
    // True for a tooltip a view escaped itself (<qt>, escaped text and <br> only): shown as it is.
    static bool isEscaped(const QString &text);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
};

} // namespace Atlas

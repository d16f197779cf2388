#include "entrydetailpane.h"

#include "library.h"
#include "libraryreader.h"

#include <QFont>
#include <QLocale>
#include <QTextCursor>
#include <QTextEdit>
#include <QVBoxLayout>

namespace Atlas
{

namespace
{

// Writes plain text with simple formats; no HTML is ever interpreted.
class Writer
{
public:
    explicit Writer(QTextEdit *edit) : m_cursor(edit->document())
    {
        edit->document()->clear();
        m_cursor = QTextCursor(edit->document());
    }

    void title(const QString &text)
    {
        QTextCharFormat f;
        f.setFontPointSize(QFont().pointSizeF() * 1.4);
        f.setFontWeight(QFont::Bold);
        line(text, f);
    }
    void heading(const QString &text)
    {
        m_cursor.insertBlock();
        QTextCharFormat f;
        f.setFontWeight(QFont::Bold);
        line(text, f);
    }
    void paragraph(const QString &text) { line(text, {}); }
    void muted(const QString &text)
    {
        QTextCharFormat f;
        f.setFontItalic(true);
        line(text, f);
    }
    void line(const QString &text, const QTextCharFormat &format)
    {
        if (!m_first)
            m_cursor.insertBlock();
        m_first = false;
        m_cursor.insertText(text, format);
    }

private:
    QTextCursor m_cursor;
    bool m_first = true;
};

} // namespace

EntryDetailPane::EntryDetailPane(Library *library, QWidget *parent) : QWidget(parent), m_library(library), m_view(new QTextEdit(this))
{
    m_view->setReadOnly(true);
    m_view->setAcceptRichText(false);
    m_view->setUndoRedoEnabled(false);
    m_view->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_view->setAccessibleName(tr("Entry details"));
    m_view->setPlaceholderText(tr("Select an entry to see its text, classifications and source."));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
}

QString EntryDetailPane::plainText() const
{
    return m_view->toPlainText();
}

void EntryDetailPane::showEntry(qint64 entryId)
{
    m_entryId = entryId;
    if (entryId == 0 || !m_library || !m_library->isOpen()) {
        m_view->clear();
        return;
    }
    LibraryReader reader(m_library->database());
    auto entries = reader.entries({entryId});
    Writer out(m_view);
    if (!entries || entries->isEmpty()) {
        out.muted(entries ? tr("This entry no longer exists.") : entries.error());
        return;
    }
    const EntryView &e = entries->first();
    out.title(e.name);
    QStringList flags;
    if (e.listingOnly)
        flags.append(tr("known only from another page's listing"));
    if (e.needsReview)
        flags.append(tr("needs review: a field was inferred"));
    if (!e.parentName.isEmpty())
        out.muted(tr("Under: %1").arg(e.parentName));
    if (!flags.isEmpty())
        out.muted(flags.join(QLatin1String(" · ")));
    if (!e.text.isEmpty()) {
        out.heading(tr("Text"));
        out.paragraph(e.text);
    }
    if (!e.reasoning.isEmpty()) {
        out.heading(tr("Reasoning"));
        out.paragraph(e.reasoning);
    }
    out.heading(tr("Classifications"));
    if (e.classifications.isEmpty())
        out.muted(tr("none yet"));
    const QLocale locale;
    for (const ClassificationView &c : e.classifications) {
        const QString label = c.code.isEmpty() ? c.path.join(QLatin1String(" › ")) : c.code + QLatin1Char(' ') + c.name;
        out.paragraph(QStringLiteral("%1: %2").arg(c.scheme, label));
        QString provenance = tr("by %1 (%2), %3").arg(c.assignedBy, c.assignedByKind, c.assignedAt);
        if (c.confidence)
            provenance += tr(", confidence %1").arg(locale.toString(*c.confidence, 'f', 2));
        if (!c.evidence.isEmpty())
            provenance += tr(" — evidence: %1").arg(c.evidence);
        out.muted(QStringLiteral("    ") + provenance);
    }
    if (!e.tags.isEmpty()) {
        out.heading(tr("Tags"));
        out.paragraph(e.tags.join(QLatin1String(", ")));
    }
    if (e.documentId != 0) {
        out.heading(tr("Source document"));
        auto documents = reader.documents({e.documentId});
        if (documents && !documents->isEmpty()) {
            const DocumentView &d = documents->first();
            out.paragraph(d.title.isEmpty() ? tr("(untitled)") : d.title);
            QStringList facts;
            if (!d.authors.isEmpty())
                facts.append(d.authors.join(QLatin1String("; ")));
            if (d.year)
                facts.append(QString::number(*d.year));
            if (!d.venue.isEmpty())
                facts.append(d.venue);
            if (!facts.isEmpty())
                out.muted(facts.join(QLatin1String(" · ")));
            for (const QString &link : {d.doi.isEmpty() ? QString() : QStringLiteral("https://doi.org/") + d.doi,
                     d.arxivId.isEmpty() ? QString() : QStringLiteral("arXiv:") + d.arxivId, d.url}) {
                if (!link.isEmpty())
                    out.paragraph(link);
            }
        }
    }
    if (!e.notes.isEmpty()) {
        out.heading(tr("Notes"));
        out.paragraph(e.notes);
    }
    m_view->moveCursor(QTextCursor::Start);
}

} // namespace Atlas

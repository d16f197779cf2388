// DocumentsView offscreen: the debounced search, a document's fields as plain text, its BibTeX
// (from the real writer, through the view's BibTeX source) highlighted with a theme that follows
// the palette, the entries citing it, whose activation names the entry, and merging two selected
// documents as one undoable step.
#include "bibtexexporter.h"
#include "documentsview.h"
#include "documenttablemodel.h"
#include "importwriter.h"
#include "library.h"
#include "libraryreader.h"
#include "sql.h"

#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>

#include <QAction>
#include <QApplication>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <QUndoStack>

#include <functional>

using namespace Qt::StringLiterals;
using namespace Atlas;

namespace
{

qint64 idOf(const Library &library, const QString &sql, const QString &name)
{
    auto value = Sql::scalar(library.database(), sql, {name});
    return value ? value.value().toLongLong() : 0;
}

// What the main window gives the view: the library's BibTeX writer on one document.
DocumentsView::BibtexSource bibtexSource(const Library *library)
{
    return [library](qint64 documentId) {
        auto text = BibtexExporter::documents(library->database(), {documentId});
        return text ? text.value() : QString();
    };
}

// Every row of the tables a merge touches, each value with its type.
QStringList snapshot(const Library &library)
{
    QStringList rows;
    for (const QString &table : {u"document"_s, u"entry"_s, u"entry_document"_s, u"document_tag"_s, u"document_classification"_s}) {
        auto q = Sql::exec(library.database(), u"SELECT * FROM %1 ORDER BY 1, 2"_s.arg(table));
        if (!q)
            return {q.error()};
        while (q.value().next()) {
            QStringList values;
            for (int i = 0; i < q.value().record().count(); ++i) {
                const QVariant v = q.value().value(i);
                values.append(v.isNull() ? u"NULL"_s : QString::fromLatin1(v.typeName()) + u':' + v.toString());
            }
            rows.append(table + u": "_s + values.join(u" | "_s));
        }
    }
    return rows;
}

// Answers the message box the next modal loop shows: `inspect` sees it, then the button whose text
// starts with `button` is clicked (Cancel when none does).
void answerMessageBox(const QString &button, std::function<void(QMessageBox *)> inspect = {})
{
    QTimer::singleShot(0, [button, inspect] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QVERIFY(box);
        if (inspect)
            inspect(box);
        for (QAbstractButton *candidate : box->buttons()) {
            if (candidate->text().startsWith(button)) {
                candidate->click();
                return;
            }
        }
        box->button(QMessageBox::Cancel)->click();
    });
}

} // namespace

class DocumentsViewTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    Library m_library;
    std::unique_ptr<DocumentsView> m_view;

    qint64 documentId(const QString &title) { return idOf(m_library, u"SELECT id FROM document WHERE title = ?"_s, title); }
    qint64 entryId(const QString &name) { return idOf(m_library, u"SELECT id FROM entry WHERE name = ?"_s, name); }

    void selectDocuments(const QList<qint64> &ids)
    {
        QItemSelectionModel *selection = m_view->table()->selectionModel();
        selection->clearSelection();
        for (qint64 id : ids) {
            const int row = m_view->model()->rowOf(id);
            QVERIFY(row >= 0);
            selection->select(m_view->model()->index(row, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_dir.isValid(), qPrintable(m_dir.errorString()));
        auto opened = m_library.open(m_dir.filePath(u"documents.sqlite"_s));
        QVERIFY2(opened.ok(), qPrintable(opened.error()));
        ParseResult parsed;
        DocumentRecord red;
        red.key = u"red"_s;
        red.kind = u"paper-conference"_s;
        red.title = u"Red Teaming Language Models with Language Models"_s;
        red.authors = {u"Perez, Ethan"_s, u"Huang, Saffron"_s};
        red.year = 2022;
        red.venue = u"EMNLP"_s;
        red.doi = u"10.18653/v1/2022.emnlp-main.225"_s;
        DocumentRecord markup;
        markup.key = u"markup"_s;
        markup.title = u"<b>x</b>"_s;
        markup.abstract = u"An abstract with <i>markup</i> & an ampersand."_s;
        markup.year = 2023;
        DocumentRecord constitution;
        constitution.key = u"constitution"_s;
        constitution.title = u"Constitutional AI: Harmlessness from AI Feedback"_s;
        constitution.authors = {u"Bai, Yuntao"_s};
        constitution.year = 2022;
        constitution.arxivId = u"2212.08073"_s;
        parsed.records.documents = {red, markup, constitution};
        EntryRecord scale;
        scale.name = u"Red teaming at scale"_s;
        scale.documentKey = u"red"_s;
        EntryRecord feedback;
        feedback.name = u"AI feedback for harmlessness"_s;
        feedback.documentKey = u"constitution"_s;
        feedback.relatedDocuments = {{u"red"_s, u"cites"_s}};
        parsed.records.entries = {scale, feedback};
        ImportOptions options;
        options.file = u"made"_s;
        options.format = u"test"_s;
        auto summary = ImportWriter(m_library).apply(parsed, options);
        QVERIFY2(summary.ok(), qPrintable(summary.error()));
        QCOMPARE(summary->documents.added, 3);
        QCOMPARE(summary->entries.added, 2);
    }

    void init()
    {
        m_view = std::make_unique<DocumentsView>(&m_library);
        m_view->setBibtexSource(bibtexSource(&m_library));
        m_view->resize(1100, 700);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    }

    void cleanup() { m_view.reset(); }

    void searchNarrowsAfterThePause()
    {
        QCOMPARE(m_view->model()->totalCount(), 3);
        QTest::keyClicks(m_view->searchField(), u"constitu"_s);
        QCOMPARE(m_view->searchField()->text(), u"constitu"_s);
        QCOMPARE(m_view->model()->totalCount(), 3); // not one query per key
        QTRY_COMPARE(m_view->model()->filter().text, u"constitu"_s);
        QVERIFY2(m_view->model()->errorString().isEmpty(), qPrintable(m_view->model()->errorString()));
        QCOMPARE(m_view->table()->model()->rowCount(), 1);
        QCOMPARE(m_view->model()->documentId(0), documentId(u"Constitutional AI: Harmlessness from AI Feedback"_s));
        // Authors are searched too; clearing brings everything back.
        m_view->searchField()->clear();
        QTest::keyClicks(m_view->searchField(), u"perez"_s);
        QTRY_COMPARE(m_view->model()->filter().text, u"perez"_s);
        QCOMPARE(m_view->model()->totalCount(), 1);
        QCOMPARE(m_view->model()->documentId(0), documentId(u"Red Teaming Language Models with Language Models"_s));
        m_view->searchField()->clear();
        QTRY_COMPARE(m_view->model()->totalCount(), 3);
    }

    void selectingARowShowsItsBibtex()
    {
        const qint64 red = documentId(u"Red Teaming Language Models with Language Models"_s);
        const int row = m_view->model()->rowOf(red);
        QVERIFY(row >= 0);
        m_view->table()->setFocus();
        m_view->table()->selectRow(row);
        QTRY_COMPARE(m_view->documentId(), red);
        const QString bibtex = m_view->bibtexView()->toPlainText();
        QVERIFY2(bibtex.startsWith(u"@inproceedings{"_s), qPrintable(bibtex));
        QVERIFY(bibtex.contains(u"Red Teaming Language Models"_s));
        QVERIFY(bibtex.contains(u"Perez, Ethan and Huang, Saffron"_s));
        QVERIFY(m_view->bibtexView()->isReadOnly());
        const QString fields = m_view->detailText();
        QVERIFY2(fields.contains(u"Perez, Ethan; Huang, Saffron"_s), qPrintable(fields));
        QVERIFY(fields.contains(u"EMNLP"_s));
        QVERIFY(fields.contains(u"10.18653/v1/2022.emnlp-main.225"_s));

        // Highlighted with the BibTeX definition, in colours that can be seen (a highlighter
        // given its definition before its theme paints everything transparent).
        auto *highlighter = m_view->bibtexView()->document()->findChild<KSyntaxHighlighting::SyntaxHighlighter *>();
        QVERIFY(highlighter);
        QCOMPARE(highlighter->definition().name(), u"BibTeX"_s);
        QVERIFY(highlighter->theme().isValid());
        const QTextBlock first = m_view->bibtexView()->document()->firstBlock();
        QTRY_VERIFY(!first.layout()->formats().isEmpty());
        for (const QTextLayout::FormatRange &range : first.layout()->formats()) {
            if (range.format.hasProperty(QTextFormat::ForegroundBrush))
                QVERIFY(range.format.foreground().color().alpha() > 0);
        }
    }

    void themeFollowsThePalette()
    {
        auto *highlighter = m_view->bibtexView()->document()->findChild<KSyntaxHighlighting::SyntaxHighlighter *>();
        QVERIFY(highlighter);
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x23, 0x26, 0x29));
        dark.setColor(QPalette::Base, QColor(0x1b, 0x1e, 0x20));
        dark.setColor(QPalette::Text, QColor(0xfc, 0xfc, 0xfc));
        dark.setColor(QPalette::WindowText, QColor(0xfc, 0xfc, 0xfc));
        m_view->setPalette(dark);
        QTRY_VERIFY(QColor::fromRgba(highlighter->theme().editorColor(KSyntaxHighlighting::Theme::BackgroundColor)).lightness() < 128);
        QPalette light;
        light.setColor(QPalette::Window, QColor(0xef, 0xf0, 0xf1));
        light.setColor(QPalette::Base, Qt::white);
        light.setColor(QPalette::Text, Qt::black);
        light.setColor(QPalette::WindowText, Qt::black);
        m_view->setPalette(light);
        QTRY_VERIFY(QColor::fromRgba(highlighter->theme().editorColor(KSyntaxHighlighting::Theme::BackgroundColor)).lightness() >= 128);
    }

    void markupInATitleShowsLiterally()
    {
        const qint64 markup = documentId(u"<b>x</b>"_s);
        QVERIFY(markup > 0);
        m_view->showDocument(markup);
        QCOMPARE(m_view->documentId(), markup);
        QCOMPARE(m_view->table()->currentIndex().row(), m_view->model()->rowOf(markup)); // its row is selected
        QCOMPARE(m_view->table()->currentIndex().siblingAtColumn(DocumentTableModel::TitleColumn).data().toString(), u"<b>x</b>"_s);
        const QString fields = m_view->detailText();
        QVERIFY2(fields.startsWith(u"<b>x</b>"_s), qPrintable(fields));
        QVERIFY(fields.contains(u"An abstract with <i>markup</i> & an ampersand."_s));
        QVERIFY(m_view->entryList()->topLevelItemCount() == 0);
    }

    void doubleClickingACitingEntryActivatesIt()
    {
        m_view->showDocument(documentId(u"Red Teaming Language Models with Language Models"_s));
        QTreeWidget *list = m_view->entryList();
        QCOMPARE(list->topLevelItemCount(), 2);
        // By name: the citing entry, then the one whose source it is.
        QCOMPARE(list->topLevelItem(0)->text(0), u"AI feedback for harmlessness"_s);
        QCOMPARE(list->topLevelItem(0)->text(1), u"cites"_s);
        QCOMPARE(list->topLevelItem(1)->text(0), u"Red teaming at scale"_s);
        QCOMPARE(list->topLevelItem(1)->text(1), u"source document"_s);
        QSignalSpy activated(m_view.get(), &DocumentsView::entryActivated);
        const QRect rect = list->visualItemRect(list->topLevelItem(0));
        QVERIFY(rect.isValid());
        // QTest::mouseDClick on a widget sends only the double-click event; a real one follows a click.
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(activated.count(), 0);
        QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.first().first().toLongLong(), entryId(u"AI feedback for harmlessness"_s));
        // The keyboard too.
        list->setFocus();
        list->setCurrentItem(list->topLevelItem(1));
        QTest::keyClick(list, Qt::Key_Return);
        QCOMPARE(activated.count(), 2);
        QCOMPARE(activated.last().first().toLongLong(), entryId(u"Red teaming at scale"_s));
    }

    void mergeTwoSelectedDocumentsAndUndo()
    {
        QUndoStack stack;
        m_view->setUndoStack(&stack);
        const qint64 red = documentId(u"Red Teaming Language Models with Language Models"_s);
        const qint64 constitution = documentId(u"Constitutional AI: Harmlessness from AI Feedback"_s);
        const qint64 feedback = entryId(u"AI feedback for harmlessness"_s);
        QVERIFY(!m_view->mergeAction()->isEnabled());
        selectDocuments({red});
        QVERIFY(!m_view->mergeAction()->isEnabled());
        selectDocuments({red, constitution});
        QCOMPARE(m_view->selectedDocuments().size(), 2);
        QVERIFY(m_view->mergeAction()->isEnabled());
        QVERIFY(m_view->mergeButton()->isEnabled());
        QVERIFY(m_view->table()->actions().contains(m_view->mergeAction())); // the context menu
        const QStringList before = snapshot(m_library);

        // The box names both; keeping the red-teaming paper merges the other into it.
        QStringList offered;
        answerMessageBox(u"Keep “Red Teaming"_s, [&offered](QMessageBox *box) {
            QCOMPARE(box->textFormat(), Qt::PlainText);
            QVERIFY(box->text().contains(u"Constitutional AI: Harmlessness from AI Feedback (2022)"_s));
            for (QAbstractButton *button : box->buttons())
                offered.append(button->text());
        });
        m_view->mergeButton()->click();
        QVERIFY2(offered.contains(u"Keep “Constitutional AI: Harmlessness from AI…”"_s), qPrintable(offered.join(u", "_s)));
        QCOMPARE(stack.count(), 1);
        QCOMPARE(stack.text(0), u"Merge “Constitutional AI: Harmlessness from AI Feedback” into “Red Teaming Language Models with Language Models”"_s);
        QCOMPARE(m_view->model()->totalCount(), 2);
        QCOMPARE(m_view->model()->rowOf(constitution), -1);
        QCOMPARE(idOf(m_library, u"SELECT document_id FROM entry WHERE name = ?"_s, u"AI feedback for harmlessness"_s), red);
        QCOMPARE(m_view->documentId(), red);
        QVERIFY2(m_view->detailText().contains(u"2212.08073"_s), qPrintable(m_view->detailText())); // the arXiv id it lacked
        QCOMPARE(m_view->entryList()->topLevelItemCount(), 2);
        QVERIFY(!m_view->mergeAction()->isEnabled());

        stack.undo();
        QCOMPARE(snapshot(m_library), before);
        QCOMPARE(m_view->model()->totalCount(), 3);
        QVERIFY(m_view->model()->rowOf(constitution) >= 0);
        QCOMPARE(Sql::scalar(m_library.database(), u"SELECT document_id FROM entry WHERE id = ?"_s, {feedback}).value().toLongLong(), constitution);
        QVERIFY(!m_view->detailText().contains(u"2212.08073"_s));
        stack.redo();
        QCOMPARE(m_view->model()->totalCount(), 2);
        stack.undo();
        QCOMPARE(snapshot(m_library), before);
    }

    void cancellingAMergeChangesNothing()
    {
        QUndoStack stack;
        m_view->setUndoStack(&stack);
        const qint64 markup = documentId(u"<b>x</b>"_s);
        selectDocuments({documentId(u"Constitutional AI: Harmlessness from AI Feedback"_s), markup});
        const QStringList before = snapshot(m_library);
        QStringList offered;
        answerMessageBox(u"Cancel"_s, [&offered](QMessageBox *box) {
            for (QAbstractButton *button : box->buttons())
                offered.append(button->text());
        });
        m_view->mergeAction()->trigger();
        QVERIFY2(offered.contains(u"Keep “<b>x</b>”"_s), qPrintable(offered.join(u", "_s))); // literally
        QCOMPARE(stack.count(), 0);
        QCOMPARE(snapshot(m_library), before);
    }

    void mergeWithoutAStackAppliesDirectly()
    {
        // A third document, so the shared library is as it was afterwards.
        const qint64 keep = documentId(u"<b>x</b>"_s);
        auto added = Sql::exec(m_library.database(), u"INSERT INTO document(title, venue) VALUES ('A & B', 'ICML')"_s);
        QVERIFY(added.ok());
        const qint64 merged = added.value().lastInsertId().toLongLong();
        m_library.notifyChanged();
        m_view->setUndoStack(nullptr);
        m_view->mergeDocuments(keep, merged);
        QCOMPARE(m_view->model()->rowOf(merged), -1);
        QCOMPARE(m_view->documentId(), keep);
        QVERIFY(m_view->detailText().contains(u"ICML"_s));
        QVERIFY(Sql::exec(m_library.database(), u"UPDATE document SET venue = NULL WHERE id = ?"_s, {keep}).ok());
        m_library.notifyChanged();
    }

    void followsLibraryChanges()
    {
        const qint64 constitution = documentId(u"Constitutional AI: Harmlessness from AI Feedback"_s);
        m_view->showDocument(constitution);
        QCOMPARE(m_view->entryList()->topLevelItemCount(), 1);
        const qint64 scale = entryId(u"Red teaming at scale"_s);
        QVERIFY(
            Sql::exec(m_library.database(), u"INSERT INTO entry_document(entry_id, document_id, relation) VALUES (?, ?, 'related')"_s, {scale, constitution})
                .ok());
        m_library.notifyChanged();
        QCOMPARE(m_view->entryList()->topLevelItemCount(), 2);
        QCOMPARE(m_view->model()->data(m_view->model()->index(m_view->model()->rowOf(constitution), DocumentTableModel::EntriesColumn)).toInt(), 2);
        QCOMPARE(m_view->documentId(), constitution); // still shown and selected after the reload
        QCOMPARE(m_view->table()->currentIndex().row(), m_view->model()->rowOf(constitution));
        QVERIFY(Sql::exec(m_library.database(), u"DELETE FROM entry_document WHERE entry_id = ? AND document_id = ?"_s, {scale, constitution}).ok());
        m_library.notifyChanged();
    }
};

QTEST_MAIN(DocumentsViewTest)
#include "documentsview_test.moc"

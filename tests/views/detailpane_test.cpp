// The entry detail pane as an editor (offscreen): tags through the line edit, classifications with
// their provenance, the name, the text and reasoning and the Markdown notes, each edit one command
// on the undo stack; imported text shown literally, never as HTML.
#include "../model/testlibrary.h"
#include "editcommands.h"
#include "entrydetailpane.h"

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>

#include <QComboBox>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextEdit>
#include <QToolButton>
#include <QUndoStack>

using namespace Qt::StringLiterals;
using namespace Atlas;
using AtlasTest::exec;
using AtlasTest::scalar;

namespace
{

// The entry's classification rows, every column, as text.
QStringList classificationRows(const Library &library, qint64 entryId)
{
    QStringList rows;
    QSqlQuery q = exec(library,
        u"SELECT id, node_id, assigned_by_kind, assigned_by, assigned_at, evidence, confidence, origin_batch_id "
        "FROM classification WHERE entry_id = ? ORDER BY id"_s,
        {entryId});
    while (q.next()) {
        QStringList values;
        for (int i = 0; i < 8; ++i)
            values.append(q.value(i).isNull() ? u"NULL"_s : q.value(i).toString());
        rows.append(values.join(u" | "_s));
    }
    return rows;
}

QStringList tagsOf(const Library &library, qint64 entryId)
{
    QStringList names;
    QSqlQuery q = exec(library, u"SELECT t.name FROM entry_tag x JOIN tag t ON t.id = x.tag_id WHERE x.entry_id = ? ORDER BY t.name"_s, {entryId});
    while (q.next())
        names.append(q.value(0).toString());
    return names;
}

QStringList itemTexts(const QListWidget *list)
{
    QStringList texts;
    for (int i = 0; i < list->count(); ++i)
        texts.append(list->item(i)->text());
    return texts;
}

qint64 node(const Library &library, const QString &scheme, const QString &code)
{
    return scalar(library, u"SELECT n.id FROM taxonomy_node n JOIN scheme s ON s.id = n.scheme_id WHERE s.key = ? AND n.code = ?"_s, {scheme, code})
        .toLongLong();
}

} // namespace

class DetailPaneTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Library> m_library;
    QUndoStack m_stack;
    std::unique_ptr<EntryDetailPane> m_pane;
    int m_count = 0;

    void makePane()
    {
        m_pane = std::make_unique<EntryDetailPane>(m_library.get());
        m_pane->setUndoStack(&m_stack);
        m_pane->setCuratorName(u"Ada Lovelace"_s);
        m_pane->resize(500, 900);
        m_pane->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
    }

    // Shows an entry and lets the layout settle, as the event loop would before a user clicks.
    void showEntry(qint64 id)
    {
        m_pane->showEntry(id);
        QCoreApplication::processEvents();
    }

private Q_SLOTS:
    void init()
    {
        m_library = std::make_unique<Library>();
        QVERIFY(m_library->open(m_dir.filePath(u"lib%1.sqlite"_s.arg(++m_count))).ok());
        makePane();
    }

    void cleanup()
    {
        m_pane.reset();
        m_stack.clear();
        m_library.reset();
    }

    void addTagThroughFieldUndoRedo()
    {
        const qint64 id = AtlasTest::addEntry(*m_library, u"Red teaming"_s);
        showEntry(id);
        QTest::keyClicks(m_pane->tagField(), u"Priority > High"_s);
        QTest::keyClick(m_pane->tagField(), Qt::Key_Return);
        QCOMPARE(tagsOf(*m_library, id), QStringList {u"High"_s});
        QCOMPARE(scalar(*m_library, u"SELECT count(*) FROM tag"_s).toInt(), 2);
        QCOMPARE(m_stack.count(), 1);
        QCOMPARE(m_stack.text(0), u"Tag “Red teaming” with “Priority > High”"_s);
        QVERIFY(m_pane->tagField()->text().isEmpty());
        QCOMPARE(itemTexts(m_pane->tagList()), QStringList {u"Priority > High"_s});

        m_stack.undo();
        QCOMPARE(tagsOf(*m_library, id), QStringList());
        QCOMPARE(scalar(*m_library, u"SELECT count(*) FROM tag"_s).toInt(), 0); // the tags it made went too
        QCOMPARE(m_pane->tagList()->count(), 0);
        m_stack.redo();
        QCOMPARE(tagsOf(*m_library, id), QStringList {u"High"_s});
        QCOMPARE(itemTexts(m_pane->tagList()), QStringList {u"Priority > High"_s});

        // The same tag again changes nothing and leaves no step on the stack.
        QTest::keyClicks(m_pane->tagField(), u"priority > high"_s);
        QTest::keyClick(m_pane->tagField(), Qt::Key_Enter);
        QCOMPARE(m_stack.count(), 1);

        // Removing it from the list is one more step.
        m_pane->tagList()->setCurrentRow(0);
        QTest::keyClick(m_pane->tagList(), Qt::Key_Delete);
        QCOMPARE(tagsOf(*m_library, id), QStringList());
        QCOMPARE(m_stack.count(), 2);
        m_stack.undo();
        QCOMPARE(tagsOf(*m_library, id), QStringList {u"High"_s});
    }

    void tagSelectedEntries()
    {
        const qint64 a = AtlasTest::addEntry(*m_library, u"A"_s);
        const qint64 b = AtlasTest::addEntry(*m_library, u"B"_s);
        const qint64 c = AtlasTest::addEntry(*m_library, u"C"_s);
        showEntry(b);
        m_pane->setSelectedEntries({a, b, c});
        QTest::keyClicks(m_pane->tagField(), u"Reviewed"_s);
        QTest::keyClick(m_pane->tagField(), Qt::Key_Return);
        QCOMPARE(scalar(*m_library, u"SELECT count(*) FROM entry_tag"_s).toInt(), 3);
        QCOMPARE(m_stack.count(), 1);
        QCOMPARE(m_stack.text(0), u"Tag 3 entries “Reviewed”"_s);
        m_stack.undo();
        QCOMPARE(scalar(*m_library, u"SELECT count(*) FROM entry_tag"_s).toInt(), 0);
        m_stack.redo();
        QCOMPARE(scalar(*m_library, u"SELECT count(*) FROM entry_tag"_s).toInt(), 3);

        // A selection without the entry shown does not count: only the entry shown is untagged.
        m_pane->setSelectedEntries({a, c});
        m_pane->tagList()->setCurrentRow(0);
        QTest::keyClick(m_pane->tagList(), Qt::Key_Delete);
        QCOMPARE(tagsOf(*m_library, b), QStringList());
        QCOMPARE(tagsOf(*m_library, a), QStringList {u"Reviewed"_s});
    }

    void removeClassificationAndUndoRestoresProvenance()
    {
        const qint64 id = AtlasTest::addEntry(*m_library, u"Red teaming"_s);
        const qint64 batch = exec(*m_library, u"INSERT INTO import_batch(file, format, started_at) VALUES ('000.txt', 'survey-page', '2024-01-02T03:04:05Z')"_s)
                                 .lastInsertId()
                                 .toLongLong();
        exec(*m_library,
            u"INSERT INTO classification(entry_id, node_id, assigned_by_kind, assigned_by, assigned_at, evidence, confidence, origin_batch_id) "
            "VALUES (?, ?, 'import', 'survey-page', '2024-01-02T03:04:05Z', 'Red teaming is 2.2.2 on the page', 0.9, ?)"_s,
            {id, node(*m_library, u"mit-mitigation-v2"_s, u"2.2.2"_s), batch});
        const QStringList before = classificationRows(*m_library, id);
        QCOMPARE(before.size(), 1);
        showEntry(id);
        QCOMPARE(m_pane->classificationList()->count(), 1);
        const QString shown = m_pane->classificationList()->item(0)->text();
        QVERIFY2(shown.contains(u"2.2.2 Testing & Evaluation"_s), qPrintable(shown));
        QVERIFY2(shown.contains(u"by survey-page (import)"_s), qPrintable(shown));
        QVERIFY2(shown.contains(u"evidence: Red teaming is 2.2.2 on the page"_s), qPrintable(shown));
        QVERIFY2(shown.contains(QLocale().toString(0.9, 'f', 2)), qPrintable(shown));
        QVERIFY(m_pane->plainText().contains(u"2.2.2 Testing & Evaluation"_s));

        QVERIFY(!m_pane->removeClassificationButton()->isEnabled());
        m_pane->classificationList()->setCurrentRow(0);
        QVERIFY(m_pane->removeClassificationButton()->isEnabled());
        QTest::mouseClick(m_pane->removeClassificationButton(), Qt::LeftButton);
        QCOMPARE(classificationRows(*m_library, id), QStringList());
        QCOMPARE(m_stack.count(), 1);
        QCOMPARE(m_stack.text(0), u"Remove classification 2.2.2 from “Red teaming”"_s);
        QVERIFY(!m_pane->plainText().contains(u"Testing & Evaluation"_s));

        m_stack.undo();
        QCOMPARE(classificationRows(*m_library, id), before); // the same row: id, provenance, batch
        QVERIFY(m_pane->classificationList()->item(0)->text().contains(u"by survey-page (import)"_s));
        m_stack.redo();
        QCOMPARE(classificationRows(*m_library, id), QStringList());
        m_stack.undo();
        QCOMPARE(classificationRows(*m_library, id), before);

        // The Delete key does the same.
        m_pane->classificationList()->setCurrentRow(0);
        QTest::keyClick(m_pane->classificationList(), Qt::Key_Delete);
        QCOMPARE(classificationRows(*m_library, id), QStringList());
        m_stack.undo();
        QCOMPARE(classificationRows(*m_library, id), before);
    }

    void addClassificationThroughNodeBox()
    {
        const qint64 id = AtlasTest::addEntry(*m_library, u"Red teaming"_s);
        showEntry(id);
        QCOMPARE(m_pane->schemeBox()->currentText(), scalar(*m_library, u"SELECT name FROM scheme WHERE key = 'mit-mitigation-v2'"_s).toString());
        QVERIFY(m_pane->nodeBox()->count() > 40);
        QTest::keyClicks(m_pane->nodeBox()->lineEdit(), u"2.2.2 testing & evaluation"_s);
        QTest::keyClick(m_pane->nodeBox()->lineEdit(), Qt::Key_Escape); // closes the completion popup
        QTest::keyClicks(m_pane->evidenceField(), u"Section 4 <b>red teams</b>"_s);
        QTest::mouseClick(m_pane->addClassificationButton(), Qt::LeftButton);

        QSqlQuery q = exec(*m_library, u"SELECT assigned_by_kind, assigned_by, evidence, confidence FROM classification WHERE entry_id = ?"_s, {id});
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), u"curator"_s);
        QCOMPARE(q.value(1).toString(), u"Ada Lovelace"_s);
        QCOMPARE(q.value(2).toString(), u"Section 4 <b>red teams</b>"_s);
        QVERIFY(q.value(3).isNull());
        QCOMPARE(m_stack.count(), 1);
        QCOMPARE(m_stack.text(0), u"Classify “Red teaming” as 2.2.2"_s);
        QListWidgetItem *item = m_pane->classificationList()->item(0);
        QVERIFY2(item->text().contains(u"by Ada Lovelace (curator)"_s), qPrintable(item->text()));
        QVERIFY(item->text().contains(u"Section 4 <b>red teams</b>"_s));
        QVERIFY2(item->toolTip().contains(u"&lt;b&gt;red teams&lt;/b&gt;"_s), qPrintable(item->toolTip())); // escaped, never bold

        // A partial name is enough when only one node has it.
        m_pane->schemeBox()->setCurrentIndex(
            m_pane->schemeBox()->findText(scalar(*m_library, u"SELECT name FROM scheme WHERE key = 'lifecycle'"_s).toString()));
        const QString stage
            = scalar(*m_library, u"SELECT n.name FROM taxonomy_node n JOIN scheme s ON s.id = n.scheme_id WHERE s.key = 'lifecycle' ORDER BY n.id LIMIT 1"_s)
                  .toString();
        QTest::keyClicks(m_pane->nodeBox()->lineEdit(), stage);
        QTest::keyClick(m_pane->nodeBox()->lineEdit(), Qt::Key_Return);
        QCOMPARE(classificationRows(*m_library, id).size(), 2);
        QCOMPARE(m_stack.count(), 2);
        m_stack.undo();
        m_stack.undo();
        QCOMPARE(classificationRows(*m_library, id), QStringList());
        QCOMPARE(m_pane->classificationList()->count(), 1); // "none yet"
        QCOMPARE(m_pane->classificationList()->item(0)->flags(), Qt::NoItemFlags);
    }

    void markupIsShownLiterally()
    {
        const qint64 id = AtlasTest::addEntry(*m_library, u"<b>x</b>"_s, u"<i>text</i> & <script>alert(1)</script>"_s);
        exec(*m_library, u"UPDATE entry SET reasoning = '<h1>why</h1>', notes = '**bold** <u>u</u>' WHERE id = ?"_s, {id});
        AtlasTest::classify(*m_library, id, node(*m_library, u"mit-mitigation-v2"_s, u"2.2.2"_s));
        exec(*m_library, u"UPDATE classification SET evidence = '<img src=x>' WHERE entry_id = ?"_s, {id});
        const qint64 tag = exec(*m_library, u"INSERT INTO tag(name) VALUES ('<em>t')"_s).lastInsertId().toLongLong();
        exec(*m_library, u"INSERT INTO entry_tag(entry_id, tag_id) VALUES (?, ?)"_s, {id, tag});
        showEntry(id);
        const QString shown = m_pane->plainText();
        QCOMPARE(m_pane->nameField()->text(), u"<b>x</b>"_s);
        for (const QString &literal :
            {u"<b>x</b>"_s, u"<i>text</i> & <script>alert(1)</script>"_s, u"<h1>why</h1>"_s, u"**bold** <u>u</u>"_s, u"evidence: <img src=x>"_s, u"<em>t"_s})
            QVERIFY2(shown.contains(literal), qPrintable(literal + u" not in:\n"_s + shown));
        QCOMPARE(m_pane->notesEditor()->toPlainText(), u"**bold** <u>u</u>"_s);

        m_pane->showEntry(0);
        QVERIFY(m_pane->plainText().isEmpty());
    }

    void editNameIsOneUndoableStep()
    {
        const qint64 id = AtlasTest::addEntry(*m_library, u"Red teeming"_s);
        showEntry(id);
        m_pane->nameField()->setFocus();
        m_pane->nameField()->selectAll();
        QTest::keyClicks(m_pane->nameField(), u"Red teaming"_s);
        QTest::keyClick(m_pane->nameField(), Qt::Key_Return);
        QCOMPARE(scalar(*m_library, u"SELECT name FROM entry WHERE id = ?"_s, {id}).toString(), u"Red teaming"_s);
        QCOMPARE(scalar(*m_library, u"SELECT edited_fields FROM entry WHERE id = ?"_s, {id}).toString(), u"[\"name\"]"_s);
        QCOMPARE(m_stack.count(), 1);
        QCOMPARE(m_stack.text(0), u"Edit name"_s);
        m_stack.undo();
        QCOMPARE(scalar(*m_library, u"SELECT name FROM entry WHERE id = ?"_s, {id}).toString(), u"Red teeming"_s);
        QCOMPARE(scalar(*m_library, u"SELECT edited_fields FROM entry WHERE id = ?"_s, {id}).toString(), u"[]"_s);
        QCOMPARE(m_pane->nameField()->text(), u"Red teeming"_s);

        // A blank name is not taken.
        m_pane->nameField()->selectAll();
        QTest::keyClick(m_pane->nameField(), Qt::Key_Delete);
        QTest::keyClick(m_pane->nameField(), Qt::Key_Return);
        QCOMPARE(scalar(*m_library, u"SELECT name FROM entry WHERE id = ?"_s, {id}).toString(), u"Red teeming"_s);
        QCOMPARE(m_pane->nameField()->text(), u"Red teeming"_s);

        // A name typed but not yet entered goes to its entry when another one is shown.
        const qint64 other = AtlasTest::addEntry(*m_library, u"Data filtering"_s);
        QTest::keyClick(m_pane->nameField(), Qt::Key_End);
        QTest::keyClicks(m_pane->nameField(), u" at scale"_s);
        showEntry(other);
        QCOMPARE(scalar(*m_library, u"SELECT name FROM entry WHERE id = ?"_s, {id}).toString(), u"Red teeming at scale"_s);
        QCOMPARE(scalar(*m_library, u"SELECT name FROM entry WHERE id = ?"_s, {other}).toString(), u"Data filtering"_s);
        QCOMPARE(m_pane->nameField()->text(), u"Data filtering"_s);
        QCOMPARE(m_stack.count(), 1); // the undone rename made way for this one
        QCOMPARE(m_stack.index(), 1);
        m_stack.undo();
        QCOMPARE(scalar(*m_library, u"SELECT name FROM entry WHERE id = ?"_s, {id}).toString(), u"Red teeming"_s);
    }

    void editTextIsOneUndoableStep()
    {
        const qint64 id = AtlasTest::addEntry(*m_library, u"Red teaming"_s, u"<i>Old</i> text & more"_s);
        showEntry(id);
        QVERIFY(!m_pane->isTextEditing());
        QVERIFY(!m_pane->textEditor()->isVisible());
        QVERIFY(m_pane->editTextButton()->isVisible());

        // A double-click on the text edits it, as plain text.
        const QTextCursor shown = m_pane->detailView()->document()->find(u"<i>Old</i> text & more"_s);
        QVERIFY(!shown.isNull());
        QTest::mouseDClick(m_pane->detailView()->viewport(), Qt::LeftButton, {}, m_pane->detailView()->cursorRect(shown).center());
        QVERIFY(m_pane->isTextEditing());
        QVERIFY(m_pane->editTextButton()->isChecked());
        QVERIFY(m_pane->textEditor()->isVisible());
        QVERIFY(m_pane->reasoningEditor()->isVisible());
        QCOMPARE(m_pane->textEditor()->toPlainText(), u"<i>Old</i> text & more"_s);
        QVERIFY(!m_pane->detailView()->toPlainText().contains(u"Old"_s)); // in the editor only

        m_pane->textEditor()->selectAll();
        QTest::keyClicks(m_pane->textEditor(), u"New <b>text</b>"_s);
        QCOMPARE(m_stack.count(), 0); // not per keystroke
        QTest::keyClick(m_pane->textEditor(), Qt::Key_Return, Qt::ControlModifier);
        QCOMPARE(scalar(*m_library, u"SELECT text FROM entry WHERE id = ?"_s, {id}).toString(), u"New <b>text</b>"_s);
        QCOMPARE(scalar(*m_library, u"SELECT edited_fields FROM entry WHERE id = ?"_s, {id}).toString(), u"[\"text\"]"_s);
        QCOMPARE(m_stack.count(), 1);
        QCOMPARE(m_stack.text(0), u"Edit text"_s);
        QVERIFY(!m_pane->isTextEditing()); // Ctrl+Enter also ends editing
        QVERIFY(!m_pane->textEditor()->isVisible());
        QVERIFY2(m_pane->plainText().contains(u"New <b>text</b>"_s), qPrintable(m_pane->plainText())); // literally

        m_stack.undo();
        QCOMPARE(scalar(*m_library, u"SELECT text FROM entry WHERE id = ?"_s, {id}).toString(), u"<i>Old</i> text & more"_s);
        QCOMPARE(scalar(*m_library, u"SELECT edited_fields FROM entry WHERE id = ?"_s, {id}).toString(), u"[]"_s);
        QVERIFY(m_pane->plainText().contains(u"<i>Old</i> text & more"_s));
        QCOMPARE(m_pane->textEditor()->toPlainText(), u"<i>Old</i> text & more"_s);
        m_stack.redo();
        QCOMPARE(scalar(*m_library, u"SELECT text FROM entry WHERE id = ?"_s, {id}).toString(), u"New <b>text</b>"_s);
        m_stack.undo();
    }

    void escapeCancelsAndFocusOutSaves()
    {
        const qint64 id = AtlasTest::addEntry(*m_library, u"Red teaming"_s, u"Text"_s);
        showEntry(id);
        m_pane->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_pane.get()));

        // Escape drops what was typed.
        m_pane->editTextButton()->click();
        QVERIFY(m_pane->isTextEditing());
        QTRY_VERIFY(m_pane->textEditor()->hasFocus());
        m_pane->reasoningEditor()->setFocus();
        QTest::keyClicks(m_pane->reasoningEditor(), u"Because"_s);
        QTest::keyClick(m_pane->reasoningEditor(), Qt::Key_Escape);
        QVERIFY(!m_pane->isTextEditing());
        QCOMPARE(m_stack.count(), 0);
        QVERIFY(scalar(*m_library, u"SELECT reasoning IS NULL FROM entry WHERE id = ?"_s, {id}).toBool());
        QCOMPARE(m_pane->reasoningEditor()->toPlainText(), QString());

        // Leaving a field saves it, one step per field.
        m_pane->setTextEditing(true);
        m_pane->reasoningEditor()->setFocus();
        QTest::keyClicks(m_pane->reasoningEditor(), u"It finds failures."_s);
        m_pane->textEditor()->setFocus();
        QCOMPARE(scalar(*m_library, u"SELECT reasoning FROM entry WHERE id = ?"_s, {id}).toString(), u"It finds failures."_s);
        QCOMPARE(m_stack.count(), 1);
        QCOMPARE(m_stack.text(0), u"Edit reasoning"_s);
        QVERIFY(m_pane->isTextEditing());
        QTest::keyClick(m_pane->textEditor(), Qt::Key_End, Qt::ControlModifier);
        QTest::keyClicks(m_pane->textEditor(), u" at scale"_s);
        m_pane->editTextButton()->click(); // ends editing, saving what was typed
        QVERIFY(!m_pane->isTextEditing());
        QCOMPARE(scalar(*m_library, u"SELECT text FROM entry WHERE id = ?"_s, {id}).toString(), u"Text at scale"_s);
        QCOMPARE(m_stack.count(), 2);
        QCOMPARE(scalar(*m_library, u"SELECT edited_fields FROM entry WHERE id = ?"_s, {id}).toString(), u"[\"reasoning\",\"text\"]"_s);
        QVERIFY(m_pane->plainText().contains(u"It finds failures."_s));

        // A double-click on the reasoning edits the reasoning.
        const QTextCursor reasoning = m_pane->detailView()->document()->find(u"It finds failures."_s);
        QVERIFY(!reasoning.isNull());
        QTest::mouseDClick(m_pane->detailView()->viewport(), Qt::LeftButton, {}, m_pane->detailView()->cursorRect(reasoning).center());
        QVERIFY(m_pane->isTextEditing());
        QTRY_VERIFY(m_pane->reasoningEditor()->hasFocus());
        QTest::keyClick(m_pane->reasoningEditor(), Qt::Key_Escape);
        QVERIFY(!m_pane->isTextEditing());
        QCOMPARE(m_stack.count(), 2);

        // Text typed and not yet saved goes to its entry when another one is shown.
        const qint64 other = AtlasTest::addEntry(*m_library, u"Data filtering"_s);
        m_pane->setTextEditing(true);
        m_pane->textEditor()->setFocus();
        QTest::keyClick(m_pane->textEditor(), Qt::Key_End, Qt::ControlModifier);
        QTest::keyClicks(m_pane->textEditor(), u"!"_s);
        showEntry(other);
        QCOMPARE(scalar(*m_library, u"SELECT text FROM entry WHERE id = ?"_s, {id}).toString(), u"Text at scale!"_s);
        QVERIFY(scalar(*m_library, u"SELECT text IS NULL FROM entry WHERE id = ?"_s, {other}).toBool());
        QCOMPARE(m_pane->textEditor()->toPlainText(), QString());
        QCOMPARE(m_stack.count(), 3);
        m_stack.undo();
        m_stack.undo();
        m_stack.undo();
        QCOMPARE(scalar(*m_library, u"SELECT text FROM entry WHERE id = ?"_s, {id}).toString(), u"Text"_s);
        QVERIFY(scalar(*m_library, u"SELECT reasoning IS NULL FROM entry WHERE id = ?"_s, {id}).toBool());
    }

    void notesAreOneEditAfterAPause()
    {
        const qint64 id = AtlasTest::addEntry(*m_library, u"Red teaming"_s);
        const qint64 other = AtlasTest::addEntry(*m_library, u"Data filtering"_s);
        showEntry(id);
        QTest::keyClicks(m_pane->notesEditor(), u"# Check"_s);
        QTest::keyClick(m_pane->notesEditor(), Qt::Key_Return);
        QTest::keyClick(m_pane->notesEditor(), Qt::Key_Return);
        QTest::keyClicks(m_pane->notesEditor(), u"- the *source*"_s);
        QCOMPARE(m_stack.count(), 0); // not per keystroke
        QTRY_COMPARE(m_stack.count(), 1);
        QCOMPARE(m_stack.text(0), u"Edit notes"_s);
        QCOMPARE(scalar(*m_library, u"SELECT notes FROM entry WHERE id = ?"_s, {id}).toString(), u"# Check\n\n- the *source*"_s);
        QCOMPARE(scalar(*m_library, u"SELECT edited_fields FROM entry WHERE id = ?"_s, {id}).toString(), u"[\"notes\"]"_s);
        m_stack.undo();
        QVERIFY(scalar(*m_library, u"SELECT notes IS NULL FROM entry WHERE id = ?"_s, {id}).toBool());
        QCOMPARE(m_pane->notesEditor()->toPlainText(), QString());
        m_stack.redo();
        QCOMPARE(m_pane->notesEditor()->toPlainText(), u"# Check\n\n- the *source*"_s);

        // Showing another entry saves what was typed first, for the entry it was typed for.
        m_pane->notesEditor()->moveCursor(QTextCursor::End);
        QTest::keyClicks(m_pane->notesEditor(), u" more"_s);
        m_pane->showEntry(other);
        QCOMPARE(scalar(*m_library, u"SELECT notes FROM entry WHERE id = ?"_s, {id}).toString(), u"# Check\n\n- the *source* more"_s);
        QVERIFY(scalar(*m_library, u"SELECT notes IS NULL FROM entry WHERE id = ?"_s, {other}).toBool());
        QCOMPARE(m_stack.count(), 2);
        QCOMPARE(m_pane->notesEditor()->toPlainText(), QString());
    }

    void notesHighlightMarkdownInThePalettesTheme()
    {
        KSyntaxHighlighting::SyntaxHighlighter *highlighter = m_pane->notesHighlighter();
        QVERIFY(highlighter);
        QCOMPARE(highlighter->definition().name(), u"Markdown"_s);
        QVERIFY(highlighter->theme().isValid());

        QPalette dark = m_pane->palette();
        dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x20));
        dark.setColor(QPalette::Base, QColor(0x18, 0x18, 0x18));
        dark.setColor(QPalette::Text, QColor(0xee, 0xee, 0xee));
        dark.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
        m_pane->setPalette(dark);
        QVERIFY(highlighter->theme().isValid());
        QVERIFY2(QColor::fromRgba(highlighter->theme().editorColor(KSyntaxHighlighting::Theme::BackgroundColor)).lightness() < 128,
            qPrintable(highlighter->theme().name()));

        QPalette light = m_pane->palette();
        light.setColor(QPalette::Window, QColor(0xf0, 0xf0, 0xf0));
        light.setColor(QPalette::Base, Qt::white);
        light.setColor(QPalette::Text, Qt::black);
        light.setColor(QPalette::WindowText, Qt::black);
        m_pane->setPalette(light);
        QVERIFY2(QColor::fromRgba(highlighter->theme().editorColor(KSyntaxHighlighting::Theme::BackgroundColor)).lightness() >= 128,
            qPrintable(highlighter->theme().name()));
    }

    void failedStepsAreDroppedAndChangeNothing()
    {
        const qint64 id = AtlasTest::addEntry(*m_library, u"Red teaming"_s);
        const qint64 testing = node(*m_library, u"mit-mitigation-v2"_s, u"2.2.2"_s);
        AtlasTest::classify(*m_library, id, testing);
        showEntry(id);
        const QStringList classified = classificationRows(*m_library, id);

        // A redo that cannot apply leaves nothing on the stack.
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^redo of \"Classify .* failed: .*already classified"_s));
        m_stack.push(new AddClassificationCommand(m_library.get(), id, testing, u"Ada Lovelace"_s));
        QCOMPARE(m_stack.count(), 0);
        QCOMPARE(classificationRows(*m_library, id), classified);

        // An undo that cannot apply (the link went elsewhere) drops the step and writes nothing:
        // the tag the step made stays, as the failed transaction was rolled back.
        QTest::keyClicks(m_pane->tagField(), u"Reviewed"_s);
        QTest::keyClick(m_pane->tagField(), Qt::Key_Return);
        QCOMPARE(m_stack.count(), 1);
        exec(*m_library, u"DELETE FROM entry_tag"_s);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^undo of \"Tag .* failed"_s));
        m_stack.undo();
        QCOMPARE(m_stack.count(), 0);
        QCOMPARE(scalar(*m_library, u"SELECT count(*) FROM tag WHERE name = 'Reviewed'"_s).toInt(), 1);

        // A stack that outlives its library replays nothing into another one.
        QTest::keyClicks(m_pane->tagField(), u"Later"_s);
        QTest::keyClick(m_pane->tagField(), Qt::Key_Return);
        QCOMPARE(m_stack.count(), 1);
        m_pane->showEntry(0);
        QVERIFY(m_library->open(m_dir.filePath(u"other%1.sqlite"_s.arg(m_count))).ok());
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"another library is open"_s));
        m_stack.undo();
        QCOMPARE(m_stack.count(), 0);
    }

    void withoutStackEditsApplyDirectly()
    {
        m_pane->setUndoStack(nullptr);
        const qint64 id = AtlasTest::addEntry(*m_library, u"Red teaming"_s);
        showEntry(id);
        QSignalSpy changed(m_library.get(), &Library::changed);
        QTest::keyClicks(m_pane->tagField(), u"Reviewed"_s);
        QTest::keyClick(m_pane->tagField(), Qt::Key_Return);
        QCOMPARE(tagsOf(*m_library, id), QStringList {u"Reviewed"_s});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(m_stack.count(), 0);
        QCOMPARE(itemTexts(m_pane->tagList()), QStringList {u"Reviewed"_s});
    }
};

QTEST_MAIN(DetailPaneTest)
#include "detailpane_test.moc"

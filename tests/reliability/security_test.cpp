// SecurityTest: imported text is never rendered as rich text (titles, names, texts, tags and
// taxonomy nodes carrying <img src=x>, <a href=…> and <b> markup, shown in every view of the
// window: every label, text view, tooltip and item model is walked generically, so new views are
// covered); CSV export guards every formula prefix; SQL takes user data only as bound parameters
// (a scan of the sources for string-built statements against an explicit allow-list, and a trace
// of every statement SQLite runs while user data goes through the model); a new library file and
// its companions are owner-only whatever the umask; plugins are read only from the documented
// folders, never from the current directory or a library's folder.
#include "coveragemodel.h"
#include "coverageview.h"
#include "csvexporter.h"
#include "csvreader.h"
#include "documentsview.h"
#include "documenttablemodel.h"
#include "entrydetailpane.h"
#include "entryeditor.h"
#include "entrytablemodel.h"
#include "exporter.h"
#include "exporterregistry.h"
#include "fileimport.h"
#include "importerregistry.h"
#include "importwriter.h"
#include "library.h"
#include "libraryjsonexporter.h"
#include "libraryreader.h"
#include "mainwindow.h"
#include "pivotmodel.h"
#include "pluginregistry.h"
#include "savedsearch.h"
#include "sql.h"
#include "taxonomystore.h"
#include "taxonomytreemodel.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHelpEvent>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMutex>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDriver>
#include <QTabBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextEdit>
#include <QToolTip>
#include <QTreeView>

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace
{

// Every imported field carries this markup after a marker naming the field. Shown as text, the
// markup is there literally; interpreted, it would become an image, a link and bold text.
const QString markup = u" <img src=x> <a href=\"http://x\">link</a> <b>bold</b>"_s;
const QString markerPrefix = u"XSS-"_s;

QString payload(const QString &field)
{
    return markerPrefix + field + u" O'Hara"_s + markup;
}

// ---------------------------------------------------------------- rendering

struct Findings {
    QString stage; // the step of the walk, named once per place
    QStringList problems;
    QSet<QString> seen; // a place found again in a later step is listed once
    int checked = 0; // places that showed a marked text

    void add(const QString &where, const QString &problem)
    {
        const QString text = where + u": "_s + problem;
        if (!seen.contains(text)) {
            seen.insert(text);
            problems.append(u"[%1] "_s.arg(stage) + text);
        }
    }
};

QString describe(const QObject *object)
{
    QStringList chain;
    for (const QObject *o = object; o; o = o->parent()) {
        chain.prepend(o->objectName().isEmpty() ? QString::fromLatin1(o->metaObject()->className())
                                                : u"%1(%2)"_s.arg(QString::fromLatin1(o->metaObject()->className()), o->objectName()));
        if (chain.size() >= 4)
            break;
    }
    return chain.join(u" > "_s);
}

// A rendered document shows no image and no link of ours, and every marked text in it keeps its
// markup as characters.
void checkDocument(const QTextDocument &document, const QString &where, Findings &findings)
{
    const QString plain = document.toPlainText();
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            const QTextCharFormat format = fragment.charFormat();
            if (format.isImageFormat())
                findings.add(where, u"an image \"%1\" in the rendered text"_s.arg(format.toImageFormat().name()));
            if (format.isAnchor() && format.anchorHref().contains(u"http://x"_s))
                findings.add(where, u"a link to %1 in the rendered text"_s.arg(format.anchorHref()));
        }
    }
    const qsizetype marked = plain.count(markerPrefix);
    if (marked == 0)
        return;
    ++findings.checked;
    const qsizetype literal = plain.count(u"<img src=x>"_s);
    if (literal < marked)
        findings.add(where, u"%1 marked texts but only %2 show their markup literally: \"%3\""_s.arg(marked).arg(literal).arg(plain.left(300)));
}

// Renders `text` as Qt would with `format` (a QLabel, a tooltip: AutoText) and checks the result.
void checkRendered(const QString &text, Qt::TextFormat format, const QString &where, Findings &findings)
{
    if (!text.contains(markerPrefix) && !text.contains(u"<img"_s))
        return;
    QTextDocument document;
    if (format == Qt::RichText || (format == Qt::AutoText && Qt::mightBeRichText(text)))
        document.setHtml(text);
    else if (format == Qt::MarkdownText)
        document.setMarkdown(text);
    else
        document.setPlainText(text);
    checkDocument(document, where, findings);
}

// Display text is painted as plain text by the views (no delegate of ours renders markup); it must
// carry the markup unchanged.
void checkPlain(const QString &text, const QString &where, Findings &findings)
{
    if (!text.contains(markerPrefix))
        return;
    ++findings.checked;
    if (!text.contains(u"<img src=x>"_s))
        findings.add(where, u"the markup was lost from \"%1\""_s.arg(text.left(200)));
}

// Display text is painted as plain text by the views; it must carry the markup unchanged.
void checkModel(const QAbstractItemModel *model, const QModelIndex &parent, const QString &where, Findings &findings, int &budget)
{
    const int rows = model->rowCount(parent);
    const int columns = model->columnCount(parent);
    for (int row = 0; row < rows && budget > 0; ++row) {
        for (int column = 0; column < columns; ++column, --budget) {
            const QModelIndex index = model->index(row, column, parent);
            const QString at = u"%1 [%2,%3]"_s.arg(where).arg(row).arg(column);
            checkPlain(index.data(Qt::DisplayRole).toString(), at, findings);
            checkRendered(index.data(Qt::WhatsThisRole).toString(), Qt::AutoText, at + u" what's this"_s, findings);
            if (column == 0 && model->hasChildren(index))
                checkModel(model, index, where, findings, budget);
        }
    }
}

// QToolTip::hideText() lets the tooltip fade out; the next question must not see the last answer.
void hideToolTipNow()
{
    QToolTip::hideText();
    const QWidgetList windows = QApplication::topLevelWidgets();
    for (QWidget *window : windows) {
        if (window->objectName() == u"qtooltip_label"_s)
            window->hide();
    }
}

// Asks the view for the tooltip at `at`, as hovering does, and checks the tooltip Qt shows.
void checkShownToolTip(QAbstractItemView *view, const QPoint &at, const QString &where, Findings &findings)
{
    hideToolTipNow();
    QWidget *viewport = view->viewport();
    QHelpEvent help(QEvent::ToolTip, at, viewport->mapToGlobal(at));
    QCoreApplication::sendEvent(viewport, &help);
    if (QToolTip::isVisible())
        checkRendered(QToolTip::text(), Qt::AutoText, where + u" tooltip"_s, findings);
    hideToolTipNow();
}

// The tooltips of every cell (or header section) the view shows.
void checkShownToolTips(QAbstractItemView *view, const QString &where, Findings &findings)
{
    if (!view->isVisible() || !view->model())
        return;
    const QRect visible = view->viewport()->rect();
    if (auto *header = qobject_cast<QHeaderView *>(view)) {
        for (int section = 0; section < header->count(); ++section) {
            if (header->isSectionHidden(section))
                continue;
            const int middle = header->sectionViewportPosition(section) + header->sectionSize(section) / 2;
            const QPoint at = header->orientation() == Qt::Horizontal ? QPoint(middle, visible.height() / 2) : QPoint(visible.width() / 2, middle);
            if (visible.contains(at))
                checkShownToolTip(view, at, u"%1 section %2"_s.arg(where).arg(section), findings);
        }
        return;
    }
    int budget = 2000;
    const std::function<void(const QModelIndex &)> walk = [&](const QModelIndex &parent) {
        const QAbstractItemModel *model = view->model();
        for (int row = 0; row < model->rowCount(parent) && budget > 0; ++row) {
            for (int column = 0; column < model->columnCount(parent); ++column, --budget) {
                const QModelIndex index = model->index(row, column, parent);
                const QRect rect = view->visualRect(index);
                if (rect.isValid() && visible.contains(rect.center()))
                    checkShownToolTip(view, rect.center(), u"%1 [%2,%3]"_s.arg(where).arg(row).arg(column), findings);
                if (column == 0 && model->hasChildren(index))
                    walk(index);
            }
        }
    };
    walk(view->rootIndex());
}

// Every widget of every window: labels, text views, tooltips, item views with their models and
// the tooltips they show for each visible cell and header section.
void checkWidgets(const QString &stage, Findings &findings)
{
    findings.stage = stage;
    // The walk asks for tooltips, and Qt replaces its tooltip window then: hold the windows weakly.
    QList<QPointer<QWidget>> windows;
    const QWidgetList topLevels = QApplication::topLevelWidgets();
    for (QWidget *window : topLevels) {
        if (window->objectName() != u"qtooltip_label"_s)
            windows.append(window);
    }
    for (const QPointer<QWidget> &window : std::as_const(windows)) {
        if (!window || !window->isVisible())
            continue;
        // A tooltip window is the child of the widget it was shown for; it may go during the walk.
        QList<QPointer<QWidget>> widgets {window};
        const QList<QWidget *> children = window->findChildren<QWidget *>();
        for (QWidget *child : children) {
            if (child->objectName() != u"qtooltip_label"_s)
                widgets.append(child);
        }
        for (const QPointer<QWidget> &widget : std::as_const(widgets)) {
            if (!widget)
                continue;
            const QString where = describe(widget);
            checkRendered(widget->toolTip(), Qt::AutoText, where + u" tooltip"_s, findings);
            checkRendered(widget->whatsThis(), Qt::AutoText, where + u" what's this"_s, findings);
            if (auto *label = qobject_cast<QLabel *>(widget)) {
                checkRendered(label->text(), label->textFormat(), where, findings);
            } else if (auto *edit = qobject_cast<QTextEdit *>(widget)) {
                checkDocument(*edit->document(), where, findings);
            } else if (auto *plain = qobject_cast<QPlainTextEdit *>(widget)) {
                checkDocument(*plain->document(), where, findings);
            } else if (auto *tabs = qobject_cast<QTabBar *>(widget)) {
                for (int i = 0; i < tabs->count(); ++i) {
                    checkPlain(tabs->tabText(i), where, findings);
                    checkRendered(tabs->tabToolTip(i), Qt::AutoText, where + u" tab tooltip"_s, findings);
                }
            } else if (auto *header = qobject_cast<QHeaderView *>(widget)) {
                checkShownToolTips(header, where, findings); // its model is its table's, walked with the table
            } else if (auto *view = qobject_cast<QAbstractItemView *>(widget)) {
                // Markup could only be rendered in an item by a delegate of our own; there is none.
                // A new one must be reviewed (does it paint plain text?) and named here.
                const QByteArray delegate = view->itemDelegate() ? QByteArray(view->itemDelegate()->metaObject()->className()) : QByteArray();
                static const QList<QByteArray> plainDelegates {"QStyledItemDelegate", "QItemDelegate", "QComboBoxDelegate", "QComboMenuDelegate"};
                if (!delegate.isEmpty() && !plainDelegates.contains(delegate))
                    findings.add(where, u"an item delegate %1 nobody has checked paints plain text"_s.arg(QString::fromLatin1(delegate)));
                if (view->model()) {
                    int budget = 4000;
                    checkModel(view->model(), view->rootIndex(), where, findings, budget);
                }
                checkShownToolTips(view, where, findings);
            }
        }
    }
}

// ---------------------------------------------------------------- SQL in the sources

struct SqlSite {
    QString file;
    int line = 0;
    QString literal; // simplified
    QString how; // "arg", "concatenated", "placeholder"
};

// Statements and clauses: uppercase keywords only, as this code base writes SQL.
bool looksLikeSql(const QString &text)
{
    static const QRegularExpression keyword(QStringLiteral("\\b(SELECT|INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|PRAGMA|VACUUM|ATTACH"
                                                           "|WHERE|FROM|JOIN|VALUES|ORDER BY|GROUP BY|LIMIT|MATCH|SET|AND|OR|NOT|IN"
                                                           "|EXISTS|UNION|LIKE|GLOB|SAVEPOINT|RELEASE|ROLLBACK)\\b"));
    return keyword.match(text).hasMatch();
}

bool isIdentifierChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_');
}

// Finds the string literals of C++ source that hold SQL and are built: followed by .arg(, joined
// with + or % (or +=) to something, or holding %1-style placeholders filled in elsewhere.
QList<SqlSite> findBuiltSql(const QString &file, const QString &source)
{
    QList<SqlSite> sites;
    const qsizetype n = source.size();
    int line = 1;
    qsizetype i = 0;
    const auto skipSpaceForward = [&](qsizetype at) {
        while (at < n && source.at(at).isSpace())
            ++at;
        return at;
    };
    const auto skipSpaceBackward = [&](qsizetype at) {
        while (at >= 0 && source.at(at).isSpace())
            --at;
        return at;
    };
    while (i < n) {
        const QChar c = source.at(i);
        if (c == QLatin1Char('\n')) {
            ++line;
            ++i;
            continue;
        }
        if (c == QLatin1Char('/') && i + 1 < n && source.at(i + 1) == QLatin1Char('/')) {
            while (i < n && source.at(i) != QLatin1Char('\n'))
                ++i;
            continue;
        }
        if (c == QLatin1Char('/') && i + 1 < n && source.at(i + 1) == QLatin1Char('*')) {
            const qsizetype end = source.indexOf(u"*/"_s, i + 2);
            const qsizetype stop = end < 0 ? n : end + 2;
            line += int(QStringView(source).mid(i, stop - i).count(QLatin1Char('\n')));
            i = stop;
            continue;
        }
        if (c == QLatin1Char('\'')) {
            if (i > 0 && source.at(i - 1).isDigit()) { // a digit separator
                ++i;
                continue;
            }
            ++i;
            while (i < n && source.at(i) != QLatin1Char('\'')) {
                if (source.at(i) == QLatin1Char('\\'))
                    ++i;
                ++i;
            }
            ++i;
            continue;
        }
        if (c != QLatin1Char('"')) {
            ++i;
            continue;
        }
        // A string literal: raw (R"delim( ... )delim") or ordinary.
        const int startLine = line;
        qsizetype start = i;
        QString content;
        const bool raw = i > 0 && source.at(i - 1) == QLatin1Char('R') && (i < 2 || !isIdentifierChar(source.at(i - 2)) || source.at(i - 2) == QLatin1Char('u')
                                                                            || source.at(i - 2) == QLatin1Char('8') || source.at(i - 2) == QLatin1Char('L'));
        if (raw) {
            const qsizetype open = source.indexOf(QLatin1Char('('), i);
            const QString delimiter = source.mid(i + 1, open - i - 1);
            const QString close = u")"_s + delimiter + u"\""_s;
            const qsizetype end = source.indexOf(close, open);
            const qsizetype stop = end < 0 ? n : end + close.size();
            content = source.mid(open + 1, (end < 0 ? n : end) - open - 1);
            line += int(QStringView(source).mid(i, stop - i).count(QLatin1Char('\n')));
            start = i - 1;
            i = stop;
        } else {
            ++i;
            while (i < n && source.at(i) != QLatin1Char('"') && source.at(i) != QLatin1Char('\n')) {
                if (source.at(i) == QLatin1Char('\\') && i + 1 < n) {
                    content += source.at(i);
                    ++i;
                }
                content += source.at(i);
                ++i;
            }
            ++i;
        }
        while (start > 0 && isIdentifierChar(source.at(start - 1))) // u, u8, L prefixes
            --start;
        if (!looksLikeSql(content))
            continue;

        // What comes after: an optional literal suffix (_s, _L1), the wrapper's ')', then .arg( or + / %.
        qsizetype after = i;
        while (after < n && isIdentifierChar(source.at(after)))
            ++after;
        after = skipSpaceForward(after);
        if (after < n && source.at(after) == QLatin1Char(')'))
            after = skipSpaceForward(after + 1);
        QString how;
        if (QStringView(source).mid(after).startsWith(u".arg("_s))
            how = u"arg"_s;
        else if (after < n && (source.at(after) == QLatin1Char('+') || source.at(after) == QLatin1Char('%'))
                 && !QStringView(source).mid(after).startsWith(u"+="_s))
            how = u"concatenated"_s;
        if (how.isEmpty()) {
            // What comes before: the wrapper (QStringLiteral(, QLatin1String(, ...), then + / % / +=.
            qsizetype before = skipSpaceBackward(start - 1);
            if (before >= 0 && source.at(before) == QLatin1Char('(')) {
                qsizetype word = before;
                while (word > 0 && isIdentifierChar(source.at(word - 1)))
                    --word;
                const QString wrapper = source.mid(word, before - word);
                if (wrapper.startsWith(u"QStringLiteral"_s) || wrapper.startsWith(u"QLatin1String"_s) || wrapper == u"QString"_s
                    || wrapper.startsWith(u"QStringView"_s))
                    before = skipSpaceBackward(word - 1);
            }
            if (before >= 0 && (source.at(before) == QLatin1Char('+') || source.at(before) == QLatin1Char('%')))
                how = u"concatenated"_s;
            else if (before >= 1 && source.at(before) == QLatin1Char('=') && source.at(before - 1) == QLatin1Char('+'))
                how = u"concatenated"_s;
        }
        static const QRegularExpression placeholder(QStringLiteral("%[1-9]"));
        if (how.isEmpty() && placeholder.match(content).hasMatch())
            how = u"placeholder"_s;
        if (!how.isEmpty())
            sites.append(SqlSite {file, startLine, content.simplified(), how});
    }
    return sites;
}

// The places that build SQL from strings today, each with why no user data can reach it. A new
// place fails the test until it is rewritten with bound parameters or reviewed and listed here.
struct Allowed {
    const char *file;
    const char *literal; // the simplified literal; ending in "..." its beginning
    const char *why;
};

// Why each kind of place is safe, named once.
constexpr const char *codeIdentifiers = "table and column names are the code's own (literals and fixed lists); values are bound";
constexpr const char *idList = "a list of row ids written with QString::number (integers only); values are bound";
constexpr const char *constantClauses = "constant clauses of the code joined together; every value is bound (?)";
constexpr const char *sortChoice = "ORDER BY expressions, joins and ASC/DESC chosen by a switch of the code; the filter's values are bound";

const Allowed allowedSql[] = {
    {"model/sql.cpp", "SAVEPOINT %1", "the savepoint's name is a counter of the code"},
    {"model/sql.cpp", "ROLLBACK TO %1", "the savepoint's name is a counter of the code"},
    {"model/sql.cpp", "RELEASE %1", "the savepoint's name is a counter of the code"},
    {"model/migrator.cpp", "PRAGMA user_version = %1", "PRAGMA takes no parameters; the version is the migration's integer"},
    {"model/library.cpp", "INSERT INTO %1(%1, rank)...", "the FTS table names are a fixed list of the code"},

    {"model/taxonomystore.cpp", "ORDER BY position, id", constantClauses},
    {"model/taxonomystore.cpp", "WHERE key = ?", constantClauses},
    {"model/libraryreader.cpp", "WHERE %1 IN (%2)", idList},
    {"model/libraryreader.cpp", "SELECT %1, node_id, assigned_by_kind...",
        "owner column and table are literals of the callers; the id filter holds integers only"},
    {"model/libraryreader.cpp", "SELECT %1, tag_id FROM %2%3", "owner column and table are literals of the callers; the id filter holds integers only"},
    {"model/libraryreader.cpp", "ifnull(url, ''), ifnull(abstract, '')...", idList},
    {"model/libraryreader.cpp", "SELECT e.id, ifnull(e.external_id, '')...", idList},
    {"model/importwriter.cpp", "UPDATE %1 SET %2 WHERE id = ?",
        "RowUpdate's table and columns are literals of the code; undo's are checked against restorableColumns(), a fixed list; values are bound"},
    {"model/importwriter.cpp", "INSERT OR IGNORE INTO %1(%2, tag_id...", codeIdentifiers},
    {"model/importwriter.cpp", "INSERT OR IGNORE INTO %1(%2, node_id...", codeIdentifiers},
    {"model/importwriter.cpp", "VALUES (?, ?, ?, ?, ifnull(?, strftime(...", codeIdentifiers},
    {"model/importwriter.cpp", "ORDER BY id", constantClauses},
    {"model/importwriter.cpp", "WHERE id = ?", constantClauses},
    {"model/documenttablemodel.cpp", "WHERE", constantClauses},
    {"model/documenttablemodel.cpp", "SELECT d.id FROM document d%1%2 ORDER BY...", sortChoice},
    {"model/documenttablemodel.cpp", "SELECT d.id, d.title, substr(d.abstract, 1, %1)...",
        "an integer and a constant expression of the code; the ids are bound as JSON"},
    {"model/documenttablemodel.cpp", "FROM document d WHERE d.id IN (SELECT value FROM json_each(?))", "an integer and a constant expression of the code"},
    {"model/documenttablemodel.cpp", "SELECT count(*) FROM document d", constantClauses},
    {"model/pluginrunstore.cpp", "SELECT", constantClauses},
    {"model/pluginrunstore.cpp", "FROM plugin_run WHERE 1", constantClauses},
    {"model/pluginrunstore.cpp", "FROM plugin_run WHERE id = ?", constantClauses},
    {"model/pluginrunstore.cpp", "AND entry_id = ?", constantClauses},
    {"model/pluginrunstore.cpp", "AND plugin_id = ?", constantClauses},
    {"model/pluginrunstore.cpp", "ORDER BY started_at DESC, id DESC", constantClauses},
    {"model/entryeditor.cpp", "WHERE entry_id = ? AND node_id = ?", constantClauses},
    {"model/entryeditor.cpp", "SELECT %1, edited_fields...", "the column is entryFieldColumn(), a switch over the EntryField enum"},
    {"model/entryeditor.cpp", "UPDATE entry SET %1 = ?...", "the column is entryFieldColumn(), a switch over the EntryField enum"},
    {"model/entryeditor.cpp", "INSERT INTO %1(%2) VALUES (%3)",
        "table from linkTables() or \"document\"; columns read from the table itself (SELECT *); values bound"},
    {"model/entryeditor.cpp", "UPDATE document SET %1 WHERE id = ?", "columns read from the document table itself (SELECT *); values bound"},
    {"model/entryeditor.cpp", "AND %1 = ?", "key columns of linkTables(), a fixed list; values bound"},
    {"model/entryeditor.cpp", "UPDATE %1 SET document_id = ? WHERE %2", "table and key columns of linkTables(), a fixed list; values bound"},
    {"model/entryeditor.cpp", "DELETE FROM %1 WHERE %2", "table and key columns of linkTables(), a fixed list; values bound"},
    {"model/entryeditor.cpp", "SELECT 1 FROM %1 WHERE document_id = ?", "tables of linkTables(), a fixed list"},
    {"model/entryeditor.cpp", "SELECT 1 FROM %1 WHERE %2", "table and key columns of linkTables(), a fixed list; values bound"},
    {"model/entryeditor.cpp", "SELECT * FROM %1 WHERE document_id = ?", "tables of linkTables(), a fixed list"},
    {"model/entrytablemodel.cpp", "(SELECT group_concat(v, '%2')...", "dimension keys, expressions and separators are literals of the code"},
    {"model/entrytablemodel.cpp", "JOIN scheme s ON s.id = n.scheme_id...", "dimension keys, expressions and separators are literals of the code"},
    {"model/entrytablemodel.cpp", "WHERE", constantClauses},
    {"model/entrytablemodel.cpp", "SELECT e.id, e.name, %1 AS codes...", sortChoice},
    {"model/entrytablemodel.cpp", "FROM entry e LEFT JOIN document d ON d.id = e.document_id%4...", sortChoice},
    {"model/entrytablemodel.cpp", "SELECT count(*) FROM entry e", constantClauses},
    {"model/pluginlinker.cpp", "SELECT n.id FROM taxonomy_node n...", "nameMatches is a constant with ? for the name, bound"},
    {"model/pluginlinker.cpp", "WHERE c.ancestor_id = ? AND c.depth > 0 AND...", "nameMatches is a constant with ? for the name, bound"},
    {"model/pluginlinker.cpp", "LIMIT 1", constantClauses},
    {"model/pluginlinker.cpp", "LIMIT 2", constantClauses},
    {"importers/libraryjsonexporter.cpp", "SELECT %1, node_id, assigned_by_kind...", codeIdentifiers},
    {"importers/libraryjsonexporter.cpp", "SELECT %1, tag_id FROM %2", codeIdentifiers},
};

// ---------------------------------------------------------------- SQLite's trace

struct Trace {
    QMutex mutex;
    QStringList statements;
};

int traceStatement(unsigned type, void *context, void *, void *text)
{
    if (type == SQLITE_TRACE_STMT && text) {
        auto *trace = static_cast<Trace *>(context);
        const QMutexLocker lock(&trace->mutex);
        trace->statements.append(QString::fromUtf8(static_cast<const char *>(text)));
    }
    return 0;
}

} // namespace

class SecurityTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void importedTextIsNeverRichText();
    void csvExportGuardsFormulas();
    void sqlScannerFindsStringBuiltStatements();
    void sourcesBuildNoSqlFromData();
    void userDataReachesSqliteOnlyAsParameters();
    void newLibraryIsOwnerOnly();
    void pluginsOnlyFromDocumentedFolders();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    // A library JSON file with markup in every text field, and a node under an existing risk root.
    QString writePayloadLibrary(const Atlas::Library &library, const QString &name);
    bool importPayload(Atlas::Library &library, const QString &name);

    QTemporaryDir m_dir;
};

void SecurityTest::initTestCase()
{
    QVERIFY2(m_dir.isValid(), qPrintable(m_dir.errorString()));
}

QString SecurityTest::writePayloadLibrary(const Atlas::Library &library, const QString &name)
{
    // The first root of the survey's risk scheme (what the coverage rows show).
    Atlas::TaxonomyStore store(library.database());
    auto scheme = store.scheme(u"llm-safety-survey"_s);
    if (!scheme)
        return {};
    auto nodes = store.nodes(scheme->id);
    if (!nodes || nodes->isEmpty())
        return {};
    QString root;
    for (const Atlas::TaxonomyNode &node : nodes.value()) {
        if (!node.parentId) {
            root = node.name;
            break;
        }
    }
    const QJsonObject document {
        {u"key"_s, u"d1"_s},
        {u"kind"_s, u"article"_s},
        {u"title"_s, payload(u"title"_s)},
        {u"authors"_s, QJsonArray {payload(u"author"_s)}},
        {u"year"_s, 2024},
        {u"venue"_s, payload(u"venue"_s)},
        {u"abstract"_s, payload(u"abstract"_s)},
        {u"url"_s, u"http://example.org/paper"_s},
        {u"citation_key"_s, u"key2024"_s},
        {u"tags"_s, QJsonArray {QJsonArray {payload(u"doctag"_s)}}},
    };
    const QJsonObject entry {
        {u"key"_s, u"e1"_s},
        {u"external_id"_s, u"X-1"_s},
        {u"name"_s, payload(u"name"_s)},
        {u"text"_s, payload(u"text"_s)},
        {u"reasoning"_s, payload(u"reasoning"_s)},
        {u"notes"_s, payload(u"notes"_s)},
        {u"document"_s, u"d1"_s},
        {u"tags"_s, QJsonArray {QJsonArray {payload(u"tag"_s)}}},
        {u"classifications"_s,
            QJsonArray {
                QJsonObject {{u"scheme"_s, u"mit-mitigation-v2"_s}, {u"code"_s, u"2.2.2"_s}},
                QJsonObject {{u"scheme"_s, u"llm-safety-survey"_s},
                    {u"path"_s, QJsonArray {root, payload(u"node"_s)}},
                    {u"evidence"_s, payload(u"evidence"_s)}},
            }},
    };
    const QJsonObject child {
        {u"key"_s, u"e2"_s},
        {u"name"_s, payload(u"child"_s)},
        {u"text"_s, payload(u"childtext"_s)},
        {u"parent"_s, u"e1"_s},
        {u"document"_s, u"d1"_s},
    };
    const QJsonObject node {
        {u"scheme"_s, u"llm-safety-survey"_s},
        {u"name"_s, payload(u"node"_s)},
        {u"description"_s, payload(u"description"_s)},
        {u"parent_path"_s, QJsonArray {root}},
    };
    const QJsonObject file {
        {u"format"_s, QLatin1String(Atlas::LibraryJsonExporter::formatName)},
        {u"version"_s, Atlas::LibraryJsonExporter::formatVersion},
        {u"taxonomy_nodes"_s, QJsonArray {node}},
        {u"documents"_s, QJsonArray {document}},
        {u"entries"_s, QJsonArray {entry, child}},
    };
    QFile out(path(name));
    if (!out.open(QIODevice::WriteOnly))
        return {};
    out.write(QJsonDocument(file).toJson());
    return out.fileName();
}

bool SecurityTest::importPayload(Atlas::Library &library, const QString &name)
{
    const QString file = writePayloadLibrary(library, name);
    if (file.isEmpty())
        return false;
    Atlas::ImporterRegistry registry;
    auto imported = Atlas::importFile(library, registry, file, {}, {});
    if (!imported || !imported->summary.written || imported->summary.hasErrors()) {
        qWarning("the payload did not import: %s", imported ? qPrintable(imported->summary.text()) : qPrintable(imported.error()));
        for (const Atlas::ImportDiagnostic &d : imported->summary.diagnostics)
            qWarning("%s", qPrintable(d.toString()));
        return false;
    }
    return true;
}

void SecurityTest::importedTextIsNeverRichText()
{
    Atlas::Library library;
    QVERIFY(library.open(path(u"render.sqlite"_s)).ok());
    QVERIFY(importPayload(library, u"render.json"_s));
    const qint64 entry = Atlas::Sql::scalar(library.database(), u"SELECT id FROM entry WHERE name LIKE 'XSS-name%'"_s)->toLongLong();
    const qint64 node = Atlas::Sql::scalar(library.database(), u"SELECT id FROM taxonomy_node WHERE name LIKE 'XSS-node%'"_s)->toLongLong();
    QVERIFY(entry > 0 && node > 0);
    // A tag given by hand, also with markup, so the undo history and the tag list show one.
    QVERIFY(Atlas::EntryEditor(library).addTag({entry}, {payload(u"handtag"_s)}).ok());

    Atlas::RegistryImportBackend backend;
    Atlas::MainWindow window(&library, &backend);
    window.resize(1300, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    Findings findings;

    // The entry list and the entry's details.
    window.showView(Atlas::MainWindow::View::Entries);
    QTRY_VERIFY_WITH_TIMEOUT(!window.entryModel()->isLoading(), 10000);
    window.showEntry(entry);
    QTRY_COMPARE(window.detailPane()->entryId(), entry);
    QTest::qWait(100);
    checkWidgets(u"entries"_s, findings);

    // The taxonomy node's pane.
    Atlas::TaxonomyTreeModel *tree = window.taxonomyModel();
    QModelIndex nodeIndex;
    const std::function<void(const QModelIndex &)> find = [&](const QModelIndex &parent) {
        for (int row = 0; row < tree->rowCount(parent) && !nodeIndex.isValid(); ++row) {
            const QModelIndex index = tree->index(row, 0, parent);
            if (index.data().toString().contains(u"XSS-node"_s))
                nodeIndex = index;
            else
                find(index);
        }
    };
    find({});
    QVERIFY(nodeIndex.isValid());
    window.taxonomyView()->setCurrentIndex(nodeIndex);
    QTest::qWait(100);
    checkWidgets(u"taxonomy node"_s, findings);

    // A filter chip labelled with imported text (as a coverage cell's chip is).
    Atlas::EntryFilter filter;
    filter.nodeIds = {node};
    window.setExtraFilter(filter, payload(u"chip"_s));
    QTRY_VERIFY_WITH_TIMEOUT(!window.entryModel()->isLoading(), 10000);
    checkWidgets(u"chip"_s, findings);

    // The documents view with the document and its citing entries.
    window.showView(Atlas::MainWindow::View::Documents);
    Atlas::DocumentsView *documents = window.documentsView();
    QTRY_VERIFY_WITH_TIMEOUT(documents->table()->model()->rowCount() > 0, 10000);
    documents->table()->setCurrentIndex(documents->table()->model()->index(0, 0));
    QTest::qWait(200);
    checkWidgets(u"documents"_s, findings);

    // Coverage and a pivot.
    window.showView(Atlas::MainWindow::View::Coverage);
    QTRY_VERIFY_WITH_TIMEOUT(!window.coverageView()->model()->isLoading(), 10000);
    checkWidgets(u"coverage"_s, findings);
    window.showView(Atlas::MainWindow::View::Entries);
    window.browseBy()->setCurrentIndex(1);
    QTRY_VERIFY_WITH_TIMEOUT(!window.pivotModel()->isLoading(), 10000);
    checkWidgets(u"pivot"_s, findings);

    qInfo("%d places showed imported markup; %lld problems", findings.checked, qlonglong(findings.problems.size()));
    for (const QString &problem : std::as_const(findings.problems))
        qWarning("%s", qPrintable(problem));
    QVERIFY2(findings.problems.isEmpty(), "imported markup was rendered (the places are listed above)");
    // The walk saw the marked texts in the views that must show them (a walk seeing nothing proves nothing).
    QVERIFY2(findings.checked >= 10, qPrintable(QString::number(findings.checked)));
}

void SecurityTest::csvExportGuardsFormulas()
{
    Atlas::Library library;
    QVERIFY(library.open(path(u"csv.sqlite"_s)).ok());
    const QStringList dangerous {u"=HYPERLINK(\"http://x\",\"y\")"_s, u"+1+cmd|' /C calc'!A0"_s, u"-2+3"_s, u"@SUM(1)"_s, u"\t=1"_s, u"\r=1"_s};
    Atlas::EntryEditor editor(library);
    QList<qint64> ids;
    for (const QString &text : dangerous) {
        auto id = Atlas::Sql::exec(library.database(), u"INSERT INTO entry(name, text, reasoning) VALUES (?, ?, ?)"_s,
            {QString(u"entry "_s + text), text, text});
        QVERIFY(id.ok());
        ids.append(id.value().lastInsertId().toLongLong());
    }
    // Names, tags and a document title starting with each prefix too.
    for (int i = 0; i < dangerous.size(); ++i) {
        QVERIFY(editor.setField(ids.at(i), Atlas::EntryField::Name, dangerous.at(i).trimmed().isEmpty() ? u"x"_s : dangerous.at(i)).ok());
        QVERIFY(editor.addTag({ids.at(i)}, {u"="_s + QString::number(i) + u"+1"_s}).ok());
    }
    auto document = Atlas::Sql::exec(library.database(), u"INSERT INTO document(title, authors) VALUES (?, ?)"_s, {u"=cmd()"_s, u"[\"@evil\"]"_s});
    QVERIFY(document.ok());
    QVERIFY(Atlas::Sql::exec(library.database(), u"UPDATE entry SET document_id = ? WHERE id = ?"_s, {document.value().lastInsertId(), ids.first()}).ok());

    auto bytes = Atlas::CsvExporter().write(library.database());
    QVERIFY2(bytes.ok(), qPrintable(bytes.error()));
    auto records = Atlas::CsvReader::parse(QString::fromUtf8(bytes.value()));
    QVERIFY2(records.ok(), qPrintable(records.error()));
    int guarded = 0;
    for (const Atlas::CsvRecord &record : records.value()) {
        for (const QString &cell : record.fields) {
            QVERIFY2(cell.isEmpty() || !QStringLiteral("=+-@\t\r").contains(cell.front()),
                qPrintable(u"line %1: a cell starts a formula: %2"_s.arg(record.line).arg(cell)));
            if (cell.startsWith(QLatin1Char('\'')) && cell.size() > 1 && QStringLiteral("=+-@\t\r").contains(cell.at(1)))
                ++guarded;
        }
    }
    // names, texts, reasonings of six entries, six tags, the title and the authors.
    QVERIFY2(guarded >= 3 * dangerous.size() + dangerous.size() + 2, qPrintable(QString::number(guarded)));
}

void SecurityTest::sqlScannerFindsStringBuiltStatements()
{
    // The scanner must see the ways data gets into SQL text, or its silence means nothing.
    const QString bad = uR"snippet(
        Sql::exec(db, QStringLiteral("SELECT * FROM entry WHERE name = '%1'").arg(name));
        const QString sql = QStringLiteral("DELETE FROM tag WHERE name = '") + name + QStringLiteral("'");
        QString where = u"UPDATE entry SET name = '"_s % name;
        clause += QLatin1String(" AND title = ") + title;
        const QString later = QStringLiteral(R"x(SELECT id FROM document WHERE title = '%1')x");
    )snippet"_s;
    const QList<SqlSite> sites = findBuiltSql(u"snippet.cpp"_s, bad);
    QStringList found;
    for (const SqlSite &site : sites)
        found.append(u"%1:%2"_s.arg(site.line).arg(site.how));
    QCOMPARE(found,
        QStringList({u"2:arg"_s, u"3:concatenated"_s, u"4:concatenated"_s, u"5:concatenated"_s, u"6:placeholder"_s}));

    const QString good = uR"snippet(
        Sql::exec(db, QStringLiteral("SELECT * FROM entry WHERE name = ?"), {name});
        auto q = Sql::exec(db, u"INSERT INTO tag(name) VALUES (?)"_s, {name});
        const QString message = tr("%1 entries").arg(count); // not SQL
        // A comment: "SELECT " + something is not code.
    )snippet"_s;
    QCOMPARE(findBuiltSql(u"snippet.cpp"_s, good).size(), 0);
}

void SecurityTest::sourcesBuildNoSqlFromData()
{
    const QDir root(QStringLiteral(ATLAS_SOURCE_DIR));
    QList<SqlSite> unlisted;
    QSet<int> used;
    int files = 0;
    int sites = 0;
    for (const QString &folder : {u"model"_s, u"importers"_s, u"views"_s, u"app"_s}) {
        QDirIterator it(root.filePath(folder), {u"*.cpp"_s, u"*.h"_s}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString file = it.next();
            QFile in(file);
            QVERIFY(in.open(QIODevice::ReadOnly));
            ++files;
            const QString relative = root.relativeFilePath(file);
            const QList<SqlSite> found = findBuiltSql(relative, QString::fromUtf8(in.readAll()));
            for (const SqlSite &site : found) {
                ++sites;
                bool allowed = false;
                for (int i = 0; i < int(std::size(allowedSql)); ++i) {
                    const QLatin1String literal(allowedSql[i].literal);
                    const bool prefix = literal.endsWith(QLatin1String("..."));
                    const bool matches = prefix ? site.literal.startsWith(literal.chopped(3)) : site.literal == literal;
                    if (relative == QLatin1String(allowedSql[i].file) && matches) {
                        allowed = true;
                        used.insert(i);
                    }
                }
                if (!allowed)
                    unlisted.append(site);
            }
        }
    }
    qInfo("%d source files, %d places build SQL from strings, %lld of them not on the allow-list", files, sites, qlonglong(unlisted.size()));
    for (const SqlSite &site : std::as_const(unlisted))
        qWarning("%s:%d (%s): %s", qPrintable(site.file), site.line, qPrintable(site.how), qPrintable(site.literal.left(140)));
    QVERIFY2(unlisted.isEmpty(),
        "SQL built from strings (the places are listed above): bind the values (Sql::exec(db, \"... ?\", {value})) or, for identifiers and "
        "clauses the code chooses, add the place with its reason to allowedSql");
    for (int i = 0; i < int(std::size(allowedSql)); ++i) {
        if (!used.contains(i))
            qWarning("allowedSql names a place that no longer exists: %s: %s", allowedSql[i].file, allowedSql[i].literal);
    }
}

void SecurityTest::userDataReachesSqliteOnlyAsParameters()
{
    Atlas::Library library;
    QVERIFY(library.open(path(u"trace.sqlite"_s)).ok());
    sqlite3 *handle = Atlas::Sql::nativeHandle(library.database());
    QVERIFY(handle);
    Trace trace;
    QCOMPARE(sqlite3_trace_v2(handle, SQLITE_TRACE_STMT, &traceStatement, &trace), SQLITE_OK);

    // Every kind of write and read of user data the model offers, on the traced connection.
    QVERIFY(importPayload(library, u"trace.json"_s));
    const qint64 entry = Atlas::Sql::scalar(library.database(), u"SELECT id FROM entry WHERE external_id = 'X-1'"_s)->toLongLong();
    const qint64 child = Atlas::Sql::scalar(library.database(), u"SELECT id FROM entry WHERE parent_id = ?"_s, {entry})->toLongLong();
    const qint64 document = Atlas::Sql::scalar(library.database(), u"SELECT id FROM document"_s)->toLongLong();
    const qint64 node = Atlas::Sql::scalar(library.database(), u"SELECT id FROM taxonomy_node WHERE parent_id IS NOT NULL LIMIT 1"_s)->toLongLong();
    QVERIFY(entry > 0 && child > 0 && document > 0 && node > 0);
    Atlas::EntryEditor editor(library);
    for (Atlas::EntryField field : {Atlas::EntryField::Name, Atlas::EntryField::Text, Atlas::EntryField::Reasoning, Atlas::EntryField::Notes}) {
        auto change = editor.setField(child, field, payload(u"edited"_s));
        QVERIFY2(change.ok(), qPrintable(change.error()));
        QVERIFY(editor.revert(change.value()).ok());
        QVERIFY(editor.reapply(change.value()).ok());
    }
    auto tag = editor.addTag({entry, child}, {payload(u"parenttag"_s), payload(u"childtag"_s)});
    QVERIFY2(tag.ok(), qPrintable(tag.error()));
    QVERIFY(editor.removeTag({child}, {payload(u"parenttag"_s), payload(u"childtag"_s)}).ok());
    auto classified = editor.addClassification(child, node, payload(u"curator"_s), payload(u"evidence2"_s), 0.5);
    QVERIFY2(classified.ok(), qPrintable(classified.error()));
    QVERIFY(editor.revert(classified.value()).ok());
    QVERIFY(editor.setPluginLink(child, payload(u"plugin"_s), true).ok());
    QVERIFY(editor.tagPaths().ok());
    // A second document with the same markup, merged into the first.
    auto second = Atlas::Sql::exec(library.database(), u"INSERT INTO document(title) VALUES (?)"_s, {payload(u"second"_s)});
    QVERIFY(second.ok());
    auto merged = editor.mergeDocuments(document, second.value().lastInsertId().toLongLong());
    QVERIFY2(merged.ok(), qPrintable(merged.error()));
    QVERIFY(editor.revert(merged.value()).ok());

    Atlas::LibraryReader reader(library.database());
    QVERIFY(reader.entries().ok());
    QVERIFY(reader.documents().ok());
    QVERIFY(reader.search(payload(u"query"_s)).ok());
    QVERIFY(reader.search(u"XSS-name \"O'Hara\" OR title:x*"_s).ok());

    Atlas::EntryTableModel entries(&library);
    Atlas::EntryFilter filter;
    filter.text = payload(u"search"_s);
    entries.setFilter(filter);
    filter.text = u"XSS-name"_s;
    filter.tagIds = {tag->tagId};
    entries.setFilter(filter);
    for (int column = 0; column < Atlas::EntryTableModel::ColumnCount; ++column)
        entries.sort(column);
    Atlas::DocumentTableModel documents(&library);
    Atlas::DocumentFilter documentFilter;
    documentFilter.text = payload(u"documents"_s);
    documents.setFilter(documentFilter);
    QVERIFY(documents.linkedEntries(document).ok());
    Atlas::SavedSearch saved;
    saved.name = payload(u"saved"_s);
    saved.filter = filter;
    saved.label = payload(u"label"_s);
    QVERIFY(Atlas::SavedSearches::write(library.database(), {saved}).ok());
    QVERIFY(Atlas::SavedSearches::read(library.database()).ok());
    Atlas::TaxonomyStore store(library.database());
    auto scheme = store.scheme(u"llm-safety-survey"_s);
    QVERIFY(scheme.ok());
    (void)store.findChild(scheme->id, std::nullopt, payload(u"lookup"_s)); // not found: an error result, fine
    QVERIFY(store.ensurePath(scheme->id, {payload(u"pathroot"_s), payload(u"pathchild"_s)}, u"import"_s).ok());
    Atlas::ExporterRegistry exporters;
    for (const QString &format : exporters.formatKeys())
        QVERIFY2(exporters.find(format)->write(library.database()).ok(), qPrintable(format));
    Atlas::ImportWriter writer(library);
    auto batches = writer.batches();
    QVERIFY(batches.ok() && !batches->isEmpty());
    QVERIFY(writer.undo(batches->last().id).ok());
    QVERIFY(library.check().ok());

    sqlite3_trace_v2(handle, 0, nullptr, nullptr);
    QStringList leaked;
    for (const QString &statement : std::as_const(trace.statements)) {
        if (statement.contains(markerPrefix) || statement.contains(u"<img"_s) || statement.contains(u"O'Hara"_s) || statement.contains(u"O''Hara"_s))
            leaked.append(statement.simplified().left(300));
    }
    qInfo("%lld statements traced while user data went through the model; %lld carried it in their text", qlonglong(trace.statements.size()),
        qlonglong(leaked.size()));
    QVERIFY(trace.statements.size() > 100);
    QVERIFY2(leaked.isEmpty(), qPrintable(leaked.join(u"\n"_s)));
}

void SecurityTest::newLibraryIsOwnerOnly()
{
    // The most permissive umask: the permissions must come from the code, not the environment.
    const mode_t saved = ::umask(0);
    const auto modeOf = [](const QString &file) {
        struct stat info;
        return ::stat(QFile::encodeName(file).constData(), &info) == 0 ? int(info.st_mode & 0777) : -1;
    };
    const QString file = path(u"private/new.sqlite"_s);
    {
        Atlas::Library library;
        const auto opened = library.open(file);
        QVERIFY2(opened.ok(), qPrintable(opened.error()));
        QVERIFY(library.wasCreated());
        QVERIFY(Atlas::Sql::exec(library.database(), u"INSERT INTO entry(name) VALUES ('kept private')"_s).ok());
        // While open, the write-ahead log and its index hold the library's data too.
        for (const QString &companion : QStringList {file, file + u"-wal"_s, file + u"-shm"_s}) {
            QVERIFY2(QFileInfo::exists(companion), qPrintable(companion));
            QCOMPARE(modeOf(companion), 0600);
        }
    }
    QCOMPARE(modeOf(file), 0600);

    // The backup written before a migration is a whole copy of the library.
    const QString old = path(u"private/old.sqlite"_s);
    const QString firstOnly = path(u"first-migration"_s);
    QVERIFY(QDir().mkpath(firstOnly));
    QVERIFY(QFile::copy(u":/migrations/0001_initial.sql"_s, firstOnly + u"/0001_initial.sql"_s));
    {
        Atlas::Library library;
        Atlas::Library::Options options;
        options.migrationsFolder = firstOnly;
        options.installBundledTaxonomies = false;
        QVERIFY(library.open(old, options).ok());
    }
    {
        Atlas::Library library;
        const auto opened = library.open(old);
        QVERIFY2(opened.ok(), qPrintable(opened.error()));
        QVERIFY(!library.backupPath().isEmpty());
        QCOMPARE(modeOf(library.backupPath()), 0600);
    }

    // The CLI's init goes the same way.
    const QString cliFile = path(u"private/cli.sqlite"_s);
    QProcess cli;
    cli.start(QStringLiteral(ATLAS_BIN_DIR "/mitigation-atlas-cli"), {u"--db"_s, cliFile, u"init"_s});
    if (cli.waitForStarted(5000)) {
        QVERIFY(cli.waitForFinished(60000));
        QCOMPARE(cli.exitCode(), 0);
        QCOMPARE(modeOf(cliFile), 0600);
    } else {
        qWarning("mitigation-atlas-cli is not built: its init was not checked");
    }
    ::umask(saved);
}

void SecurityTest::pluginsOnlyFromDocumentedFolders()
{
    const QString testPlugin = QStringLiteral(ATLAS_TEST_PLUGIN_DIR "/libtestplugin_count.so");
    QVERIFY2(QFileInfo::exists(testPlugin), "the test plugins are not built");
    // A working directory and a library folder, each holding a plugin-looking library.
    const QString work = path(u"plugin-cwd"_s);
    const QString libraryFolder = path(u"plugin-library"_s);
    for (const QString &folder : QStringList {work, libraryFolder, work + u"/plugins"_s, libraryFolder + u"/plugins"_s}) {
        QVERIFY(QDir().mkpath(folder));
        QVERIFY(QFile::copy(testPlugin, folder + u"/libsneaky.so"_s));
    }
    // The copy is a plugin the registry accepts when its folder is named: its absence below means something.
    {
        Atlas::PluginRegistry named;
        named.setUseBuiltInFolder(false);
        named.setExtraFolders({work});
        named.discover();
        QCOMPARE(named.plugins().size(), 1);
        QVERIFY2(named.plugins().first().isReady(), qPrintable(named.plugins().first().reason()));
    }
    Atlas::Library library;
    QVERIFY(library.open(libraryFolder + u"/library.sqlite"_s).ok());

    const QString saved = QDir::currentPath();
    QVERIFY(QDir::setCurrent(work));
    Atlas::PluginRegistry registry;
    registry.setExtraFolders({u"."_s, u"plugins"_s, QString()});
    registry.discover();
    QDir::setCurrent(saved);
    const QStringList forbidden {QFileInfo(work).canonicalFilePath(), QFileInfo(libraryFolder).canonicalFilePath()};
    for (const Atlas::PluginInfo &plugin : registry.plugins()) {
        const QString file = QFileInfo(plugin.filePath).canonicalFilePath();
        for (const QString &folder : forbidden)
            QVERIFY2(!file.startsWith(folder), qPrintable(u"a plugin was read from %1"_s.arg(plugin.filePath)));
    }
    // The relative folders were refused, and said so.
    QCOMPARE(registry.folderProblems().size(), 3);
    QVERIFY(!registry.builtInFolder().startsWith(forbidden.first()));

    // The same for the CLI run from that folder on that library.
    QProcess cli;
    cli.setWorkingDirectory(work);
    cli.start(QStringLiteral(ATLAS_BIN_DIR "/mitigation-atlas-cli"), {u"--db"_s, libraryFolder + u"/library.sqlite"_s, u"plugins"_s, u"--json"_s});
    if (!cli.waitForStarted(5000)) {
        qWarning("mitigation-atlas-cli is not built: its plugin folders were not checked");
        return;
    }
    QVERIFY(cli.waitForFinished(60000));
    QCOMPARE(cli.exitCode(), 0);
    const QJsonArray listed = QJsonDocument::fromJson(cli.readAllStandardOutput()).array();
    for (const QJsonValue &plugin : listed) {
        const QString file = QFileInfo(plugin.toObject().value(u"file"_s).toString()).canonicalFilePath();
        for (const QString &folder : forbidden)
            QVERIFY2(!file.startsWith(folder), qPrintable(u"the CLI read a plugin from %1"_s.arg(file)));
    }
}

QTEST_MAIN(SecurityTest)
#include "security_test.moc"

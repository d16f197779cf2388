// The curation window with data: searching the entry list, the detail pane (plain text only),
// tree selection as a filter, and the import dialog (dry run, import, cancel, undo).
#include "entrydetailpane.h"
#include "entrytablemodel.h"
#include "fileimport.h"
#include "importdialog.h"
#include "importhistorydialog.h"
#include "importwriter.h"
#include "library.h"
#include "mainwindow.h"
#include "pluginregistry.h"
#include "sql.h"
#include "taxonomytreemodel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace Atlas;

namespace
{

int count(Library &library, const QString &sql)
{
    auto value = Sql::scalar(library.database(), sql);
    return value ? value.value().toInt() : -1;
}

} // namespace

class CurationTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    RegistryImportBackend m_backend;
    int m_count = 0;

    QString writeFile(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(content);
        return path;
    }

    std::unique_ptr<Library> newLibrary()
    {
        auto library = std::make_unique<Library>();
        if (!library->open(m_dir.filePath(u"lib%1.sqlite"_s.arg(++m_count))).ok())
            qWarning("cannot open");
        return library;
    }

private Q_SLOTS:
    void searchFindsAndDetailShowsPlainText()
    {
        auto library = newLibrary();
        // A title with markup must be shown as written, never rendered.
        const QString bib = writeFile(u"rich.bib"_s,
            "@article{rt,\n title = {Red Teaming <b>Language</b> Models},\n author = {Perez, Ethan},\n year = 2022\n}\n");
        ParseResult parsed;
        EntryRecord entry;
        entry.name = u"Red teaming <i>at scale</i>"_s;
        entry.text = u"Red teaming is widely used <script>x</script> in LLMs."_s;
        entry.documentKey = u"d"_s;
        ClassificationRecord code;
        code.schemeKey = u"mit-mitigation-v2"_s;
        code.code = u"2.2.2"_s;
        entry.classifications = {code};
        DocumentRecord document;
        document.key = u"d"_s;
        document.title = u"Red Teaming <b>Language</b> Models"_s;
        document.year = 2022;
        parsed.records.documents = {document};
        EntryRecord other;
        other.name = u"Data filtering"_s;
        other.text = u"Removing toxic text."_s;
        parsed.records.entries = {entry, other};
        ImportOptions options;
        options.file = bib;
        options.format = u"test"_s;
        QVERIFY(ImportWriter(*library).apply(parsed, options)->written);

        MainWindow window(library.get(), &m_backend);
        window.show();
        // The window's list reads on a worker from its first read on.
        QTRY_COMPARE(window.entryModel()->totalCount(), 2);
        QTest::keyClicks(window.searchField(), u"red team"_s);
        QCOMPARE(window.searchField()->text(), u"red team"_s);
        QTRY_COMPARE(window.entryModel()->filter().text, u"red team"_s);
        // The window's list reads on a worker: the rows follow when the answer arrives.
        QTRY_VERIFY(!window.entryModel()->isLoading());
        QVERIFY2(window.entryModel()->errorString().isEmpty(), qPrintable(window.entryModel()->errorString()));
        QCOMPARE(window.entryModel()->totalCount(), 1);
        QCOMPARE(window.entryModel()->data(window.entryModel()->index(0, EntryTableModel::MitigationTypeColumn)).toString(), u"2.2.2"_s);
        window.entryView()->setFocus();
        window.entryView()->selectRow(0);
        QTRY_VERIFY(window.detailPane()->entryId() != 0);
        const QString shown = window.detailPane()->plainText();
        QVERIFY2(shown.contains(u"Red teaming <i>at scale</i>"_s), qPrintable(shown));
        QVERIFY(shown.contains(u"<script>x</script>"_s));
        QVERIFY(shown.contains(u"Red Teaming <b>Language</b> Models"_s));
        QVERIFY(shown.contains(u"2.2.2 Testing & Evaluation"_s));

        // Clearing the search brings everything back; a tree node filters.
        window.searchField()->clear();
        QTRY_COMPARE(window.entryModel()->totalCount(), 2);
        const qint64 node = count(*library, u"SELECT n.id FROM taxonomy_node n JOIN scheme s ON s.id = n.scheme_id WHERE s.key = 'mit-mitigation-v2' AND n.code = '2.2'"_s);
        const QModelIndexList found = window.taxonomyModel()->match(window.taxonomyModel()->index(0, 0), TaxonomyTreeModel::NodeIdRole, node, 1,
            Qt::MatchExactly | Qt::MatchRecursive);
        QVERIFY(!found.isEmpty());
        window.taxonomyView()->selectionModel()->select(found.first(), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QTRY_COMPARE(window.entryModel()->totalCount(), 1);
    }

    void importDialogDryRunThenImport()
    {
        auto library = newLibrary();
        const QString bib = writeFile(u"two.bib"_s,
            "@article{a,\n title = {First Paper},\n author = {Doe, Jane},\n year = 2020\n}\n"
            "@article{b,\n title = {Second Paper},\n author = {Roe, Rick},\n year = 2021\n}\n");
        ImportDialog dialog(library.get(), &m_backend, bib);
        QTRY_VERIFY(!dialog.isBusy());
        QCOMPARE(dialog.formatKey(), u"bibtex"_s);
        QVERIFY(dialog.summary().dryRun);
        QCOMPARE(dialog.summary().documents.added, 2);
        QCOMPARE(count(*library, u"SELECT count(*) FROM document"_s), 0); // a dry run writes nothing
        QSignalSpy changed(library.get(), &Library::changed);
        dialog.startImport();
        QTRY_VERIFY(!dialog.isBusy());
        QVERIFY(dialog.summary().written);
        QCOMPARE(count(*library, u"SELECT count(*) FROM document"_s), 2);
        QCOMPARE(changed.count(), 1);

        // Undo from the history.
        ImportHistoryDialog history(library.get());
        QCOMPARE(history.table()->rowCount(), 1);
        history.table()->selectRow(0);
        history.undoSelected(false);
        QCOMPARE(count(*library, u"SELECT count(*) FROM document"_s), 0);
        QCOMPARE(history.table()->item(0, 7)->text(), u"undone"_s);
    }

    // The entries an import adds are linked to the demos whose codes they carry inside the
    // import's own transaction: the links are there when the import reports back, and the undo
    // of the import takes them away with the entries.
    void importLinksDemosInItsTransaction()
    {
        auto library = newLibrary();
        const QString csv = writeFile(u"codes.csv"_s,
            "Action ID,Action Name,Action Definition,Action Source,MitigationCode\n"
            "A0001_Test2024,Safety Team,A team that owns safety.,Test2024,1.1 Board Structure & Oversight\n"
            "A0002_Test2024,Red Team,A team that attacks the model.,Test2024,2.1 Testing & Auditing\n");
        const QJsonObject meta {{u"id"_s, u"board"_s}, {u"name"_s, u"Board"_s}, {u"version"_s, u"1"_s}, {u"description"_s, u"d"_s},
            {u"category"_s, u"test"_s}, {u"parameters"_s, QJsonArray()},
            {u"demonstrates"_s, QJsonObject {{u"mitigationTypes"_s, QJsonArray {u"mit-mitigation-v1:1.1"_s}}}}};
        const PluginInfo plugin = PluginRegistry::fromMetaData(
            {{u"IID"_s, QStringLiteral("org.mitigationatlas.MitigationPlugin/1")}, {u"MetaData"_s, meta}}, u"/plugins/libboard.so"_s);
        QVERIFY2(plugin.isReady(), qPrintable(plugin.reason()));

        ImportDialog dialog(library.get(), &m_backend, csv);
        dialog.setDemoPlugins({plugin});
        QTRY_VERIFY(!dialog.isBusy());
        QCOMPARE(dialog.formatKey(), u"mit-v1-csv"_s);
        QCOMPARE(count(*library, u"SELECT count(*) FROM plugin_link"_s), 0); // a dry run links nothing
        dialog.startImport();
        QTRY_VERIFY(!dialog.isBusy());
        QVERIFY(dialog.summary().written);
        QCOMPARE(dialog.demoLinksAdded(), 1);
        QCOMPARE(count(*library, u"SELECT count(*) FROM plugin_link l JOIN entry e ON e.id = l.entry_id WHERE l.plugin_id = 'board' AND e.name = 'Safety Team'"_s), 1);
        QCOMPARE(count(*library, u"SELECT count(*) FROM plugin_link"_s), 1);

        ImportHistoryDialog history(library.get());
        history.table()->selectRow(0);
        history.undoSelected(false);
        QCOMPARE(count(*library, u"SELECT count(*) FROM entry"_s), 0);
        QCOMPARE(count(*library, u"SELECT count(*) FROM plugin_link"_s), 0);
    }

    void cancelledImportWritesNothing()
    {
        auto library = newLibrary();
        QByteArray big;
        for (int i = 0; i < 20000; ++i)
            big += QStringLiteral("@article{k%1,\n title = {Paper number %1 about safety},\n author = {Author, A%1},\n year = 2020\n}\n").arg(i).toUtf8();
        const QString bib = writeFile(u"big.bib"_s, big);
        ImportDialog dialog(library.get(), &m_backend, bib);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isBusy(), 60000);
        QCOMPARE(dialog.summary().documents.added, 20000);
        dialog.startImport();
        QVERIFY(dialog.isBusy());
        // The window's thread stays free while the worker writes: its events are handled.
        bool handled = false;
        QTimer::singleShot(0, &dialog, [&handled] {
            handled = true;
        });
        QTRY_VERIFY(handled);
        QVERIFY(dialog.isBusy());
        dialog.cancelJob();
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isBusy(), 60000);
        QVERIFY(dialog.summary().cancelled);
        QVERIFY(!dialog.summary().written);
        QCOMPARE(count(*library, u"SELECT count(*) FROM document"_s), 0);
        QCOMPARE(count(*library, u"SELECT count(*) FROM import_batch"_s), 0);
    }
};

QTEST_MAIN(CurationTest)
#include "curation_test.moc"

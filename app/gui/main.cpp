// mitigation-atlas: the curation window.
#include "application.h"
#include "bibtexexporter.h"
#include "documentsview.h"
#include "library.h"
#include "mainwindow.h"
#include "runpanel.h"
#include "samplelibrary.h"
#include "sql.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QIcon>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QTimer>
#include <QLineEdit>
#include <QTableView>
#include <QTreeView>

#include <cstdio>
#include <cstring>

namespace
{

void printError(const QString &message)
{
    std::fprintf(stderr, "mitigation-atlas: %s\n", qPrintable(message));
}

// Selects the first row of the entry or document list on show, so the detail pane is filled.
bool selectFirstRow(Atlas::MainWindow &window)
{
    QTableView *table = nullptr;
    if (window.currentView() == Atlas::MainWindow::View::Entries && !window.searchField()->text().isEmpty())
        table = window.entryView();
    else if (window.currentView() == Atlas::MainWindow::View::Documents)
        table = window.documentsView()->table();
    if (!table || table->model()->rowCount() == 0)
        return false;
    table->setCurrentIndex(table->model()->index(0, 0));
    return true;
}

// The peak resident memory of this process so far, in KiB (VmHWM), or -1 where it cannot be read.
qint64 peakResidentKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// Reports, for --startup-report, when the window was first painted and when its entry list and
// tree were filled, then quits.
class StartupReporter : public QObject
{
public:
    StartupReporter(Atlas::MainWindow *window, const QElapsedTimer &clock) : QObject(window), m_window(window), m_clock(clock)
    {
        window->installEventFilter(this);
        if (window->entryModel()->isLoading())
            connect(window->entryModel(), &Atlas::EntryTableModel::loaded, this, &StartupReporter::entriesLoaded);
        else
            m_loadedMs = m_clock.elapsed();
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == m_window && event->type() == QEvent::Paint && m_paintedMs < 0) {
            m_paintedMs = m_clock.elapsed();
            QTimer::singleShot(0, this, &StartupReporter::finishWhenReady);
        }
        return QObject::eventFilter(watched, event);
    }

private:
    void entriesLoaded()
    {
        if (m_loadedMs < 0)
            m_loadedMs = m_clock.elapsed();
        finishWhenReady();
    }
    void finishWhenReady()
    {
        if (m_paintedMs < 0 || m_loadedMs < 0 || m_done)
            return;
        m_done = true;
        const QJsonObject report {{QStringLiteral("painted_ms"), m_paintedMs}, {QStringLiteral("entries_loaded_ms"), m_loadedMs},
            {QStringLiteral("entries"), m_window->entryModel()->totalCount()}, {QStringLiteral("peak_rss_kib"), peakResidentKiB()}};
        std::printf("%s\n", QJsonDocument(report).toJson(QJsonDocument::Compact).constData());
        std::fflush(stdout);
        QCoreApplication::exit(0);
    }

    Atlas::MainWindow *m_window;
    QElapsedTimer m_clock;
    qint64 m_paintedMs = -1;
    qint64 m_loadedMs = -1;
    bool m_done = false;
};

} // namespace

int main(int argc, char *argv[])
{
    QElapsedTimer startClock;
    startClock.start();
    // A screenshot needs no display: render offscreen unless the caller chose a platform.
    for (int i = 1; i < argc; ++i) {
        const bool headless = std::strcmp(argv[i], "--screenshot") == 0 || std::strcmp(argv[i], "--startup-report") == 0;
        if (headless && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
    }

    QApplication app(argc, argv);
    Atlas::setApplicationIdentity();
    QApplication::setApplicationDisplayName(QObject::tr("Mitigation Atlas"));
    QApplication::setDesktopFileName(QStringLiteral("org.mitigationatlas.MitigationAtlas"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/mitigation-atlas.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QObject::tr("Curate and review a taxonomy of AI-risk mitigations."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dbOption(
        QStringLiteral("db"), QObject::tr("Open the library FILE (default: %1).").arg(Atlas::Library::defaultPath()), QObject::tr("FILE"));
    const QCommandLineOption screenshotOption(
        QStringLiteral("screenshot"), QObject::tr("Render the main window to the PNG FILE and exit."), QObject::tr("FILE"));
    const QCommandLineOption viewOption(QStringLiteral("view"),
        QObject::tr("With --screenshot: the view to render: tree, entries, documents, coverage or run (default: entries)."), QObject::tr("VIEW"),
        QStringLiteral("entries"));
    const QCommandLineOption demoOption(QStringLiteral("demo"),
        QObject::tr("With --view run: run the demo plugin ID with its defaults for an entry linked to it, and render its run panel when the run ends."),
        QObject::tr("ID"));
    parser.addOption(dbOption);
    parser.addOption(screenshotOption);
    parser.addOption(viewOption);
    parser.addOption(demoOption);
    const QCommandLineOption startupOption(QStringLiteral("startup-report"),
        QObject::tr("Open the window (offscreen unless a platform is chosen), print when it was first painted and when its entry list was "
                    "filled (ms since start) and the peak memory as one JSON line, and exit. For benchmarks."));
    parser.addOption(startupOption);
    parser.process(app);
    const QString view = parser.value(viewOption);
    if (!QStringList{QStringLiteral("tree"), QStringLiteral("entries"), QStringLiteral("documents"), QStringLiteral("coverage"), QStringLiteral("run")}.contains(view)) {
        printError(QObject::tr("unknown view \"%1\" (one of: tree, entries, documents, coverage, run)").arg(view));
        return 1;
    }
    if ((view == QLatin1String("run")) != parser.isSet(demoOption)) {
        printError(QObject::tr("--view run and --demo ID go together"));
        return 1;
    }

    const QString path = parser.isSet(dbOption) ? parser.value(dbOption) : Atlas::Library::defaultPath();
    const bool screenshot = parser.isSet(screenshotOption);

    // While another program writes to the library, an edit made in the window waits at most one
    // second (the window does not respond meanwhile), then fails and says so in the status bar;
    // work the window does on workers (an import, linking demos) waits up to a minute, and the
    // status bar says that it waits.
    Atlas::Sql::setBusyWait({60000, {}, 1000});

    Atlas::Library library;
    if (auto status = library.open(path); !status) {
        printError(status.error());
        if (!screenshot)
            QMessageBox::critical(nullptr, QObject::tr("Mitigation Atlas"), status.error());
        return 2;
    }

    // The first start on the default library shows the sample data rather than an empty window.
    Atlas::RegistryImportBackend backend;
    if (library.wasCreated() && !parser.isSet(dbOption)) {
        Atlas::ImporterRegistry registry;
        auto installed = Atlas::SampleLibrary::install(library, registry);
        if (!installed)
            printError(QObject::tr("the sample library could not be imported: %1").arg(installed.error()));
    }

    Atlas::MainWindow window(&library, &backend);
    window.showLockWaitsInStatusBar();
    window.documentsView()->setBibtexSource([&library](qint64 documentId) {
        auto text = Atlas::BibtexExporter::documents(library.database(), {documentId});
        return text ? text.value() : QObject::tr("(the BibTeX could not be made: %1)").arg(text.error());
    });
    window.resize(1200, 760);
    if (parser.isSet(startupOption))
        new StartupReporter(&window, startClock);
    window.show();

    if (screenshot && view == QLatin1String("run")) {
        // Once the demos are linked: the first entry linked to the demo, its run panel, a run with
        // the defaults; the panel is rendered when the run ends, whatever its status.
        const QString file = parser.value(screenshotOption);
        const QString demo = parser.value(demoOption);
        window.linkDemos([&window, &library, file, demo] {
            auto linked = Atlas::Sql::scalar(library.database(),
                QStringLiteral("SELECT entry_id FROM plugin_link WHERE plugin_id = ? AND state = 'linked' ORDER BY entry_id LIMIT 1"), {demo});
            const qint64 entry = linked && !linked.value().isNull() ? linked.value().toLongLong() : 0;
            if (entry == 0) {
                printError(QObject::tr("no entry of the library is linked to the demo \"%1\"").arg(demo));
                QCoreApplication::exit(2);
                return;
            }
            window.showEntry(entry);
            Atlas::RunPanel *panel = window.openRunPanel(entry, demo);
            if (!panel) {
                QCoreApplication::exit(2);
                return;
            }
            QObject::connect(panel, &Atlas::RunPanel::runFinished, panel, [panel, file](const Atlas::PluginRun &run) {
                QCoreApplication::processEvents();
                const bool saved = panel->grab().save(file, "PNG");
                if (!saved)
                    printError(QObject::tr("cannot write the screenshot %1").arg(QDir::toNativeSeparators(file)));
                QCoreApplication::exit(!saved ? 2 : run.status == Atlas::RunStatus::Finished ? 0 : 3);
            });
            if (!panel->startRun()) {
                printError(panel->statusLabel()->text());
                QCoreApplication::exit(2);
            }
        });
    } else if (screenshot) {
        // Stage the view the way a user would see it, let the window settle, then grab it.
        const QString file = parser.value(screenshotOption);
        QTimer::singleShot(0, &window, [&window, view] {
            window.showView(view == QLatin1String("coverage")    ? Atlas::MainWindow::View::Coverage
                            : view == QLatin1String("documents") ? Atlas::MainWindow::View::Documents
                                                                 : Atlas::MainWindow::View::Entries);
            QTreeView *tree = window.taxonomyView();
            if (view == QLatin1String("tree")) {
                // The risk categories opened two levels deep, one of them selected.
                const QModelIndexList risks = tree->model()->match(tree->model()->index(0, 0), Qt::DisplayRole, QObject::tr("Risk category"), 1,
                    Qt::MatchExactly);
                if (!risks.isEmpty())
                    tree->expandRecursively(risks.first(), 3);
                const QModelIndexList found = tree->model()->match(tree->model()->index(0, 0), Qt::DisplayRole, QStringLiteral("Value Misalignment"), 1,
                    Qt::MatchExactly | Qt::MatchRecursive);
                if (!found.isEmpty()) {
                    tree->setCurrentIndex(found.first());
                    tree->scrollTo(found.first());
                }
            } else if (view == QLatin1String("entries")) {
                window.searchField()->setText(QStringLiteral("red team"));
            } else if (view == QLatin1String("documents")) {
                Atlas::DocumentsView *documents = window.documentsView();
                documents->searchField()->setText(QStringLiteral("safety survey"));
            } else {
                tree->setCurrentIndex(tree->model()->index(0, 0));
            }
        });
        QTimer::singleShot(800, &window, [&window, file] {
            if (selectFirstRow(window))
                QCoreApplication::processEvents();
            if (!window.grab().save(file, "PNG")) {
                printError(QObject::tr("cannot write the screenshot %1").arg(QDir::toNativeSeparators(file)));
                QCoreApplication::exit(2);
                return;
            }
            QCoreApplication::exit(0);
        });
    }
    return app.exec();
}

// mitigation-atlas: the curation window.
#include "application.h"
#include "bibtexexporter.h"
#include "documentsview.h"
#include "library.h"
#include "mainwindow.h"
#include "samplelibrary.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QIcon>
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

} // namespace

int main(int argc, char *argv[])
{
    // A screenshot needs no display: render offscreen unless the caller chose a platform.
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--screenshot") == 0 && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
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
        QObject::tr("With --screenshot: the view to render: tree, entries, documents or coverage (default: entries)."), QObject::tr("VIEW"),
        QStringLiteral("entries"));
    parser.addOption(dbOption);
    parser.addOption(screenshotOption);
    parser.addOption(viewOption);
    parser.process(app);
    const QString view = parser.value(viewOption);
    if (!QStringList{QStringLiteral("tree"), QStringLiteral("entries"), QStringLiteral("documents"), QStringLiteral("coverage")}.contains(view)) {
        printError(QObject::tr("unknown view \"%1\" (one of: tree, entries, documents, coverage)").arg(view));
        return 1;
    }

    const QString path = parser.isSet(dbOption) ? parser.value(dbOption) : Atlas::Library::defaultPath();
    const bool screenshot = parser.isSet(screenshotOption);

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
    window.documentsView()->setBibtexSource([&library](qint64 documentId) {
        auto text = Atlas::BibtexExporter::documents(library.database(), {documentId});
        return text ? text.value() : QObject::tr("(the BibTeX could not be made: %1)").arg(text.error());
    });
    window.resize(1200, 760);
    window.show();

    if (screenshot) {
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

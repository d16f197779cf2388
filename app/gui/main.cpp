// mitigation-atlas: the curation window.
#include "application.h"
#include "library.h"
#include "mainwindow.h"
#include "samplelibrary.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QIcon>
#include <QMessageBox>
#include <QTimer>
#include <QTreeView>

#include <cstdio>
#include <cstring>

namespace
{

void printError(const QString &message)
{
    std::fprintf(stderr, "mitigation-atlas: %s\n", qPrintable(message));
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
    parser.addOption(dbOption);
    parser.addOption(screenshotOption);
    parser.process(app);

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
    window.resize(1200, 760);
    window.show();

    if (screenshot) {
        const QString file = parser.value(screenshotOption);
        int result = 0;
        QTimer::singleShot(0, &window, [&] {
            // Show a category in the detail pane so the picture says what the tree holds.
            QTreeView *tree = window.taxonomyView();
            const QModelIndex first = tree->model()->index(0, 0);
            tree->setCurrentIndex(first);
            QCoreApplication::processEvents();
            if (!window.grab().save(file, "PNG")) {
                printError(QObject::tr("cannot write the screenshot %1").arg(QDir::toNativeSeparators(file)));
                result = 2;
            }
            QCoreApplication::exit(result);
        });
    }
    return app.exec();
}

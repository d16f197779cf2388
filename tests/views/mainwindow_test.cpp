// MainWindowTest: the curation window on a new library, offscreen: its tree, the pane that
// follows the selection, and the --screenshot mode of the mitigation-atlas executable.
#include "library.h"
#include "mainwindow.h"
#include "taxonomynodepane.h"
#include "taxonomytreemodel.h"

#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <memory>

using namespace Qt::StringLiterals;

class MainWindowTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void treeShowsTheFiveDimensions();
    void paneAgreesWithTheTreeFromTheStart();
    void selectionUpdatesPane_data();
    void selectionUpdatesPane();
    void paneShowsPlainText();
    void panePathNamesEveryLevel();
    void grabRendersTheWindow();
    void screenshotOption();

private:
    // The texts of the pane's labels, in creation order.
    QStringList paneTexts() const;

    QTemporaryDir m_dir;
    std::unique_ptr<Atlas::Library> m_library;
    std::unique_ptr<Atlas::MainWindow> m_window;
};

void MainWindowTest::initTestCase()
{
    QVERIFY2(m_dir.isValid(), qPrintable(m_dir.errorString()));
    m_library = std::make_unique<Atlas::Library>();
    auto status = m_library->open(m_dir.filePath(u"library.sqlite"_s));
    QVERIFY2(status.ok(), qPrintable(status.error()));
}

void MainWindowTest::init()
{
    m_window = std::make_unique<Atlas::MainWindow>(m_library.get());
    m_window->resize(1200, 760);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void MainWindowTest::cleanup()
{
    m_window.reset();
}

QStringList MainWindowTest::paneTexts() const
{
    auto *pane = m_window->findChild<Atlas::TaxonomyNodePane *>();
    if (!pane)
        return {};
    QStringList texts;
    const QList<QLabel *> labels = pane->findChildren<QLabel *>();
    for (const QLabel *label : labels)
        texts.append(label->text());
    return texts;
}

void MainWindowTest::treeShowsTheFiveDimensions()
{
    QTreeView *tree = m_window->taxonomyView();
    QVERIFY(tree);
    QCOMPARE(tree->model(), m_window->taxonomyModel());
    QVERIFY2(m_window->taxonomyModel()->errorString().isEmpty(), qPrintable(m_window->taxonomyModel()->errorString()));

    const QAbstractItemModel *model = tree->model();
    QStringList names;
    for (int row = 0; row < model->rowCount(); ++row)
        names.append(model->index(row, Atlas::TaxonomyTreeModel::NameColumn).data().toString());
    const QStringList expected = {u"Actor"_s, u"Lifecycle stage"_s, u"Risk category"_s, u"Mitigation type"_s, u"NIST AI RMF function"_s};
    QCOMPARE(names, expected);

    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex dimension = model->index(row, 0);
        QVERIFY2(model->rowCount(dimension) > 0, qPrintable(names.at(row)));
        // The window opens with the dimensions expanded.
        QVERIFY2(tree->isExpanded(dimension), qPrintable(names.at(row)));
    }
}

void MainWindowTest::paneAgreesWithTheTreeFromTheStart()
{
    QVERIFY(m_window->findChild<Atlas::TaxonomyNodePane *>());
    // The view may make its first row current when it takes the focus; the pane must follow either way.
    const QModelIndex current = m_window->taxonomyView()->currentIndex();
    const QStringList texts = paneTexts();
    const QString expected = current.isValid() ? current.siblingAtColumn(Atlas::TaxonomyTreeModel::NameColumn).data().toString() : u"Taxonomy"_s;
    QVERIFY2(texts.contains(expected), qPrintable(expected + u": "_s + texts.join(u" | "_s)));
}

void MainWindowTest::selectionUpdatesPane_data()
{
    QTest::addColumn<int>("dimensionRow");
    QTest::newRow("actor") << 0;
    QTest::newRow("lifecycle") << 1;
    QTest::newRow("risk") << 2;
    QTest::newRow("mitigation type") << 3;
    QTest::newRow("function") << 4;
}

void MainWindowTest::selectionUpdatesPane()
{
    QFETCH(int, dimensionRow);
    QTreeView *tree = m_window->taxonomyView();
    const QAbstractItemModel *model = tree->model();
    const QModelIndex dimension = model->index(dimensionRow, 0);
    QVERIFY(dimension.isValid());
    const QString dimensionName = dimension.data().toString();

    tree->setCurrentIndex(dimension);
    QStringList texts = paneTexts();
    QVERIFY2(texts.contains(dimensionName), qPrintable(texts.join(u" | "_s)));
    QVERIFY2(texts.join(u'\n').contains(u"subcategories"_s), qPrintable(texts.join(u" | "_s)));

    // A child: its name as the title and the dimension in the path above it.
    const QModelIndex child = model->index(0, 0, dimension);
    QVERIFY(child.isValid());
    const QString childName = child.data().toString();
    QVERIFY(!childName.isEmpty());
    tree->setCurrentIndex(child);
    texts = paneTexts();
    QVERIFY2(texts.contains(childName), qPrintable(texts.join(u" | "_s)));
    // The path above a first-level item is the dimension alone.
    QVERIFY2(texts.contains(dimensionName), qPrintable(texts.join(u" | "_s)));
    QVERIFY2(!texts.join(u'\n').contains(u"subcategories"_s) || model->rowCount(child) > 0, qPrintable(texts.join(u" | "_s)));
    const QString description = child.data(Qt::ToolTipRole).toString();
    if (!description.isEmpty())
        QVERIFY2(texts.contains(description), qPrintable(texts.join(u" | "_s)));

    // Selecting the count column shows the same item.
    tree->setCurrentIndex(child.siblingAtColumn(Atlas::TaxonomyTreeModel::CountColumn));
    QVERIFY(paneTexts().contains(childName));

    tree->setCurrentIndex(QModelIndex());
    texts = paneTexts();
    QVERIFY2(!texts.contains(childName), qPrintable(texts.join(u" | "_s)));
    QVERIFY2(texts.contains(u"Taxonomy"_s), qPrintable(texts.join(u" | "_s)));
}

void MainWindowTest::paneShowsPlainText()
{
    auto *pane = m_window->findChild<Atlas::TaxonomyNodePane *>();
    QVERIFY(pane);
    const QList<QLabel *> labels = pane->findChildren<QLabel *>();
    QVERIFY(labels.size() >= 2);
    for (const QLabel *label : labels)
        QCOMPARE(label->textFormat(), Qt::PlainText);
}

void MainWindowTest::panePathNamesEveryLevel()
{
    // Mitigation type › MIT mitigation taxonomy v2 › 1 AI System › 1.1 Model: deep enough for two separators.
    QTreeView *tree = m_window->taxonomyView();
    const QAbstractItemModel *model = tree->model();
    QModelIndex deepest = model->index(3, 0);
    QStringList names = {deepest.data().toString()};
    QCOMPARE(names.first(), u"Mitigation type"_s);
    while (names.size() < 4) {
        deepest = model->index(0, 0, deepest);
        QVERIFY2(deepest.isValid(), qPrintable(names.join(u" / "_s)));
        names.append(deepest.data().toString());
    }

    tree->setCurrentIndex(deepest);
    const QStringList texts = paneTexts();
    QVERIFY2(texts.contains(names.last()), qPrintable(texts.join(u" | "_s)));
    // U+203A SINGLE RIGHT-POINTING ANGLE QUOTATION MARK between the levels above.
    const QString path = names.mid(0, 3).join(u" \u203A "_s);
    QVERIFY2(texts.contains(path), qPrintable(u"expected \"%1\" among: %2"_s.arg(path, texts.join(u" | "_s))));
}

void MainWindowTest::grabRendersTheWindow()
{
    m_window->taxonomyView()->setCurrentIndex(m_window->taxonomyModel()->index(2, 0));
    const QImage image = m_window->grab().toImage();
    QVERIFY(!image.isNull());
    QVERIFY2(image.width() > 100 && image.height() > 100, qPrintable(u"%1x%2"_s.arg(image.width()).arg(image.height())));

    // Something was drawn: not a single flat colour.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7) {
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    }
    QVERIFY2(colours.size() > 2, qPrintable(u"%1 colours"_s.arg(colours.size())));
}

void MainWindowTest::screenshotOption()
{
    const QString executable = QStringLiteral(ATLAS_BIN_DIR "/mitigation-atlas");
    QVERIFY2(QFileInfo(executable).isExecutable(), "mitigation-atlas is not built");
    const QString library = m_dir.filePath(u"screenshot.sqlite"_s);
    const QString picture = m_dir.filePath(u"window.png"_s);

    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    environment.insert(u"HOME"_s, m_dir.path());
    environment.insert(u"XDG_DATA_HOME"_s, m_dir.filePath(u"xdg-data"_s));
    environment.insert(u"XDG_CONFIG_HOME"_s, m_dir.filePath(u"xdg-config"_s));
    process.setProcessEnvironment(environment);
    process.start(executable, {u"--db"_s, library, u"--screenshot"_s, picture});
    QVERIFY2(process.waitForFinished(120000), qPrintable(process.errorString()));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());

    QVERIFY(QFileInfo(library).isFile());
    const QImage image(picture);
    QVERIFY2(!image.isNull(), qPrintable(picture));
    QVERIFY2(image.width() > 100 && image.height() > 100, qPrintable(u"%1x%2"_s.arg(image.width()).arg(image.height())));
}

QTEST_MAIN(MainWindowTest)

#include "mainwindow_test.moc"

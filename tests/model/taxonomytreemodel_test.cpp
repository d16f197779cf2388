// Tests TaxonomyTreeModel under QAbstractItemModelTester, its shape and its live counts.
#include "taxonomytreemodel.h"
#include "testlibrary.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Atlas;
using namespace AtlasTest;
using namespace Qt::StringLiterals;

class TaxonomyTreeModelTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void passesModelTester();
    void showsDimensionsAndSchemes();
    void countsAreLive();
    void countsAreReadOnAWorker();
    void emptyWithoutLibrary();

private:
    QModelIndex find(const QAbstractItemModel &model, const QString &label, const QModelIndex &parent = {});
    QTemporaryDir *m_dir = nullptr;
    Library *m_library = nullptr;
};

void TaxonomyTreeModelTest::init()
{
    m_dir = new QTemporaryDir;
    m_library = new Library;
    QVERIFY(m_library->open(m_dir->filePath(u"lib.sqlite"_s)).ok());
}

void TaxonomyTreeModelTest::cleanup()
{
    delete m_library;
    delete m_dir;
}

// Depth-first search by display text.
QModelIndex TaxonomyTreeModelTest::find(const QAbstractItemModel &model, const QString &label, const QModelIndex &parent)
{
    for (int row = 0; row < model.rowCount(parent); ++row) {
        const QModelIndex index = model.index(row, 0, parent);
        if (index.data().toString() == label)
            return index;
        if (QModelIndex below = find(model, label, index); below.isValid())
            return below;
    }
    return {};
}

void TaxonomyTreeModelTest::passesModelTester()
{
    TaxonomyTreeModel model(m_library);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const qint64 entry = addEntry(*m_library, u"Red teaming"_s);
    classify(*m_library, entry, scalar(*m_library, u"SELECT id FROM taxonomy_node WHERE code = '2.2.2'"_s).toLongLong());
    m_library->notifyChanged();
    model.reload();
}

void TaxonomyTreeModelTest::showsDimensionsAndSchemes()
{
    TaxonomyTreeModel model(m_library);
    QVERIFY(model.errorString().isEmpty());
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.columnCount(), 2);
    const QStringList expected = {u"Actor"_s, u"Lifecycle stage"_s, u"Risk category"_s, u"Mitigation type"_s, u"NIST AI RMF function"_s};
    for (int row = 0; row < 5; ++row)
        QCOMPARE(model.index(row, 0).data().toString(), expected.at(row));

    // One scheme: its nodes sit right under the dimension.
    const QModelIndex actor = model.index(0, 0);
    QCOMPARE(model.rowCount(actor), 4);
    QCOMPARE(model.index(0, 0, actor).data().toString(), u"Developer"_s);
    QCOMPARE(model.index(1, 0, actor).data().toString(), u"Deployer (provisional)"_s);
    QVERIFY(model.index(1, 0, actor).data(TaxonomyTreeModel::ProvisionalRole).toBool());

    // Several schemes: one level per scheme.
    const QModelIndex risk = model.index(2, 0);
    QCOMPARE(model.rowCount(risk), 3);
    QCOMPARE(model.index(0, 0, risk).data(TaxonomyTreeModel::KindRole).toInt(), int(TaxonomyTreeModel::ItemKind::Scheme));
    const QModelIndex mitigation = model.index(3, 0);
    QCOMPARE(model.rowCount(mitigation), 2);
    const QModelIndex v2 = model.index(0, 0, mitigation);
    QCOMPARE(model.rowCount(v2), 4); // 1, 2, 3, 99
    const QModelIndex learning = find(model, u"1.1.2 Learning Objectives"_s, v2);
    QVERIFY(learning.isValid());
    QCOMPARE(learning.parent().data().toString(), u"1.1 Model"_s);
    QCOMPARE(learning.data(TaxonomyTreeModel::CodeRole).toString(), u"1.1.2"_s);
    QVERIFY(learning.data(Qt::ToolTipRole).toString().contains(u"objectives"_s));
    QCOMPARE(learning.data(TaxonomyTreeModel::DimensionRole).toString(), u"mitigation_type"_s);
    QVERIFY(learning.data(TaxonomyTreeModel::NodeIdRole).toLongLong() > 0);
    QCOMPARE(model.rowCount(learning.siblingAtColumn(1)), 0);
}

void TaxonomyTreeModelTest::countsAreLive()
{
    TaxonomyTreeModel model(m_library);
    const QModelIndex mitigation = model.index(3, 0);
    const QModelIndex testing = find(model, u"2.2.2 Testing & Evaluation"_s, mitigation);
    QVERIFY(testing.isValid());
    const QModelIndex organisation = find(model, u"2 Organisation"_s, mitigation);
    QCOMPARE(testing.data(TaxonomyTreeModel::CountRole).toLongLong(), 0);

    QSignalSpy spy(&model, &QAbstractItemModel::dataChanged);
    const qint64 a = addEntry(*m_library, u"Red teaming"_s);
    const qint64 b = addEntry(*m_library, u"Capability evaluations"_s);
    const qint64 node = testing.data(TaxonomyTreeModel::NodeIdRole).toLongLong();
    classify(*m_library, a, node);
    classify(*m_library, b, node);
    m_library->notifyChanged();

    QVERIFY(spy.count() > 0);
    QCOMPARE(testing.data(TaxonomyTreeModel::CountRole).toLongLong(), 2);
    QCOMPARE(testing.siblingAtColumn(TaxonomyTreeModel::CountColumn).data().toString(), u"2"_s);
    QCOMPARE(organisation.data(TaxonomyTreeModel::CountRole).toLongLong(), 2);
    QCOMPARE(mitigation.data(TaxonomyTreeModel::CountRole).toLongLong(), 2);
    QCOMPARE(model.index(0, 0).data(TaxonomyTreeModel::CountRole).toLongLong(), 0); // Actor
    // A dimension with one scheme shows that scheme's nodes directly: their counts are live too.
    const QModelIndex developer = find(model, u"Developer"_s, model.index(0, 0));
    QVERIFY(developer.isValid());
    QCOMPARE(developer.parent(), model.index(0, 0));
    classify(*m_library, a, developer.data(TaxonomyTreeModel::NodeIdRole).toLongLong());
    m_library->notifyChanged();
    QCOMPARE(developer.data(TaxonomyTreeModel::CountRole).toLongLong(), 1);
    QCOMPARE(model.index(0, 0).data(TaxonomyTreeModel::CountRole).toLongLong(), 1);
    // Only changed cells are signalled: a second refresh with nothing new signals nothing.
    spy.clear();
    model.refreshCounts();
    QCOMPARE(spy.count(), 0);
}

// In the window's mode the counts arrive from a worker: the same numbers, after countsRefreshed().
void TaxonomyTreeModelTest::countsAreReadOnAWorker()
{
    const qint64 a = addEntry(*m_library, u"Red teaming"_s);
    TaxonomyTreeModel reference(m_library);
    const QModelIndex testing = find(reference, u"2.2.2 Testing & Evaluation"_s, reference.index(3, 0));
    classify(*m_library, a, testing.data(TaxonomyTreeModel::NodeIdRole).toLongLong());

    TaxonomyTreeModel model(m_library, nullptr, true);
    QAbstractItemModelTester tester(&model);
    QSignalSpy refreshed(&model, &TaxonomyTreeModel::countsRefreshed);
    QVERIFY(model.isCounting());
    QVERIFY(refreshed.wait(10000));
    QVERIFY(!model.isCounting());
    const QModelIndex counted = find(model, u"2.2.2 Testing & Evaluation"_s, model.index(3, 0));
    QCOMPARE(counted.data(TaxonomyTreeModel::CountRole).toLongLong(), 1);
    QCOMPARE(model.index(3, 0).data(TaxonomyTreeModel::CountRole).toLongLong(), 1);

    // A change is counted again off the thread; only the newest answer is shown.
    classify(*m_library, addEntry(*m_library, u"Evals"_s), counted.data(TaxonomyTreeModel::NodeIdRole).toLongLong());
    refreshed.clear();
    m_library->notifyChanged();
    m_library->notifyChanged();
    QCOMPARE(counted.data(TaxonomyTreeModel::CountRole).toLongLong(), 1); // not yet
    QTRY_COMPARE(counted.data(TaxonomyTreeModel::CountRole).toLongLong(), 2);
    QTRY_VERIFY(!model.isCounting());
    QCOMPARE(refreshed.count(), 1);
}

void TaxonomyTreeModelTest::emptyWithoutLibrary()
{
    Library closed;
    TaxonomyTreeModel model(&closed);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(TaxonomyTreeModelTest)
#include "taxonomytreemodel_test.moc"

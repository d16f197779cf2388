// PivotModel: groups by one dimension then another with distinct-entry counts, counted in a
// worker thread; empty groups left out; the filter and label of a group; reload on change.
#include "importwriter.h"
#include "pivotmodel.h"
#include "testlibrary.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>

using namespace Qt::StringLiterals;
using namespace Atlas;
using namespace AtlasTest;

namespace
{

ClassificationRecord path(const QString &scheme, const QStringList &p)
{
    ClassificationRecord c;
    c.schemeKey = scheme;
    c.path = p;
    return c;
}

ClassificationRecord code(const QString &c)
{
    ClassificationRecord r;
    r.schemeKey = u"mit-mitigation-v2"_s;
    r.code = c;
    return r;
}

EntryRecord entry(const QString &name, const QStringList &risk, const QString &mitigation)
{
    EntryRecord e;
    e.name = name;
    e.classifications = {path(u"llm-safety-survey"_s, risk), code(mitigation)};
    return e;
}

int rowOf(const QAbstractItemModel &model, const QString &label, const QModelIndex &parent = {})
{
    for (int row = 0; row < model.rowCount(parent); ++row) {
        if (model.index(row, 0, parent).data().toString() == label)
            return row;
    }
    return -1;
}

} // namespace

class PivotModelTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    Library m_library;

    void waitLoaded(PivotModel &model)
    {
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 10000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_library.open(m_dir.filePath(u"pivot.sqlite"_s)).ok());
        ParseResult parsed;
        parsed.records.entries = {
            entry(u"Toxicity filter"_s, {u"Value Misalignment"_s, u"Toxicity"_s}, u"1.1.1"_s),
            entry(u"Detox fine-tuning"_s, {u"Value Misalignment"_s, u"Toxicity"_s}, u"1.1.2"_s),
            entry(u"Bias fine-tuning"_s, {u"Value Misalignment"_s}, u"1.1.2"_s),
            entry(u"Red teaming"_s, {u"Robustness to Attack"_s}, u"2.2.2"_s),
        };
        // Classified twice under one group: counted once.
        parsed.records.entries[0].classifications.append(code(u"1.1.2"_s));
        ImportOptions options;
        options.file = u"made"_s;
        options.format = u"test"_s;
        QVERIFY(ImportWriter(m_library).apply(parsed, options)->written);
    }

    void riskThenMitigationType()
    {
        PivotModel model(&m_library);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setLevels({{u"llm-safety-survey"_s, 1}, {u"mit-mitigation-v2"_s, 3}});
        // The count runs in a worker: the call returns at once, the rows come later.
        QVERIFY(model.isLoading());
        QCOMPARE(model.rowCount(), 0);
        waitLoaded(model);
        QVERIFY2(model.errorString().isEmpty(), qPrintable(model.errorString()));
        // Only groups with entries.
        QCOMPARE(model.rowCount(), 2);
        const int vm = rowOf(model, u"Value Misalignment"_s);
        const int robustness = rowOf(model, u"Robustness to Attack"_s);
        QVERIFY(vm >= 0 && robustness >= 0);
        const QModelIndex vmIndex = model.index(vm, 0);
        QCOMPARE(model.index(vm, PivotModel::CountColumn).data().toLongLong(), 3);
        QCOMPARE(model.index(robustness, PivotModel::CountColumn).data().toLongLong(), 1);

        // The second level, fetched when expanded (the model tester may have asked already).
        QVERIFY(model.hasChildren(vmIndex));
        model.fetchMore(vmIndex);
        waitLoaded(model);
        QCOMPARE(model.rowCount(vmIndex), 2);
        const int training = rowOf(model, u"1.1.1 Training Data"_s, vmIndex);
        const int objectives = rowOf(model, u"1.1.2 Learning Objectives"_s, vmIndex);
        QVERIFY(training >= 0 && objectives >= 0);
        QCOMPARE(model.index(training, PivotModel::CountColumn, vmIndex).data().toLongLong(), 1);
        QCOMPARE(model.index(objectives, PivotModel::CountColumn, vmIndex).data().toLongLong(), 3);
        // The last level has no children.
        QVERIFY(!model.hasChildren(model.index(objectives, 0, vmIndex)));
        QVERIFY(!model.canFetchMore(model.index(objectives, 0, vmIndex)));

        // A group's filter: its node and its parent group's node.
        const QModelIndex group = model.index(objectives, 0, vmIndex);
        const EntryFilter filter = model.filterFor(group);
        QCOMPARE(filter.nodeIds.size(), 2);
        QCOMPARE(filter.nodeIds.first(), vmIndex.data(PivotModel::NodeIdRole).toLongLong());
        QCOMPARE(filter.nodeIds.last(), group.data(PivotModel::NodeIdRole).toLongLong());
        QCOMPARE(model.pathLabel(group), u"Value Misalignment › 1.1.2 Learning Objectives"_s);
    }

    void reloadsWhenTheLibraryChanges()
    {
        PivotModel model(&m_library);
        model.setLevels({{u"llm-safety-survey"_s, 1}});
        waitLoaded(model);
        const int before = model.rowCount();
        ParseResult parsed;
        parsed.records.entries = {entry(u"Misuse watermarking"_s, {u"Misuse"_s}, u"1.2"_s)};
        ImportOptions options;
        options.file = u"more"_s;
        options.format = u"test"_s;
        QVERIFY(ImportWriter(m_library).apply(parsed, options)->written);
        m_library.notifyChanged();
        waitLoaded(model);
        QTRY_COMPARE(model.rowCount(), before + 1);
        // Undo the addition for the other tests.
        QVERIFY(ImportWriter(m_library).undo(Sql::scalar(m_library.database(), u"SELECT max(id) FROM import_batch"_s).value().toLongLong()).ok());
    }

    void staleAnswersAreDropped()
    {
        // Switching levels while a count runs: only the last grouping's rows arrive.
        PivotModel model(&m_library);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setLevels({{u"mit-mitigation-v2"_s, 1}});
        model.setLevels({{u"llm-safety-survey"_s, 1}});
        waitLoaded(model);
        QVERIFY(rowOf(model, u"Value Misalignment"_s) >= 0);
        QCOMPARE(rowOf(model, u"1 AI System"_s), -1);
    }

    void groupsDirectly()
    {
        // The SQL the worker runs, on the main connection.
        auto groups = PivotModel::groups(m_library.database(), {}, u"mit-mitigation-v2"_s, 1);
        QVERIFY(groups.ok());
        QCOMPARE(groups->size(), 2); // 1 AI System, 2 Organisation
        qint64 total = 0;
        for (const PivotGroup &g : groups.value())
            total += g.count;
        QCOMPARE(total, 4);
        QVERIFY(!PivotModel::groups(m_library.database(), {}, u"no-such-scheme"_s, 1)->size());
    }

    // The counts read in C++ equal a DISTINCT count over the closure join restricted to the
    // enclosing groups' entries, on 300 entries classified at random nodes of every depth.
    void groupsEqualTheClosureJoin()
    {
        QList<qint64> nodes;
        QSqlQuery all = exec(m_library,
            u"SELECT n.id FROM taxonomy_node n JOIN scheme s ON s.id = n.scheme_id WHERE s.key IN ('llm-safety-survey', 'lifecycle', 'mit-mitigation-v2')"_s);
        while (all.next())
            nodes.append(all.value(0).toLongLong());
        quint32 state = 4242;
        const auto random = [&state](quint32 n) {
            state = state * 1103515245u + 12345u;
            return (state >> 8) % n;
        };
        exec(m_library, u"BEGIN"_s);
        for (int i = 0; i < 300; ++i) {
            const qint64 id = addEntry(m_library, u"Random %1"_s.arg(i));
            for (quint32 k = random(7); k > 0; --k)
                exec(m_library, u"INSERT OR IGNORE INTO classification(entry_id, node_id, assigned_by_kind, assigned_by) VALUES (?, ?, 'curator', 'test')"_s,
                    {id, nodes.at(qsizetype(random(quint32(nodes.size()))))});
        }
        exec(m_library, u"COMMIT"_s);
        const auto level = [this](const QString &scheme, int depth) {
            QList<qint64> ids;
            const auto groups = PivotModel::levelNodes(m_library.database(), scheme, depth);
            for (const PivotGroup &g : groups.value())
                ids.append(g.nodeId);
            return ids;
        };
        const QList<qint64> risks = level(u"llm-safety-survey"_s, 1);
        const QList<qint64> stages = level(u"lifecycle"_s, 1);
        QVERIFY(!risks.isEmpty() && !stages.isEmpty());
        const QList<QList<qint64>> withins{{}, {risks.first()}, {risks.first(), stages.first()}, {risks.at(1), stages.at(1), risks.at(1)}};
        for (const QList<qint64> &within : withins) {
            for (const auto &[scheme, depth] : {std::pair{u"mit-mitigation-v2"_s, 2}, std::pair{u"llm-safety-survey"_s, 2}, std::pair{u"lifecycle"_s, 1}}) {
                auto groups = PivotModel::groups(m_library.database(), within, scheme, depth);
                QVERIFY2(groups.ok(), qPrintable(groups.error()));
                QHash<qint64, qint64> got;
                for (const PivotGroup &g : groups.value())
                    got.insert(g.nodeId, g.count);
                QStringList members;
                QVariantList bound;
                for (qint64 node : within) {
                    members.append(u"SELECT c.entry_id FROM classification c JOIN taxonomy_closure t ON t.descendant_id = c.node_id WHERE t.ancestor_id = ?"_s);
                    bound.append(node);
                }
                QHash<qint64, qint64> expected;
                for (qint64 node : level(scheme, depth)) {
                    QVariantList values = bound;
                    values.append(node);
                    const qint64 count = scalar(m_library,
                        u"SELECT count(DISTINCT c.entry_id) FROM taxonomy_closure t JOIN classification c ON c.node_id = t.descendant_id WHERE %1 t.ancestor_id = ?"_s.arg(
                            members.isEmpty() ? QString() : u"c.entry_id IN (%1) AND"_s.arg(members.join(u" INTERSECT "_s))),
                        values)
                                             .toLongLong();
                    if (count > 0)
                        expected.insert(node, count);
                }
                QCOMPARE(got, expected);
            }
        }
    }
};

QTEST_GUILESS_MAIN(PivotModelTest)
#include "pivotmodel_test.moc"

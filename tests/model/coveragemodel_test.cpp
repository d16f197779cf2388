// CoverageModel: counts of distinct entries per (risk category, lifecycle stage), gaps,
// the filter a cell gives the entry list, and the CSV and Markdown exports.
#include "coveragemodel.h"
#include "entrytablemodel.h"
#include "importwriter.h"
#include "testlibrary.h"

#include <QAbstractItemModelTester>

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

EntryRecord entry(const QString &name, const QStringList &risk, const QString &stage)
{
    EntryRecord e;
    e.name = name;
    e.classifications = {path(u"llm-safety-survey"_s, risk), path(u"lifecycle"_s, {stage})};
    return e;
}

int find(const QAbstractItemModel &model, Qt::Orientation orientation, const QString &label)
{
    const int n = orientation == Qt::Vertical ? model.rowCount() : model.columnCount();
    for (int i = 0; i < n; ++i) {
        if (model.headerData(i, orientation).toString() == label)
            return i;
    }
    return -1;
}

} // namespace

class CoverageModelTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    Library m_library;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_library.open(m_dir.filePath(u"coverage.sqlite"_s)).ok());
        ParseResult parsed;
        parsed.records.entries = {
            entry(u"Toxicity filter"_s, {u"Value Misalignment"_s, u"Toxicity"_s}, u"Build and Use Model"_s),
            entry(u"Bias fine-tuning"_s, {u"Value Misalignment"_s}, u"Build and Use Model"_s),
            entry(u"Red teaming"_s, {u"Robustness to Attack"_s}, u"Deploy"_s),
        };
        // One entry at two stages counts once per stage, never twice in a cell.
        parsed.records.entries[0].classifications.append(path(u"lifecycle"_s, {u"Deploy"_s}));
        ImportOptions options;
        options.file = u"made"_s;
        options.format = u"test"_s;
        QVERIFY(ImportWriter(m_library).apply(parsed, options)->written);
    }

    void countsAndGaps()
    {
        CoverageModel model(&m_library);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY2(model.errorString().isEmpty(), qPrintable(model.errorString()));
        QCOMPARE(model.rowCount(), 8); // the survey's top-level headings
        const int misalignment = find(model, Qt::Vertical, u"Value Misalignment"_s);
        const int robustness = find(model, Qt::Vertical, u"Robustness to Attack"_s);
        const int build = find(model, Qt::Horizontal, u"Build and Use Model"_s);
        const int deploy = find(model, Qt::Horizontal, u"Deploy"_s);
        QVERIFY(misalignment >= 0 && robustness >= 0 && build >= 0 && deploy >= 0);
        QCOMPARE(model.data(model.index(misalignment, build), CoverageModel::CountRole).toLongLong(), 2);
        QCOMPARE(model.data(model.index(misalignment, deploy), CoverageModel::CountRole).toLongLong(), 1);
        QCOMPARE(model.data(model.index(robustness, deploy), CoverageModel::CountRole).toLongLong(), 1);
        QVERIFY(model.data(model.index(robustness, build), CoverageModel::GapRole).toBool());
        QCOMPARE(model.maximum(), 2);
        const auto gaps = model.gaps();
        QCOMPARE(gaps.size(), model.rowCount() * model.columnCount() - 3);
        QVERIFY(gaps.contains({u"Robustness to Attack"_s, u"Build and Use Model"_s}));

        // A cell's filter shows exactly its entries.
        EntryTableModel entries(&m_library);
        entries.setFilter(model.filterFor(model.index(misalignment, build)));
        QCOMPARE(entries.totalCount(), 2);

        const QString csv = model.toCsv();
        QVERIFY(csv.contains(u"Value Misalignment,"_s));
        const QString brief = model.toMarkdown();
        QVERIFY(brief.contains(u"- Robustness to Attack × Build and Use Model"_s));
        QVERIFY(brief.contains(u"## Sources"_s));
        QVERIFY(brief.contains(u"made (test)"_s));
    }

    void asynchronousCountMatchesTheSynchronousOne()
    {
        CoverageModel sync(&m_library);
        sync.setAxes(u"llm-safety-survey"_s, 1, u"mit-mitigation-v2"_s, 2);
        CoverageModel model(&m_library);
        model.setAsynchronous(true);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setAxes(u"llm-safety-survey"_s, 1, u"lifecycle"_s, 1);
        model.setAxes(u"llm-safety-survey"_s, 1, u"mit-mitigation-v2"_s, 2); // the first answer is dropped
        QVERIFY(model.isLoading());
        QTRY_VERIFY(!model.isLoading());
        QVERIFY2(model.errorString().isEmpty(), qPrintable(model.errorString()));
        QCOMPARE(model.rowCount(), sync.rowCount());
        QCOMPARE(model.columnCount(), sync.columnCount());
        QCOMPARE(model.toCsv(), sync.toCsv());
    }

    void deeperLevelsAndOtherSchemes()
    {
        CoverageModel model(&m_library);
        model.setAxes(u"llm-safety-survey"_s, 2, u"lifecycle"_s, 1);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const int toxicity = find(model, Qt::Vertical, u"Toxicity"_s);
        QVERIFY(toxicity >= 0);
        QCOMPARE(model.data(model.index(toxicity, find(model, Qt::Horizontal, u"Build and Use Model"_s)), CoverageModel::CountRole).toLongLong(), 1);
        model.setAxes(u"llm-safety-survey"_s, 1, u"mit-mitigation-v2"_s, 1);
        QCOMPARE(model.columnCount(), 4); // 1 AI System, 2, 3, 99 Other
        QCOMPARE(model.gaps().size(), model.rowCount() * model.columnCount()); // nothing coded in v2 here
    }

    // The counts read in C++ equal a DISTINCT count over the closure join, on 300 entries classified
    // at random nodes of every depth (several per scheme, some in none), for pairs of schemes and
    // levels, the same scheme on both axes included.
    void countsEqualTheClosureJoin()
    {
        QList<qint64> nodes;
        QSqlQuery all = exec(m_library,
            u"SELECT n.id FROM taxonomy_node n JOIN scheme s ON s.id = n.scheme_id WHERE s.key IN ('llm-safety-survey', 'lifecycle', 'mit-risk-domain-v3', 'mit-mitigation-v2')"_s);
        while (all.next())
            nodes.append(all.value(0).toLongLong());
        QVERIFY(nodes.size() > 20);
        quint32 state = 12345;
        const auto random = [&state](quint32 n) {
            state = state * 1103515245u + 12345u;
            return (state >> 8) % n;
        };
        exec(m_library, u"BEGIN"_s);
        for (int i = 0; i < 300; ++i) {
            const qint64 id = addEntry(m_library, u"Random %1"_s.arg(i));
            const quint32 count = random(7);
            for (quint32 k = 0; k < count; ++k)
                exec(m_library, u"INSERT OR IGNORE INTO classification(entry_id, node_id, assigned_by_kind, assigned_by) VALUES (?, ?, 'curator', 'test')"_s,
                    {id, nodes.at(qsizetype(random(quint32(nodes.size()))))});
        }
        exec(m_library, u"COMMIT"_s);
        struct Axes {
            QString rows;
            int rowDepth;
            QString columns;
            int columnDepth;
        };
        const QList<Axes> pairs{{u"llm-safety-survey"_s, 1, u"lifecycle"_s, 1}, {u"llm-safety-survey"_s, 2, u"lifecycle"_s, 1},
            {u"mit-risk-domain-v3"_s, 2, u"mit-mitigation-v2"_s, 2}, {u"mit-risk-domain-v3"_s, 1, u"mit-mitigation-v2"_s, 3},
            {u"mit-mitigation-v2"_s, 1, u"mit-mitigation-v2"_s, 2}};
        for (const Axes &axes : pairs) {
            CoverageModel model(&m_library);
            model.setAxes(axes.rows, axes.rowDepth, axes.columns, axes.columnDepth);
            QVERIFY2(model.errorString().isEmpty(), qPrintable(model.errorString()));
            QVERIFY(model.rowCount() > 0 && model.columnCount() > 0);
            qint64 total = 0;
            for (int r = 0; r < model.rowCount(); ++r) {
                for (int c = 0; c < model.columnCount(); ++c) {
                    const QModelIndex index = model.index(r, c);
                    const qint64 expected = scalar(m_library,
                        u"SELECT count(DISTINCT a.entry_id) FROM classification a JOIN taxonomy_closure ta ON ta.descendant_id = a.node_id "
                        "JOIN classification b ON b.entry_id = a.entry_id JOIN taxonomy_closure tb ON tb.descendant_id = b.node_id "
                        "WHERE ta.ancestor_id = ? AND tb.ancestor_id = ?"_s,
                        {model.data(index, CoverageModel::RowNodeRole), model.data(index, CoverageModel::ColumnNodeRole)})
                                                .toLongLong();
                    QCOMPARE(model.data(index, CoverageModel::CountRole).toLongLong(), expected);
                    total += expected;
                }
            }
            QVERIFY(total > 0);
        }
    }
};

QTEST_GUILESS_MAIN(CoverageModelTest)
#include "coveragemodel_test.moc"

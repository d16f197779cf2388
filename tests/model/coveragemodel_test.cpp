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
};

QTEST_GUILESS_MAIN(CoverageModelTest)
#include "coveragemodel_test.moc"

#include "coverageview.h"

#include "coveragemodel.h"
#include "library.h"
#include "taxonomystore.h"

#include <QComboBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace Atlas
{

void CoverageView::showEvent(QShowEvent *event)
{
    m_model->setActive(true);
    QWidget::showEvent(event);
}

void CoverageView::hideEvent(QHideEvent *event)
{
    m_model->setActive(false);
    QWidget::hideEvent(event);
}

CoverageView::CoverageView(Library *library, QWidget *parent)
    : QWidget(parent)
    , m_library(library)
    , m_model(new CoverageModel(library, this, true, false))
    , m_rowScheme(new QComboBox(this))
    , m_rowDepth(new QSpinBox(this))
    , m_columnScheme(new QComboBox(this))
    , m_columnDepth(new QSpinBox(this))
    , m_table(new QTableView(this))
{
    m_rowDepth->setRange(1, 4);
    m_columnDepth->setRange(1, 4);
    m_rowDepth->setPrefix(tr("level "));
    m_columnDepth->setPrefix(tr("level "));
    m_rowScheme->setAccessibleName(tr("Row scheme"));
    m_columnScheme->setAccessibleName(tr("Column scheme"));
    auto *exportButton = new QPushButton(QIcon::fromTheme(QStringLiteral("document-export")), tr("&Export…"), this);

    // Two rows of axis controls, so the matrix keeps its width in a narrow window.
    for (QComboBox *box : {m_rowScheme, m_columnScheme}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(16);
    }
    auto *axes = new QGridLayout;
    axes->addWidget(new QLabel(tr("Rows:"), this), 0, 0);
    axes->addWidget(m_rowScheme, 0, 1);
    axes->addWidget(m_rowDepth, 0, 2);
    axes->addWidget(new QLabel(tr("Columns:"), this), 1, 0);
    axes->addWidget(m_columnScheme, 1, 1);
    axes->addWidget(m_columnDepth, 1, 2);
    axes->addWidget(exportButton, 0, 3, 2, 1, Qt::AlignTop);
    axes->setColumnStretch(1, 1);

    m_table->setModel(m_model);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->horizontalHeader()->setDefaultSectionSize(110);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->verticalHeader()->setMaximumWidth(260); // long category names are elided, the tooltip has them
    m_table->setTextElideMode(Qt::ElideMiddle);
    m_table->setAccessibleName(tr("Coverage matrix"));
    m_table->setToolTip(tr("Each cell counts the entries classified under both its row and its column; a gap has none. "
                           "Click a cell to list its entries."));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(axes);
    layout->addWidget(m_table, 1);

    connect(m_rowScheme, &QComboBox::currentIndexChanged, this, &CoverageView::applyAxes);
    connect(m_columnScheme, &QComboBox::currentIndexChanged, this, &CoverageView::applyAxes);
    connect(m_rowDepth, &QSpinBox::valueChanged, this, &CoverageView::applyAxes);
    connect(m_columnDepth, &QSpinBox::valueChanged, this, &CoverageView::applyAxes);
    connect(exportButton, &QPushButton::clicked, this, &CoverageView::chooseExport);
    // Column labels are stage and type names: each column as wide as its label.
    connect(m_model, &QAbstractItemModel::modelReset, m_table, &QTableView::resizeColumnsToContents);
    const auto activate = [this](const QModelIndex &index) {
        if (!index.isValid())
            return;
        const QString description = tr("%1 × %2")
                                        .arg(m_model->headerData(index.row(), Qt::Vertical).toString(),
                                            m_model->headerData(index.column(), Qt::Horizontal).toString());
        Q_EMIT cellActivated(m_model->filterFor(index), description);
    };
    connect(m_table, &QTableView::clicked, this, activate);
    connect(m_table, &QTableView::activated, this, activate);
    reloadSchemes();
}

void CoverageView::reloadSchemes()
{
    const QString row = m_rowScheme->currentData().toString();
    const QString column = m_columnScheme->currentData().toString();
    const QSignalBlocker blockRows(m_rowScheme);
    const QSignalBlocker blockColumns(m_columnScheme);
    m_rowScheme->clear();
    m_columnScheme->clear();
    if (!m_library || !m_library->isOpen())
        return;
    auto schemes = TaxonomyStore(m_library->database()).schemes();
    if (!schemes)
        return;
    for (const Scheme &scheme : schemes.value()) {
        const QString label = QStringLiteral("%1 — %2").arg(dimensionTitle(scheme.dimension), scheme.name);
        if (scheme.dimension == Dimension::Risk)
            m_rowScheme->addItem(label, scheme.key);
        m_columnScheme->addItem(label, scheme.key);
    }
    // Sensible defaults: the survey's risk categories against the lifecycle stages.
    const auto select = [](QComboBox *box, const QString &wanted, const QString &fallback) {
        int i = box->findData(wanted.isEmpty() ? fallback : wanted);
        box->setCurrentIndex(i >= 0 ? i : 0);
    };
    select(m_rowScheme, row, QStringLiteral("llm-safety-survey"));
    select(m_columnScheme, column, QStringLiteral("lifecycle"));
    applyAxes();
}

void CoverageView::applyAxes()
{
    m_model->setAxes(m_rowScheme->currentData().toString(), m_rowDepth->value(), m_columnScheme->currentData().toString(), m_columnDepth->value());
}

void CoverageView::chooseExport()
{
    QString selected;
    const QString file = QFileDialog::getSaveFileName(this, tr("Export Coverage"), QStringLiteral("coverage.md"),
        tr("Markdown brief (*.md);;CSV (*.csv);;PNG image (*.png)"), &selected);
    if (file.isEmpty())
        return;
    const QString suffix = file.section(QLatin1Char('.'), -1).toLower();
    exportTo(file, suffix == QLatin1String("csv") || suffix == QLatin1String("png") ? suffix : QStringLiteral("md"));
}

bool CoverageView::exportTo(const QString &file, const QString &format)
{
    bool ok = false;
    if (format == QLatin1String("png")) {
        ok = m_table->grab().save(file, "PNG");
    } else {
        QSaveFile out(file);
        const QByteArray bytes = (format == QLatin1String("csv") ? m_model->toCsv() : m_model->toMarkdown()).toUtf8();
        ok = out.open(QIODevice::WriteOnly) && out.write(bytes) == bytes.size() && out.commit();
    }
    if (!ok)
        QMessageBox::warning(this, tr("Export Coverage"), tr("%1 could not be written.").arg(file));
    return ok;
}

} // namespace Atlas

#include "runpanel.h"

#include "library.h"
#include "pluginregistry.h"
#include "pluginrunstore.h"
#include "syntaxrepository.h"

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>

#include <QChart>
#include <QChartView>
#include <QAction>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIntValidator>
#include <QJsonDocument>
#include <QKeyEvent>
#include <QLabel>
#include <QLegendMarker>
#include <QLineEdit>
#include <QLineSeries>
#include <QListWidget>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QToolButton>
#include <QUrl>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace Atlas
{

namespace
{

// How often the chart is redrawn while points stream in: often enough to look live, rarely
// enough that a plugin sending thousands of points a second does not keep the window busy.
constexpr int RedrawIntervalMs = 100;
// Metrics drawn when a panel first sees them: the first few, which plugins send first because
// they matter most (and usually share a scale). The rest are one tick away.
constexpr int MetricsDrawnAtFirst = 2;

// The colour of a metric, the same in every run so two runs are easy to compare.
QColor metricColor(int index)
{
    static const QList<QColor> colors {QColor(0x1f77b4), QColor(0xd62728), QColor(0x2ca02c), QColor(0xff7f0e), QColor(0x9467bd), QColor(0x8c564b),
        QColor(0xe377c2), QColor(0x7f7f7f), QColor(0xbcbd22), QColor(0x17becf)};
    return colors.at(index % colors.size());
}

QString statusText(RunStatus status)
{
    switch (status) {
    case RunStatus::Running:
        return RunPanel::tr("running");
    case RunStatus::Finished:
        return RunPanel::tr("finished");
    case RunStatus::Failed:
        return RunPanel::tr("failed");
    case RunStatus::Crashed:
        return RunPanel::tr("crashed");
    case RunStatus::TimedOut:
        return RunPanel::tr("timed out");
    case RunStatus::Cancelled:
        return RunPanel::tr("cancelled");
    }
    return QString();
}

// Inserts or replaces the point at `step`, keeping the list in step order (a plugin may send a
// step again, and the later value counts).
void putPoint(QList<QPointF> &points, qint64 step, double value)
{
    const double x = double(step);
    if (points.isEmpty() || points.constLast().x() < x) {
        points.append(QPointF(x, value));
        return;
    }
    auto at = std::lower_bound(points.begin(), points.end(), x, [](const QPointF &p, double v) {
        return p.x() < v;
    });
    if (at != points.end() && at->x() == x)
        at->setY(value);
    else
        points.insert(at, QPointF(x, value));
}

} // namespace

RunPanel::RunPanel(Library *library, const PluginInfo &plugin, std::optional<qint64> entryId, QWidget *parent)
    : QDialog(parent)
    , m_library(library)
    , m_plugin(plugin)
    , m_entryId(entryId)
    , m_runner(new PluginRunner(library, this))
    , m_seed(new QLineEdit(this))
    , m_run(new QPushButton(tr("&Run"), this))
    , m_cancel(new QPushButton(tr("Cancel Run"), this))
    , m_defaults(new QPushButton(tr("&Defaults"), this))
    , m_progress(new QProgressBar(this))
    , m_status(new QLabel(this))
    , m_chart(new QChart)
    , m_chartView(new QChartView(m_chart, this))
    , m_metricList(new QListWidget(this))
    , m_log(new QPlainTextEdit(this))
    , m_result(new QPlainTextEdit(this))
    , m_artifacts(new QListWidget(this))
    , m_history(new QTableWidget(this))
    , m_compare(new QPushButton(tr("Co&mpare"), this))
    , m_redraw(new QTimer(this))
    , m_repository(&syntaxRepository())
    , m_logHighlighter(new KSyntaxHighlighting::SyntaxHighlighter(m_log->document()))
    , m_resultHighlighter(new KSyntaxHighlighting::SyntaxHighlighter(m_result->document()))
{
    setWindowTitle(tr("Run %1").arg(plugin.name.isEmpty() ? plugin.displayId() : plugin.name));
    setWindowFlag(Qt::Window);
    setAttribute(Qt::WA_DeleteOnClose);
    setSizeGripEnabled(true);

    // Left: what the plugin is, its form, the buttons, the progress and the earlier runs.
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto *title = new QLabel(tr("%1 %2").arg(plugin.name, plugin.version), left);
    title->setTextFormat(Qt::PlainText);
    QFont titleFont = title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    title->setFont(titleFont);
    auto *description = new QLabel(plugin.description, left);
    description->setTextFormat(Qt::PlainText);
    description->setWordWrap(true);
    QStringList demonstrates;
    for (const PluginCode &code : plugin.mitigationTypes)
        demonstrates.append(code.label());
    demonstrates.append(plugin.riskCategories);
    auto *codes = new QLabel(tr("Demonstrates: %1").arg(demonstrates.isEmpty() ? tr("(nothing declared)") : demonstrates.join(QLatin1String("; "))), left);
    codes->setTextFormat(Qt::PlainText);
    codes->setWordWrap(true);
    codes->setForegroundRole(QPalette::PlaceholderText);
    leftLayout->addWidget(title);
    leftLayout->addWidget(description);
    leftLayout->addWidget(codes);

    auto *formArea = new QScrollArea(left);
    formArea->setWidgetResizable(true);
    formArea->setFrameShape(QFrame::NoFrame);
    auto *formWidget = new QWidget(formArea);
    buildForm(formWidget);
    formArea->setWidget(formWidget);
    leftLayout->addWidget(formArea, 3);

    m_run->setDefault(true);
    m_run->setToolTip(tr("Run the plugin with these parameters (Ctrl+Return)"));
    m_cancel->setToolTip(tr("Ask the plugin to stop (Escape); it is stopped by force after a few seconds"));
    m_defaults->setToolTip(tr("Put every parameter back to its default"));
    connect(m_run, &QPushButton::clicked, this, &RunPanel::startRun);
    connect(m_cancel, &QPushButton::clicked, this, &RunPanel::cancelRun);
    connect(m_defaults, &QPushButton::clicked, this, &RunPanel::resetToDefaults);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_run);
    buttons->addWidget(m_cancel);
    buttons->addStretch(1);
    buttons->addWidget(m_defaults);
    leftLayout->addLayout(buttons);

    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    m_progress->setFormat(QStringLiteral("%p%"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    leftLayout->addWidget(m_progress);
    leftLayout->addWidget(m_status);

    auto *historyLabel = new QLabel(m_entryId ? tr("Earlier runs for this entry") : tr("Earlier runs"), left);
    leftLayout->addWidget(historyLabel);
    m_history->setColumnCount(5);
    m_history->setHorizontalHeaderLabels({tr("Run"), tr("Started"), tr("Status"), tr("Seed"), tr("Parameters")});
    m_history->verticalHeader()->hide();
    m_history->horizontalHeader()->setStretchLastSection(true);
    m_history->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_history->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_history->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_history->setAccessibleName(tr("Earlier runs"));
    m_history->setToolTip(tr("Select a run to see it; select two and press Compare to overlay them"));
    connect(m_history, &QTableWidget::itemSelectionChanged, this, [this] {
        updateButtons();
        if (m_liveRun < 0)
            showSelectedRuns();
    });
    historyLabel->setBuddy(m_history);
    leftLayout->addWidget(m_history, 2);
    m_compare->setToolTip(tr("Overlay the two selected runs on the chart (the second dashed)"));
    connect(m_compare, &QPushButton::clicked, this, &RunPanel::compareSelected);
    auto *historyButtons = new QHBoxLayout;
    historyButtons->addStretch(1);
    historyButtons->addWidget(m_compare);
    leftLayout->addLayout(historyButtons);

    // Right: the chart with its metric list above, then the log, result and artifacts.
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    auto *xAxis = new QValueAxis(m_chart);
    xAxis->setTitleText(tr("step"));
    xAxis->setLabelFormat(QStringLiteral("%g"));
    auto *yAxis = new QValueAxis(m_chart);
    yAxis->setLabelFormat(QStringLiteral("%g"));
    m_chart->addAxis(xAxis, Qt::AlignBottom);
    m_chart->addAxis(yAxis, Qt::AlignLeft);
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumSize(420, 280);
    m_chartView->setAccessibleName(tr("Metrics chart"));

    m_metricList->setFlow(QListView::LeftToRight);
    m_metricList->setWrapping(true);
    m_metricList->setResizeMode(QListView::Adjust);
    m_metricList->setSpacing(2);
    m_metricList->setMaximumHeight(m_metricList->fontMetrics().height() * 2 + 12);
    m_metricList->setAccessibleName(tr("Metrics to draw"));
    m_metricList->setToolTip(tr("Tick the metrics to draw"));
    connect(m_metricList, &QListWidget::itemChanged, this, &RunPanel::scheduleRedraw);

    m_redraw->setSingleShot(true);
    m_redraw->setInterval(RedrawIntervalMs);
    connect(m_redraw, &QTimer::timeout, this, &RunPanel::redrawChart);

    // The log and the result are highlighted; the theme goes first (see PLATFORM.md).
    for (QPlainTextEdit *view : {m_log, m_result}) {
        view->setReadOnly(true);
        view->setUndoRedoEnabled(false);
        view->setLineWrapMode(QPlainTextEdit::NoWrap);
        view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    }
    m_log->setMaximumBlockCount(20000);
    m_log->setAccessibleName(tr("Run log"));
    m_result->setAccessibleName(tr("Run result"));
    const KSyntaxHighlighting::Theme theme = m_repository->themeForPalette(palette());
    m_logHighlighter->setTheme(theme);
    m_resultHighlighter->setTheme(theme);
    KSyntaxHighlighting::Definition logDefinition = m_repository->definitionForName(QStringLiteral("Log File (simplified)"));
    if (!logDefinition.isValid())
        logDefinition = m_repository->definitionForName(QStringLiteral("JSON"));
    m_logHighlighter->setDefinition(logDefinition);
    m_resultHighlighter->setDefinition(m_repository->definitionForName(QStringLiteral("JSON")));
    m_logHighlighter->rehighlight();
    m_resultHighlighter->rehighlight();

    m_artifacts->setAccessibleName(tr("Artifacts"));
    m_artifacts->setToolTip(tr("Files the run wrote; double-click to open one"));
    connect(m_artifacts, &QListWidget::itemActivated, this, [](QListWidgetItem *item) {
        QDesktopServices::openUrl(QUrl::fromLocalFile(item->data(Qt::UserRole).toString()));
    });

    auto *tabs = new QTabWidget(this);
    tabs->addTab(m_log, tr("&Log"));
    tabs->addTab(m_result, tr("R&esult"));
    tabs->addTab(m_artifacts, tr("&Artifacts"));

    auto *right = new QSplitter(Qt::Vertical, this);
    auto *chartBox = new QWidget(right);
    auto *chartLayout = new QVBoxLayout(chartBox);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    chartLayout->addWidget(m_metricList);
    chartLayout->addWidget(m_chartView, 1);
    right->addWidget(chartBox);
    right->addWidget(tabs);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);
    resize(1100, 720);

    connect(m_runner, &PluginRunner::started, this, &RunPanel::runStarted);
    connect(m_runner, &PluginRunner::progressChanged, this, [this](double fraction, const QString &message) {
        m_progress->setValue(int(std::lround(std::clamp(fraction, 0.0, 1.0) * 1000)));
        if (!message.isEmpty())
            m_status->setText(message);
    });
    connect(m_runner, &PluginRunner::metricReceived, this, [this](const QString &name, qint64 step, double value) {
        if (m_series.isEmpty() || m_series.constFirst().runId != m_liveRun)
            return;
        addMetricName(name);
        putPoint(m_series.first().points[name], step, value);
        scheduleRedraw();
    });
    connect(m_runner, &PluginRunner::logReceived, this, &RunPanel::appendLog);
    connect(m_runner, &PluginRunner::errorReceived, this, [this](const QString &message) {
        appendLog(tr("ERROR: %1").arg(message));
    });
    connect(m_runner, &PluginRunner::artifactReceived, this, [this](const QString &path, const QString &text) {
        auto *item = new QListWidgetItem(text.isEmpty() ? path : tr("%1 — %2").arg(text, path), m_artifacts);
        item->setData(Qt::UserRole, path);
    });
    connect(m_runner, &PluginRunner::finished, this, &RunPanel::runEnded);

    // Keys: Ctrl+Return runs (also from inside a field), Escape cancels a run or closes.
    auto *runShortcut = new QAction(this);
    runShortcut->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    connect(runShortcut, &QAction::triggered, this, [this] {
        if (m_run->isEnabled())
            startRun();
    });
    addAction(runShortcut);

    if (!m_plugin.isReady()) {
        m_status->setText(tr("This plugin cannot be run: %1").arg(m_plugin.reason()));
    } else {
        m_status->setText(tr("Set the parameters and press Run."));
    }
    m_progress->setValue(0);
    fillHistory();
    validateForm();
    // The newest earlier run, if any, is shown until a new one starts.
    if (m_history->rowCount() > 0)
        m_history->selectRow(0);
}

RunPanel::~RunPanel()
{
    // A run still going is cancelled (and recorded so) rather than left orphaned.
    if (m_runner->isRunning()) {
        m_runner->cancel();
        m_runner->waitForFinished(m_runner->options().cancelGraceMs + 2000);
    }
}

void RunPanel::setRunOptions(const PluginRunOptions &options)
{
    m_runner->setOptions(options);
}

// ---------------------------------------------------------------- the form

void RunPanel::buildForm(QWidget *parent)
{
    auto *form = new QFormLayout(parent);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    for (const PluginParameter &parameter : std::as_const(m_plugin.parameters)) {
        Field field;
        field.parameter = parameter;
        field.widget = fieldFor(parameter, parent);
        field.widget->setObjectName(parameter.name);
        field.widget->setAccessibleName(parameter.name);
        QString tip = parameter.help;
        if (parameter.minimum || parameter.maximum) {
            const QString low = parameter.minimum ? QLocale::c().toString(*parameter.minimum) : QStringLiteral("…");
            const QString high = parameter.maximum ? QLocale::c().toString(*parameter.maximum) : QStringLiteral("…");
            tip += (tip.isEmpty() ? QString() : QStringLiteral("\n")) + tr("From %1 to %2.").arg(low, high);
        }
        tip += (tip.isEmpty() ? QString() : QStringLiteral("\n")) + tr("Default: %1").arg(parameter.defaultValue.toString());
        field.widget->setToolTip(tip);
        field.problem = new QLabel(parent);
        field.problem->setTextFormat(Qt::PlainText);
        field.problem->setWordWrap(true);
        QPalette warning = field.problem->palette();
        warning.setColor(QPalette::WindowText, QColor(0xc0392b));
        field.problem->setPalette(warning);
        field.problem->hide();
        auto *box = new QWidget(parent);
        auto *boxLayout = new QVBoxLayout(box);
        boxLayout->setContentsMargins(0, 0, 0, 0);
        boxLayout->setSpacing(1);
        boxLayout->addWidget(field.widget);
        boxLayout->addWidget(field.problem);
        if (parameter.type == QLatin1String("path")) {
            // A path field gets a Browse button beside it.
            auto *row = new QWidget(parent);
            auto *rowLayout = new QHBoxLayout(row);
            rowLayout->setContentsMargins(0, 0, 0, 0);
            field.widget->setParent(row);
            rowLayout->addWidget(field.widget, 1);
            auto *browse = new QToolButton(row);
            browse->setText(tr("…"));
            browse->setToolTip(tr("Choose the file"));
            auto *edit = qobject_cast<QLineEdit *>(field.widget);
            connect(browse, &QToolButton::clicked, this, [this, edit] {
                const QString file = QFileDialog::getOpenFileName(this, tr("Choose a File"), edit->text());
                if (!file.isEmpty())
                    edit->setText(file);
            });
            rowLayout->addWidget(browse);
            boxLayout->insertWidget(0, row);
        }
        auto *label = new QLabel(parameter.name + QLatin1Char(':'), parent);
        label->setBuddy(field.widget);
        label->setToolTip(tip);
        form->addRow(label, box);
        m_fields.append(field);
    }
    m_seed->setObjectName(QStringLiteral("seed"));
    m_seed->setAccessibleName(tr("Seed"));
    m_seed->setText(QStringLiteral("1"));
    m_seed->setToolTip(tr("The same parameters and seed give the same result (0 to %1)").arg(PluginRunner::maxSeed));
    connect(m_seed, &QLineEdit::textChanged, this, &RunPanel::validateForm);
    auto *seedLabel = new QLabel(tr("seed:"), parent);
    seedLabel->setBuddy(m_seed);
    form->addRow(seedLabel, m_seed);
}

QWidget *RunPanel::fieldFor(const PluginParameter &parameter, QWidget *parent)
{
    if (parameter.type == QLatin1String("bool")) {
        auto *check = new QCheckBox(parent);
        check->setChecked(parameter.defaultValue.toBool());
        connect(check, &QCheckBox::toggled, this, &RunPanel::validateForm);
        return check;
    }
    if (!parameter.choices.isEmpty()) {
        auto *combo = new QComboBox(parent);
        for (const QVariant &choice : parameter.choices)
            combo->addItem(choice.toString(), choice);
        combo->setCurrentIndex(std::max(0, int(parameter.choices.indexOf(parameter.defaultValue))));
        connect(combo, &QComboBox::currentIndexChanged, this, &RunPanel::validateForm);
        return combo;
    }
    auto *edit = new QLineEdit(parent);
    edit->setText(parameter.type == QLatin1String("double") ? QLocale::c().toString(parameter.defaultValue.toDouble(), 'g', 12) : parameter.defaultValue.toString());
    edit->setClearButtonEnabled(parameter.type == QLatin1String("string") || parameter.type == QLatin1String("path"));
    connect(edit, &QLineEdit::textChanged, this, &RunPanel::validateForm);
    return edit;
}

QString RunPanel::fieldText(const Field &field) const
{
    if (auto *check = qobject_cast<QCheckBox *>(field.widget))
        return check->isChecked() ? QStringLiteral("true") : QStringLiteral("false");
    if (auto *combo = qobject_cast<QComboBox *>(field.widget))
        return combo->currentData().toString();
    if (auto *edit = qobject_cast<QLineEdit *>(field.widget))
        return edit->text().trimmed();
    return QString();
}

QVariantMap RunPanel::parameterValues() const
{
    QVariantMap values;
    for (const Field &field : m_fields)
        values.insert(field.parameter.name, fieldText(field));
    return values;
}

QWidget *RunPanel::parameterField(const QString &name) const
{
    if (name == QLatin1String("seed"))
        return m_seed;
    for (const Field &field : m_fields) {
        if (field.parameter.name == name)
            return field.widget;
    }
    return nullptr;
}

bool RunPanel::setParameterText(const QString &name, const QString &text)
{
    QWidget *widget = parameterField(name);
    if (auto *check = qobject_cast<QCheckBox *>(widget)) {
        check->setChecked(text == QLatin1String("true") || text == QLatin1String("1"));
    } else if (auto *combo = qobject_cast<QComboBox *>(widget)) {
        const int index = combo->findText(text);
        if (index < 0)
            return false;
        combo->setCurrentIndex(index);
    } else if (auto *edit = qobject_cast<QLineEdit *>(widget)) {
        edit->setText(text);
    } else {
        return false;
    }
    validateForm();
    return true;
}

void RunPanel::setSeed(quint64 seed)
{
    m_seed->setText(QString::number(seed));
}

bool RunPanel::parametersValid() const
{
    bool seedOk = false;
    const quint64 seed = m_seed->text().trimmed().toULongLong(&seedOk);
    if (!seedOk || seed > PluginRunner::maxSeed)
        return false;
    return bool(PluginRegistry::validateParameters(m_plugin, parameterValues()));
}

// Checks every field on its own, so each problem shows under its own field.
void RunPanel::validateForm()
{
    for (Field &field : m_fields) {
        auto checked = PluginRegistry::validateParameters(m_plugin, {{field.parameter.name, fieldText(field)}});
        QString problem;
        if (!checked) {
            problem = checked.error();
            // "name: problem" -> "problem": the field is named by its row.
            const QString prefix = field.parameter.name + QStringLiteral(": ");
            if (problem.startsWith(prefix))
                problem = problem.mid(prefix.size());
        }
        field.problem->setText(problem);
        field.problem->setVisible(!problem.isEmpty());
    }
    updateButtons();
}

void RunPanel::resetToDefaults()
{
    for (const Field &field : std::as_const(m_fields)) {
        if (auto *check = qobject_cast<QCheckBox *>(field.widget))
            check->setChecked(field.parameter.defaultValue.toBool());
        else if (auto *combo = qobject_cast<QComboBox *>(field.widget))
            combo->setCurrentIndex(std::max(0, int(field.parameter.choices.indexOf(field.parameter.defaultValue))));
        else if (auto *edit = qobject_cast<QLineEdit *>(field.widget))
            edit->setText(field.parameter.type == QLatin1String("double") ? QLocale::c().toString(field.parameter.defaultValue.toDouble(), 'g', 12)
                                                                            : field.parameter.defaultValue.toString());
    }
    m_seed->setText(QStringLiteral("1"));
    validateForm();
}

void RunPanel::updateButtons()
{
    const bool running = m_runner->isRunning();
    m_run->setEnabled(!running && m_plugin.isReady() && parametersValid());
    m_cancel->setEnabled(running);
    m_defaults->setEnabled(!running);
    const auto rows = m_history->selectionModel() ? m_history->selectionModel()->selectedRows() : QModelIndexList();
    m_compare->setEnabled(!running && rows.size() == 2);
}

// ---------------------------------------------------------------- running

bool RunPanel::startRun()
{
    if (m_runner->isRunning())
        return false;
    bool seedOk = false;
    const quint64 seed = m_seed->text().trimmed().toULongLong(&seedOk);
    if (!seedOk || seed > PluginRunner::maxSeed) {
        m_status->setText(tr("The seed must be a whole number from 0 to %1.").arg(PluginRunner::maxSeed));
        return false;
    }
    auto values = PluginRegistry::validateParameters(m_plugin, parameterValues());
    if (!values) {
        m_status->setText(tr("Cannot run: %1").arg(values.error()));
        return false;
    }
    // Clear what the last run showed before the new one writes anything.
    m_log->clear();
    m_result->clear();
    m_artifacts->clear();
    m_progress->setValue(0);
    m_series.clear();
    m_shownRuns.clear();
    m_liveRun = 0;
    m_series.append(RunSeries {0, {}});
    m_shownRuns.append(0);
    redrawChart();
    auto started = m_runner->start(m_plugin, values.value(), seed, m_entryId);
    if (!started) {
        m_liveRun = -1;
        m_series.clear();
        m_shownRuns.clear();
        m_status->setText(tr("Cannot run: %1").arg(started.error()));
        updateButtons();
        return false;
    }
    m_status->setText(tr("Running…"));
    updateButtons();
    return true;
}

void RunPanel::runStarted(qint64 runId)
{
    // The runner records the run before it starts the process; from now on its points are the live run's.
    m_liveRun = runId;
    if (!m_series.isEmpty())
        m_series.first().runId = runId;
    if (!m_shownRuns.isEmpty())
        m_shownRuns.first() = runId;
    appendLog(tr("run %1 of %2 %3 started").arg(runId).arg(m_plugin.id, m_plugin.version));
}

void RunPanel::cancelRun()
{
    if (!m_runner->isRunning())
        return;
    m_status->setText(tr("Cancelling…"));
    m_runner->cancel();
}

bool RunPanel::isRunning() const
{
    return m_runner->isRunning();
}

void RunPanel::runEnded(const PluginRun &run)
{
    m_liveRun = -1;
    const QString reason = run.reason.isEmpty() ? QString() : tr(": %1").arg(run.reason);
    m_status->setText(tr("Run %1 %2%3").arg(run.id).arg(statusText(run.status), reason));
    if (run.status == RunStatus::Finished)
        m_progress->setValue(1000);
    appendLog(tr("run %1 %2%3").arg(run.id).arg(statusText(run.status), reason));
    if (!m_runner->storeError().isEmpty())
        appendLog(tr("ERROR: the run could not be recorded: %1").arg(m_runner->storeError()));
    showResult(run);
    redrawChart();
    {
        const QSignalBlocker blocker(m_history);
        fillHistory();
    }
    updateButtons();
    Q_EMIT runFinished(run);
}

void RunPanel::appendLog(const QString &line)
{
    m_log->appendPlainText(line);
}

void RunPanel::showStoredLog(const PluginRun &run)
{
    m_log->clear();
    const QString suffix = QLatin1Char('/') + PluginRunner::logFileName();
    auto found = std::find_if(run.artifacts.cbegin(), run.artifacts.cend(), [&suffix](const QString &path) {
        return path.endsWith(suffix);
    });
    QFile file(found == run.artifacts.cend() ? QString() : *found);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        m_log->appendPlainText(tr("(the log of run %1 cannot be shown: %2)")
                .arg(run.id)
                .arg(found == run.artifacts.cend() ? tr("it ran before logs were kept") : tr("%1: %2").arg(file.fileName(), file.errorString())));
        return;
    }
    // The end of a long log: the view keeps at most its block limit anyway.
    constexpr qint64 shownBytes = 4 * 1024 * 1024;
    if (file.size() > shownBytes) {
        file.seek(file.size() - shownBytes);
        file.readLine(); // from a line's start
    }
    m_log->setPlainText(QString::fromUtf8(file.readAll()));
}

void RunPanel::showResult(const PluginRun &run)
{
    m_result->setPlainText(QString::fromUtf8(QJsonDocument(run.toJson()).toJson(QJsonDocument::Indented)));
}

void RunPanel::closeEvent(QCloseEvent *event)
{
    if (m_runner->isRunning()) {
        const auto answer = QMessageBox::question(this, tr("Stop the Run?"), tr("The run is still going. Cancel it and close?"),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
        m_runner->cancel();
    }
    QDialog::closeEvent(event);
}

void RunPanel::keyPressEvent(QKeyEvent *event)
{
    // Escape stops a run first; only without one does it close the panel.
    if (event->key() == Qt::Key_Escape && m_runner->isRunning()) {
        cancelRun();
        event->accept();
        return;
    }
    QDialog::keyPressEvent(event);
}

// ---------------------------------------------------------------- earlier runs

void RunPanel::fillHistory()
{
    m_history->setRowCount(0);
    if (!m_library || !m_library->isOpen())
        return;
    auto runs = PluginRunStore(m_library->database()).runs(m_entryId, m_plugin.id);
    if (!runs) {
        m_status->setText(tr("The earlier runs cannot be read: %1").arg(runs.error()));
        return;
    }
    const auto checkedDefaults = PluginRegistry::validateParameters(m_plugin, {});
    const QVariantMap defaults = checkedDefaults ? checkedDefaults.value() : QVariantMap();
    m_history->setRowCount(int(runs->size()));
    int row = 0;
    for (const PluginRun &run : runs.value()) {
        // Only what differs from the defaults, so two runs are told apart at a glance.
        QStringList changed;
        for (auto it = run.parameters.cbegin(); it != run.parameters.cend(); ++it) {
            if (defaults.value(it.key()) != it.value())
                changed.append(QStringLiteral("%1=%2").arg(it.key(), it.value().toString()));
        }
        const QStringList cells {QString::number(run.id), QLocale().toString(run.startedAt.toLocalTime(), QLocale::ShortFormat), statusText(run.status),
            QString::number(run.seed), changed.isEmpty() ? tr("defaults") : changed.join(QLatin1String(", "))};
        for (int column = 0; column < cells.size(); ++column) {
            auto *item = new QTableWidgetItem(cells.at(column));
            item->setData(Qt::UserRole, run.id);
            if (column == 2 && !run.reason.isEmpty())
                item->setToolTip(run.reason);
            m_history->setItem(row, column, item);
        }
        ++row;
    }
    m_history->resizeColumnsToContents();
}

void RunPanel::showSelectedRuns()
{
    QList<qint64> ids;
    const auto rows = m_history->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows)
        ids.append(m_history->item(index.row(), 0)->data(Qt::UserRole).toLongLong());
    // The first selected, only; two are overlaid by Compare.
    if (ids.size() == 1)
        showRuns(ids);
}

void RunPanel::compareSelected()
{
    QList<int> rows;
    const auto selected = m_history->selectionModel()->selectedRows();
    for (const QModelIndex &index : selected)
        rows.append(index.row());
    if (rows.size() != 2)
        return;
    std::sort(rows.begin(), rows.end());
    // Older first, newer dashed over it (the table lists the newest first).
    showRuns({m_history->item(rows.at(1), 0)->data(Qt::UserRole).toLongLong(), m_history->item(rows.at(0), 0)->data(Qt::UserRole).toLongLong()});
}

void RunPanel::showRuns(const QList<qint64> &runIds)
{
    if (m_runner->isRunning())
        return;
    m_shownRuns.clear();
    m_series.clear();
    for (qint64 id : runIds.mid(0, 2))
        loadRun(id);
    // The result, artifacts and log of the last run shown.
    if (m_library && !m_shownRuns.isEmpty()) {
        if (auto run = PluginRunStore(m_library->database()).run(m_shownRuns.constLast())) {
            showResult(run.value());
            m_artifacts->clear();
            for (const QString &path : std::as_const(run->artifacts)) {
                auto *item = new QListWidgetItem(path, m_artifacts);
                item->setData(Qt::UserRole, path);
            }
            showStoredLog(run.value());
        }
    }
    redrawChart();
}

void RunPanel::loadRun(qint64 runId)
{
    if (!m_library || !m_library->isOpen())
        return;
    auto metrics = PluginRunStore(m_library->database()).metrics(runId);
    if (!metrics) {
        m_status->setText(tr("Run %1 cannot be read: %2").arg(runId).arg(metrics.error()));
        return;
    }
    RunSeries series {runId, {}};
    for (const MetricPoint &point : metrics.value()) {
        addMetricName(point.name);
        putPoint(series.points[point.name], point.step, point.value);
    }
    m_shownRuns.append(runId);
    m_series.append(series);
}

// ---------------------------------------------------------------- the chart

void RunPanel::addMetricName(const QString &name)
{
    if (m_metricOrder.contains(name))
        return;
    m_metricOrder.append(name);
    const QSignalBlocker blocker(m_metricList);
    auto *item = new QListWidgetItem(name, m_metricList);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
    item->setCheckState(m_metricOrder.size() <= MetricsDrawnAtFirst ? Qt::Checked : Qt::Unchecked);
    item->setForeground(metricColor(int(m_metricOrder.size()) - 1));
}

QStringList RunPanel::metricNames() const
{
    return m_metricOrder;
}

QStringList RunPanel::drawnMetrics() const
{
    QStringList drawn;
    for (int i = 0; i < m_metricList->count(); ++i) {
        if (m_metricList->item(i)->checkState() == Qt::Checked)
            drawn.append(m_metricList->item(i)->text());
    }
    return drawn;
}

void RunPanel::setMetricDrawn(const QString &name, bool drawn)
{
    for (int i = 0; i < m_metricList->count(); ++i) {
        if (m_metricList->item(i)->text() == name)
            m_metricList->item(i)->setCheckState(drawn ? Qt::Checked : Qt::Unchecked);
    }
    redrawChart();
}

int RunPanel::pointsDrawn(qint64 runId, const QString &metric) const
{
    const QString name = m_shownRuns.size() > 1 ? tr("%1 (run %2)").arg(metric).arg(runId) : metric;
    const auto series = m_chart->series();
    for (QAbstractSeries *s : series) {
        if (s->name() == name) {
            if (auto *line = qobject_cast<QLineSeries *>(s))
                return int(line->count());
        }
    }
    return -1;
}

void RunPanel::scheduleRedraw()
{
    if (!m_redraw->isActive())
        m_redraw->start();
}

void RunPanel::redrawChart()
{
    m_redraw->stop();
    m_chart->removeAllSeries();
    const QStringList drawn = drawnMetrics();
    QValueAxis *xAxis = qobject_cast<QValueAxis *>(m_chart->axes(Qt::Horizontal).value(0));
    QValueAxis *yAxis = qobject_cast<QValueAxis *>(m_chart->axes(Qt::Vertical).value(0));
    double xMin = std::numeric_limits<double>::max(), xMax = std::numeric_limits<double>::lowest();
    double yMin = xMin, yMax = xMax;
    const bool comparing = m_series.size() > 1;
    for (int runIndex = 0; runIndex < m_series.size(); ++runIndex) {
        const RunSeries &run = m_series.at(runIndex);
        for (const QString &name : drawn) {
            const QList<QPointF> points = run.points.value(name);
            if (points.isEmpty())
                continue;
            auto *line = new QLineSeries;
            line->setName(comparing ? tr("%1 (run %2)").arg(name).arg(run.runId) : name);
            QPen pen(metricColor(int(m_metricOrder.indexOf(name))));
            pen.setWidthF(2);
            if (runIndex > 0)
                pen.setStyle(Qt::DashLine);
            line->setPen(pen);
            // NaN (a value JSON could not hold) breaks the line rather than bending the axis.
            QList<QPointF> finite;
            finite.reserve(points.size());
            for (const QPointF &p : points) {
                if (!std::isfinite(p.y()))
                    continue;
                finite.append(p);
                xMin = std::min(xMin, p.x());
                xMax = std::max(xMax, p.x());
                yMin = std::min(yMin, p.y());
                yMax = std::max(yMax, p.y());
            }
            line->replace(finite);
            m_chart->addSeries(line);
            line->attachAxis(xAxis);
            line->attachAxis(yAxis);
        }
    }
    if (xMin > xMax) {
        xAxis->setRange(0, 1);
        yAxis->setRange(0, 1);
        return;
    }
    if (xMin == xMax)
        xMax = xMin + 1;
    if (yMin == yMax) {
        yMin -= 0.5;
        yMax += 0.5;
    }
    const double pad = (yMax - yMin) * 0.05;
    xAxis->setRange(xMin, xMax);
    yAxis->setRange(yMin - pad, yMax + pad);
    // Round ticks (0, 0.5, 1 rather than 0.0417, 0.52, ...); the steps are whole numbers.
    xAxis->applyNiceNumbers();
    yAxis->applyNiceNumbers();
}

} // namespace Atlas

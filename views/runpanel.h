// RunPanel: where a demo plugin is run for an entry. A parameter form made from the plugin's
// metadata (checked as typed), Run and Cancel, a progress bar, live line charts of the metrics,
// the log and the result (highlighted), the artifacts, and the entry's earlier runs of the
// plugin, two of which can be overlaid on the chart. The plugin runs in mitigation-atlas-runner,
// a process of its own, so a plugin that crashes or hangs ends its run, not the window.
#pragma once

#include "plugininfo.h"
#include "pluginrun.h"
#include "pluginrunner.h"

#include <QDialog>
#include <QHash>
#include <QList>
#include <QPointer>

#include <memory>
#include <optional>

class QCheckBox;
class QChart;
class QChartView;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QTimer;

namespace KSyntaxHighlighting
{
class Repository;
class SyntaxHighlighter;
} // namespace KSyntaxHighlighting

namespace Atlas
{

class Library;

class RunPanel : public QDialog
{
    Q_OBJECT
public:
    RunPanel(Library *library, const PluginInfo &plugin, std::optional<qint64> entryId, QWidget *parent = nullptr);
    ~RunPanel() override;

    const PluginInfo &plugin() const { return m_plugin; }
    std::optional<qint64> entryId() const { return m_entryId; }

    // Where the runner is, the timeout, the limits (tests shorten them).
    void setRunOptions(const PluginRunOptions &options);

    // The form's values by parameter name (as typed), and whether every one is valid.
    QVariantMap parameterValues() const;
    bool parametersValid() const;
    // Sets one field of the form from text, as a user would type it; false for an unknown name.
    bool setParameterText(const QString &name, const QString &text);
    void setSeed(quint64 seed);

    // Starts a run with the form's values; false (with the reason shown) when it cannot start.
    bool startRun();
    void cancelRun();
    bool isRunning() const;
    PluginRunner *runner() const { return m_runner; }

    // The chart shows these runs' metrics: the run going on or last made, or one or two earlier
    // runs of the history (the second drawn dashed over the first).
    void showRuns(const QList<qint64> &runIds);
    QList<qint64> shownRuns() const { return m_shownRuns; }
    // Metric names on the chart's list, and which are drawn.
    QStringList metricNames() const;
    QStringList drawnMetrics() const;
    void setMetricDrawn(const QString &name, bool drawn);
    // Number of points drawn of one metric of one run (tests).
    int pointsDrawn(qint64 runId, const QString &metric) const;

    // The parts, for tests.
    QPushButton *runButton() const { return m_run; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *compareButton() const { return m_compare; }
    QProgressBar *progressBar() const { return m_progress; }
    QLabel *statusLabel() const { return m_status; }
    QChartView *chartView() const { return m_chartView; }
    QPlainTextEdit *logView() const { return m_log; }
    QPlainTextEdit *resultView() const { return m_result; }
    QListWidget *artifactList() const { return m_artifacts; }
    QTableWidget *historyTable() const { return m_history; }
    QWidget *parameterField(const QString &name) const;
    KSyntaxHighlighting::SyntaxHighlighter *logHighlighter() const { return m_logHighlighter; }

Q_SIGNALS:
    void runFinished(const Atlas::PluginRun &run);

protected:
    void closeEvent(QCloseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    struct Field {
        PluginParameter parameter;
        QWidget *widget = nullptr; // QLineEdit, QComboBox or QCheckBox
        QLabel *problem = nullptr;
    };
    // The points of one run's metrics, by name, in step order.
    struct RunSeries {
        qint64 runId = 0;
        QHash<QString, QList<QPointF>> points;
    };

    void buildForm(QWidget *parent);
    QWidget *fieldFor(const PluginParameter &parameter, QWidget *parent);
    QString fieldText(const Field &field) const;
    void validateForm();
    void resetToDefaults();
    void fillHistory();
    void compareSelected();
    void showSelectedRuns();
    void loadRun(qint64 runId);
    void addMetricName(const QString &name);
    void redrawChart();
    void scheduleRedraw();
    void showResult(const PluginRun &run);
    // The log kept in the run's folder (run.log), or a line saying why there is none.
    void showStoredLog(const PluginRun &run);
    void appendLog(const QString &line);
    void runStarted(qint64 runId);
    void runEnded(const PluginRun &run);
    void updateButtons();

    QPointer<Library> m_library;
    PluginInfo m_plugin;
    std::optional<qint64> m_entryId;
    PluginRunner *m_runner;
    QList<Field> m_fields;
    QLineEdit *m_seed;
    QPushButton *m_run;
    QPushButton *m_cancel;
    QPushButton *m_defaults;
    QProgressBar *m_progress;
    QLabel *m_status;
    QChart *m_chart;
    QChartView *m_chartView;
    QListWidget *m_metricList;
    QPlainTextEdit *m_log;
    QPlainTextEdit *m_result;
    QListWidget *m_artifacts;
    QTableWidget *m_history;
    QPushButton *m_compare;
    QTimer *m_redraw;
    KSyntaxHighlighting::Repository *m_repository; // syntaxRepository()
    KSyntaxHighlighting::SyntaxHighlighter *m_logHighlighter;
    KSyntaxHighlighting::SyntaxHighlighter *m_resultHighlighter;

    QList<qint64> m_shownRuns;
    QList<RunSeries> m_series; // of m_shownRuns, in order; the live run's grows as it runs
    qint64 m_liveRun = -1; // the run going on (its id; 0 without a library), -1 when none
    QStringList m_metricOrder; // names in the order they first came
};

} // namespace Atlas

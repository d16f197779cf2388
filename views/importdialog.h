// ImportDialog: File › Import. Shows the file with KDE syntax highlighting, the detected
// format (changeable), a dry run's summary and diagnostics; then imports in a worker thread
// with a progress bar and Cancel. A cancelled import writes nothing; the window stays responsive.
#pragma once

#include "importbackend.h"
#include "importwriter.h"
#include "plugininfo.h"

#include <QDialog>

#include <atomic>
#include <memory>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QThread;
class QTimer;

namespace KSyntaxHighlighting
{
class Repository;
class SyntaxHighlighter;
}

namespace Atlas
{

class Library;

class ImportDialog : public QDialog
{
    Q_OBJECT
public:
    ImportDialog(Library *library, const ImportBackend *backend, const QString &file, QWidget *parent = nullptr);
    ~ImportDialog() override;

    // The last job's summary (the dry run's, or the import's once it ran).
    const ImportSummary &summary() const { return m_summary; }
    QString formatKey() const;
    bool isBusy() const { return m_thread != nullptr; }
    // The plugins whose demos the imported entries are linked to, in the import's own transaction
    // (so a killed import leaves the library as it was, or imported and linked).
    void setDemoPlugins(const QList<PluginInfo> &plugins) { m_demoPlugins = plugins; }
    // Links the last import added (automatic links of its new entries).
    int demoLinksAdded() const { return m_demoLinksAdded; }
    // Starts the import (what the Import button does).
    void startImport();
    // Cancels a running job (what Cancel does while one runs).
    void cancelJob();

Q_SIGNALS:
    // A job (dry run or import) finished; `imported` is true when the library changed.
    void jobFinished(bool imported);

protected:
    void reject() override;

private:
    struct Job {
        std::atomic<int> done{0};
        std::atomic<int> total{0};
        std::atomic<bool> cancel{false};
        ImportPreview preview;
        Result<ImportSummary> result{ImportSummary{}};
        int linksAdded = 0;
        QString linkError;
    };
    void startPreview();
    void run(bool dryRun);
    void finished(bool dryRun);
    void showText(const QString &text);
    void showSummary(bool dryRun);
    void updateProgress();
    void highlightFor(const QString &formatKey);

    Library *m_library;
    const ImportBackend *m_backend;
    QString m_file;
    QLabel *m_fileLabel;
    QComboBox *m_format;
    QCheckBox *m_skipInvalid;
    QPlainTextEdit *m_text;
    QLabel *m_summaryLabel;
    QListWidget *m_diagnostics;
    QProgressBar *m_progress;
    QDialogButtonBox *m_buttons;
    QPushButton *m_importButton;
    QTimer *m_progressTimer;
    KSyntaxHighlighting::Repository *m_repository; // syntaxRepository()
    KSyntaxHighlighting::SyntaxHighlighter *m_highlighter;
    QThread *m_thread = nullptr;
    std::shared_ptr<Job> m_job;
    ImportPreview m_preview;
    ImportSummary m_summary;
    QList<PluginInfo> m_demoPlugins;
    int m_demoLinksAdded = 0;
    bool m_imported = false;
};

} // namespace Atlas

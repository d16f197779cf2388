#include "importdialog.h"

#include "library.h"
#include "pluginlinker.h"
#include "syntaxrepository.h"

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

namespace Atlas
{

namespace
{

// Enough text to see what the file is; a multi-megabyte file is not laid out in full.
constexpr qsizetype previewLimit = 512 * 1024;

} // namespace

ImportDialog::ImportDialog(Library *library, const ImportBackend *backend, const QString &file, QWidget *parent)
    : QDialog(parent)
    , m_library(library)
    , m_backend(backend)
    , m_file(file)
    , m_fileLabel(new QLabel(this))
    , m_format(new QComboBox(this))
    , m_skipInvalid(new QCheckBox(tr("Import the valid records even when others have errors"), this))
    , m_text(new QPlainTextEdit(this))
    , m_summaryLabel(new QLabel(this))
    , m_diagnostics(new QListWidget(this))
    , m_progress(new QProgressBar(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
    , m_importButton(m_buttons->addButton(tr("&Import"), QDialogButtonBox::AcceptRole))
    , m_progressTimer(new QTimer(this))
    , m_repository(&syntaxRepository())
    , m_highlighter(new KSyntaxHighlighting::SyntaxHighlighter(m_text->document()))
{
    setWindowTitle(tr("Import %1").arg(QFileInfo(file).fileName()));
    m_fileLabel->setText(QDir::toNativeSeparators(file));
    m_fileLabel->setTextFormat(Qt::PlainText);
    m_summaryLabel->setTextFormat(Qt::PlainText);
    m_summaryLabel->setWordWrap(true);
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setAccessibleName(tr("File contents"));
    m_diagnostics->setAccessibleName(tr("Diagnostics"));
    m_progress->setRange(0, 0);
    // The theme before any definition, or the first pass paints with an invalid theme.
    m_highlighter->setTheme(m_repository->themeForPalette(palette()));

    m_format->addItem(tr("Detect from the content"), QString());
    for (const auto &[key, name] : m_backend->formats())
        m_format->addItem(name, key);

    auto *form = new QFormLayout;
    form->addRow(tr("File:"), m_fileLabel);
    form->addRow(tr("Format:"), m_format);
    form->addRow(QString(), m_skipInvalid);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_text);
    auto *lower = new QWidget(this);
    auto *lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->addWidget(m_summaryLabel);
    lowerLayout->addWidget(m_diagnostics, 1);
    splitter->addWidget(lower);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_buttons);
    resize(900, 650);

    m_progressTimer->setInterval(100);
    connect(m_progressTimer, &QTimer::timeout, this, &ImportDialog::updateProgress);
    connect(m_format, &QComboBox::currentIndexChanged, this, &ImportDialog::startPreview);
    connect(m_skipInvalid, &QCheckBox::toggled, this, &ImportDialog::startPreview);
    connect(m_importButton, &QPushButton::clicked, this, &ImportDialog::startImport);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ImportDialog::reject);
    startPreview();
}

ImportDialog::~ImportDialog()
{
    if (m_thread) {
        m_job->cancel = true;
        m_thread->wait();
    }
}

QString ImportDialog::formatKey() const
{
    return m_preview.formatKey;
}

void ImportDialog::startPreview()
{
    if (m_thread || m_imported)
        return;
    run(true);
}

void ImportDialog::startImport()
{
    if (m_thread || m_imported || m_preview.formatKey.isEmpty())
        return;
    run(false);
}

void ImportDialog::cancelJob()
{
    if (m_job && m_thread)
        m_job->cancel = true;
}

void ImportDialog::reject()
{
    if (m_thread) {
        // The first Cancel stops the job (nothing is written); the dialog stays to say so.
        cancelJob();
        return;
    }
    QDialog::reject();
}

void ImportDialog::run(bool dryRun)
{
    auto job = std::make_shared<Job>();
    m_job = job;
    const QString libraryPath = m_library->path();
    const QString file = m_file;
    const QString chosen = m_format->currentData().toString();
    const bool skipInvalid = m_skipInvalid->isChecked();
    const ImportBackend *backend = m_backend;
    ImportPreview known = m_preview;
    const bool reuse = !dryRun && !known.formatKey.isEmpty();
    const QList<PluginInfo> demoPlugins = m_demoPlugins;
    m_thread = QThread::create([job, libraryPath, file, chosen, skipInvalid, backend, known, reuse, dryRun, demoPlugins] {
        WorkerConnection connection(libraryPath);
        if (!connection.isOpen()) {
            job->result = Error{connection.error()};
            return;
        }
        job->preview = reuse ? known : backend->parse(connection.database(), file, chosen);
        if (job->preview.formatKey.isEmpty()) {
            ImportSummary summary;
            summary.dryRun = dryRun;
            summary.diagnostics = job->preview.parsed.diagnostics;
            job->result = summary;
            return;
        }
        ImportOptions options;
        options.file = file;
        options.format = job->preview.formatKey;
        options.sha256 = job->preview.sha256;
        options.dryRun = dryRun;
        options.skipInvalid = skipInvalid;
        options.progress = [job](int done, int total) {
            job->done = done;
            job->total = total;
            return !job->cancel.load();
        };
        if (!demoPlugins.isEmpty()) {
            // A failure rolls back only the links (the linker's savepoint): the import still commits.
            options.beforeCommit = [job, &demoPlugins](const QSqlDatabase &db) -> Status {
                auto report = PluginLinker(db).linkAutomatically(demoPlugins);
                if (report)
                    job->linksAdded = report->added;
                else
                    job->linkError = report.error();
                return {};
            };
        }
        job->result = ImportWriter(connection.database()).apply(job->preview.parsed, options);
    });
    m_thread->setParent(this);
    connect(m_thread, &QThread::finished, this, [this, dryRun] {
        finished(dryRun);
    });
    m_importButton->setEnabled(false);
    m_format->setEnabled(false);
    m_skipInvalid->setEnabled(false);
    m_progress->setRange(0, 0);
    m_progress->setVisible(true);
    m_summaryLabel->setText(dryRun ? tr("Reading the file and checking it against the library…") : tr("Importing…"));
    m_progressTimer->start();
    m_thread->start();
}

void ImportDialog::updateProgress()
{
    if (!m_job)
        return;
    const int total = m_job->total.load();
    if (total > 0) {
        m_progress->setRange(0, total);
        m_progress->setValue(m_job->done.load());
    }
}

void ImportDialog::finished(bool dryRun)
{
    m_progressTimer->stop();
    m_thread->deleteLater();
    m_thread = nullptr;
    const std::shared_ptr<Job> job = m_job;
    m_progress->setVisible(false);
    m_format->setEnabled(!m_imported);
    m_skipInvalid->setEnabled(!m_imported);
    if (!job->result) {
        m_summaryLabel->setText(tr("The library could not be used: %1").arg(job->result.error()));
        m_importButton->setEnabled(false);
        Q_EMIT jobFinished(false);
        return;
    }
    if (dryRun) {
        const bool textChanged = job->preview.text != m_preview.text || m_text->document()->isEmpty();
        m_preview = job->preview;
        if (textChanged)
            showText(m_preview.text);
        highlightFor(m_preview.formatKey);
    }
    m_summary = job->result.value();
    if (!dryRun && m_summary.written) {
        m_imported = true;
        m_demoLinksAdded = job->linksAdded;
        m_library->notifyChanged();
        m_buttons->removeButton(m_importButton);
        m_importButton->deleteLater();
        m_importButton = nullptr;
        m_buttons->setStandardButtons(QDialogButtonBox::Close);
        connect(m_buttons->button(QDialogButtonBox::Close), &QPushButton::clicked, this, &QDialog::accept);
    }
    showSummary(dryRun);
    if (!dryRun && m_summary.written) {
        if (!job->linkError.isEmpty())
            m_summaryLabel->setText(m_summaryLabel->text() + QLatin1Char('\n') + tr("The demos could not be linked to the new entries: %1").arg(job->linkError));
        else if (job->linksAdded > 0)
            m_summaryLabel->setText(m_summaryLabel->text() + QLatin1Char('\n') + tr("%n demo link(s) added", nullptr, job->linksAdded));
    }
    if (m_importButton) {
        const bool blocked = m_preview.formatKey.isEmpty() || (m_summary.hasErrors() && !m_skipInvalid->isChecked());
        m_importButton->setEnabled(!blocked && !m_summary.cancelled && (m_summary.added() + m_summary.merged() + m_summary.classificationsAdded + m_summary.tagLinksAdded) > 0);
    }
    Q_EMIT jobFinished(!dryRun && m_summary.written);
}

void ImportDialog::showText(const QString &text)
{
    if (text.size() > previewLimit) {
        m_text->setPlainText(text.left(previewLimit) + QLatin1Char('\n')
            + tr("… (the preview shows the first %1 KiB of %2 KiB)").arg(previewLimit / 1024).arg(text.size() / 1024));
    } else {
        m_text->setPlainText(text);
    }
}

void ImportDialog::highlightFor(const QString &formatKey)
{
    QString name;
    if (formatKey == QLatin1String("bibtex"))
        name = QStringLiteral("BibTeX");
    else if (formatKey == QLatin1String("markdown-list"))
        name = QStringLiteral("Markdown");
    else if (formatKey.endsWith(QLatin1String("json")))
        name = QStringLiteral("JSON");
    KSyntaxHighlighting::Definition definition = name.isEmpty() ? m_repository->definitionForFileName(m_file) : m_repository->definitionForName(name);
    if (m_highlighter->definition().name() == definition.name())
        return;
    m_highlighter->setDefinition(definition);
    m_highlighter->rehighlight();
}

void ImportDialog::showSummary(bool dryRun)
{
    QString text;
    if (!m_preview.formatKey.isEmpty()) {
        QString name = m_preview.formatKey;
        for (int i = 0; i < m_format->count(); ++i) {
            if (m_format->itemData(i).toString() == m_preview.formatKey)
                name = m_format->itemText(i);
        }
        text = tr("Format: %1").arg(name) + QLatin1Char('\n');
    }
    if (dryRun && !m_summary.cancelled)
        text += tr("If imported now:") + QLatin1Char('\n');
    text += m_summary.text();
    m_summaryLabel->setText(text);
    m_diagnostics->clear();
    for (const ImportDiagnostic &d : std::as_const(m_summary.diagnostics)) {
        auto *item = new QListWidgetItem(d.toString(), m_diagnostics);
        if (d.severity == ImportDiagnostic::Severity::Error)
            item->setIcon(QIcon::fromTheme(QStringLiteral("dialog-error")));
        else if (d.severity == ImportDiagnostic::Severity::Warning)
            item->setIcon(QIcon::fromTheme(QStringLiteral("dialog-warning")));
    }
}

} // namespace Atlas

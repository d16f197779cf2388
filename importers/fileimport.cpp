#include "fileimport.h"

#include "importcontext.h"
#include "library.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <future>

namespace Atlas
{

namespace
{

QString tr(const char *text)
{
    return QCoreApplication::translate("FileImport", text);
}

void addError(ParseResult &parsed, const QString &file, QString message)
{
    // Decoding errors start with "line N: "; that line becomes the diagnostic's.
    int line = 0;
    static const QRegularExpression linePrefix(QStringLiteral("^line (\\d+): "));
    const QRegularExpressionMatch match = linePrefix.match(message);
    if (match.hasMatch()) {
        line = match.captured(1).toInt();
        message = message.mid(match.capturedLength());
    }
    parsed.diagnostics.append(ImportDiagnostic{ImportDiagnostic::Severity::Error, file, line, message});
}

} // namespace

ParsedFile parseFile(const QSqlDatabase &db, const ImporterRegistry &registry, const QString &path, const QString &formatKey)
{
    ParsedFile result;
    const QString name = QFileInfo(path).fileName();
    QFile file(path);
    if (!QFileInfo(path).isFile()) {
        addError(result.parsed, path, QFileInfo::exists(path) ? tr("not a regular file") : tr("no such file"));
        return result;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        addError(result.parsed, path, tr("cannot be read: %1").arg(file.errorString()));
        return result;
    }
    QByteArray bytes = file.readAll();
    file.close();
    // Hashing a large file takes as long as decoding it (Qt's SHA-256 does ~200 MB/s): both at once.
    std::future<QByteArray> hash = std::async(std::launch::async, [&bytes] { return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256); });
    auto text = ImporterRegistry::decode(bytes);
    result.sha256 = QString::fromLatin1(hash.get().toHex());
    bytes = QByteArray(); // a 250 MB file is not kept beside its text while it is parsed
    if (!text) {
        addError(result.parsed, path, text.error());
        return result;
    }
    result.text = std::move(text).value();
    const Importer *importer = nullptr;
    if (!formatKey.isEmpty()) {
        importer = registry.find(formatKey);
        if (!importer) {
            addError(result.parsed, path, tr("unknown format \"%1\" (one of: %2)").arg(formatKey, registry.formatKeys().join(QLatin1String(", "))));
            return result;
        }
    } else {
        auto detected = registry.detect(QStringView(result.text).left(64 * 1024), name);
        if (!detected) {
            addError(result.parsed, path, detected.error());
            return result;
        }
        importer = detected.value();
    }
    result.formatKey = importer->formatKey();
    // Importers name the file in diagnostics; give them the path so the user can find it.
    result.parsed = importer->parse(result.text, path, ImportContext::fromDatabase(db));
    return result;
}

Result<FileImportResult> importFile(Library &library, const ImporterRegistry &registry, const QString &path, const QString &formatKey, ImportOptions options)
{
    ParsedFile parsed = parseFile(library.database(), registry, path, formatKey);
    FileImportResult result;
    result.formatKey = parsed.formatKey;
    if (options.file.isEmpty())
        options.file = path;
    options.format = parsed.formatKey;
    options.sha256 = parsed.sha256;
    if (parsed.formatKey.isEmpty()) {
        result.summary.dryRun = options.dryRun;
        result.summary.diagnostics = parsed.parsed.diagnostics;
        return result;
    }
    parsed.text = QString(); // the records hold what the writer needs
    ImportWriter writer(library);
    auto summary = writer.apply(parsed.parsed, options);
    if (!summary)
        return Error{summary.error()};
    result.summary = std::move(summary).value();
    return result;
}

QList<std::pair<QString, QString>> RegistryImportBackend::formats() const
{
    QList<std::pair<QString, QString>> list;
    for (const Importer *importer : m_registry.importers())
        list.append({importer->formatKey(), importer->displayName()});
    return list;
}

ImportPreview RegistryImportBackend::parse(const QSqlDatabase &db, const QString &path, const QString &formatKey) const
{
    return parseFile(db, m_registry, path, formatKey);
}

} // namespace Atlas

#include "samplelibrary.h"

#include "library.h"
#include "sql.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

namespace Atlas::SampleLibrary
{

QStringList files()
{
    return {
        QStringLiteral(":/sample/000_c9b4ed642a83cae2.txt"),
        QStringLiteral(":/sample/001_941bdcbe8d94e6ef.txt"),
        QStringLiteral(":/sample/002_a0a8653dee302dd3.txt"),
        QStringLiteral(":/sample/003_e84dd38198dead75.txt"),
        QStringLiteral(":/sample/awesome-llm-safety-papers.md"),
        QStringLiteral(":/sample/mitigation-database-2025-07-23.csv"),
    };
}

Result<QList<FileImportResult>> install(Library &library, const ImporterRegistry &registry)
{
    // Importers read real files (the MIT CSV finds its documents table beside it), so the
    // resources are copied to a temporary folder first.
    QTemporaryDir folder;
    if (!folder.isValid())
        return Error{QCoreApplication::translate("SampleLibrary", "cannot make a temporary folder: %1").arg(folder.errorString())};
    const QStringList all = files() + QStringList{QStringLiteral(":/sample/mitigation-database-included-documents-2025-07-23.csv")};
    for (const QString &resource : all) {
        const QString target = folder.filePath(QFileInfo(resource).fileName());
        if (!QFile::copy(resource, target))
            return Error{QCoreApplication::translate("SampleLibrary", "cannot copy the sample file %1").arg(resource)};
    }
    QList<FileImportResult> results;
    ImportOptions options;
    options.skipInvalid = true;
    for (const QString &resource : files()) {
        options.file = QStringLiteral("sample/") + QFileInfo(resource).fileName();
        auto imported = importFile(library, registry, folder.filePath(QFileInfo(resource).fileName()), {}, options);
        if (!imported)
            return Error{imported.error()};
        results.append(imported.value());
    }
    // The window says the library holds the sample, not the user's own data.
    if (auto marked = Sql::exec(library.database(), QStringLiteral("INSERT OR REPLACE INTO meta(key, value) VALUES ('sample_library', ?)"),
            {QStringLiteral("Mitigation Atlas sample: seeds, Awesome-LLM-Safety-Papers, MIT mitigation database v1")});
        !marked)
        return Error{marked.error()};
    return results;
}

} // namespace Atlas::SampleLibrary

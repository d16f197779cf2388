// ImportDiagnostic: one problem an importer met, with its place in the file, printed
// as "file:line: error: message" like a compiler's.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace Atlas
{

struct ImportDiagnostic {
    enum class Severity { Note, Warning, Error }; // Note: what an import did (a merge), not a problem

    Severity severity = Severity::Error;
    QString file;
    int line = 0; // 1-based; 0 when the problem concerns the whole file
    QString message;

    QString toString() const;
    QJsonObject toJson() const;
};

// "note", "warning" or "error": the key used in JSON.
QString severityKey(ImportDiagnostic::Severity severity);

// True when any diagnostic is an error (strict mode then writes nothing).
bool hasErrors(const QList<ImportDiagnostic> &diagnostics);

} // namespace Atlas

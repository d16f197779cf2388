#include "importdiagnostic.h"

#include <QCoreApplication>

#include <algorithm>

namespace Atlas
{

QString severityKey(ImportDiagnostic::Severity severity)
{
    switch (severity) {
    case ImportDiagnostic::Severity::Note:
        return QStringLiteral("note");
    case ImportDiagnostic::Severity::Warning:
        return QStringLiteral("warning");
    case ImportDiagnostic::Severity::Error:
        break;
    }
    return QStringLiteral("error");
}

QString ImportDiagnostic::toString() const
{
    const QString kind = severity == Severity::Error ? QCoreApplication::translate("ImportDiagnostic", "error")
        : severity == Severity::Warning             ? QCoreApplication::translate("ImportDiagnostic", "warning")
                                                    : QCoreApplication::translate("ImportDiagnostic", "note");
    const QString place = line > 0 ? QStringLiteral("%1:%2").arg(file).arg(line) : file;
    return QStringLiteral("%1: %2: %3").arg(place, kind, message);
}

QJsonObject ImportDiagnostic::toJson() const
{
    return QJsonObject {{QStringLiteral("severity"), severityKey(severity)},
        {QStringLiteral("file"), file}, {QStringLiteral("line"), line}, {QStringLiteral("message"), message}};
}

bool hasErrors(const QList<ImportDiagnostic> &diagnostics)
{
    return std::any_of(diagnostics.cbegin(), diagnostics.cend(), [](const ImportDiagnostic &d) {
        return d.severity == ImportDiagnostic::Severity::Error;
    });
}

} // namespace Atlas

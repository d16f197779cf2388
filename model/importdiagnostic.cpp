#include "importdiagnostic.h"

#include <QCoreApplication>

#include <algorithm>

namespace Atlas
{

QString ImportDiagnostic::toString() const
{
    const QString kind
        = severity == Severity::Error ? QCoreApplication::translate("ImportDiagnostic", "error") : QCoreApplication::translate("ImportDiagnostic", "warning");
    const QString place = line > 0 ? QStringLiteral("%1:%2").arg(file).arg(line) : file;
    return QStringLiteral("%1: %2: %3").arg(place, kind, message);
}

QJsonObject ImportDiagnostic::toJson() const
{
    return QJsonObject {{QStringLiteral("severity"), severity == Severity::Error ? QStringLiteral("error") : QStringLiteral("warning")},
        {QStringLiteral("file"), file}, {QStringLiteral("line"), line}, {QStringLiteral("message"), message}};
}

bool hasErrors(const QList<ImportDiagnostic> &diagnostics)
{
    return std::any_of(diagnostics.cbegin(), diagnostics.cend(), [](const ImportDiagnostic &d) {
        return d.severity == ImportDiagnostic::Severity::Error;
    });
}

} // namespace Atlas

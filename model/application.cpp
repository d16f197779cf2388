#include "application.h"

#include <QCoreApplication>

namespace Atlas
{

void setApplicationIdentity()
{
    QCoreApplication::setOrganizationName(QStringLiteral("mitigation-atlas"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("mitigationatlas.org"));
    QCoreApplication::setApplicationName(QStringLiteral("mitigation-atlas"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ATLAS_VERSION));
}

} // namespace Atlas

#include "taxonomy.h"

#include <QCoreApplication>

namespace Atlas
{

QList<Dimension> allDimensions()
{
    return {Dimension::Actor, Dimension::Lifecycle, Dimension::Risk, Dimension::MitigationType, Dimension::Function};
}

QString dimensionKey(Dimension dimension)
{
    switch (dimension) {
    case Dimension::Actor:
        return QStringLiteral("actor");
    case Dimension::Lifecycle:
        return QStringLiteral("lifecycle");
    case Dimension::Risk:
        return QStringLiteral("risk");
    case Dimension::MitigationType:
        return QStringLiteral("mitigation_type");
    case Dimension::Function:
        return QStringLiteral("function");
    }
    return {};
}

std::optional<Dimension> dimensionFromKey(const QString &key)
{
    for (Dimension d : allDimensions()) {
        if (dimensionKey(d) == key)
            return d;
    }
    return std::nullopt;
}

QString dimensionTitle(Dimension dimension)
{
    switch (dimension) {
    case Dimension::Actor:
        return QCoreApplication::translate("Atlas", "Actor");
    case Dimension::Lifecycle:
        return QCoreApplication::translate("Atlas", "Lifecycle stage");
    case Dimension::Risk:
        return QCoreApplication::translate("Atlas", "Risk category");
    case Dimension::MitigationType:
        return QCoreApplication::translate("Atlas", "Mitigation type");
    case Dimension::Function:
        return QCoreApplication::translate("Atlas", "NIST AI RMF function");
    }
    return {};
}

} // namespace Atlas

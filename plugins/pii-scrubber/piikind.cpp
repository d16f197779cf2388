#include "piikind.h"

namespace Atlas::PiiScrubber
{

QString kindName(PiiKind kind)
{
    switch (kind) {
    case PiiKind::Email:
        return QStringLiteral("email");
    case PiiKind::Phone:
        return QStringLiteral("phone");
    case PiiKind::Ip:
        return QStringLiteral("ip");
    case PiiKind::Card:
        return QStringLiteral("card");
    case PiiKind::Iban:
        return QStringLiteral("iban");
    }
    return QString();
}

QString kindTag(PiiKind kind)
{
    return kindName(kind).toUpper();
}

std::optional<PiiKind> kindFromName(const QString &name)
{
    const QString lower = name.trimmed().toLower();
    for (PiiKind kind : allPiiKinds) {
        if (kindName(kind) == lower)
            return kind;
    }
    return std::nullopt;
}

} // namespace Atlas::PiiScrubber

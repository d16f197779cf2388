#include "plugininfo.h"

#include <QFileInfo>
#include <QJsonArray>

namespace Atlas
{

QJsonObject PluginParameter::toJson() const
{
    QJsonObject object {{QStringLiteral("name"), name}, {QStringLiteral("type"), type}, {QStringLiteral("default"), QJsonValue::fromVariant(defaultValue)}};
    if (minimum)
        object.insert(QStringLiteral("min"), *minimum);
    if (maximum)
        object.insert(QStringLiteral("max"), *maximum);
    if (!choices.isEmpty())
        object.insert(QStringLiteral("choices"), QJsonArray::fromVariantList(choices));
    if (!help.isEmpty())
        object.insert(QStringLiteral("help"), help);
    return object;
}

QString PluginCode::label() const
{
    QString text = schemeKey.isEmpty() ? code : schemeKey + QLatin1Char(':') + code;
    if (!within.isEmpty())
        text += QLatin1String(" within ") + within;
    return text;
}

const PluginParameter *PluginInfo::parameter(const QString &parameterName) const
{
    for (const PluginParameter &p : parameters) {
        if (p.name == parameterName)
            return &p;
    }
    return nullptr;
}

QString PluginInfo::displayId() const
{
    return id.isEmpty() ? QFileInfo(filePath).fileName() : id;
}

QString pluginStateKey(PluginInfo::State state)
{
    switch (state) {
    case PluginInfo::State::Ready:
        return QStringLiteral("ready");
    case PluginInfo::State::Invalid:
        return QStringLiteral("invalid");
    case PluginInfo::State::Unloadable:
        return QStringLiteral("unloadable");
    case PluginInfo::State::Duplicate:
        return QStringLiteral("duplicate");
    }
    return QString();
}

} // namespace Atlas

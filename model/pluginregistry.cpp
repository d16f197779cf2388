#include "pluginregistry.h"

#include "mitigationplugin.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLibrary>
#include <QPluginLoader>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>

#include <cmath>
#include <csignal>
#include <cstring>

namespace Atlas
{

namespace
{

QString tr(const char *text)
{
    return QCoreApplication::translate("PluginRegistry", text);
}

const QStringList &parameterTypes()
{
    static const QStringList types {QStringLiteral("int"), QStringLiteral("double"), QStringLiteral("bool"), QStringLiteral("string"), QStringLiteral("path")};
    return types;
}

bool isNumberType(const QString &type)
{
    return type == QLatin1String("int") || type == QLatin1String("double");
}

// 1000000 rather than 1e+06, 0.25 as it is.
QString numberText(double number)
{
    return QString::number(number, 'g', 15);
}

QString shown(const QVariant &value)
{
    if (value.typeId() == QMetaType::QString)
        return QLatin1Char('"') + value.toString() + QLatin1Char('"');
    if (value.typeId() == QMetaType::Bool)
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.typeId() == QMetaType::Double || value.typeId() == QMetaType::Float)
        return numberText(value.toDouble());
    return value.toString();
}

bool isNumeric(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::Long:
    case QMetaType::ULong:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Short:
    case QMetaType::UShort:
    case QMetaType::Double:
    case QMetaType::Float:
        return true;
    default:
        return false;
    }
}

// Converts a value to the parameter's type: qint64, double, bool or QString.
Result<QVariant> convert(const QString &type, const QVariant &value)
{
    const bool text = value.typeId() == QMetaType::QString;
    if (type == QLatin1String("int")) {
        if (text) {
            bool ok = false;
            const qint64 number = value.toString().trimmed().toLongLong(&ok);
            if (ok)
                return QVariant(number);
        } else if (isNumeric(value)) {
            const double number = value.toDouble();
            // Exactly representable whole numbers only (JSON numbers arrive as doubles).
            if (std::isfinite(number) && number == std::floor(number) && std::fabs(number) <= 9007199254740992.0)
                return QVariant(value.typeId() == QMetaType::Double || value.typeId() == QMetaType::Float ? qint64(number) : value.toLongLong());
        }
        return Error {tr("expected a whole number, not %1").arg(shown(value))};
    }
    if (type == QLatin1String("double")) {
        bool ok = false;
        double number = 0;
        if (text)
            number = value.toString().trimmed().toDouble(&ok);
        else if (isNumeric(value))
            number = value.toDouble(&ok);
        if (ok && std::isfinite(number))
            return QVariant(number);
        return Error {tr("expected a number, not %1").arg(shown(value))};
    }
    if (type == QLatin1String("bool")) {
        if (value.typeId() == QMetaType::Bool)
            return value;
        if (text) {
            const QString word = value.toString().trimmed().toLower();
            if (word == QLatin1String("true") || word == QLatin1String("yes") || word == QLatin1String("on") || word == QLatin1String("1"))
                return QVariant(true);
            if (word == QLatin1String("false") || word == QLatin1String("no") || word == QLatin1String("off") || word == QLatin1String("0"))
                return QVariant(false);
        }
        return Error {tr("expected true or false, not %1").arg(shown(value))};
    }
    // string, path
    if (text)
        return value;
    return Error {tr("expected text, not %1").arg(shown(value))};
}

// Range and choices of an already converted value.
QString checkLimits(const PluginParameter &parameter, const QVariant &value)
{
    if (isNumberType(parameter.type)) {
        const double number = value.toDouble();
        if (parameter.minimum && number < *parameter.minimum)
            return tr("%1 is below the minimum %2").arg(shown(value), numberText(*parameter.minimum));
        if (parameter.maximum && number > *parameter.maximum)
            return tr("%1 is above the maximum %2").arg(shown(value), numberText(*parameter.maximum));
    }
    if (!parameter.choices.isEmpty() && !parameter.choices.contains(value)) {
        QStringList names;
        for (const QVariant &choice : parameter.choices)
            names.append(shown(choice));
        return tr("%1 is not one of %2").arg(shown(value), names.join(QLatin1String(", ")));
    }
    return QString();
}

QString requiredText(const QJsonObject &object, const QString &key, QStringList &problems)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined()) {
        problems.append(tr("missing \"%1\"").arg(key));
        return QString();
    }
    if (!value.isString() || value.toString().trimmed().isEmpty()) {
        problems.append(tr("\"%1\" must be non-empty text").arg(key));
        return QString();
    }
    return value.toString().trimmed();
}

std::optional<PluginParameter> readParameter(const QJsonValue &json, int index, QSet<QString> &names, QStringList &problems)
{
    const QString where = tr("parameter %1").arg(index + 1);
    if (!json.isObject()) {
        problems.append(tr("%1: must be an object").arg(where));
        return std::nullopt;
    }
    const QJsonObject object = json.toObject();
    static const QRegularExpression namePattern(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]{0,63}$"));
    PluginParameter p;
    p.name = object.value(QLatin1String("name")).toString();
    if (!namePattern.match(p.name).hasMatch()) {
        problems.append(tr("%1: \"name\" must be an identifier (letters, digits, _)").arg(where));
        return std::nullopt;
    }
    const QString prefix = tr("parameter \"%1\"").arg(p.name);
    if (names.contains(p.name)) {
        problems.append(tr("%1: declared twice").arg(prefix));
        return std::nullopt;
    }
    names.insert(p.name);
    p.type = object.value(QLatin1String("type")).toString();
    if (!parameterTypes().contains(p.type)) {
        problems.append(tr("%1: \"type\" must be one of %2").arg(prefix, parameterTypes().join(QLatin1String(", "))));
        return std::nullopt;
    }
    const int before = int(problems.size());
    p.help = object.value(QLatin1String("help")).toString();
    for (const char *key : {"min", "max"}) {
        const QJsonValue limit = object.value(QLatin1String(key));
        if (limit.isUndefined())
            continue;
        if (!isNumberType(p.type) || !limit.isDouble()) {
            problems.append(tr("%1: \"%2\" must be a number and applies to int and double only").arg(prefix, QLatin1String(key)));
            continue;
        }
        (qstrcmp(key, "min") == 0 ? p.minimum : p.maximum) = limit.toDouble();
    }
    if (p.minimum && p.maximum && *p.minimum > *p.maximum)
        problems.append(tr("%1: \"min\" is above \"max\"").arg(prefix));
    const QJsonValue choices = object.value(QLatin1String("choices"));
    if (!choices.isUndefined()) {
        if (!choices.isArray() || choices.toArray().isEmpty() || p.type == QLatin1String("bool") || p.type == QLatin1String("path")) {
            problems.append(tr("%1: \"choices\" must be a non-empty list and applies to int, double and string only").arg(prefix));
        } else {
            for (const QJsonValue &choice : choices.toArray()) {
                auto converted = convert(p.type, choice.toVariant());
                if (!converted)
                    problems.append(tr("%1: choice: %2").arg(prefix, converted.error()));
                else
                    p.choices.append(converted.value());
            }
        }
    }
    const QJsonValue defaultValue = object.value(QLatin1String("default"));
    if (defaultValue.isUndefined()) {
        problems.append(tr("%1: missing \"default\"").arg(prefix));
    } else if (auto converted = convert(p.type, defaultValue.toVariant()); !converted) {
        problems.append(tr("%1: default: %2").arg(prefix, converted.error()));
    } else if (const QString limit = checkLimits(p, converted.value()); !limit.isEmpty()) {
        problems.append(tr("%1: default: %2").arg(prefix, limit));
    } else {
        p.defaultValue = converted.value();
    }
    if (problems.size() != before)
        return std::nullopt;
    return p;
}

QStringList readTextList(const QJsonObject &object, const QString &key, QStringList &problems)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return {};
    QStringList items;
    if (!value.isArray()) {
        problems.append(tr("\"demonstrates\": \"%1\" must be a list").arg(key));
        return {};
    }
    for (const QJsonValue &item : value.toArray()) {
        if (!item.isString() || item.toString().trimmed().isEmpty())
            problems.append(tr("\"demonstrates\": \"%1\" must hold non-empty text").arg(key));
        else
            items.append(item.toString().trimmed());
    }
    return items;
}

bool isPluginId(const QString &id)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9][a-z0-9._-]{0,63}$"));
    return pattern.match(id).hasMatch();
}

bool isRiskPath(const QString &path)
{
    const QStringList parts = path.split(QLatin1Char('>'));
    for (const QString &part : parts) {
        if (part.trimmed().isEmpty())
            return false;
    }
    return true;
}

std::optional<PluginCode> readCode(const QJsonValue &item, QStringList &problems)
{
    static const QRegularExpression codePattern(QStringLiteral("^[0-9A-Za-z]+(\\.[0-9A-Za-z]+)*$"));
    static const QRegularExpression schemePattern(QStringLiteral("^[a-z0-9][a-z0-9._-]*$"));
    PluginCode code;
    if (item.isString()) {
        const QString text = item.toString().trimmed();
        const qsizetype colon = text.indexOf(QLatin1Char(':'));
        code.schemeKey = colon < 0 ? QString() : text.left(colon).trimmed();
        code.code = colon < 0 ? text : text.mid(colon + 1).trimmed();
    } else if (item.isObject()) {
        const QJsonObject object = item.toObject();
        code.code = object.value(QLatin1String("code")).toString().trimmed();
        code.schemeKey = object.value(QLatin1String("scheme")).toString().trimmed();
        code.within = object.value(QLatin1String("within")).toString().trimmed();
        if (!object.value(QLatin1String("within")).isUndefined() && !isRiskPath(code.within)) {
            problems.append(tr("\"demonstrates\": code %1: \"within\" must be a risk path (A > B)").arg(code.code));
            return std::nullopt;
        }
    } else {
        problems.append(tr("\"demonstrates\": \"mitigationTypes\" holds codes (\"1.1.1\") or objects {\"code\", \"within\"}"));
        return std::nullopt;
    }
    if (!codePattern.match(code.code).hasMatch() || (!code.schemeKey.isEmpty() && !schemePattern.match(code.schemeKey).hasMatch())) {
        problems.append(tr("\"demonstrates\": \"%1\" is not a mitigation-type code").arg(code.label()));
        return std::nullopt;
    }
    return code;
}

QString signalName(int number)
{
    const char *name = ::strsignal(number);
    return name ? QString::fromLocal8Bit(name) : QString::number(number);
}

} // namespace

QString PluginRegistry::builtInFolder()
{
    const QString appDir = QCoreApplication::applicationDirPath();
    if (appDir.isEmpty())
        return QString();
    const QString buildBin = QFileInfo(QStringLiteral(ATLAS_BUILD_BIN_DIR)).canonicalFilePath();
    if (!buildBin.isEmpty() && QFileInfo(appDir).canonicalFilePath() == buildBin)
        return QDir::cleanPath(QStringLiteral(ATLAS_PLUGIN_BUILD_DIR));
    return QDir::cleanPath(appDir + QLatin1Char('/') + QStringLiteral(ATLAS_PLUGIN_INSTALL_RELATIVE));
}

void PluginRegistry::setExtraFolders(const QStringList &folders)
{
    m_extraFolders = folders;
}

void PluginRegistry::discover()
{
    m_plugins.clear();
    m_folderProblems.clear();
    QStringList folders;
    if (m_useBuiltIn) {
        // The built-in folder exists only once plugins are built or installed; its absence is no problem.
        const QString builtIn = builtInFolder();
        if (!builtIn.isEmpty() && QFileInfo(builtIn).isDir())
            folders.append(builtIn);
    }
    for (const QString &folder : std::as_const(m_extraFolders)) {
        if (folder.isEmpty() || QDir::isRelativePath(folder)) {
            // A relative folder would be read from the current directory: never.
            m_folderProblems.append(tr("%1: plugin folders must be absolute paths; not searched").arg(folder));
            continue;
        }
        if (!QFileInfo(folder).isDir()) {
            m_folderProblems.append(tr("%1: no such folder").arg(folder));
            continue;
        }
        folders.append(folder);
    }
    QSet<QString> seenFolders;
    for (const QString &folder : std::as_const(folders)) {
        const QString canonical = QFileInfo(folder).canonicalFilePath();
        if (seenFolders.contains(canonical))
            continue;
        seenFolders.insert(canonical);
        readFolder(canonical);
    }
}

void PluginRegistry::readFolder(const QString &folder)
{
    const QFileInfoList files = QDir(folder).entryInfoList(QDir::Files, QDir::Name);
    for (const QFileInfo &file : files) {
        if (!QLibrary::isLibrary(file.fileName()))
            continue;
        PluginInfo info = readFile(file.absoluteFilePath());
        if (info.isReady()) {
            for (const PluginInfo &earlier : std::as_const(m_plugins)) {
                if (earlier.state != PluginInfo::State::Duplicate && earlier.id == info.id && !earlier.id.isEmpty()) {
                    info.state = PluginInfo::State::Duplicate;
                    info.problems.append(tr("the id \"%1\" is taken by %2, found first").arg(info.id, earlier.filePath));
                    break;
                }
            }
        }
        m_plugins.append(info);
    }
}

QList<PluginInfo> PluginRegistry::readyPlugins() const
{
    QList<PluginInfo> ready;
    for (const PluginInfo &plugin : m_plugins) {
        if (plugin.isReady())
            ready.append(plugin);
    }
    return ready;
}

const PluginInfo *PluginRegistry::find(const QString &id) const
{
    for (const PluginInfo &plugin : m_plugins) {
        if (plugin.isReady() && plugin.id == id)
            return &plugin;
    }
    return nullptr;
}

void PluginRegistry::markUnloadable(const QString &filePath, const QString &reason)
{
    for (PluginInfo &plugin : m_plugins) {
        if (plugin.filePath == filePath) {
            plugin.state = PluginInfo::State::Unloadable;
            plugin.probed = true;
            plugin.problems.append(reason);
        }
    }
}

void PluginRegistry::probe(const QString &runnerPath, int timeoutMs)
{
    for (PluginInfo &plugin : m_plugins) {
        if (!plugin.isReady() || plugin.probed)
            continue;
        QProcess process;
        process.setProcessChannelMode(QProcess::SeparateChannels);
        process.setStandardInputFile(QProcess::nullDevice());
        process.start(runnerPath, {QStringLiteral("--check"), QStringLiteral("--plugin-file"), plugin.filePath, plugin.id});
        if (!process.waitForStarted(timeoutMs))
            return; // no runner: the plugins stay unprobed
        QString reason;
        if (!process.waitForFinished(timeoutMs)) {
            process.kill();
            process.waitForFinished();
            reason = tr("loading did not end within %1 s").arg(timeoutMs / 1000.0);
        } else if (process.exitStatus() == QProcess::CrashExit) {
            reason = tr("the library crashed while loading (%1)").arg(signalName(process.exitCode()));
        } else if (process.exitCode() != 0) {
            // The runner's last error line says why.
            const QList<QByteArray> lines = process.readAllStandardOutput().split('\n');
            for (const QByteArray &line : lines) {
                const QJsonObject object = QJsonDocument::fromJson(line).object();
                if (object.value(QLatin1String("type")).toString() == QLatin1String("error"))
                    reason = object.value(QLatin1String("message")).toString();
            }
            if (reason.isEmpty())
                reason = tr("the runner could not load it (exit code %1)").arg(process.exitCode());
        }
        plugin.probed = true;
        if (!reason.isEmpty()) {
            plugin.state = PluginInfo::State::Unloadable;
            plugin.problems.append(reason);
        }
    }
}

PluginInfo PluginRegistry::readFile(const QString &filePath)
{
    // QPluginLoader reads the metadata section from the file on disk; it does not load it.
    QPluginLoader loader(filePath);
    const QJsonObject metaData = loader.metaData();
    if (metaData.isEmpty()) {
        PluginInfo info;
        info.filePath = filePath;
        info.problems.append(tr("no readable plugin metadata: %1").arg(loader.errorString()));
        return info;
    }
    return fromMetaData(metaData, filePath);
}

PluginInfo PluginRegistry::fromMetaData(const QJsonObject &qtMetaData, const QString &filePath)
{
    PluginInfo info;
    info.filePath = filePath;
    info.iid = qtMetaData.value(QLatin1String("IID")).toString();
    QStringList &problems = info.problems;

    const QString prefix = QLatin1String(MitigationPluginIidPrefix);
    if (!info.iid.startsWith(prefix)) {
        problems.append(tr("not a Mitigation Atlas plugin (interface \"%1\")").arg(info.iid));
        return info;
    }
    bool versionOk = false;
    const int version = info.iid.mid(prefix.size()).toInt(&versionOk);
    if (!versionOk || version != MitigationPluginInterfaceVersion) {
        // Named by its id when it has a well-formed one, so "run ID" can say why it cannot.
        const QString id = qtMetaData.value(QLatin1String("MetaData")).toObject().value(QLatin1String("id")).toString();
        if (isPluginId(id))
            info.id = id;
        problems.append(
            tr("made for plugin interface version %1; this build supports version %2").arg(info.iid.mid(prefix.size())).arg(MitigationPluginInterfaceVersion));
        return info;
    }

    const QJsonValue metaValue = qtMetaData.value(QLatin1String("MetaData"));
    const QJsonObject meta = metaValue.toObject();
    if (!metaValue.isObject() || meta.isEmpty()) {
        problems.append(tr("the plugin carries no metadata (Q_PLUGIN_METADATA needs a FILE)"));
        return info;
    }

    const QString id = requiredText(meta, QStringLiteral("id"), problems);
    if (!id.isEmpty()) {
        if (isPluginId(id))
            info.id = id;
        else
            problems.append(tr("\"id\" must be lower-case letters, digits, '.', '_' or '-' (at most 64)"));
    }
    info.name = requiredText(meta, QStringLiteral("name"), problems);
    info.version = requiredText(meta, QStringLiteral("version"), problems);
    info.description = requiredText(meta, QStringLiteral("description"), problems);
    info.category = requiredText(meta, QStringLiteral("category"), problems);

    const QJsonValue parameters = meta.value(QLatin1String("parameters"));
    if (parameters.isUndefined()) {
        problems.append(tr("missing \"parameters\" (use [] for none)"));
    } else if (!parameters.isArray()) {
        problems.append(tr("\"parameters\" must be a list"));
    } else {
        QSet<QString> names;
        const QJsonArray list = parameters.toArray();
        for (int i = 0; i < list.size(); ++i) {
            if (auto parameter = readParameter(list.at(i), i, names, problems))
                info.parameters.append(*parameter);
        }
    }

    const QJsonValue demonstrates = meta.value(QLatin1String("demonstrates"));
    if (demonstrates.isUndefined()) {
        problems.append(tr("missing \"demonstrates\""));
    } else if (!demonstrates.isObject()) {
        problems.append(tr("\"demonstrates\" must be an object with mitigationTypes, riskCategories and papers"));
    } else {
        const QJsonObject object = demonstrates.toObject();
        const QJsonValue codes = object.value(QLatin1String("mitigationTypes"));
        if (!codes.isUndefined() && !codes.isArray()) {
            problems.append(tr("\"demonstrates\": \"mitigationTypes\" must be a list"));
        } else {
            for (const QJsonValue &item : codes.toArray()) {
                if (auto code = readCode(item, problems))
                    info.mitigationTypes.append(*code);
            }
        }
        info.riskCategories = readTextList(object, QStringLiteral("riskCategories"), problems);
        for (const QString &path : std::as_const(info.riskCategories)) {
            if (!isRiskPath(path))
                problems.append(tr("\"demonstrates\": \"%1\" is not a risk path (A > B)").arg(path));
        }
        info.papers = readTextList(object, QStringLiteral("papers"), problems);
    }

    info.state = problems.isEmpty() ? PluginInfo::State::Ready : PluginInfo::State::Invalid;
    return info;
}

Result<QVariantMap> PluginRegistry::validateParameters(const PluginInfo &plugin, const QVariantMap &values)
{
    QStringList problems;
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        if (!plugin.parameter(it.key()))
            problems.append(tr("%1: no such parameter").arg(it.key()));
    }
    QVariantMap checked;
    for (const PluginParameter &parameter : plugin.parameters) {
        if (!values.contains(parameter.name)) {
            checked.insert(parameter.name, parameter.defaultValue);
            continue;
        }
        auto converted = convert(parameter.type, values.value(parameter.name));
        if (!converted) {
            problems.append(tr("%1: %2").arg(parameter.name, converted.error()));
            continue;
        }
        if (const QString limit = checkLimits(parameter, converted.value()); !limit.isEmpty()) {
            problems.append(tr("%1: %2").arg(parameter.name, limit));
            continue;
        }
        checked.insert(parameter.name, converted.value());
    }
    if (!problems.isEmpty())
        return Error {problems.join(QLatin1String("; "))};
    return checked;
}

Result<QVariantMap> PluginRegistry::parseAssignments(const QStringList &assignments)
{
    QVariantMap values;
    for (const QString &assignment : assignments) {
        const qsizetype equals = assignment.indexOf(QLatin1Char('='));
        const QString name = assignment.left(equals).trimmed();
        if (equals <= 0 || name.isEmpty())
            return Error {tr("\"%1\": a parameter is given as NAME=VALUE").arg(assignment)};
        if (values.contains(name))
            return Error {tr("%1: given twice").arg(name)};
        values.insert(name, assignment.mid(equals + 1));
    }
    return values;
}

} // namespace Atlas

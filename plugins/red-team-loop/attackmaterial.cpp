#include "attackmaterial.h"

#include <QFile>
#include <QRegularExpression>

namespace RedTeamLoop
{

namespace
{

struct NumberedLine {
    int line = 0;
    QString text;
};

bool readLines(const QString &path, QList<NumberedLine> *lines, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    const QStringList all = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < all.size(); ++i) {
        const QString text = all.at(i).trimmed();
        if (!text.isEmpty() && !text.startsWith(QLatin1Char('#')))
            lines->append(NumberedLine {int(i + 1), text});
    }
    return true;
}

QString lineError(const QString &path, int line, const QString &problem)
{
    return QStringLiteral("%1:%2: %3").arg(path).arg(line).arg(problem);
}

// The {slot} names of a text, each once.
QStringList slotsOf(const QString &text)
{
    static const QRegularExpression slot(QStringLiteral("\\{([^{}]*)\\}"));
    QStringList names;
    QRegularExpressionMatchIterator it = slot.globalMatch(text);
    while (it.hasNext())
        names.append(it.next().captured(1));
    return names;
}

} // namespace

bool AttackMaterial::loadTemplates(const QString &path, QString *error)
{
    QList<NumberedLine> lines;
    if (!readLines(path, &lines, error))
        return false;
    QStringList added;
    for (const NumberedLine &line : std::as_const(lines)) {
        const QStringList names = slotsOf(line.text);
        for (const QString &name : names) {
            if (name != QLatin1String("goal") && name != QLatin1String("verb")) {
                *error = lineError(path, line.line, QStringLiteral("unknown slot {%1}; a template may hold {goal} and {verb}").arg(name));
                return false;
            }
        }
        if (names.count(QStringLiteral("goal")) != 1) {
            *error = lineError(path, line.line, QStringLiteral("a template needs exactly one {goal} slot"));
            return false;
        }
        added.append(line.text);
    }
    templates.append(added);
    return true;
}

bool AttackMaterial::loadFillers(const QString &path, QString *error)
{
    QList<NumberedLine> lines;
    if (!readLines(path, &lines, error))
        return false;
    AttackMaterial added;
    for (const NumberedLine &line : std::as_const(lines)) {
        const qsizetype tab = line.text.indexOf(QLatin1Char('\t'));
        const QString kind = tab < 0 ? QString() : line.text.left(tab).trimmed();
        const QString text = tab < 0 ? QString() : line.text.mid(tab + 1).trimmed();
        if (tab < 0 || kind.isEmpty() || text.isEmpty()) {
            *error = lineError(path, line.line, QStringLiteral("expected a kind, a tab, then the text"));
            return false;
        }
        const bool wantsPrompt = kind == QLatin1String("wrapper");
        if (wantsPrompt != text.contains(QLatin1String("{prompt}"))) {
            *error = lineError(
                path, line.line, wantsPrompt ? QStringLiteral("a wrapper needs a {prompt} slot") : QStringLiteral("only a wrapper may hold {prompt}"));
            return false;
        }
        if (kind == QLatin1String("verb"))
            added.verbs.append(text);
        else if (kind == QLatin1String("intent"))
            added.intents.append(text);
        else if (kind == QLatin1String("noun"))
            added.nouns.append(text);
        else if (kind == QLatin1String("foreign"))
            added.foreign.append(text);
        else if (kind == QLatin1String("wrapper"))
            added.wrappers.append(text);
        else if (kind == QLatin1String("prefix"))
            added.prefixes.append(text);
        else if (kind == QLatin1String("padding"))
            added.paddings.append(text);
        else {
            *error = lineError(path, line.line, QStringLiteral("unknown kind '%1' (verb, intent, noun, foreign, wrapper, prefix or padding)").arg(kind));
            return false;
        }
    }
    verbs.append(added.verbs);
    intents.append(added.intents);
    nouns.append(added.nouns);
    foreign.append(added.foreign);
    wrappers.append(added.wrappers);
    prefixes.append(added.prefixes);
    paddings.append(added.paddings);
    return true;
}

QString AttackMaterial::missing() const
{
    if (templates.isEmpty())
        return QStringLiteral("no attack templates");
    if (verbs.isEmpty() || intents.isEmpty() || nouns.isEmpty())
        return QStringLiteral("the fillers need at least one verb, one intent and one noun");
    return QString();
}

bool readRequestLines(const QString &path, QStringList *lines, QString *error)
{
    QList<NumberedLine> numbered;
    if (!readLines(path, &numbered, error))
        return false;
    for (const NumberedLine &line : std::as_const(numbered))
        lines->append(line.text);
    return true;
}

} // namespace RedTeamLoop

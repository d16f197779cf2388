#include "lexiconfile.h"

#include <QFile>
#include <QRegularExpression>

namespace CounterfactualAugmentation
{

QList<LexiconRow> parseLexiconText(const QString &text)
{
    static const QRegularExpression separators(QStringLiteral("[\\t ]+"));
    QList<LexiconRow> rows;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QString line = lines.at(i);
        const qsizetype hash = line.indexOf(QLatin1Char('#'));
        if (hash >= 0)
            line.truncate(hash);
        line = line.trimmed();
        if (line.isEmpty())
            continue;
        rows.append(LexiconRow {int(i + 1), line.split(separators, Qt::SkipEmptyParts)});
    }
    return rows;
}

bool readTextFile(const QString &path, QString *text, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    *text = QString::fromUtf8(file.readAll());
    return true;
}

QString lineError(const QString &source, int line, const QString &problem)
{
    return QStringLiteral("%1:%2: %3").arg(source).arg(line).arg(problem);
}

} // namespace CounterfactualAugmentation

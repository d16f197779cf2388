#include "labelledtext.h"

#include <QByteArrayList>

namespace Atlas::PiiScrubber
{

bool looksLabelled(const QByteArray &data)
{
    for (PiiKind kind : allPiiKinds) {
        const QByteArray marker = "{{" + kindTag(kind).toLatin1() + ':';
        if (data.contains(marker))
            return true;
    }
    return false;
}

bool parseLabelledText(const QByteArray &data, const QString &source, QList<LabelledLine> *lines, QString *error)
{
    QList<LabelledLine> parsed;
    const QByteArrayList rawLines = data.split('\n');
    for (qsizetype i = 0; i < rawLines.size(); ++i) {
        const int lineNumber = int(i) + 1;
        QString raw = QString::fromUtf8(rawLines.at(i));
        if (raw.endsWith(u'\r'))
            raw.chop(1);
        if (raw.trimmed().isEmpty() || raw.trimmed().startsWith(u'#'))
            continue;
        auto fail = [&](const QString &problem) {
            if (error)
                *error = QStringLiteral("%1:%2: %3").arg(source).arg(lineNumber).arg(problem);
            return false;
        };
        LabelledLine line;
        line.line = lineNumber;
        qsizetype position = 0;
        while (position < raw.size()) {
            const qsizetype open = raw.indexOf(QLatin1String("{{"), position);
            const qsizetype strayClose = raw.indexOf(QLatin1String("}}"), position);
            if (strayClose >= 0 && (open < 0 || strayClose < open))
                return fail(QStringLiteral("'}}' at column %1 closes no marker").arg(strayClose + 1));
            if (open < 0) {
                line.text += QStringView(raw).mid(position);
                break;
            }
            line.text += QStringView(raw).mid(position, open - position);
            const qsizetype close = raw.indexOf(QLatin1String("}}"), open + 2);
            if (close < 0)
                return fail(QStringLiteral("'{{' at column %1 is not closed").arg(open + 1));
            const QString marker = raw.mid(open + 2, close - open - 2);
            const qsizetype colon = marker.indexOf(u':');
            if (colon < 0)
                return fail(QStringLiteral("marker '{{%1}}' has no ':' (write {{KIND:value}})").arg(marker));
            const QString tag = marker.left(colon);
            const QString value = marker.mid(colon + 1);
            const std::optional<PiiKind> kind = kindFromName(tag);
            if (!kind || tag != kindTag(*kind))
                return fail(QStringLiteral("unknown kind '%1' (EMAIL, PHONE, IP, CARD or IBAN)").arg(tag));
            if (value.isEmpty())
                return fail(QStringLiteral("marker of kind %1 has an empty value").arg(tag));
            if (value.contains(u'{') || value.contains(u'}'))
                return fail(QStringLiteral("marker of kind %1 holds a brace; markers cannot nest").arg(tag));
            line.spans.append({line.text.size(), line.text.size() + value.size(), *kind});
            line.text += value;
            position = close + 2;
        }
        parsed.append(line);
    }
    if (parsed.isEmpty()) {
        if (error)
            *error = QStringLiteral("%1: no line of text in the file").arg(source);
        return false;
    }
    *lines = parsed;
    return true;
}

} // namespace Atlas::PiiScrubber

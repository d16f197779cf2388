#include "labelledcorpus.h"

#include <QByteArrayList>

namespace Atlas::ToxicityFilter
{

bool parseLabelledCorpus(const QByteArray &data, const QString &source, QList<LabelledDocument> *documents, QString *error)
{
    QList<LabelledDocument> parsed;
    const QByteArrayList lines = data.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const int lineNumber = int(i) + 1;
        QString line = QString::fromUtf8(lines.at(i));
        if (line.endsWith(u'\r'))
            line.chop(1);
        if (line.trimmed().isEmpty() || line.trimmed().startsWith(u'#'))
            continue;
        auto fail = [&](const QString &problem) {
            if (error)
                *error = QStringLiteral("%1:%2: %3").arg(source).arg(lineNumber).arg(problem);
            return false;
        };
        const qsizetype tab = line.indexOf(u'\t');
        if (tab < 0)
            return fail(QStringLiteral("expected 'label<TAB>text', found no tab"));
        const QString label = line.left(tab).trimmed();
        if (label != QLatin1String("0") && label != QLatin1String("1"))
            return fail(QStringLiteral("label '%1' is not 0 (clean) or 1 (toxic)").arg(label));
        const QString text = line.mid(tab + 1).trimmed();
        if (text.isEmpty())
            return fail(QStringLiteral("the document's text is empty"));
        parsed.append({label == QLatin1String("1") ? 1 : 0, text, lineNumber});
    }
    if (parsed.isEmpty()) {
        if (error)
            *error = QStringLiteral("%1: no document in the file").arg(source);
        return false;
    }
    *documents = parsed;
    return true;
}

} // namespace Atlas::ToxicityFilter

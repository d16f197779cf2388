#include "occupationlist.h"

#include "lexiconfile.h"
#include "wordtokens.h"

namespace CounterfactualAugmentation
{

bool OccupationList::load(const QString &path, QString *error)
{
    QString text;
    if (!readTextFile(path, &text, error))
        return false;
    return parse(text, path, error);
}

bool OccupationList::parse(const QString &text, const QString &source, QString *error)
{
    QStringList names = m_names;
    QHash<QString, int> formIndex = m_formIndex;
    for (const LexiconRow &row : parseLexiconText(text)) {
        for (const QString &form : row.fields) {
            if (!isSingleWord(form)) {
                if (error)
                    *error = lineError(source, row.line, QStringLiteral("'%1' is not a single word made of letters").arg(form));
                return false;
            }
        }
        const QString name = row.fields.first().toLower();
        qsizetype index = names.indexOf(name);
        if (index < 0) {
            index = names.size();
            names.append(name);
        }
        for (const QString &form : row.fields) {
            const QString lower = form.toLower();
            const int owner = formIndex.value(lower, -1);
            if (owner >= 0 && owner != index) {
                if (error)
                    *error = lineError(source, row.line, QStringLiteral("'%1' is already a form of '%2'").arg(lower, names.at(owner)));
                return false;
            }
            formIndex.insert(lower, int(index));
        }
    }
    m_names = names;
    m_formIndex = formIndex;
    return true;
}

} // namespace CounterfactualAugmentation

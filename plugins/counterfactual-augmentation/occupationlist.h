// OccupationList: the occupations whose association with gender is measured, each with the
// word forms that count as it (nurse, nurses).
#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace CounterfactualAugmentation
{

class OccupationList
{
public:
    // Adds the occupations of a file; an occupation named again gets the new forms. On a bad
    // line, adds nothing and sets error to "file:line: problem".
    bool load(const QString &path, QString *error);
    bool parse(const QString &text, const QString &source, QString *error);

    qsizetype size() const { return m_names.size(); }
    const QStringList &names() const { return m_names; }
    // The index of the occupation a lower-case word is a form of, or -1.
    int indexOfForm(const QString &word) const { return m_formIndex.value(word, -1); }
    QStringList forms() const { return m_formIndex.keys(); }

private:
    QStringList m_names;
    QHash<QString, int> m_formIndex;
};

} // namespace CounterfactualAugmentation

// AttackMaterial: what the simulated red team builds attacks from (templates and slot fillers)
// and the requests the target first learns from, read from the shipped files and users' files.
#pragma once

#include <QString>
#include <QStringList>

namespace RedTeamLoop
{

struct AttackMaterial {
    QStringList templates; // with {goal}, maybe {verb}
    QStringList verbs;
    QStringList intents;
    QStringList nouns;
    QStringList foreign;
    QStringList wrappers; // with {prompt}
    QStringList prefixes;
    QStringList paddings;

    // Adds a file of templates. On a bad line adds nothing and sets error to "file:line: problem".
    bool loadTemplates(const QString &path, QString *error);
    // Adds a file of "kind<TAB>text" fillers (see the README of the data).
    bool loadFillers(const QString &path, QString *error);
    // Empty when the material can build attacks; else what is missing.
    QString missing() const;
};

// Reads the non-empty lines of a file that do not start with '#', trimmed.
bool readRequestLines(const QString &path, QStringList *lines, QString *error);

} // namespace RedTeamLoop

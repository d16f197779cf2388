// The one reader of the demo's word lists (pairs, names, occupations): one entry a line,
// fields separated by tabs or spaces, '#' starts a comment. Errors name the file and line.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace CounterfactualAugmentation
{

struct LexiconRow {
    int line = 0;
    QStringList fields;
};

// Splits text into rows, skipping blank and comment lines. Never fails: the callers check the
// fields, so their messages can say what the row should have held.
QList<LexiconRow> parseLexiconText(const QString &text);

// Reads a UTF-8 file into text; on failure, sets error to a message naming the file.
bool readTextFile(const QString &path, QString *text, QString *error);

// "path:line: problem", the form of every error about a line of a user's file.
QString lineError(const QString &source, int line, const QString &problem);

} // namespace CounterfactualAugmentation

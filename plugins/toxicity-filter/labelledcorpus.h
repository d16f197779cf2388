// A corpus of short documents, each labelled clean (0) or toxic (1), read from TSV.
#pragma once

#include <QList>
#include <QString>

namespace Atlas::ToxicityFilter
{

struct LabelledDocument {
    int label = 0;
    QString text;
    int line = 0; // line in its file, for messages
};

// Reads lines `label<TAB>text` with label 0 (clean) or 1 (toxic); '#' starts a comment line,
// blank lines are skipped. On a bad line returns false with "source:line: problem" in `error`.
bool parseLabelledCorpus(const QByteArray &data, const QString &source, QList<LabelledDocument> *documents, QString *error);

} // namespace Atlas::ToxicityFilter

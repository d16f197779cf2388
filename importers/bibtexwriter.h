// Atlas::Bibtex: writes documents as BibTeX entries that BibtexImporter reads back to the same records.
#pragma once

#include "importrecords.h"

#include <QList>
#include <QString>

namespace Atlas::Bibtex
{

// One entry per document, separated by blank lines; UTF-8 text, LaTeX specials escaped.
QString write(const QList<DocumentRecord> &documents);

// The entry type a document kind is written as ("paper-conference" -> "inproceedings"); "misc" if unknown.
QString entryTypeFor(const QString &kind);

// Text with BibTeX's and LaTeX's special characters escaped ("R&D" -> "R\&D").
QString escape(const QString &text);

} // namespace Atlas::Bibtex

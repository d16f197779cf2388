// BibtexImporter: reads BibTeX and BibLaTeX as Zotero, JabRef, Google Scholar and biblatex users
// write it (@string macros, # concatenation, LaTeX accents); each entry becomes a document.
#pragma once

#include "importer.h"

namespace Atlas
{

class BibtexImporter : public Importer
{
public:
    QString formatKey() const override { return QStringLiteral("bibtex"); }
    QString displayName() const override;
    QStringList fileExtensions() const override { return {QStringLiteral("bib"), QStringLiteral("bibtex")}; }
    int sniff(QStringView head, const QString &fileName) const override;
    ParseResult parse(const QString &text, const QString &fileName, const ImportContext &context) const override;

    // LaTeX text to plain Unicode: accents and escapes decoded, protective braces removed,
    // math ($...$) kept as written, white space collapsed. Shared with the tests.
    static QString latexToText(QStringView latex);
    // The names of a BibTeX name list ("A and B and {C D}") as "Family, Given" or literal names.
    static QStringList splitNames(QStringView names);
};

} // namespace Atlas

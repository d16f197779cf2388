// Importer: the interface every import format implements. An importer only parses: it turns
// decoded text into plain records plus diagnostics and never touches a library.
#pragma once

#include "importcontext.h"
#include "importrecords.h"

#include <QString>
#include <QStringList>

namespace Atlas
{

class Importer
{
public:
    virtual ~Importer() = default;

    // Stable key used on the command line and in import batches: "bibtex", "ris", ...
    virtual QString formatKey() const = 0;
    // Translated, user-visible name: "BibTeX / BibLaTeX".
    virtual QString displayName() const = 0;
    // Lower-case extensions without the dot that usually hold this format.
    virtual QStringList fileExtensions() const = 0;
    // How sure the importer is that `head` (the start of the decoded file) is its format:
    // 0 = certainly not, 100 = certainly. Content decides; the file name may break ties.
    virtual int sniff(QStringView head, const QString &fileName) const = 0;
    // Parses the whole text. `fileName` is only for diagnostics. Must not crash or hang on any input.
    virtual ParseResult parse(const QString &text, const QString &fileName, const ImportContext &context) const = 0;
};

} // namespace Atlas

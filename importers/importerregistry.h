// ImporterRegistry: the built-in import formats, chosen by sniffing the content (the file
// name only breaks ties) or by key; also decodes files to text with exact errors.
#pragma once

#include "importer.h"
#include "result.h"

#include <QByteArray>
#include <QList>

#include <memory>
#include <vector>

namespace Atlas
{

class ImporterRegistry
{
public:
    ImporterRegistry();
    ~ImporterRegistry();
    ImporterRegistry(const ImporterRegistry &) = delete;
    ImporterRegistry &operator=(const ImporterRegistry &) = delete;

    QList<const Importer *> importers() const;
    QStringList formatKeys() const;
    // nullptr when there is no such format.
    const Importer *find(const QString &formatKey) const;
    // The importer most sure of `head`; an error listing the known formats when none is.
    Result<const Importer *> detect(QStringView head, const QString &fileName) const;

    // UTF-8 (with or without BOM) or UTF-16 with a BOM, to text. Invalid UTF-8 and NUL bytes are
    // errors naming the line. CRLF and CR line ends become LF.
    static Result<QString> decode(const QByteArray &bytes);

private:
    std::vector<std::unique_ptr<Importer>> m_importers;
};

} // namespace Atlas

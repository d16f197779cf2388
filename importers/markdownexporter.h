// MarkdownExporter: the library's papers as an awesome-list style Markdown file, grouped by the
// risk categories they (or the entries citing them) are classified under.
#pragma once

#include "exporter.h"

namespace Atlas
{

class MarkdownExporter : public Exporter
{
public:
    QString formatKey() const override { return QStringLiteral("markdown"); }
    QString displayName() const override;
    QString fileExtension() const override { return QStringLiteral("md"); }
    Result<QByteArray> write(const QSqlDatabase &db) const override;
};

} // namespace Atlas

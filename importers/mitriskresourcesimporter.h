// MitRiskResourcesImporter: reads the MIT AI Risk Repository v3 table of included resources
// (included-resources-v3.csv); each included row becomes a document.
#pragma once

#include "importer.h"

namespace Atlas
{

class MitRiskResourcesImporter : public Importer
{
public:
    QString formatKey() const override { return QStringLiteral("mit-risk-resources"); }
    QString displayName() const override;
    QStringList fileExtensions() const override { return {QStringLiteral("csv")}; }
    int sniff(QStringView head, const QString &fileName) const override;
    ParseResult parse(const QString &text, const QString &fileName, const ImportContext &context) const override;

    // "Critch A, Russell S", "Coghlan, S, Parker, C", "Marchal, N. and Xu, R." or "Y. Bengio, S. Mindermann"
    // as "Family, Given" names; organisations are kept whole. Stray initials are reported in `stray`.
    static QStringList splitAuthors(const QString &text, QStringList *stray = nullptr);
};

} // namespace Atlas

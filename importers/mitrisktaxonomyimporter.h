// MitRiskTaxonomyImporter: reads the MIT AI Risk Repository v3 taxonomy CSVs (the domain taxonomy and
// the causal taxonomy) as updates of the bundled schemes mit-risk-domain-v3 and mit-risk-causal-v3.
#pragma once

#include "importer.h"

namespace Atlas
{

class MitRiskTaxonomyImporter : public Importer
{
public:
    QString formatKey() const override { return QStringLiteral("mit-risk-taxonomy"); }
    QString displayName() const override;
    QStringList fileExtensions() const override { return {QStringLiteral("csv")}; }
    int sniff(QStringView head, const QString &fileName) const override;
    ParseResult parse(const QString &text, const QString &fileName, const ImportContext &context) const override;
};

} // namespace Atlas

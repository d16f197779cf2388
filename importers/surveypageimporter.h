// SurveyPageImporter: reads the text of a scraped MIT AI Risk Navigator mitigation entry page
// (the seed pages): the entry itself, its sub-entries, the page's listing of the other
// mitigations of the same document, the source document and the entry's lifecycle stage, actor
// and NIST AI RMF function. See DESIGN.md ("The data") for the facts of the page format.
#pragma once

#include "importer.h"

namespace Atlas
{

class SurveyPageImporter : public Importer
{
public:
    QString formatKey() const override { return QStringLiteral("survey-page"); }
    QString displayName() const override;
    QStringList fileExtensions() const override { return {QStringLiteral("txt")}; }
    int sniff(QStringView head, const QString &fileName) const override;
    ParseResult parse(const QString &text, const QString &fileName, const ImportContext &context) const override;

    // A code written with no break before the text that follows it, split into its parts:
    // "1.1.2 Learning ObjectivesMethods for…" -> {"1.1.2", "Learning Objectives", "Methods for…"}.
    struct GluedCode {
        QString code;
        QString name;
        QString rest;
        bool known = false; // the code and its name are the taxonomy's
    };
    // Splits `line` when it starts with a code; std::nullopt when it does not. `names` maps
    // codes to names; a code it does not know is split where a lower-case letter runs into an
    // upper-case one.
    static std::optional<GluedCode> splitGluedCode(const QString &line, const QHash<QString, QString> &names);
};

} // namespace Atlas

#include "bundledtaxonomies.h"

#include "csvreader.h"
#include "sql.h"
#include "taxonomystore.h"

#include <QCoreApplication>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <functional>

namespace Atlas
{

namespace
{

QString tr(const char *text)
{
    return QCoreApplication::translate("BundledTaxonomies", text);
}

Result<QString> readResource(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error {QStringLiteral("%1: %2").arg(path, file.errorString())};
    return QString::fromUtf8(file.readAll());
}

Result<CsvTable> readTable(const QString &path, const QStringList &columns)
{
    auto text = readResource(path);
    if (!text)
        return Error {text.error()};
    auto table = CsvTable::fromText(text.value(), columns);
    if (!table)
        return Error {QStringLiteral("%1: %2").arg(path, table.error())};
    return table;
}

QString at(const QString &path, const CsvRecord &row, const QString &problem)
{
    return QStringLiteral("%1:%2: %3").arg(path).arg(row.line).arg(problem);
}

// Each loader fills one scheme whose row already exists.
using Loader = std::function<Status(TaxonomyStore &, qint64 schemeId)>;

struct BundledScheme {
    Scheme scheme;
    Loader load;
};

Status loadMitigationV2(TaxonomyStore &store, qint64 schemeId)
{
    const QString path = QStringLiteral(":/taxonomies/mit-mitigation-v2.csv");
    auto table = readTable(
        path, {QStringLiteral("code"), QStringLiteral("name"), QStringLiteral("parent_code"), QStringLiteral("description"), QStringLiteral("provisional")});
    if (!table)
        return Error {table.error()};
    QHash<QString, qint64> byCode;
    for (const CsvRecord &row : table->rows()) {
        TaxonomyNode node;
        node.schemeId = schemeId;
        node.code = table->value(row, QStringLiteral("code")).trimmed();
        node.name = table->value(row, QStringLiteral("name")).trimmed();
        node.description = table->value(row, QStringLiteral("description")).trimmed();
        node.provisional = table->value(row, QStringLiteral("provisional")) == QLatin1String("1");
        const QString parentCode = table->value(row, QStringLiteral("parent_code")).trimmed();
        if (!parentCode.isEmpty()) {
            if (!byCode.contains(parentCode))
                return Error {at(path, row, tr("parent code %1 is not defined above").arg(parentCode))};
            node.parentId = byCode.value(parentCode);
        }
        auto id = store.addNode(node, QStringLiteral("bundled"));
        if (!id)
            return Error {at(path, row, id.error())};
        if (!node.code.isEmpty())
            byCode.insert(node.code, id.value());
    }
    return {};
}

Status loadMitigationV1(TaxonomyStore &store, qint64 schemeId)
{
    const QString path = QStringLiteral(":/taxonomies/mit-mitigation-v1.json");
    auto text = readResource(path);
    if (!text)
        return Error {text.error()};
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text.value().toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error {QStringLiteral("%1: offset %2: %3").arg(path).arg(parseError.offset).arg(parseError.errorString())};
    const QJsonArray categories = document.object().value(QLatin1String("categories")).toArray();
    if (categories.isEmpty())
        return Error {QStringLiteral("%1: %2").arg(path, tr("no \"categories\" array"))};

    std::function<Status(const QJsonObject &, std::optional<qint64>)> add = [&](const QJsonObject &object, std::optional<qint64> parent) -> Status {
        TaxonomyNode node;
        node.schemeId = schemeId;
        node.parentId = parent;
        node.code = object.value(QLatin1String("code")).toString();
        node.name = object.value(QLatin1String("name")).toString();
        node.description = object.value(QLatin1String("description")).toString();
        const QString examples = object.value(QLatin1String("examples")).toString();
        if (!examples.isEmpty())
            node.description += QLatin1String("\n") + tr("Examples: %1").arg(examples);
        auto id = store.addNode(node, QStringLiteral("bundled"));
        if (!id)
            return Error {QStringLiteral("%1: %2").arg(path, id.error())};
        const QJsonArray children = object.value(QLatin1String("subcategories")).toArray();
        for (const QJsonValue &child : children) {
            if (auto status = add(child.toObject(), id.value()); !status)
                return status;
        }
        return {};
    };
    for (const QJsonValue &category : categories) {
        if (auto status = add(category.toObject(), std::nullopt); !status)
            return status;
    }
    return {};
}

// lifecycle, actor and function rows of dimensions-v2.csv
Loader dimensionLoader(const QString &dimension)
{
    return [dimension](TaxonomyStore &store, qint64 schemeId) -> Status {
        const QString path = QStringLiteral(":/taxonomies/dimensions-v2.csv");
        auto table = readTable(path, {QStringLiteral("dimension"), QStringLiteral("value"), QStringLiteral("description"), QStringLiteral("provisional")});
        if (!table)
            return Error {table.error()};
        for (const CsvRecord &row : table->rows()) {
            if (table->value(row, QStringLiteral("dimension")) != dimension)
                continue;
            TaxonomyNode node;
            node.schemeId = schemeId;
            node.name = table->value(row, QStringLiteral("value")).trimmed();
            node.description = table->value(row, QStringLiteral("description")).trimmed();
            node.provisional = table->value(row, QStringLiteral("provisional")) == QLatin1String("1");
            if (auto id = store.addNode(node, QStringLiteral("bundled")); !id)
                return Error {at(path, row, id.error())};
        }
        return {};
    };
}

Status loadRiskDomains(TaxonomyStore &store, qint64 schemeId)
{
    const QString path = QStringLiteral(":/taxonomies/mit-risk-domain-v3.csv");
    auto table = readTable(path,
        {QStringLiteral("domain_code"), QStringLiteral("domain"), QStringLiteral("subdomain_code"), QStringLiteral("subdomain"),
            QStringLiteral("description")});
    if (!table)
        return Error {table.error()};
    QHash<QString, qint64> domains;
    for (const CsvRecord &row : table->rows()) {
        const QString domainCode = table->value(row, QStringLiteral("domain_code")).trimmed();
        if (!domains.contains(domainCode)) {
            TaxonomyNode domain;
            domain.schemeId = schemeId;
            domain.code = domainCode;
            domain.name = table->value(row, QStringLiteral("domain")).trimmed();
            auto id = store.addNode(domain, QStringLiteral("bundled"));
            if (!id)
                return Error {at(path, row, id.error())};
            domains.insert(domainCode, id.value());
        }
        TaxonomyNode sub;
        sub.schemeId = schemeId;
        sub.parentId = domains.value(domainCode);
        sub.code = table->value(row, QStringLiteral("subdomain_code")).trimmed();
        sub.name = table->value(row, QStringLiteral("subdomain")).trimmed();
        sub.description = table->value(row, QStringLiteral("description")).trimmed();
        if (auto id = store.addNode(sub, QStringLiteral("bundled")); !id)
            return Error {at(path, row, id.error())};
    }
    return {};
}

Status loadRiskCausal(TaxonomyStore &store, qint64 schemeId)
{
    const QString path = QStringLiteral(":/taxonomies/mit-risk-causal-v3.csv");
    auto table = readTable(path, {QStringLiteral("category"), QStringLiteral("level"), QStringLiteral("description")});
    if (!table)
        return Error {table.error()};
    for (const CsvRecord &row : table->rows()) {
        auto category = store.ensurePath(schemeId, {table->value(row, QStringLiteral("category"))}, QStringLiteral("bundled"));
        if (!category)
            return Error {at(path, row, category.error())};
        TaxonomyNode level;
        level.schemeId = schemeId;
        level.parentId = category.value();
        level.name = table->value(row, QStringLiteral("level")).trimmed();
        level.description = table->value(row, QStringLiteral("description")).trimmed();
        if (auto id = store.addNode(level, QStringLiteral("bundled")); !id)
            return Error {at(path, row, id.error())};
    }
    return {};
}

Status loadSurveyHeadings(TaxonomyStore &store, qint64 schemeId)
{
    const QString path = QStringLiteral(":/taxonomies/llm-safety-survey.csv");
    auto table = readTable(path, {QStringLiteral("path"), QStringLiteral("kind"), QStringLiteral("alias")});
    if (!table)
        return Error {table.error()};
    for (const CsvRecord &row : table->rows()) {
        const QStringList names = table->value(row, QStringLiteral("path")).split(QLatin1String(" > "));
        auto id = store.ensurePath(schemeId, names, QStringLiteral("bundled"));
        if (!id)
            return Error {at(path, row, id.error())};
        const QString alias = table->value(row, QStringLiteral("alias")).trimmed();
        if (!alias.isEmpty()) {
            if (auto status = store.addAlias(id.value(), alias); !status)
                return Error {at(path, row, status.error())};
        }
    }
    return {};
}

QList<BundledScheme> bundledSchemes()
{
    auto scheme = [](const char *key, const QString &name, Dimension dimension, const char *version, const char *source, const char *licence) {
        Scheme s;
        s.key = QLatin1String(key);
        s.name = name;
        s.dimension = dimension;
        s.version = QLatin1String(version);
        s.source = QLatin1String(source);
        s.licence = QLatin1String(licence);
        s.bundled = true;
        return s;
    };
    return {
        {scheme("mit-mitigation-v2", tr("MIT mitigation taxonomy v2"), Dimension::MitigationType, "v2 (partial)", "MIT AI Risk Navigator mitigation pages",
             "MIT material"),
            loadMitigationV2},
        {scheme("mit-mitigation-v1", tr("MIT mitigation taxonomy v1"), Dimension::MitigationType, "v1 draft (2026-08-20)",
             "MIT AI Risk Initiative draft mitigation taxonomy", "unstated"),
            loadMitigationV1},
        {scheme("lifecycle", tr("Navigator lifecycle stages"), Dimension::Lifecycle, "v2 (partial)", "MIT AI Risk Navigator", "MIT material"),
            dimensionLoader(QStringLiteral("lifecycle"))},
        {scheme("actor", tr("Navigator actors"), Dimension::Actor, "v2 (partial)", "MIT AI Risk Navigator", "MIT material"),
            dimensionLoader(QStringLiteral("actor"))},
        {scheme("nist-ai-rmf", tr("NIST AI RMF functions"), Dimension::Function, "1.0", "NIST AI Risk Management Framework 1.0", "public domain"),
            dimensionLoader(QStringLiteral("function"))},
        {scheme("llm-safety-survey", tr("LLM safety survey categories"), Dimension::Risk, "2024-12-25", "Awesome-LLM-Safety-Papers headings (tjunlp-lab)",
             "unstated"),
            loadSurveyHeadings},
        {scheme("mit-risk-domain-v3", tr("MIT AI Risk Repository domains"), Dimension::Risk, "v3 (2025-03-26)", "MIT AI Risk Repository", "CC BY 4.0"),
            loadRiskDomains},
        {scheme("mit-risk-causal-v3", tr("MIT AI Risk Repository causal taxonomy"), Dimension::Risk, "v3 (2025-03-26)", "MIT AI Risk Repository", "CC BY 4.0"),
            loadRiskCausal},
    };
}

} // namespace

QStringList BundledTaxonomies::keys()
{
    QStringList result;
    for (const BundledScheme &b : bundledSchemes())
        result.append(b.scheme.key);
    return result;
}

Status BundledTaxonomies::install(const QSqlDatabase &db)
{
    TaxonomyStore store(db);
    auto existing = store.schemes();
    if (!existing)
        return Error {existing.error()};
    QStringList present;
    for (const Scheme &s : existing.value())
        present.append(s.key);

    const QList<BundledScheme> all = bundledSchemes();
    bool missing = false;
    for (const BundledScheme &b : all)
        missing = missing || !present.contains(b.scheme.key);
    if (!missing)
        return {};

    Sql::Transaction transaction(db);
    if (!transaction.isActive())
        return Error {transaction.error()};
    for (qsizetype i = 0; i < all.size(); ++i) {
        const BundledScheme &b = all.at(i);
        if (present.contains(b.scheme.key))
            continue;
        auto id = store.addScheme(b.scheme, int(i));
        if (!id)
            return Error {id.error()};
        if (auto status = b.load(store, id.value()); !status)
            return Error {tr("bundled taxonomy %1: %2").arg(b.scheme.key, status.error())};
    }
    return transaction.commit();
}

} // namespace Atlas

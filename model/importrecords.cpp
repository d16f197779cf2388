#include "importrecords.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace Atlas
{

namespace
{

QJsonArray toArray(const QList<QStringList> &paths)
{
    QJsonArray array;
    for (const QStringList &path : paths)
        array.append(QJsonArray::fromStringList(path));
    return array;
}

QJsonArray toArray(const QList<ClassificationRecord> &classifications)
{
    QJsonArray array;
    for (const ClassificationRecord &c : classifications) {
        QJsonObject o{{QStringLiteral("scheme"), c.schemeKey}};
        if (!c.code.isEmpty())
            o.insert(QStringLiteral("code"), c.code);
        if (!c.name.isEmpty())
            o.insert(QStringLiteral("name"), c.name);
        if (!c.path.isEmpty())
            o.insert(QStringLiteral("path"), QJsonArray::fromStringList(c.path));
        if (!c.evidence.isEmpty())
            o.insert(QStringLiteral("evidence"), c.evidence);
        if (c.confidence)
            o.insert(QStringLiteral("confidence"), *c.confidence);
        if (!c.assignedBy.isEmpty())
            o.insert(QStringLiteral("assigned_by"), c.assignedBy);
        array.append(o);
    }
    return array;
}

void insertIf(QJsonObject &o, const char *key, const QString &value)
{
    if (!value.isEmpty())
        o.insert(QLatin1String(key), value);
}

} // namespace

QJsonObject RecordSet::toJson() const
{
    QJsonArray docs;
    for (const DocumentRecord &d : documents) {
        QJsonObject o{{QStringLiteral("line"), d.line}, {QStringLiteral("kind"), d.kind}};
        insertIf(o, "key", d.key);
        insertIf(o, "title", d.title);
        if (!d.authors.isEmpty())
            o.insert(QStringLiteral("authors"), QJsonArray::fromStringList(d.authors));
        if (d.year)
            o.insert(QStringLiteral("year"), *d.year);
        insertIf(o, "venue", d.venue);
        insertIf(o, "doi", d.doi);
        insertIf(o, "arxiv_id", d.arxivId);
        insertIf(o, "url", d.url);
        insertIf(o, "abstract", d.abstract);
        insertIf(o, "citation_key", d.citationKey);
        if (!d.tags.isEmpty())
            o.insert(QStringLiteral("tags"), toArray(d.tags));
        if (!d.classifications.isEmpty())
            o.insert(QStringLiteral("classifications"), toArray(d.classifications));
        if (d.needsReview)
            o.insert(QStringLiteral("needs_review"), true);
        if (d.titleInferred)
            o.insert(QStringLiteral("title_inferred"), true);
        if (!d.extra.isEmpty())
            o.insert(QStringLiteral("extra"), d.extra);
        docs.append(o);
    }
    QJsonArray ents;
    for (const EntryRecord &e : entries) {
        QJsonObject o{{QStringLiteral("line"), e.line}, {QStringLiteral("name"), e.name}};
        insertIf(o, "key", e.key);
        insertIf(o, "external_id", e.externalId);
        insertIf(o, "text", e.text);
        insertIf(o, "reasoning", e.reasoning);
        insertIf(o, "notes", e.notes);
        insertIf(o, "parent", e.parentKey);
        insertIf(o, "document", e.documentKey);
        if (e.listingOnly)
            o.insert(QStringLiteral("listing_only"), true);
        if (e.needsReview)
            o.insert(QStringLiteral("needs_review"), true);
        if (e.nameInferred)
            o.insert(QStringLiteral("name_inferred"), true);
        if (!e.pageListing.isEmpty())
            o.insert(QStringLiteral("page_listing"), QJsonArray::fromStringList(e.pageListing));
        if (!e.classifications.isEmpty())
            o.insert(QStringLiteral("classifications"), toArray(e.classifications));
        if (!e.tags.isEmpty())
            o.insert(QStringLiteral("tags"), toArray(e.tags));
        if (!e.extra.isEmpty())
            o.insert(QStringLiteral("extra"), e.extra);
        ents.append(o);
    }
    QJsonArray nodes;
    for (const TaxonomyNodeRecord &n : taxonomyNodes) {
        QJsonObject o{{QStringLiteral("line"), n.line}, {QStringLiteral("scheme"), n.schemeKey}, {QStringLiteral("name"), n.name}};
        insertIf(o, "code", n.code);
        if (!n.parentPath.isEmpty())
            o.insert(QStringLiteral("parent_path"), QJsonArray::fromStringList(n.parentPath));
        insertIf(o, "parent_code", n.parentCode);
        insertIf(o, "description", n.description);
        nodes.append(o);
    }
    return QJsonObject{{QStringLiteral("documents"), docs}, {QStringLiteral("entries"), ents}, {QStringLiteral("taxonomy_nodes"), nodes}};
}

namespace Records
{

QString normaliseAuthor(const QString &name)
{
    QString n = name.simplified();
    if (n.startsWith(QLatin1Char('{')) && n.endsWith(QLatin1Char('}')))
        return n.mid(1, n.size() - 2).simplified(); // a literal (corporate) name
    if (n.isEmpty() || n.contains(QLatin1Char(',')))
        return n;
    const qsizetype space = n.lastIndexOf(QLatin1Char(' '));
    if (space < 0)
        return n;
    return n.mid(space + 1) + QStringLiteral(", ") + n.left(space);
}

QString arxivIdFrom(const QString &text)
{
    static const QRegularExpression modern(QStringLiteral(R"((?:arxiv\.org/(?:abs|pdf|html)/|arxiv:\s*|10\.48550/arxiv\.)(\d{4}\.\d{4,5})(?:v\d+)?)"),
                                           QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression old(QStringLiteral(R"((?:arxiv\.org/(?:abs|pdf)/|arxiv:\s*)([a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?)"),
                                        QRegularExpression::CaseInsensitiveOption);
    if (auto m = modern.match(text); m.hasMatch())
        return m.captured(1);
    if (auto m = old.match(text); m.hasMatch())
        return m.captured(1);
    return {};
}

QString doiFrom(const QString &text)
{
    // Parentheses belong to a DOI when balanced (10.1016/S0140-6736(20)30183-5); a closing one
    // more than opened is the text around it ("(doi:10.1/x)").
    static const QRegularExpression doi(QStringLiteral(R"((10\.\d{4,9}/[^\s"<>{}\]]+))"));
    const auto m = doi.match(text);
    if (!m.hasMatch())
        return {};
    QString value = m.captured(1).toLower();
    while (!value.isEmpty()) {
        const QChar last = value.back();
        if (last == QLatin1Char('.') || last == QLatin1Char(',') || last == QLatin1Char(';')
            || (last == QLatin1Char(')') && value.count(QLatin1Char(')')) > value.count(QLatin1Char('('))))
            value.chop(1);
        else
            break;
    }
    return value;
}

QString normalisedTitle(const QString &title)
{
    QString out;
    out.reserve(title.size());
    bool space = false;
    for (const QChar c : title.normalized(QString::NormalizationForm_KD)) {
        if (c.isLetterOrNumber()) {
            if (space && !out.isEmpty())
                out.append(QLatin1Char(' '));
            out.append(c.toLower());
            space = false;
        } else if (c.category() != QChar::Mark_NonSpacing) {
            space = true;
        }
    }
    return out;
}

} // namespace Records

} // namespace Atlas

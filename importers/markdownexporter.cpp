#include "markdownexporter.h"

#include "libraryreader.h"

#include <QCoreApplication>
#include <QMap>
#include <QSet>

namespace Atlas
{

namespace
{

QString tr(const char *text)
{
    return QCoreApplication::translate("MarkdownExporter", text);
}

// Markdown that must stay text: brackets, emphasis and backslashes are escaped.
QString escaped(QString text)
{
    text = text.simplified();
    static const QString special = QStringLiteral("\\`*_[]<>#|");
    QString out;
    out.reserve(text.size());
    for (const QChar c : std::as_const(text)) {
        if (special.contains(c))
            out += QLatin1Char('\\');
        out += c;
    }
    return out;
}

// "Shi, Dan" -> "Dan Shi"; literal names stay.
QString displayName(const QString &author)
{
    const qsizetype comma = author.indexOf(QLatin1Char(','));
    if (comma < 0)
        return author;
    return QString(author.mid(comma + 1).trimmed() + QLatin1Char(' ') + author.left(comma).trimmed()).trimmed();
}

QString item(int number, const DocumentView &d)
{
    QString out = QStringLiteral("%1. **%2**\n").arg(number).arg(escaped(d.title.isEmpty() ? tr("(untitled)") : d.title));
    QStringList meta;
    if (!d.authors.isEmpty()) {
        QStringList names;
        for (const QString &a : d.authors)
            names.append(escaped(displayName(a)));
        meta.append(names.join(QLatin1String(", ")));
    }
    if (!d.venue.isEmpty())
        meta.append(QLatin1Char('*') + escaped(d.venue) + QLatin1Char('*'));
    if (d.year)
        meta.append(QString::number(*d.year));
    QString line = meta.join(QLatin1String(". "));
    QString link = d.url;
    if (link.isEmpty() && !d.arxivId.isEmpty())
        link = QStringLiteral("https://arxiv.org/abs/") + d.arxivId;
    if (link.isEmpty() && !d.doi.isEmpty())
        link = QStringLiteral("https://doi.org/") + d.doi;
    if (!link.isEmpty()) {
        link.replace(QLatin1Char(')'), QLatin1String("%29")).replace(QLatin1Char(' '), QLatin1String("%20"));
        line += (line.isEmpty() ? QString() : QStringLiteral(". ")) + QStringLiteral("[[Paper](%1)]").arg(link);
    }
    if (!line.isEmpty())
        out += QLatin1Char('\t') + line + QLatin1Char('\n');
    return out;
}

} // namespace

QString MarkdownExporter::displayName() const
{
    return tr("Paper list (Markdown)");
}

Result<QByteArray> MarkdownExporter::write(const QSqlDatabase &db) const
{
    LibraryReader reader(db);
    auto documents = reader.documents();
    if (!documents)
        return Error{documents.error()};
    auto entries = reader.entries();
    if (!entries)
        return Error{entries.error()};

    // Risk paths of each document: its own, and those of the entries that cite it.
    QHash<qint64, QSet<QStringList>> paths;
    for (const DocumentView &d : documents.value()) {
        for (const ClassificationView &c : d.classifications) {
            if (c.dimension == QLatin1String("risk"))
                paths[d.id].insert(c.path);
        }
    }
    for (const EntryView &e : entries.value()) {
        if (e.documentId == 0)
            continue;
        for (const ClassificationView &c : e.classifications) {
            if (c.dimension == QLatin1String("risk"))
                paths[e.documentId].insert(c.path);
        }
    }
    QMap<QStringList, QList<const DocumentView *>> groups; // sorted by path
    QList<const DocumentView *> unclassified;
    for (const DocumentView &d : documents.value()) {
        const QSet<QStringList> own = paths.value(d.id);
        if (own.isEmpty())
            unclassified.append(&d);
        for (const QStringList &path : own)
            groups[path].append(&d);
    }

    QString out = QStringLiteral("# %1\n\n").arg(tr("Papers of the Mitigation Atlas library"));
    out += QCoreApplication::translate("MarkdownExporter", "%n papers, grouped by risk category.", nullptr, int(documents->size())) + QStringLiteral("\n\n");
    QStringList previous;
    for (auto it = groups.cbegin(); it != groups.cend(); ++it) {
        const QStringList &path = it.key();
        // Headings for the levels that differ from the previous group's.
        qsizetype common = 0;
        while (common < path.size() && common < previous.size() && path.at(common) == previous.at(common))
            ++common;
        for (qsizetype level = common; level < path.size(); ++level)
            out += QString(int(std::min<qsizetype>(level + 2, 6)), QLatin1Char('#')) + QLatin1Char(' ') + escaped(path.at(level)) + QStringLiteral("\n\n");
        int number = 0;
        for (const DocumentView *d : it.value())
            out += item(++number, *d);
        out += QLatin1Char('\n');
        previous = path;
    }
    if (!unclassified.isEmpty()) {
        out += QStringLiteral("## %1\n\n").arg(tr("Not classified by risk"));
        int number = 0;
        for (const DocumentView *d : std::as_const(unclassified))
            out += item(++number, *d);
        out += QLatin1Char('\n');
    }
    return out.toUtf8();
}

} // namespace Atlas

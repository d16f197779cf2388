#include "bibtexwriter.h"

#include <QHash>
#include <QSet>

namespace Atlas::Bibtex
{

namespace
{

// Fields of the importer's "extra" that are BibTeX/BibLaTeX fields and worth writing back.
const QSet<QString> &extraFields()
{
    static const QSet<QString> fields = [] {
        QSet<QString> s;
        for (const char *name : {"volume", "number", "issue", "pages", "month", "day", "date", "publisher", "address", "location", "edition", "series",
                                 "editor", "translator", "note", "howpublished", "organization", "institution", "school", "isbn", "issn", "chapter", "type",
                                 "language", "urldate", "primaryclass", "eprintclass", "annote", "annotation", "subtitle", "titleaddon", "shorttitle",
                                 "pagetotal", "version", "eventtitle", "eventdate", "venue", "addendum", "journal", "journaltitle", "booktitle", "eprint",
                                 "archiveprefix", "eprinttype", "pubstate", "year"})
            s.insert(QLatin1String(name));
        return s;
    }();
    return fields;
}

// The importer takes the venue from the first of these fields an entry has.
const QStringList &venueFields()
{
    static const QStringList fields{QStringLiteral("journal"),     QStringLiteral("journaltitle"), QStringLiteral("booktitle"),
                                    QStringLiteral("school"),      QStringLiteral("institution"),  QStringLiteral("publisher")};
    return fields;
}

QString venueFieldFor(const QString &type)
{
    static const QHash<QString, QString> fields{
        {QStringLiteral("inproceedings"), QStringLiteral("booktitle")}, {QStringLiteral("conference"), QStringLiteral("booktitle")},
        {QStringLiteral("incollection"), QStringLiteral("booktitle")},  {QStringLiteral("inbook"), QStringLiteral("booktitle")},
        {QStringLiteral("book"), QStringLiteral("publisher")},          {QStringLiteral("booklet"), QStringLiteral("publisher")},
        {QStringLiteral("proceedings"), QStringLiteral("publisher")},   {QStringLiteral("collection"), QStringLiteral("publisher")},
        {QStringLiteral("techreport"), QStringLiteral("institution")},  {QStringLiteral("report"), QStringLiteral("institution")},
        {QStringLiteral("phdthesis"), QStringLiteral("school")},        {QStringLiteral("mastersthesis"), QStringLiteral("school")},
        {QStringLiteral("thesis"), QStringLiteral("school")},
    };
    return fields.value(type, QStringLiteral("journal"));
}

// Letters and digits of `text` without accents, lower case: for generated citation keys.
QString asciiWord(const QString &text)
{
    QString out;
    for (const QChar c : text.normalized(QString::NormalizationForm_KD)) {
        if (c.unicode() < 128 && c.isLetterOrNumber())
            out.append(c.toLower());
    }
    return out;
}

QString sanitisedKey(const QString &key)
{
    QString out;
    for (const QChar c : key) {
        if (!c.isSpace() && !QStringView(u",{}()\"#%'=~\\@").contains(c))
            out.append(c);
    }
    return out;
}

QString generatedKey(const DocumentRecord &d)
{
    QString family;
    if (!d.authors.isEmpty())
        family = asciiWord(d.authors.constFirst().section(QLatin1Char(','), 0, 0));
    QString word;
    const QStringList words = d.title.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &w : words) {
        word = asciiWord(w);
        if (!word.isEmpty())
            break;
    }
    const QString key = family + (d.year ? QString::number(*d.year) : QString()) + word;
    return key.isEmpty() ? QStringLiteral("ref") : key;
}

QString unique(const QString &base, QSet<QString> &used)
{
    QString key = base;
    for (int n = 0; used.contains(key); ++n)
        key = n < 26 ? QString(base + QChar(u'a' + n)) : QString(base + QStringLiteral("-%1").arg(n - 24));
    used.insert(key);
    return key;
}

// A name part that would split the name list or the name is protected by braces.
QString namePart(const QString &part)
{
    const QString escaped = escape(part.trimmed());
    const bool risky = QString(QLatin1Char(' ') + part + QLatin1Char(' ')).contains(QLatin1String(" and "), Qt::CaseInsensitive);
    return risky ? QString(QLatin1Char('{') + escaped + QLatin1Char('}')) : escaped;
}

QString name(const QString &author)
{
    const QStringList parts = author.split(QLatin1Char(','));
    if (parts.size() == 2)
        return namePart(parts.at(0)) + QStringLiteral(", ") + namePart(parts.at(1));
    if (parts.size() == 3) // "Family, Given, Suffix" is "Family, Suffix, Given" in BibTeX
        return namePart(parts.at(0)) + QStringLiteral(", ") + namePart(parts.at(2)) + QStringLiteral(", ") + namePart(parts.at(1));
    return QLatin1Char('{') + escape(author.trimmed()) + QLatin1Char('}'); // a literal name, kept whole
}

// url and doi are verbatim fields: written as they are, braces percent-encoded.
QString verbatim(QString text)
{
    text.replace(QLatin1Char('{'), QLatin1String("%7B"));
    text.replace(QLatin1Char('}'), QLatin1String("%7D"));
    return text;
}

QString keywordName(const QString &name)
{
    const QString escaped = escape(name);
    return name.contains(QLatin1Char(',')) || name.contains(QLatin1Char(';')) ? QString(QLatin1Char('{') + escaped + QLatin1Char('}')) : escaped;
}

} // namespace

QString entryTypeFor(const QString &kind)
{
    static const QHash<QString, QString> types{
        {QStringLiteral("article"), QStringLiteral("article")},  {QStringLiteral("paper-conference"), QStringLiteral("inproceedings")},
        {QStringLiteral("book"), QStringLiteral("book")},        {QStringLiteral("report"), QStringLiteral("techreport")},
        {QStringLiteral("thesis"), QStringLiteral("phdthesis")}, {QStringLiteral("web"), QStringLiteral("online")},
        {QStringLiteral("preprint"), QStringLiteral("misc")},
    };
    return types.value(kind, QStringLiteral("misc"));
}

QString escape(const QString &text)
{
    QString out;
    out.reserve(text.size() + text.size() / 8);
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        const QChar next = i + 1 < text.size() ? text.at(i + 1) : QChar();
        switch (c.unicode()) {
        case u'\\':
            out.append(QLatin1String("\\textbackslash{}"));
            break;
        case u'{':
        case u'}':
        case u'%':
        case u'&':
        case u'#':
        case u'_':
        case u'$':
            out.append(QLatin1Char('\\'));
            out.append(c);
            break;
        case u'~':
            out.append(QLatin1String("\\textasciitilde{}"));
            break;
        case u'^':
            out.append(QLatin1String("\\textasciicircum{}"));
            break;
        case u'`':
            out.append(QLatin1String("\\textasciigrave{}"));
            break;
        case u'-':
        case u'\'':
            // "--" and "''" are ligatures in LaTeX ("–", "”"); a group keeps them apart.
            out.append(c);
            if (next == c)
                out.append(QLatin1String("{}"));
            break;
        case u'\n':
        case u'\r':
        case u'\t':
            out.append(QLatin1Char(' '));
            break;
        default:
            out.append(c);
        }
    }
    return out;
}

QString write(const QList<DocumentRecord> &documents)
{
    // Keys the records carry first, so generated keys never take one of them.
    QSet<QString> used;
    QStringList keys(documents.size());
    for (qsizetype i = 0; i < documents.size(); ++i) {
        const QString key = sanitisedKey(documents.at(i).citationKey);
        if (!key.isEmpty())
            keys[i] = unique(key, used);
    }
    for (qsizetype i = 0; i < documents.size(); ++i) {
        if (keys.at(i).isEmpty())
            keys[i] = unique(generatedKey(documents.at(i)), used);
    }

    QString out;
    for (qsizetype i = 0; i < documents.size(); ++i) {
        const DocumentRecord &d = documents.at(i);
        QString type = entryTypeFor(d.kind);
        const QString givenType = asciiWord(d.extra.value(QLatin1String("entrytype")).toString());
        if (!givenType.isEmpty())
            type = givenType;

        QSet<QString> written;
        QString body;
        const auto field = [&](const QString &fieldName, const QString &value) {
            if (value.isEmpty() || written.contains(fieldName))
                return;
            written.insert(fieldName);
            body += QStringLiteral("  ") + fieldName + QStringLiteral(" = {") + value + QStringLiteral("},\n");
        };

        QStringList names;
        for (const QString &author : d.authors)
            names.append(name(author));
        const bool editors = d.extra.value(QLatin1String("author_role")).toString() == u"editor";
        field(editors ? QStringLiteral("editor") : QStringLiteral("author"), names.join(QLatin1String(" and ")));

        // Double braces keep capitals that a style would lower-case; a capital first letter is kept anyway.
        const QString title = escape(d.title);
        bool capitals = false;
        for (qsizetype k = 1; k < d.title.size() && !capitals; ++k)
            capitals = d.title.at(k).isUpper();
        field(QStringLiteral("title"), capitals ? QString(QLatin1Char('{') + title + QLatin1Char('}')) : title);

        // The venue goes where the importer looks for it first.
        QString venueField = venueFieldFor(type);
        const qsizetype rank = venueFields().indexOf(venueField);
        for (qsizetype k = 0; k <= rank; ++k) {
            if (d.extra.contains(venueFields().at(k)))
                venueField = QStringLiteral("journal");
        }
        field(venueField, escape(d.venue));
        if (d.year)
            field(QStringLiteral("year"), QString::number(*d.year));
        field(QStringLiteral("doi"), verbatim(d.doi));
        if (!d.arxivId.isEmpty()) {
            field(QStringLiteral("eprint"), verbatim(d.arxivId));
            field(QStringLiteral("archiveprefix"), QStringLiteral("arXiv"));
        }
        field(QStringLiteral("url"), verbatim(d.url));
        field(QStringLiteral("abstract"), escape(d.abstract));

        QStringList tags;
        for (const QStringList &path : d.tags) {
            QStringList parts;
            for (const QString &part : path)
                parts.append(keywordName(part));
            tags.append(parts.join(QLatin1String(" > ")));
        }
        field(QStringLiteral("keywords"), tags.join(QLatin1String(", ")));

        QStringList extraKeys = d.extra.keys();
        extraKeys.sort();
        for (const QString &key : std::as_const(extraKeys)) {
            const QJsonValue value = d.extra.value(key);
            if (!extraFields().contains(key) || !(value.isString() || value.isDouble()))
                continue;
            field(key, escape(value.isString() ? value.toString() : QString::number(value.toDouble())));
        }

        if (body.endsWith(QLatin1String(",\n")))
            body.chop(2);
        out += QLatin1Char('@') + type + QLatin1Char('{') + keys.at(i) + QStringLiteral(",\n") + body + QStringLiteral("\n}\n\n");
    }
    return out;
}

} // namespace Atlas::Bibtex

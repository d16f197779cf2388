#include "csvrows.h"

#include <QHash>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Atlas::CsvRows
{

QStringList headerFields(QStringView head)
{
    if (head.startsWith(QChar(0xFEFF)))
        head = head.mid(1);
    qsizetype end = head.indexOf(u'\n');
    if (end < 0)
        end = head.size();
    QStringList fields;
    for (QStringView field : head.left(std::min<qsizetype>(end, 4096)).split(u',')) {
        field = field.trimmed();
        if (field.size() >= 2 && field.startsWith(u'"') && field.endsWith(u'"'))
            field = field.mid(1, field.size() - 2);
        fields.append(field.toString());
    }
    return fields;
}

Rows read(QStringView text)
{
    static const QRegularExpression linePrefix(u"^\\D*(\\d+):\\s*"_s);
    Rows rows;
    QStringView part = text;
    // Each retry cuts the text before the broken line; a row whose quoted field crosses the cut
    // makes one more retry. A few are enough; more would only make hostile input slow.
    for (int attempt = 0; attempt < 4; ++attempt) {
        auto parsed = CsvReader::parse(part);
        if (parsed) {
            rows.records = std::move(parsed).value();
            break;
        }
        const QRegularExpressionMatch m = linePrefix.match(parsed.error());
        const int line = m.hasMatch() ? m.captured(1).toInt() : 0;
        if (attempt == 0) {
            rows.error = m.hasMatch() ? parsed.error().mid(m.capturedLength()) : parsed.error();
            rows.errorLine = line;
        }
        qsizetype cut = 0;
        for (int l = 1; l < line && cut < part.size(); ++l) {
            const qsizetype newline = part.indexOf(u'\n', cut);
            cut = newline < 0 ? part.size() : newline + 1;
        }
        if (line <= 1 || cut >= part.size())
            break;
        part = part.left(cut);
    }
    return rows;
}

QString documentKind(const QString &type)
{
    static const QHash<QString, QString> kinds{
        {u"preprint"_s, u"preprint"_s},
        {u"report"_s, u"report"_s},
        {u"journal article"_s, u"article"_s},
        {u"article"_s, u"article"_s},
        {u"conference paper"_s, u"paper-conference"_s},
        {u"book"_s, u"book"_s},
        {u"book chapter"_s, u"chapter"_s},
        {u"book section"_s, u"chapter"_s},
        {u"thesis"_s, u"thesis"_s},
        {u"website"_s, u"web"_s},
        {u"web page"_s, u"web"_s},
        {u"dataset"_s, u"dataset"_s},
        {u"software"_s, u"software"_s},
        // Laws, guidance and policy papers are reports for citing (RIS files them as GOVDOC -> report).
        {u"legislation"_s, u"report"_s},
        {u"other government document"_s, u"report"_s},
        {u"other non-government document"_s, u"report"_s},
        {u"policy brief"_s, u"report"_s},
    };
    return kinds.value(type.simplified().toLower(), u"misc"_s);
}

std::optional<int> yearFrom(const QString &text)
{
    bool ok = false;
    const double value = text.trimmed().toDouble(&ok);
    if (!ok || value != double(int(value)) || value < 1000 || value > 2999)
        return std::nullopt;
    return int(value);
}

} // namespace Atlas::CsvRows

#include "textfeatures.h"

#include <QStringList>

#include <algorithm>

namespace RedTeamLoop
{

namespace
{

// FNV-1a over UTF-16 code units, with a tag so equal strings of different feature kinds
// land in different buckets.
quint32 fnv1a(char tag, QStringView text)
{
    quint32 hash = 2166136261u;
    const auto mix = [&hash](quint32 byte) {
        hash ^= byte;
        hash *= 16777619u;
    };
    mix(quint32(quint8(tag)));
    for (const QChar c : text) {
        mix(c.unicode() & 0xffu);
        mix(c.unicode() >> 8);
    }
    return hash;
}

void sortUnique(std::vector<quint32> &values)
{
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
}

QStringList words(const QString &lower)
{
    QStringList result;
    QString current;
    for (const QChar c : lower) {
        if (c.isLetterOrNumber()) {
            current += c;
        } else if (!current.isEmpty()) {
            result.append(current);
            current.clear();
        }
    }
    if (!current.isEmpty())
        result.append(current);
    return result;
}

} // namespace

std::vector<quint32> classifierFeatures(const QString &text, int bits)
{
    const QString lower = text.toLower();
    const quint32 mask = (quint32(1) << bits) - 1;
    std::vector<quint32> features;
    const QStringList tokens = words(lower);
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        features.push_back(fnv1a('w', tokens.at(i)) & mask);
        if (i + 1 < tokens.size())
            features.push_back(fnv1a('b', QString(tokens.at(i) + QLatin1Char(' ') + tokens.at(i + 1))) & mask);
    }
    const QString padded = QLatin1Char(' ') + lower + QLatin1Char(' ');
    for (int n = 3; n <= 4; ++n) {
        for (qsizetype i = 0; i + n <= padded.size(); ++i)
            features.push_back(fnv1a(char('0' + n), QStringView(padded).mid(i, n)) & mask);
    }
    sortUnique(features);
    return features;
}

std::vector<quint32> shingles(const QString &text)
{
    const QString lower = text.toLower();
    std::vector<quint32> result;
    for (qsizetype i = 0; i + 3 <= lower.size(); ++i)
        result.push_back(fnv1a('s', QStringView(lower).mid(i, 3)));
    sortUnique(result);
    return result;
}

double jaccard(const std::vector<quint32> &a, const std::vector<quint32> &b)
{
    if (a.empty() && b.empty())
        return 1.0;
    std::size_t i = 0;
    std::size_t j = 0;
    std::size_t common = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i] < b[j]) {
            ++i;
        } else if (b[j] < a[i]) {
            ++j;
        } else {
            ++common;
            ++i;
            ++j;
        }
    }
    return double(common) / double(a.size() + b.size() - common);
}

} // namespace RedTeamLoop

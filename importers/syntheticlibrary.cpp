#include "syntheticlibrary.h"

#include "library.h"
#include "taxonomystore.h"

#include <QCoreApplication>
#include <QFile>
#include <QHash>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QSet>
#include <QTemporaryDir>
#include <QVarLengthArray>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <tuple>

namespace Atlas
{

namespace
{

QString tr(const char *text)
{
    return QCoreApplication::translate("SyntheticLibrary", text);
}

constexpr char mitigationsHeader[] = "Action ID,Action Name,Action Definition,Action Source,MitigationCode\n";
constexpr char documentsHeader[] = "ShortRef,DocumentID,Title,First author,Year,Abstract,Description,URL,DOI,Type\n";
constexpr char csvScheme[] = "mit-mitigation-v1";
constexpr char documentRiskScheme[] = "llm-safety-survey";
constexpr char generatedAt[] = "2026-01-01T00:00:00Z";
constexpr int minTextLength = 200;
constexpr int maxTextLength = 2000;
// The made-up names in titles (4 syllables of 8 bits) are unique below 2^32 documents.
constexpr qint64 maxDocuments = qint64(1) << 31;
constexpr qint64 maxEntries = qint64(1) << 40;
constexpr qsizetype flushSize = 1 << 20;

// Documents draw from generators of their own, seeded with the seed and their position, so an
// entry can make its document's short reference again without keeping every document in memory.
// Entries draw from one generator in turn (seeding one costs microseconds).
enum class Stream : quint32 { Document = 1, Entry = 2 };

QRandomGenerator generatorFor(quint64 seed, Stream stream, qint64 index)
{
    const quint32 words[] = {quint32(seed), quint32(seed >> 32), quint32(stream), quint32(quint64(index)), quint32(quint64(index) >> 32)};
    return QRandomGenerator(std::begin(words), std::end(words));
}

bool chance(QRandomGenerator &rng, int percent)
{
    return int(rng.bounded(100u)) < percent;
}

// Cumulative weights for picking an index in proportion to its weight.
class Weights
{
public:
    void add(quint32 weight) { m_cumulative.append((m_cumulative.isEmpty() ? 0 : m_cumulative.back()) + std::max(weight, 1u)); }
    bool isEmpty() const { return m_cumulative.isEmpty(); }
    qsizetype pick(QRandomGenerator &rng) const
    {
        const quint32 r = rng.bounded(m_cumulative.back());
        return std::upper_bound(m_cumulative.cbegin(), m_cumulative.cend(), r) - m_cumulative.cbegin();
    }

private:
    QList<quint32> m_cumulative;
};

// Values with weights: author names, venues, headings.
struct WeightedList {
    QList<QByteArray> values;
    Weights weights;

    const QByteArray &pick(QRandomGenerator &rng) const { return values.at(weights.pick(rng)); }
};

QByteArray capitalised(QByteArray word)
{
    if (!word.isEmpty() && word.at(0) >= 'a' && word.at(0) <= 'z')
        word[0] = char(word.at(0) - 'a' + 'A');
    return word;
}

// A bigram model of real text: each word with its count and the counts of the words that follow it.
// "." ends a sentence and "," is a word of its own.
class Chain
{
public:
    Status read(const QList<QByteArray> &lines)
    {
        QList<QList<QByteArray>> successors;
        for (const QByteArray &line : lines) {
            const QList<QByteArray> fields = line.split('\t');
            if (fields.size() < 2 || fields.at(0).isEmpty())
                return Error{tr("a vocabulary line is not \"word, count, successors\": %1").arg(QString::fromUtf8(line))};
            const QByteArray &word = fields.at(0);
            if (word == ".")
                m_stop = int(m_words.size());
            else if (word == ",")
                m_comma = int(m_words.size());
            m_words.append(word);
            m_weak.append(isWeak(word));
            m_unigram.add(fields.at(1).toUInt());
            successors.append(fields.size() > 2 ? fields.at(2).split(' ') : QList<QByteArray>());
        }
        if (m_words.isEmpty())
            return Error{tr("a vocabulary section is empty")};
        m_next.resize(m_words.size());
        for (qsizetype i = 0; i < successors.size(); ++i) {
            for (const QByteArray &item : std::as_const(successors.at(i))) {
                const qsizetype colon = item.indexOf(':');
                bool ok = false;
                const int word = item.left(colon).toInt(&ok);
                if (colon < 0 || !ok || word < 0 || word >= m_words.size())
                    continue;
                m_next[i].words.append(word);
                m_next[i].weights.add(item.mid(colon + 1).toUInt());
            }
        }
        return {};
    }

    // A sentence of real-looking words, appended to `out`, capitalised and ended by a full stop.
    void appendSentence(QByteArray &out, QRandomGenerator &rng, int maxWords) const
    {
        int current = m_stop;
        int words = 0;
        bool afterComma = false;
        for (int guard = 0; guard < 8 * maxWords; ++guard) {
            const int word = next(rng, current);
            if (word == m_stop) {
                if (words >= 4)
                    break;
                continue;
            }
            if (word == m_comma) {
                if (words > 0 && !afterComma) {
                    out.append(',');
                    afterComma = true;
                    current = word;
                }
                continue;
            }
            if (words > 0)
                out.append(' ');
            out.append(words == 0 ? capitalised(m_words.at(word)) : m_words.at(word));
            afterComma = false;
            current = word;
            if (++words >= maxWords)
                break;
        }
        if (afterComma)
            out.chop(1);
        out.append('.');
    }

    // Sentences until the text has at least `target` characters, cut at a word to at most `maxLength`.
    QByteArray text(QRandomGenerator &rng, int target, int maxLength) const
    {
        QByteArray out;
        out.reserve(target + 400);
        while (out.size() < target) {
            if (!out.isEmpty())
                out.append(out.size() > 300 && chance(rng, 6) ? "\n\n" : " ");
            appendSentence(out, rng, 40);
        }
        if (out.size() > maxLength) {
            const qsizetype space = out.lastIndexOf(' ', maxLength - 1);
            out.truncate(space > 0 ? space : maxLength - 1);
            while (out.endsWith(',') || out.endsWith('\n'))
                out.chop(1);
            if (!out.endsWith('.'))
                out.append('.');
        }
        return out;
    }

    // A few words without a full stop (a title or a name), not ending on "of", "and", ...
    QByteArray phrase(QRandomGenerator &rng, int minWords, int maxWords) const
    {
        const int target = minWords + int(rng.bounded(quint32(maxWords - minWords + 1)));
        QVarLengthArray<int, 32> words;
        int current = -1;
        for (int guard = 0; guard < 16 * maxWords; ++guard) {
            if (int(words.size()) >= target && (!m_weak.at(words.back()) || int(words.size()) >= target + 4))
                break;
            const int word = next(rng, current);
            if (word == m_stop || (word == m_comma && (words.isEmpty() || words.back() == m_comma)))
                continue;
            words.append(word);
            current = word;
        }
        while (words.size() > 1 && m_weak.at(words.back()))
            words.removeLast();
        QByteArray out;
        for (qsizetype i = 0; i < words.size(); ++i) {
            if (i > 0 && words.at(i) != m_comma)
                out.append(' ');
            out.append(i == 0 ? capitalised(m_words.at(words.at(i))) : m_words.at(words.at(i)));
        }
        return out;
    }

private:
    static bool isWeak(const QByteArray &word)
    {
        static const QList<QByteArray> weak{",", "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "via", "with"};
        return weak.contains(word.toLower());
    }

    // Mostly a word seen after `current`, sometimes any word, so texts do not only repeat the sources.
    int next(QRandomGenerator &rng, int current) const
    {
        if (current >= 0 && !m_next.at(current).words.isEmpty() && chance(rng, 90))
            return m_next.at(current).words.at(m_next.at(current).weights.pick(rng));
        return int(m_unigram.pick(rng));
    }

    struct Successors {
        QList<int> words;
        Weights weights;
    };
    QList<QByteArray> m_words;
    QList<bool> m_weak;
    Weights m_unigram;
    QList<Successors> m_next;
    int m_stop = -1;
    int m_comma = -1;
};

// "value TAB count"; a line without a count counts once.
std::pair<QByteArray, quint32> valueAndCount(const QByteArray &line)
{
    const qsizetype tab = line.indexOf('\t');
    if (tab < 0)
        return {line, 1u};
    return {line.left(tab), line.mid(tab + 1).toUInt()};
}

// resources/synthetic/vocabulary.txt, made by tools/synthetic-vocabulary from the real data.
struct Vocabulary {
    Chain text; // mitigation texts and abstracts
    Chain title; // document titles
    Chain name; // entry names
    WeightedList family;
    WeightedList given;
    WeightedList organisation;
    WeightedList venue;
    WeightedList doiPrefix;
    QList<QList<QByteArray>> headings; // the paper list's heading paths, as tags
    Weights headingWeights;

    Status read(const QByteArray &data)
    {
        QHash<QByteArray, QList<QByteArray>> sections;
        QList<QByteArray> *section = nullptr;
        for (const QByteArray &line : data.split('\n')) {
            if (line.isEmpty() || line.startsWith('#'))
                continue;
            if (line.startsWith('@'))
                section = &sections[line.mid(1)];
            else if (section)
                section->append(line);
        }
        for (const auto &[key, chain] : {std::pair{"text", &text}, std::pair{"title", &title}, std::pair{"name", &name}}) {
            if (Status s = chain->read(sections.value(key)); !s)
                return Error{tr("section %1: %2").arg(QLatin1String(key), s.error())};
        }
        for (const auto &[key, list] : {std::pair{"family", &family}, std::pair{"given", &given}, std::pair{"organisation", &organisation},
                 std::pair{"venue", &venue}, std::pair{"doi-prefix", &doiPrefix}}) {
            for (const QByteArray &line : sections.value(key)) {
                const auto [value, count] = valueAndCount(line);
                list->values.append(value);
                list->weights.add(count);
            }
            if (list->values.isEmpty())
                return Error{tr("section %1 is empty").arg(QLatin1String(key))};
        }
        for (const QByteArray &line : sections.value("heading")) {
            const auto [value, count] = valueAndCount(line);
            QList<QByteArray> path;
            // Tag names hold no "/" (the library refuses it); the paper list importer writes "-".
            for (const QByteArray &name : value.split('>'))
                path.append(name.trimmed().replace('/', '-'));
            headings.append(path);
            headingWeights.add(count);
        }
        if (headings.isEmpty())
            return Error{tr("section heading is empty")};
        return {};
    }
};

// Tags a curator might add; made up, unlike the paper list's headings.
const QList<QList<QByteArray>> &curatorTags()
{
    static const QList<QList<QByteArray>> tags{
        {"review", "to check"},
        {"review", "checked"},
        {"priority", "high"},
        {"priority", "medium"},
        {"priority", "low"},
        {"reading group"},
        {"policy brief"},
        {"demo candidate"},
        {"evidence", "empirical"},
        {"evidence", "conceptual"},
        {"project", "coverage report"},
    };
    return tags;
}

// The "Type" values of the MIT documents table, the kind the importer files each under, and how common each is.
struct DocumentType {
    const char *type;
    const char *kind;
    quint32 weight;
};
constexpr DocumentType documentTypes[] = {
    {"Preprint", "preprint", 34},
    {"Conference Paper", "paper-conference", 24},
    {"Journal Article", "article", 16},
    {"Report", "report", 10},
    {"Policy brief", "report", 3},
    {"Other government document", "report", 4},
    {"Other non-government document", "report", 4},
    {"Legislation", "report", 1},
    {"Website", "web", 4},
};

// How much of an entry's classifications each scheme gets (mit-mitigation-v1 is always there,
// for the CSV's MitigationCode); schemes not listed get 2.
const QHash<QByteArray, quint32> &schemeWeights()
{
    static const QHash<QByteArray, quint32> weights{
        {"mit-mitigation-v2", 6},
        {"lifecycle", 6},
        {"actor", 6},
        {"nist-ai-rmf", 4},
        {"llm-safety-survey", 4},
        {"mit-risk-domain-v3", 3},
        {"mit-risk-causal-v3", 1},
    };
    return weights;
}

void appendJson(QByteArray &out, QByteArrayView text)
{
    out.append('"');
    qsizetype start = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const uchar c = uchar(text.at(i));
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(text.sliced(start, i - start));
        switch (c) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\t':
            out.append("\\t");
            break;
        case '\r':
            out.append("\\r");
            break;
        default:
            out.append("\\u00");
            out.append("0123456789abcdef"[c >> 4]);
            out.append("0123456789abcdef"[c & 15]);
        }
        start = i + 1;
    }
    out.append(text.sliced(start));
    out.append('"');
}

void appendJsonOrNull(QByteArray &out, QByteArrayView text)
{
    if (text.isEmpty())
        out.append("null");
    else
        appendJson(out, text);
}

void appendJsonPath(QByteArray &out, const QList<QByteArray> &path)
{
    out.append('[');
    for (qsizetype i = 0; i < path.size(); ++i) {
        if (i > 0)
            out.append(", ");
        appendJson(out, path.at(i));
    }
    out.append(']');
}

// One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break.
void appendCsv(QByteArray &out, QByteArrayView field)
{
    const bool quoted = std::any_of(field.begin(), field.end(), [](char c) {
        return c == ',' || c == '"' || c == '\n' || c == '\r';
    });
    if (!quoted) {
        out.append(field);
        return;
    }
    out.append('"');
    for (char c : field) {
        if (c == '"')
            out.append('"');
        out.append(c);
    }
    out.append('"');
}

// "2024-03-05T10:11:12Z" (UTC) for seconds after 1970, as QDateTime writes it but several times faster
// (days to a civil date as in Howard Hinnant's chrono algorithms).
QByteArray timestamp(qint64 secondsSinceEpoch)
{
    const qint64 days = secondsSinceEpoch / 86400;
    const qint64 seconds = secondsSinceEpoch % 86400;
    const qint64 shifted = days + 719468;
    const qint64 era = shifted / 146097;
    const qint64 dayOfEra = shifted - era * 146097;
    const qint64 yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const qint64 dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const qint64 monthIndex = (5 * dayOfYear + 2) / 153;
    const qint64 day = dayOfYear - (153 * monthIndex + 2) / 5 + 1;
    const qint64 month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
    const qint64 year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    char text[32];
    const int size = std::snprintf(text, sizeof text, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", static_cast<long long>(year), static_cast<long long>(month),
        static_cast<long long>(day), static_cast<long long>(seconds / 3600), static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60));
    return QByteArray(text, size);
}

// Lower-case letters and digits joined by "-", for made-up URLs.
QByteArray slug(QByteArrayView text)
{
    QByteArray out;
    for (char c : text) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            out.append(c);
        else if (c >= 'A' && c <= 'Z')
            out.append(char(c - 'A' + 'a'));
        else if (!out.isEmpty() && !out.endsWith('-'))
            out.append('-');
    }
    while (out.endsWith('-'))
        out.chop(1);
    return out.isEmpty() ? QByteArray("publications") : out;
}

// A pronounceable name unique to each document below 2^32 (a bijection of the position spelt in
// four syllables of eight bits), so titles and citation keys never collide and never merge on import.
QByteArray madeUpName(quint64 seed, qint64 document)
{
    static const char *const onsets[] = {"b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z"};
    static const char *const nuclei[] = {"a", "e", "i", "o", "u", "ai", "au", "ea", "ei", "ia", "io", "oa", "ou", "ua", "ue", "y"};
    const quint32 mixed = quint32(document) * 0x9E3779B1u + quint32(seed * 0x85EBCA6Bu);
    QByteArray name;
    for (int shift = 24; shift >= 0; shift -= 8) {
        const quint32 syllable = (mixed >> shift) & 0xFF;
        name.append(onsets[syllable >> 4]);
        name.append(nuclei[syllable & 15]);
    }
    return capitalised(name);
}

// "a", "b", …, "z", "aa", …: bijective base 26, to tell apart short references of the same author and year.
QByteArray letters(qint64 number)
{
    QByteArray out;
    for (quint64 n = quint64(number) + 1; n > 0; n = (n - 1) / 26)
        out.prepend(char('a' + (n - 1) % 26));
    return out;
}

// A file written under a temporary name (QSaveFile) through a buffer flushed a megabyte at a time.
class Sink
{
public:
    explicit Sink(const QString &path) : m_file(path) { }

    bool open() { return m_file.open(QIODevice::WriteOnly); }
    QByteArray &buffer() { return m_buffer; }
    bool flushIfFull() { return m_buffer.size() < flushSize || flush(); }
    bool commit() { return flush() && m_file.commit(); }
    qint64 size() const { return m_written; }
    QString error() const { return tr("%1: cannot write: %2").arg(m_file.fileName(), m_file.errorString()); }

private:
    bool flush()
    {
        if (m_file.write(m_buffer) != m_buffer.size())
            return false;
        m_written += m_buffer.size();
        m_buffer.resize(0);
        return true;
    }

    QSaveFile m_file;
    QByteArray m_buffer;
    qint64 m_written = 0;
};

struct NodeChoice {
    QByteArray reference; // "scheme": "…", "code": "…"  or  "scheme": "…", "path": […]
    QByteArray label; // "1.2 Risk Management", for the CSV
};

struct SchemeChoice {
    QByteArray key;
    quint32 weight = 2;
    QList<NodeChoice> nodes;
    Weights nodeWeights;
};

} // namespace

struct SyntheticLibrary::Private {
    Vocabulary vocabulary;
    SchemeChoice csvScheme; // mit-mitigation-v1: every entry has one of its codes
    QList<SchemeChoice> otherSchemes; // the rest, drawn from in proportion to their weights
    Weights otherWeights;
    std::optional<SchemeChoice> documentRisk; // documents are filed under the survey's headings
};

namespace
{

struct DocumentHead {
    const DocumentType *type = nullptr;
    int year = 0;
    bool organisation = false;
    QByteArray firstAuthor; // a family name or an organisation
    QByteArray shortRef; // "Bengio2025a": author, year and letters unique to the document
};

struct EntryHead {
    qint64 parent = -1;
    qint64 document = -1;
};

class Generator
{
public:
    Generator(const SyntheticLibrary::Private &data, const SyntheticLibrary::Options &options, SyntheticLibrary::Summary &summary)
        : m_data(data)
        , m_vocabulary(data.vocabulary)
        , m_options(options)
        , m_summary(summary)
        , m_entries(generatorFor(options.seed, Stream::Entry, 0))
        , m_shortRefs(std::min<qint64>(options.documents, shortRefSlots))
    {
    }

    void document(qint64 index, QByteArray &json, QByteArray &csv);
    void entry(qint64 index, QByteArray &json, QByteArray &csv);

private:
    DocumentHead documentHead(QRandomGenerator &rng, qint64 index) const;
    // The short reference of a document, from a cache of recent ones or made again.
    QByteArray shortRef(qint64 document);
    EntryHead entryHead(QRandomGenerator &rng);
    qint64 rootDocument(QRandomGenerator &rng) const
    {
        // Skewed: a few documents hold many entries, as the real sources do.
        const double u = rng.generateDouble();
        return m_options.documents > 0 ? std::min(m_options.documents - 1, qint64(u * u * double(m_options.documents))) : -1;
    }
    QByteArray author(QRandomGenerator &rng, const QByteArray &family) const
    {
        const QByteArray &given = m_vocabulary.given.pick(rng);
        if (chance(rng, 25))
            return family + ", " + QString::fromUtf8(given).left(1).toUtf8() + '.';
        return family + ", " + given;
    }
    QByteArray sentence(QRandomGenerator &rng, int maxLength) const { return m_vocabulary.text.text(rng, 1, maxLength); }
    QList<QList<QByteArray>> tags(QRandomGenerator &rng, int count, bool curators) const;
    void appendTags(QByteArray &json, const QList<QList<QByteArray>> &tags) const;
    void appendClassification(QByteArray &json, QRandomGenerator &rng, const NodeChoice &node, const QByteArray &createdAt, bool fromCsv) const;

    const SyntheticLibrary::Private &m_data;
    const Vocabulary &m_vocabulary;
    const SyntheticLibrary::Options &m_options;
    SyntheticLibrary::Summary &m_summary;
    QRandomGenerator m_entries;
    // The last top-level entries (position, document): sub-entries pick their parent among them.
    QList<std::pair<qint64, qint64>> m_recentRoots;
    qsizetype m_nextRoot = 0;
    // Short references by document position modulo the size: entries mostly name a few documents.
    QList<std::pair<qint64, QByteArray>> m_shortRefs;
    static constexpr qint64 shortRefSlots = 1 << 16;
    static constexpr qsizetype recentRootCount = 40;
    // 2024-01-01T00:00:00Z: records were made over the two years after it.
    static constexpr qint64 epoch = 1704067200;
};

DocumentHead Generator::documentHead(QRandomGenerator &rng, qint64 index) const
{
    static const Weights typeWeights = [] {
        Weights w;
        for (const DocumentType &t : documentTypes)
            w.add(t.weight);
        return w;
    }();
    DocumentHead head;
    head.type = &documentTypes[typeWeights.pick(rng)];
    const double u = rng.generateDouble();
    head.year = 2025 - int(11 * u * u);
    const bool grey = qstrcmp(head.type->kind, "report") == 0 || qstrcmp(head.type->kind, "web") == 0;
    head.organisation = chance(rng, grey ? 60 : 3);
    head.firstAuthor = head.organisation ? m_vocabulary.organisation.pick(rng) : m_vocabulary.family.pick(rng);
    head.shortRef = head.firstAuthor + QByteArray::number(head.year) + letters(index);
    return head;
}

QByteArray Generator::shortRef(qint64 document)
{
    std::pair<qint64, QByteArray> &slot = m_shortRefs[document % m_shortRefs.size()];
    if (slot.second.isEmpty() || slot.first != document) {
        QRandomGenerator rng = generatorFor(m_options.seed, Stream::Document, document);
        slot = {document, documentHead(rng, document).shortRef};
    }
    return slot.second;
}

EntryHead Generator::entryHead(QRandomGenerator &rng)
{
    EntryHead head;
    if (chance(rng, 15) && !m_recentRoots.isEmpty()) {
        // A sub-entry of a recent top-level entry, from the same document (one level deep, as the
        // survey's phases under their method).
        std::tie(head.parent, head.document) = m_recentRoots.at(rng.bounded(quint32(m_recentRoots.size())));
        return head;
    }
    head.document = rootDocument(rng);
    return head;
}

QList<QList<QByteArray>> Generator::tags(QRandomGenerator &rng, int count, bool curators) const
{
    QList<QList<QByteArray>> chosen;
    for (int attempt = 0; attempt < 3 * count && chosen.size() < count; ++attempt) {
        const QList<QByteArray> &tag = curators && chance(rng, 45) ? curatorTags().at(rng.bounded(quint32(curatorTags().size())))
                                                                   : m_vocabulary.headings.at(m_vocabulary.headingWeights.pick(rng));
        if (!chosen.contains(tag))
            chosen.append(tag);
    }
    return chosen;
}

void Generator::appendTags(QByteArray &json, const QList<QList<QByteArray>> &tags) const
{
    json.append('[');
    for (qsizetype i = 0; i < tags.size(); ++i) {
        if (i > 0)
            json.append(", ");
        appendJsonPath(json, tags.at(i));
    }
    json.append(']');
    m_summary.tagLinks += tags.size();
}

void Generator::appendClassification(QByteArray &json, QRandomGenerator &rng, const NodeChoice &node, const QByteArray &createdAt, bool fromCsv) const
{
    json.append('{');
    json.append(node.reference);
    if (fromCsv) {
        json.append(", \"assigned_by_kind\": \"import\", \"assigned_by\": \"mit-v1-csv\", \"assigned_at\": ");
        appendJson(json, createdAt);
        json.append(", \"evidence\": null, \"confidence\": null}");
        return;
    }
    const quint32 who = rng.bounded(100u);
    const QByteArray at = timestamp(epoch + qint64(rng.bounded(2u * 365 * 86400)));
    if (who < 65) {
        json.append(", \"assigned_by_kind\": \"classifier\", \"assigned_by\": \"navigator-classifier\", \"assigned_at\": ");
        appendJson(json, at);
        json.append(", \"evidence\": ");
        appendJsonOrNull(json, chance(rng, 40) ? sentence(rng, 200) : QByteArray());
        json.append(", \"confidence\": 0.");
        json.append(QByteArray::number(55 + rng.bounded(45u)));
    } else if (who < 85) {
        json.append(", \"assigned_by_kind\": \"import\", \"assigned_by\": \"survey-page\", \"assigned_at\": ");
        appendJson(json, at);
        json.append(", \"evidence\": null, \"confidence\": null");
    } else {
        json.append(", \"assigned_by_kind\": \"curator\", \"assigned_by\": ");
        appendJson(json, QByteArray(m_vocabulary.given.pick(rng) + ' ' + m_vocabulary.family.pick(rng)));
        json.append(", \"assigned_at\": ");
        appendJson(json, at);
        json.append(", \"evidence\": null, \"confidence\": null");
    }
    json.append('}');
}

void Generator::document(qint64 index, QByteArray &json, QByteArray &csv)
{
    QRandomGenerator rng = generatorFor(m_options.seed, Stream::Document, index);
    const DocumentHead head = documentHead(rng, index);
    const QByteArray kind = head.type->kind;
    const QByteArray name = madeUpName(m_options.seed, index);

    QList<QByteArray> authors;
    if (head.organisation) {
        authors.append(head.firstAuthor);
    } else {
        const double u = rng.generateDouble();
        const int count = 1 + int(9 * u * u);
        authors.append(author(rng, head.firstAuthor));
        for (int attempt = 0; attempt < 2 * count && authors.size() < count; ++attempt) {
            const QByteArray other = author(rng, m_vocabulary.family.pick(rng));
            if (!authors.contains(other))
                authors.append(other);
        }
    }

    QByteArray title = m_vocabulary.title.phrase(rng, 3, 10);
    const quint32 form = rng.bounded(10u);
    if (form < 6)
        title = name + ": " + title;
    else if (form < 8)
        title = title + " with " + name;
    else
        title = title + " (" + name + ')';

    QByteArray venue;
    if (kind == "preprint") {
        venue = "arXiv";
    } else if (kind == "paper-conference" || kind == "article") {
        for (int attempt = 0; attempt < 8 && (venue.isEmpty() || venue == "arXiv" || venue == "Blog"); ++attempt)
            venue = m_vocabulary.venue.pick(rng);
    } else if (chance(rng, 50)) {
        venue = kind == "web" ? QByteArray("Blog") : m_vocabulary.organisation.pick(rng);
    }

    // Identifiers unique to the position: arXiv ids yymm.nnnnn for the first 1.2 million documents.
    QByteArray doi, arxivId, url;
    const bool arxiv = kind == "preprint" && index < 12 * 99999;
    if (arxiv) {
        arxivId = QByteArray::number(head.year % 100).rightJustified(2, '0') + QByteArray::number(index % 12 + 1).rightJustified(2, '0') + '.'
            + QByteArray::number(index / 12 + 1).rightJustified(5, '0');
        doi = "10.48550/arXiv." + arxivId;
        url = "https://arxiv.org/abs/" + arxivId;
    } else if ((kind == "paper-conference" || kind == "article") && chance(rng, 85)) {
        doi = m_vocabulary.doiPrefix.pick(rng) + '/' + QByteArray::number(head.year) + '.' + QByteArray::number(index + 1).rightJustified(6, '0');
        url = "https://doi.org/" + doi;
    } else if (kind == "paper-conference" || kind == "preprint") {
        url = "https://openreview.net/forum?id=" + name;
    } else {
        url = "https://www." + slug(head.firstAuthor) + ".org/publications/" + name.toLower();
    }

    const QByteArray abstract = m_vocabulary.text.text(rng, 400 + int(rng.bounded(1400u)), 1900);
    const QByteArray description = chance(rng, 45) ? m_vocabulary.text.text(rng, 100 + int(rng.bounded(250u)), 450) : QByteArray();
    const QByteArray created = timestamp(epoch + qint64(rng.bounded(2u * 365 * 86400)));
    const quint32 tagDraw = rng.bounded(10u);
    const QList<QList<QByteArray>> documentTags = tags(rng, tagDraw < 4 ? 0 : tagDraw < 8 ? 1 : 2, false);
    const NodeChoice *risk = m_data.documentRisk && chance(rng, 35) ? &m_data.documentRisk->nodes.at(m_data.documentRisk->nodeWeights.pick(rng)) : nullptr;
    const QByteArray documentId = QByteArray::number(index + 1);

    json.append("    {\"key\": \"d");
    json.append(documentId);
    json.append("\", \"kind\": ");
    appendJson(json, kind);
    json.append(", \"title\": ");
    appendJson(json, title);
    json.append(", \"authors\": ");
    appendJsonPath(json, authors);
    json.append(", \"year\": ");
    json.append(QByteArray::number(head.year));
    json.append(", \"venue\": ");
    appendJsonOrNull(json, venue);
    json.append(", \"doi\": ");
    appendJsonOrNull(json, doi.toLower());
    json.append(", \"arxiv_id\": ");
    appendJsonOrNull(json, arxivId);
    json.append(", \"url\": ");
    appendJson(json, url);
    json.append(", \"abstract\": ");
    appendJson(json, abstract);
    json.append(", \"citation_key\": ");
    appendJson(json, head.shortRef);
    // What the MIT v1 importer keeps of the documents table, so both files describe the same documents.
    json.append(", \"extra\": {");
    if (!description.isEmpty()) {
        json.append("\"Description\": ");
        appendJson(json, description);
        json.append(", ");
    }
    json.append("\"DocumentID\": ");
    appendJson(json, documentId);
    json.append(", \"Type\": ");
    appendJson(json, head.type->type);
    json.append("}, \"edited_fields\": [], \"needs_review\": false, \"title_inferred\": false, \"created_at\": ");
    appendJson(json, created);
    json.append(", \"modified_at\": ");
    appendJson(json, created);
    json.append(", \"tags\": ");
    appendTags(json, documentTags);
    json.append(", \"classifications\": [");
    if (risk) {
        json.append('{');
        json.append(risk->reference);
        json.append(", \"assigned_by_kind\": \"import\", \"assigned_by\": \"markdown-list\", \"assigned_at\": ");
        appendJson(json, created);
        json.append(", \"evidence\": null, \"confidence\": null}");
        ++m_summary.documentClassifications;
    }
    json.append("]}");
    if (index + 1 < m_options.documents)
        json.append(',');
    json.append('\n');

    appendCsv(csv, head.shortRef);
    csv.append(',');
    csv.append(documentId);
    csv.append(',');
    appendCsv(csv, title);
    csv.append(',');
    appendCsv(csv, head.firstAuthor);
    csv.append(',');
    csv.append(QByteArray::number(head.year));
    csv.append(',');
    appendCsv(csv, abstract);
    csv.append(',');
    appendCsv(csv, description);
    csv.append(',');
    appendCsv(csv, url);
    csv.append(',');
    appendCsv(csv, doi);
    csv.append(',');
    appendCsv(csv, head.type->type);
    csv.append('\n');
    ++m_summary.documents;
}

void Generator::entry(qint64 index, QByteArray &json, QByteArray &csv)
{
    QRandomGenerator &rng = m_entries;
    const EntryHead head = entryHead(rng);
    if (head.parent < 0) {
        if (m_recentRoots.size() < recentRootCount)
            m_recentRoots.append({index, head.document});
        else
            m_recentRoots[m_nextRoot] = {index, head.document};
        m_nextRoot = (m_nextRoot + 1) % recentRootCount;
    }
    const QByteArray shortRef = head.document >= 0 ? this->shortRef(head.document) : QByteArray();
    const QByteArray number = QByteArray::number(index + 1);
    // "A0086_Future of Life Institute2024" in the real table: a number and the source's short reference.
    QByteArray externalId = 'A' + number.rightJustified(4, '0');
    if (!shortRef.isEmpty())
        externalId += '_' + shortRef;

    QByteArray name = m_vocabulary.name.phrase(rng, 2, 8);
    if (name.size() > 160)
        name.truncate(std::max<qsizetype>(name.lastIndexOf(' ', 159), 160));
    const double u = rng.generateDouble();
    // Lengths spread evenly on a log scale: many short texts, some long ones.
    const int target = int(std::lround(minTextLength * std::pow(double(maxTextLength) / minTextLength, u)));
    const QByteArray text = m_vocabulary.text.text(rng, std::clamp(target, minTextLength, maxTextLength), maxTextLength);
    const QByteArray reasoning = chance(rng, 55) ? sentence(rng, 250) : QByteArray();
    const QByteArray notes = chance(rng, 3) ? QByteArray("- " + sentence(rng, 200) + "\n- " + sentence(rng, 200)) : QByteArray();
    const bool needsReview = chance(rng, 2);
    const qint64 createdSeconds = epoch + qint64(rng.bounded(2u * 365 * 86400));
    const QByteArray created = timestamp(createdSeconds);
    const QByteArray modified = chance(rng, 70) ? created : timestamp(createdSeconds + qint64(rng.bounded(60u * 86400)));
    const quint32 tagDraw = rng.bounded(100u);
    const QList<QList<QByteArray>> entryTags = tags(rng, tagDraw < 45 ? 0 : tagDraw < 75 ? 1 : tagDraw < 93 ? 2 : 3, true);

    // 3 to 6 classifications: the CSV's mit-mitigation-v1 code and 2 to 5 of the other schemes.
    const NodeChoice &code = m_data.csvScheme.nodes.at(m_data.csvScheme.nodeWeights.pick(rng));
    const quint32 countDraw = rng.bounded(10u);
    const int others = std::min<int>(countDraw < 2 ? 2 : countDraw < 5 ? 3 : countDraw < 8 ? 4 : 5, int(m_data.otherSchemes.size()));
    QVarLengthArray<qsizetype, 8> schemes;
    for (int attempt = 0; attempt < 64 && int(schemes.size()) < others; ++attempt) {
        const qsizetype scheme = m_data.otherWeights.pick(rng);
        if (!schemes.contains(scheme))
            schemes.append(scheme);
    }
    qint64 related = -1;
    if (m_options.documents > 1 && chance(rng, 10)) {
        related = qint64(rng.generateDouble() * double(m_options.documents));
        if (related == head.document || related >= m_options.documents)
            related = -1;
    }

    json.append("    {\"key\": \"e");
    json.append(number);
    json.append("\", \"parent\": ");
    if (head.parent >= 0) {
        json.append("\"e");
        json.append(QByteArray::number(head.parent + 1));
        json.append('"');
        ++m_summary.childEntries;
    } else {
        json.append("null");
    }
    json.append(", \"document\": ");
    if (head.document >= 0) {
        json.append("\"d");
        json.append(QByteArray::number(head.document + 1));
        json.append('"');
    } else {
        json.append("null");
    }
    json.append(", \"external_id\": ");
    appendJson(json, externalId);
    json.append(", \"name\": ");
    appendJson(json, name);
    json.append(", \"text\": ");
    appendJson(json, text);
    json.append(", \"reasoning\": ");
    appendJsonOrNull(json, reasoning);
    json.append(", \"notes\": ");
    appendJsonOrNull(json, notes);
    json.append(", \"listing_only\": false, \"needs_review\": ");
    json.append(needsReview ? "true" : "false");
    // What the MIT v1 importer keeps of the mitigations table.
    json.append(", \"extra\": {");
    if (!shortRef.isEmpty()) {
        json.append("\"Action Source\": ");
        appendJson(json, shortRef);
    }
    json.append("}, \"edited_fields\": [], \"created_at\": ");
    appendJson(json, created);
    json.append(", \"modified_at\": ");
    appendJson(json, modified);
    json.append(", \"tags\": ");
    appendTags(json, entryTags);
    json.append(", \"classifications\": [");
    appendClassification(json, rng, code, created, true);
    for (qsizetype scheme : std::as_const(schemes)) {
        const SchemeChoice &choice = m_data.otherSchemes.at(scheme);
        json.append(", ");
        appendClassification(json, rng, choice.nodes.at(choice.nodeWeights.pick(rng)), created, false);
    }
    m_summary.classifications += 1 + schemes.size();
    json.append("], \"related_documents\": [");
    if (related >= 0) {
        json.append("{\"document\": \"d");
        json.append(QByteArray::number(related + 1));
        json.append("\", \"relation\": \"cites\"}");
    }
    json.append("], \"plugin_links\": []}");
    if (index + 1 < m_options.entries)
        json.append(',');
    json.append('\n');

    appendCsv(csv, externalId);
    csv.append(',');
    appendCsv(csv, name);
    csv.append(',');
    appendCsv(csv, text);
    csv.append(',');
    appendCsv(csv, shortRef);
    csv.append(',');
    appendCsv(csv, code.label);
    csv.append('\n');
    ++m_summary.entries;
}

// The nodes of a scheme with their references and weights: leaves three times as likely as inner
// nodes, and earlier nodes more likely than later ones, so counts are uneven as in real data.
SchemeChoice schemeChoice(const Scheme &scheme, const QList<TaxonomyNode> &nodes)
{
    QHash<qint64, const TaxonomyNode *> byId;
    QSet<qint64> parents;
    for (const TaxonomyNode &node : nodes) {
        byId.insert(node.id, &node);
        if (node.parentId)
            parents.insert(*node.parentId);
    }
    SchemeChoice choice;
    choice.key = scheme.key.toUtf8();
    choice.weight = schemeWeights().value(choice.key, 2);
    for (qsizetype rank = 0; rank < nodes.size(); ++rank) {
        const TaxonomyNode &node = nodes.at(rank);
        NodeChoice n;
        n.reference = "\"scheme\": ";
        appendJson(n.reference, choice.key);
        if (!node.code.isEmpty()) {
            n.reference.append(", \"code\": ");
            appendJson(n.reference, node.code.toUtf8());
        } else {
            QList<QByteArray> path;
            for (const TaxonomyNode *at = &node; at; at = at->parentId ? byId.value(*at->parentId) : nullptr) {
                path.prepend(at->name.toUtf8());
                if (path.size() > 64)
                    break;
            }
            n.reference.append(", \"path\": ");
            appendJsonPath(n.reference, path);
        }
        n.label = node.label().toUtf8();
        choice.nodes.append(n);
        choice.nodeWeights.add(quint32((parents.contains(node.id) ? 1000 : 3000) / (10 + rank)));
    }
    return choice;
}

} // namespace

SyntheticLibrary::SyntheticLibrary(std::shared_ptr<const Private> d) : d(std::move(d))
{
}

SyntheticLibrary::Files SyntheticLibrary::filesFor(const QString &libraryJson)
{
    QString base = libraryJson;
    if (base.endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
        base.chop(5);
    return Files{libraryJson, base + QLatin1String(".csv"), base + QLatin1String(".included-documents.csv")};
}

Result<SyntheticLibrary> SyntheticLibrary::fromLibrary(const QSqlDatabase &db)
{
    auto d = std::make_shared<Private>();
    QFile file(QStringLiteral(":/synthetic/vocabulary.txt"));
    if (!file.open(QIODevice::ReadOnly))
        return Error{tr("the vocabulary cannot be read: %1").arg(file.errorString())};
    if (Status s = d->vocabulary.read(file.readAll()); !s)
        return Error{tr("the vocabulary is broken: %1").arg(s.error())};

    TaxonomyStore store(db);
    auto schemes = store.schemes();
    if (!schemes)
        return Error{schemes.error()};
    bool haveCsvScheme = false;
    for (const Scheme &scheme : schemes.value()) {
        auto nodes = store.nodes(scheme.id);
        if (!nodes)
            return Error{nodes.error()};
        if (nodes->isEmpty())
            continue;
        SchemeChoice choice = schemeChoice(scheme, nodes.value());
        if (choice.key == csvScheme) {
            // Only coded nodes: the CSV's MitigationCode is a code.
            SchemeChoice coded;
            coded.key = choice.key;
            for (qsizetype i = 0; i < nodes->size(); ++i) {
                if (!nodes->at(i).code.isEmpty()) {
                    coded.nodes.append(choice.nodes.at(i));
                    coded.nodeWeights.add(quint32(3000 / (10 + i)));
                }
            }
            haveCsvScheme = !coded.nodes.isEmpty();
            d->csvScheme = coded;
            continue;
        }
        if (choice.key == documentRiskScheme)
            d->documentRisk = choice;
        d->otherWeights.add(choice.weight);
        d->otherSchemes.append(std::move(choice));
    }
    if (!haveCsvScheme)
        return Error{tr("the library has no coded nodes of the %1 scheme, which the CSV layout needs").arg(QLatin1String(csvScheme))};
    if (d->otherSchemes.size() < 2)
        return Error{tr("the library has too few taxonomy schemes for 3 classifications per entry")};
    return SyntheticLibrary(std::move(d));
}

Result<SyntheticLibrary> SyntheticLibrary::withBundledTaxonomies()
{
    QTemporaryDir folder;
    if (!folder.isValid())
        return Error{tr("cannot make a temporary folder: %1").arg(folder.errorString())};
    Library library;
    if (Status s = library.open(folder.filePath(QStringLiteral("taxonomies.sqlite"))); !s)
        return Error{s.error()};
    return fromLibrary(library.database());
}

Result<SyntheticLibrary::Summary> SyntheticLibrary::write(const Options &options, const Files &files) const
{
    if (options.entries < 0 || options.entries > maxEntries)
        return Error{tr("the number of entries must be between 0 and %1").arg(maxEntries)};
    if (options.documents < 0 || options.documents > maxDocuments)
        return Error{tr("the number of documents must be between 0 and %1").arg(maxDocuments)};
    Sink json(files.libraryJson);
    Sink mitigations(files.mitigationsCsv);
    Sink documents(files.documentsCsv);
    for (Sink *sink : {&json, &mitigations, &documents}) {
        if (!sink->open())
            return Error{sink->error()};
    }

    Summary summary;
    Generator generator(*d, options, summary);
    const qint64 total = options.documents + options.entries;
    const auto stopped = [&](qint64 done) {
        return done % 1000 == 0 && options.progress && !options.progress(done, total);
    };
    json.buffer().append("{\n  \"format\": \"mitigation-atlas-library\",\n  \"version\": 1,\n  \"schema\": ");
    json.buffer().append(QByteArray::number(Library::currentSchemaVersion()));
    json.buffer().append(",\n  \"exported_at\": \"");
    json.buffer().append(generatedAt);
    json.buffer().append("\",\n  \"generator\": {\"program\": \"mitigation-atlas-cli generate\", \"seed\": ");
    json.buffer().append(QByteArray::number(options.seed));
    json.buffer().append(", \"entries\": ");
    json.buffer().append(QByteArray::number(options.entries));
    json.buffer().append(", \"documents\": ");
    json.buffer().append(QByteArray::number(options.documents));
    json.buffer().append("},\n  \"taxonomy_nodes\": [],\n  \"documents\": [\n");
    documents.buffer().append(documentsHeader);
    for (qint64 index = 0; index < options.documents; ++index) {
        generator.document(index, json.buffer(), documents.buffer());
        if (!json.flushIfFull())
            return Error{json.error()};
        if (!documents.flushIfFull())
            return Error{documents.error()};
        if (stopped(index + 1))
            return Error{tr("stopped")};
    }
    json.buffer().append("  ],\n  \"entries\": [\n");
    mitigations.buffer().append(mitigationsHeader);
    for (qint64 index = 0; index < options.entries; ++index) {
        generator.entry(index, json.buffer(), mitigations.buffer());
        if (!json.flushIfFull())
            return Error{json.error()};
        if (!mitigations.flushIfFull())
            return Error{mitigations.error()};
        if (stopped(options.documents + index + 1))
            return Error{tr("stopped")};
    }
    json.buffer().append("  ],\n  \"batches\": []\n}\n");
    for (Sink *sink : {&json, &mitigations, &documents}) {
        if (!sink->commit())
            return Error{sink->error()};
    }
    summary.libraryJsonBytes = json.size();
    summary.mitigationsCsvBytes = mitigations.size();
    summary.documentsCsvBytes = documents.size();
    return summary;
}

} // namespace Atlas

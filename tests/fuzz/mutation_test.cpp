// MutationTest: every import format is fed damaged copies of a good file of its own (cut at each
// quarter, bytes flipped or replaced, bad UTF-8, UTF-16, a BOM, CRLF and CR line ends) and hostile
// files (empty, a directory, a 50 MB line, 10,000-deep nesting), through the path the app takes
// (read, decode, parse, write into a library). None may crash or hang; a file that yields nothing
// says why; a failed strict import leaves the library unchanged, row for row. The inputs the
// fuzzers found (tests/fuzz/regressions/<target>/) are replayed the same way.
#include "fileimport.h"
#include "importerregistry.h"
#include "library.h"
#include "runnerline.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

#include <random>

using namespace Qt::StringLiterals;

namespace
{

const QString inputDir = QStringLiteral(ATLAS_SOURCE_DIR "/tests/data/input");
const QString seedDir = QStringLiteral(ATLAS_SOURCE_DIR "/tests/fuzz/seeds");
const QString regressionDir = QStringLiteral(ATLAS_SOURCE_DIR "/tests/fuzz/regressions");

// The largest good file of a format that is used as the base of its mutations.
constexpr qint64 maxBaseSize = 100 * 1024;
// No single case may take longer (a generous bound: a hang or a quadratic blow-up trips it; the
// slowest honest case, a 50 MB line under the sanitizers, stays far below).
constexpr qint64 caseLimitMs = 120 * 1000;
constexpr qsizetype longLineBytes = 50 * 1024 * 1024;
constexpr int nestingDepth = 10000;

// A hash of its own, not qHash: the random streams must not change between runs.
quint64 fnv1a(const QByteArray &bytes)
{
    quint64 hash = 14695981039346656037ULL;
    for (const char c : bytes) {
        hash ^= uchar(c);
        hash *= 1099511628211ULL;
    }
    return hash;
}

// The bytes a ".link" input names (a file of the shared data folder), or the file's own bytes.
QByteArray readInput(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QByteArray bytes = file.readAll();
    if (!path.endsWith(u".link"_s))
        return bytes;
    QFile linked(QStringLiteral(ATLAS_SHARED_DIR) + u"/"_s + QString::fromUtf8(bytes).trimmed());
    return linked.open(QIODevice::ReadOnly) ? linked.readAll() : QByteArray();
}

// Every row of every table (the FTS index shadow tables included), in one hash: equal hashes
// mean nothing was written.
QByteArray fingerprint(const QSqlDatabase &db)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QSqlQuery tables(db);
    if (!tables.exec(u"SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"_s))
        return {};
    while (tables.next()) {
        const QString table = tables.value(0).toString();
        hash.addData(table.toUtf8());
        QSqlQuery rows(db);
        if (!rows.exec(u"SELECT * FROM \"%1\""_s.arg(table)))
            return {};
        while (rows.next()) {
            const int columns = rows.record().count();
            for (int i = 0; i < columns; ++i) {
                const QVariant value = rows.value(i);
                hash.addData(value.isNull() ? QByteArrayView("\x01null") : QByteArrayView(value.toByteArray()));
                hash.addData(QByteArrayView("\x00", 1));
            }
        }
    }
    QSqlQuery version(db);
    if (version.exec(u"PRAGMA user_version"_s) && version.next())
        hash.addData(version.value(0).toByteArray());
    return hash.result();
}

// What a parse gave, without the file names (which differ between the copies compared).
QJsonObject parseSummary(const Atlas::ParsedFile &parsed)
{
    QJsonArray diagnostics;
    for (const Atlas::ImportDiagnostic &d : parsed.parsed.diagnostics)
        diagnostics.append(QJsonArray{Atlas::severityKey(d.severity), d.line, d.message});
    return QJsonObject{{u"format"_s, parsed.formatKey}, {u"records"_s, parsed.parsed.records.toJson()}, {u"diagnostics"_s, diagnostics}};
}

QByteArray encodeUtf16(const QString &text, bool littleEndian, bool bom)
{
    QByteArray bytes;
    if (bom)
        bytes = littleEndian ? QByteArray("\xFF\xFE") : QByteArray("\xFE\xFF");
    bytes.reserve(bytes.size() + text.size() * 2);
    for (const QChar c : text) {
        const char low = char(c.unicode() & 0xFF), high = char(c.unicode() >> 8);
        bytes.append(littleEndian ? low : high);
        bytes.append(littleEndian ? high : low);
    }
    return bytes;
}

// The byte offset of the start of the line nearest the middle (so inserted bytes start a line).
qsizetype middleLineStart(const QByteArray &bytes)
{
    const qsizetype newline = bytes.lastIndexOf('\n', bytes.size() / 2);
    return newline < 0 ? 0 : newline + 1;
}

enum class Expect {
    Anything, // no crash or hang; a diagnostic when nothing is imported; unchanged on failure
    Failure, // an error diagnostic naming the file (and the line, when `line` says so)
    SameAsBase, // the same records and diagnostics as the undamaged base file
};

struct Mutation {
    QByteArray bytes;
    Expect expect = Expect::Anything;
    bool errorHasLine = false;
};

// The damaged copies of `base` (valid UTF-8 with LF line ends) for one mutation name.
Mutation mutate(const QByteArray &base, const QString &name, const QString &format)
{
    std::mt19937_64 random(fnv1a(format.toUtf8() + '/' + name.toUtf8()));
    const auto below = [&random](qsizetype n) {
        return n <= 0 ? qsizetype(0) : qsizetype(random() % quint64(n));
    };
    const QString text = QString::fromUtf8(base);
    const qsizetype n = base.size();
    Mutation m;
    if (name.startsWith(u"truncate-"_s)) {
        const int quarter = name.mid(9).toInt();
        m.bytes = base.left(n * quarter / 4);
    } else if (name.startsWith(u"flip-"_s)) {
        // Raw bit flips: mostly invalid UTF-8, sometimes a changed ASCII character.
        m.bytes = base;
        const qsizetype count = 1 + n / 512;
        for (qsizetype i = 0; i < count && n > 0; ++i)
            m.bytes[below(n)] ^= char(1 + below(255));
    } else if (name.startsWith(u"poke-"_s)) {
        // Characters that mean something to some format, put where they do not belong: these
        // pass the decoder and reach the parsers.
        static const QByteArray structural("{}[]()\"',;:=@#-*|\n\t \\<>%&0123456789.eE+TY ");
        m.bytes = base;
        const qsizetype count = 1 + n / 100;
        for (qsizetype i = 0; i < count && n > 0; ++i) {
            const qsizetype at = below(n);
            if (uchar(m.bytes.at(at)) < 0x80) // keep multi-byte sequences whole
                m.bytes[at] = structural.at(below(structural.size()));
        }
    } else if (name == u"delete-range"_s) {
        m.bytes = base;
        const qsizetype from = below(n), length = below(n - from + 1);
        m.bytes.remove(from, length);
        // A multi-byte sequence may be cut: then the decoder refuses it, which is fine too.
    } else if (name == u"repeat-range"_s) {
        const qsizetype from = below(n), length = below(std::min<qsizetype>(n - from, 4096) + 1);
        m.bytes = base.left(from + length) + base.mid(from, length).repeated(3) + base.mid(from + length);
    } else if (name == u"invalid-utf8"_s) {
        m.bytes = base;
        m.bytes.insert(middleLineStart(base), "bad \xC3\x28 byte\n");
        m.expect = Expect::Failure;
        m.errorHasLine = true;
    } else if (name == u"overlong-utf8"_s) {
        m.bytes = base;
        m.bytes.insert(middleLineStart(base), "\xC0\xAF\n");
        m.expect = Expect::Failure;
        m.errorHasLine = true;
    } else if (name == u"surrogate-utf8"_s) {
        m.bytes = base + "\xED\xA0\x80";
        m.expect = Expect::Failure;
        m.errorHasLine = true;
    } else if (name == u"nul-byte"_s) {
        m.bytes = base;
        m.bytes.insert(middleLineStart(base), QByteArray("\0\n", 2));
        m.expect = Expect::Failure;
        m.errorHasLine = true;
    } else if (name == u"utf8-bom"_s) {
        m.bytes = "\xEF\xBB\xBF" + base;
        m.expect = Expect::SameAsBase;
    } else if (name == u"utf16le-bom"_s || name == u"utf16be-bom"_s) {
        m.bytes = encodeUtf16(text, name == u"utf16le-bom"_s, true);
        m.expect = Expect::SameAsBase;
    } else if (name == u"utf16le-without-bom"_s) {
        // Without a BOM UTF-16 cannot be told from binary: refused, never garbled.
        m.bytes = encodeUtf16(text, true, false);
        m.expect = Expect::Failure;
    } else if (name == u"utf16-odd-length"_s) {
        m.bytes = encodeUtf16(text, true, true) + 'x';
        m.expect = Expect::Failure;
    } else if (name == u"crlf"_s) {
        m.bytes = base;
        m.bytes.replace("\n", "\r\n");
        m.expect = Expect::SameAsBase;
    } else if (name == u"cr"_s) {
        m.bytes = base;
        m.bytes.replace('\n', '\r');
        m.expect = Expect::SameAsBase;
    } else if (name == u"empty"_s) {
        m.expect = Expect::Anything; // an empty file is no error, but it must be said
    } else if (name == u"long-line"_s) {
        // The file's own text as one 50 MB line: every structure character at once, no line end.
        QByteArray line = base;
        line.replace('\n', ' ');
        if (line.isEmpty())
            line = "x";
        m.bytes.reserve(longLineBytes + line.size());
        while (m.bytes.size() < longLineBytes)
            m.bytes.append(line);
    } else if (name == u"long-line-after-header"_s) {
        // The first line as it is, then the rest of the file as one 50 MB line.
        const qsizetype newline = base.indexOf('\n');
        QByteArray line = newline < 0 ? base : base.mid(newline + 1);
        line.replace('\n', ' ');
        if (line.isEmpty())
            line = "x";
        m.bytes = newline < 0 ? QByteArray() : base.left(newline + 1);
        m.bytes.reserve(longLineBytes + line.size());
        while (m.bytes.size() < longLineBytes)
            m.bytes.append(line);
    } else if (name == u"deep-nesting"_s) {
        const QByteArray open(nestingDepth, '['), close(nestingDepth, ']');
        if (format == u"csl-json"_s) {
            m.bytes = "[{\"type\": \"article\", \"title\": \"Deep\", \"author\": " + open + close + "}]\n";
            m.expect = Expect::Failure;
        } else if (format == u"library-json"_s) {
            m.bytes = "{\"format\": \"mitigation-atlas-library\", \"version\": 1, \"documents\": " + open + close + "}\n";
            m.expect = Expect::Failure;
        } else if (format == u"bibtex"_s) {
            m.bytes = "@article{deep,\n  title = {" + QByteArray(nestingDepth, '{') + "Deep" + QByteArray(nestingDepth, '}') + "},\n  year = 2024\n}\n";
        } else {
            // Every bracket the line-based formats know, 10,000 deep, after the file's first line.
            const qsizetype newline = base.indexOf('\n');
            m.bytes = (newline < 0 ? base + '\n' : base.left(newline + 1)) + QByteArray(nestingDepth, '(') + QByteArray(nestingDepth, '[')
                + QByteArray(nestingDepth, '{') + '\n' + QByteArray("> ").repeated(nestingDepth) + "quote\n" + QByteArray("- ").repeated(nestingDepth)
                + "item\n" + QByteArray("\"").repeated(nestingDepth + 1) + '\n';
        }
    } else if (name == u"deep-nesting-objects"_s) {
        m.bytes = QByteArray("{\"a\": ").repeated(nestingDepth) + "1" + QByteArray(nestingDepth, '}');
        m.expect = Expect::Failure;
    } else if (name == u"deep-nesting-unclosed"_s) {
        if (format == u"bibtex"_s)
            m.bytes = "@article{deep,\n  title = {" + QByteArray(nestingDepth, '{') + "Deep\n";
        else
            m.bytes = QByteArray(nestingDepth, '[');
        m.expect = Expect::Failure;
    }
    return m;
}

const QStringList damageMutations = {
    u"truncate-1"_s,
    u"truncate-2"_s,
    u"truncate-3"_s,
    u"flip-1"_s,
    u"flip-2"_s,
    u"flip-3"_s,
    u"poke-1"_s,
    u"poke-2"_s,
    u"poke-3"_s,
    u"poke-4"_s,
    u"poke-5"_s,
    u"delete-range"_s,
    u"repeat-range"_s,
    u"invalid-utf8"_s,
    u"overlong-utf8"_s,
    u"surrogate-utf8"_s,
    u"nul-byte"_s,
    u"utf8-bom"_s,
    u"utf16le-bom"_s,
    u"utf16be-bom"_s,
    u"utf16le-without-bom"_s,
    u"utf16-odd-length"_s,
    u"crlf"_s,
    u"cr"_s,
    u"empty"_s,
    u"long-line"_s,
    u"long-line-after-header"_s,
    u"deep-nesting"_s,
};

} // namespace

class MutationTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void everyFormatHasAFuzzTarget();
    void mutations_data();
    void mutations();
    void directoryAsFile_data();
    void directoryAsFile();
    void regressions_data();
    void regressions();
    void runnerLines_data();
    void runnerLines();

private:
    struct Outcome {
        Atlas::FileImportResult result;
        QByteArray before;
        QByteArray after;
    };
    // Imports `path` strictly with `format` into a fresh copy of the template library and checks
    // what holds for every input; `outcome` gets what happened for the caller's own checks.
    void importChecked(const QString &path, const QString &format, Outcome &outcome);
    QString caseDir(const QString &name);

    Atlas::ImporterRegistry m_registry;
    QTemporaryDir m_dir;
    QString m_template;
    QHash<QString, QString> m_base; // format key -> the good file its mutations start from
    int m_cases = 0;
};

QString MutationTest::caseDir(const QString &name)
{
    // Each case in a folder of its own: the MIT v1 importer looks for a documents table beside
    // the file, and must not find another case's.
    const QString dir = m_dir.filePath(u"case-%1-%2"_s.arg(++m_cases).arg(name));
    QDir().mkpath(dir);
    return dir;
}

void MutationTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_template = m_dir.filePath(u"template.sqlite"_s);
    {
        Atlas::Library library;
        QVERIFY(library.open(m_template).ok());
    }
    QVERIFY(!QFileInfo::exists(m_template + u"-wal"_s) || QFileInfo(m_template + u"-wal"_s).size() == 0);

    // Per format, the largest file of its seeds (golden inputs and the fuzzers' own seeds) that
    // imports with no error: its damaged copies then have something to lose.
    QStringList candidates;
    for (const QString &name : QDir(inputDir).entryList(QDir::Files, QDir::Name))
        candidates.append(QDir(inputDir).filePath(name));
    QDirIterator seeds(seedDir, QDir::Files, QDirIterator::Subdirectories);
    while (seeds.hasNext())
        candidates.append(seeds.next());
    candidates.sort();
    QHash<QString, qsizetype> bestSize;
    for (const QString &path : std::as_const(candidates)) {
        const QString name = QFileInfo(path).fileName();
        const QString format = path.startsWith(seedDir) ? QFileInfo(path).dir().dirName() : name.section(u"__"_s, 0, 0);
        if (!m_registry.find(format))
            continue;
        const QByteArray bytes = readInput(path);
        if (bytes.isEmpty() || bytes.size() > maxBaseSize || bytes.size() <= bestSize.value(format))
            continue;
        auto text = Atlas::ImporterRegistry::decode(bytes);
        if (!text)
            continue;
        const Atlas::ParseResult parsed = m_registry.find(format)->parse(text.value(), name, Atlas::ImportContext{});
        if (Atlas::hasErrors(parsed.diagnostics) || parsed.records.isEmpty())
            continue;
        bestSize.insert(format, bytes.size());
        // Stored normalised (UTF-8, LF) so the encoding mutations compare against the same text;
        // a ".link" input under the name of the file it names.
        QString fileName = name;
        if (name.endsWith(u".link"_s)) {
            QFile link(path);
            QVERIFY(link.open(QIODevice::ReadOnly));
            fileName = QFileInfo(QString::fromUtf8(link.readAll()).trimmed()).fileName();
        }
        const QString dir = m_dir.filePath(u"base-"_s + format);
        QDir().mkpath(dir);
        QFile file(dir + u"/"_s + fileName);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(text.value().toUtf8());
        m_base.insert(format, file.fileName());
    }
    for (const QString &format : m_registry.formatKeys())
        QVERIFY2(m_base.contains(format), qPrintable(u"no good seed file for the format %1"_s.arg(format)));
}

void MutationTest::everyFormatHasAFuzzTarget()
{
    const QStringList targets = QStringLiteral(ATLAS_FUZZ_IMPORT_FORMATS).split(u',');
    for (const QString &format : m_registry.formatKeys())
        QVERIFY2(targets.contains(format), qPrintable(u"no fuzz target for %1: add it to ATLAS_FUZZ_IMPORT_FORMATS in tests/fuzz/CMakeLists.txt"_s.arg(format)));
}

void MutationTest::importChecked(const QString &path, const QString &format, Outcome &outcome)
{
    const QString file = QFileInfo(path).dir().filePath(u"library.sqlite"_s);
    QFile::remove(file);
    QVERIFY(QFile::copy(m_template, file));
    Atlas::Library library;
    QVERIFY(library.open(file).ok());
    outcome.before = fingerprint(library.database());
    QVERIFY(!outcome.before.isEmpty());

    QElapsedTimer timer;
    timer.start();
    auto result = Atlas::importFile(library, m_registry, path, format, Atlas::ImportOptions{});
    const qint64 elapsed = timer.elapsed();
    QVERIFY2(result.ok(), qPrintable(u"the library failed: "_s + result.error()));
    QVERIFY2(elapsed < caseLimitMs, qPrintable(u"the import took %1 ms"_s.arg(elapsed)));
    outcome.result = result.value();
    const Atlas::ImportSummary &summary = outcome.result.summary;

    // Every problem names a file (this one, or the documents table it reads beside it) and says
    // what is wrong.
    for (const Atlas::ImportDiagnostic &d : summary.diagnostics) {
        QVERIFY2(!d.message.trimmed().isEmpty(), qPrintable(d.toString()));
        QVERIFY2(d.line >= 0, qPrintable(d.toString()));
        if (d.severity != Atlas::ImportDiagnostic::Severity::Note)
            QVERIFY2(QFileInfo(d.file).dir() == QFileInfo(path).dir(), qPrintable(u"the diagnostic names another file: "_s + d.toString()));
    }
    outcome.after = fingerprint(library.database());
    if (summary.hasErrors()) {
        QVERIFY(!summary.written);
        QCOMPARE(summary.batchId, 0);
        QVERIFY2(outcome.after == outcome.before, "a failed strict import changed the library");
    } else if (summary.written) {
        auto problems = library.check();
        QVERIFY2(problems.ok(), qPrintable(problems.error()));
        QVERIFY2(problems.value().isEmpty(), qPrintable(problems.value().join(u"; "_s)));
    } else {
        // Nothing written and no error: either the records were all in the library already
        // (a bundled taxonomy, say), or a diagnostic says why there were none.
        const int unchanged = summary.documents.unchanged + summary.entries.unchanged + summary.taxonomyNodes.unchanged;
        QVERIFY2(unchanged > 0 || !summary.diagnostics.isEmpty(), "nothing was imported and nothing said why");
        QVERIFY2(outcome.after == outcome.before, "an import that wrote nothing changed the library");
    }

    // Detection must cope with the same bytes. It sniffs only the start, then parses the whole
    // again: skipped for the 50 MB files, whose parse the import above has just shown.
    if (QFileInfo(path).size() <= 1024 * 1024)
        (void)Atlas::parseFile(library.database(), m_registry, path, QString());
}

void MutationTest::mutations_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("mutation");
    for (const QString &format : m_registry.formatKeys()) {
        for (const QString &mutation : damageMutations)
            QTest::newRow(qPrintable(format + u"/"_s + mutation)) << format << mutation;
        if (format == u"csl-json"_s || format == u"library-json"_s)
            QTest::newRow(qPrintable(format + u"/deep-nesting-objects"_s)) << format << u"deep-nesting-objects"_s;
        if (format == u"csl-json"_s || format == u"library-json"_s || format == u"bibtex"_s)
            QTest::newRow(qPrintable(format + u"/deep-nesting-unclosed"_s)) << format << u"deep-nesting-unclosed"_s;
    }
}

void MutationTest::mutations()
{
    QFETCH(QString, format);
    QFETCH(QString, mutation);
    const QString basePath = m_base.value(format);
    QFile baseFile(basePath);
    QVERIFY(baseFile.open(QIODevice::ReadOnly));
    const QByteArray base = baseFile.readAll();
    const Mutation m = mutate(base, mutation, format);

    const QString path = caseDir(QString(format).replace(u'-', u'_') + u"-"_s + mutation) + u"/"_s + QFileInfo(basePath).fileName();
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(m.bytes), m.bytes.size());
    }
    Outcome outcome;
    importChecked(path, format, outcome);
    if (QTest::currentTestFailed())
        return;
    const Atlas::ImportSummary &summary = outcome.result.summary;
    if (m.expect == Expect::Failure) {
        QVERIFY2(summary.hasErrors(), "the damaged file was imported without an error");
        const auto error = std::find_if(summary.diagnostics.cbegin(), summary.diagnostics.cend(), [](const Atlas::ImportDiagnostic &d) {
            return d.severity == Atlas::ImportDiagnostic::Severity::Error;
        });
        QCOMPARE(error->file, path);
        if (m.errorHasLine)
            QVERIFY2(error->line > 0, qPrintable(error->toString()));
    } else if (m.expect == Expect::SameAsBase) {
        Atlas::Library context;
        QVERIFY(context.open(m_template).ok());
        // The base copied beside the mutation under the same name, so file names agree.
        const QString baseCopy = caseDir(u"base-of-"_s + mutation) + u"/"_s + QFileInfo(basePath).fileName();
        QVERIFY(QFile::copy(basePath, baseCopy));
        const QJsonObject expected = parseSummary(Atlas::parseFile(context.database(), m_registry, baseCopy, format));
        const QJsonObject actual = parseSummary(Atlas::parseFile(context.database(), m_registry, path, format));
        QCOMPARE(QJsonDocument(actual).toJson(), QJsonDocument(expected).toJson());
    }
    QDir(QFileInfo(path).path()).removeRecursively();
}

void MutationTest::directoryAsFile_data()
{
    QTest::addColumn<QString>("format");
    QTest::newRow("detected") << QString();
    for (const QString &format : m_registry.formatKeys())
        QTest::newRow(qPrintable(format)) << format;
}

void MutationTest::directoryAsFile()
{
    QFETCH(QString, format);
    const QString dir = caseDir(u"directory"_s);
    const QString path = dir + u"/folder.bib"_s;
    QVERIFY(QDir().mkpath(path));
    Outcome outcome;
    importChecked(path, format, outcome);
    if (QTest::currentTestFailed())
        return;
    const Atlas::ImportSummary &summary = outcome.result.summary;
    QVERIFY(summary.hasErrors());
    QCOMPARE(summary.diagnostics.first().file, path);
    QVERIFY2(summary.diagnostics.first().message.contains(u"not a regular file"_s), qPrintable(summary.diagnostics.first().toString()));
}

void MutationTest::regressions_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("input");
    QDirIterator it(regressionDir, QDir::Files, QDirIterator::Subdirectories);
    QStringList files;
    while (it.hasNext())
        files.append(it.next());
    files.sort();
    files.removeIf([](const QString &file) {
        return QFileInfo(file).fileName() == u"README.md"_s;
    });
    for (const QString &file : std::as_const(files)) {
        const QString target = QFileInfo(file).dir().dirName();
        QTest::newRow(qPrintable(target + u"/"_s + QFileInfo(file).fileName())) << target << file;
    }
    if (files.isEmpty())
        QTest::newRow("none") << QString() << QString();
}

void MutationTest::regressions()
{
    QFETCH(QString, target);
    QFETCH(QString, input);
    if (input.isEmpty())
        QSKIP("no regression inputs yet");
    QFile source(input);
    QVERIFY(source.open(QIODevice::ReadOnly));
    const QByteArray bytes = source.readAll();
    if (target == u"runner-line"_s) {
        // Whole, and line by line as the runner client reads it.
        (void)Atlas::parseRunnerLine(bytes);
        for (const QByteArray &line : bytes.split('\n'))
            (void)Atlas::parseRunnerLine(line);
        return;
    }
    QVERIFY2(m_registry.find(target), qPrintable(u"no import format \"%1\" for the folder of %2"_s.arg(target, input)));
    const QString path = caseDir(u"regression"_s) + u"/"_s + QFileInfo(input).fileName();
    QVERIFY(QFile::copy(input, path));
    Outcome outcome;
    importChecked(path, target, outcome);
}

void MutationTest::runnerLines_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<int>("type"); // -1: not a protocol line; -2: either, as long as nothing breaks
    const QByteArray deep = QByteArray(nestingDepth, '[') + QByteArray(nestingDepth, ']');
    const QByteArray deepObject = QByteArray("{\"a\":").repeated(nestingDepth) + "1" + QByteArray(nestingDepth, '}');
    QTest::newRow("empty") << QByteArray() << int(Atlas::RunnerLine::Type::Ignored);
    QTest::newRow("blank") << QByteArray(" \t\r") << int(Atlas::RunnerLine::Type::Ignored);
    QTest::newRow("deep array") << deep << -1;
    QTest::newRow("deep object") << deepObject << -1;
    QTest::newRow("deep result") << QByteArray("{\"type\":\"result\",\"value\":" + deepObject + "}") << -1;
    QTest::newRow("truncated") << QByteArray("{\"type\":\"progress\",\"value\":0.") << -1;
    QTest::newRow("invalid utf-8") << QByteArray("{\"type\":\"log\",\"message\":\"\xC3\x28\"}") << -1;
    QTest::newRow("nul") << QByteArray("{\"type\":\"log\",\"message\":\"a" + QByteArray(1, '\0') + "b\"}") << -2; // Qt's parser takes raw control characters
    QTest::newRow("huge step") << QByteArray("{\"type\":\"metric\",\"name\":\"m\",\"step\":1e300,\"value\":1}") << int(Atlas::RunnerLine::Type::Metric);
    QTest::newRow("fractional step") << QByteArray("{\"type\":\"metric\",\"name\":\"m\",\"step\":1.5,\"value\":1}") << int(Atlas::RunnerLine::Type::Ignored);
    QTest::newRow("string value") << QByteArray("{\"type\":\"metric\",\"name\":\"m\",\"step\":1,\"value\":\"1\"}") << int(Atlas::RunnerLine::Type::Ignored);
    QTest::newRow("progress out of range") << QByteArray("{\"type\":\"progress\",\"value\":1e308}") << int(Atlas::RunnerLine::Type::Progress);
    QTest::newRow("artifact without path") << QByteArray("{\"type\":\"artifact\"}") << int(Atlas::RunnerLine::Type::Ignored);
    QTest::newRow("unknown type") << QByteArray("{\"type\":\"telemetry\"}") << int(Atlas::RunnerLine::Type::Ignored);
    QTest::newRow("long line") << QByteArray("{\"type\":\"log\",\"message\":\"" + QByteArray(8 * 1024 * 1024, 'x') + "\"}")
                               << int(Atlas::RunnerLine::Type::Log);
}

void MutationTest::runnerLines()
{
    QFETCH(QByteArray, line);
    QFETCH(int, type);
    QElapsedTimer timer;
    timer.start();
    auto parsed = Atlas::parseRunnerLine(line);
    QVERIFY(timer.elapsed() < caseLimitMs);
    if (type == -2)
        return;
    if (type < 0) {
        QVERIFY(!parsed.ok());
        QVERIFY(parsed.error().startsWith(u"(not a protocol line)"_s));
        QVERIFY(parsed.error().size() < 300);
        return;
    }
    QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
    QCOMPARE(int(parsed->type), type);
    if (parsed->type == Atlas::RunnerLine::Type::Progress)
        QVERIFY(parsed->fraction >= 0 && parsed->fraction <= 1);
}

QTEST_GUILESS_MAIN(MutationTest)
#include "mutation_test.moc"

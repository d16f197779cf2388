#include "importerregistry.h"

#include "abstractlistimporter.h"
#include "bibteximporter.h"
#include "csljsonimporter.h"
#include "libraryjsonimporter.h"
#include "markdownlistimporter.h"
#include "mitriskresourcesimporter.h"
#include "mitrisktaxonomyimporter.h"
#include "mitv1csvimporter.h"
#include "risimporter.h"
#include "surveypageimporter.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QStringDecoder>

namespace Atlas
{

namespace
{

// The line of the first byte sequence that is not well-formed UTF-8 (RFC 3629), or 0.
int firstInvalidUtf8Line(const QByteArray &bytes)
{
    int line = 1;
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    while (i < n) {
        const uchar c = uchar(bytes.at(i));
        if (c < 0x80) {
            line += c == '\n' ? 1 : 0;
            ++i;
            continue;
        }
        const int length = (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3 : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
        if (length == 0 || i + length > n)
            return line;
        for (int k = 1; k < length; ++k) {
            if ((uchar(bytes.at(i + k)) & 0xC0) != 0x80)
                return line;
        }
        const uchar second = uchar(bytes.at(i + 1));
        // Overlong forms, UTF-16 surrogates and code points above U+10FFFF.
        if ((c == 0xE0 && second < 0xA0) || (c == 0xED && second >= 0xA0) || (c == 0xF0 && second < 0x90) || (c == 0xF4 && second >= 0x90))
            return line;
        i += length;
    }
    return 0;
}

} // namespace

ImporterRegistry::ImporterRegistry()
{
    // Built-in formats; the order breaks ties between equally sure importers.
    m_importers.push_back(std::make_unique<LibraryJsonImporter>());
    m_importers.push_back(std::make_unique<SurveyPageImporter>());
    m_importers.push_back(std::make_unique<MarkdownListImporter>());
    m_importers.push_back(std::make_unique<AbstractListImporter>());
    m_importers.push_back(std::make_unique<RisImporter>());
    m_importers.push_back(std::make_unique<CslJsonImporter>());
    m_importers.push_back(std::make_unique<BibtexImporter>());
    m_importers.push_back(std::make_unique<MitV1CsvImporter>());
    m_importers.push_back(std::make_unique<MitRiskTaxonomyImporter>());
    m_importers.push_back(std::make_unique<MitRiskResourcesImporter>());
}

ImporterRegistry::~ImporterRegistry() = default;

QList<const Importer *> ImporterRegistry::importers() const
{
    QList<const Importer *> result;
    for (const auto &importer : m_importers)
        result.append(importer.get());
    return result;
}

QStringList ImporterRegistry::formatKeys() const
{
    QStringList keys;
    for (const auto &importer : m_importers)
        keys.append(importer->formatKey());
    return keys;
}

const Importer *ImporterRegistry::find(const QString &formatKey) const
{
    for (const auto &importer : m_importers) {
        if (importer->formatKey() == formatKey)
            return importer.get();
    }
    return nullptr;
}

Result<const Importer *> ImporterRegistry::detect(QStringView head, const QString &fileName) const
{
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    const Importer *best = nullptr;
    int bestScore = 0;
    for (const auto &importer : m_importers) {
        int score = importer->sniff(head, fileName);
        // The extension is a hint that breaks ties, never a reason on its own.
        if (score > 0 && importer->fileExtensions().contains(suffix))
            score += 5;
        if (score > bestScore) {
            best = importer.get();
            bestScore = score;
        }
    }
    if (!best || bestScore < 20)
        return Error{QCoreApplication::translate("ImporterRegistry", "the format could not be recognised; name it with --format (one of: %1)")
                         .arg(formatKeys().join(QLatin1String(", ")))};
    return best;
}

Result<QString> ImporterRegistry::decode(const QByteArray &bytes)
{
    QString text;
    if (bytes.startsWith("\xFF\xFE") || bytes.startsWith("\xFE\xFF")) {
        const bool little = bytes.startsWith("\xFF\xFE");
        if (bytes.size() % 2 != 0)
            return Error{QCoreApplication::translate("ImporterRegistry", "a UTF-16 file with an odd number of bytes (truncated?)")};
        QStringDecoder decoder(little ? QStringDecoder::Utf16LE : QStringDecoder::Utf16BE, QStringDecoder::Flag::Stateless);
        text = decoder.decode(bytes.mid(2));
        if (decoder.hasError())
            return Error{QCoreApplication::translate("ImporterRegistry", "invalid UTF-16")};
    } else {
        const QByteArray body = bytes.startsWith("\xEF\xBB\xBF") ? bytes.mid(3) : bytes;
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        text = decoder.decode(body);
        if (decoder.hasError()) {
            const int line = firstInvalidUtf8Line(body);
            if (line > 0)
                return Error{QCoreApplication::translate("ImporterRegistry", "line %1: the file is not valid UTF-8 (save it as UTF-8)").arg(line)};
            return Error{QCoreApplication::translate("ImporterRegistry", "the file is not valid UTF-8 (save it as UTF-8)")};
        }
    }
    const qsizetype nul = text.indexOf(QChar(0));
    if (nul >= 0) {
        const int line = int(QStringView(text).left(nul).count(QLatin1Char('\n'))) + 1;
        return Error{QCoreApplication::translate("ImporterRegistry", "line %1: a NUL byte; this looks like a binary file, not text").arg(line)};
    }
    if (text.contains(QLatin1Char('\r'))) { // most files have none: one scan instead of two
        text.replace(QLatin1String("\r\n"), QLatin1String("\n"));
        text.replace(QLatin1Char('\r'), QLatin1Char('\n'));
    }
    return text;
}

} // namespace Atlas

// A libFuzzer target for one import format (ATLAS_FUZZ_FORMAT, one executable per format): the
// bytes go where a file's would in parseFile(): decoded, sniffed by every importer, then parsed
// by this one with the context of a new library. Nothing is written; the writer is exercised by
// mutation_test on the same kinds of input.
#include "importerregistry.h"
#include "library.h"

#include <QCoreApplication>
#include <QTemporaryDir>

#include <cstdint>
#include <cstdlib>
#include <cstdio>

namespace
{

struct Fuzzer {
    Atlas::ImporterRegistry registry;
    const Atlas::Importer *importer = nullptr;
    Atlas::ImportContext context;
    QString fileName;
};

Fuzzer *fuzzer = nullptr;

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    // Qt's SQL driver is a plugin: it wants an application object to be found.
    static int qtArgc = 1;
    static char *qtArgv[] = {(*argv)[0], nullptr};
    Q_UNUSED(argc);
    static QCoreApplication application(qtArgc, qtArgv);

    fuzzer = new Fuzzer;
    fuzzer->importer = fuzzer->registry.find(QStringLiteral(ATLAS_FUZZ_FORMAT));
    if (!fuzzer->importer) {
        std::fprintf(stderr, "no import format %s\n", ATLAS_FUZZ_FORMAT);
        std::abort();
    }
    // The codes of the bundled taxonomies, as a new library knows them: importers that split
    // codes glued to names go down their real paths.
    QTemporaryDir dir;
    Atlas::Library library;
    if (!dir.isValid() || !library.open(dir.filePath(QStringLiteral("context.sqlite"))).ok()) {
        std::fprintf(stderr, "cannot make the library the context is read from\n");
        std::abort();
    }
    fuzzer->context = Atlas::ImportContext::fromDatabase(library.database());
    const QStringList extensions = fuzzer->importer->fileExtensions();
    fuzzer->fileName = QStringLiteral("fuzz-input.") + (extensions.isEmpty() ? QStringLiteral("txt") : extensions.first());
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto text = Atlas::ImporterRegistry::decode(bytes);
    if (!text)
        return 0;
    // As parseFile() does: every importer sniffs the start, then the named one parses it all.
    (void)fuzzer->registry.detect(QStringView(text.value()).left(64 * 1024), fuzzer->fileName);
    const Atlas::ParseResult parsed = fuzzer->importer->parse(text.value(), fuzzer->fileName, fuzzer->context);
    // The stable JSON form walks every record and field the parser made.
    (void)parsed.records.toJson();
    for (const Atlas::ImportDiagnostic &diagnostic : parsed.diagnostics)
        (void)diagnostic.toString();
    return 0;
}

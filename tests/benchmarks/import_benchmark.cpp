// Import benchmark: parse and write times of the real files, each into a fresh library.
// Prints one line per file: parse ms, write ms, records. Not a test: it only measures.
//   build/bin/import_benchmark [RUNS]
#include "fileimport.h"
#include "importcontext.h"
#include "importwriter.h"
#include "library.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>

using namespace Atlas;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int runs = std::max(1, argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 5);
    const QDir shared(QStringLiteral(ATLAS_SHARED_DIR));
    const QStringList files{
        QStringLiteral("seeds/000_c9b4ed642a83cae2.txt"),
        QStringLiteral("seeds/003_e84dd38198dead75.txt"),
        QStringLiteral("data/paper-lists/awesome-llm-safety-papers.md"),
        QStringLiteral("data/mit-mitigation-db-v1/mitigation-database-2025-07-23.csv"),
        QStringLiteral("data/mit-mitigation-db-v1/mitigation-database-included-documents-2025-07-23.csv"),
        QStringLiteral("data/mit-ai-risk-repository-v3/domain-taxonomy-v3.csv"),
    };
    QTextStream out(stdout);
    out << QStringLiteral("%1 %2 %3 %4 %5\n").arg(QStringLiteral("file"), -70).arg(QStringLiteral("format"), -18).arg(QStringLiteral("parse ms"), 9).arg(QStringLiteral("write ms"), 9).arg(QStringLiteral("records"), 8);
    QTemporaryDir dir;
    ImporterRegistry registry;
    int counter = 0;
    for (const QString &relative : files) {
        const QString path = shared.filePath(relative);
        if (!QFileInfo::exists(path)) {
            out << relative << ": missing\n";
            continue;
        }
        QList<double> parseTimes;
        QList<double> writeTimes;
        QString format;
        qsizetype records = 0;
        for (int run = 0; run < runs; ++run) {
            Library library;
            if (!library.open(dir.filePath(QStringLiteral("bench%1.sqlite").arg(++counter)))) {
                out << "cannot open a library\n";
                return 2;
            }
            QElapsedTimer timer;
            timer.start();
            ParsedFile parsed = parseFile(library.database(), registry, path, {});
            parseTimes.append(double(timer.nsecsElapsed()) / 1e6);
            format = parsed.formatKey;
            records = parsed.parsed.records.documents.size() + parsed.parsed.records.entries.size() + parsed.parsed.records.taxonomyNodes.size();
            ImportOptions options;
            options.file = path;
            options.format = format;
            options.skipInvalid = true;
            timer.restart();
            auto summary = ImportWriter(library).apply(parsed.parsed, options);
            writeTimes.append(double(timer.nsecsElapsed()) / 1e6);
            if (!summary) {
                out << relative << ": " << summary.error() << "\n";
                return 2;
            }
        }
        std::sort(parseTimes.begin(), parseTimes.end());
        std::sort(writeTimes.begin(), writeTimes.end());
        out << QStringLiteral("%1 %2 %3 %4 %5\n")
                   .arg(relative, -70)
                   .arg(format, -18)
                   .arg(parseTimes.at(parseTimes.size() / 2), 9, 'f', 1)
                   .arg(writeTimes.at(writeTimes.size() / 2), 9, 'f', 1)
                   .arg(records, 8);
    }
    out << QStringLiteral("(median of %1 runs, each into a new library)\n").arg(runs);
    return 0;
}

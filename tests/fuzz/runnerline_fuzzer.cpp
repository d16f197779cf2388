// A libFuzzer target for the reader of the plugin runner's JSON lines (parseRunnerLine): the
// bytes are a stretch of the runner's output, cut into lines as PluginRunner cuts it.
#include "runnerline.h"

#include <QByteArray>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    qsizetype from = 0;
    for (;;) {
        const qsizetype newline = bytes.indexOf('\n', from);
        const QByteArray line = bytes.mid(from, newline < 0 ? -1 : newline - from);
        if (auto parsed = Atlas::parseRunnerLine(line)) {
            // What the client reads of each kind.
            const Atlas::RunnerLine &l = parsed.value();
            if (l.type == Atlas::RunnerLine::Type::Progress && !(l.fraction >= 0 && l.fraction <= 1))
                __builtin_trap();
            if (l.type == Atlas::RunnerLine::Type::Metric && l.metric.name.isEmpty())
                __builtin_trap();
            if (l.type == Atlas::RunnerLine::Type::Artifact && l.path.isEmpty())
                __builtin_trap();
        }
        if (newline < 0)
            break;
        from = newline + 1;
    }
    return 0;
}

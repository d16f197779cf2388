#include "piiscrubberdemo.h"

#include "labelledtext.h"
#include "piidetector.h"
#include "spanscore.h"

#include <QFile>
#include <QJsonArray>

#include <cmath>

namespace Atlas::PiiScrubber
{

namespace
{

QJsonValue number(double value)
{
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

QJsonObject countsObject(const SpanCounts &counts)
{
    return QJsonObject {{QStringLiteral("labelled"), counts.labelled},   {QStringLiteral("found"), counts.found},
                        {QStringLiteral("matched"), counts.matched},     {QStringLiteral("precision"), number(counts.precision())},
                        {QStringLiteral("recall"), number(counts.recall())}, {QStringLiteral("f1"), number(counts.f1())}};
}

QByteArray tsvField(const QString &text)
{
    QString clean = text;
    clean.replace(u'\t', u' ');
    return clean.toUtf8();
}

} // namespace

QString shippedLabelledPath()
{
    return QStringLiteral(":/demos/pii-scrubber/labelled.txt");
}

DemoOutcome runDemo(const DemoOptions &options, const DemoHooks &hooks)
{
    DemoOutcome outcome;
    const auto progress = std::bind_front(&DemoHooks::reportProgress, &hooks);
    const auto metric = std::bind_front(&DemoHooks::reportMetric, &hooks);
    const auto log = std::bind_front(&DemoHooks::reportLog, &hooks);
    auto fail = [&](const QString &error) {
        outcome.status = DemoOutcome::Status::Failed;
        outcome.error = error;
        return outcome;
    };

    // Which kinds to look for.
    QList<PiiKind> kinds;
    for (const QString &name : options.kinds.split(u',', Qt::SkipEmptyParts)) {
        const std::optional<PiiKind> kind = kindFromName(name);
        if (!kind)
            return fail(QStringLiteral("unknown kind '%1' in kinds (email, phone, ip, card, iban)").arg(name.trimmed()));
        if (!kinds.contains(*kind))
            kinds.append(*kind);
    }
    if (kinds.isEmpty())
        return fail(QStringLiteral("kinds names no kind (email, phone, ip, card, iban)"));
    MaskStyle style;
    if (options.maskStyle == QLatin1String("tag"))
        style = MaskStyle::Tag;
    else if (options.maskStyle == QLatin1String("numbered"))
        style = MaskStyle::Numbered;
    else
        return fail(QStringLiteral("unknown mask_style '%1' (tag or numbered)").arg(options.maskStyle));
    QStringList kindNames;
    for (PiiKind kind : std::as_const(kinds))
        kindNames.append(kindName(kind));

    // The input: the shipped labelled set, or the user's file, labelled if it holds markers.
    progress(0.0, QStringLiteral("reading the input"));
    const QString path = options.inputPath.isEmpty() ? shippedLabelledPath() : options.inputPath;
    const QString source = options.inputPath.isEmpty() ? QStringLiteral("shipped labelled.txt") : options.inputPath;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    const QByteArray data = file.readAll();
    const bool labelled = options.inputPath.isEmpty() || looksLabelled(data);
    QList<LabelledLine> lines;
    if (labelled) {
        QString error;
        if (!parseLabelledText(data, source, &lines, &error))
            return fail(error);
    } else {
        const QByteArrayList raw = data.split('\n');
        for (qsizetype i = 0; i < raw.size(); ++i) {
            // The last, empty piece after a final newline is no line.
            if (i + 1 == raw.size() && raw.at(i).isEmpty())
                break;
            QString text = QString::fromUtf8(raw.at(i));
            if (text.endsWith(u'\r'))
                text.chop(1);
            lines.append({text, {}, int(i) + 1});
        }
    }
    log(QStringLiteral("%1: %2 %3, looking for %4").arg(source).arg(lines.size()).arg(labelled ? QStringLiteral("labelled lines") : QStringLiteral("lines of plain text"), kindNames.join(QStringLiteral(", "))));

    const PiiDetector detector(kinds);
    MaskNumbering numbering;
    SpanScore score;
    std::array<int, PiiKindCount> foundByKind {};
    int residual = 0;
    const qsizetype batch = 10;
    for (qsizetype n = 0; n < lines.size(); ++n) {
        if (hooks.cancelRequested()) {
            outcome.status = DemoOutcome::Status::Cancelled;
            return outcome;
        }
        const LabelledLine &line = lines.at(n);
        const QList<PiiSpan> found = detector.detect(line.text);
        // Labelled spans of kinds not asked for are not counted as misses.
        QList<PiiSpan> gold;
        for (const PiiSpan &span : line.spans) {
            if (detector.isEnabled(span.kind))
                gold.append(span);
        }
        score.add(gold, found);
        const QString redacted = redact(line.text, found, style, &numbering);
        residual += int(detector.detect(redacted).size());
        outcome.redacted += redacted.toUtf8() + '\n';
        for (const PiiSpan &span : found) {
            ++foundByKind[int(span.kind)];
            const QByteArray status = !labelled ? "found" : gold.contains(span) ? "matched" : "false_positive";
            outcome.detectionsTsv += QByteArray::number(line.line) + '\t' + QByteArray::number(span.start) + '\t' + QByteArray::number(span.end) + '\t'
                + kindName(span.kind).toUtf8() + '\t' + tsvField(line.text.mid(span.start, span.length())) + '\t' + status + '\n';
        }
        for (const PiiSpan &span : std::as_const(gold)) {
            if (!found.contains(span))
                outcome.detectionsTsv += QByteArray::number(line.line) + '\t' + QByteArray::number(span.start) + '\t' + QByteArray::number(span.end) + '\t'
                    + kindName(span.kind).toUtf8() + '\t' + tsvField(line.text.mid(span.start, span.length())) + "\tmissed\n";
        }

        // Series over the lines read so far, every `batch` lines and at the end.
        const qint64 step = n + 1;
        if (step % batch == 0 || step == lines.size()) {
            int foundSoFar = 0;
            for (PiiKind kind : std::as_const(kinds)) {
                metric(QStringLiteral("found_") + kindName(kind), step, foundByKind[int(kind)]);
                foundSoFar += foundByKind[int(kind)];
            }
            metric(QStringLiteral("found"), step, foundSoFar);
            if (labelled) {
                const SpanCounts total = score.total();
                metric(QStringLiteral("precision"), step, total.precision());
                metric(QStringLiteral("recall"), step, total.recall());
                metric(QStringLiteral("f1"), step, total.f1());
            }
            progress(double(step) / double(lines.size()), QStringLiteral("line %1 of %2").arg(step).arg(lines.size()));
        }
    }
    outcome.detectionsTsv.prepend("line\tstart\tend\tkind\tvalue\tstatus\n");

    // The summary.
    const SpanCounts total = score.total();
    QJsonObject perKind;
    QJsonObject foundCounts;
    for (PiiKind kind : std::as_const(kinds)) {
        foundCounts.insert(kindName(kind), foundByKind[int(kind)]);
        if (labelled)
            perKind.insert(kindName(kind), countsObject(score.counts(kind)));
    }
    outcome.summary = QJsonObject {
        {QStringLiteral("input"), source},
        {QStringLiteral("labelled"), labelled},
        {QStringLiteral("lines"), int(lines.size())},
        {QStringLiteral("kinds"), QJsonArray::fromStringList(kindNames)},
        {QStringLiteral("mask_style"), options.maskStyle},
        {QStringLiteral("found"), foundCounts},
        {QStringLiteral("found_total"), total.found},
        {QStringLiteral("residual_detections"), residual},
    };
    bool claimMet = false;
    QString claim;
    if (labelled) {
        claimMet = total.precision() >= options.claimFloor && total.recall() >= options.claimFloor && residual == 0;
        claim = QStringLiteral("The detectors find the labelled spans with precision and recall of at least %1 (exact span and kind), and the redacted text holds "
                               "nothing they would find")
                    .arg(options.claimFloor);
        outcome.summary.insert(QStringLiteral("matching"), QStringLiteral("exact span and kind"));
        outcome.summary.insert(QStringLiteral("labelled_total"), total.labelled);
        outcome.summary.insert(QStringLiteral("matched_total"), total.matched);
        outcome.summary.insert(QStringLiteral("precision"), number(total.precision()));
        outcome.summary.insert(QStringLiteral("recall"), number(total.recall()));
        outcome.summary.insert(QStringLiteral("f1"), number(total.f1()));
        outcome.summary.insert(QStringLiteral("per_kind"), perKind);
        outcome.summary.insert(QStringLiteral("claim_floor"), options.claimFloor);
        log(QStringLiteral("%1 labelled spans, %2 found, %3 matched exactly: precision %4, recall %5")
                .arg(total.labelled)
                .arg(total.found)
                .arg(total.matched)
                .arg(total.precision(), 0, 'f', 3)
                .arg(total.recall(), 0, 'f', 3));
        for (PiiKind kind : std::as_const(kinds)) {
            const SpanCounts &c = score.counts(kind);
            log(QStringLiteral("%1: %2 labelled, %3 found, %4 matched").arg(kindName(kind)).arg(c.labelled).arg(c.found).arg(c.matched));
        }
    } else {
        claimMet = residual == 0;
        claim = QStringLiteral("Every span found is replaced by its mask, and the redacted text holds nothing the detectors would find (no labels: no precision or recall)");
        log(QStringLiteral("%1 spans found and redacted; the file has no labels, so precision and recall are not measured").arg(total.found));
    }
    outcome.summary.insert(QStringLiteral("claim"), claim);
    outcome.summary.insert(QStringLiteral("claim_met"), claimMet);
    progress(1.0, QStringLiteral("done"));
    outcome.status = DemoOutcome::Status::Finished;
    return outcome;
}

} // namespace Atlas::PiiScrubber

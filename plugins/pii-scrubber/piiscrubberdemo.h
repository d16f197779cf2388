// The pii-scrubber demonstration without the plugin around it: find and redact personal data
// line by line, and on a labelled file measure span-level precision and recall per kind.
#pragma once

#include "democallbacks.h"
#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <functional>

namespace Atlas::PiiScrubber
{

// What the demo reports while it runs, and how it learns to stop (plugins/sdk/democallbacks.h).
using DemoHooks = Atlas::DemoCallbacks;

struct DemoOptions {
    QString inputPath; // labelled ({{KIND:value}} markers) or plain text; empty: the shipped labelled set
    QString kinds = QStringLiteral("email,phone,ip,card,iban");
    QString maskStyle = QStringLiteral("tag"); // "tag" ([EMAIL]) or "numbered" ([EMAIL_1])
    double claimFloor = 0.95; // precision and recall the claim asks of a labelled file
};

struct DemoOutcome {
    enum class Status { Finished, Failed, Cancelled };
    Status status = Status::Failed;
    QString error;
    QJsonObject summary;
    // The input with every found span replaced by its mask, one document a line.
    QByteArray redacted;
    // One line per found span (and per missed labelled span): line, start, end, kind, value, status.
    QByteArray detectionsTsv;
};

QString shippedLabelledPath();

// Runs the demonstration. It draws no random numbers: the seed does not change the result.
DemoOutcome runDemo(const DemoOptions &options, const DemoHooks &hooks = {});

} // namespace Atlas::PiiScrubber

// Text with its personal data marked inline, as the shipped labelled set is written:
// "Write to {{EMAIL:alice@example.org}} or call {{PHONE:020 7946 0018}}."
#pragma once

#include "piikind.h"

#include <QList>
#include <QString>

namespace Atlas::PiiScrubber
{

struct LabelledLine {
    QString text; // the markup removed
    QList<PiiSpan> spans; // where the marked values are in `text`
    int line = 0; // in its file, for messages
};

// True when `data` holds at least one "{{KIND:" marker of a known kind, i.e. is meant as a
// labelled file rather than plain text to redact.
bool looksLabelled(const QByteArray &data);

// Reads one document a line; '#' starts a comment line and blank lines are skipped. A marker is
// {{KIND:value}} with KIND one of EMAIL, PHONE, IP, CARD, IBAN; the value may not be empty or
// hold braces. On a bad line returns false with "source:line: problem" in `error`.
bool parseLabelledText(const QByteArray &data, const QString &source, QList<LabelledLine> *lines, QString *error);

} // namespace Atlas::PiiScrubber

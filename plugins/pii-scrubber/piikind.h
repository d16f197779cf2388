// The kinds of personal data the pii-scrubber finds, and a found span of text.
#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace Atlas::PiiScrubber
{

// In the order of priority when two found spans overlap (see resolveOverlaps()).
enum class PiiKind { Email, Iban, Card, Ip, Phone };

inline constexpr int PiiKindCount = 5;
inline constexpr PiiKind allPiiKinds[PiiKindCount] = {PiiKind::Email, PiiKind::Phone, PiiKind::Ip, PiiKind::Card, PiiKind::Iban};

// "email", "phone", "ip", "card", "iban": the names of the `kinds` parameter and of the result.
QString kindName(PiiKind kind);
// "EMAIL", "PHONE", ...: the tag of the redaction and of the labelled set's markup.
QString kindTag(PiiKind kind);
// The kind of a name or tag, ignoring case.
std::optional<PiiKind> kindFromName(const QString &name);

// Characters [start, end) of a text hold personal data of `kind`.
struct PiiSpan {
    qsizetype start = 0;
    qsizetype end = 0;
    PiiKind kind = PiiKind::Email;

    qsizetype length() const { return end - start; }
    bool overlaps(const PiiSpan &other) const { return start < other.end && other.start < end; }
    friend bool operator==(const PiiSpan &, const PiiSpan &) = default;
};

} // namespace Atlas::PiiScrubber

// Finds e-mail addresses, phone numbers, IP addresses, payment card numbers and IBANs in text,
// each by a pattern and a validity check, and redacts them.
#pragma once

#include "piikind.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

#include <iterator>

namespace Atlas::PiiScrubber
{

// Each finder returns the spans of one kind, left to right, not overlapping each other.
//
// E-mail: local@domain.tld with an alphabetic top-level domain of 2 to 24 letters; the local
// part may not start or end with a dot nor hold two in a row. "user@localhost" is not matched.
QList<PiiSpan> findEmails(const QString &text);
// Phone: digit groups separated by single spaces, dashes or dots (dots only if all are dots),
// one group optionally in parentheses. Accepted are: "+CC ..." with 8 to 15 digits; "00CC ..."
// with 8 to 15 digits after the 00 (in both, a group right after the country code may not
// start with 0 unless written "(0)"); a national number starting with a trunk 0, in 2 or more
// groups of 2 to 8 digits (the first 2 to 5), 9 to 11 digits in all; and the North American
// 3-3-4 form (optionally after a 1) with area code and exchange starting 2-9. A run of groups
// may be cut short before a space ("020 7946 0018 3 times"), never at its start. A national
// number written without any separator is not matched, since it reads the same as an order or
// account number; neither is a number right after '#', '/', a backslash, '_', '@', a letter, a digit,
// a dot or a dash, or right before a letter or '@'.
QList<PiiSpan> findPhones(const QString &text);
// IPv4: four decimal octets 0-255 without leading zeros, not part of a longer dotted number,
// and not right after "version", "ver", "v", "release", "build" or "firmware" (a version
// string such as "version 1.2.3.4" is not an address). IPv6: eight groups of 1-4 hex digits,
// or fewer with one "::", optionally ending in a dotted IPv4; it must hold a decimal digit
// (so "dead::beef" and "a::b" stay words), and at least two groups unless it is "::1".
QList<PiiSpan> findIps(const QString &text);
// Payment card: 13 to 19 digits, contiguous or in groups split by single spaces or single
// dashes (the same throughout; every group but the last 4 to 6 digits; the run may be cut
// short before a space, as for phones), with a known issuer
// prefix and length (Visa, Mastercard, American Express, Discover, JCB, Diners, UnionPay,
// Maestro) and a valid Luhn check digit.
QList<PiiSpan> findCards(const QString &text);
// IBAN: two upper-case letters, two check digits and the account part, contiguous or in groups
// of four split by single spaces; the length must be the country's (ibanLengthFor()) and the
// mod-97 check must give 1. Lower-case IBANs are not matched.
QList<PiiSpan> findIbans(const QString &text);

// Keeps a set of spans that do not overlap: where two overlap, the kind earlier in PiiKind's
// order wins (e-mail, IBAN, card, IP, phone), then the longer span, then the earlier one.
// Returns them sorted by start.
QList<PiiSpan> resolveOverlaps(QList<PiiSpan> candidates);

class PiiDetector
{
public:
    explicit PiiDetector(const QList<PiiKind> &kinds = QList<PiiKind>(std::begin(allPiiKinds), std::end(allPiiKinds)));

    bool isEnabled(PiiKind kind) const { return m_kinds.contains(kind); }
    // Every enabled finder, then resolveOverlaps().
    QList<PiiSpan> detect(const QString &text) const;

private:
    QSet<PiiKind> m_kinds;
};

// How a span is replaced: "[EMAIL]"; or "[EMAIL_2]", numbered per distinct value so a
// reader can still tell that two mentions are the same address.
enum class MaskStyle { Tag, Numbered };

// The numbers given to values by MaskStyle::Numbered, kept across the lines of a run.
class MaskNumbering
{
public:
    int numberFor(PiiKind kind, const QString &value);

private:
    QHash<QString, int> m_numbers;
    QHash<int, int> m_next;
};

// `text` with each span replaced by its mask. `spans` must not overlap.
QString redact(const QString &text, const QList<PiiSpan> &spans, MaskStyle style, MaskNumbering *numbering = nullptr);

} // namespace Atlas::PiiScrubber

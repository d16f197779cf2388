// The check digits that tell a payment card number or an IBAN from a string of digits that
// only looks like one.
#pragma once

#include <QString>

namespace Atlas::PiiScrubber
{

// The Luhn (mod 10) check of the digits in `number` (other characters are ignored): true when
// the doubled-every-second-digit sum is a multiple of 10. False for fewer than two digits.
bool luhnValid(const QString &number);

// ISO 13616 check of an IBAN (spaces ignored, upper case expected): the first four characters
// moved to the end, letters read as 10..35, the number mod 97 must be 1. Only the checksum;
// the country's length is checked by ibanLengthFor().
bool ibanChecksumValid(const QString &iban);

// The IBAN length of a country (two upper-case letters) for the countries the table knows
// (most of Europe and a few others), or 0.
int ibanLengthFor(const QString &countryCode);

} // namespace Atlas::PiiScrubber

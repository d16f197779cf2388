#include "checksums.h"

#include <QHash>

namespace Atlas::PiiScrubber
{

bool luhnValid(const QString &number)
{
    int sum = 0;
    int count = 0;
    for (qsizetype i = number.size() - 1; i >= 0; --i) {
        const QChar c = number.at(i);
        if (!c.isDigit())
            continue;
        int digit = c.digitValue();
        if (count % 2 == 1) {
            digit *= 2;
            if (digit > 9)
                digit -= 9;
        }
        sum += digit;
        ++count;
    }
    return count >= 2 && sum % 10 == 0;
}

bool ibanChecksumValid(const QString &iban)
{
    QString compact = iban;
    compact.remove(u' ');
    if (compact.size() < 5)
        return false;
    const QString rearranged = compact.mid(4) + compact.left(4);
    // Fold digit by digit so no big number is needed: (r * 10 + d) mod 97, and a letter is
    // two digits (10..35).
    int remainder = 0;
    for (const QChar c : rearranged) {
        if (c >= u'0' && c <= u'9') {
            remainder = (remainder * 10 + c.digitValue()) % 97;
        } else if (c >= u'A' && c <= u'Z') {
            const int value = c.unicode() - u'A' + 10;
            remainder = (remainder * 100 + value) % 97;
        } else {
            return false;
        }
    }
    return remainder == 1;
}

int ibanLengthFor(const QString &countryCode)
{
    // From the IBAN registry (ISO 13616) for the countries most often seen in European text.
    static const QHash<QString, int> lengths {
        {QStringLiteral("AD"), 24}, {QStringLiteral("AE"), 23}, {QStringLiteral("AT"), 20}, {QStringLiteral("BE"), 16}, {QStringLiteral("BG"), 22},
        {QStringLiteral("CH"), 21}, {QStringLiteral("CY"), 28}, {QStringLiteral("CZ"), 24}, {QStringLiteral("DE"), 22}, {QStringLiteral("DK"), 18},
        {QStringLiteral("EE"), 20}, {QStringLiteral("ES"), 24}, {QStringLiteral("FI"), 18}, {QStringLiteral("FR"), 27}, {QStringLiteral("GB"), 22},
        {QStringLiteral("GR"), 27}, {QStringLiteral("HR"), 21}, {QStringLiteral("HU"), 28}, {QStringLiteral("IE"), 22}, {QStringLiteral("IL"), 23},
        {QStringLiteral("IS"), 26}, {QStringLiteral("IT"), 27}, {QStringLiteral("LI"), 21}, {QStringLiteral("LT"), 20}, {QStringLiteral("LU"), 20},
        {QStringLiteral("LV"), 21}, {QStringLiteral("MC"), 27}, {QStringLiteral("MT"), 31}, {QStringLiteral("NL"), 18}, {QStringLiteral("NO"), 15},
        {QStringLiteral("PL"), 28}, {QStringLiteral("PT"), 25}, {QStringLiteral("RO"), 24}, {QStringLiteral("SA"), 24}, {QStringLiteral("SE"), 24},
        {QStringLiteral("SI"), 19}, {QStringLiteral("SK"), 24}, {QStringLiteral("SM"), 27}, {QStringLiteral("TR"), 26},
    };
    return lengths.value(countryCode, 0);
}

} // namespace Atlas::PiiScrubber

#include "lexicon.h"

#include "tokenizer.h"

#include <QByteArrayList>

namespace Atlas::ToxicityFilter
{

bool Lexicon::add(const QByteArray &data, const QString &source, QString *error)
{
    // Parse the whole file first, so a bad line leaves the lexicon as it was.
    QList<LexiconTerm> parsed;
    QHash<QString, int> lineOfTerm;
    const QByteArrayList lines = data.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const int lineNumber = int(i) + 1;
        QString line = QString::fromUtf8(lines.at(i));
        if (line.endsWith(u'\r'))
            line.chop(1);
        if (line.trimmed().isEmpty() || line.trimmed().startsWith(u'#'))
            continue;
        auto fail = [&](const QString &problem) {
            if (error)
                *error = QStringLiteral("%1:%2: %3").arg(source).arg(lineNumber).arg(problem);
            return false;
        };
        const QStringList fields = line.split(u'\t');
        if (fields.size() != 2)
            return fail(QStringLiteral("expected 'term<TAB>weight', found %1 tab-separated field(s)").arg(fields.size()));
        QString termText = fields.at(0).trimmed();
        bool ok = false;
        const double weight = fields.at(1).trimmed().toDouble(&ok);
        if (!ok)
            return fail(QStringLiteral("weight '%1' is not a number").arg(fields.at(1).trimmed()));
        if (!(weight > 0.0 && weight <= 1.0))
            return fail(QStringLiteral("weight %1 is outside (0, 1]").arg(fields.at(1).trimmed()));
        LexiconTerm term;
        term.text = termText.toLower();
        term.weight = weight;
        if (termText.endsWith(u'*')) {
            term.prefix = true;
            termText.chop(1);
        }
        term.tokens = tokenize(termText);
        if (term.tokens.isEmpty())
            return fail(QStringLiteral("term '%1' has no word in it").arg(fields.at(0).trimmed()));
        if (termText.contains(u'*'))
            return fail(QStringLiteral("'*' may only end a term: '%1'").arg(fields.at(0).trimmed()));
        const QString key = (term.prefix ? QStringLiteral("*") : QString()) + term.tokens.join(u' ');
        if (const auto seen = lineOfTerm.constFind(key); seen != lineOfTerm.constEnd())
            return fail(QStringLiteral("term '%1' is listed twice (first on line %2)").arg(fields.at(0).trimmed()).arg(seen.value()));
        lineOfTerm.insert(key, lineNumber);
        parsed.append(term);
    }
    for (const LexiconTerm &term : std::as_const(parsed)) {
        const QString key = (term.prefix ? QStringLiteral("*") : QString()) + term.tokens.join(u' ');
        if (const auto existing = m_byText.constFind(key); existing != m_byText.constEnd()) {
            m_terms[existing.value()].weight = term.weight;
            continue;
        }
        const int index = int(m_terms.size());
        m_terms.append(term);
        m_byText.insert(key, index);
        if (term.prefix && term.tokens.size() == 1)
            m_prefixFirst.append(index);
        else
            m_byFirstToken[term.tokens.first()].append(index);
    }
    return true;
}

bool Lexicon::matchesAt(const LexiconTerm &term, const QStringList &tokens, qsizetype position) const
{
    if (position + term.tokens.size() > tokens.size())
        return false;
    for (qsizetype k = 0; k < term.tokens.size(); ++k) {
        const QString &want = term.tokens.at(k);
        const QString &have = tokens.at(position + k);
        const bool last = k + 1 == term.tokens.size();
        if ((last && term.prefix) ? !have.startsWith(want) : have != want)
            return false;
    }
    return true;
}

QList<LexiconMatch> Lexicon::match(const QStringList &tokens) const
{
    QList<LexiconMatch> matches;
    qsizetype position = 0;
    while (position < tokens.size()) {
        int best = -1;
        auto consider = [&](int index) {
            const LexiconTerm &term = m_terms.at(index);
            if (!matchesAt(term, tokens, position))
                return;
            // The longest term wins; between equally long ones, the first listed.
            const qsizetype length = term.tokens.size();
            if (best < 0 || length > m_terms.at(best).tokens.size() || (length == m_terms.at(best).tokens.size() && index < best))
                best = index;
        };
        if (const auto it = m_byFirstToken.constFind(tokens.at(position)); it != m_byFirstToken.constEnd()) {
            for (int index : it.value())
                consider(index);
        }
        for (int index : m_prefixFirst)
            consider(index);
        if (best < 0) {
            ++position;
            continue;
        }
        matches.append({best, position});
        position += m_terms.at(best).tokens.size();
    }
    return matches;
}

double Lexicon::score(const QStringList &tokens) const
{
    double keep = 1.0;
    for (const LexiconMatch &m : match(tokens))
        keep *= 1.0 - m_terms.at(m.term).weight;
    return 1.0 - keep;
}

} // namespace Atlas::ToxicityFilter

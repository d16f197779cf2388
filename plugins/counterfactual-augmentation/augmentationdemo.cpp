#include "augmentationdemo.h"

#include "associationscore.h"
#include "counterfactualswapper.h"
#include "lexiconfile.h"
#include "occupationlist.h"
#include "wordpairlist.h"
#include "wordtokens.h"

#include <QJsonArray>

#include <algorithm>
#include <random>
#include <utility>

namespace CounterfactualAugmentation
{

namespace
{

// A uniform number in [0, 1) from the raw 64 bits, which the C++ standard fixes (the
// standard distributions are not fixed, and could differ between libraries).
double uniform(std::mt19937_64 &random)
{
    return double(random() >> 11) * 0x1.0p-53;
}

QString csvField(const QString &text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

// Applies the augmentation to counts: append adds the swapped copies, replace also takes the
// originals away.
GenderCounts augmentedCounts(const GenderCounts &before, const std::vector<GenderCounts> &original, const std::vector<GenderCounts> &swapped,
    const std::vector<bool> &chosen, AugmentationMode mode)
{
    GenderCounts after = before;
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        if (!chosen[i])
            continue;
        after.add(swapped[i]);
        if (mode == AugmentationMode::Replace) {
            for (std::size_t o = 0; o < after.masculine.size(); ++o) {
                after.masculine[o] -= original[i].masculine[o];
                after.feminine[o] -= original[i].feminine[o];
            }
        }
    }
    return after;
}

} // namespace

AugmentationReport runAugmentation(const AugmentationSettings &settings, quint64 seed, const DemoCallbacks &callbacks)
{
    AugmentationReport report;
    const auto progress = std::bind_front(&DemoCallbacks::reportProgress, &callbacks);
    const auto log = std::bind_front(&DemoCallbacks::reportLog, &callbacks);
    const auto metric = std::bind_front(&DemoCallbacks::reportMetric, &callbacks);
    const auto cancelled = [&callbacks, &report] {
        report.cancelled = callbacks.cancelRequested();
        return report.cancelled;
    };
    const auto fail = [&report](const QString &message) {
        report.error = message;
        return report;
    };

    progress(0.0, QStringLiteral("reading the word lists"));
    WordPairList pairs;
    for (const QString &file : settings.pairFiles) {
        if (!pairs.load(file, &report.error))
            return report;
    }
    WordPairList names;
    for (const QString &file : settings.nameFiles) {
        if (!names.load(file, &report.error))
            return report;
    }
    OccupationList occupations;
    for (const QString &file : settings.occupationFiles) {
        if (!occupations.load(file, &report.error))
            return report;
    }
    if (pairs.pairs().isEmpty())
        return fail(QStringLiteral("no word pairs to swap"));
    if (occupations.size() == 0)
        return fail(QStringLiteral("no occupations to measure"));

    WordPairList swapList = pairs;
    if (settings.swapNames)
        swapList.append(names);
    WordPairList measured = pairs;
    measured.append(names);
    const QSet<QString> masculine = measured.masculineWords();
    const QSet<QString> feminine = measured.feminineWords();
    for (const QString &form : occupations.forms()) {
        if (masculine.contains(form) || feminine.contains(form))
            return fail(QStringLiteral("the occupation form '%1' is also a gendered word; an occupation must be gender-neutral").arg(form));
    }
    const CounterfactualSwapper swapper(swapList);
    const AssociationScore scorer(masculine, feminine, occupations, settings.window, settings.alpha);
    if (!scorer.ambiguousWords().isEmpty()) {
        QStringList ambiguous = scorer.ambiguousWords().values();
        ambiguous.sort();
        log(QStringLiteral("listed as both masculine and feminine, so not counted: %1").arg(ambiguous.join(QLatin1String(", "))));
    }

    QString corpusText;
    if (!readTextFile(settings.corpusPath, &corpusText, &report.error))
        return report;
    QStringList sentences;
    for (const QString &line : corpusText.split(QLatin1Char('\n'))) {
        const QString sentence = line.trimmed();
        if (!sentence.isEmpty() && !sentence.startsWith(QLatin1Char('#')))
            sentences.append(sentence);
    }
    if (sentences.isEmpty())
        return fail(QStringLiteral("%1 holds no sentences").arg(settings.corpusPath));
    report.sentences = int(sentences.size());
    log(QStringLiteral("%1 sentences, %2 word pairs (%3 names %4), %5 occupations")
            .arg(sentences.size())
            .arg(pairs.pairs().size())
            .arg(names.pairs().size())
            .arg(settings.swapNames ? QStringLiteral("swapped too") : QStringLiteral("measured only"))
            .arg(occupations.size()));

    // Swap every sentence and count co-occurrences of the original and of the swapped copy.
    std::mt19937_64 random(seed);
    GenderCounts before(occupations.size());
    std::vector<GenderCounts> originalCounts(std::size_t(sentences.size()));
    std::vector<GenderCounts> swappedCounts(std::size_t(sentences.size()));
    std::vector<double> draws(std::size_t(sentences.size()), 1.0);
    std::vector<bool> swappable(std::size_t(sentences.size()), false);
    QStringList swappedText;
    QSet<QString> leftovers;
    int examples = 0;
    for (qsizetype i = 0; i < sentences.size(); ++i) {
        if (cancelled())
            return report;
        const auto s = std::size_t(i);
        const QString &sentence = sentences.at(i);
        const CounterfactualSwapper::Result swapped = swapper.swap(sentence);
        swappedText.append(swapped.text);
        originalCounts[s] = scorer.count(sentence);
        before.add(originalCounts[s]);
        for (const QString &word : lowerWords(sentence)) {
            if (scorer.isGendered(word) && swapper.partners(word).isEmpty()) {
                ++report.unswappedGenderedWords;
                leftovers.insert(word);
            }
        }
        if (swapped.swaps > 0) {
            swappable[s] = true;
            ++report.swappableSentences;
            report.swaps += swapped.swaps;
            swappedCounts[s] = scorer.count(swapped.text);
            draws[s] = uniform(random);
            if (examples < 5) {
                log(QStringLiteral("swap: \"%1\" -> \"%2\"").arg(sentence, swapped.text));
                ++examples;
            }
        }
        progress(0.05 + 0.6 * double(i + 1) / double(sentences.size()), QStringLiteral("swapping sentence %1 of %2").arg(i + 1).arg(sentences.size()));
    }
    if (!leftovers.isEmpty()) {
        QStringList words = leftovers.values();
        words.sort();
        log(QStringLiteral("%1 measured gendered words have no partner to swap with: %2")
                .arg(report.unswappedGenderedWords)
                .arg(words.join(QLatin1String(", "))));
    }

    std::vector<bool> scored(std::size_t(occupations.size()), false);
    for (std::size_t o = 0; o < scored.size(); ++o) {
        scored[o] = before.masculine[o] + before.feminine[o] > 0;
        report.occupationsScored += scored[o] ? 1 : 0;
    }
    if (report.occupationsScored == 0)
        return fail(QStringLiteral("no occupation of the list appears with a gendered word in %1").arg(settings.corpusPath));

    // The chosen sentences: those whose draw falls below the share. Because the draws are
    // fixed, a larger share augments a superset, so the sweep below is one nested series.
    const auto chooseShare = [&](double share) {
        std::vector<bool> chosen(swappable.size(), false);
        for (std::size_t s = 0; s < swappable.size(); ++s)
            chosen[s] = swappable[s] && draws[s] < share;
        return chosen;
    };
    const std::vector<bool> chosen = chooseShare(settings.fraction);
    const GenderCounts after = augmentedCounts(before, originalCounts, swappedCounts, chosen, settings.mode);
    report.scoreBefore = scorer.score(before, scored);
    report.scoreAfter = scorer.score(after, scored);
    report.drop = report.scoreBefore > 0 ? (report.scoreBefore - report.scoreAfter) / report.scoreBefore : 0.0;
    report.claimMet = report.scoreBefore > 0 && report.drop >= settings.claimDrop;

    for (qsizetype i = 0; i < sentences.size(); ++i) {
        const bool augmented = chosen[std::size_t(i)];
        report.sentencesAugmented += augmented ? 1 : 0;
        if (settings.mode == AugmentationMode::Append) {
            report.outputCorpus.append(sentences.at(i));
            if (augmented)
                report.outputCorpus.append(swappedText.at(i));
        } else {
            report.outputCorpus.append(augmented ? swappedText.at(i) : sentences.at(i));
        }
    }

    for (qsizetype o = 0; o < occupations.size(); ++o) {
        const auto i = std::size_t(o);
        report.occupations.append(OccupationBias {occupations.names().at(o), before.masculine[i], before.feminine[i], scorer.bias(before, o),
            after.masculine[i], after.feminine[i], scorer.bias(after, o), scored[i]});
    }
    std::stable_sort(report.occupations.begin(), report.occupations.end(), [](const OccupationBias &a, const OccupationBias &b) {
        if (a.scored != b.scored)
            return a.scored;
        return a.biasBefore > b.biasBefore;
    });
    qint64 rank = 0;
    for (const OccupationBias &row : std::as_const(report.occupations)) {
        if (!row.scored)
            continue;
        metric(QStringLiteral("bias_before"), rank, row.biasBefore);
        metric(QStringLiteral("bias_after"), rank, row.biasAfter);
        ++rank;
    }

    for (int tenth = 0; tenth <= 10; ++tenth) {
        if (cancelled())
            return report;
        // The last step takes every swappable sentence (draws are below 1).
        const std::vector<bool> shareChosen = chooseShare(tenth == 10 ? 2.0 : tenth / 10.0);
        const double score = scorer.score(augmentedCounts(before, originalCounts, swappedCounts, shareChosen, settings.mode), scored);
        report.scoreByShare.push_back(score);
        metric(QStringLiteral("score_by_augmented_percent"), tenth * 10, score);
        progress(0.7 + 0.3 * (tenth + 1) / 11.0, QStringLiteral("score with %1% of the sentences augmented").arg(tenth * 10));
    }

    log(QStringLiteral("association score %1 before, %2 after: a drop of %3% (claim: at least %4%)")
            .arg(report.scoreBefore, 0, 'f', 4)
            .arg(report.scoreAfter, 0, 'f', 4)
            .arg(100.0 * report.drop, 0, 'f', 1)
            .arg(100.0 * settings.claimDrop, 0, 'f', 0));
    report.ok = true;
    return report;
}

QJsonObject AugmentationReport::toJson(const AugmentationSettings &settings) const
{
    QJsonArray shares;
    for (double score : scoreByShare)
        shares.append(score);
    return QJsonObject {
        {QStringLiteral("claim"),
            QStringLiteral("The occupation-gender association score falls by at least %1% after counterfactual augmentation")
                .arg(100.0 * settings.claimDrop, 0, 'f', 0)},
        {QStringLiteral("claim_met"), claimMet},
        {QStringLiteral("score_before"), scoreBefore},
        {QStringLiteral("score_after"), scoreAfter},
        {QStringLiteral("drop"), drop},
        {QStringLiteral("corpus"), settings.corpusLabel},
        {QStringLiteral("mode"), settings.mode == AugmentationMode::Append ? QStringLiteral("append") : QStringLiteral("replace")},
        {QStringLiteral("window"), settings.window},
        {QStringLiteral("alpha"), settings.alpha},
        {QStringLiteral("fraction"), settings.fraction},
        {QStringLiteral("swap_names"), settings.swapNames},
        {QStringLiteral("sentences"), sentences},
        {QStringLiteral("sentences_with_swaps"), swappableSentences},
        {QStringLiteral("sentences_augmented"), sentencesAugmented},
        {QStringLiteral("swaps"), swaps},
        {QStringLiteral("unswapped_gendered_words"), unswappedGenderedWords},
        {QStringLiteral("occupations_scored"), occupationsScored},
        {QStringLiteral("score_by_augmented_percent"), shares},
        {QStringLiteral("score_definition"),
            QStringLiteral("mean over occupations of |ln((m+alpha)/(f+alpha))|, m and f the masculine and feminine words co-occurring with the occupation")},
    };
}

QString AugmentationReport::occupationCsv() const
{
    QString csv = QStringLiteral("occupation,scored,masculine_before,feminine_before,bias_before,masculine_after,feminine_after,bias_after\n");
    for (const OccupationBias &row : occupations) {
        csv += QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8\n")
                   .arg(csvField(row.occupation))
                   .arg(row.scored ? QStringLiteral("yes") : QStringLiteral("no"))
                   .arg(row.masculineBefore)
                   .arg(row.feminineBefore)
                   .arg(row.biasBefore, 0, 'f', 6)
                   .arg(row.masculineAfter)
                   .arg(row.feminineAfter)
                   .arg(row.biasAfter, 0, 'f', 6);
    }
    return csv;
}

} // namespace CounterfactualAugmentation

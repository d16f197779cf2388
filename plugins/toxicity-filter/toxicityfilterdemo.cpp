#include "toxicityfilterdemo.h"

#include "labelledcorpus.h"
#include "lexicon.h"
#include "naivebayes.h"
#include "tokenizer.h"

#include <QFile>
#include <QJsonArray>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace Atlas::ToxicityFilter
{

namespace
{

QJsonValue number(double value)
{
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

bool readFile(const QString &path, QByteArray *data, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    *data = file.readAll();
    return true;
}

// A number in [0, n) from the raw output of mt19937_64, by rejection, so it is the same with
// every standard library.
quint64 below(std::mt19937_64 &random, quint64 n)
{
    const quint64 limit = std::numeric_limits<quint64>::max() - std::numeric_limits<quint64>::max() % n;
    quint64 draw = random();
    while (draw >= limit)
        draw = random();
    return draw % n;
}

// Picks the training documents: within each class a seeded Fisher-Yates shuffle, then the
// first round(fraction * n) of the class. Stratifying keeps both classes on both sides.
QSet<qsizetype> stratifiedTrainingSet(const QList<LabelledDocument> &documents, double fraction, quint64 seed)
{
    std::mt19937_64 random(seed);
    QSet<qsizetype> training;
    for (int label = 0; label <= 1; ++label) {
        QList<qsizetype> indices;
        for (qsizetype i = 0; i < documents.size(); ++i) {
            if (documents.at(i).label == label)
                indices.append(i);
        }
        for (qsizetype i = indices.size() - 1; i > 0; --i)
            std::swap(indices[i], indices[qsizetype(below(random, quint64(i) + 1))]);
        qsizetype take = qsizetype(std::llround(fraction * double(indices.size())));
        if (indices.size() >= 2)
            take = std::clamp<qsizetype>(take, 1, indices.size() - 1);
        for (qsizetype i = 0; i < take; ++i)
            training.insert(indices.at(i));
    }
    return training;
}

QByteArray tsvField(const QString &text)
{
    QString clean = text;
    clean.replace(u'\t', u' ').replace(u'\n', u' ');
    return clean.toUtf8();
}

} // namespace

QString shippedLexiconPath()
{
    return QStringLiteral(":/demos/toxicity-filter/lexicon.tsv");
}

QString shippedCorpusPath()
{
    return QStringLiteral(":/demos/toxicity-filter/corpus.tsv");
}

DemoOutcome runDemo(const DemoOptions &options, quint64 seed, const DemoHooks &hooks)
{
    DemoOutcome outcome;
    const auto progress = std::bind_front(&DemoHooks::reportProgress, &hooks);
    const auto log = std::bind_front(&DemoHooks::reportLog, &hooks);
    auto cancelled = [&]() {
        if (hooks.cancelRequested()) {
            outcome.status = DemoOutcome::Status::Cancelled;
            return true;
        }
        return false;
    };
    auto fail = [&](const QString &error) {
        outcome.status = DemoOutcome::Status::Failed;
        outcome.error = error;
        return outcome;
    };

    const QString scorer = options.scorer;
    if (scorer != QLatin1String("lexicon") && scorer != QLatin1String("naive_bayes") && scorer != QLatin1String("combined"))
        return fail(QStringLiteral("unknown scorer '%1' (lexicon, naive_bayes or combined)").arg(scorer));
    if (options.thresholdSteps < 1)
        return fail(QStringLiteral("threshold_steps must be at least 1"));
    if (!(options.threshold >= 0.0 && options.threshold <= 1.0))
        return fail(QStringLiteral("threshold must be in [0, 1]"));
    if (!(options.trainFraction > 0.0 && options.trainFraction < 1.0))
        return fail(QStringLiteral("train_fraction must be in (0, 1)"));

    // The lexicon: the shipped one, then the user's terms over it.
    progress(0.0, QStringLiteral("reading the lexicon"));
    Lexicon lexicon;
    QByteArray data;
    QString error;
    if (!readFile(shippedLexiconPath(), &data, &error) || !lexicon.add(data, QStringLiteral("shipped lexicon.tsv"), &error))
        return fail(error);
    const qsizetype shippedTerms = lexicon.size();
    if (!options.lexiconPath.isEmpty()) {
        if (!readFile(options.lexiconPath, &data, &error) || !lexicon.add(data, options.lexiconPath, &error))
            return fail(error);
        log(QStringLiteral("lexicon: %1 shipped terms, %2 after merging %3").arg(shippedTerms).arg(lexicon.size()).arg(options.lexiconPath));
    } else {
        log(QStringLiteral("lexicon: %1 shipped terms").arg(shippedTerms));
    }

    progress(0.05, QStringLiteral("reading the corpus"));
    const QString corpusSource = options.corpusPath.isEmpty() ? QStringLiteral("shipped corpus.tsv") : options.corpusPath;
    QList<LabelledDocument> corpus;
    if (!readFile(options.corpusPath.isEmpty() ? shippedCorpusPath() : options.corpusPath, &data, &error)
        || !parseLabelledCorpus(data, corpusSource, &corpus, &error))
        return fail(error);
    QList<QStringList> corpusTokens;
    corpusTokens.reserve(corpus.size());
    for (const LabelledDocument &document : std::as_const(corpus))
        corpusTokens.append(tokenize(document.text));
    if (cancelled())
        return outcome;

    // Naive Bayes is trained when the scorer needs it or the user gave a training file; its
    // scores are only ever measured on documents it did not see.
    const bool wantBayes = scorer != QLatin1String("lexicon") || !options.trainingPath.isEmpty();
    NaiveBayes bayes;
    QString trainingSource = QStringLiteral("none");
    QSet<QString> trainingTexts;
    QList<qsizetype> evaluated;
    int trainingDocuments = 0;
    if (wantBayes) {
        progress(0.1, QStringLiteral("training naive Bayes"));
        QList<QStringList> trainTokens;
        QList<int> trainLabels;
        QSet<qsizetype> trainingIndices;
        if (!options.trainingPath.isEmpty()) {
            QList<LabelledDocument> training;
            if (!readFile(options.trainingPath, &data, &error) || !parseLabelledCorpus(data, options.trainingPath, &training, &error))
                return fail(error);
            for (const LabelledDocument &document : std::as_const(training)) {
                trainTokens.append(tokenize(document.text));
                trainLabels.append(document.label);
            }
            trainingSource = QStringLiteral("training file");
        } else {
            trainingIndices = stratifiedTrainingSet(corpus, options.trainFraction, seed);
            for (qsizetype i = 0; i < corpus.size(); ++i) {
                if (trainingIndices.contains(i)) {
                    trainTokens.append(corpusTokens.at(i));
                    trainLabels.append(corpus.at(i).label);
                }
            }
            trainingSource = QStringLiteral("seeded split of the corpus");
        }
        if (!bayes.train(trainTokens, trainLabels, &error))
            return fail(QStringLiteral("cannot train naive Bayes on the %1: %2").arg(trainingSource, error));
        trainingDocuments = int(trainTokens.size());
        for (const QStringList &tokens : std::as_const(trainTokens))
            trainingTexts.insert(tokens.join(u' '));
        int overlapping = 0;
        for (qsizetype i = 0; i < corpus.size(); ++i) {
            if (trainingIndices.contains(i))
                continue;
            // A held-out document that reads the same as a training one is not held out.
            if (trainingTexts.contains(corpusTokens.at(i).join(u' '))) {
                ++overlapping;
                continue;
            }
            evaluated.append(i);
        }
        log(QStringLiteral("naive Bayes: trained on %1 documents (%2 clean, %3 toxic) from the %4, vocabulary %5 words")
                .arg(trainingDocuments)
                .arg(bayes.documentCount(0))
                .arg(bayes.documentCount(1))
                .arg(trainingSource)
                .arg(bayes.vocabularySize()));
        if (overlapping > 0)
            log(QStringLiteral("%1 corpus documents also occur in the training data and are left out of the evaluation").arg(overlapping));
    } else {
        for (qsizetype i = 0; i < corpus.size(); ++i)
            evaluated.append(i);
    }
    if (evaluated.isEmpty())
        return fail(QStringLiteral("no document is left to evaluate (every corpus document is in the training data)"));
    if (cancelled())
        return outcome;

    // Score every evaluated document with each available scorer.
    QList<int> labels;
    QList<double> lexiconScores, bayesScores, combinedScores;
    QStringList matchedTerms;
    for (qsizetype n = 0; n < evaluated.size(); ++n) {
        if (cancelled())
            return outcome;
        const qsizetype i = evaluated.at(n);
        const QStringList &tokens = corpusTokens.at(i);
        labels.append(corpus.at(i).label);
        QStringList found;
        double keep = 1.0;
        for (const LexiconMatch &match : lexicon.match(tokens)) {
            const LexiconTerm &term = lexicon.terms().at(match.term);
            keep *= 1.0 - term.weight;
            found.append(term.text);
        }
        matchedTerms.append(found.join(u'|'));
        lexiconScores.append(1.0 - keep);
        if (bayes.isTrained()) {
            bayesScores.append(bayes.probability(tokens));
            combinedScores.append((lexiconScores.last() + bayesScores.last()) / 2.0);
        }
        if (n % 32 == 0)
            progress(0.15 + 0.5 * double(n) / double(evaluated.size()), QStringLiteral("scoring document %1 of %2").arg(n + 1).arg(evaluated.size()));
    }
    const QList<double> &scores = scorer == QLatin1String("lexicon") ? lexiconScores : scorer == QLatin1String("naive_bayes") ? bayesScores : combinedScores;

    // The sweep, one point per threshold step, reported as series over the step index.
    progress(0.65, QStringLiteral("sweeping the threshold"));
    const int steps = options.thresholdSteps;
    for (int k = 0; k <= steps; ++k) {
        if (cancelled())
            return outcome;
        const FilterPoint point = filterAt(scores, labels, double(k) / double(steps));
        outcome.sweep.append(point);
        if (hooks.metric) {
            hooks.metric(QStringLiteral("threshold"), k, point.threshold);
            hooks.metric(QStringLiteral("fraction_removed"), k, point.fractionRemoved());
            hooks.metric(QStringLiteral("toxic_rate_left"), k, point.toxicRateLeft());
            hooks.metric(QStringLiteral("precision"), k, point.precision());
            hooks.metric(QStringLiteral("recall"), k, point.recall());
            hooks.metric(QStringLiteral("f1"), k, point.f1());
        }
        progress(0.65 + 0.25 * double(k + 1) / double(steps + 1), QStringLiteral("threshold %1").arg(point.threshold));
    }
    outcome.sweepCsv = sweepCsv(outcome.sweep);

    const FilterPoint operating = filterAt(scores, labels, options.threshold);
    const qsizetype bestIndex = bestF1Index(outcome.sweep);
    const FilterPoint best = bestIndex >= 0 ? outcome.sweep.at(bestIndex) : FilterPoint();
    const double baseRate = double(operating.truePositives + operating.falseNegatives) / double(operating.documents());

    // Every scorer on the same held-out documents, so they can be compared.
    QJsonObject comparison;
    auto compare = [&](const QString &name, const QList<double> &values) {
        const FilterPoint at = filterAt(values, labels, options.threshold);
        const QList<FilterPoint> sweep = sweepThresholds(values, labels, steps);
        const qsizetype bestAt = bestF1Index(sweep);
        comparison.insert(name,
                          QJsonObject {{QStringLiteral("precision"), number(at.precision())},
                                       {QStringLiteral("recall"), number(at.recall())},
                                       {QStringLiteral("f1"), number(at.f1())},
                                       {QStringLiteral("toxic_rate_left"), number(at.toxicRateLeft())},
                                       {QStringLiteral("best_f1"), bestAt >= 0 ? number(sweep.at(bestAt).f1()) : QJsonValue()},
                                       {QStringLiteral("best_f1_threshold"), bestAt >= 0 ? number(sweep.at(bestAt).threshold) : QJsonValue()}});
    };
    compare(QStringLiteral("lexicon"), lexiconScores);
    if (bayes.isTrained()) {
        compare(QStringLiteral("naive_bayes"), bayesScores);
        compare(QStringLiteral("combined"), combinedScores);
    }

    // The artifacts' contents: the kept documents and every document's scores.
    outcome.keptCorpus = "# documents kept by the " + scorer.toUtf8() + " scorer at threshold " + QByteArray::number(options.threshold) + ": "
        + QByteArray::number(operating.kept()) + " of " + QByteArray::number(operating.documents()) + " evaluated\n";
    outcome.scoresTsv = "score\tlexicon\tnaive_bayes\tlabel\tremoved\tlexicon_terms\ttext\n";
    for (qsizetype n = 0; n < evaluated.size(); ++n) {
        const LabelledDocument &document = corpus.at(evaluated.at(n));
        const bool removed = scores.at(n) >= options.threshold;
        if (!removed)
            outcome.keptCorpus += QByteArray::number(document.label) + '\t' + tsvField(document.text) + '\n';
        outcome.scoresTsv += QByteArray::number(scores.at(n), 'f', 4) + '\t' + QByteArray::number(lexiconScores.at(n), 'f', 4) + '\t'
            + (bayes.isTrained() ? QByteArray::number(bayesScores.at(n), 'f', 4) : QByteArray()) + '\t' + QByteArray::number(document.label) + '\t'
            + (removed ? "1" : "0") + '\t' + tsvField(matchedTerms.at(n)) + '\t' + tsvField(document.text) + '\n';
    }

    const bool claimMet = std::isfinite(operating.toxicRateLeft()) && operating.toxicRateLeft() < baseRate;
    const QString claim = QStringLiteral("Removing the documents the %1 scorer rates at or above %2 leaves a corpus whose toxic rate is below the base rate")
                              .arg(scorer)
                              .arg(options.threshold);
    outcome.summary = QJsonObject {
        {QStringLiteral("claim"), claim},
        {QStringLiteral("claim_met"), claimMet},
        {QStringLiteral("scorer"), scorer},
        {QStringLiteral("corpus"), corpusSource},
        {QStringLiteral("documents"), int(corpus.size())},
        {QStringLiteral("documents_evaluated"), operating.documents()},
        {QStringLiteral("evaluation"),
         bayes.isTrained() ? QStringLiteral("held-out documents only (not in the naive Bayes training data)") : QStringLiteral("every corpus document")},
        {QStringLiteral("training_source"), trainingSource},
        {QStringLiteral("training_documents"), trainingDocuments},
        {QStringLiteral("lexicon_terms"), int(lexicon.size())},
        {QStringLiteral("base_toxic_rate"), number(baseRate)},
        {QStringLiteral("threshold"), options.threshold},
        {QStringLiteral("removed"), operating.removed()},
        {QStringLiteral("kept"), operating.kept()},
        {QStringLiteral("fraction_removed"), number(operating.fractionRemoved())},
        {QStringLiteral("toxic_rate_left"), number(operating.toxicRateLeft())},
        {QStringLiteral("precision"), number(operating.precision())},
        {QStringLiteral("recall"), number(operating.recall())},
        {QStringLiteral("f1"), number(operating.f1())},
        {QStringLiteral("clean_removed_rate"), number(operating.cleanRemovedRate())},
        {QStringLiteral("best_f1_threshold"), number(best.threshold)},
        {QStringLiteral("best_f1"), number(best.f1())},
        {QStringLiteral("best_f1_precision"), number(best.precision())},
        {QStringLiteral("best_f1_recall"), number(best.recall())},
        {QStringLiteral("scorers"), comparison},
    };
    log(QStringLiteral("base toxic rate %1 over %2 documents; at threshold %3 the %4 scorer removes %5 (precision %6, recall %7), leaving a toxic rate of %8")
            .arg(baseRate, 0, 'f', 3)
            .arg(operating.documents())
            .arg(options.threshold)
            .arg(scorer)
            .arg(operating.removed())
            .arg(operating.precision(), 0, 'f', 3)
            .arg(operating.recall(), 0, 'f', 3)
            .arg(operating.toxicRateLeft(), 0, 'f', 3));
    log(QStringLiteral("best F1 %1 at threshold %2").arg(best.f1(), 0, 'f', 3).arg(best.threshold));
    progress(1.0, QStringLiteral("done"));
    outcome.status = DemoOutcome::Status::Finished;
    return outcome;
}

} // namespace Atlas::ToxicityFilter

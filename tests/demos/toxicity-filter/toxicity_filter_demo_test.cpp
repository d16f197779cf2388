// Tests of the toxicity-filter demo: the tokenizer, the lexicon and its file errors, naive
// Bayes on a tiny labelled set, the sweep's counts against hand-computed ones, and the claim
// (filtering lowers the toxic rate) on a small corpus and on the shipped one.
#include "labelledcorpus.h"
#include "lexicon.h"
#include "naivebayes.h"
#include "thresholdsweep.h"
#include "tokenizer.h"
#include "toxicityfilterdemo.h"

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace Atlas::ToxicityFilter;
using namespace Qt::StringLiterals;

namespace
{

// A small corpus: five toxic comments, five clean ones, two of them hard (an abusive word
// aimed at nobody).
const char smallCorpus[] = "1\tyou are an idiot\n"
                           "1\tshut up, loser\n"
                           "1\twhat a pathetic moron\n"
                           "1\tnobody likes you, go away\n"
                           "1\tyour face could curdle milk\n"
                           "0\tthe bus was late again\n"
                           "0\tlovely photo of the harbour\n"
                           "0\tthe idiot by dostoevsky is a great novel\n"
                           "0\tthanks for the recipe\n"
                           "0\tmy plants die every winter\n";

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &data)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size())
        return QString();
    return path;
}

} // namespace

class ToxicityFilterDemoTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tokenizer_data();
    void tokenizer();
    void lexiconMatchesPhrasesAndPrefixes();
    void lexiconBadLine_data();
    void lexiconBadLine();
    void extraLexiconReweights();
    void corpusBadLine();
    void handComputedPrecisionRecall();
    void recallFallsAsThresholdRises();
    void naiveBayesClassifiesHeldOut();
    void naiveBayesNeedsBothClasses();
    void filteringLowersToxicRateOnSmallCorpus();
    void shippedCorpusDefaultRun();
    void sameSeedSameResult();
    void badInputGivesClearError();
};

void ToxicityFilterDemoTest::tokenizer_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("tokens");
    QTest::newRow("case and punctuation") << QStringLiteral("You're an IDIOT!!") << QStringList {u"youre"_s, u"an"_s, u"idiot"_s};
    QTest::newRow("leetspeak") << QStringLiteral("l0ser 1d10t") << QStringList {u"loser"_s, u"idiot"_s};
    QTest::newRow("numbers stay") << QStringLiteral("in 2024, 3-1") << QStringList {u"in"_s, u"2024"_s, u"3"_s, u"1"_s};
    QTest::newRow("long runs shrink") << QStringLiteral("stuuupid, sooo good") << QStringList {u"stupid"_s, u"so"_s, u"good"_s};
    QTest::newRow("edge symbols") << QStringLiteral("@alice paid $5") << QStringList {u"alice"_s, u"paid"_s, u"5"_s};
}

void ToxicityFilterDemoTest::tokenizer()
{
    QFETCH(QString, text);
    QFETCH(QStringList, tokens);
    QCOMPARE(tokenize(text), tokens);
}

void ToxicityFilterDemoTest::lexiconMatchesPhrasesAndPrefixes()
{
    Lexicon lexicon;
    QString error;
    QVERIFY2(lexicon.add("# comment\n\nidiot*\t0.6\nshut up\t0.5\nshut\t0.1\n", u"test"_s, &error), qPrintable(error));
    QCOMPARE(lexicon.size(), 3);
    // "shut up" wins over "shut" at the same position; "idiots" matches the prefix.
    const QList<LexiconMatch> matches = lexicon.match(tokenize(u"Shut up, you idiots"_s));
    QCOMPARE(matches.size(), 2);
    QCOMPARE(lexicon.terms().at(matches.at(0).term).text, u"shut up"_s);
    QCOMPARE(lexicon.terms().at(matches.at(1).term).text, u"idiot*"_s);
    // Noisy-OR: 1 - (1 - 0.5)(1 - 0.6) = 0.8.
    QVERIFY(std::abs(lexicon.score(tokenize(u"Shut up, you idiots"_s)) - 0.8) < 1e-12);
    QCOMPARE(lexicon.score(tokenize(u"a kind word"_s)), 0.0);
    // A phrase needs its words in order.
    QCOMPARE(lexicon.match(tokenize(u"up shut"_s)).size(), 1);
}

void ToxicityFilterDemoTest::lexiconBadLine_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("message");
    QTest::newRow("no tab") << QByteArray("idiot\t0.5\nmoron 0.5\n") << u"extra.tsv:2: expected 'term<TAB>weight'"_s;
    QTest::newRow("not a number") << QByteArray("# c\nidiot\tlots\n") << u"extra.tsv:2: weight 'lots' is not a number"_s;
    QTest::newRow("weight too big") << QByteArray("idiot\t1.5\n") << u"extra.tsv:1: weight 1.5 is outside (0, 1]"_s;
    QTest::newRow("weight zero") << QByteArray("\n\nidiot\t0\n") << u"extra.tsv:3: weight 0 is outside (0, 1]"_s;
    QTest::newRow("no word") << QByteArray("!!!\t0.5\n") << u"extra.tsv:1: term '!!!' has no word in it"_s;
    QTest::newRow("twice") << QByteArray("idiot\t0.5\nIdiot\t0.4\n") << u"extra.tsv:2: term 'Idiot' is listed twice (first on line 1)"_s;
    QTest::newRow("inner star") << QByteArray("id*ot\t0.5\n") << u"extra.tsv:1: '*' may only end a term"_s;
}

void ToxicityFilterDemoTest::lexiconBadLine()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, message);
    Lexicon lexicon;
    QString error;
    QVERIFY(lexicon.add("clown\t0.3\n", u"base"_s, &error));
    QVERIFY(!lexicon.add(data, u"extra.tsv"_s, &error));
    QVERIFY2(error.startsWith(message), qPrintable(error));
    // A bad file adds nothing.
    QCOMPARE(lexicon.size(), 1);
}

void ToxicityFilterDemoTest::extraLexiconReweights()
{
    Lexicon lexicon;
    QString error;
    QVERIFY(lexicon.add("clown\t0.3\n", u"base"_s, &error));
    QVERIFY(lexicon.add("clown\t0.9\nbuffoon\t0.5\n", u"extra"_s, &error));
    QCOMPARE(lexicon.size(), 2);
    QVERIFY(std::abs(lexicon.score(tokenize(u"clown"_s)) - 0.9) < 1e-12);
}

void ToxicityFilterDemoTest::corpusBadLine()
{
    QList<LabelledDocument> documents;
    QString error;
    QVERIFY(!parseLabelledCorpus("1\tfine\n2\tbad label\n", u"c.tsv"_s, &documents, &error));
    QCOMPARE(error, u"c.tsv:2: label '2' is not 0 (clean) or 1 (toxic)"_s);
    QVERIFY(!parseLabelledCorpus("0\tfine\nno tab here\n", u"c.tsv"_s, &documents, &error));
    QCOMPARE(error, u"c.tsv:2: expected 'label<TAB>text', found no tab"_s);
    QVERIFY(!parseLabelledCorpus("# only a comment\n", u"c.tsv"_s, &documents, &error));
    QVERIFY(parseLabelledCorpus("# c\r\n1\tone\r\n0\ttwo\r\n", u"c.tsv"_s, &documents, &error));
    QCOMPARE(documents.size(), 2);
    QCOMPARE(documents.at(1).text, u"two"_s);
    QCOMPARE(documents.at(1).line, 3);
}

void ToxicityFilterDemoTest::handComputedPrecisionRecall()
{
    // Six documents, three toxic. At 0.5 the removed ones are the scores 0.9, 0.7 (toxic) and
    // 0.6 (clean): TP 2, FP 1, FN 1, TN 2.
    const QList<double> scores {0.9, 0.7, 0.2, 0.6, 0.1, 0.0};
    const QList<int> labels {1, 1, 1, 0, 0, 0};
    const FilterPoint p = filterAt(scores, labels, 0.5);
    QCOMPARE(p.truePositives, 2);
    QCOMPARE(p.falsePositives, 1);
    QCOMPARE(p.falseNegatives, 1);
    QCOMPARE(p.trueNegatives, 2);
    QCOMPARE(p.fractionRemoved(), 0.5);
    QCOMPARE(p.precision(), 2.0 / 3.0);
    QCOMPARE(p.recall(), 2.0 / 3.0);
    QCOMPARE(p.f1(), 2.0 / 3.0);
    QCOMPARE(p.toxicRateLeft(), 1.0 / 3.0);
    QCOMPARE(p.cleanRemovedRate(), 1.0 / 3.0);
    // A score equal to the threshold is removed.
    QCOMPARE(filterAt(scores, labels, 0.6).falsePositives, 1);
    // Nothing removed: precision is undefined, F1 is 0, the toxic rate left is the base rate.
    const FilterPoint none = filterAt(scores, labels, 0.95);
    QVERIFY(std::isnan(none.precision()));
    QCOMPARE(none.f1(), 0.0);
    QCOMPARE(none.toxicRateLeft(), 0.5);
    // The sweep's CSV has the header and one line per threshold, NaN as an empty field.
    const QList<FilterPoint> sweep = sweepThresholds(scores, labels, 4);
    QCOMPARE(sweep.size(), 5);
    const QByteArrayList lines = sweepCsv(sweep).trimmed().split('\n');
    QCOMPARE(lines.size(), 6);
    QVERIFY(lines.first().startsWith("threshold,removed,kept,fraction_removed"));
    QCOMPARE(lines.at(5), QByteArray("1,0,6,0,0.5,,0,0,0,0,0,3,3"));
    // F1 is 2/3 at thresholds 0, 0.25 and 0.5, 1/2 at 0.75, 0 at 1: the tie goes to the lowest.
    QCOMPARE(sweep.at(2).f1(), 2.0 / 3.0);
    QCOMPARE(sweep.at(3).f1(), 0.5);
    QCOMPARE(bestF1Index(sweep), 0);
}

void ToxicityFilterDemoTest::recallFallsAsThresholdRises()
{
    const QList<double> scores {0.95, 0.8, 0.8, 0.55, 0.5, 0.3, 0.3, 0.1, 0.05, 0.0, 0.66, 0.42};
    const QList<int> labels {1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0};
    const QList<FilterPoint> sweep = sweepThresholds(scores, labels, 50);
    QCOMPARE(sweep.size(), 51);
    QCOMPARE(sweep.first().recall(), 1.0);
    QCOMPARE(sweep.first().fractionRemoved(), 1.0);
    for (qsizetype k = 1; k < sweep.size(); ++k) {
        QVERIFY(sweep.at(k).recall() <= sweep.at(k - 1).recall());
        QVERIFY(sweep.at(k).fractionRemoved() <= sweep.at(k - 1).fractionRemoved());
        QCOMPARE(sweep.at(k).documents(), int(scores.size()));
    }
}

void ToxicityFilterDemoTest::naiveBayesClassifiesHeldOut()
{
    QList<QStringList> documents;
    QList<int> labels;
    const char *const training[] = {"1 you are a worthless fool", "1 shut up you fool", "1 worthless pathetic fool", "1 nobody wants you here fool",
                                    "0 thanks for the lovely recipe", "0 the recipe worked great thanks", "0 lovely weather for the garden",
                                    "0 the garden looks great"};
    for (const char *line : training) {
        const QString text = QString::fromLatin1(line);
        labels.append(text.at(0) == u'1' ? 1 : 0);
        documents.append(tokenize(text.mid(2)));
    }
    NaiveBayes bayes;
    QString error;
    QVERIFY2(bayes.train(documents, labels, &error), qPrintable(error));
    QCOMPARE(bayes.documentCount(1), 4);
    // Held-out sentences, not in the training set.
    QVERIFY(bayes.probability(tokenize(u"you pathetic worthless fool"_s)) > 0.9);
    QVERIFY(bayes.probability(tokenize(u"great recipe for the garden, thanks"_s)) < 0.1);
    // Unseen words carry no evidence: the prior (here even) decides.
    QVERIFY(std::abs(bayes.probability(tokenize(u"zebra quantum"_s)) - 0.5) < 1e-12);
    // Hand-computed log-odds for one word: counts fool 4/17 toxic tokens, 0/19 clean tokens,
    // vocabulary V; with Laplace smoothing log((4+1)/(17+V)) - log((0+1)/(18+V)).
    const double v = double(bayes.vocabularySize());
    QVERIFY(std::abs(bayes.logOdds({u"fool"_s}) - (std::log(5.0 / (17.0 + v)) - std::log(1.0 / (19.0 + v)))) < 1e-12);
}

void ToxicityFilterDemoTest::naiveBayesNeedsBothClasses()
{
    NaiveBayes bayes;
    QString error;
    QVERIFY(!bayes.train({{u"a"_s}}, {1}, &error));
    QVERIFY2(error.contains(u"both classes"_s), qPrintable(error));
    QVERIFY(!bayes.isTrained());
}

void ToxicityFilterDemoTest::filteringLowersToxicRateOnSmallCorpus()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    DemoOptions options;
    options.corpusPath = writeFile(dir, u"small.tsv"_s, smallCorpus);
    options.scorer = u"lexicon"_s;
    options.thresholdSteps = 10;
    options.threshold = 0.5;
    const DemoOutcome outcome = runDemo(options, 1);
    QVERIFY2(outcome.status == DemoOutcome::Status::Finished, qPrintable(outcome.error));
    const QJsonObject s = outcome.summary;
    QCOMPARE(s.value(u"documents_evaluated"_s).toInt(), 10);
    QCOMPARE(s.value(u"base_toxic_rate"_s).toDouble(), 0.5);
    // The shipped lexicon removes the four toxic comments with abusive words and the novel's
    // title (idiot*), and misses "your face could curdle milk".
    QCOMPARE(s.value(u"removed"_s).toInt(), 5);
    QCOMPARE(s.value(u"precision"_s).toDouble(), 0.8);
    QCOMPARE(s.value(u"recall"_s).toDouble(), 0.8);
    QCOMPARE(s.value(u"toxic_rate_left"_s).toDouble(), 0.2);
    QVERIFY(s.value(u"toxic_rate_left"_s).toDouble() < s.value(u"base_toxic_rate"_s).toDouble());
    QVERIFY(s.value(u"claim_met"_s).toBool());
    QCOMPARE(outcome.sweep.size(), 11);
    // The kept corpus holds the five kept documents after its comment line.
    QCOMPARE(outcome.keptCorpus.trimmed().split('\n').size(), 6);
    QVERIFY(outcome.keptCorpus.contains("1\tyour face could curdle milk\n"));
}

void ToxicityFilterDemoTest::shippedCorpusDefaultRun()
{
    DemoOptions options; // the defaults: shipped corpus, combined scorer, split 0.5, threshold 0.5
    const DemoOutcome outcome = runDemo(options, 1);
    QVERIFY2(outcome.status == DemoOutcome::Status::Finished, qPrintable(outcome.error));
    const QJsonObject s = outcome.summary;
    QVERIFY(s.value(u"documents"_s).toInt() >= 300);
    // Naive Bayes is only measured on documents it did not train on.
    QCOMPARE(s.value(u"training_source"_s).toString(), u"seeded split of the corpus"_s);
    QCOMPARE(s.value(u"documents_evaluated"_s).toInt() + s.value(u"training_documents"_s).toInt(), s.value(u"documents"_s).toInt());
    QVERIFY(s.value(u"claim_met"_s).toBool());
    QVERIFY(s.value(u"toxic_rate_left"_s).toDouble() < s.value(u"base_toxic_rate"_s).toDouble());
    // The corpus has hard cases, so no scorer is perfect, but each does far better than
    // removing everything (F1 = 2 * base / (1 + base), about 0.55 here).
    const QJsonObject scorers = s.value(u"scorers"_s).toObject();
    const double base = s.value(u"base_toxic_rate"_s).toDouble();
    for (const QString &name : {u"lexicon"_s, u"naive_bayes"_s, u"combined"_s}) {
        const QJsonObject scorer = scorers.value(name).toObject();
        QVERIFY2(scorer.value(u"precision"_s).toDouble() < 1.0 || scorer.value(u"recall"_s).toDouble() < 1.0, qPrintable(name));
        QVERIFY2(scorer.value(u"best_f1"_s).toDouble() >= 2.0 * base / (1.0 + base), qPrintable(name));
    }
    // Learning from labelled comments beats the hand-written lexicon on the held-out half.
    QVERIFY(scorers.value(u"naive_bayes"_s).toObject().value(u"best_f1"_s).toDouble() > scorers.value(u"lexicon"_s).toObject().value(u"best_f1"_s).toDouble() + 0.1);
    QVERIFY(scorers.value(u"combined"_s).toObject().value(u"best_f1"_s).toDouble() > 0.7);
    // Recall never rises with the threshold.
    for (qsizetype k = 1; k < outcome.sweep.size(); ++k)
        QVERIFY(outcome.sweep.at(k).recall() <= outcome.sweep.at(k - 1).recall());
}

void ToxicityFilterDemoTest::sameSeedSameResult()
{
    DemoOptions options;
    const DemoOutcome a = runDemo(options, 7);
    const DemoOutcome b = runDemo(options, 7);
    QCOMPARE(QJsonDocument(a.summary).toJson(), QJsonDocument(b.summary).toJson());
    QCOMPARE(a.sweepCsv, b.sweepCsv);
    QCOMPARE(a.scoresTsv, b.scoresTsv);
    // Another seed draws another split.
    const DemoOutcome c = runDemo(options, 8);
    QVERIFY(a.scoresTsv != c.scoresTsv);
}

void ToxicityFilterDemoTest::badInputGivesClearError()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    DemoOptions options;
    options.corpusPath = dir.filePath(u"missing.tsv"_s);
    DemoOutcome outcome = runDemo(options, 1);
    QVERIFY(outcome.status == DemoOutcome::Status::Failed);
    QVERIFY2(outcome.error.startsWith(u"cannot read "_s + options.corpusPath), qPrintable(outcome.error));

    options = DemoOptions();
    options.lexiconPath = writeFile(dir, u"bad-lexicon.tsv"_s, "# mine\nnumpty\t0.4\nplonker 0.5\n");
    outcome = runDemo(options, 1);
    QVERIFY(outcome.status == DemoOutcome::Status::Failed);
    QVERIFY2(outcome.error.startsWith(options.lexiconPath + u":3: "_s), qPrintable(outcome.error));

    options = DemoOptions();
    options.trainingPath = writeFile(dir, u"one-class.tsv"_s, "1\tyou fool\n1\tyou clown\n");
    outcome = runDemo(options, 1);
    QVERIFY(outcome.status == DemoOutcome::Status::Failed);
    QVERIFY2(outcome.error.contains(u"both classes"_s), qPrintable(outcome.error));

    // A training file that holds every corpus document leaves nothing to evaluate.
    options = DemoOptions();
    options.corpusPath = writeFile(dir, u"small.tsv"_s, smallCorpus);
    options.trainingPath = options.corpusPath;
    outcome = runDemo(options, 1);
    QVERIFY(outcome.status == DemoOutcome::Status::Failed);
    QVERIFY2(outcome.error.contains(u"no document is left"_s), qPrintable(outcome.error));

    // Cancelling stops the run.
    options = DemoOptions();
    DemoHooks hooks;
    hooks.isCancelled = []() {
        return true;
    };
    outcome = runDemo(options, 1, hooks);
    QVERIFY(outcome.status == DemoOutcome::Status::Cancelled);
}

QTEST_GUILESS_MAIN(ToxicityFilterDemoTest)

#include "toxicity_filter_demo_test.moc"

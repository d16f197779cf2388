// Tests of the counterfactual-augmentation demo: the swapper's rules (case, her -> his/him,
// his -> her/hers, words inside words, apostrophes), the association score, and the claim on
// the shipped corpus (a drop of at least 90%, and not 100% by construction).
#include "associationscore.h"
#include "augmentationdemo.h"
#include "counterfactualswapper.h"
#include "occupationlist.h"
#include "wordpairlist.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace CounterfactualAugmentation;
using namespace Qt::StringLiterals;

namespace
{

QString dataFile(const char *name)
{
    return QStringLiteral(ATLAS_SOURCE_DIR "/resources/demos/counterfactual-augmentation/") + QLatin1String(name);
}

AugmentationSettings shippedSettings()
{
    AugmentationSettings settings;
    settings.corpusPath = dataFile("corpus.txt");
    settings.corpusLabel = QStringLiteral("shipped");
    settings.pairFiles = {dataFile("pairs.tsv")};
    settings.nameFiles = {dataFile("names.tsv")};
    settings.occupationFiles = {dataFile("occupations.tsv")};
    return settings;
}

WordPairList shippedPairs()
{
    WordPairList pairs;
    QString error;
    if (!pairs.load(dataFile("pairs.tsv"), &error))
        qFatal("%s", qPrintable(error));
    return pairs;
}

bool writeText(const QString &path, const QByteArray &text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(text) == text.size();
}

} // namespace

class CounterfactualAugmentationDemoTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void swapsSentences_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        // case is kept
        QTest::newRow("lower") << u"he said"_s << u"she said"_s;
        QTest::newRow("capital") << u"He said"_s << u"She said"_s;
        QTest::newRow("all capitals") << u"HE SAID"_s << u"SHE SAID"_s;
        QTest::newRow("capital back") << u"She and the Woman"_s << u"He and the Man"_s;
        QTest::newRow("title") << u"Mr. Clark met Mrs. Hill."_s << u"Mrs. Clark met Mr. Hill."_s;
        // her: possessive before a noun-ish word, object elsewhere
        QTest::newRow("her possessive") << u"She lost her keys."_s << u"He lost his keys."_s;
        QTest::newRow("her sentence start") << u"Her work is excellent."_s << u"His work is excellent."_s;
        QTest::newRow("her own") << u"She opened her own salon."_s << u"He opened his own salon."_s;
        QTest::newRow("her before number") << u"She met her 3 sisters."_s << u"He met his 3 brothers."_s;
        QTest::newRow("her end") << u"We thanked her."_s << u"We thanked him."_s;
        QTest::newRow("her comma") << u"We called her, then left."_s << u"We called him, then left."_s;
        QTest::newRow("her determiner") << u"I gave her the report."_s << u"I gave him the report."_s;
        QTest::newRow("her preposition") << u"They waited for her and left."_s << u"They waited for him and left."_s;
        QTest::newRow("her before preposition") << u"They told her about it."_s << u"They told him about it."_s;
        QTest::newRow("her conjunction") << u"They told her that it was late."_s << u"They told him that it was late."_s;
        QTest::newRow("her adverb") << u"I saw her yesterday."_s << u"I saw him yesterday."_s;
        QTest::newRow("her causative") << u"They let her go home."_s << u"They let him go home."_s;
        QTest::newRow("her not causative") << u"Her go bag is ready."_s << u"His go bag is ready."_s;
        QTest::newRow("her twice") << u"He gave her her coat."_s << u"She gave him his coat."_s;
        QTest::newRow("her before possessive") << u"He lent her my pen."_s << u"She lent him my pen."_s;
        // his: possessive determiner before a noun, independent (hers) elsewhere
        QTest::newRow("his book") << u"His book is new."_s << u"Her book is new."_s;
        QTest::newRow("his end") << u"The book is his."_s << u"The book is hers."_s;
        QTest::newRow("his is") << u"His is the red one."_s << u"Hers is the red one."_s;
        QTest::newRow("friend of his") << u"a friend of his, I think"_s << u"a friend of hers, I think"_s;
        QTest::newRow("hers") << u"The coat is hers."_s << u"The coat is his."_s;
        QTest::newRow("himself") << u"He did it himself."_s << u"She did it herself."_s;
        // words inside other words are left alone
        QTest::newRow("inside words") << u"The shepherd manages the history of the human race."_s << u"The shepherd manages the history of the human race."_s;
        QTest::newRow("woman not man") << u"the woman and the man"_s << u"the man and the woman"_s;
        QTest::newRow("others") << u"others, ushers and theme"_s << u"others, ushers and theme"_s;
        // apostrophes and punctuation stay where they were
        QTest::newRow("he's") << u"he's late"_s << u"she's late"_s;
        QTest::newRow("He'd") << u"He'd go."_s << u"She'd go."_s;
        QTest::newRow("possessive s") << u"the king's crown"_s << u"the queen's crown"_s;
        QTest::newRow("quotes") << u"\"She,\" he said."_s << u"\"He,\" she said."_s;
        QTest::newRow("hyphen") << u"a chair-man"_s << u"a chair-woman"_s;
    }

    void swapsSentences()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        const CounterfactualSwapper swapper(shippedPairs());
        QCOMPARE(swapper.swap(input).text, expected);
    }

    void countsSwaps()
    {
        const CounterfactualSwapper swapper(shippedPairs());
        QCOMPARE(swapper.swap(u"He told his wife.").swaps, 3);
        QCOMPARE(swapper.swap(u"The shepherd left.").swaps, 0);
    }

    void extraPairsExtendTheList()
    {
        WordPairList pairs = shippedPairs();
        QString error;
        QVERIFY2(pairs.parse(u"# an extra pair\nwizard\twitch\n"_s, u"extra"_s, &error), qPrintable(error));
        const CounterfactualSwapper swapper(pairs);
        QCOMPARE(swapper.swap(u"The Wizard and the witch").text, u"The Witch and the wizard"_s);
    }

    void scoresCoOccurrence()
    {
        OccupationList occupations;
        QString error;
        QVERIFY(occupations.parse(u"nurse nurses\npilot\n"_s, u"test"_s, &error));
        const AssociationScore scorer({u"he"_s, u"his"_s}, {u"she"_s, u"her"_s}, occupations, 0, 1.0);
        GenderCounts counts = scorer.count(u"The nurse said she and her friend would come.");
        QCOMPARE(counts.masculine[0], 0.0);
        QCOMPARE(counts.feminine[0], 2.0);
        counts.add(scorer.count(u"The nurses said he was late."));
        QCOMPARE(counts.masculine[0], 1.0);
        // |ln((1 + 1) / (2 + 1))|
        QVERIFY(std::abs(scorer.bias(counts, 0) - std::log(1.5)) < 1e-12);
        // The pilot never co-occurs, so only the nurse is scored.
        QVERIFY(std::abs(scorer.score(counts, {true, false}) - std::log(1.5)) < 1e-12);

        const AssociationScore windowed({u"he"_s}, {u"she"_s}, occupations, 2, 1.0);
        const GenderCounts near = windowed.count(u"she met the nurse yesterday at noon and he left");
        QCOMPARE(near.feminine[0], 0.0); // three words away
        QCOMPARE(near.masculine[0], 0.0);
        const GenderCounts close = windowed.count(u"she the nurse");
        QCOMPARE(close.feminine[0], 1.0);
    }

    // The claim on the shipped corpus: CDA (append) removes at least 90% of the association,
    // but the names the pair list does not cover keep it from vanishing entirely.
    void shippedCorpusClaim()
    {
        const AugmentationSettings settings = shippedSettings();
        const AugmentationReport report = runAugmentation(settings, 1, {});
        QVERIFY2(report.ok, qPrintable(report.error));
        QVERIFY(report.sentences >= 200);
        QVERIFY(report.occupationsScored >= 20);
        QVERIFY2(report.scoreBefore > 1.0, qPrintable(QString::number(report.scoreBefore)));
        QVERIFY2(report.drop >= 0.9, qPrintable(QString::number(report.drop)));
        QVERIFY(report.claimMet);
        QVERIFY2(report.drop < 0.995, qPrintable(QString::number(report.drop)));
        QVERIFY(report.unswappedGenderedWords > 0);
        QCOMPARE(report.outputCorpus.size(), qsizetype(report.sentences + report.sentencesAugmented));
        QCOMPARE(report.sentencesAugmented, report.swappableSentences);
        // The sweep starts at the score before and ends at the score after.
        QCOMPARE(report.scoreByShare.size(), std::size_t(11));
        QCOMPARE(report.scoreByShare.front(), report.scoreBefore);
        QCOMPARE(report.scoreByShare.back(), report.scoreAfter);

        // Swapping the names too removes what is left.
        AugmentationSettings withNames = settings;
        withNames.swapNames = true;
        const AugmentationReport full = runAugmentation(withNames, 1, {});
        QVERIFY(full.ok);
        QVERIFY2(full.drop > 0.999, qPrintable(QString::number(full.drop)));
        QCOMPARE(full.unswappedGenderedWords, 0);
    }

    // Replacing instead of appending mirrors the corpus: the association flips sign but keeps
    // its size, so the claim fails. Augmenting nothing changes nothing.
    void claimFailsWithoutAugmentation()
    {
        AugmentationSettings replace = shippedSettings();
        replace.mode = AugmentationMode::Replace;
        const AugmentationReport flipped = runAugmentation(replace, 1, {});
        QVERIFY(flipped.ok);
        QVERIFY2(flipped.drop < 0.5, qPrintable(QString::number(flipped.drop)));
        QVERIFY(!flipped.claimMet);
        QCOMPARE(flipped.outputCorpus.size(), qsizetype(flipped.sentences));

        AugmentationSettings none = shippedSettings();
        none.fraction = 0.0;
        const AugmentationReport unchanged = runAugmentation(none, 1, {});
        QVERIFY(unchanged.ok);
        QCOMPARE(unchanged.drop, 0.0);
        QVERIFY(!unchanged.claimMet);

        AugmentationSettings half = shippedSettings();
        half.fraction = 0.5;
        const AugmentationReport partial = runAugmentation(half, 1, {});
        QVERIFY(partial.ok);
        QVERIFY(partial.sentencesAugmented > 0 && partial.sentencesAugmented < partial.swappableSentences);
        QVERIFY(partial.drop > 0.0 && partial.drop < 0.9);
    }

    void deterministic()
    {
        AugmentationSettings settings = shippedSettings();
        settings.fraction = 0.5;
        const AugmentationReport a = runAugmentation(settings, 7, {});
        const AugmentationReport b = runAugmentation(settings, 7, {});
        QVERIFY(a.ok && b.ok);
        QCOMPARE(a.toJson(settings), b.toJson(settings));
        QCOMPARE(a.outputCorpus, b.outputCorpus);
        QCOMPARE(a.occupationCsv(), b.occupationCsv());
        // Another seed picks other sentences.
        const AugmentationReport c = runAugmentation(settings, 8, {});
        QVERIFY(c.outputCorpus != a.outputCorpus);
    }

    void reportsCallbacksAndCancels()
    {
        int metrics = 0;
        double lastProgress = -1;
        DemoCallbacks callbacks;
        callbacks.metric = [&metrics](const QString &, qint64, double) {
            ++metrics;
        };
        callbacks.progress = [&lastProgress](double value, const QString &) {
            QVERIFY(value >= lastProgress);
            lastProgress = value;
        };
        QVERIFY(runAugmentation(shippedSettings(), 1, callbacks).ok);
        QVERIFY(metrics > 40);
        QVERIFY(lastProgress > 0.99);

        callbacks.progress = nullptr;
        callbacks.isCancelled = [] {
            return true;
        };
        const AugmentationReport cancelled = runAugmentation(shippedSettings(), 1, callbacks);
        QVERIFY(!cancelled.ok);
        QVERIFY(cancelled.cancelled);
    }

    void badFilesGiveClearErrors_data()
    {
        QTest::addColumn<QByteArray>("pairs");
        QTest::addColumn<QString>("expected");
        QTest::newRow("three words") << QByteArray("# comment\nhe\tshe\nman\twoman\tperson\n") << u":3: expected two words"_s;
        QTest::newRow("one word") << QByteArray("king\n") << u":1: expected two words"_s;
        QTest::newRow("not a word") << QByteArray("\nhe\tshe\nco-worker\tworker\n") << u":3: 'co-worker worker' is not a pair"_s;
        QTest::newRow("same word") << QByteArray("he\tHe\n") << u":1: a word cannot be paired with itself"_s;
    }

    void badFilesGiveClearErrors()
    {
        QFETCH(QByteArray, pairs);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"pairs.tsv"_s);
        QVERIFY(writeText(path, pairs));
        AugmentationSettings settings = shippedSettings();
        settings.pairFiles.append(path);
        const AugmentationReport report = runAugmentation(settings, 1, {});
        QVERIFY(!report.ok);
        QVERIFY2(report.error.startsWith(path + expected), qPrintable(report.error));
    }

    void otherBadInput()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());

        AugmentationSettings missing = shippedSettings();
        missing.corpusPath = dir.filePath(u"no-such-corpus.txt"_s);
        AugmentationReport report = runAugmentation(missing, 1, {});
        QVERIFY(!report.ok);
        QVERIFY2(report.error.startsWith(u"cannot read "_s + missing.corpusPath), qPrintable(report.error));

        const QString gendered = dir.filePath(u"occupations.tsv"_s);
        QVERIFY(writeText(gendered, "actress\tactresses\n"));
        AugmentationSettings badOccupation = shippedSettings();
        badOccupation.occupationFiles.append(gendered);
        report = runAugmentation(badOccupation, 1, {});
        QVERIFY(!report.ok);
        QVERIFY2(report.error.contains(u"'actress' is also a gendered word"_s), qPrintable(report.error));

        const QString empty = dir.filePath(u"empty.txt"_s);
        QVERIFY(writeText(empty, "# nothing but a comment\n\n"));
        AugmentationSettings emptyCorpus = shippedSettings();
        emptyCorpus.corpusPath = empty;
        report = runAugmentation(emptyCorpus, 1, {});
        QVERIFY(!report.ok);
        QVERIFY2(report.error.contains(u"holds no sentences"_s), qPrintable(report.error));

        const QString neutral = dir.filePath(u"neutral.txt"_s);
        QVERIFY(writeText(neutral, "The nurse arrived.\nThe pilot left.\n"));
        AugmentationSettings neutralCorpus = shippedSettings();
        neutralCorpus.corpusPath = neutral;
        report = runAugmentation(neutralCorpus, 1, {});
        QVERIFY(!report.ok);
        QVERIFY2(report.error.contains(u"no occupation"_s), qPrintable(report.error));
    }
};

QTEST_GUILESS_MAIN(CounterfactualAugmentationDemoTest)
#include "counterfactual_augmentation_demo_test.moc"

// The helpers importers share: author names, arXiv ids, DOIs, title keys.
#include "importrecords.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Atlas;

class ImportRecordsTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void authors_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("given family") << u"Dan Shi"_s << u"Shi, Dan"_s;
        QTest::newRow("family, given") << u"Shi, Dan"_s << u"Shi, Dan"_s;
        QTest::newRow("braced literal") << u"{OpenAI}"_s << u"OpenAI"_s;
        QTest::newRow("single name") << u"Plato"_s << u"Plato"_s;
        QTest::newRow("spaces") << u"  Ada   Lovelace "_s << u"Lovelace, Ada"_s;
    }
    void authors()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(Records::normaliseAuthor(input), expected);
    }

    void arxiv_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("abs url") << u"https://arxiv.org/abs/2008.02275v3"_s << u"2008.02275"_s;
        QTest::newRow("pdf url") << u"http://arxiv.org/pdf/2412.17686"_s << u"2412.17686"_s;
        QTest::newRow("prefix") << u"arXiv:2307.09288v2"_s << u"2307.09288"_s;
        QTest::newRow("arxiv doi") << u"10.48550/arXiv.2501.17805"_s << u"2501.17805"_s;
        QTest::newRow("old style") << u"https://arxiv.org/abs/hep-th/9901001"_s << u"hep-th/9901001"_s;
        QTest::newRow("none") << u"https://example.org/2008.02275"_s << QString();
    }
    void arxiv()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(Records::arxivIdFrom(input), expected);
    }

    void doi()
    {
        QCOMPARE(Records::doiFrom(u"https://doi.org/10.1145/3442188.3445922"_s), u"10.1145/3442188.3445922"_s);
        QCOMPARE(Records::doiFrom(u"doi:10.18653/V1/2023.ACL-LONG.1"_s), u"10.18653/v1/2023.acl-long.1"_s);
        QVERIFY(Records::doiFrom(u"no identifier here"_s).isEmpty());
        QCOMPARE(Records::doiFrom(u"10.1016/S0140-6736(20)30183-5"_s), u"10.1016/s0140-6736(20)30183-5"_s);
        QCOMPARE(Records::doiFrom(u"(see doi:10.1000/xyz)."_s), u"10.1000/xyz"_s);
    }

    void titleKey()
    {
        QCOMPARE(Records::normalisedTitle(u"Large Language Model Safety: A Holistic Survey"_s), Records::normalisedTitle(u"large language model safety — a holistic survey."_s));
        QVERIFY(Records::normalisedTitle(u"Alpha"_s) != Records::normalisedTitle(u"Beta"_s));
    }
};

QTEST_GUILESS_MAIN(ImportRecordsTest)
#include "importrecords_test.moc"

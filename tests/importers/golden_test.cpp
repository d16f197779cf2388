// Golden-file test of every importer: each tests/data/input/<format>__<case>.<ext> is parsed
// with <format> and its records and diagnostics compared, field by field, with
// tests/data/reference/<format>__<case>.<ext>.json. A ".link" input holds a path relative to
// the shared data folder (../shared), so the seeds and data files are inputs too.
// Refresh the references with tools/refresh-references (sets ATLAS_REFRESH_REFERENCES=1).
#include "importerregistry.h"
#include "library.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Atlas;
using namespace Qt::StringLiterals;

namespace
{

// The first place where two JSON values differ, as a path like documents[3].title; empty if equal.
QString firstDifference(const QJsonValue &actual, const QJsonValue &expected, const QString &path)
{
    if (actual.type() != expected.type())
        return path + u": type differs"_s;
    if (actual.isObject()) {
        const QJsonObject a = actual.toObject(), e = expected.toObject();
        QStringList keys = a.keys() + e.keys();
        keys.removeDuplicates();
        keys.sort();
        for (const QString &key : keys) {
            if (!a.contains(key))
                return path + u"."_s + key + u": missing"_s;
            if (!e.contains(key))
                return path + u"."_s + key + u": unexpected"_s;
            if (QString d = firstDifference(a.value(key), e.value(key), path + u"."_s + key); !d.isEmpty())
                return d;
        }
        return {};
    }
    if (actual.isArray()) {
        const QJsonArray a = actual.toArray(), e = expected.toArray();
        for (qsizetype i = 0; i < std::min(a.size(), e.size()); ++i) {
            if (QString d = firstDifference(a.at(i), e.at(i), path + u"[%1]"_s.arg(i)); !d.isEmpty())
                return d;
        }
        if (a.size() != e.size())
            return path + u": %1 items, expected %2"_s.arg(a.size()).arg(e.size());
        return {};
    }
    if (actual != expected) {
        const auto show = [](const QJsonValue &v) {
            return v.isString() ? v.toString().left(200) : QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact));
        };
        return path + u": got \"%1\", expected \"%2\""_s.arg(show(actual), show(expected));
    }
    return {};
}

} // namespace

class GoldenTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void matchesReference_data();
    void matchesReference();

private:
    ImporterRegistry m_registry;
    ImportContext m_context;
    QTemporaryDir m_dir;
};

void GoldenTest::initTestCase()
{
    // The codes a new library knows (the bundled taxonomies) are the context.
    Library library;
    QVERIFY(library.open(m_dir.filePath(u"context.sqlite"_s)).ok());
    m_context = ImportContext::fromDatabase(library.database());
    QVERIFY(m_context.codeNames.contains(u"mit-mitigation-v2"_s));
}

void GoldenTest::matchesReference_data()
{
    QTest::addColumn<QString>("input");
    const QDir inputs(QStringLiteral(ATLAS_SOURCE_DIR "/tests/data/input"));
    const QStringList files = inputs.entryList(QDir::Files, QDir::Name);
    for (const QString &file : files) {
        if (file.contains(u"__"_s))
            QTest::newRow(qPrintable(file)) << inputs.filePath(file);
    }
    if (files.isEmpty())
        QSKIP("no golden inputs yet");
}

void GoldenTest::matchesReference()
{
    QFETCH(QString, input);
    const QString name = QFileInfo(input).fileName();
    const QString format = name.section(u"__"_s, 0, 0);
    const Importer *importer = m_registry.find(format);
    QVERIFY2(importer, qPrintable(u"no importer for the format \"%1\" named by %2"_s.arg(format, name)));

    QString path = input;
    if (name.endsWith(u".link"_s)) {
        QFile link(input);
        QVERIFY(link.open(QIODevice::ReadOnly));
        path = QStringLiteral(ATLAS_SHARED_DIR) + u"/"_s + QString::fromUtf8(link.readAll()).trimmed();
    }
    QFile file(path);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
    auto text = ImporterRegistry::decode(file.readAll());
    QJsonObject actual{{u"format"_s, format}};
    if (!text) {
        actual.insert(u"decode_error"_s, text.error());
    } else {
        // Detection must agree with the name, unless the case says it cannot tell.
        if (!name.contains(u"nosniff"_s)) {
            auto detected = m_registry.detect(QStringView(text.value()).left(65536), path);
            QVERIFY2(detected.ok(), qPrintable(detected.error()));
            QCOMPARE(detected.value()->formatKey(), format);
        }
        const ParseResult result = importer->parse(text.value(), QFileInfo(path).fileName(), m_context);
        QJsonArray diagnostics;
        for (const ImportDiagnostic &d : result.diagnostics)
            diagnostics.append(d.toString());
        actual.insert(u"diagnostics"_s, diagnostics);
        actual.insert(u"skipped"_s, result.skipped);
        actual.insert(u"records"_s, result.records.toJson());
    }

    const QString referencePath = QStringLiteral(ATLAS_SOURCE_DIR "/tests/data/reference/") + name + u".json"_s;
    if (qEnvironmentVariableIntValue("ATLAS_REFRESH_REFERENCES") == 1) {
        QFile out(referencePath);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        out.write(QJsonDocument(actual).toJson(QJsonDocument::Indented));
        qInfo("refreshed %s", qPrintable(referencePath));
        return;
    }
    QFile reference(referencePath);
    QVERIFY2(reference.open(QIODevice::ReadOnly), qPrintable(u"no reference %1; run tools/refresh-references"_s.arg(referencePath)));
    const QJsonObject expected = QJsonDocument::fromJson(reference.readAll()).object();
    const QString difference = firstDifference(actual, expected, name);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

QTEST_GUILESS_MAIN(GoldenTest)
#include "golden_test.moc"

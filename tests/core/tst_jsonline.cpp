// The event line's own JSON: the flat-object parser, the strings it writes,
// and what counts as text a person can read.
#include "jsonline.h"
#include "testmain.h"

#include <QTest>

using namespace PipeScope;

namespace {

struct Parsed
{
    bool ok = false;
    QString error;
    QList<std::pair<QByteArray, Field>> fields;
};

Parsed parse(QByteArrayView line)
{
    Parsed p;
    LineParser parser(line);
    p.ok = parser.parseObject([&](QByteArrayView key, Field &value) {
        Field kept = value;
        if (kept.owned.isNull())
            kept.owned = kept.string.toByteArray(); // the view is only valid during the call
        kept.string = {};
        p.fields.append({key.toByteArray(), kept});
        return true;
    });
    p.error = parser.error;
    return p;
}

} // namespace

class tst_JsonLine : public QObject
{
    Q_OBJECT
private slots:
    void init() { PipeScopeTest::failOnUnexpectedWarnings(); }
    void readsEveryKindOfMember();
    void readsEscapes_data();
    void readsEscapes();
    void integersAreExactTo2To63();
    void refusesWithTheColumn_data();
    void refusesWithTheColumn();
    void writtenStringsReadBack();
    void printableTextIsReadableUtf8_data();
    void printableTextIsReadableUtf8();
};

void tst_JsonLine::readsEveryKindOfMember()
{
    const Parsed p = parse(R"( { "s" : "text", "n":-42, "t":true, "f":false, "z":null } )");
    QVERIFY2(p.ok, qPrintable(p.error));
    QCOMPARE(p.fields.size(), 5);
    QCOMPARE(p.fields[0].first, QByteArray("s"));
    QCOMPARE(p.fields[0].second.type, Field::Type::String);
    QCOMPARE(p.fields[0].second.owned, QByteArray("text"));
    QCOMPARE(p.fields[1].second.type, Field::Type::Integer);
    QCOMPARE(p.fields[1].second.integer, -42);
    QCOMPARE(p.fields[2].second.type, Field::Type::Bool);
    QVERIFY(p.fields[2].second.boolean);
    QCOMPARE(p.fields[3].second.type, Field::Type::Bool);
    QVERIFY(!p.fields[3].second.boolean);
    QCOMPARE(p.fields[4].second.type, Field::Type::Null);
    QVERIFY(parse("{}").ok);
}

void tst_JsonLine::readsEscapes_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("utf8");
    QTest::newRow("simple") << QByteArray(R"("a\"b\\c\/d")") << QByteArray("a\"b\\c/d");
    QTest::newRow("controls") << QByteArray(R"("\n\r\t\b\f")") << QByteArray("\n\r\t\b\f");
    QTest::newRow("\\u0000") << QByteArray(R"("x\u0000y")") << QByteArray("x\0y", 3);
    QTest::newRow("\\u00e9") << QByteArray(R"("\u00e9")") << QByteArray("\xc3\xa9");
    QTest::newRow("surrogate pair") << QByteArray(R"("\ud83d\ude00")") << QByteArray("\xf0\x9f\x98\x80");
    QTest::newRow("raw UTF-8") << QByteArray("\"\xe2\x82\xac\"") << QByteArray("\xe2\x82\xac");
}

void tst_JsonLine::readsEscapes()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, utf8);
    const Parsed p = parse("{\"k\":" + json + "}");
    QVERIFY2(p.ok, qPrintable(p.error));
    QCOMPARE(p.fields.value(0).second.owned, utf8);
}

void tst_JsonLine::integersAreExactTo2To63()
{
    // A time in nanoseconds needs more than a double's 53 bits.
    Parsed p = parse(R"({"t":9223372036854775807,"u":9007199254740993})");
    QVERIFY2(p.ok, qPrintable(p.error));
    QCOMPARE(p.fields[0].second.integer, std::numeric_limits<qint64>::max());
    QCOMPARE(p.fields[1].second.integer, Q_INT64_C(9007199254740993));
    p = parse(R"({"t":9223372036854775808})");
    QVERIFY(!p.ok);
    QVERIFY2(p.error.contains(QLatin1String("too large")), qPrintable(p.error));
}

void tst_JsonLine::refusesWithTheColumn_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("said");
    QTest::newRow("not an object") << QByteArray("[1]") << QStringLiteral("one JSON object");
    QTest::newRow("nested") << QByteArray(R"({"a":{"b":1}})") << QStringLiteral("nested objects and arrays");
    QTest::newRow("fraction") << QByteArray(R"({"a":1.5})") << QStringLiteral("whole numbers only, at column 7");
    QTest::newRow("no colon") << QByteArray(R"({"a" 1})") << QStringLiteral("expected ':' after \"a\"");
    QTest::newRow("no comma") << QByteArray(R"({"a":1 "b":2})") << QStringLiteral("expected ',' or '}' at column 8");
    QTest::newRow("text after") << QByteArray(R"({"a":1} x)") << QStringLiteral("text after the object");
    QTest::newRow("open string") << QByteArray(R"({"a":"b)") << QStringLiteral("not closed");
    QTest::newRow("short \\u") << QByteArray(R"({"a":"\u12"})") << QStringLiteral("four hex digits");
    QTest::newRow("cut off") << QByteArray(R"({"a":)") << QStringLiteral("ends where a value should be");
}

void tst_JsonLine::refusesWithTheColumn()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, said);
    const Parsed p = parse(line);
    QVERIFY(!p.ok);
    QVERIFY2(p.error.contains(said), qPrintable(p.error));
}

void tst_JsonLine::writtenStringsReadBack()
{
    // Every byte value a valid UTF-8 text can hold, controls included.
    QByteArray text;
    for (int c = 1; c < 0x80; ++c)
        text += char(c);
    text += "\xc3\xa9\xf0\x9f\x98\x80";
    QByteArray json;
    appendJsonString(json, text);
    for (char c : json)
        QVERIFY2(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f, "a control character was written raw");
    const Parsed p = parse("{\"k\":" + json + "}");
    QVERIFY2(p.ok, qPrintable(p.error));
    QCOMPARE(p.fields[0].second.owned, text);
}

void tst_JsonLine::printableTextIsReadableUtf8_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("printable");
    QTest::newRow("ascii") << QByteArray("hello") << true;
    QTest::newRow("tab, newline, CR") << QByteArray("a\tb\nc\r") << true;
    QTest::newRow("UTF-8") << QByteArray("caf\xc3\xa9") << true;
    QTest::newRow("NUL") << QByteArray("a\0b", 3) << false;
    QTest::newRow("ESC") << QByteArray("\x1b[31m") << false;
    QTest::newRow("DEL") << QByteArray("\x7f") << false;
    QTest::newRow("invalid byte") << QByteArray("\xff") << false;
    QTest::newRow("overlong") << QByteArray("\xc0\xaf") << false;
    QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << false;
    QTest::newRow("past U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << false;
    QTest::newRow("cut short") << QByteArray("\xe2\x82") << false;
}

void tst_JsonLine::printableTextIsReadableUtf8()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, printable);
    QCOMPARE(isPrintableText(bytes), printable);
}

PIPESCOPE_TEST_GUILESS_MAIN(tst_JsonLine)
#include "tst_jsonline.moc"

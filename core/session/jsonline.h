#pragma once

#include "payloadinput.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <cstring>
#include <limits>

namespace PipeScope {

// The JSON of one session event line, read and written by hand: an event's
// time is a 64-bit count of nanoseconds, and a line must be read fast (1M
// events: ~0.9 s here, ~3.6 s through QJsonDocument, docs/benchmarks.md) and
// refused precisely (the column and what was expected).

// Text a person can read in the file: well-formed UTF-8 without control
// characters other than tab, newline and carriage return.
bool isPrintableText(QByteArrayView bytes);

// Appends `utf8` as a JSON string, escaping what JSON requires and every
// other control character.
void appendJsonString(QByteArray &out, QByteArrayView utf8);

// A flat JSON object, one member at a time: strings, whole numbers (to
// 2^63), booleans and null; nested objects and arrays are refused.
struct Field
{
    enum class Type { String, Integer, Bool, Null } type = Type::Null;
    // UTF-8, unescaped: a view into the line when the string had no
    // escapes (no copy), else into `owned`.
    QByteArrayView string;
    QByteArray owned;
    qint64 integer = 0;
    bool boolean = false;
};

class LineParser
{
public:
    explicit LineParser(QByteArrayView text)
        : m_start(text.data()), m_p(text.data()), m_end(text.data() + text.size())
    {
    }

    // Calls `field(key, value)` for each member; false and `error` on a
    // malformed line.
    template<typename F>
    bool parseObject(F &&field)
    {
        skipSpace();
        if (!take('{'))
            return fail(QStringLiteral("an event line is one JSON object: {…}"));
        skipSpace();
        if (take('}'))
            return atEnd();
        for (;;) {
            skipSpace();
            QByteArrayView key;
            QByteArray keyBuffer;
            if (!parseString(key, keyBuffer))
                return false;
            skipSpace();
            if (!take(':'))
                return fail(QStringLiteral("expected ':' after \"%1\"").arg(QString::fromUtf8(key)));
            skipSpace();
            Field value;
            if (!parseValue(value))
                return false;
            if (!field(key, value))
                return false;
            skipSpace();
            if (take(','))
                continue;
            if (take('}'))
                return atEnd();
            return fail(QStringLiteral("expected ',' or '}' at column %1").arg(column()));
        }
    }

    QString error;

private:
    bool fail(const QString &why)
    {
        error = why;
        return false;
    }
    int column() const { return int(m_p - m_start) + 1; }
    void skipSpace()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\t' || *m_p == '\r' || *m_p == '\n'))
            ++m_p;
    }
    bool take(char c)
    {
        if (m_p < m_end && *m_p == c) {
            ++m_p;
            return true;
        }
        return false;
    }
    bool atEnd()
    {
        skipSpace();
        return m_p == m_end ? true : fail(QStringLiteral("text after the object at column %1").arg(column()));
    }
    bool literal(const char *word)
    {
        const qsizetype n = qsizetype(std::strlen(word));
        if (m_end - m_p >= n && std::memcmp(m_p, word, size_t(n)) == 0) {
            m_p += n;
            return true;
        }
        return false;
    }

    bool parseValue(Field &value)
    {
        if (m_p == m_end)
            return fail(QStringLiteral("the line ends where a value should be"));
        const char c = *m_p;
        if (c == '"') {
            value.type = Field::Type::String;
            return parseString(value.string, value.owned);
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            value.type = Field::Type::Integer;
            return parseInteger(value.integer);
        }
        if (literal("true") || literal("false")) {
            value.type = Field::Type::Bool;
            value.boolean = m_p[-1] == 'e' && m_p[-2] == 'u';
            return true;
        }
        if (literal("null"))
            return true;
        if (c == '{' || c == '[')
            return fail(QStringLiteral("nested objects and arrays are not part of an event (column %1)").arg(column()));
        return fail(QStringLiteral("unexpected '%1' at column %2").arg(QLatin1Char(c)).arg(column()));
    }

    bool parseInteger(qint64 &out)
    {
        const bool negative = take('-');
        if (m_p == m_end || *m_p < '0' || *m_p > '9')
            return fail(QStringLiteral("a number expected at column %1").arg(column()));
        quint64 value = 0;
        while (m_p < m_end && *m_p >= '0' && *m_p <= '9') {
            const unsigned digit = unsigned(*m_p - '0');
            if (value > (quint64(std::numeric_limits<qint64>::max()) - digit) / 10)
                return fail(QStringLiteral("number too large at column %1").arg(column()));
            value = value * 10 + digit;
            ++m_p;
        }
        if (m_p < m_end && (*m_p == '.' || *m_p == 'e' || *m_p == 'E'))
            return fail(QStringLiteral("whole numbers only, at column %1").arg(column()));
        out = negative ? -qint64(value) : qint64(value);
        return true;
    }

    bool parseHex4(char32_t &out)
    {
        if (m_end - m_p < 4)
            return fail(QStringLiteral("\\u needs four hex digits"));
        out = 0;
        for (int i = 0; i < 4; ++i) {
            const int d = hexDigitValue(char32_t(static_cast<unsigned char>(m_p[i])));
            if (d < 0)
                return fail(QStringLiteral("\\u needs four hex digits, at column %1").arg(column()));
            out = (out << 4) | char32_t(d);
        }
        m_p += 4;
        return true;
    }

    static void appendUtf8(QByteArray &out, char32_t cp)
    {
        if (cp < 0x80) {
            out += char(cp);
        } else if (cp < 0x800) {
            out += char(0xc0 | (cp >> 6));
            out += char(0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
            out += char(0xe0 | (cp >> 12));
            out += char(0x80 | ((cp >> 6) & 0x3f));
            out += char(0x80 | (cp & 0x3f));
        } else {
            out += char(0xf0 | (cp >> 18));
            out += char(0x80 | ((cp >> 12) & 0x3f));
            out += char(0x80 | ((cp >> 6) & 0x3f));
            out += char(0x80 | (cp & 0x3f));
        }
    }

    // `view` is the string: into the line itself when it has no escapes,
    // else into `out`, where the unescaped bytes are built.
    bool parseString(QByteArrayView &view, QByteArray &out)
    {
        if (!take('"'))
            return fail(QStringLiteral("a string expected at column %1").arg(column()));
        // Fast path: a run without escapes is the string itself.
        const char *run = m_p;
        while (m_p < m_end && *m_p != '"' && *m_p != '\\' && static_cast<unsigned char>(*m_p) >= 0x20)
            ++m_p;
        if (m_p < m_end && *m_p == '"') {
            view = QByteArrayView(run, m_p - run);
            ++m_p;
            return true;
        }
        out = QByteArray(run, m_p - run);
        while (m_p < m_end) {
            const char c = *m_p++;
            if (c == '"') {
                view = out;
                return true;
            }
            if (static_cast<unsigned char>(c) < 0x20)
                return fail(QStringLiteral("a control character inside a string at column %1 (escape it)").arg(column() - 1));
            if (c != '\\') {
                out += c;
                continue;
            }
            if (m_p == m_end)
                break;
            const char e = *m_p++;
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                char32_t cp;
                if (!parseHex4(cp))
                    return false;
                if (cp >= 0xd800 && cp <= 0xdbff) {
                    char32_t low;
                    if (!take('\\') || !take('u') || !parseHex4(low) || low < 0xdc00 || low > 0xdfff)
                        return fail(QStringLiteral("a lone UTF-16 surrogate in \\u escapes"));
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
                } else if (cp >= 0xdc00 && cp <= 0xdfff) {
                    return fail(QStringLiteral("a lone UTF-16 surrogate in \\u escapes"));
                }
                appendUtf8(out, cp);
                break;
            }
            default:
                return fail(QStringLiteral("unknown escape \\%1 at column %2").arg(QLatin1Char(e)).arg(column() - 1));
            }
        }
        return fail(QStringLiteral("a string is not closed"));
    }

    const char *m_start;
    const char *m_p;
    const char *m_end;
};

} // namespace PipeScope

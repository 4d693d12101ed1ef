#include "payloadinput.h"

#include "payloadpreview.h"

#include <QList>

#include <algorithm>

namespace PipeScope {

int hexDigitValue(char32_t c)
{
    if (c >= '0' && c <= '9')
        return int(c - '0');
    if (c >= 'a' && c <= 'f')
        return int(c - 'a') + 10;
    if (c >= 'A' && c <= 'F')
        return int(c - 'A') + 10;
    return -1;
}

namespace {

int hexValue(QChar c)
{
    return hexDigitValue(c.unicode());
}

bool parseHex(const QString &input, QByteArray &out, QString *error)
{
    out.clear();
    int high = -1;
    for (qsizetype i = 0; i < input.size(); ++i) {
        const QChar c = input.at(i);
        if (c.isSpace() || c == u',' || c == u':' || c == u'-')
            continue;
        // A 0x prefix before a byte.
        if (c == u'0' && high < 0 && i + 1 < input.size() &&
            (input.at(i + 1) == u'x' || input.at(i + 1) == u'X')) {
            ++i;
            continue;
        }
        const int v = hexValue(c);
        if (v < 0) {
            if (error)
                *error = QStringLiteral("hex: '%1' at position %2 is not a hex digit").arg(c).arg(i + 1);
            return false;
        }
        if (high < 0) {
            high = v;
        } else {
            out.append(char(high << 4 | v));
            high = -1;
        }
    }
    if (high >= 0) {
        if (error)
            *error = QStringLiteral("hex: odd number of digits; the last byte is missing a digit");
        return false;
    }
    return true;
}

// Appends the text encoded, or says which character the encoding cannot
// carry: Latin-1 has nothing past U+00FF, and a lone surrogate is no
// character in any encoding (each would go out as '?' or a stray byte).
bool appendEncoded(const QString &text, TextEncoding encoding, QByteArray &out, QString *error)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        const bool pair = c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate();
        if (pair) {
            if (encoding != TextEncoding::Latin1) {
                ++i;
                continue;
            }
        } else if (!c.isSurrogate() && (encoding != TextEncoding::Latin1 || c.unicode() <= 0xff)) {
            continue;
        }
        if (error) {
            const char32_t code = pair ? QChar::surrogateToUcs4(c, text.at(i + 1)) : c.unicode();
            const QString u = QStringLiteral("U+") + QString::number(uint(code), 16).toUpper().rightJustified(4, u'0');
            *error = c.isSurrogate() && !pair
                ? QStringLiteral("a lone surrogate (%1) is not a character in any encoding: pair it, or send "
                                 "bytes with \\xHH").arg(u)
                : QStringLiteral("Latin-1 has no \"%1\" (%2): choose UTF-8 or UTF-16LE, or send bytes with "
                                 "\\xHH").arg(text.mid(i, pair ? 2 : 1), u);
        }
        return false;
    }
    out.append(encodeText(text, encoding));
    return true;
}

bool parseEscapes(const QString &input, TextEncoding encoding, QByteArray &out, QString *error)
{
    out.clear();
    QString run; // characters waiting to be encoded
    bool encodable = true;
    auto flushRun = [&] {
        encodable = encodable && appendEncoded(run, encoding, out, error);
        run.clear();
        return encodable;
    };
    for (qsizetype i = 0; i < input.size(); ++i) {
        const QChar c = input.at(i);
        if (c != u'\\') {
            run.append(c);
            continue;
        }
        if (++i >= input.size()) {
            if (error)
                *error = QStringLiteral("escapes: a lone '\\' ends the text");
            return false;
        }
        const QChar e = input.at(i);
        switch (e.unicode()) {
        case 'n': run.append(u'\n'); break;
        case 'r': run.append(u'\r'); break;
        case 't': run.append(u'\t'); break;
        case '0': run.append(QChar(0)); break;
        case '\\': run.append(u'\\'); break;
        case '"': run.append(u'"'); break;
        case '\'': run.append(u'\''); break;
        case 'x': {
            // A raw byte, whatever the encoding.
            const int h = i + 1 < input.size() ? hexValue(input.at(i + 1)) : -1;
            const int l = i + 2 < input.size() ? hexValue(input.at(i + 2)) : -1;
            if (h < 0 || l < 0) {
                if (error)
                    *error = QStringLiteral("escapes: \\x at position %1 needs two hex digits").arg(i);
                return false;
            }
            if (!flushRun())
                return false;
            out.append(char(h << 4 | l));
            i += 2;
            break;
        }
        case 'u': {
            int value = 0;
            for (int k = 1; k <= 4; ++k) {
                const int d = i + k < input.size() ? hexValue(input.at(i + k)) : -1;
                if (d < 0) {
                    if (error)
                        *error = QStringLiteral("escapes: \\u at position %1 needs four hex digits").arg(i);
                    return false;
                }
                value = value << 4 | d;
            }
            run.append(QChar(char16_t(value)));
            i += 4;
            break;
        }
        default:
            if (error)
                *error = QStringLiteral("escapes: unknown escape '\\%1' at position %2").arg(e).arg(i);
            return false;
        }
    }
    return flushRun();
}

// A character a person cannot type as it is into one line: C0 and C1
// controls, DEL, line and paragraph separators, bidirectional controls.
bool needsEscape(QChar c)
{
    const char16_t u = c.unicode();
    return u < 0x20 || (u >= 0x7f && u <= 0x9f) || u == 0x2028 || u == 0x2029 || (u >= 0x202a && u <= 0x202e) ||
           (u >= 0x2066 && u <= 0x2069);
}

QString escaped(const QString &text)
{
    QString out;
    out.reserve(text.size() + 8);
    for (const QChar c : text) {
        switch (c.unicode()) {
        case '\\': out += QLatin1String("\\\\"); break;
        case '\n': out += QLatin1String("\\n"); break;
        case '\r': out += QLatin1String("\\r"); break;
        case '\t': out += QLatin1String("\\t"); break;
        case 0: out += QLatin1String("\\0"); break;
        default:
            if (needsEscape(c))
                out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    return out;
}

} // namespace

TypedInput typedInputFor(QByteArrayView bytes)
{
    const TextEncoding encoding = likelyEncoding(bytes);
    const qsizetype width = encoding == TextEncoding::Utf16Le ? 2 : 1;
    QByteArrayView body = bytes;
    bool trailingNul = false;
    if (body.size() > width && body.last(width).count('\0') == width) {
        body.chop(width);
        trailingNul = true;
    }
    const QString text = decodeText(body, encoding);
    if (encodeText(text, encoding) == body) {
        const auto special = std::count_if(text.cbegin(), text.cend(), [](QChar c) {
            return needsEscape(c) && c != u'\n' && c != u'\r' && c != u'\t';
        });
        // Mostly controls (more than one in four, and more than one): binary
        // that happens to decode, which hex shows better.
        if (special * 4 <= text.size() + 3) {
            if (std::none_of(text.cbegin(), text.cend(), needsEscape))
                return {text, {InputFormat::Text, encoding, trailingNul}};
            return {escaped(text), {InputFormat::Escapes, encoding, trailingNul}};
        }
    }
    return {QString::fromLatin1(bytes.toByteArray().toHex(' ')), {InputFormat::Hex, TextEncoding::Utf8, false}};
}

TypedInput typedInputAs(QByteArrayView bytes, InputFormat format, TextEncoding encoding)
{
    const TypedInput hex{QString::fromLatin1(bytes.toByteArray().toHex(' ')), {InputFormat::Hex, encoding, false}};
    if (format == InputFormat::Hex)
        return hex;
    const qsizetype width = encoding == TextEncoding::Utf16Le ? 2 : 1;
    QByteArrayView body = bytes;
    const bool trailingNul = body.size() >= width && body.last(width).count('\0') == width;
    if (trailingNul)
        body.chop(width);
    const QString text = decodeText(body, encoding);
    if (encodeText(text, encoding) != body)
        return hex;
    if (format == InputFormat::Text && std::none_of(text.cbegin(), text.cend(), needsEscape))
        return {text, {InputFormat::Text, encoding, trailingNul}};
    return {escaped(text), {InputFormat::Escapes, encoding, trailingNul}};
}

bool encodePayload(const QString &input, const EncodeOptions &options, QByteArray &out, QString *error)
{
    bool ok = true;
    switch (options.format) {
    case InputFormat::Text:
        out.clear();
        ok = appendEncoded(input, options.encoding, out, error);
        break;
    case InputFormat::Hex: ok = parseHex(input, out, error); break;
    case InputFormat::Escapes: ok = parseEscapes(input, options.encoding, out, error); break;
    }
    if (ok && options.trailingNul)
        out.append(options.encoding == TextEncoding::Utf16Le ? 2 : 1, '\0');
    return ok;
}

} // namespace PipeScope

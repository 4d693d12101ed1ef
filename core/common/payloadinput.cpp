#include "payloadinput.h"

#include <QList>

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

bool parseEscapes(const QString &input, TextEncoding encoding, QByteArray &out, QString *error)
{
    out.clear();
    QString run; // characters waiting to be encoded
    auto flushRun = [&] {
        out.append(encodeText(run, encoding));
        run.clear();
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
            flushRun();
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
    flushRun();
    return true;
}

} // namespace

bool encodePayload(const QString &input, const EncodeOptions &options, QByteArray &out, QString *error)
{
    bool ok = true;
    switch (options.format) {
    case InputFormat::Text: out = encodeText(input, options.encoding); break;
    case InputFormat::Hex: ok = parseHex(input, out, error); break;
    case InputFormat::Escapes: ok = parseEscapes(input, options.encoding, out, error); break;
    }
    if (ok && options.trailingNul)
        out.append(options.encoding == TextEncoding::Utf16Le ? 2 : 1, '\0');
    return ok;
}

} // namespace PipeScope

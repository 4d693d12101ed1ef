#include "payload.h"

#include <QDateTime>

#include <QList>
#include <QStringDecoder>
#include <QStringEncoder>

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

QByteArray encodeText(const QString &text, TextEncoding encoding)
{
    switch (encoding) {
    case TextEncoding::Utf8: return text.toUtf8();
    case TextEncoding::Latin1: return text.toLatin1();
    case TextEncoding::Utf16Le: {
        QStringEncoder encoder(QStringEncoder::Utf16LE);
        return encoder(text);
    }
    }
    return text.toUtf8();
}

QString decodeText(QByteArrayView bytes, TextEncoding encoding)
{
    switch (encoding) {
    case TextEncoding::Utf8: return QString::fromUtf8(bytes);
    case TextEncoding::Latin1: return QString::fromLatin1(bytes);
    case TextEncoding::Utf16Le: {
        QStringDecoder decoder(QStringDecoder::Utf16LE);
        return decoder(bytes);
    }
    }
    return QString::fromUtf8(bytes);
}

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

QString hexString(QByteArrayView bytes, qsizetype maxBytes)
{
    const qsizetype n = maxBytes < 0 ? bytes.size() : std::min(maxBytes, bytes.size());
    QString out = QString::fromLatin1(bytes.first(n).toByteArray().toHex(' '));
    if (n < bytes.size())
        out += QStringLiteral(" …");
    return out;
}

namespace {

// Escapes one character for a one-line preview; false if it is not text.
bool appendPrintable(QString &out, char32_t c)
{
    switch (c) {
    case '\n': out += QStringLiteral("\\n"); return true;
    case '\r': out += QStringLiteral("\\r"); return true;
    case '\t': out += QStringLiteral("\\t"); return true;
    case '\0': out += QStringLiteral("\\0"); return true;
    case '"': out += QStringLiteral("\\\""); return true;
    case '\\': out += QStringLiteral("\\\\"); return true;
    default: break;
    }
    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0xfffd)
        return false;
    out += QString::fromUcs4(&c, 1);
    return true;
}

QString quoted(const QString &text, QStringView prefix, int maxChars)
{
    QString out;
    const auto ucs4 = text.toUcs4();
    for (char32_t c : ucs4) {
        if (!appendPrintable(out, c))
            return {};
        if (out.size() >= maxChars) {
            out.truncate(maxChars);
            return prefix.toString() + u'"' + out + QStringLiteral("\"…");
        }
    }
    return prefix.toString() + u'"' + out + u'"';
}

bool looksUtf16Le(QByteArrayView bytes)
{
    if (bytes.size() < 2 || bytes.size() % 2 != 0)
        return false;
    qsizetype zeroHigh = 0;
    for (qsizetype i = 1; i < bytes.size(); i += 2)
        zeroHigh += bytes[i] == 0 ? 1 : 0;
    // Mostly Latin text: the high bytes are zero.
    return zeroHigh * 10 >= (bytes.size() / 2) * 9;
}

} // namespace

QString previewPayload(QByteArrayView bytes, int maxChars)
{
    if (bytes.isEmpty())
        return QStringLiteral("(empty)");
    // Decode only what the preview can show.
    const QByteArrayView head = bytes.first(std::min<qsizetype>(bytes.size(), qsizetype(maxChars) * 4));
    if (looksUtf16Le(head)) {
        QStringDecoder decoder(QStringDecoder::Utf16LE);
        const QString text = decoder(head);
        if (!decoder.hasError()) {
            const QString q = quoted(text, u"u", maxChars);
            if (!q.isEmpty())
                return q;
        }
    }
    QStringDecoder decoder(QStringDecoder::Utf8);
    QString text = decoder(head);
    // A multi-byte character cut by `head` is not an error in the message.
    const QString q = (!decoder.hasError() || head.size() < bytes.size()) ? quoted(text, u"", maxChars)
                                                                          : QString();
    if (!q.isEmpty())
        return q;
    return hexString(bytes, maxChars / 3);
}

QString formatPayload(QByteArrayView bytes, CopyFormat format, TextEncoding encoding)
{
    switch (format) {
    case CopyFormat::Text: return decodeText(bytes, encoding);
    case CopyFormat::Hex: return hexString(bytes);
    case CopyFormat::Base64: return QString::fromLatin1(bytes.toByteArray().toBase64());
    case CopyFormat::CArray: {
        constexpr qsizetype kPerLine = 12;
        QString out = QStringLiteral("const unsigned char data[%1] = {").arg(bytes.size());
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            out += i % kPerLine == 0 ? QStringLiteral("\n    ") : QStringLiteral(" ");
            out += QStringLiteral("0x%1").arg(uint(static_cast<unsigned char>(bytes[i])), 2, 16, QLatin1Char('0'));
            if (i + 1 < bytes.size())
                out += QLatin1Char(',');
        }
        out += bytes.isEmpty() ? QStringLiteral("};") : QStringLiteral("\n};");
        return out;
    }
    }
    return {};
}

QString formatSize(quint64 bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    if (bytes < 1024 * 1024)
        return QStringLiteral("%1 KiB").arg(double(bytes) / 1024.0, 0, 'f', 1);
    if (bytes < quint64(1024) * 1024 * 1024)
        return QStringLiteral("%1 MiB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 1);
    return QStringLiteral("%1 GiB").arg(double(bytes) / (1024.0 * 1024.0 * 1024.0), 0, 'f', 2);
}

QString formatTime(qint64 timestampNs)
{
    return QDateTime::fromMSecsSinceEpoch(timestampNs / 1000000).toString(QStringLiteral("HH:mm:ss.zzz")) +
           QStringLiteral("%1").arg((timestampNs / 1000) % 1000, 3, 10, QLatin1Char('0'));
}

QString printable(QStringView text)
{
    const auto unsafe = [](char16_t c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e) ||
               (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f || c == 0x061c;
    };
    if (std::none_of(text.begin(), text.end(), [&](QChar c) { return unsafe(c.unicode()); }))
        return text.toString();
    QString out;
    out.reserve(text.size() + 8);
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (!unsafe(u))
            out += c;
        else if (u <= 0xff)
            out += QStringLiteral("\\x%1").arg(unsigned(u), 2, 16, QLatin1Char('0'));
        else
            out += QStringLiteral("\\u%1").arg(unsigned(u), 4, 16, QLatin1Char('0'));
    }
    return out;
}

QString printable(QByteArrayView utf8)
{
    return printable(QString::fromUtf8(utf8));
}

} // namespace PipeScope

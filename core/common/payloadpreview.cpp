#include "payloadpreview.h"

#include <QHash>
#include <QList>
#include <QStringDecoder>
#include <algorithm>

namespace PipeScope {

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

} // namespace

namespace {

// No control characters but tabs and line breaks.
bool hasOnlyTextControls(const QString &text)
{
    return std::none_of(text.cbegin(), text.cend(), [](QChar c) {
        return c.category() == QChar::Other_Control && c != u'\n' && c != u'\r' && c != u'\t';
    });
}

// How much of a message its encoding is judged by.
constexpr qsizetype kLookAtBytes = 4096;

// Whether the bytes are UTF-8 with no controls but line breaks and tabs (a
// NUL may end them): text as it is, whatever else they could be read as.
bool isUtf8Text(QByteArrayView bytes)
{
    if (bytes.endsWith('\0'))
        bytes.chop(1);
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder(bytes);
    return !decoder.hasError() && hasOnlyTextControls(text);
}

// The writing system a character belongs to: a script, with the three
// that Japanese mixes (and Bopomofo) taken as one; 0 for what every script
// shares (punctuation, digits, spaces, combining marks).
int writingSystem(char32_t c)
{
    switch (QChar::script(c)) {
    case QChar::Script_Common:
    case QChar::Script_Inherited:
        return 0;
    case QChar::Script_Han:
    case QChar::Script_Hiragana:
    case QChar::Script_Katakana:
    case QChar::Script_Bopomofo:
        return int(QChar::Script_Han);
    default:
        return int(QChar::script(c));
    }
}

// Whether decoded UTF-16 reads as text people write: no controls but line
// breaks and tabs (and a closing NUL), nothing unassigned, private or a
// lone surrogate, and nearly all of it in one writing system (besides
// what all share). Random bytes read as UTF-16 scatter over Han, Hangul,
// Yi, Latin extensions and private use, and fail.
bool readsAsText(const QString &decoded)
{
    QList<uint> text = decoded.toUcs4();
    if (!text.isEmpty() && text.last() == 0)
        text.removeLast();
    // One character is too little to tell text from two bytes of binary.
    if (text.size() < 2)
        return false;
    QHash<int, qsizetype> systems;
    for (const uint c : text) {
        switch (QChar::category(char32_t(c))) {
        case QChar::Other_Control:
            if (c != '\n' && c != '\r' && c != '\t')
                return false;
            break;
        case QChar::Other_NotAssigned:
        case QChar::Other_PrivateUse:
        case QChar::Other_Surrogate:
            return false;
        default:
            break;
        }
        ++systems[writingSystem(char32_t(c))];
    }
    qsizetype main = 0;
    for (auto it = systems.cbegin(); it != systems.cend(); ++it)
        if (it.key() != 0)
            main = std::max(main, it.value());
    return (systems.value(0) + main) * 10 >= qsizetype(text.size()) * 9;
}

bool looksUtf16Le(QByteArrayView bytes)
{
    if (bytes.size() < 2 || bytes.size() % 2 != 0)
        return false;
    qsizetype zeroHigh = 0;
    for (qsizetype i = 1; i < bytes.size(); i += 2)
        zeroHigh += bytes[i] == 0 ? 1 : 0;
    // Mostly Latin text: the high bytes are zero.
    if (zeroHigh * 10 >= (bytes.size() / 2) * 9)
        return true;
    // Other scripts (Cyrillic, CJK…): bytes that are not text as UTF-8
    // already, and read as text as UTF-16.
    if (isUtf8Text(bytes))
        return false;
    QStringDecoder decoder(QStringDecoder::Utf16LE);
    const QString text = decoder(bytes);
    return !decoder.hasError() && readsAsText(text);
}

} // namespace

TextEncoding likelyEncoding(QByteArrayView bytes)
{
    // An odd number of bytes is not UTF-16; of a long message, its start
    // is enough to judge.
    if (bytes.size() % 2 != 0)
        return TextEncoding::Utf8;
    return looksUtf16Le(bytes.first(std::min(bytes.size(), kLookAtBytes))) ? TextEncoding::Utf16Le
                                                                            : TextEncoding::Utf8;
}

std::optional<QString> payloadText(QByteArrayView bytes)
{
    return textIn(bytes, likelyEncoding(bytes));
}

std::optional<QString> textIn(QByteArrayView bytes, TextEncoding encoding)
{
    const qsizetype width = encoding == TextEncoding::Utf16Le ? 2 : 1;
    if (bytes.size() >= width && bytes.last(width).count('\0') == width)
        bytes.chop(width);
    const QString text = decodeText(bytes, encoding);
    if (encodeText(text, encoding) != bytes || !hasOnlyTextControls(text))
        return std::nullopt;
    return text;
}

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

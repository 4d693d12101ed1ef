#pragma once

// What a person types (text, hex, C escapes) turned into the bytes to send.

#include "textencoding.h"

#include <QByteArray>
#include <QString>

namespace PipeScope {

enum class InputFormat {
    Text,    // the characters as typed
    Hex,     // "de ad be ef", "deadbeef", "0xde 0xad"
    Escapes, // C escapes: \n \r \t \0 \\ \" \xHH \uHHHH
};

struct EncodeOptions
{
    InputFormat format = InputFormat::Text;
    TextEncoding encoding = TextEncoding::Utf8;
    // Append a NUL in the encoding's width, as the sample client's
    // (lstrlen(msg) + 1) * sizeof(TCHAR) does.
    bool trailingNul = false;
};

// Turns what a person typed into the bytes to send. On a mistake returns
// false and says where: "hex: 'g' at position 3 is not a hex digit".
bool encodePayload(const QString &input, const EncodeOptions &options, QByteArray &out,
                   QString *error);

// How a person would type these bytes to send them again: text in the
// encoding they decode in (UTF-8, or UTF-16LE as likelyEncoding() judges),
// as typed when every character is printable, as C escapes when some are
// control characters (a line break, a tab, a NUL), else hex. A trailing
// NUL in the encoding's width becomes the trailing-NUL option. Whatever
// is chosen, encodePayload(text, options) gives back exactly these bytes.
struct TypedInput
{
    QString text;
    EncodeOptions options;
};
TypedInput typedInputFor(QByteArrayView bytes);
// The same bytes typed in a chosen format and encoding (a composer's
// format switched): hex always; text, or C escapes where it has control
// characters, when the bytes are text in that encoding — else hex, the
// only form that holds them.
TypedInput typedInputAs(QByteArrayView bytes, InputFormat format, TextEncoding encoding);

// 0 to 15 for a hex digit (either case), -1 for anything else.
int hexDigitValue(char32_t c);

} // namespace PipeScope

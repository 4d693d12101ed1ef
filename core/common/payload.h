#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace PipeScope {

enum class InputFormat {
    Text,    // the characters as typed
    Hex,     // "de ad be ef", "deadbeef", "0xde 0xad"
    Escapes, // C escapes: \n \r \t \0 \\ \" \xHH \uHHHH
};

enum class TextEncoding {
    Utf8,
    Utf16Le, // what a Windows TCHAR (UNICODE) program sends
    Latin1,
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

QByteArray encodeText(const QString &text, TextEncoding encoding);
QString decodeText(QByteArrayView bytes, TextEncoding encoding);

// "de ad be ef"
QString hexString(QByteArrayView bytes, qsizetype maxBytes = -1);

// A one-line, printable rendering: "text" with escapes for UTF-8 text,
// u"text" for UTF-16LE text, else hex. Cut at maxChars with an ellipsis.
QString previewPayload(QByteArrayView bytes, int maxChars = 80);

// Text that a peer or the system supplies (a process or user name, a pipe
// name, an error's description), made safe to print or show on one line:
// control characters (C0, DEL, C1), line and paragraph separators and
// bidirectional overrides become \xNN or \uNNNN, so that a process named
// "\e[2J" or "x\n12:00:00  #9  connected" can neither drive a terminal
// nor forge a line of output.
QString printable(QStringView text);
QString printable(QByteArrayView utf8);

enum class CopyFormat {
    Text,   // decoded in the given encoding
    Hex,    // "de ad be ef"
    CArray, // a C array definition, 12 bytes a line
    Base64,
};

// A message's bytes as a person copies them out of PipeScope.
QString formatPayload(QByteArrayView bytes, CopyFormat format,
                      TextEncoding encoding = TextEncoding::Utf8);

// "27 B", "4.0 KiB", "16.0 MiB"
QString formatSize(quint64 bytes);

// 0 to 15 for a hex digit (either case), -1 for anything else.
int hexDigitValue(char32_t c);

// An event's time of day, local, to the microsecond: "14:03:07.123456".
QString formatTime(qint64 timestampNs);

} // namespace PipeScope

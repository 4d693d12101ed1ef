#pragma once

// Payloads and peer-supplied text shown on one line, safely.

#include <QByteArrayView>
#include <QString>
#include <QStringView>

#include <optional>

#include "textencoding.h"

namespace PipeScope {

// UTF-16LE for what looks like it (mostly Latin text with zero high
// bytes, as a Windows TCHAR program sends), else UTF-8: what the preview
// and the Text pane's "Automatic" decode with.
TextEncoding likelyEncoding(QByteArrayView bytes);

// The whole message as text, decoded as likelyEncoding() says, when it is
// text: it decodes without error and holds no control characters but
// tabs and line breaks (a closing NUL, as a TCHAR string has, is left
// out). Nullopt for binary.
std::optional<QString> payloadText(QByteArrayView bytes);
// The same in a given encoding.
std::optional<QString> textIn(QByteArrayView bytes, TextEncoding encoding);

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

} // namespace PipeScope

#pragma once

// Text to bytes and back in the encodings pipe programs use.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace PipeScope {

enum class TextEncoding {
    Utf8,
    Utf16Le, // what a Windows TCHAR (UNICODE) program sends
    Latin1,
};

QByteArray encodeText(const QString &text, TextEncoding encoding);
QString decodeText(QByteArrayView bytes, TextEncoding encoding);

} // namespace PipeScope

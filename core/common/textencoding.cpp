#include "textencoding.h"

#include <QStringDecoder>
#include <QStringEncoder>

namespace PipeScope {

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

} // namespace PipeScope

#include "copyformat.h"

#include "payloadinput.h"
#include "payloadpreview.h"

namespace PipeScope {

QString formatPayload(QByteArrayView bytes, CopyFormat format, TextEncoding encoding)
{
    switch (format) {
    case CopyFormat::Text:
        // Text as it is (a TCHAR string's closing NUL left out); what is no
        // text in this encoding as C escapes, or hex where even those cannot
        // hold it: never U+FFFD or a NUL on the clipboard.
        if (const std::optional<QString> text = textIn(bytes, encoding))
            return *text;
        return typedInputAs(bytes, InputFormat::Escapes, encoding).text;
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

} // namespace PipeScope

#pragma once

// A message's bytes in the forms a person copies them out in.

#include "textencoding.h"

#include <QByteArrayView>
#include <QString>

namespace PipeScope {

enum class CopyFormat {
    Text,   // decoded in the given encoding
    Hex,    // "de ad be ef"
    CArray, // a C array definition, 12 bytes a line
    Base64,
};

// A message's bytes as a person copies them out of PipeScope.
QString formatPayload(QByteArrayView bytes, CopyFormat format,
                      TextEncoding encoding = TextEncoding::Utf8);

} // namespace PipeScope

#pragma once

#include <QByteArrayView>
#include <QList>
#include <QString>

namespace PipeScope {

// What the bytes at an offset read as, the way a hex editor's data
// inspector (Okteta's Decoding Table, 010 Editor's Inspector) says it: each
// integer width signed and unsigned, IEEE floats, and a string behind a
// length prefix — in both byte orders, since a pipe protocol may use
// either (Windows structures little-endian, network-style framing big).
struct InspectedValue
{
    QString type;         // "int16", "uint32", "float64", "string (u16 length)"…
    QString littleEndian; // empty where the bytes end before the value does
    QString bigEndian;    // the same; always empty where order does not apply
    bool ordered = true;  // false for a single byte (and what one byte says)
};

QList<InspectedValue> inspectBytes(QByteArrayView bytes, qsizetype offset);

} // namespace PipeScope

#pragma once

#include <QByteArrayView>
#include <QString>

namespace PipeScope {

// Where every byte of a hex dump goes, with no widget involved:
//   00000010  48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 0a 00 ff  Hello, world!...
// Rows of `bytesPerLine` bytes, an offset column, the hex column (an extra
// space after each group of 8) and the ASCII column. Columns are counted in
// characters of a fixed-width font.
class HexLayout
{
public:
    explicit HexLayout(qsizetype size = 0, int bytesPerLine = 16);

    qsizetype size() const { return m_size; }
    int bytesPerLine() const { return m_bytesPerLine; }
    qsizetype lineCount() const;
    // Digits in the offset column: at least 8, more for payloads over 4 GiB.
    int offsetDigits() const;

    qsizetype lineOf(qsizetype offset) const { return offset / m_bytesPerLine; }
    int columnOf(qsizetype offset) const { return int(offset % m_bytesPerLine); }
    qsizetype offsetAt(qsizetype line, int column) const { return line * m_bytesPerLine + column; }

    // Character positions within a line of text.
    int hexStart() const { return offsetDigits() + 2; }
    int hexCharOf(int column) const;    // first of the byte's two hex digits
    int asciiStart() const;
    int asciiCharOf(int column) const { return asciiStart() + column; }
    int lineWidth() const { return asciiStart() + m_bytesPerLine; }

    // The byte column under character position `x`, or -1 between bytes.
    int columnAtChar(int x) const;

    // One line as text, the bytes taken from `data` (of size()).
    QString lineText(QByteArrayView data, qsizetype line) const;

private:
    qsizetype m_size;
    int m_bytesPerLine;
};

} // namespace PipeScope

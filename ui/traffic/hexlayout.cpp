#include "hexlayout.h"

#include <algorithm>

namespace PipeScope {

namespace {
// Bytes between the extra spaces that group the hex column.
constexpr int kGroup = 8;

char hexDigit(int v)
{
    return "0123456789abcdef"[v & 0xf];
}
} // namespace

HexLayout::HexLayout(qsizetype size, int bytesPerLine)
    : m_size(std::max<qsizetype>(0, size)), m_bytesPerLine(std::max(1, bytesPerLine))
{
}

qsizetype HexLayout::lineCount() const
{
    return (m_size + m_bytesPerLine - 1) / m_bytesPerLine;
}

int HexLayout::offsetDigits() const
{
    int digits = 8;
    for (qsizetype last = m_size > 0 ? m_size - 1 : 0; (last >> (4 * digits)) != 0;)
        ++digits;
    return digits;
}

int HexLayout::hexCharOf(int column) const
{
    return hexStart() + column * 3 + column / kGroup;
}

int HexLayout::asciiStart() const
{
    // After the last byte's two digits and the group spaces, two spaces.
    return hexCharOf(m_bytesPerLine - 1) + 2 + 2;
}

int HexLayout::columnAtChar(int x) const
{
    if (x >= asciiStart() && x < asciiStart() + m_bytesPerLine)
        return x - asciiStart();
    for (int column = 0; column < m_bytesPerLine; ++column) {
        const int start = hexCharOf(column);
        if (x >= start && x < start + 2)
            return column;
    }
    return -1;
}

QString HexLayout::lineText(QByteArrayView data, qsizetype line) const
{
    QString text(lineWidth(), QLatin1Char(' '));
    const qsizetype first = line * m_bytesPerLine;
    const int digits = offsetDigits();
    for (int i = 0; i < digits; ++i)
        text[digits - 1 - i] = QLatin1Char(hexDigit(int(first >> (4 * i))));
    const qsizetype end = std::min(m_size, first + m_bytesPerLine);
    for (qsizetype offset = first; offset < end; ++offset) {
        const int column = int(offset - first);
        const auto byte = static_cast<unsigned char>(data[offset]);
        text[hexCharOf(column)] = QLatin1Char(hexDigit(byte >> 4));
        text[hexCharOf(column) + 1] = QLatin1Char(hexDigit(byte));
        text[asciiCharOf(column)] = (byte >= 0x20 && byte < 0x7f) ? QLatin1Char(char(byte)) : QLatin1Char('.');
    }
    // A short last line ends after its own bytes.
    if (end - first < m_bytesPerLine)
        text.truncate(asciiCharOf(int(end - first)));
    return text;
}

} // namespace PipeScope

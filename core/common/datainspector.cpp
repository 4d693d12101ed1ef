#include "datainspector.h"
#include "payloadpreview.h"

#include <QCoreApplication>
#include <QtEndian>

#include <bit>
#include <charconv>
#include <cstring>
#include <optional>

namespace PipeScope {

namespace {

// A string longer than this is shown cut, with its length said.
constexpr quint64 kStringShown = 64;

template <typename T>
std::optional<T> read(QByteArrayView bytes, qsizetype offset, bool little)
{
    if (offset < 0 || bytes.size() - offset < qsizetype(sizeof(T)))
        return std::nullopt;
    T value;
    std::memcpy(&value, bytes.data() + offset, sizeof(T));
    return little ? qFromLittleEndian(value) : qFromBigEndian(value);
}

template <typename T>
QString integerText(QByteArrayView bytes, qsizetype offset, bool little)
{
    const std::optional<T> value = read<T>(bytes, offset, little);
    return value ? QString::number(*value) : QString();
}

template <typename Float, typename Bits>
QString floatText(QByteArrayView bytes, qsizetype offset, bool little)
{
    const std::optional<Bits> bits = read<Bits>(bytes, offset, little);
    if (!bits)
        return {};
    // The shortest text that reads back as the same value: 0.1f is "0.1",
    // not "0.100000001490116".
    char text[64];
    const auto end = std::to_chars(text, text + sizeof text, std::bit_cast<Float>(*bits)).ptr;
    return QString::fromLatin1(text, end - text);
}

// The bytes after a length prefix, as UTF-8 text: what a length-prefixed
// frame (Netty's LengthFieldBasedFrameDecoder, a .NET BinaryWriter string
// with a fixed-width length) holds.
template <typename Length>
QString prefixedText(QByteArrayView bytes, qsizetype offset, bool little)
{
    const std::optional<Length> length = read<Length>(bytes, offset, little);
    if (!length)
        return {};
    const qsizetype start = offset + qsizetype(sizeof(Length));
    const quint64 left = quint64(bytes.size() - start);
    if (quint64(*length) > left)
        return QCoreApplication::translate("DataInspector", "length %1: %2 bytes left").arg(quint64(*length)).arg(left);
    const qsizetype shown = qsizetype(std::min<quint64>(*length, kStringShown));
    QString text = QLatin1Char('"') + printable(bytes.sliced(start, shown)) + QLatin1Char('"');
    if (quint64(*length) > kStringShown)
        text += QCoreApplication::translate("DataInspector", "… (%1 bytes)").arg(quint64(*length));
    return text;
}

template <typename T>
InspectedValue integer(const char *type, QByteArrayView bytes, qsizetype offset)
{
    return {QString::fromLatin1(type), integerText<T>(bytes, offset, true),
            sizeof(T) == 1 ? QString() : integerText<T>(bytes, offset, false), sizeof(T) > 1};
}

} // namespace

QList<InspectedValue> inspectBytes(QByteArrayView bytes, qsizetype offset)
{
    if (offset < 0 || offset >= bytes.size())
        return {};
    const auto byte = quint8(bytes.at(offset));
    QList<InspectedValue> values = {
        {QStringLiteral("binary"), QStringLiteral("%1").arg(byte, 8, 2, QLatin1Char('0')), {}, false},
        integer<qint8>("int8", bytes, offset),
        integer<quint8>("uint8", bytes, offset),
        integer<qint16>("int16", bytes, offset),
        integer<quint16>("uint16", bytes, offset),
        integer<qint32>("int32", bytes, offset),
        integer<quint32>("uint32", bytes, offset),
        integer<qint64>("int64", bytes, offset),
        integer<quint64>("uint64", bytes, offset),
        {QStringLiteral("float32"), floatText<float, quint32>(bytes, offset, true),
         floatText<float, quint32>(bytes, offset, false)},
        {QStringLiteral("float64"), floatText<double, quint64>(bytes, offset, true),
         floatText<double, quint64>(bytes, offset, false)},
        {QStringLiteral("string (u8 length)"), prefixedText<quint8>(bytes, offset, true), {}, false},
        {QStringLiteral("string (u16 length)"), prefixedText<quint16>(bytes, offset, true),
         prefixedText<quint16>(bytes, offset, false)},
        {QStringLiteral("string (u32 length)"), prefixedText<quint32>(bytes, offset, true),
         prefixedText<quint32>(bytes, offset, false)},
    };
    return values;
}

} // namespace PipeScope

#include "pcapng.h"

#include "payloadpreview.h"

#include <QIODevice>
#include <QRegularExpression>
#include <QtEndian>

#include <algorithm>

namespace PipeScope {

namespace {

// Block types and option codes of the pcapng specification.
constexpr quint32 kSectionHeader = 0x0A0D0D0A;
constexpr quint32 kInterfaceDescription = 1;
constexpr quint32 kEnhancedPacket = 6;
constexpr quint32 kByteOrderMagic = 0x1A2B3C4D;
constexpr quint16 kOptEnd = 0;
constexpr quint16 kOptComment = 1;
constexpr quint16 kShbUserApplication = 4;
constexpr quint16 kIfName = 2;
constexpr quint16 kIfDescription = 3;
constexpr quint16 kIfTsResolution = 9;
constexpr quint16 kEpbFlags = 2;
constexpr quint16 kEpbProcessIdThreadId = 8;
constexpr quint32 kInbound = 1;
constexpr quint32 kOutbound = 2;
// Exported-PDU tags (Wireshark's wsutil/exported_pdu_tlvs.h).
constexpr quint16 kTagEnd = 0;
constexpr quint16 kTagDissectorName = 12;
constexpr quint16 kTagProtocolColumn = 33;

// Little-endian, as this writer's byte-order magic says.
void put16(QByteArray &out, quint16 value)
{
    const quint16 le = qToLittleEndian(value);
    out.append(reinterpret_cast<const char *>(&le), 2);
}

void put32(QByteArray &out, quint32 value)
{
    const quint32 le = qToLittleEndian(value);
    out.append(reinterpret_cast<const char *>(&le), 4);
}

void pad4(QByteArray &out)
{
    out.append((4 - out.size() % 4) % 4, '\0');
}

// An option's length is 16 bits: a longer value (no text PipeScope writes
// is near it) is cut to fit rather than corrupting the block.
constexpr qsizetype kLongestOption = 0xFFFC;

void option(QByteArray &out, quint16 code, const QByteArray &value)
{
    const QByteArrayView fitted = QByteArrayView(value).first(std::min(value.size(), kLongestOption));
    put16(out, code);
    put16(out, quint16(fitted.size()));
    out.append(fitted);
    pad4(out);
}

void endOptions(QByteArray &out)
{
    put16(out, kOptEnd);
    put16(out, 0);
}

// An exported-PDU tag: big-endian type and length; strings padded with
// NULs to four bytes, the padding counted in the length (as Wireshark's
// own exporter writes them).
void tag(QByteArray &out, quint16 type, const QByteArray &value)
{
    QByteArray padded = value;
    padded.append((4 - padded.size() % 4) % 4, '\0');
    const quint16 beType = qToBigEndian(type);
    const quint16 beLength = qToBigEndian(quint16(padded.size()));
    out.append(reinterpret_cast<const char *>(&beType), 2);
    out.append(reinterpret_cast<const char *>(&beLength), 2);
    out.append(padded);
}

// What a connection event says, for a packet comment.
QByteArray commentFor(const TrafficEvent &event)
{
    const QString what = QString::fromLatin1(eventKindName(event.kind));
    const QString text = printable(event.payload);
    return (text.isEmpty() ? what : what + QStringLiteral(": ") + text).toUtf8();
}

} // namespace

PcapngWriter::PcapngWriter(QIODevice *out, QString dissector) : m_out(out), m_dissector(dissector.toUtf8()) {}

bool PcapngWriter::writeBlock(quint32 type, const QByteArray &body)
{
    // Type, total length, body (a multiple of four), total length again.
    QByteArray block;
    const auto total = quint32(12 + body.size());
    block.reserve(qsizetype(total));
    put32(block, type);
    put32(block, total);
    block.append(body);
    put32(block, total);
    m_ok = m_ok && m_out->write(block) == block.size();
    return m_ok;
}

bool PcapngWriter::writeHeader(const QString &application)
{
    QByteArray body;
    put32(body, kByteOrderMagic);
    put16(body, 1); // version 1.0
    put16(body, 0);
    put32(body, 0xFFFFFFFF); // section length: not told
    put32(body, 0xFFFFFFFF);
    option(body, kShbUserApplication, application.toUtf8());
    endOptions(body);
    return writeBlock(kSectionHeader, body);
}

quint32 PcapngWriter::interfaceFor(const TrafficEvent &event, const QString &connection)
{
    const quint64 key = quint64(event.endpoint) << 32 | event.instance;
    if (const auto found = m_interfaces.constFind(key); found != m_interfaces.cend())
        return found.value();
    const auto id = quint32(m_interfaces.size());
    m_interfaces.insert(key, id);
    QByteArray body;
    put16(body, kLinkTypeUpperPdu);
    put16(body, 0);
    put32(body, 0); // no snapshot length
    const QString name = event.instance ? QStringLiteral("%1 #%2").arg(connection).arg(event.instance) : connection;
    option(body, kIfName, name.toUtf8());
    if (event.kind == EventKind::Connected)
        option(body, kIfDescription, printable(event.payload).toUtf8());
    m_senders.insert(key, Senders());
    option(body, kIfTsResolution, QByteArray(1, char(9))); // nanoseconds
    endOptions(body);
    writeBlock(kInterfaceDescription, body);
    return id;
}

void PcapngWriter::learnSenders(const TrafficEvent &event)
{
    // The Connected event's text names the peer ("pid 7, uid …"), or for
    // a monitor both ("client: pid 7, …; server: pid 9, …").
    static const QRegularExpression peer(QStringLiteral("^pid (\\d+)"));
    static const QRegularExpression client(QStringLiteral("^client: pid (\\d+)"));
    static const QRegularExpression server(QStringLiteral("; server: pid (\\d+)"));
    const QString text = QString::fromUtf8(event.payload);
    Senders &senders = m_senders[quint64(event.endpoint) << 32 | event.instance];
    const auto pid = [&](const QRegularExpression &re) {
        const QRegularExpressionMatch m = re.match(text);
        return m.hasMatch() ? m.captured(1).toUInt() : 0u;
    };
    if (const quint32 c = pid(client)) {
        senders.in = c;
        senders.out = pid(server);
    } else {
        senders.in = pid(peer);
        senders.out = 0; // PipeScope itself, whose pid then is not recorded
    }
}

bool PcapngWriter::write(const TrafficEvent &event, const QString &connection)
{
    const quint32 interface = interfaceFor(event, connection);
    if (event.kind == EventKind::Connected)
        learnSenders(event);
    QByteArray packet;
    tag(packet, kTagDissectorName, m_dissector);
    tag(packet, kTagProtocolColumn, QByteArrayLiteral("PIPE"));
    put16(packet, kTagEnd); // zero either way round
    put16(packet, 0);
    if (event.kind == EventKind::Data)
        packet.append(event.payload.data(), event.payload.size());
    QByteArray body;
    body.reserve(packet.size() + 64);
    put32(body, interface);
    const auto ns = quint64(event.timestampNs);
    put32(body, quint32(ns >> 32));
    put32(body, quint32(ns));
    put32(body, quint32(packet.size())); // captured
    put32(body, quint32(packet.size())); // on the wire
    body.append(packet);
    pad4(body);
    if (event.direction != Direction::None) {
        QByteArray flags;
        put32(flags, event.direction == Direction::In ? kInbound : kOutbound);
        option(body, kEpbFlags, flags);
    }
    if (event.kind == EventKind::Data) {
        // The process that sent the message, where the capture knows it.
        const Senders senders = m_senders.value(quint64(event.endpoint) << 32 | event.instance);
        if (const quint32 pid = event.direction == Direction::In ? senders.in : senders.out) {
            QByteArray ids;
            put32(ids, pid);
            put32(ids, 0); // the thread: not known
            option(body, kEpbProcessIdThreadId, ids);
        }
    }
    if (event.kind != EventKind::Data)
        option(body, kOptComment, commentFor(event));
    endOptions(body);
    return writeBlock(kEnhancedPacket, body);
}

} // namespace PipeScope

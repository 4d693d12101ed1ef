#pragma once

// Captured traffic as pcapng (the format Wireshark and tshark read).
//
// One interface per connection (an endpoint's instance, or a client): its
// name is the pipe's ("\\.\pipe\x #2"), its description the peer the
// connection began with. Each event is an Enhanced Packet Block with
// nanosecond timestamps (if_tsresol 9) and the direction in epb_flags
// (inbound: received by PipeScope's endpoint; outbound: sent by it), and
// the sending process in epb_processid_threadid where the capture knows it.
// Payloads travel as LINKTYPE_WIRESHARK_UPPER_PDU (252): exported-PDU tags
// name the dissector ("data" unless told another, so a user's own
// dissector can apply) and the protocol column ("PIPE"), then the bytes
// exactly. Connections, disconnections and errors are packets without
// bytes whose comment says what happened. docs/session-format.md says why
// this layout.

#include "trafficevent.h"

#include <QByteArray>
#include <QHash>
#include <QString>

class QIODevice;

namespace PipeScope {

class PcapngWriter
{
public:
    // `dissector`: the Wireshark dissector the payloads are handed to.
    explicit PcapngWriter(QIODevice *out, QString dissector = QStringLiteral("data"));

    // The Section Header Block; first, once.
    bool writeHeader(const QString &application);
    // One event; `connection` names its endpoint (and is the interface's
    // name with the instance added). False when the device refused.
    bool write(const TrafficEvent &event, const QString &connection);

    static constexpr quint16 kLinkTypeUpperPdu = 252;

private:
    quint32 interfaceFor(const TrafficEvent &event, const QString &connection);
    void learnSenders(const TrafficEvent &event);
    bool writeBlock(quint32 type, const QByteArray &body);

    QIODevice *m_out;
    QByteArray m_dissector;
    QHash<quint64, quint32> m_interfaces; // endpoint << 32 | instance → interface id
    // Per connection: the processes that send what is received ("in") and,
    // for a monitor, what is sent ("out"); 0 when not known.
    struct Senders
    {
        quint32 in = 0;
        quint32 out = 0;
    };
    QHash<quint64, Senders> m_senders;
    bool m_ok = true;
};

} // namespace PipeScope

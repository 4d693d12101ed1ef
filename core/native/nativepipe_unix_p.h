#pragma once

// Named pipes on Unix domain sockets: message type is SOCK_SEQPACKET, byte
// type is SOCK_STREAM (docs/linux-backend.md: how each Win32 behaviour is
// reproduced). What the backend's files share (not part of the API):
// descriptor ownership, socket addresses, peer identity, and a
// connection's state.

#include "nativepipe.h"

#include "connectionbasics_p.h"
#include "deadline_p.h"
#include "messageassembly_p.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace PipeScope::Native {

// What a message socket asks for as its send buffer: more than any system's
// default cap (net.core.wmem_max, 208 KiB on Debian), so it gets the cap.
// That is at least one full framing record plus the kernel's overhead.
inline constexpr int kMaxSendBufferRequest = 64 * 1024 * 1024;
// How far below the send buffer the largest single record stays.
inline constexpr int kRecordMargin = 1024;
// Largest single read in byte mode; more waits for the next read() call.
inline constexpr std::size_t kMaxStreamChunk = 1024 * 1024;
// A byte-mode read asks for at least this much room, more if the sink has it.
inline constexpr std::size_t kMinStreamChunk = 64 * 1024;
// Slice of a blocking connect while every instance is busy, so that a
// cancelled or expired wait is noticed promptly.
inline constexpr int kConnectSliceMs = 50;

// --- Descriptor ownership ----------------------------------------------------

class Fd
{
public:
    Fd() = default;
    explicit Fd(int fd) : m_fd(fd) {}
    ~Fd() { reset(); }
    Fd(Fd &&other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    Fd &operator=(Fd &&other) noexcept
    {
        if (this != &other) {
            reset();
            m_fd = std::exchange(other.m_fd, -1);
        }
        return *this;
    }
    int get() const { return m_fd; }
    bool valid() const { return m_fd >= 0; }
    int release() { return std::exchange(m_fd, -1); }
    void reset()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }

private:
    int m_fd = -1;
};

bool setNonBlocking(int fd);

// --- Sockets ------------------------------------------------------------------

struct SocketAddress
{
    sockaddr_un addr{};
    socklen_t length = 0;
};

SocketAddress socketAddress(const PipeAddress &address);
// True when the kernel (sock_diag) says a socket of this network namespace
// listens on the socket file with this inode; asking does not connect.
// False also when the kernel does not say.
bool knownListening(std::uint64_t fileInode);
int socketType(PipeType type);
// Raises the send buffer as far as the system allows (net.core.wmem_max;
// at least what the user asked for), since it caps the largest message a
// SOCK_SEQPACKET socket carries as one record. Returns the largest record
// it can carry now.
std::size_t raiseSendBuffer(int fd, std::uint32_t requested);

// --- Peer identity -------------------------------------------------------------

std::string userName(uid_t uid);
std::string processName(pid_t pid);
PeerInfo peerInfo(int fd);
// A pipe directory (the PipeScope convention's) must be this user's alone,
// or another user could put a socket there first and answer in its place.
// The server checks it before it listens, a client before it connects.
NativeError checkPrivateDirectory(const std::string &dir, const char *what);
// Whom the server must run as (ClientOptions::serverUser): the user named
// or numbered there; else this user for a PipeScope-convention pipe, whose
// directory is this user's; else anyone (-1).
Result<std::int64_t> requiredServerUid(const ClientOptions &options, const PipeAddress &address);

// --- Connections ---------------------------------------------------------------

struct Connection::Impl : ConnectionBasics
{
    Fd fd;
    bool mayWrite = true; // false on the server side of an inbound pipe

    // Bytes of whole records known to be queued (a lower bound: FIONREAD
    // counts record bytes, and only this connection consumes them).
    std::size_t queuedKnown = 0;

    MessageAssembly partial; // a message whose records are still arriving
    std::vector<char> spill; // the rest of a record larger than the sink's room

    // Records (message type) or byte runs (byte type) the system has not taken.
    std::deque<std::string> pending;
    std::size_t pendingOffset = 0; // into pending.front(), byte type only
    std::size_t pendingBytes = 0;
    // The largest message sent as one record, as a plain SOCK_SEQPACKET
    // program sends and expects it; a larger one is framed (kRecordSize).
    std::size_t maxRecord = kRecordSize;

    bool singleRecord(std::size_t size) const { return size <= maxRecord && size != kRecordSize; }

    bool messageFraming() const { return type == PipeType::Message && readMode == ReadMode::Message; }

    ReadResult readRecord(ByteSink &sink);
    // One record taken off the socket into the sink, after the message's
    // parts so far; or, when there is none to take, what read() returns.
    struct Record
    {
        std::size_t size = 0;  // the record's length
        std::size_t taken = 0; // of it, now in the sink (fewer when cut at the size limit)
        std::optional<ReadResult> stop;
    };
    Record nextRecord(ByteSink &sink);
    // The record when its length is known to fit: one call takes it whole.
    Record takeQueued(ByteSink &sink, std::size_t partialSize);
    // Else: its length learnt with a peek, then as much of it as may be kept.
    Record takeAfterPeek(ByteSink &sink, std::size_t room, std::size_t partialSize);
    ReadResult failure(NativeError error);
    ReadResult readStream(ByteSink &sink);
    // Sends what the socket takes now: `sent` bytes, 0 when it is full. A
    // record is all or nothing, so `taken` tells an empty record sent from
    // one that did not fit.
    NativeError sendOne(const char *data, std::size_t size, std::size_t &sent, bool &taken);
};

// A connected socket as a Connection, its send buffer raised (to at least
// `sendBuffer`); `mayWrite` false for the server of an inbound pipe.
std::unique_ptr<Connection> makeConnection(Fd fd, PipeType type, ReadMode readMode, std::size_t maxMessageSize,
                                           std::string description, std::uint32_t sendBuffer, bool mayWrite = true);

} // namespace PipeScope::Native

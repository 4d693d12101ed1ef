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

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
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
// or numbered there; anyone (-1) for "any"; else this user.
Result<std::int64_t> requiredServerUid(const ClientOptions &options);

// --- Read-ahead ------------------------------------------------------------------

// Records taken off a message socket several at a time (recvmmsg) and held
// for read() (Connection::setReadAhead; docs/linux-backend.md). The kernel
// cuts a record longer than the buffer it is read into, and records may
// arrive while the call runs, so every slot must hold any record the size
// limit lets through: a slot is a small head, packed with the others so
// small records share pages, and a tail of the limit's size in address
// space reserved without memory (MAP_NORESERVE); only the pages a large
// record is written to become memory, and they are given back once more
// than kTailKeep of them are in use.
class ReadAhead
{
public:
    static constexpr std::size_t kMaxRecords = 32;
    static constexpr std::size_t kHead = 2048;
    static constexpr std::size_t kTailSpace = std::size_t(1) << 30; // address space, all tails
    static constexpr std::size_t kTailKeep = std::size_t(4) << 20;

    ReadAhead() = default;
    ~ReadAhead();
    ReadAhead(const ReadAhead &) = delete;
    ReadAhead &operator=(const ReadAhead &) = delete;

    struct Held
    {
        std::size_t size = 0; // the record's length
        bool end = false;     // not a record: the end of the connection
    };
    enum class Fill { Taken, WouldBlock, Failed, Unavailable };
    // Takes what is queued, up to one slot per record. Unavailable: the
    // memory could not be had, or the limit leaves too few slots; the caller
    // reads one record at a time instead. Failed: errno says why.
    Fill fill(int fd, std::size_t maxMessageSize);
    bool holding() const { return m_next < m_count; }
    const Held &front() const { return m_held[m_next]; }
    // Copies the first `bytes` of the front record to `to` and drops it.
    void take(char *to, std::size_t bytes);
    // Bytes of the records still held.
    std::size_t bytes() const;
    void drop() { m_count = m_next = 0; }

private:
    bool reserve(std::size_t maxMessageSize);
    void giveBackTails();

    std::unique_ptr<char[]> m_heads;
    char *m_tails = nullptr;
    std::size_t m_tailSize = 0;
    std::size_t m_slots = 0;
    std::array<std::size_t, kMaxRecords> m_touched{}; // tail bytes written, per slot, since given back
    std::array<Held, kMaxRecords> m_held{};
    std::size_t m_count = 0;
    std::size_t m_next = 0;
};

// --- Connections ---------------------------------------------------------------

struct Connection::Impl : ConnectionBasics
{
    Fd fd;
    bool mayWrite = true; // false on the server side of an inbound pipe

    // Bytes of whole records known to be queued (a lower bound: FIONREAD
    // counts record bytes, and only this connection consumes them).
    std::size_t queuedKnown = 0;

    MessageAssembly partial; // a message whose records are still arriving
    bool readAheadOn = false;
    ReadAhead readAhead;     // records taken, not yet read (readAheadOn)
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
    // With read-ahead: the next record held, taking more when none is.
    std::optional<Record> takeReadAhead(ByteSink &sink, std::size_t room, std::size_t partialSize);
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

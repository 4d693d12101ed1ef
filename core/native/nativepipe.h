#pragma once

#include "nativeerror.h"
#include "pipename.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace PipeScope::Native {

// An fd on Unix, an event HANDLE on Windows: what the Qt layer watches.
using NativeHandle = std::intptr_t;

enum class ReadMode { Byte, Message };
// Which way data flows, seen from the server (PIPE_ACCESS_*).
enum class PipeDirection { Duplex, Inbound, Outbound };
enum class Access {
    CurrentUser, // only the user running the server may connect (the default)
    Default,     // the system's default permissions
};

// PIPE_UNLIMITED_INSTANCES
inline constexpr int kUnlimitedInstances = 255;
inline constexpr int kMaxLimitedInstances = 254;
inline constexpr std::size_t kDefaultMaxMessageSize = std::size_t(64) << 20;

// On a SOCK_SEQPACKET socket a message travels as one record whenever the
// socket can carry it (up to its send buffer, raised as far as the system
// allows: ~416 KiB by default), as any program expects. One longer than
// that — or exactly this size — travels as records of exactly this size
// followed by a shorter closing record (empty if the length is a
// multiple): a reader takes a record of this size as "more follows". The
// size is prime so that it is never a natural buffer size another program
// would happen to send.
inline constexpr std::size_t kRecordSize = 65521;

// On Windows a client reads in parts of this size (a server in parts of its
// input buffer size); a longer message arrives in ERROR_MORE_DATA parts.
inline constexpr std::size_t kClientReadBuffer = 64 * 1024;

// "message" or "byte": the names the command line and session files use.
const char *pipeTypeName(PipeType type);
const char *readModeName(ReadMode mode);
// The reverse; false for any other text ("bytes" is not "byte").
bool parsePipeType(std::string_view text, PipeType &out);
bool parseReadMode(std::string_view text, ReadMode &out);

struct ServerOptions;
// Checks what both platforms refuse, before any system call: instance
// counts out of range, and message read mode on a byte pipe (Windows answers
// that with ERROR_INVALID_PARAMETER).
NativeError validateServerOptions(const ServerOptions &options, const std::string &subject);

// A process holding a pipe's listening end.
struct PipeHolder
{
    std::int64_t pid = -1;
    std::string process;
};

// A listening pipe as the system lists it, with what it tells about it.
struct PipeEntry
{
    std::string name;      // \\.\pipe\NAME, a socket path, or @abstract
    std::optional<PipeType> type; // when the system tells
    // Linux: the socket's owner (kernel 5.3 and later), and the processes
    // holding it among those whose descriptors this user may read.
    std::int64_t uid = -1;
    std::string user;
    std::vector<PipeHolder> holders;
    // Linux: connections waiting to be accepted, and the backlog's room.
    std::optional<std::uint32_t> waiting;
    std::optional<std::uint32_t> backlog;
    // Windows: the pipe's instances now (the directory entry's size).
    std::optional<std::uint32_t> instances;
};

enum class ListDetail
{
    Names,  // names and types (and what comes with them at no cost)
    Owners, // also who holds each: reads every process's descriptors
};

// The pipes that exist now: \\.\pipe\* on Windows; listening Unix domain
// sockets (paths and abstract names) on Linux. Call it off the GUI thread;
// ListDetail::Owners takes a readlink per descriptor on the machine.
Result<std::vector<PipeEntry>> listPipes(ListDetail detail = ListDetail::Names);

// Whether a server listens at `address` now, even with every instance busy.
// Makes no connection: WaitNamedPipeW on Windows (which works where
// listing does not, as under Wine), the listening sockets on Linux.
bool pipeExists(const PipeAddress &address);

struct ServerOptions
{
    Convention convention = Convention::PipeScope;
    PipeDirection direction = PipeDirection::Duplex;
    PipeType type = PipeType::Message;
    ReadMode readMode = ReadMode::Message;
    int maxInstances = kUnlimitedInstances; // 1..254, or kUnlimitedInstances
    std::uint32_t outBufferSize = 4096;     // advisory, as on Windows
    std::uint32_t inBufferSize = 4096;      // advisory, as on Windows
    std::uint32_t defaultTimeoutMs = 50;    // NMPWAIT_USE_DEFAULT_WAIT
    bool firstInstance = false;             // FILE_FLAG_FIRST_PIPE_INSTANCE
    bool rejectRemoteClients = true;        // PIPE_REJECT_REMOTE_CLIENTS
    Access access = Access::CurrentUser;
    std::size_t maxMessageSize = kDefaultMaxMessageSize;
    // Windows: instances added to a pipe another server made, for a
    // monitor that passes each client on to that server by the same name.
    // After an accept no instance listens until rearm(): the monitor's own
    // connection to the name must reach the server's instances, not its own.
    bool sharedName = false;
};

// ClientOptions::serverUser that admits a server of any user.
inline constexpr const char *kAnyServerUser = "any";

struct ClientOptions
{
    Convention convention = Convention::PipeScope;
    std::optional<PipeType> type;     // unset: try message, then byte
    std::optional<ReadMode> readMode; // unset: follows the pipe type
    std::uint32_t waitMs = 5000;      // how long to wait while every instance is busy
    std::size_t maxMessageSize = kDefaultMaxMessageSize;
    // Whom the server must run as: a user name or number (Unix), an
    // account, NAME or DOMAIN\NAME (Windows); kAnyServerUser for anyone.
    // Empty: this user, whatever the name — an abstract name or a Windows
    // pipe name has no owner, and whoever made it first answers. A server
    // of another user is refused once connected, before anything is sent,
    // with who runs it and how to allow them.
    std::string serverUser;
    // Called once, in the connecting thread, when every instance of the
    // pipe is busy and the wait for a free one begins.
    std::function<void()> onBusy;
};

// Who is at the other end.
struct PeerInfo
{
    std::int64_t pid = -1;
    std::int64_t uid = -1; // Unix
    std::string user;
    std::string process;
    std::int64_t sessionId = -1; // Windows
};

// Receives a message's bytes. resize() keeps what is already there and
// returns the start of a buffer of at least `size` bytes. capacity() is how
// large the message may grow before resize() has to move it: a reader uses
// it to receive into all the room there is with one call.
class ByteSink
{
public:
    virtual char *resize(std::size_t size) = 0;
    virtual std::size_t capacity() const = 0;

protected:
    ~ByteSink() = default;
};

// The simplest sink, for tests and plain C++ callers.
class StringSink final : public ByteSink
{
public:
    char *resize(std::size_t size) override
    {
        bytes.resize(size);
        return bytes.data();
    }
    std::size_t capacity() const override { return bytes.capacity(); }
    std::string bytes;
};

enum class ReadStatus {
    Data,       // a whole message (message read mode) or the bytes that arrived (byte mode)
    WouldBlock, // nothing more now; wait for the handle
    Closed,     // the peer closed; `size` bytes of a cut-off message may be in the sink
    Failed,     // see `error`; MessageTooLarge keeps the first maxMessageSize bytes in the sink
};

struct ReadResult
{
    ReadStatus status = ReadStatus::WouldBlock;
    std::size_t size = 0;       // bytes in the sink
    std::uint32_t parts = 0;    // records (Unix) or ERROR_MORE_DATA parts (Windows) it came in
    std::uint64_t fullSize = 0; // the message's real size when it was too large
    NativeError error;
};

// One connected pipe instance, server or client side. Non-blocking: reads
// return WouldBlock and writes queue what the system does not take yet.
// Not thread-safe; one thread uses it at a time.
class Connection
{
public:
    struct Impl;
    explicit Connection(std::unique_ptr<Impl> impl);
    ~Connection();
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    PipeType type() const;
    ReadMode readMode() const;
    const PeerInfo &peer() const;
    std::string description() const; // the pipe's address, for messages

    // Becomes ready when read() may make progress.
    NativeHandle readHandle() const;
    // Becomes ready when flush() may make progress; same as readHandle on Unix.
    NativeHandle writeHandle() const;

    // Reads the next message (message read mode) or the available bytes.
    // A message cut short stays in the sink across WouldBlock results: pass
    // the same sink until Data, Closed or Failed.
    ReadResult read(ByteSink &sink);

    // Sends one message. Whatever the system cannot take now is kept, in
    // order, and sent by flush(). Returns Disconnected once the peer is gone.
    NativeError write(std::string_view data);
    // Sends messages in order, as write() would each, with fewer system
    // calls where the system allows (sendmmsg on Linux). Stops at the first
    // error and returns it; `taken` says how many were sent or queued before.
    NativeError writeMany(std::span<const std::string_view> messages, std::size_t &taken);
    // How many records write() sends a message of `size` bytes as: 1, but
    // on Linux for a message longer than one SOCK_SEQPACKET record can
    // carry (the send buffer, ~416 KiB by default), which is framed.
    std::uint32_t recordsFor(std::size_t size) const;
    NativeError flush();
    bool hasPendingWrites() const;
    std::size_t pendingWriteBytes() const;

    // Lets read() take several messages per system call (recvmmsg on Linux)
    // and hold what it took beyond the message it returns, for the next
    // calls: a bounded read-ahead of a few dozen records, for a reader that
    // reads many small messages (a relay). The handle does not become ready
    // for what is held: a reader that turns this on reads until WouldBlock,
    // or asks hasBufferedInput(), before it waits on readHandle(). Message
    // pipes on Linux only; elsewhere it does nothing.
    void setReadAhead(bool on);
    // Whether read() has something without asking the system.
    bool hasBufferedInput() const;

    // PeekNamedPipe: bytes waiting in the pipe, and what is left of the next
    // message (0 in byte mode), without reading. On Windows this excludes
    // the part PipeScope's own read in flight has already taken.
    struct PeekInfo
    {
        std::size_t bytesAvailable = 0;
        std::size_t messageBytesLeft = 0;
    };
    Result<PeekInfo> peek() const;

    // Blocking helpers for command-line tools and tests.
    bool waitReadable(int timeoutMs);
    bool waitWritable(int timeoutMs);
    NativeError flushBlocking(int timeoutMs);

    // Ends what this side sends and nothing else, as shutdown(SHUT_WR): the
    // peer reads what was sent, then the end of the pipe, and may still
    // answer. Call it once nothing is pending (flush()). Windows pipes have
    // no half-close: Unsupported there, and the caller closes instead.
    NativeError shutdownWrite();

    // FlushFileBuffers, DisconnectNamedPipe, CloseHandle: sends what is
    // pending, waits up to timeoutMs for the peer to read it, then closes.
    void close(int flushTimeoutMs = 1000);
    // The same without CloseHandle on a Windows server instance, which is
    // then handed back with Listener::releaseInstance to be reused; the same
    // as close() everywhere else.
    void disconnect(int flushTimeoutMs = 1000);
    bool isOpen() const;

private:
    friend class Listener;
    std::unique_ptr<Impl> d;
};

// The server side: a pipe name that accepts clients up to maxInstances.
class Listener
{
public:
    struct Impl;
    explicit Listener(std::unique_ptr<Impl> impl);
    ~Listener();
    Listener(const Listener &) = delete;
    Listener &operator=(const Listener &) = delete;

    static Result<std::unique_ptr<Listener>> create(const PipeName &name,
                                                    const ServerOptions &options);

    const PipeAddress &address() const;
    const ServerOptions &options() const;
    NativeHandle handle() const;

    // False while every instance is taken: stop watching the handle until
    // releaseInstance().
    bool accepting() const;
    int activeInstances() const;

    // A connected client, nullptr when none is waiting, or an error for a
    // client that was refused (the listener keeps going).
    Result<std::unique_ptr<Connection>> accept();

    // An accepted connection has ended; its instance is free again. Pass the
    // ended connection (after disconnect()) and on Windows its instance is
    // reused, so the pipe never ceases to exist, not even with max
    // instances 1; without it a new instance is created.
    void releaseInstance(std::shared_ptr<Connection> ended = nullptr);

    // ServerOptions::sharedName: an accepted client has been passed on; a
    // listening instance may be made again once none is still being passed
    // on. Does nothing otherwise.
    void rearm();

    // Stops listening and removes the name (the socket file on Unix).
    void close();

private:
    std::unique_ptr<Impl> d;
};

// The client side: CreateFile, WaitNamedPipe while busy, and the read mode.
// Blocks up to options.waitMs; `cancel` stops the wait early.
Result<std::unique_ptr<Connection>> connectToPipe(const PipeName &name,
                                                  const ClientOptions &options,
                                                  const std::atomic<bool> *cancel = nullptr);

// Waits up to `timeoutMs` for a handle (a listener's, a connection's) to
// become ready; false on time-out.
bool waitHandle(NativeHandle handle, int timeoutMs);

// Whether any of `handles` is ready now; never waits.
bool anyReadyNow(std::span<const NativeHandle> handles);

// How long a relay polls its pipes after passing messages on, before it
// sleeps until the next notification. A thread woken by the system costs
// about 12 µs on Linux here, twice per relayed round trip; polling for a
// moment catches an answer that comes soon without that wake-up
// (docs/benchmarks.md). 0 on Windows: readiness comes from overlapped
// reads there, and polling would only load Wine's server.
int busyPollMicros();

} // namespace PipeScope::Native

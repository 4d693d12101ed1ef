#pragma once

// Named pipes on Win32, with overlapped I/O throughout, following the
// multithreaded pipe server sample and its client. No Qt: cross-built with
// mingw-w64 and tested under Wine. What the backend's files share (not
// part of the API): handle ownership, UTF-8 and UTF-16 names, peer
// identity, and a connection's state.

#include "nativepipe.h"

#include "connectionbasics_p.h"
#include "deadline_p.h"
#include "messageassembly_p.h"

#include <windows.h>

#include <deque>
#include <string>
#include <utility>
#include <vector>

namespace PipeScope::Native {

// A server reads in parts of its input buffer size, as the sample does with
// BUFSIZE.
inline constexpr DWORD kClientReadChunk = DWORD(kClientReadBuffer);
// Slice of WaitNamedPipe, so that a cancelled or expired wait is noticed.
inline constexpr DWORD kWaitSliceMs = 50;

inline std::wstring widen(const std::string &text)
{
    if (text.empty())
        return {};
    const int n = MultiByteToWideChar(CP_UTF8, 0, text.data(), int(text.size()), nullptr, 0);
    std::wstring out(std::size_t(n), L'\0');
    MultiByteToWideChar(CP_UTF8, 0, text.data(), int(text.size()), out.data(), n);
    return out;
}

inline std::string narrow(const std::wstring &text)
{
    if (text.empty())
        return {};
    const int n = WideCharToMultiByte(CP_UTF8, 0, text.data(), int(text.size()), nullptr, 0, nullptr, nullptr);
    std::string out(std::size_t(n), '\0');
    WideCharToMultiByte(CP_UTF8, 0, text.data(), int(text.size()), out.data(), n, nullptr, nullptr);
    return out;
}

// --- Handle ownership ----------------------------------------------------------

class Handle
{
public:
    Handle() = default;
    explicit Handle(HANDLE h) : m_h(h == INVALID_HANDLE_VALUE ? nullptr : h) {}
    ~Handle() { reset(); }
    Handle(Handle &&other) noexcept : m_h(std::exchange(other.m_h, nullptr)) {}
    Handle &operator=(Handle &&other) noexcept
    {
        if (this != &other) {
            reset();
            m_h = std::exchange(other.m_h, nullptr);
        }
        return *this;
    }
    HANDLE get() const { return m_h; }
    bool valid() const { return m_h != nullptr; }
    HANDLE release() { return std::exchange(m_h, nullptr); }
    void reset()
    {
        if (m_h)
            CloseHandle(m_h);
        m_h = nullptr;
    }

private:
    HANDLE m_h = nullptr;
};

inline Handle manualResetEvent(bool signalled = false)
{
    return Handle(CreateEventW(nullptr, TRUE, signalled ? TRUE : FALSE, nullptr));
}

inline bool isDisconnection(DWORD error)
{
    return error == ERROR_BROKEN_PIPE || error == ERROR_NO_DATA || error == ERROR_PIPE_NOT_CONNECTED ||
           error == ERROR_NETNAME_DELETED;
}

// --- Peer identity -------------------------------------------------------------

// The current user's SID as a string, for a DACL that admits only them.
std::wstring currentUserSid();
// This process's account, DOMAIN\NAME; empty if it cannot be told.
std::string currentAccount();
// Who is at the other end of a connected pipe.
PeerInfo peerOf(HANDLE pipe, bool serverSide);

// --- Connections ---------------------------------------------------------------

struct Connection::Impl : ConnectionBasics
{
    Handle pipe;
    bool serverSide = false;

    // One ReadFile is always in flight; its event is the read handle. The
    // OVERLAPPED and the buffer stay put while Windows holds them.
    OVERLAPPED readOv{};
    Handle readEvent = manualResetEvent();
    std::vector<char> readBuffer;
    bool readPending = false;
    DWORD readFailure = ERROR_SUCCESS; // a ReadFile that failed at once
    bool disconnected = false;         // a server instance kept for reuse

    MessageAssembly partial; // a message whose parts are still arriving

    // Writes go out one overlapped WriteFile at a time, in order; each is
    // one message on a message pipe. Its buffer is pending.front().
    OVERLAPPED writeOv{};
    Handle writeEvent = manualResetEvent(true);
    std::deque<std::string> pending;
    std::size_t pendingBytes = 0;
    bool writePending = false;

    void startRead();
    NativeError startWrite();
    void cancelAndWait();
    void endIo(Connection &self, int flushTimeoutMs);
};

// A connected pipe handle as a Connection, with its first read in flight.
std::unique_ptr<Connection> makeConnection(HANDLE pipe, bool serverSide, PipeType type, ReadMode mode,
                                           std::size_t maxMessageSize, std::string description, DWORD readChunk);

} // namespace PipeScope::Native

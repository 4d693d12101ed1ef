// The pipes that exist: \\.\pipe\* as FindFirstFile lists it.
#include "nativepipe_win_p.h"

namespace PipeScope::Native {

// --- Listing ----------------------------------------------------------------

// ListDetail::Owners adds nothing here: who serves a pipe is told only to
// a client connected to it (GetNamedPipeServerProcessId), and listing never
// connects.
Result<std::vector<PipeEntry>> listPipes(ListDetail)
{
    std::vector<PipeEntry> entries;
    WIN32_FIND_DATAW found;
    HANDLE search = FindFirstFileW(L"\\\\.\\pipe\\*", &found);
    if (search == INVALID_HANDLE_VALUE) {
        if (GetLastError() == ERROR_FILE_NOT_FOUND)
            return entries;
        return lastSystemError("FindFirstFileW", "\\\\.\\pipe\\*");
    }
    do {
        PipeEntry entry;
        entry.name = "\\\\.\\pipe\\" + narrow(found.cFileName);
        // The named-pipe file system reports a pipe's current instances as
        // its size (what Sysinternals' PipeList shows).
        entry.instances = found.nFileSizeLow;
        entries.push_back(std::move(entry));
    } while (FindNextFileW(search, &found));
    FindClose(search);
    return entries;
}

bool pipeExists(const PipeAddress &address)
{
    // True at once if an instance is free; a busy pipe times out instead
    // of being not found.
    return WaitNamedPipeW(widen(address.path).c_str(), 1) || GetLastError() != ERROR_FILE_NOT_FOUND;
}

} // namespace PipeScope::Native

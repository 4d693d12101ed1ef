// Ctrl+C as a handle a command can wait on.
#include "nativepipe_win_p.h"

#include "interrupt.h"

#include <algorithm>

namespace PipeScope::Native {

// --- Interrupts -------------------------------------------------------------

namespace {
HANDLE g_interrupt = nullptr;

BOOL WINAPI onConsoleEvent(DWORD)
{
    SetEvent(g_interrupt);
    return TRUE;
}
} // namespace

NativeHandle interruptHandle()
{
    static const HANDLE event = [] {
        g_interrupt = CreateEventW(nullptr, TRUE, FALSE, nullptr);
        SetConsoleCtrlHandler(onConsoleEvent, TRUE);
        return g_interrupt;
    }();
    return event ? NativeHandle(event) : NativeHandle(-1);
}

bool waitHandle(NativeHandle handle, int timeoutMs)
{
    return WaitForSingleObject(reinterpret_cast<HANDLE>(handle), DWORD(timeoutMs)) == WAIT_OBJECT_0;
}

bool anyReadyNow(std::span<const NativeHandle> handles)
{
    HANDLE waited[MAXIMUM_WAIT_OBJECTS];
    const std::size_t count = std::min<std::size_t>(handles.size(), MAXIMUM_WAIT_OBJECTS);
    for (std::size_t i = 0; i < count; ++i)
        waited[i] = reinterpret_cast<HANDLE>(handles[i]);
    const DWORD result = WaitForMultipleObjects(DWORD(count), waited, FALSE, 0);
    return result < WAIT_OBJECT_0 + count;
}

int busyPollMicros()
{
    return 0;
}

} // namespace PipeScope::Native

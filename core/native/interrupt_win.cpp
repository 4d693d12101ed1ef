// Ctrl+C as a handle a command can wait on.
#include "nativepipe_win_p.h"

#include "interrupt.h"

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

} // namespace PipeScope::Native

/* A multithreaded named pipe server written the way Microsoft's sample is:
 * CreateNamedPipe, ConnectNamedPipe, one thread per client answering every
 * request with "Default answer from server", then FlushFileBuffers,
 * DisconnectNamedPipe, CloseHandle. Independent of PipeScope's code.
 * Usage: sample_server PIPENAME */
#define UNICODE
#define _UNICODE
#include <windows.h>
#include <stdio.h>
#include <tchar.h>

#define BUFSIZE 4096

static DWORD WINAPI InstanceThread(LPVOID param)
{
    HANDLE hPipe = (HANDLE)param;
    TCHAR request[BUFSIZE];
    const TCHAR *reply = TEXT("Default answer from server");
    for (;;) {
        DWORD cbBytesRead = 0, cbWritten = 0;
        BOOL fSuccess = ReadFile(hPipe, request, BUFSIZE * sizeof(TCHAR), &cbBytesRead, NULL);
        if (!fSuccess && GetLastError() == ERROR_MORE_DATA)
            continue; /* the sample answers whole requests; parts of a long one are skipped */
        if (!fSuccess || cbBytesRead == 0)
            break;
        DWORD cbReplyBytes = (DWORD)((lstrlen(reply) + 1) * sizeof(TCHAR));
        fSuccess = WriteFile(hPipe, reply, cbReplyBytes, &cbWritten, NULL);
        if (!fSuccess || cbReplyBytes != cbWritten)
            break;
    }
    FlushFileBuffers(hPipe);
    DisconnectNamedPipe(hPipe);
    CloseHandle(hPipe);
    return 0;
}

int wmain(int argc, wchar_t **argv)
{
    if (argc < 2) {
        fwprintf(stderr, L"usage: sample_server PIPENAME\n");
        return 2;
    }
    const wchar_t *lpszPipename = argv[1];
    for (;;) {
        HANDLE hPipe = CreateNamedPipe(lpszPipename, PIPE_ACCESS_DUPLEX,
                                       PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT,
                                       PIPE_UNLIMITED_INSTANCES, BUFSIZE, BUFSIZE, 0, NULL);
        if (hPipe == INVALID_HANDLE_VALUE) {
            fwprintf(stderr, L"CreateNamedPipe failed, GLE=%lu\n", GetLastError());
            return 1;
        }
        BOOL fConnected = ConnectNamedPipe(hPipe, NULL) ? TRUE : (GetLastError() == ERROR_PIPE_CONNECTED);
        if (fConnected) {
            HANDLE hThread = CreateThread(NULL, 0, InstanceThread, (LPVOID)hPipe, 0, NULL);
            if (hThread == NULL) {
                fwprintf(stderr, L"CreateThread failed, GLE=%lu\n", GetLastError());
                return 1;
            }
            CloseHandle(hThread);
        } else {
            CloseHandle(hPipe);
        }
    }
}

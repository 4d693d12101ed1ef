/* A named pipe client written the way Microsoft's sample is: CreateFile,
 * WaitNamedPipe for 20 s while busy, SetNamedPipeHandleState to message
 * mode, WriteFile of (len+1)*sizeof(TCHAR) bytes, ReadFile looping while
 * ERROR_MORE_DATA, CloseHandle. Independent of PipeScope's code.
 * Usage: sample_client PIPENAME [MESSAGE [EXPECTED_REPLY_BYTES [REPEAT]]]
 *        sample_client PIPENAME --flood BYTES   (writes one huge message)
 * Prints "reply: N bytes in P parts"; exits 0 when every reply has the
 * expected size (if given). */
#define UNICODE
#define _UNICODE
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <tchar.h>

#define BUFSIZE 512

int wmain(int argc, wchar_t **argv)
{
    if (argc < 2) {
        fwprintf(stderr, L"usage: sample_client PIPENAME [MESSAGE [EXPECTED_REPLY_BYTES [REPEAT]]]\n");
        return 2;
    }
    const wchar_t *lpszPipename = argv[1];
    HANDLE hPipe;
    for (;;) {
        hPipe = CreateFile(lpszPipename, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        if (hPipe != INVALID_HANDLE_VALUE)
            break;
        if (GetLastError() != ERROR_PIPE_BUSY) {
            fwprintf(stderr, L"Could not open pipe. GLE=%lu\n", GetLastError());
            return 1;
        }
        if (!WaitNamedPipe(lpszPipename, 20000)) {
            fwprintf(stderr, L"Could not open pipe: 20 second wait timed out.\n");
            return 1;
        }
    }
    DWORD dwMode = PIPE_READMODE_MESSAGE;
    if (!SetNamedPipeHandleState(hPipe, &dwMode, NULL, NULL)) {
        fwprintf(stderr, L"SetNamedPipeHandleState failed. GLE=%lu\n", GetLastError());
        return 1;
    }
    if (argc >= 4 && wcscmp(argv[2], L"--flood") == 0) {
        /* One message far larger than the pipe's buffers: WriteFile blocks
         * until the server has read it, or until this process is killed. */
        DWORD size = (DWORD)_wtol(argv[3]);
        char *data = (char *)malloc(size);
        for (DWORD i = 0; i < size; ++i)
            data[i] = (char)(i * 7);
        DWORD written = 0;
        WriteFile(hPipe, data, size, &written, NULL);
        free(data);
        CloseHandle(hPipe);
        return 0;
    }
    const wchar_t *lpvMessage = argc >= 3 ? argv[2] : L"Default message from client.";
    DWORD expected = argc >= 4 ? (DWORD)_wtol(argv[3]) : 0;
    int repeat = argc >= 5 ? _wtoi(argv[4]) : 1;
    int result = 0;
    for (int n = 0; n < repeat; ++n) {
        DWORD cbToWrite = (DWORD)((lstrlen(lpvMessage) + 1) * sizeof(TCHAR));
        DWORD cbWritten = 0;
        if (!WriteFile(hPipe, lpvMessage, cbToWrite, &cbWritten, NULL)) {
            fwprintf(stderr, L"WriteFile to pipe failed. GLE=%lu\n", GetLastError());
            return 1;
        }
        TCHAR chBuf[BUFSIZE];
        DWORD total = 0, parts = 0;
        BOOL fSuccess;
        do {
            DWORD cbRead = 0;
            fSuccess = ReadFile(hPipe, chBuf, BUFSIZE * sizeof(TCHAR), &cbRead, NULL);
            if (!fSuccess && GetLastError() != ERROR_MORE_DATA)
                break;
            total += cbRead;
            ++parts;
        } while (!fSuccess);
        if (!fSuccess) {
            fwprintf(stderr, L"ReadFile from pipe failed. GLE=%lu\n", GetLastError());
            return 1;
        }
        wprintf(L"reply: %lu bytes in %lu parts\n", total, parts);
        if (expected && total != expected)
            result = 1;
    }
    CloseHandle(hPipe);
    return result;
}

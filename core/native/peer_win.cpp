// Who is at the other end of a pipe, and the current user, from process tokens.
#include "nativepipe_win_p.h"

#include <sddl.h>

namespace PipeScope::Native {

namespace {

// The TOKEN_USER of a process (its user's SID), empty if unavailable.
std::vector<char> tokenUser(HANDLE process)
{
    HANDLE token = nullptr;
    if (!OpenProcessToken(process, TOKEN_QUERY, &token))
        return {};
    Handle owned(token);
    DWORD size = 0;
    GetTokenInformation(token, TokenUser, nullptr, 0, &size);
    std::vector<char> buffer(size);
    if (size == 0 || !GetTokenInformation(token, TokenUser, buffer.data(), size, &size))
        return {};
    return buffer;
}

PSID sidOf(std::vector<char> &user)
{
    return reinterpret_cast<TOKEN_USER *>(user.data())->User.Sid;
}

std::string accountOf(HANDLE process)
{
    std::vector<char> user = tokenUser(process);
    if (user.empty())
        return {};
    wchar_t name[256];
    wchar_t domain[256];
    DWORD nameSize = 256, domainSize = 256;
    SID_NAME_USE use;
    if (!LookupAccountSidW(nullptr, sidOf(user), name, &nameSize, domain, &domainSize, &use))
        return {};
    return domainSize ? narrow(domain) + "\\" + narrow(name) : narrow(name);
}

} // namespace

std::string currentAccount()
{
    return accountOf(GetCurrentProcess());
}

// The current user's SID as a string, for a DACL that admits only them.
std::wstring currentUserSid()
{
    std::vector<char> user = tokenUser(GetCurrentProcess());
    LPWSTR text = nullptr;
    if (user.empty() || !ConvertSidToStringSidW(sidOf(user), &text))
        return {};
    std::wstring sid = text;
    LocalFree(text);
    return sid;
}

PeerInfo peerOf(HANDLE pipe, bool serverSide)
{
    PeerInfo info;
    ULONG pid = 0;
    const BOOL known = serverSide ? GetNamedPipeClientProcessId(pipe, &pid)
                                  : GetNamedPipeServerProcessId(pipe, &pid);
    if (!known || pid == 0)
        return info;
    info.pid = std::int64_t(pid);
    DWORD session = 0;
    if (ProcessIdToSessionId(pid, &session))
        info.sessionId = std::int64_t(session);
    Handle process(OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid));
    if (!process.valid())
        return info;
    wchar_t image[MAX_PATH];
    DWORD length = MAX_PATH;
    if (QueryFullProcessImageNameW(process.get(), 0, image, &length)) {
        const std::wstring path(image, length);
        info.process = narrow(path.substr(path.find_last_of(L"\\/") + 1));
    }
    info.user = accountOf(process.get());
    return info;
}

} // namespace PipeScope::Native

#include "pipename.h"

#include <cstdlib>
#include <string>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace PipeScope::Native {

namespace {

// sun_path holds the path and its terminating NUL; the abstract namespace
// uses the same bytes with a leading NUL instead.
constexpr std::size_t kMaxSocketPath = sizeof(sockaddr_un::sun_path) - 1;

std::string environmentDirectory(const char *variable, const char *fallback)
{
    const char *value = std::getenv(variable);
    std::string dir = (value && *value == '/') ? value : fallback;
    while (dir.size() > 1 && dir.back() == '/')
        dir.pop_back();
    return dir;
}

// The PipeScope convention keeps sockets in a private directory so that the
// socket is never reachable by other users, not even for a moment.
std::string pipeScopeDirectory()
{
    const char *runtime = std::getenv("XDG_RUNTIME_DIR");
    if (runtime && *runtime == '/')
        return environmentDirectory("XDG_RUNTIME_DIR", "/tmp") + "/pipescope";
    return environmentDirectory("TMPDIR", "/tmp") + "/pipescope-" + std::to_string(::getuid());
}

NativeError placeError(const PipeName &name, std::string why)
{
    return makeError(ErrorCode::InvalidName, "name", "\"" + name.text + "\"", std::move(why));
}

Result<PipeAddress> checkPath(const PipeName &name, PipeAddress address, bool mustExistDir)
{
    if (address.path.size() > kMaxSocketPath)
        return placeError(name, "the socket path " + address.path + " is " +
                                    std::to_string(address.path.size()) +
                                    " bytes; Unix sockets allow at most " +
                                    std::to_string(kMaxSocketPath));
    if (mustExistDir) {
        const std::string dir = address.path.substr(0, address.path.rfind('/'));
        struct stat st {};
        const std::string probe = dir.empty() ? "/" : dir;
        if (::stat(probe.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
            return makeError(ErrorCode::NotFound, "name", "\"" + name.text + "\"",
                             "the directory " + probe + " does not exist");
    }
    return address;
}

} // namespace

Result<PipeAddress> resolvePipeName(const PipeName &name, Convention convention, Probe probe)
{
    const bool probing = probe == Probe::Directory;
    PipeAddress address;
    switch (name.kind) {
    case PipeName::Kind::Remote:
        return makeError(ErrorCode::Unsupported, "name", "\"" + name.text + "\"",
                         "remote pipe names (\\\\server\\pipe\\NAME) exist only on Windows");
    case PipeName::Kind::Abstract:
        if (name.name.size() > kMaxSocketPath)
            return placeError(name, "the abstract name is " + std::to_string(name.name.size()) +
                                        " bytes; at most " + std::to_string(kMaxSocketPath) +
                                        " fit in a socket address");
        address.path = name.name;
        address.abstract = true;
        return address;
    case PipeName::Kind::Path:
        address.path = name.name;
        address.conventionalType = convention == Convention::PipeScope ? PipeType::Message
                                                                       : PipeType::Byte;
        return checkPath(name, address, probing);
    case PipeName::Kind::Local:
        break;
    }

    if (name.name.find('/') != std::string::npos)
        return placeError(name, "a pipe name may not contain '/' (give an absolute path instead)");
    if (name.name == "." || name.name == "..")
        return placeError(name, "\".\" and \"..\" are not pipe names");

    switch (convention) {
    case Convention::PipeScope:
        address.directory = pipeScopeDirectory();
        address.path = address.directory + "/" + name.name;
        address.conventionalType = PipeType::Message;
        // The directory is the server's to create; a client finds it missing
        // when no server runs, which connect reports.
        return checkPath(name, address, false);
    case Convention::Qt:
        // QLocalServer::listen(name) binds QDir::tempPath() + "/" + name.
        address.path = environmentDirectory("TMPDIR", "/tmp") + "/" + name.name;
        address.conventionalType = PipeType::Byte;
        return checkPath(name, address, probing);
    case Convention::DotNet:
        // .NET: Path.Combine(Path.GetTempPath(), "CoreFxPipe_") + name.
        address.path = environmentDirectory("TMPDIR", "/tmp") + "/CoreFxPipe_" + name.name;
        address.conventionalType = PipeType::Byte;
        return checkPath(name, address, probing);
    }
    return address;
}

std::optional<Convention> findConvention(const PipeName &name)
{
    for (const Convention convention : {Convention::PipeScope, Convention::Qt, Convention::DotNet}) {
        const Result<PipeAddress> address = resolvePipeName(name, convention, Probe::None);
        if (!address || address.value().abstract)
            continue;
        // Something that is neither a file nor a directory: a socket (or a
        // FIFO, which connecting then names).
        struct stat st{};
        if (::stat(address.value().path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
            return convention;
    }
    return std::nullopt;
}

} // namespace PipeScope::Native

#include "pipename.h"

namespace PipeScope::Native {

Result<PipeAddress> resolvePipeName(const PipeName &name, Convention, Probe)
{
    // Qt's QLocalServer and .NET's NamedPipeServerStream both use
    // \\.\pipe\NAME on Windows: the conventions agree here.
    PipeAddress address;
    address.conventionalType = PipeType::Message;
    switch (name.kind) {
    case PipeName::Kind::Local:
        address.path = "\\\\.\\pipe\\" + name.name;
        return address;
    case PipeName::Kind::Remote:
        address.path = "\\\\" + name.server + "\\pipe\\" + name.name;
        return address;
    case PipeName::Kind::Path:
        return makeError(ErrorCode::Unsupported, "name", "\"" + name.text + "\"",
                         "an absolute path names a Unix socket; on Windows use NAME or "
                         "\\\\.\\pipe\\NAME");
    case PipeName::Kind::Abstract:
        return makeError(ErrorCode::Unsupported, "name", "\"" + name.text + "\"",
                         "@NAME is Linux's abstract socket namespace; on Windows use NAME or "
                         "\\\\.\\pipe\\NAME");
    }
    return address;
}

std::optional<Convention> findConvention(const PipeName &)
{
    return std::nullopt;
}

} // namespace PipeScope::Native

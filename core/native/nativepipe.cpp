#include "nativepipe.h"

namespace PipeScope::Native {

const char *pipeTypeName(PipeType type)
{
    return type == PipeType::Message ? "message" : "byte";
}

const char *readModeName(ReadMode mode)
{
    return mode == ReadMode::Message ? "message" : "byte";
}

NativeError validateServerOptions(const ServerOptions &options, const std::string &subject)
{
    if (options.maxInstances < 1 || options.maxInstances > kUnlimitedInstances)
        return makeError(ErrorCode::InvalidParameter, "CreateNamedPipe", subject,
                         "max instances must be 1 to 254, or unlimited (255); got " +
                             std::to_string(options.maxInstances));
    if (options.type == PipeType::Byte && options.readMode == ReadMode::Message)
        return makeError(ErrorCode::InvalidParameter, "CreateNamedPipe", subject,
                         "message read mode needs a message-type pipe (a byte pipe has no "
                         "message boundaries)");
    return {};
}

} // namespace PipeScope::Native

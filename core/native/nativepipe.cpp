#include "nativepipe.h"

#include <chrono>

namespace PipeScope::Native {

namespace {
// Message and byte share their names between types and read modes.
template <typename T>
const char *messageOrByteName(T value)
{
    return value == T::Message ? "message" : "byte";
}

template <typename T>
bool parseMessageOrByte(std::string_view text, T &out)
{
    for (const T value : {T::Message, T::Byte}) {
        if (text == messageOrByteName(value)) {
            out = value;
            return true;
        }
    }
    return false;
}
} // namespace

const char *pipeTypeName(PipeType type)
{
    return messageOrByteName(type);
}

const char *readModeName(ReadMode mode)
{
    return messageOrByteName(mode);
}

bool parsePipeType(std::string_view text, PipeType &out)
{
    return parseMessageOrByte(text, out);
}

bool parseReadMode(std::string_view text, ReadMode &out)
{
    return parseMessageOrByte(text, out);
}

NativeError Connection::flushBlocking(int timeoutMs)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    for (;;) {
        if (NativeError error = flush(); error.isError())
            return error;
        if (!hasPendingWrites())
            return {};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                              deadline - std::chrono::steady_clock::now())
                              .count();
        if (left <= 0)
            return makeError(ErrorCode::TimedOut, "write", description(),
                             "the peer did not read " + std::to_string(pendingWriteBytes()) +
                                 " pending bytes in " + std::to_string(timeoutMs) + " ms");
        waitWritable(int(left));
    }
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

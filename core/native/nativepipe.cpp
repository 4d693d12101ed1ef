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

} // namespace PipeScope::Native

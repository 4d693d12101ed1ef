#include "descriptors.h"

#include <climits>

namespace PipeScope::Native {

void raiseDescriptorLimit() {}

long descriptorHeadroom()
{
    return LONG_MAX;
}

} // namespace PipeScope::Native

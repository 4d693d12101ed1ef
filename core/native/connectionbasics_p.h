#pragma once

// What a connection knows about itself the same way on every backend; each
// backend's Connection::Impl derives from it, and connection.cpp answers
// from it for both.

#include "nativepipe.h"

#include <cstddef>
#include <string>

namespace PipeScope::Native {

struct ConnectionBasics
{
    PipeType type = PipeType::Message;
    ReadMode readMode = ReadMode::Message;
    std::size_t maxMessageSize = kDefaultMaxMessageSize;
    PeerInfo peer;
    std::string description;
};

// The backend's part (connection_unix.cpp, connection_win.cpp).
const ConnectionBasics &basicsOf(const Connection::Impl &impl);

} // namespace PipeScope::Native

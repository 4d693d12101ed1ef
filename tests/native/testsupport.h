#pragma once

#include "nativepipe.h"

#include <memory>
#include <string>

namespace PipeScopeTest {

using namespace PipeScope::Native;

void setUpPrivateRuntimeDirectory();
void tearDownPrivateRuntimeDirectory();
std::string privateDirectory();

// A pipe name no other test uses, so tests may run in parallel.
std::string uniqueName(const char *tag);

std::unique_ptr<Listener> listen(const std::string &name, const ServerOptions &options = {});
std::unique_ptr<Connection> connectTo(const std::string &name, const ClientOptions &options = {});
// Waits up to timeoutMs for the listener to hand over a connection.
std::unique_ptr<Connection> acceptOne(Listener &listener, int timeoutMs = 5000);

// Reads until the connection yields something other than WouldBlock.
ReadResult readBlocking(Connection &connection, StringSink &sink, int timeoutMs = 5000);

std::string patternBytes(std::size_t size, unsigned seed = 1);

} // namespace PipeScopeTest

namespace PipeScopeTest {
std::int64_t currentProcessId();
// How many parts a message of `size` bytes from `sender` arrives in on
// this platform, for a reader whose buffer is `readChunk` bytes.
std::uint32_t expectedParts(const Connection &sender, std::size_t size, std::size_t readChunk);
} // namespace PipeScopeTest

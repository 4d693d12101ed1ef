#include "testsupport.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#ifdef _WIN32
#include <windows.h>
#else
#include <unistd.h>
#endif

namespace PipeScopeTest {

namespace {
std::string g_directory;
std::atomic<int> g_counter{0};
} // namespace

void setUpPrivateRuntimeDirectory()
{
#ifdef _WIN32
    // Windows pipes live in one machine-wide namespace: unique names suffice.
    g_directory.clear();
#else
    char pattern[] = "/tmp/pstest-XXXXXX";
    const char *dir = ::mkdtemp(pattern);
    g_directory = dir ? dir : "/tmp";
    ::setenv("XDG_RUNTIME_DIR", g_directory.c_str(), 1);
    ::setenv("TMPDIR", g_directory.c_str(), 1);
#endif
}

void tearDownPrivateRuntimeDirectory()
{
    std::error_code ignored;
    if (!g_directory.empty())
        std::filesystem::remove_all(g_directory, ignored);
}

std::string privateDirectory() { return g_directory; }

std::string uniqueName(const char *tag)
{
    return std::string("t") + std::to_string(currentProcessId()) + "-" + std::to_string(++g_counter) + "-" + tag;
}

std::unique_ptr<Listener> listen(const std::string &name, const ServerOptions &options)
{
    auto parsed = PipeName::parse(name);
    REQUIRE_MESSAGE(parsed.ok(), parsed.error().message());
    auto listener = Listener::create(parsed.value(), options);
    REQUIRE_MESSAGE(listener.ok(), listener.error().message());
    return std::move(listener.value());
}

std::unique_ptr<Connection> connectTo(const std::string &name, const ClientOptions &options)
{
    auto parsed = PipeName::parse(name);
    REQUIRE_MESSAGE(parsed.ok(), parsed.error().message());
    auto connection = connectToPipe(parsed.value(), options);
    REQUIRE_MESSAGE(connection.ok(), connection.error().message());
    return std::move(connection.value());
}

std::unique_ptr<Connection> acceptOne(Listener &listener, int timeoutMs)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < deadline) {
        auto accepted = listener.accept();
        REQUIRE_MESSAGE(accepted.ok(), accepted.error().message());
        if (accepted.value())
            return std::move(accepted.value());
        waitHandle(listener.handle(), 50);
    }
    FAIL("no client arrived within " << timeoutMs << " ms");
    return nullptr;
}

ReadResult readBlocking(Connection &connection, StringSink &sink, int timeoutMs)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    for (;;) {
        ReadResult result = connection.read(sink);
        if (result.status != ReadStatus::WouldBlock)
            return result;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return result;
        connection.waitReadable(int(left.count()));
    }
}

std::string patternBytes(std::size_t size, unsigned seed)
{
    std::string out(size, '\0');
    unsigned x = seed * 2654435761u + 1;
    for (auto &c : out) {
        x = x * 1664525u + 1013904223u;
        c = char(x >> 24);
    }
    return out;
}

} // namespace PipeScopeTest

namespace PipeScopeTest {
std::int64_t currentProcessId()
{
#ifdef _WIN32
    return std::int64_t(GetCurrentProcessId());
#else
    return ::getpid();
#endif
}

std::uint32_t expectedParts(const Connection &sender, std::size_t size, std::size_t readChunk)
{
#ifdef _WIN32
    // ERROR_MORE_DATA parts: one per read buffer the message fills.
    (void)sender;
    return std::uint32_t(size == 0 ? 1 : (size + readChunk - 1) / readChunk);
#else
    // Records: one while the sender's socket carries it, else full ones of
    // kRecordSize and a shorter closing one.
    (void)readChunk;
    return sender.recordsFor(size);
#endif
}
} // namespace PipeScopeTest

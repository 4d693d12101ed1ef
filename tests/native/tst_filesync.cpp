#include <doctest/doctest.h>

#include "filesync.h"

#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <string>

#if defined(_WIN32)
#include <io.h>
#else
#include <unistd.h>
#endif

using namespace PipeScope::Native;

namespace {

#if defined(_WIN32)
int openForWriting(const std::string &path) { return ::_open(path.c_str(), _O_WRONLY | _O_CREAT | _O_TRUNC | _O_BINARY, 0600); }
int writeSome(int fd, const char *bytes, unsigned n) { return ::_write(fd, bytes, n); }
void closeFile(int fd) { ::_close(fd); }
#else
int openForWriting(const std::string &path) { return ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600); }
int writeSome(int fd, const char *bytes, unsigned n) { return int(::write(fd, bytes, n)); }
void closeFile(int fd) { ::close(fd); }
#endif

} // namespace

TEST_CASE("what was written to a file is synced to the disk")
{
    const std::filesystem::path path = std::filesystem::temp_directory_path() / "pipescope-filesync-test.bin";
    const int fd = openForWriting(path.string());
    REQUIRE(fd >= 0);
    const char line[] = "{\"t\":1,\"e\":1,\"dir\":\"in\",\"text\":\"kept\"}\n";
    REQUIRE(writeSome(fd, line, sizeof line - 1) == int(sizeof line - 1));
    const NativeError synced = syncToDisk(fd);
    CHECK_MESSAGE(!synced.isError(), synced.message());
    closeFile(fd);
    CHECK(std::filesystem::file_size(path) == sizeof line - 1);
    std::filesystem::remove(path);
}

#if !defined(_WIN32)
// (On Windows a bad descriptor is the C runtime's to report, through its
// invalid-parameter handler, before the sync is reached.)
TEST_CASE("syncing a descriptor that is not open names the call and the reason")
{
    const NativeError error = syncToDisk(-1);
    REQUIRE(error.isError());
    CHECK(error.function == "fdatasync");
    CHECK(error.message().find("EBADF") != std::string::npos);
}
#endif

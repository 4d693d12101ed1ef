// Unix-only behaviour: socket files, permissions, conventions, raw peers.
#include <doctest/doctest.h>

#include "testsupport.h"

#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace PipeScopeTest;

namespace {

std::string pathIn(const char *tag)
{
    return privateDirectory() + "/" + uniqueName(tag);
}

int rawConnect(const std::string &path, int type)
{
    const int fd = ::socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    REQUIRE_MESSAGE(::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0,
                    std::strerror(errno));
    return fd;
}

// A plain SOCK_SEQPACKET program connected to a PipeScope server on a path
// of its own, its send buffer raised so that one record carries a large
// message.
struct RawClient
{
    std::unique_ptr<Listener> listener;
    int fd = -1;
    std::unique_ptr<Connection> server;
};

RawClient rawClientOf(const char *tag, const ServerOptions &options = {})
{
    const std::string path = pathIn(tag);
    RawClient raw;
    raw.listener = listen(path, options);
    raw.fd = rawConnect(path, SOCK_SEQPACKET);
    const int sendBuffer = 1 << 20;
    REQUIRE(::setsockopt(raw.fd, SOL_SOCKET, SO_SNDBUF, &sendBuffer, sizeof sendBuffer) == 0);
    raw.server = acceptOne(*raw.listener);
    return raw;
}

mode_t modeOf(const std::string &path)
{
    struct stat st {};
    REQUIRE(::lstat(path.c_str(), &st) == 0);
    return st.st_mode;
}

} // namespace

TEST_CASE("conventions place names where Qt and .NET put them")
{
    auto parsed = PipeName::parse("svc").value();
    auto pipescope = resolvePipeName(parsed, Convention::PipeScope);
    auto qt = resolvePipeName(parsed, Convention::Qt);
    auto dotnet = resolvePipeName(parsed, Convention::DotNet);
    REQUIRE(pipescope.ok());
    REQUIRE(qt.ok());
    REQUIRE(dotnet.ok());
    CHECK(pipescope.value().path == privateDirectory() + "/pipescope/svc");
    CHECK(pipescope.value().conventionalType == PipeType::Message);
    CHECK(qt.value().path == privateDirectory() + "/svc");
    CHECK(qt.value().conventionalType == PipeType::Byte);
    CHECK(dotnet.value().path == privateDirectory() + "/CoreFxPipe_svc");
    CHECK(dotnet.value().conventionalType == PipeType::Byte);

    auto windowsStyle = PipeName::parse(R"(\\.\pipe\svc)").value();
    CHECK(resolvePipeName(windowsStyle, Convention::Qt).value().path == qt.value().path);
}

TEST_CASE("names that cannot become sockets here are refused with the reason")
{
    struct Row
    {
        std::string text;
        Convention convention;
        ErrorCode code;
        const char *why;
    };
    const Row rows[] = {
        {"/no/such/directory/pipe", Convention::PipeScope, ErrorCode::NotFound, "does not exist"},
        {"/tmp/" + std::string(120, 'p'), Convention::PipeScope, ErrorCode::InvalidName, "at most 107"},
        {"@" + std::string(120, 'a'), Convention::PipeScope, ErrorCode::InvalidName, "at most 107"},
        {std::string(110, 'q'), Convention::Qt, ErrorCode::InvalidName, "at most 107"},
        {"sub/name", Convention::PipeScope, ErrorCode::InvalidName, "'/'"},
        {"..", Convention::Qt, ErrorCode::InvalidName, "not pipe names"},
        {R"(\\server\pipe\x)", Convention::PipeScope, ErrorCode::Unsupported, "only on Windows"},
    };
    for (const Row &row : rows) {
        CAPTURE(row.text);
        auto parsed = PipeName::parse(row.text);
        REQUIRE_MESSAGE(parsed.ok(), parsed.error().message());
        auto resolved = resolvePipeName(parsed.value(), row.convention);
        REQUIRE_FALSE(resolved.ok());
        CHECK(resolved.error().code == row.code);
        CHECK_MESSAGE(resolved.error().message().find(row.why) != std::string::npos,
                      resolved.error().message());
        // The server and the client refuse it the same way.
        ServerOptions options;
        options.convention = row.convention;
        CHECK(Listener::create(parsed.value(), options).error().code == row.code);
    }
}

TEST_CASE("sockets are user-only from the moment they exist")
{
    const std::string name = uniqueName("perm");
    auto listener = listen(name);
    CHECK((modeOf(listener->address().path) & 0777) == 0600);
    CHECK(S_ISSOCK(modeOf(listener->address().path)));
    CHECK((modeOf(listener->address().directory) & 0777) == 0700);

    const std::string path = pathIn("perm-path");
    ServerOptions qtLike;
    qtLike.type = PipeType::Byte;
    qtLike.readMode = ReadMode::Byte;
    auto pathListener = listen(path, qtLike);
    CHECK((modeOf(path) & 0777) == 0600);
}

TEST_CASE("a pipe directory open to others is refused")
{
    const std::string base = pathIn("opendir");
    REQUIRE(::mkdir(base.c_str(), 0700) == 0);
    REQUIRE(::mkdir((base + "/pipescope").c_str(), 0777) == 0);
    REQUIRE(::chmod((base + "/pipescope").c_str(), 0777) == 0);
    ::setenv("XDG_RUNTIME_DIR", base.c_str(), 1);
    auto result = Listener::create(PipeName::parse("x").value(), {});
    ::setenv("XDG_RUNTIME_DIR", privateDirectory().c_str(), 1);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::AccessDenied);
    CHECK_MESSAGE(result.error().message().find("0700") != std::string::npos,
                  result.error().message());
}

TEST_CASE("a stale socket file is replaced; a live one is not")
{
    const std::string path = pathIn("stale");
    {
        // A server that died without removing its socket.
        const int fd = ::socket(AF_UNIX, SOCK_SEQPACKET, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
        REQUIRE(::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0);
        ::close(fd);
    }
    REQUIRE(S_ISSOCK(modeOf(path)));
    auto listener = listen(path);
    auto client = connectTo(path);
    auto server = acceptOne(*listener);
    REQUIRE_FALSE(client->write("alive").isError());
    StringSink sink;
    REQUIRE(readBlocking(*server, sink).status == ReadStatus::Data);
    CHECK(sink.bytes == "alive");

    auto second = Listener::create(PipeName::parse(path).value(), {});
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().code == ErrorCode::AddressInUse);
    CHECK(S_ISSOCK(modeOf(path))); // the live server's socket is still there

    listener->close();
    struct stat st {};
    CHECK(::lstat(path.c_str(), &st) != 0); // closing removes our socket file
}

TEST_CASE("finding a name in use does not connect to its server")
{
    // The kernel says the socket listens: no probe connection reaches the
    // server, which would otherwise log a client that never was.
    const std::string path = pathIn("in-use");
    auto listener = listen(path);
    auto second = Listener::create(PipeName::parse(path).value(), {});
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().code == ErrorCode::AddressInUse);
    auto pending = listener->accept();
    REQUIRE(pending.ok());
    CHECK(pending.value() == nullptr);
}

TEST_CASE("a file that is not a socket is never touched")
{
    const std::string path = pathIn("regular");
    {
        std::ofstream out(path);
        out << "precious";
    }
    auto result = Listener::create(PipeName::parse(path).value(), {});
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::PathOccupied);
    CHECK_MESSAGE(result.error().message().find("not a socket") != std::string::npos,
                  result.error().message());
    std::ifstream in(path);
    std::string content;
    in >> content;
    CHECK(content == "precious");
}

TEST_CASE("the abstract namespace works and refuses a second server")
{
    const std::string name = "@" + uniqueName("abstract");
    auto listener = listen(name);
    auto client = connectTo(name);
    auto server = acceptOne(*listener);
    REQUIRE_FALSE(server->write("from server").isError());
    StringSink sink;
    REQUIRE(readBlocking(*client, sink).status == ReadStatus::Data);
    CHECK(sink.bytes == "from server");
    auto second = Listener::create(PipeName::parse(name).value(), {});
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().code == ErrorCode::AddressInUse);
}

TEST_CASE("plain AF_UNIX clients talk to a PipeScope server")
{
    SUBCASE("seqpacket: every record is a message")
    {
        const std::string path = pathIn("raw-seq");
        auto listener = listen(path);
        const int fd = rawConnect(path, SOCK_SEQPACKET);
        auto server = acceptOne(*listener);
        REQUIRE(::send(fd, "first", 5, 0) == 5);
        REQUIRE(::send(fd, "", 0, 0) == 0);
        REQUIRE(::send(fd, "third", 5, 0) == 5);
        for (const char *expected : {"first", "", "third"}) {
            StringSink sink;
            REQUIRE(readBlocking(*server, sink).status == ReadStatus::Data);
            CHECK(sink.bytes == expected);
        }
        REQUIRE_FALSE(server->write("reply").isError());
        char buffer[16];
        CHECK(::recv(fd, buffer, sizeof buffer, 0) == 5);
        CHECK(std::string(buffer, 5) == "reply");
        ::close(fd);
        StringSink sink;
        CHECK(readBlocking(*server, sink).status == ReadStatus::Closed);
    }
    SUBCASE("seqpacket: a record larger than PipeScope's own records arrives whole")
    {
        // A foreign sender may put a whole large message in one record;
        // it is read in one part, behind a small record queued before it.
        const RawClient raw = rawClientOf("raw-big");
        const int fd = raw.fd;
        Connection *server = raw.server.get();
        std::string big(200000, '\0');
        for (std::size_t i = 0; i < big.size(); ++i)
            big[i] = char(i * 7 % 251);
        REQUIRE(::send(fd, "small", 5, 0) == 5);
        REQUIRE(::send(fd, big.data(), big.size(), 0) == ssize_t(big.size()));
        StringSink first;
        REQUIRE(readBlocking(*server, first).status == ReadStatus::Data);
        CHECK(first.bytes == "small");
        StringSink second;
        const ReadResult result = readBlocking(*server, second);
        REQUIRE(result.status == ReadStatus::Data);
        CHECK(result.parts == 1);
        CHECK(second.bytes.size() == big.size());
        CHECK(second.bytes == big);
        // And what PipeScope sends back is one record too, as such a
        // program expects: not PipeScope's framing of 65521-byte records.
        REQUIRE(server->recordsFor(big.size()) == 1);
        REQUIRE_FALSE(server->write(big).isError());
        REQUIRE_FALSE(server->flushBlocking(5000).isError());
        std::string back(big.size() + 1, '\0');
        CHECK(::recv(fd, back.data(), back.size(), MSG_TRUNC) == ssize_t(big.size()));
        back.resize(big.size());
        CHECK(back == big);
        // Larger than the socket can carry at once: framed, and it says so.
        int sent = 0;
        socklen_t length = sizeof sent;
        REQUIRE(::getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sent, &length) == 0);
        CHECK(server->recordsFor(std::size_t(64) << 20) == (std::size_t(64) << 20) / kRecordSize + 1);
        CHECK(server->recordsFor(kRecordSize) == 2); // a reader would take it for a first part
        ::close(fd);
    }
    SUBCASE("stream: bytes in, bytes out")
    {
        const std::string path = pathIn("raw-stream");
        ServerOptions options;
        options.type = PipeType::Byte;
        options.readMode = ReadMode::Byte;
        auto listener = listen(path, options);
        const int fd = rawConnect(path, SOCK_STREAM);
        auto server = acceptOne(*listener);
        REQUIRE(::send(fd, "stream bytes", 12, 0) == 12);
        std::string got;
        while (got.size() < 12) {
            StringSink sink;
            REQUIRE(readBlocking(*server, sink).status == ReadStatus::Data);
            got += sink.bytes;
        }
        CHECK(got == "stream bytes");
        ::close(fd);
    }
}

TEST_CASE("read-ahead: held records are read without waiting, peeked, and kept whole")
{
    const RawClient raw = rawClientOf("readahead-raw");
    const int fd = raw.fd;
    Connection *server = raw.server.get();
    server->setReadAhead(true);

    // A foreign sender's large record behind small and empty ones: one
    // recvmmsg takes them all, the large one into its slot's tail.
    const std::string big = patternBytes(200000, 5);
    REQUIRE(::send(fd, "one", 3, 0) == 3);
    REQUIRE(::send(fd, "", 0, 0) == 0);
    REQUIRE(::send(fd, big.data(), big.size(), 0) == ssize_t(big.size()));
    REQUIRE(::send(fd, "four", 4, 0) == 4);
    REQUIRE(server->waitReadable(5000));
    StringSink first;
    REQUIRE(server->read(first).status == ReadStatus::Data);
    CHECK(first.bytes == "one");

    // The socket is empty now; the rest is held, and says so.
    pollfd polled{int(server->readHandle()), POLLIN, 0};
    CHECK(::poll(&polled, 1, 0) == 0);
    CHECK(server->hasBufferedInput());
    CHECK(server->waitReadable(0));
    const auto peeked = server->peek();
    REQUIRE(peeked.ok());
    CHECK(peeked.value().bytesAvailable == big.size() + 4);
    CHECK(peeked.value().messageBytesLeft == 0); // the empty message is next

    for (const std::string &expected : {std::string(), big, std::string("four")}) {
        StringSink sink;
        const ReadResult r = server->read(sink);
        REQUIRE(r.status == ReadStatus::Data);
        CHECK(r.parts == 1);
        CHECK(sink.bytes == expected);
    }
    CHECK_FALSE(server->hasBufferedInput());
    StringSink none;
    CHECK(server->read(none).status == ReadStatus::WouldBlock);

    // A message framed in full records, then the end, in one batch.
    const std::string framed = patternBytes(3 * kRecordSize + 10, 6);
    for (std::size_t at = 0; at < framed.size(); at += kRecordSize) {
        const std::size_t part = std::min(kRecordSize, framed.size() - at);
        REQUIRE(::send(fd, framed.data() + at, part, 0) == ssize_t(part));
    }
    ::close(fd);
    StringSink joined;
    const ReadResult r = readBlocking(*server, joined);
    REQUIRE(r.status == ReadStatus::Data);
    CHECK(r.parts == 4);
    CHECK(joined.bytes == framed);
    StringSink end;
    CHECK(readBlocking(*server, end).status == ReadStatus::Closed);
    CHECK(server->hasBufferedInput()); // the end is held too: every read returns it at once
    CHECK(server->read(end).status == ReadStatus::Closed);
}

TEST_CASE("read-ahead under a limit smaller than a slot's head cuts at the limit, as a plain read does")
{
    ServerOptions options;
    options.maxMessageSize = 1000; // no tails: every slot is a 2 KiB head
    const RawClient raw = rawClientOf("readahead-small", options);
    const int fd = raw.fd;
    Connection *server = raw.server.get();
    server->setReadAhead(true);
    const std::string over = patternBytes(5000, 7); // larger than the head too
    REQUIRE(::send(fd, over.data(), over.size(), 0) == ssize_t(over.size()));
    REQUIRE(::send(fd, "next", 4, 0) == 4);
    StringSink cut;
    const ReadResult r = readBlocking(*server, cut);
    REQUIRE(r.status == ReadStatus::Failed);
    CHECK(r.error.code == ErrorCode::MessageTooLarge);
    CHECK(r.fullSize == over.size());
    CHECK(cut.bytes == over.substr(0, options.maxMessageSize));
    StringSink next;
    REQUIRE(readBlocking(*server, next).status == ReadStatus::Data);
    CHECK(next.bytes == "next");
    ::close(fd);
}

TEST_CASE("a peer killed mid-message: the part that arrived is kept and the end is reported")
{
    const std::string path = pathIn("killed");
    auto listener = listen(path);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // Announce a long message (a full record means more follows), then die.
        const int fd = ::socket(AF_UNIX, SOCK_SEQPACKET, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
        if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0)
            ::_exit(1);
        const std::string part = patternBytes(kRecordSize, 9);
        if (::send(fd, part.data(), part.size(), 0) != ssize_t(part.size()))
            ::_exit(1);
        ::raise(SIGKILL);
    }
    auto server = acceptOne(*listener);
    int status = 0;
    ::waitpid(child, &status, 0);
    REQUIRE(WIFSIGNALED(status));
    StringSink sink;
    const ReadResult r = readBlocking(*server, sink);
    REQUIRE(r.status == ReadStatus::Closed);
    CHECK(r.size == kRecordSize);
    CHECK(r.parts == 1);
    CHECK(sink.bytes == patternBytes(kRecordSize, 9));
}

// Connecting as another user needs root to switch users: without it the
// case is skipped, and doctest counts it as skipped (CI runs as root).
TEST_CASE("a pipe for the current user refuses other users' clients" *
          doctest::description("needs root, to connect as another user") * doctest::skip(::geteuid() != 0))
{
    const std::string name = "@" + uniqueName("otheruser");
    auto listener = listen(name);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        if (::setuid(65534) != 0)
            ::_exit(2);
        const int fd = ::socket(AF_UNIX, SOCK_SEQPACKET, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::memcpy(addr.sun_path + 1, name.data() + 1, name.size() - 1);
        const socklen_t len = socklen_t(offsetof(sockaddr_un, sun_path) + name.size());
        ::_exit(::connect(fd, reinterpret_cast<sockaddr *>(&addr), len) == 0 ? 0 : 1);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    REQUIRE(WEXITSTATUS(status) == 0);
    Result<std::unique_ptr<Connection>> accepted = std::unique_ptr<Connection>();
    for (int i = 0; i < 100; ++i) {
        accepted = listener->accept();
        if (!accepted.ok() || accepted.value())
            break;
        waitHandle(listener->handle(), 50);
    }
    REQUIRE_FALSE(accepted.ok());
    CHECK(accepted.error().code == ErrorCode::AccessDenied);
    CHECK_MESSAGE(accepted.error().message().find("uid 65534") != std::string::npos,
                  accepted.error().message());
    CHECK(listener->activeInstances() == 0);
}

TEST_CASE("listing finds listening pipes with their types")
{
    const std::string message = pathIn("listed-msg");
    const std::string abstractName = "@" + uniqueName("listed-abstract");
    ServerOptions byteOptions;
    byteOptions.type = PipeType::Byte;
    byteOptions.readMode = ReadMode::Byte;
    auto a = listen(message);
    auto b = listen(abstractName, byteOptions);
    auto listed = listPipes();
    REQUIRE_MESSAGE(listed.ok(), listed.error().message());
    bool sawMessage = false, sawAbstract = false;
    for (const PipeEntry &e : listed.value()) {
        if (e.name == message) {
            sawMessage = true;
            CHECK(e.type == PipeType::Message);
        }
        if (e.name == abstractName) {
            sawAbstract = true;
            CHECK(e.type == PipeType::Byte);
        }
    }
    CHECK(sawMessage);
    CHECK(sawAbstract);
}

TEST_CASE("error messages name the call, the subject, the reason and the errno")
{
    const NativeError e = systemError(ECONNREFUSED, "connect", "/tmp/x");
    CHECK(e.code == ErrorCode::ConnectionRefused);
    CHECK(e.message() == "connect /tmp/x: Connection refused (ECONNREFUSED)");
    CHECK(systemError(ENOENT, "connect").code == ErrorCode::NotFound);
    CHECK(systemError(EAGAIN, "connect").code == ErrorCode::Busy);
    CHECK(systemError(EPIPE, "send").code == ErrorCode::Disconnected);
    CHECK(systemError(EPROTOTYPE, "connect").code == ErrorCode::WrongPipeType);
    CHECK(systemError(EACCES, "connect").code == ErrorCode::AccessDenied);
}

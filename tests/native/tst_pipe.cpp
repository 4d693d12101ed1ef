// Behaviour every backend must show: the same tests run natively on Linux
// and, built with mingw-w64, under Wine.
#include <doctest/doctest.h>

#include "testsupport.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <span>
#include <thread>
#include <tuple>
#include <vector>

using namespace PipeScopeTest;

TEST_CASE("message boundaries hold in both directions")
{
    const std::string name = uniqueName("boundaries");
    auto listener = listen(name);
    auto client = connectTo(name);
    auto server = acceptOne(*listener);
    CHECK(client->type() == PipeType::Message);
    CHECK(client->readMode() == ReadMode::Message);

    const std::vector<std::string> messages = {"one", "", "three three", std::string(5000, 'z')};
    for (const auto &m : messages)
        REQUIRE_FALSE(client->write(m).isError());
    for (const auto &m : messages)
        REQUIRE_FALSE(server->write(m).isError());

    const std::tuple<Connection *, Connection *, std::size_t> readers[] = {
        {server.get(), client.get(), ServerOptions{}.inBufferSize}, {client.get(), server.get(), kClientReadBuffer}};
    for (const auto &[reader, sender, buffer] : readers) {
        for (const auto &m : messages) {
            StringSink sink;
            const ReadResult r = readBlocking(*reader, sink);
            REQUIRE(r.status == ReadStatus::Data);
            CHECK(r.size == m.size());
            CHECK(r.parts == expectedParts(*sender, m.size(), buffer));
            CHECK(sink.bytes == m);
        }
    }
}

TEST_CASE("message payloads arrive byte-exact with their part counts")
{
    const std::size_t sizes[] = {0, 1, 4096, kRecordSize - 1, kRecordSize, 1 << 20, 16 << 20};
    const std::string name = uniqueName("payloads");
    auto listener = listen(name);
    auto client = connectTo(name);
    auto server = acceptOne(*listener);
    unsigned seed = 0;
    for (std::size_t size : sizes) {
        CAPTURE(size);
        const std::string payload = patternBytes(size, ++seed);
        // The writer runs beside the reader: a message larger than the socket
        // buffers only completes while somebody reads.
        std::thread writer([&] {
            client->write(payload);
            client->flushBlocking(20000);
        });
        StringSink sink;
        const ReadResult r = readBlocking(*server, sink, 20000);
        writer.join();
        REQUIRE(r.status == ReadStatus::Data);
        CHECK(r.size == size);
        CHECK(r.parts == expectedParts(*client, size, ServerOptions{}.inBufferSize));
        CHECK(sink.bytes == payload);
    }
}

TEST_CASE("writeMany sends messages in order, queues what the pipe cannot take, and stops at a gone peer")
{
    const std::string name = uniqueName("writemany");
    auto listener = listen(name);
    auto client = connectTo(name);
    auto server = acceptOne(*listener);
    // Far more than the pipe holds, empty ones among them, and one too long
    // for a single record (framed on Linux, so it takes write()'s path).
    std::vector<std::string> messages;
    for (int i = 0; i < 3000; ++i)
        messages.push_back(i % 100 == 0 ? std::string() : patternBytes(std::size_t(i % 7) * 700 + 1, unsigned(i)));
    messages[1500] = patternBytes(std::size_t(1) << 20, 3);
    const std::vector<std::string_view> views(messages.begin(), messages.end());
    for (std::size_t at = 0; at < views.size(); at += 64) {
        const std::size_t count = std::min<std::size_t>(64, views.size() - at);
        std::size_t taken = 0;
        REQUIRE_FALSE(client->writeMany(std::span(views).subspan(at, count), taken).isError());
        CHECK(taken == count);
    }
    CHECK(client->hasPendingWrites());

    std::size_t got = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (got < messages.size() && std::chrono::steady_clock::now() < deadline) {
        REQUIRE_FALSE(client->flush().isError());
        StringSink sink;
        const ReadResult r = server->read(sink);
        if (r.status == ReadStatus::WouldBlock) {
            server->waitReadable(10);
            continue;
        }
        REQUIRE(r.status == ReadStatus::Data);
        CAPTURE(got);
        CAPTURE(sink.bytes.size());
        CAPTURE(messages[got].size());
        CAPTURE(r.parts);
        REQUIRE(sink.bytes == messages[got]);
        ++got;
    }
    CHECK(got == messages.size());
    CHECK_FALSE(client->hasPendingWrites());

    // The reader gone: the first message fails, and nothing was taken.
    server.reset();
    const std::string_view two[] = {"a", "b"};
    std::size_t taken = 99;
    CHECK(client->writeMany(two, taken).code == ErrorCode::Disconnected);
    CHECK(taken == 0);
}

TEST_CASE("closing flushes for at most its time-out when the peer never reads")
{
    const std::string name = uniqueName("unread");
    auto listener = listen(name);
    auto client = connectTo(name);
    auto server = acceptOne(*listener);
    REQUIRE_FALSE(server->write(std::string(1000, 'x')).isError()); // the client never reads it
    const auto started = std::chrono::steady_clock::now();
    server->close(300);
    // Linux waits the whole time-out for the unread bytes; Wine's flush
    // returns at once. Neither may wait longer.
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
    CHECK_FALSE(server->isOpen());
}

TEST_CASE("byte mode delivers the stream as it arrives")
{
    const std::string name = uniqueName("bytes");
    ServerOptions options;
    options.type = PipeType::Byte;
    options.readMode = ReadMode::Byte;
    auto listener = listen(name, options);
    ClientOptions clientOptions;
    auto client = connectTo(name, clientOptions); // not told the type: finds the byte pipe
    auto server = acceptOne(*listener);
    CHECK(client->type() == PipeType::Byte);
    CHECK(client->readMode() == ReadMode::Byte);

    const std::string payload = patternBytes(3 << 20, 7);
    std::thread writer([&] {
        for (std::size_t at = 0; at < payload.size(); at += 100000)
            client->write(std::string_view(payload).substr(at, 100000));
        client->flushBlocking(20000);
    });
    std::string received;
    while (received.size() < payload.size()) {
        StringSink sink;
        const ReadResult r = readBlocking(*server, sink, 20000);
        REQUIRE(r.status == ReadStatus::Data);
        received += sink.bytes;
    }
    writer.join();
    CHECK(received == payload);
}

TEST_CASE("a byte pipe refuses message read mode, as Windows does")
{
    const std::string name = uniqueName("bytemsg");
    ServerOptions options;
    options.type = PipeType::Byte;
    options.readMode = ReadMode::Message;
    auto parsed = PipeName::parse(name);
    auto refused = Listener::create(parsed.value(), options);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::InvalidParameter);

    options.readMode = ReadMode::Byte;
    auto listener = listen(name, options);
    ClientOptions clientOptions;
    clientOptions.readMode = ReadMode::Message;
    auto client = connectToPipe(parsed.value(), clientOptions);
    REQUIRE_FALSE(client.ok());
    CHECK(client.error().code == ErrorCode::InvalidParameter);
    CHECK_MESSAGE(client.error().message().find("message read mode") != std::string::npos,
                  client.error().message());
}

TEST_CASE("a message beyond the limit is an error naming its size; the connection survives")
{
    const std::string name = uniqueName("limit");
    ServerOptions options;
    options.maxMessageSize = 100000;
    auto listener = listen(name, options);
    auto client = connectTo(name);
    auto server = acceptOne(*listener);

    const std::string big = patternBytes(300000, 3);
    std::thread writer([&] {
        client->write(big);
        client->write("after");
        client->flushBlocking(10000);
    });
    StringSink sink;
    const ReadResult tooBig = readBlocking(*server, sink);
    REQUIRE(tooBig.status == ReadStatus::Failed);
    CHECK(tooBig.error.code == ErrorCode::MessageTooLarge);
    CHECK(tooBig.fullSize == big.size());
    CHECK(tooBig.size == options.maxMessageSize);
    CHECK(sink.bytes == big.substr(0, options.maxMessageSize));
    CHECK_MESSAGE(tooBig.error.message().find("300000 bytes") != std::string::npos,
                  tooBig.error.message());

    StringSink next;
    const ReadResult after = readBlocking(*server, next);
    writer.join();
    REQUIRE(after.status == ReadStatus::Data);
    CHECK(next.bytes == "after");
}

TEST_CASE("reading ahead changes nothing a reader sees")
{
    // Linux takes up to a few dozen records per recvmmsg and holds them for
    // the next reads; Windows reads as always. Either way the same messages,
    // parts, limit errors and end arrive.
    ServerOptions options;
    options.maxMessageSize = 100000;
    const std::string name = uniqueName("readahead");
    auto listener = listen(name, options);
    auto client = connectTo(name);
    auto server = acceptOne(*listener);
    server->setReadAhead(true);

    std::vector<std::string> messages;
    for (std::size_t i = 0; i < 300; ++i) // around the small records' slot size of 2 KiB
        messages.push_back(patternBytes(i % 7 == 0 ? 0 : (i * 37) % 4200, unsigned(i)));
    messages.push_back(patternBytes(70000, 1001));  // one record, mostly beyond a slot's head
    messages.push_back(patternBytes(300000, 1002)); // over the limit
    messages.push_back(patternBytes(99999, 1003));
    messages.push_back("after");
    std::thread writer([&] {
        for (const std::string &m : messages)
            client->write(m);
        client->flushBlocking(20000);
        client->close(5000);
    });
    for (const std::string &m : messages) {
        CAPTURE(m.size());
        StringSink sink;
        const ReadResult r = readBlocking(*server, sink, 20000);
        if (m.size() > options.maxMessageSize) {
            REQUIRE(r.status == ReadStatus::Failed);
            CHECK(r.error.code == ErrorCode::MessageTooLarge);
            CHECK(r.fullSize == m.size());
            CHECK(sink.bytes == m.substr(0, options.maxMessageSize));
            continue;
        }
        REQUIRE(r.status == ReadStatus::Data);
        CHECK(r.parts == expectedParts(*client, m.size(), ServerOptions{}.inBufferSize));
        CHECK(sink.bytes == m);
    }
    writer.join();
    StringSink end;
    CHECK(readBlocking(*server, end).status == ReadStatus::Closed);
    CHECK(readBlocking(*server, end).status == ReadStatus::Closed);
}

TEST_CASE("max instances: a client beyond them waits, gets in when one frees, else times out")
{
    const std::string name = uniqueName("busy");
    ServerOptions options;
    options.maxInstances = 1;
    auto listener = listen(name, options);
    auto first = connectTo(name);
    auto firstServer = acceptOne(*listener);
    CHECK_FALSE(listener->accepting());

    auto parsed = PipeName::parse(name).value();
    ClientOptions waitShort;
    waitShort.waitMs = 300;
    const auto started = std::chrono::steady_clock::now();
    auto refused = connectToPipe(parsed, waitShort);
    const auto waited = std::chrono::steady_clock::now() - started;
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::TimedOut);
    CHECK_MESSAGE(refused.error().message().find("busy") != std::string::npos,
                  refused.error().message());
    CHECK(waited >= std::chrono::milliseconds(250));

    // The instance frees while a second client waits: it gets in.
    ClientOptions waitLong;
    waitLong.waitMs = 10000;
    std::promise<void> waiting;
    int toldBusy = 0;
    waitLong.onBusy = [&] {
        if (++toldBusy == 1)
            waiting.set_value();
    };
    Result<std::unique_ptr<Connection>> second = makeError(ErrorCode::Other, "", "", "not run");
    std::thread waiter([&] { second = connectToPipe(parsed, waitLong); });
    // Free the instance once the second client is waiting for one.
    REQUIRE(waiting.get_future().wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    firstServer->disconnect();
    listener->releaseInstance(std::move(firstServer));
    auto secondServer = acceptOne(*listener);
    waiter.join();
    REQUIRE_MESSAGE(second.ok(), second.error().message());
    CHECK(toldBusy == 1); // told once, however long it waited
    REQUIRE_FALSE(second.value()->write("hello").isError());
    StringSink sink;
    REQUIRE(readBlocking(*secondServer, sink).status == ReadStatus::Data);
    CHECK(sink.bytes == "hello");
}

TEST_CASE("a wrong pipe name is a clear error, not a wait")
{
    auto parsed = PipeName::parse(uniqueName("nobody")).value();
    ClientOptions options;
    options.waitMs = 5000;
    const auto started = std::chrono::steady_clock::now();
    auto result = connectToPipe(parsed, options);
    REQUIRE_FALSE(result.ok());
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(1000));
    CHECK(result.error().code == ErrorCode::NotFound);
    CHECK_MESSAGE(result.error().message().find(parsed.name) != std::string::npos,
                  result.error().message());
}

TEST_CASE("peek tells what waits without reading it")
{
    const std::string name = uniqueName("peek");
    auto listener = listen(name);
    auto client = connectTo(name);
    auto server = acceptOne(*listener);
    for (int i = 0; i < 3; ++i)
        REQUIRE_FALSE(server->write(std::string(100, char('a' + i))).isError());
    // Windows: the client's read in flight may already hold the first one.
    Result<Connection::PeekInfo> info = Connection::PeekInfo{};
    for (int attempt = 0; attempt < 100; ++attempt) {
        info = client->peek();
        REQUIRE_MESSAGE(info.ok(), info.error().message());
        if (info.value().bytesAvailable >= 200)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(info.value().bytesAvailable >= 200);
    CHECK(info.value().messageBytesLeft == 100);
    // Peeking took nothing: all three arrive.
    for (int i = 0; i < 3; ++i) {
        StringSink sink;
        REQUIRE(readBlocking(*client, sink).status == ReadStatus::Data);
        CHECK(sink.bytes == std::string(100, char('a' + i)));
    }
}

TEST_CASE("a non-ASCII pipe name works end to end")
{
    const std::string name = uniqueName("pip\xc3\xa9-\xe5\x90\x8d\xe5\x89\x8d");
    auto listener = listen(name);
    auto client = connectTo(name);
    auto server = acceptOne(*listener);
    REQUIRE_FALSE(client->write("ol\xc3\xa1").isError());
    StringSink sink;
    REQUIRE(readBlocking(*server, sink).status == ReadStatus::Data);
    CHECK(sink.bytes == "ol\xc3\xa1");
}

TEST_CASE("peer identity names this process on both sides")
{
    const std::string name = uniqueName("peer");
    auto listener = listen(name);
    auto client = connectTo(name);
    auto server = acceptOne(*listener);
    for (Connection *c : {client.get(), server.get()}) {
        CHECK(c->peer().pid == currentProcessId());
        CHECK_FALSE(c->peer().process.empty());
        CHECK(c->peer().process.find("tst_native") != std::string::npos);
        CHECK_FALSE(c->peer().user.empty());
    }
}

TEST_CASE("50 clients x 1000 messages: nothing lost or reordered per instance")
{
    constexpr int kClients = 50;
    constexpr int kMessages = 1000;
    const std::string name = uniqueName("many");
    auto listener = listen(name);
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
        clients.emplace_back([&, c] {
            auto parsed = PipeName::parse(name).value();
            ClientOptions options;
            options.waitMs = 20000;
            auto conn = connectToPipe(parsed, options);
            if (!conn.ok())
                return; // the server side sees the client missing and fails
            for (int i = 0; i < kMessages; ++i)
                conn.value()->write(std::to_string(c) + ":" + std::to_string(i));
            conn.value()->flushBlocking(20000);
            conn.value()->close(20000);
        });
    }
    std::vector<std::unique_ptr<Connection>> servers;
    for (int c = 0; c < kClients; ++c)
        servers.push_back(acceptOne(*listener, 20000));

    int complete = 0;
    std::vector<int> next(kClients, 0);
    std::vector<int> owner(kClients, -1);
    std::vector<bool> closed(kClients, false);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (complete < kClients && std::chrono::steady_clock::now() < deadline) {
        bool progressed = false;
        for (int s = 0; s < kClients; ++s) {
            if (closed[s])
                continue;
            StringSink sink;
            const ReadResult r = servers[s]->read(sink);
            if (r.status == ReadStatus::WouldBlock)
                continue;
            if (r.status == ReadStatus::Closed) {
                closed[s] = true;
                ++complete;
                continue;
            }
            REQUIRE(r.status == ReadStatus::Data);
            progressed = true;
            const auto colon = sink.bytes.find(':');
            const int c = std::stoi(sink.bytes.substr(0, colon));
            const int i = std::stoi(sink.bytes.substr(colon + 1));
            if (owner[s] < 0)
                owner[s] = c;
            REQUIRE(owner[s] == c);
            REQUIRE(i == next[s]);
            ++next[s];
        }
        if (!progressed)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    for (auto &t : clients)
        t.join();
    CHECK(complete == kClients);
    for (int s = 0; s < kClients; ++s)
        CHECK(next[s] == kMessages);
}

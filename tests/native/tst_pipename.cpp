#include <doctest/doctest.h>

#include <algorithm>

#include "testsupport.h"

using namespace PipeScopeTest;

TEST_CASE("pipe names are parsed into their kinds")
{
    struct Row
    {
        const char *text;
        PipeName::Kind kind;
        const char *name;
        const char *server;
    };
    const Row rows[] = {
        {"mynamedpipe", PipeName::Kind::Local, "mynamedpipe", ""},
        {R"(\\.\pipe\mynamedpipe)", PipeName::Kind::Local, "mynamedpipe", "."},
        {R"(\\.\PIPE\Mixed Case)", PipeName::Kind::Local, "Mixed Case", "."},
        {R"(\\buildhost\pipe\remote)", PipeName::Kind::Remote, "remote", "buildhost"},
        {"/run/app/control.sock", PipeName::Kind::Path, "/run/app/control.sock", ""},
        {"@abstract-name", PipeName::Kind::Abstract, "abstract-name", ""},
    };
    for (const Row &row : rows) {
        CAPTURE(row.text);
        auto parsed = PipeName::parse(row.text);
        REQUIRE_MESSAGE(parsed.ok(), parsed.error().message());
        CHECK(parsed.value().kind == row.kind);
        CHECK(parsed.value().name == row.name);
        CHECK(parsed.value().server == row.server);
    }
}

TEST_CASE("bad names are refused with the reason, before any system call")
{
    struct Row
    {
        std::string text;
        const char *why;
    };
    const Row rows[] = {
        {"", "empty"},
        {std::string("a\0b", 3), "NUL"},
        {R"(\\.\pipe\)", "empty"},
        {R"(\\.\pipes\x)", "\"pipe\""},
        {R"(\\\pipe\x)", "\\\\server\\pipe\\NAME"},
        {"@", "empty"},
        {"/tmp/dir/", "directory"},
        {std::string(300, 'x'), "at most 256"},
        {"evil\nname", "control character (byte 10)"},
        {"@evil\x1b[2J", "control character (byte 27)"},
        {"del\x7f", "control character (byte 127)"},
    };
    for (const Row &row : rows) {
        CAPTURE(row.text);
        auto parsed = PipeName::parse(row.text);
        REQUIRE_FALSE(parsed.ok());
        CHECK(parsed.error().code == ErrorCode::InvalidName);
        CHECK_MESSAGE(parsed.error().message().find(row.why) != std::string::npos,
                      parsed.error().message());
    }
}

TEST_CASE("convention names round-trip")
{
    for (auto c : {Convention::PipeScope, Convention::Qt, Convention::DotNet}) {
        Convention parsed = Convention::PipeScope;
        REQUIRE(parseConvention(conventionName(c), parsed));
        CHECK(parsed == c);
    }
    Convention ignored;
    CHECK_FALSE(parseConvention("win32", ignored));
}

TEST_CASE("an existing pipe is offered by the short name its convention placed")
{
    for (const Convention c : {Convention::PipeScope, Convention::Qt, Convention::DotNet}) {
        const auto address = resolvePipeName(PipeName::parse("offered").value(), c, Probe::None);
        REQUIRE(address.ok());
        // (.NET's CoreFxPipe_offered in the temp directory is also where
        // Qt's convention places "CoreFxPipe_offered": both are offered.)
        const std::vector<std::string> names = namesToOffer(address.value().display());
        REQUIRE(names.size() >= 2);
        CHECK(names.front() == address.value().display());
        CHECK(std::find(names.begin(), names.end(), "offered") != names.end());
    }
    // A pipe no convention placed is offered as it is.
#ifdef _WIN32
    CHECK(namesToOffer(R"(\\.\pipe\plain)") == std::vector<std::string>{R"(\\.\pipe\plain)", "plain"});
#else
    CHECK(namesToOffer("/var/run/some.sock") == std::vector<std::string>{"/var/run/some.sock"});
    CHECK(namesToOffer("@abstract") == std::vector<std::string>{"@abstract"});
#endif
}

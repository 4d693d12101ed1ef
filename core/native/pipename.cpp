#include "pipename.h"

#include <algorithm>
#include <cctype>

namespace PipeScope::Native {

namespace {

// Windows limits a pipe name (everything after \\.\pipe\) to 256 characters.
constexpr std::size_t kMaxPipeNameLength = 256;

bool equalsIgnoreCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

NativeError nameError(std::string_view text, std::string why)
{
    return makeError(ErrorCode::InvalidName, "name", "\"" + std::string(text) + "\"",
                     std::move(why));
}

} // namespace

const char *conventionName(Convention convention)
{
    switch (convention) {
    case Convention::PipeScope: return "pipescope";
    case Convention::Qt: return "qt";
    case Convention::DotNet: return "dotnet";
    }
    return "pipescope";
}

bool parseConvention(std::string_view text, Convention &out)
{
    for (auto c : {Convention::PipeScope, Convention::Qt, Convention::DotNet}) {
        if (equalsIgnoreCase(text, conventionName(c))) {
            out = c;
            return true;
        }
    }
    return false;
}

Result<PipeName> PipeName::parse(std::string_view text)
{
    if (text.empty())
        return nameError(text, "the name is empty");
    if (text.find('\0') != std::string_view::npos)
        return nameError(text, "the name contains a NUL character");
    // Control characters (newline, ESC, DEL…) are refused: such a name
    // cannot be typed back, shows differently everywhere, and could forge
    // lines wherever it is printed. No program needs one.
    for (const char c : text)
        if ((static_cast<unsigned char>(c) < 0x20 || c == 0x7f))
            return nameError(text, "the name contains a control character (byte " +
                                       std::to_string(static_cast<unsigned char>(c)) + "); names must be printable");

    PipeName result;
    result.text = std::string(text);

    if (text.size() >= 2 && text[0] == '\\' && text[1] == '\\') {
        // \\server\pipe\NAME
        const std::string_view rest = text.substr(2);
        const auto serverEnd = rest.find('\\');
        if (serverEnd == std::string_view::npos || serverEnd == 0)
            return nameError(text, "expected \\\\server\\pipe\\NAME (use . for this machine)");
        const std::string_view server = rest.substr(0, serverEnd);
        const std::string_view afterServer = rest.substr(serverEnd + 1);
        const auto pipeEnd = afterServer.find('\\');
        if (pipeEnd == std::string_view::npos || !equalsIgnoreCase(afterServer.substr(0, pipeEnd), "pipe"))
            return nameError(text, "expected \\\\server\\pipe\\NAME: the second part must be \"pipe\"");
        const std::string_view name = afterServer.substr(pipeEnd + 1);
        if (name.empty())
            return nameError(text, "the pipe name after \\pipe\\ is empty");
        if (name.size() > kMaxPipeNameLength)
            return nameError(text, "the pipe name is " + std::to_string(name.size()) +
                                       " characters; at most 256 are allowed");
        result.kind = server == "." ? Kind::Local : Kind::Remote;
        result.server = std::string(server);
        result.name = std::string(name);
        return result;
    }
    if (text.front() == '@') {
        if (text.size() == 1)
            return nameError(text, "the abstract name after '@' is empty");
        result.kind = Kind::Abstract;
        result.name = std::string(text.substr(1));
        return result;
    }
    if (text.front() == '/') {
        if (text.back() == '/')
            return nameError(text, "the path ends with '/' and so names a directory");
        result.kind = Kind::Path;
        result.name = std::string(text);
        return result;
    }
    if (text.size() > kMaxPipeNameLength)
        return nameError(text, "the pipe name is " + std::to_string(text.size()) +
                                   " characters; at most 256 are allowed");
    result.kind = Kind::Local;
    result.name = std::string(text);
    return result;
}

std::vector<std::string> namesToOffer(const std::string &entry)
{
    std::vector<std::string> names{entry};
    // The last component, and without .NET's prefix: what a convention may
    // have placed here.
    const std::size_t cut = entry.find_last_of("/\\");
    const std::string base = cut == std::string::npos ? entry : entry.substr(cut + 1);
    std::vector<std::string> candidates{base};
    const std::string dotNet = "CoreFxPipe_";
    if (base.compare(0, dotNet.size(), dotNet) == 0)
        candidates.push_back(base.substr(dotNet.size()));
    for (const std::string &candidate : candidates) {
        const auto name = PipeName::parse(candidate);
        if (!name || candidate.empty() || candidate == entry)
            continue;
        for (const Convention c : {Convention::PipeScope, Convention::Qt, Convention::DotNet}) {
            const auto address = resolvePipeName(name.value(), c, Probe::None);
            if (address && address.value().display() == entry) {
                names.push_back(candidate);
                break;
            }
        }
    }
    return names;
}

} // namespace PipeScope::Native

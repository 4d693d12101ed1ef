#pragma once

#include "nativeerror.h"

#include <optional>
#include <string>
#include <vector>
#include <string_view>

namespace PipeScope::Native {

// Where a bare name is put, so that PipeScope meets the programs that use it.
enum class Convention {
    PipeScope, // per-user directory, mode 0700 (Unix); \\.\pipe\NAME (Windows)
    Qt,        // QLocalServer/QLocalSocket: QDir::tempPath()/NAME, stream socket
    DotNet,    // .NET NamedPipeServerStream: $TMPDIR or /tmp, CoreFxPipe_NAME, stream socket
};

enum class PipeType { Byte, Message };

const char *conventionName(Convention convention);
bool parseConvention(std::string_view text, Convention &out);

// A name as the user typed it, checked for shape but not yet placed anywhere.
struct PipeName
{
    enum class Kind {
        Local,    // NAME or \\.\pipe\NAME
        Remote,   // \\server\pipe\NAME (Windows clients only)
        Path,     // /absolute/path (Unix)
        Abstract, // @NAME (Linux abstract namespace)
    };

    Kind kind = Kind::Local;
    std::string name;   // NAME, the absolute path, or the abstract name without '@'
    std::string server; // Remote only
    std::string text;   // what was typed

    // Refuses, without any system call, names that cannot work anywhere:
    // empty, NUL bytes, a malformed \\server\pipe\ prefix, over-long names.
    static Result<PipeName> parse(std::string_view text);
};

// The platform's address for a name under a convention.
struct PipeAddress
{
    std::string path;      // socket path (Unix), abstract name, or \\server\pipe\NAME (Windows)
    bool abstract = false; // Linux abstract namespace
    std::string directory; // a private directory the server creates (PipeScope convention, Unix)
    PipeType conventionalType = PipeType::Message; // what programs of this convention use

    // What to show a person: the path, "@name", or the Windows pipe name.
    std::string display() const { return abstract ? "@" + path : path; }
};

// Places a parsed name. On Unix this checks the length against sun_path and,
// with `probe` (what opening a pipe does), that the containing directory
// exists: one stat, before any socket call. Without it, no system call
// touches the file system: what a dialog shows as the user types.
enum class Probe { Directory, None };
Result<PipeAddress> resolvePipeName(const PipeName &name, Convention convention, Probe probe = Probe::Directory);

// The convention under which a pipe of this name exists now, trying
// PipeScope's, Qt's and .NET's in turn; none when none does. A stat per
// convention on Unix (call it off the GUI thread); on Windows the
// conventions name the same pipe, and none is told apart.
std::optional<Convention> findConvention(const PipeName &name);

// The names to offer a person for an existing pipe (a listPipes() entry):
// the entry as it is, and, where a convention places a short name there,
// that name ("mynamedpipe" for PipeScope's socket of that name, Qt's in
// the temp directory, .NET's CoreFxPipe_mynamedpipe, or \.\pipe\mynamedpipe).
// No system call.
std::vector<std::string> namesToOffer(const std::string &entry);

} // namespace PipeScope::Native

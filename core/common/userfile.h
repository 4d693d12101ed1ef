#pragma once

// Files that hold captured traffic — sessions, journals, exports, pcapng —
// are the user's alone (0600), like the pipe directories: an ssh-agent
// capture holds the private key that ssh-add sent.

#include <QFileDevice>

class QFile;
class QSaveFile;

namespace PipeScope {

inline constexpr QFileDevice::Permissions kUserOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

// Opens for writing, then makes the file user-only whatever it replaces.
// A new QFile is created user-only; a QSaveFile's temporary file is.
// False with the file's errorString() when either fails.
bool openUserOnly(QFile &file, QIODevice::OpenMode mode);
bool openUserOnly(QSaveFile &file, QIODevice::OpenMode mode = QIODevice::WriteOnly);

} // namespace PipeScope

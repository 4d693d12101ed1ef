#include "userfile.h"

#include <QFile>
#include <QSaveFile>

namespace PipeScope {

bool openUserOnly(QFile &file, QIODevice::OpenMode mode)
{
    return file.open(mode, kUserOnly) && file.setPermissions(kUserOnly);
}

bool openUserOnly(QSaveFile &file, QIODevice::OpenMode mode)
{
    return file.open(mode) && file.setPermissions(kUserOnly);
}

} // namespace PipeScope

#include "icons.h"

#include <QDir>
#include <QFileInfo>

namespace PipeScope {

QIcon appIcon(const char *name)
{
    // Lookups in the resources compiled into the program, not on a disk.
    const QString base = QLatin1String(name);
    const QString svg = QStringLiteral(":/icons/%1.svg").arg(base);
    if (QFileInfo::exists(svg))
        return QIcon(svg);
    QIcon icon;
    const QDir icons(QStringLiteral(":/icons"));
    for (const QString &png : icons.entryList({base + QStringLiteral("-*.png")}, QDir::Files)) {
        const int size = png.sliced(base.size() + 1).chopped(4).toInt();
        icon.addFile(icons.filePath(png), QSize(size, size));
    }
    return icon;
}

} // namespace PipeScope

#pragma once

#include <QIcon>

namespace PipeScope {

// One of PipeScope's icons (resources/icons/NAME.svg), as the build packed
// it (cmake/PipeScopeIcons.cmake): the SVG itself where Qt's SVG icon
// engine exists (Linux), or PNG renditions NAME-SIZE.png at the sizes the
// UI draws, rendered from the SVG when building (Windows: Qt for mingw-w64
// has no SVG module). QIcon picks the rendition for each size and scale.
QIcon appIcon(const char *name);

} // namespace PipeScope

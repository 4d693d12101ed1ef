#pragma once

namespace PipeScope {

// The look: follow the system (the default), or force light or dark. Qt
// already follows the platform's palette; forcing uses the Fusion style
// with a palette of our own, for desktops that do not say.
enum class Theme { System, Light, Dark };
void applyTheme(Theme theme);

} // namespace PipeScope

# Cross-builds PipeScope for Windows with Debian's mingw-w64 and runs its
# tests under Wine:
#   cmake -S . -B build-win -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64-x86_64.cmake \
#         -DPIPESCOPE_QT_WIN_PREFIX="$(scripts/qt-windows.sh | tail -n 1)"
# Without PIPESCOPE_QT_WIN_PREFIX only core/native and its tests are built.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
# The posix thread model: std::thread and std::mutex need it, and Qt for
# mingw-w64 was built with it.
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)
set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
if(PIPESCOPE_QT_WIN_PREFIX)
    # Qt for Windows (scripts/qt-windows.sh) is searched as a second root,
    # and its build tools (moc, rcc, uic) are the host's own Qt 6.
    list(APPEND CMAKE_FIND_ROOT_PATH "${PIPESCOPE_QT_WIN_PREFIX}")
    list(APPEND CMAKE_PREFIX_PATH "${PIPESCOPE_QT_WIN_PREFIX}")
    set(QT_HOST_PATH /usr CACHE PATH "Host Qt for moc, rcc and uic")
    set(QT_HOST_PATH_CMAKE_DIR /usr/lib/x86_64-linux-gnu/cmake CACHE PATH "Host Qt's CMake packages")
endif()
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# CTest runs the test executables through Wine; PipeScopeTesting.cmake puts
# the Qt and mingw-w64 runtime DLLs on WINEPATH, as a deployed app has them
# beside its executable. A suite that hangs has its threads backtraced and
# is ended after 5 minutes (tests/support/wine-watchdog.sh).
set(CMAKE_CROSSCOMPILING_EMULATOR ${CMAKE_CURRENT_LIST_DIR}/../tests/support/wine-watchdog.sh)

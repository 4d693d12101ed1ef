# pipescope_set_warnings(target): the project's warning level, as errors when
# PIPESCOPE_WERROR is on (CI turns it on through scripts/test.sh).
function(pipescope_set_warnings target)
    if(MSVC)
        target_compile_options(${target} PRIVATE /W4 $<$<BOOL:${PIPESCOPE_WERROR}>:/WX>)
    else()
        target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
            -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
            $<$<BOOL:${PIPESCOPE_WERROR}>:-Werror>)
    endif()
endfunction()

# pipescope_unity_build(target): the library's sources compiled a few to a
# translation unit (CMake's unity build), which parses Qt's headers once per
# batch instead of once per file. The code is split into small files for
# people; this keeps the build time of the split (about 110 translation
# units, built four times by the test command) where it was.
# PIPESCOPE_UNITY_BUILD=OFF builds file by file.
#
# A class's moc output is compiled with its own source, which ends with
# `#include "moc_NAME.cpp"` (as Qt Creator's and KDE's sources do), not in
# AUTOMOC's mocs_compilation.cpp: that was one more translation unit per
# library parsing Qt's headers again (pipescope_ui's took 18 s). Checked
# here, so that a new class cannot bring the extra unit back unnoticed.
option(PIPESCOPE_UNITY_BUILD "Compile each library's sources in batches" ON)
function(pipescope_unity_build target)
    if(PIPESCOPE_UNITY_BUILD)
        set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
    endif()
    get_target_property(sources ${target} SOURCES)
    foreach(header IN LISTS sources)
        if(NOT header MATCHES "\\.h$")
            continue()
        endif()
        file(STRINGS "${CMAKE_CURRENT_SOURCE_DIR}/${header}" meta REGEX "^[ \t]*Q_(OBJECT|GADGET|NAMESPACE)")
        if(NOT meta)
            continue()
        endif()
        string(REGEX REPLACE "\\.h$" ".cpp" source "${header}")
        get_filename_component(base "${header}" NAME_WE)
        set(include_line "#include \"moc_${base}.cpp\"")
        file(STRINGS "${CMAKE_CURRENT_SOURCE_DIR}/${source}" found REGEX "^${include_line}$")
        if(NOT found)
            message(FATAL_ERROR "${source} must end with ${include_line}: ${header} declares a class moc reads")
        endif()
    endforeach()
endfunction()

# pipescope_debug_info(): how much debug information the build carries,
# whatever the build type asks for. "lines" (the default: -g1) keeps what
# a backtrace, a sanitizer report or perf needs (functions, files, lines)
# but not variables and types; full -g makes every translation unit a
# third slower to compile and four times larger (tst_mainwindow.cpp: 15.4 s
# and 7.5 MB with -g, 11.2 s and 1.8 MB with -g1), and the test command
# builds the project four times. "full" for a debugger session, "none" for
# builds nobody debugs (the test command's Windows build).
set(PIPESCOPE_DEBUG_INFO "lines" CACHE STRING "Debug information: full, lines (file and line only) or none")
set_property(CACHE PIPESCOPE_DEBUG_INFO PROPERTY STRINGS full lines none)
macro(pipescope_debug_info)
    if(NOT MSVC)
        if(PIPESCOPE_DEBUG_INFO STREQUAL "lines")
            add_compile_options(-g1)
        elseif(PIPESCOPE_DEBUG_INFO STREQUAL "none")
            add_compile_options(-g0)
        elseif(NOT PIPESCOPE_DEBUG_INFO STREQUAL "full")
            message(FATAL_ERROR "PIPESCOPE_DEBUG_INFO must be full, lines or none, not '${PIPESCOPE_DEBUG_INFO}'")
        endif()
    endif()
endmacro()

# pipescope_linker(): ELF executables linked by LLVM's lld where it is
# installed (scripts/install-deps.sh installs it for the test command),
# GNU ld otherwise; PIPESCOPE_LLD=OFF keeps GNU ld. The test command links
# some forty executables into each of four builds: lld took 6.3 s where
# GNU ld took 18.0 s for the release build's (one after another), 14.1 s
# for 37.7 s with AddressSanitizer, 7.4 s for 21.0 s with ThreadSanitizer.
# Not for the mingw-w64 cross build: there lld was no faster (1.6 s for
# tst_mainwindow.exe, GNU ld 1.2 s).
option(PIPESCOPE_LLD "Link ELF executables with lld when it is installed" ON)
macro(pipescope_linker)
    if(PIPESCOPE_LLD AND NOT WIN32 AND NOT APPLE AND CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
        find_program(PIPESCOPE_LLD_PROGRAM ld.lld)
        if(PIPESCOPE_LLD_PROGRAM)
            add_link_options(-fuse-ld=lld)
        endif()
    endif()
endmacro()

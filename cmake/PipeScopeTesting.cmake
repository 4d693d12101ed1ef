# The environment every test runs in.
#
# Natively: Qt's offscreen platform, so GUI tests need no display.
#
# Cross-built for Windows and run under Wine (CMAKE_CROSSCOMPILING_EMULATOR):
# also offscreen, and the DLLs found as a deployed app finds them — the Qt
# DLLs and the mingw-w64 runtime (libstdc++, libgcc, winpthread) on
# WINEPATH, which Wine puts on the Windows PATH of the test and of every
# process it starts (pipescope.exe, the sample programs). Wine passes no
# QT_* variable on to Windows programs: tests/support/testmain.h sets
# those inside the test process.
set(PIPESCOPE_TEST_ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
# What a build path needs in front to name the same file from a test:
# nothing natively; under Wine the drive that maps the Unix root.
set(PIPESCOPE_HOST_DRIVE "")
if(WIN32 AND CMAKE_CROSSCOMPILING)
    set(PIPESCOPE_HOST_DRIVE "Z:")
    set(windows_dll_dirs "")
    foreach(dll libstdc++-6.dll libgcc_s_seh-1.dll libwinpthread-1.dll)
        execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=${dll}
                        OUTPUT_VARIABLE dll_path OUTPUT_STRIP_TRAILING_WHITESPACE)
        if(NOT IS_ABSOLUTE "${dll_path}" OR NOT EXISTS "${dll_path}")
            message(FATAL_ERROR "The mingw-w64 runtime ${dll} was not found by ${CMAKE_CXX_COMPILER}")
        endif()
        get_filename_component(dll_dir "${dll_path}" DIRECTORY)
        file(REAL_PATH "${dll_dir}" dll_dir)
        list(APPEND windows_dll_dirs "${dll_dir}")
    endforeach()
    if(TARGET Qt6::Core)
        # Qt finds its plugins from Qt6Core.dll's own place (bin/../plugins).
        list(PREPEND windows_dll_dirs "${QT6_INSTALL_PREFIX}/${QT6_INSTALL_BINS}")
    endif()
    list(REMOVE_DUPLICATES windows_dll_dirs)
    list(TRANSFORM windows_dll_dirs PREPEND "${PIPESCOPE_HOST_DRIVE}")
    # WINEPATH separates with ';', which a CMake list must escape.
    string(REPLACE ";" "\\;" wine_path "${windows_dll_dirs}")
    list(APPEND PIPESCOPE_TEST_ENVIRONMENT "WINEPATH=${wine_path}")
endif()

# pipescope_add_test(NAME COMMAND command...): a CTest test in that environment.
function(pipescope_add_test name)
    add_test(NAME ${name} ${ARGN})
    set_tests_properties(${name} PROPERTIES ENVIRONMENT "${PIPESCOPE_TEST_ENVIRONMENT}")
endfunction()

# pipescope_add_qt_test(NAME LIBRARIES libs... [SOURCES extra...]): a Qt Test
# executable from NAME.cpp, registered with CTest.
function(pipescope_add_qt_test name)
    cmake_parse_arguments(ARG "" "" "LIBRARIES;SOURCES" ${ARGN})
    qt_add_executable(${name} ${name}.cpp ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE ${ARG_LIBRARIES} Qt6::Test)
    target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/tests/support)
    pipescope_set_warnings(${name})
    pipescope_add_test(${name} COMMAND ${name})
endfunction()

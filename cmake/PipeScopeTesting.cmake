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

# pipescope_test_headers(LIBRARIES libs... HEADERS headers...): Qt Test's and
# Qt's headers, parsed once for the suites of this directory (a precompiled
# header) instead of once per suite: parsing them is most of a small
# suite's compile time (tst_units: 4.3 s alone, 1.7 s with them
# precompiled), and the test command builds every suite four times. One
# per directory, because a precompiled header must be used with the
# definitions it was made with, and Qt Test's QT_TESTCASE_BUILDDIR names
# the directory. The suites added after it in this directory reuse it;
# GCC's -Winvalid-pch makes a header that could not be used an error
# (with PIPESCOPE_WERROR) rather than a silent slow build.
# PIPESCOPE_TEST_PCH=OFF parses them per suite.
option(PIPESCOPE_TEST_PCH "Precompile Qt's headers once per test directory" ON)
function(pipescope_test_headers)
    if(NOT PIPESCOPE_TEST_PCH)
        return()
    endif()
    cmake_parse_arguments(ARG "" "" "LIBRARIES;HEADERS" ${ARGN})
    get_filename_component(directory "${CMAKE_CURRENT_SOURCE_DIR}" NAME)
    set(carrier pipescope_${directory}_test_headers)
    file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/${carrier}.cpp" "// The precompiled header's own translation unit.\n")
    add_library(${carrier} OBJECT "${CMAKE_CURRENT_BINARY_DIR}/${carrier}.cpp")
    # Nothing in it needs moc: no empty mocs_compilation.cpp to compile.
    set_target_properties(${carrier} PROPERTIES AUTOMOC OFF)
    target_link_libraries(${carrier} PRIVATE ${ARG_LIBRARIES} Qt6::Test)
    target_include_directories(${carrier} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/tests/support)
    pipescope_set_warnings(${carrier})
    target_precompile_headers(${carrier} PRIVATE ${ARG_HEADERS})
    set(PIPESCOPE_TEST_HEADER_CARRIER ${carrier} PARENT_SCOPE)
endfunction()

# pipescope_add_qt_test(NAME LIBRARIES libs... [SOURCES extra...]): a Qt Test
# executable from NAME.cpp, registered with CTest.
function(pipescope_add_qt_test name)
    cmake_parse_arguments(ARG "" "" "LIBRARIES;SOURCES" ${ARGN})
    qt_add_executable(${name} ${name}.cpp ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE ${ARG_LIBRARIES} Qt6::Test)
    target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/tests/support)
    pipescope_set_warnings(${name})
    if(PIPESCOPE_TEST_HEADER_CARRIER)
        target_precompile_headers(${name} REUSE_FROM ${PIPESCOPE_TEST_HEADER_CARRIER})
        # A suite includes its own moc output (tst_NAME.moc), which leaves
        # AUTOMOC's mocs_compilation.cpp empty; loading the precompiled
        # header into it took as long as compiling the suite (tst_units:
        # 3.2 s and 3.3 s).
        set_source_files_properties("${CMAKE_CURRENT_BINARY_DIR}/${name}_autogen/mocs_compilation.cpp"
                                    PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
        if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
            target_compile_options(${name} PRIVATE -Winvalid-pch)
        endif()
    endif()
    pipescope_add_test(${name} COMMAND ${name})
endfunction()

# Run by `cmake --install` (and CPack) for the Windows build: copies the Qt
# plugins the program loads by name, then every DLL that the programs and
# those plugins import, found by reading their import tables with objdump,
# and the DLLs those import in turn (what windeployqt does, for a cross
# build: windeployqt runs on Windows only). Set by packaging/windows/CMakeLists.txt:
#   PIPESCOPE_PROGRAMS     the programs, relative to the install prefix
#   PIPESCOPE_PLUGIN_DIR   Qt's plugins folder
#   PIPESCOPE_PLUGINS      the plugins, relative to it (and to the prefix)
#   PIPESCOPE_SEARCH_DIRS  where the DLLs to ship are found (Qt, the compiler)
#   PIPESCOPE_OBJDUMP, PIPESCOPE_STRIP   the cross tools
# A DLL found in none of the search folders is Windows' own (KERNEL32.dll,
# USER32.dll, …): it is listed and not copied.
cmake_policy(VERSION 3.25)
set(prefix "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}")

set(modules)
foreach(plugin IN LISTS PIPESCOPE_PLUGINS)
    get_filename_component(dir ${plugin} DIRECTORY)
    file(INSTALL "${PIPESCOPE_PLUGIN_DIR}/${plugin}" DESTINATION "${prefix}/${dir}")
    list(APPEND modules "${prefix}/${plugin}")
endforeach()
list(TRANSFORM PIPESCOPE_PROGRAMS PREPEND "${prefix}/" OUTPUT_VARIABLE programs)

# Every DLL in the search folders, by its name in lower case: Windows
# matches DLL names without case (the import tables say KERNEL32.dll and
# Qt6Core.dll), this file system does not.
foreach(dir IN LISTS PIPESCOPE_SEARCH_DIRS)
    file(GLOB dlls LIST_DIRECTORIES false "${dir}/*.dll")
    foreach(dll IN LISTS dlls)
        get_filename_component(name "${dll}" NAME)
        string(TOLOWER "${name}" key)
        if(DEFINED found_${key})
            message(FATAL_ERROR "deploy: ${name} is in two search folders: ${found_${key}} and ${dll}")
        endif()
        set(found_${key} "${dll}")
    endforeach()
endforeach()

# From the programs and plugins, each imported DLL once.
set(pending ${programs} ${modules})
set(seen)
set(shipped)
set(windows)
while(pending)
    list(POP_FRONT pending file)
    execute_process(COMMAND "${PIPESCOPE_OBJDUMP}" -p "${file}" OUTPUT_VARIABLE dump RESULT_VARIABLE failed)
    if(failed)
        message(FATAL_ERROR "deploy: cannot read the import table of ${file}")
    endif()
    string(REGEX MATCHALL "DLL Name: [^\n]+" imports "${dump}")
    foreach(import IN LISTS imports)
        string(REGEX REPLACE "^DLL Name: " "" name "${import}")
        string(STRIP "${name}" name)
        string(TOLOWER "${name}" key)
        if(key IN_LIST seen)
            continue()
        endif()
        list(APPEND seen ${key})
        if(DEFINED found_${key})
            list(APPEND shipped "${found_${key}}")
            list(APPEND pending "${found_${key}}")
        else()
            list(APPEND windows ${key})
        endif()
    endforeach()
endwhile()
list(SORT windows)
string(REPLACE ";" ", " windows_said "${windows}")
message(STATUS "Windows' own DLLs, not shipped: ${windows_said}")

foreach(dll IN LISTS shipped)
    file(INSTALL "${dll}" DESTINATION "${prefix}")
endforeach()
# Qt's and the compiler's DLLs keep their symbol tables (a third of Qt6Core);
# stripped like the programs when the install strips (CPack does).
if(CMAKE_INSTALL_DO_STRIP)
    foreach(file IN LISTS shipped modules)
        get_filename_component(name "${file}" NAME)
        if(file IN_LIST modules)
            set(installed "${file}")
        else()
            set(installed "${prefix}/${name}")
        endif()
        execute_process(COMMAND "${PIPESCOPE_STRIP}" --strip-unneeded "${installed}" COMMAND_ERROR_IS_FATAL ANY)
    endforeach()
endif()

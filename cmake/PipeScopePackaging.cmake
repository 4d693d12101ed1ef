# Packages, built with CPack from an installed tree.
#
# Windows: see below, and packaging/windows/.
#
# Linux: a .deb. Its dependencies come from dpkg-shlibdeps (the libraries
# the executable links), plus the two Qt plugin packages it loads at run
# time, which no linker records: the platform plugins (qt6-qpa-plugins:
# xcb and wayland) and the SVG icon engine (libqt6svg6). The version is
# git's (cmake/PipeScopeVersion.cmake), read when CMake configures: the
# packaging script configures again before it packs.
include(GNUInstallDirs)

execute_process(COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DPROJECT_VERSION=${PROJECT_VERSION}
                        -DPRINT=ON -P ${PROJECT_SOURCE_DIR}/cmake/PipeScopeVersion.cmake
                OUTPUT_VARIABLE PIPESCOPE_PACKAGE_VERSION OUTPUT_STRIP_TRAILING_WHITESPACE)

set(CPACK_PACKAGE_NAME pipescope)
set(CPACK_PACKAGE_VENDOR "The PipeScope developers")
set(CPACK_PACKAGE_CONTACT "The PipeScope developers <pipescope@users.noreply.github.com>")
set(CPACK_PACKAGE_VERSION ${PIPESCOPE_PACKAGE_VERSION})
set(CPACK_PACKAGE_HOMEPAGE_URL "https://github.com/pipescope/pipescope")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "inspector for named pipes and Unix domain sockets")
set(CPACK_PACKAGE_DESCRIPTION
    "PipeScope creates pipe servers, connects clients, sends messages as text,\n"
    "hex, UTF-8 or UTF-16LE, and shows a live traffic log for every pipe\n"
    "instance. A monitor between two programs records both sides of their\n"
    "conversation. Sessions are saved, replayed against a server, as a server\n"
    "or as a regression check, and exported to CSV or pcapng for Wireshark.\n"
    "On Linux, named pipes are Unix domain sockets (message pipes as\n"
    "SOCK_SEQPACKET, byte pipes as SOCK_STREAM), meeting QLocalServer and\n"
    "the NamedPipeServerStream of .NET where they put their sockets.")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)

if(UNIX AND NOT APPLE)
    set(CPACK_GENERATOR DEB)
    set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
    set(CPACK_DEBIAN_PACKAGE_SECTION devel)
    set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
    set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins, libqt6svg6")
    set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "bash-completion")
    set(CPACK_DEBIAN_PACKAGE_SUGGESTS "wireshark | tshark")
    set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

    # What Debian's policy asks of every package: the copyright, and the
    # upstream and Debian changelogs, compressed.
    set(docdir ${CMAKE_INSTALL_DATADIR}/doc/pipescope)
    string(TIMESTAMP changelog_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
    configure_file(${PROJECT_SOURCE_DIR}/packaging/linux/changelog.Debian.in
                   ${PROJECT_BINARY_DIR}/packaging/changelog.Debian @ONLY)
    foreach(changelog changelog changelog.Debian)
        set(source ${PROJECT_SOURCE_DIR}/CHANGELOG.md)
        if(changelog STREQUAL "changelog.Debian")
            set(source ${PROJECT_BINARY_DIR}/packaging/changelog.Debian)
        endif()
        add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/packaging/${changelog}.gz
            COMMAND gzip -9n < ${source} > ${PROJECT_BINARY_DIR}/packaging/${changelog}.gz
            DEPENDS ${source})
        install(FILES ${PROJECT_BINARY_DIR}/packaging/${changelog}.gz DESTINATION ${docdir})
        list(APPEND changelogs ${PROJECT_BINARY_DIR}/packaging/${changelog}.gz)
    endforeach()
    add_custom_target(pipescope_changelogs ALL DEPENDS ${changelogs})
    install(FILES ${PROJECT_SOURCE_DIR}/packaging/linux/copyright DESTINATION ${docdir})
endif()

if(MINGW)
    # Windows: a portable zip and an NSIS installer of the folder that
    # packaging/windows/ lays out. A Windows version has no "~": 0.1.0-dev.N.
    string(REPLACE "~" "-" windows_version "${PIPESCOPE_PACKAGE_VERSION}")
    set(CPACK_PACKAGE_VERSION ${windows_version})
    set(CPACK_GENERATOR "ZIP;NSIS")
    set(CPACK_PACKAGE_FILE_NAME pipescope-${windows_version}-windows-x64)
    # The zip unpacks to one folder of that name; the installer's file name
    # says "setup" (packaging/windows/CPackOptions.cmake, read per generator).
    set(CPACK_PROJECT_CONFIG_FILE ${PROJECT_SOURCE_DIR}/packaging/windows/CPackOptions.cmake)
    # Our own NSIS template (packaging/windows/NSIS.template.in says why).
    set(CPACK_MODULE_PATH ${PROJECT_SOURCE_DIR}/packaging/windows)
    set(CPACK_PACKAGE_INSTALL_DIRECTORY PipeScope)
    set(CPACK_NSIS_COMPRESSOR "/SOLID lzma")
    set(CPACK_NSIS_MUI_ICON ${PIPESCOPE_ICO})
    set(CPACK_NSIS_MUI_UNIICON ${PIPESCOPE_ICO})
    # The installer's own version resource takes four numbers.
    string(REGEX REPLACE "~dev\\." "." CPACK_PIPESCOPE_VERSION_QUAD "${PIPESCOPE_PACKAGE_VERSION}")
    if(NOT CPACK_PIPESCOPE_VERSION_QUAD MATCHES "^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$")
        string(APPEND CPACK_PIPESCOPE_VERSION_QUAD ".0")
    endif()
endif()

include(CPack)

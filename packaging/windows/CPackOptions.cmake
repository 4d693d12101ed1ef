# Read by CPack once per generator (CPACK_PROJECT_CONFIG_FILE): the zip
# unpacks to one folder, pipescope-VERSION-windows-x64; the installer is
# named …-windows-x64-setup.exe.
if(CPACK_GENERATOR STREQUAL "ZIP")
    set(CPACK_INCLUDE_TOPLEVEL_DIRECTORY ON)
elseif(CPACK_GENERATOR STREQUAL "NSIS")
    string(APPEND CPACK_PACKAGE_FILE_NAME "-setup")
endif()

# pipescope_add_icons(TARGET NAME...): packs resources/icons/NAME.svg into
# TARGET's resources, as ui/window/icons.cpp expects them.
#
# Where the target's Qt has the SVG icon engine plugin (Linux with
# libqt6svg6; an MSVC Qt with qtsvg), the SVG itself, which stays crisp at
# any size. Qt for mingw-w64 here is built from Debian's qt6-base alone
# (qt6-svg's source is not to be had), so that build gets PNG renditions
# NAME-SIZE.png, rendered from the SVG on the build host by rsvg-convert:
# 16, 24 and 32 px (menus, toolbars, title bars), twice each for high-DPI
# screens, and 256 px for the app.
function(pipescope_add_icons target)
    set(svg_dir "${PROJECT_SOURCE_DIR}/resources")
    file(GLOB svg_icon_engine "${QT6_INSTALL_PREFIX}/${QT6_INSTALL_PLUGINS}/iconengines/*qsvgicon*")
    if(svg_icon_engine)
        list(TRANSFORM ARGN REPLACE "^(.+)$" "${svg_dir}/icons/\\1.svg" OUTPUT_VARIABLE svgs)
        qt_add_resources(${target} "pipescope_icons" PREFIX "/" BASE "${svg_dir}" FILES ${svgs})
        return()
    endif()
    set(png_dir "${CMAKE_CURRENT_BINARY_DIR}/rendered")
    set(pngs "")
    foreach(name IN LISTS ARGN)
        foreach(size 16 24 32 48 64 256)
            pipescope_render_svg("${svg_dir}/icons/${name}.svg" ${size} "${png_dir}/icons/${name}-${size}.png")
            list(APPEND pngs "${png_dir}/icons/${name}-${size}.png")
        endforeach()
    endforeach()
    qt_add_resources(${target} "pipescope_icons" PREFIX "/" BASE "${png_dir}" FILES ${pngs})
endfunction()

# pipescope_render_svg(SVG SIZE PNG): a build rule rendering SVG as a
# SIZE × SIZE PNG with rsvg-convert, on the build host. For the Windows
# build's icons, the Linux hicolor icons and the Windows .ico.
function(pipescope_render_svg svg size png)
    find_program(PIPESCOPE_RSVG_CONVERT rsvg-convert REQUIRED)
    get_filename_component(dir "${png}" DIRECTORY)
    get_filename_component(name "${svg}" NAME)
    add_custom_command(OUTPUT "${png}"
        COMMAND ${CMAKE_COMMAND} -E make_directory "${dir}"
        COMMAND ${PIPESCOPE_RSVG_CONVERT} --width=${size} --height=${size} --keep-aspect-ratio
                --output "${png}" "${svg}"
        DEPENDS "${svg}"
        COMMENT "Rendering ${name} at ${size} px"
        VERBATIM)
endfunction()

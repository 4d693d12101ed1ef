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

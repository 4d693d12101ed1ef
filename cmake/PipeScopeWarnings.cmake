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
option(PIPESCOPE_UNITY_BUILD "Compile each library's sources in batches" ON)
function(pipescope_unity_build target)
    if(PIPESCOPE_UNITY_BUILD)
        set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
    endif()
endfunction()

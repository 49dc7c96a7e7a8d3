# Sanitizer and fuzzer flags.
#
# LETF_SANITIZE (a comma list such as `address,undefined`) instruments every target of the build.
# With clang, `undefined` also brings `float-cast-overflow` (a double too large for the integer it
# is cast to; GCC has no such check), and every report aborts the process
# (-fno-sanitize-recover=all) so that a finding fails its test instead of scrolling by.
#
# LETF_FUZZ builds the libFuzzer harnesses of tests/fuzz (clang only): the project's libraries
# get coverage instrumentation (-fsanitize=fuzzer-no-link) plus address and undefined sanitizers,
# and each harness links libFuzzer's driver (letf_fuzz_harness).

set(letf_sanitizers "${LETF_SANITIZE}")
if(LETF_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "LETF_FUZZ needs clang (libFuzzer): configure with "
                        "-DCMAKE_CXX_COMPILER=clang++ (scripts/setup.sh --sanitizers installs it)")
  endif()
  if(NOT letf_sanitizers)
    set(letf_sanitizers "address,undefined")
  endif()
endif()

if(letf_sanitizers)
  string(REPLACE "," ";" letf_sanitizer_list "${letf_sanitizers}")
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND "undefined" IN_LIST letf_sanitizer_list
     AND NOT "float-cast-overflow" IN_LIST letf_sanitizer_list)
    list(APPEND letf_sanitizer_list float-cast-overflow)
  endif()
  list(JOIN letf_sanitizer_list "," letf_sanitizers)
  message(STATUS "Sanitizers: ${letf_sanitizers}")
  set(letf_sanitize_flags -fsanitize=${letf_sanitizers} -fno-sanitize-recover=all
                          -fno-omit-frame-pointer)
  if(LETF_FUZZ)
    # Coverage feedback for libFuzzer in every object; the driver is linked by the harnesses.
    list(APPEND letf_sanitize_flags -fsanitize=fuzzer-no-link)
  endif()
  add_compile_options(${letf_sanitize_flags})
  add_link_options(-fsanitize=${letf_sanitizers})
endif()

# Links libFuzzer's main() into a harness (tests/fuzz); only with LETF_FUZZ.
function(letf_fuzz_harness target)
  target_compile_options(${target} PRIVATE -fsanitize=fuzzer)
  target_link_options(${target} PRIVATE -fsanitize=fuzzer)
endfunction()

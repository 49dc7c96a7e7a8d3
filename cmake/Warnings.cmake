# Warning flags for project targets; third-party headers come from system include dirs.
function(letf_set_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow -Wconversion -Wsign-conversion
                                             -Wpedantic
                                             # C++20 designated initialisers leave the rest default
                                             -Wno-missing-field-initializers)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      # GCC 12 reports false positives inside its own avx512fintrin.h when AVX-512 intrinsics
      # are inlined into project code (GCC bug 105593).
      target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
    endif()
    if(LETF_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()

# Build options. Defaults favour a user building on the machine that runs the simulations.
option(LETF_PORTABLE "Portable build (-march=x86-64-v2) instead of optimising for this CPU" OFF)
option(LETF_WERROR "Treat compiler warnings as errors (on in CI)" OFF)
option(LETF_BUILD_TESTS "Build the GoogleTest suite" ON)
option(LETF_BUILD_BENCH "Build the Google Benchmark suites" ON)
set(LETF_SANITIZE "" CACHE STRING
    "Sanitizers for every target, e.g. address,undefined (see cmake/Sanitizers.cmake)")
option(LETF_FUZZ "Build the libFuzzer harnesses in tests/fuzz (clang only)" OFF)

# Applies the architecture flags to a target: -march=native by default, x86-64-v2 when portable.
function(letf_set_arch target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    if(LETF_PORTABLE)
      target_compile_options(${target} PRIVATE -march=x86-64-v2)
    else()
      target_compile_options(${target} PRIVATE -march=native)
    endif()
  endif()
endfunction()

# MPI (Debian's Open MPI: libopenmpi-dev, openmpi-bin): `mpirun -np N letfsim run|sweep ...`.
# AUTO: on when CMake finds MPI; ON: required; OFF: a single-process build (it still runs
# everything else, and --version says it has no MPI).
set(LETF_MPI AUTO CACHE STRING "Build with MPI: AUTO, ON or OFF")
set_property(CACHE LETF_MPI PROPERTY STRINGS AUTO ON OFF)

# The Python module `letfsim` (pybind11: pybind11-dev, python3-dev), in build/python: AUTO on
# when both are found, ON required, OFF not built.
set(LETF_PYTHON AUTO CACHE STRING "Build the Python module: AUTO, ON or OFF")
set_property(CACHE LETF_PYTHON PROPERTY STRINGS AUTO ON OFF)

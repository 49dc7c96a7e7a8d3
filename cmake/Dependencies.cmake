# Every dependency comes from a Debian package (installed by scripts/setup.sh); nothing is
# downloaded at build time.
find_package(nlohmann_json 3.9 REQUIRED)             # nlohmann-json3-dev
find_package(CLI11 REQUIRED)                         # libcli11-dev
find_package(fmt REQUIRED)                           # libfmt-dev
find_package(OpenMP REQUIRED COMPONENTS CXX)         # libgomp (g++)
find_package(Eigen3 3.3 REQUIRED NO_MODULE)          # libeigen3-dev (regime matrices, Hessians)
find_package(NLopt REQUIRED)                         # libnlopt-cxx-dev (likelihood fits)

# libpcg-cpp-dev ships headers only, without a CMake package: wrap them in an imported target.
find_path(PCG_INCLUDE_DIR pcg_random.hpp REQUIRED)
if(NOT TARGET letf::pcg)
  add_library(letf::pcg INTERFACE IMPORTED)
  set_target_properties(letf::pcg PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${PCG_INCLUDE_DIR}")
endif()

if(LETF_BUILD_TESTS)
  find_package(GTest REQUIRED)                       # libgtest-dev
endif()
if(LETF_BUILD_BENCH)
  find_package(benchmark REQUIRED)                   # libbenchmark-dev
endif()

# MPI (cmake/Options.cmake, LETF_MPI). LETF_HAVE_MPI tells the rest of the build.
set(LETF_HAVE_MPI OFF)
if(LETF_MPI STREQUAL "ON")
  find_package(MPI REQUIRED COMPONENTS CXX)          # libopenmpi-dev
  set(LETF_HAVE_MPI ON)
elseif(LETF_MPI STREQUAL "AUTO")
  find_package(MPI QUIET COMPONENTS CXX)
  if(MPI_CXX_FOUND)
    set(LETF_HAVE_MPI ON)
  endif()
elseif(NOT LETF_MPI STREQUAL "OFF")
  message(FATAL_ERROR "LETF_MPI must be AUTO, ON or OFF (got ${LETF_MPI})")
endif()
if(LETF_HAVE_MPI)
  message(STATUS "letfsim: MPI ${MPI_CXX_VERSION} (${MPIEXEC_EXECUTABLE}): mpirun -np N letfsim")
else()
  message(STATUS "letfsim: built without MPI (LETF_MPI=${LETF_MPI})")
endif()

# The Python module (cmake/Options.cmake, LETF_PYTHON). LETF_HAVE_PYTHON tells the rest.
set(LETF_HAVE_PYTHON OFF)
if(NOT LETF_PYTHON STREQUAL "OFF")
  if(LETF_PYTHON STREQUAL "ON")
    set(letf_python_required REQUIRED)
  elseif(NOT LETF_PYTHON STREQUAL "AUTO")
    message(FATAL_ERROR "LETF_PYTHON must be AUTO, ON or OFF (got ${LETF_PYTHON})")
  endif()
  # Debian's interpreter (its python3-numpy, -pytest), not another one earlier on PATH.
  if(NOT Python3_EXECUTABLE AND EXISTS /usr/bin/python3)
    set(Python3_EXECUTABLE /usr/bin/python3)
  endif()
  find_package(Python3 COMPONENTS Interpreter Development.Module ${letf_python_required})
  if(Python3_Development.Module_FOUND)
    find_package(pybind11 CONFIG ${letf_python_required})     # pybind11-dev
  endif()
  if(Python3_Development.Module_FOUND AND pybind11_FOUND)
    set(LETF_HAVE_PYTHON ON)
    message(STATUS "letfsim: Python module for Python ${Python3_VERSION} (build/python)")
  else()
    message(STATUS "letfsim: no Python module (needs python3-dev and pybind11-dev)")
  endif()
endif()

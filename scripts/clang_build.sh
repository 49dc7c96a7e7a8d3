# Sourced by scripts/sanitize.sh and scripts/fuzz.sh: configures one clang build folder with
# ASan + UBSan (+ float-cast-overflow, cmake/Sanitizers.cmake) and the libFuzzer harnesses.
# Both scripts configure identically, so one folder can serve both (CI builds the library once):
# the harnesses are only built when asked for, and the coverage instrumentation they need
# (-fsanitize=fuzzer-no-link) costs the test suite little. Debug keeps the debug-only invariant
# checks (asserts); -O1 keeps the Monte Carlo tests and the fuzzers fast under the sanitizers.
# Without MPI: Open MPI's own allocations outlive MPI_Finalize, which LeakSanitizer would report
# in every MPI test; the sanitizers check the distributed code through the single-process world
# (the same cluster_run, checkpoint and merge code), and the GCC build runs the mpirun tests.
# Without the Python module: an ASan-instrumented extension needs the ASan runtime preloaded
# into the interpreter; the GCC build runs its tests.
#   letf_clang_configure BUILD_DIR
letf_clang_configure() {
  local werror=OFF
  [ "${CI:-}" = true ] && werror=ON
  local tool
  for tool in clang clang++; do
    command -v "$tool" >/dev/null || {
      echo "$tool missing: run scripts/setup.sh --sanitizers" >&2
      return 1
    }
  done
  cmake -S . -B "$1" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
        -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" -DLETF_SANITIZE=address,undefined -DLETF_FUZZ=ON \
        -DLETF_BUILD_TESTS=ON -DLETF_BUILD_BENCH=OFF -DLETF_WERROR="$werror" -DLETF_MPI=OFF -DLETF_PYTHON=OFF \
        >/dev/null
}

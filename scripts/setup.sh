#!/usr/bin/env bash
# Installs the Debian packages letfsim needs (only those missing) and builds Release into build/.
# Idempotent and quick when everything is there.
#   scripts/setup.sh --sanitizers   also installs clang, its sanitizer and libFuzzer runtimes and
#                                   LLVM's OpenMP (for scripts/sanitize.sh and scripts/fuzz.sh)
# Environment:
#   LETF_PORTABLE=1   portable build (-march=x86-64-v2) instead of -march=native
#   LETF_BUILD_DIR    build folder (default: build)
#   CI=true           warnings become errors
#   LETF_TARGET=NAME  build only that CMake target (default: all, tests and benchmarks too)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake pkg-config libpcg-cpp-dev nlohmann-json3-dev
          libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev libfmt-dev
          libeigen3-dev libnlopt-cxx-dev libopenmpi-dev openmpi-bin
          python3 python3-numpy python3-matplotlib python3-jsonschema time
          pybind11-dev python3-dev python3-pytest help2man)
for arg in "$@"; do
  case "$arg" in
    --sanitizers) packages+=(clang libclang-rt-14-dev libomp-14-dev) ;;
    *) echo "setup: unknown argument $arg (expected --sanitizers)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then sudo_cmd=(sudo -n); else
      echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt_opts=(-y -q --no-install-recommends -o Dpkg::Options::=--force-confdef
            -o Dpkg::Options::=--force-confold)
  if ! "${sudo_cmd[@]}" apt-get install "${apt_opts[@]}" "${missing[@]}" >/dev/null; then
    "${sudo_cmd[@]}" apt-get update -q >/dev/null
    "${sudo_cmd[@]}" apt-get install "${apt_opts[@]}" "${missing[@]}" >/dev/null
  fi
fi

build_dir=${LETF_BUILD_DIR:-build}
portable=OFF; [ "${LETF_PORTABLE:-0}" = 1 ] && portable=ON
werror=OFF; [ "${CI:-}" = true ] && werror=ON

if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DLETF_PORTABLE="$portable" \
        -DLETF_WERROR="$werror" >/dev/null
else
  cmake -S . -B "$build_dir" -DLETF_PORTABLE="$portable" -DLETF_WERROR="$werror" >/dev/null
fi
# LETF_TARGET: build only that target (scripts/run.sh: letfsim), default everything.
cmake --build "$build_dir" -j "$(nproc)" ${LETF_TARGET:+--target "$LETF_TARGET"}

#!/usr/bin/env bash
# `cmake --install` into a scratch prefix, then a small consumer built against it twice: with
# pkg-config (letf.pc) and with the CMake package (find_package(letf)); both must run.
#   install_check.sh BUILD_DIR SOURCE_DIR SCRATCH
set -eu
build=$1 src=$2 scratch=$3
prefix="$scratch/prefix"
rm -rf "$scratch" && mkdir -p "$scratch"
cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/letfsim include/letf/engine/engine.hpp include/letf/version.hpp \
         share/letfsim/schemas/report.schema.json share/bash-completion/completions/letfsim; do
  [ -e "$prefix/$f" ] || { echo "FAIL: $f was not installed"; exit 1; }
done
libdir=$(find "$prefix" -name libletf.a -printf '%h\n' | head -1)
# pkg-config
export PKG_CONFIG_PATH="$libdir/pkgconfig"
# shellcheck disable=SC2046
g++ "$src/tests/install/consumer.cpp" -o "$scratch/consumer_pc" $(pkg-config --cflags --libs letf)
"$scratch/consumer_pc"
# CMake package
cmake -S "$src/tests/install" -B "$scratch/cmake" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$scratch/cmake" >/dev/null
"$scratch/cmake/consumer"
echo "install ok"

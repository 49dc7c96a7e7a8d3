#!/usr/bin/env bash
# Sets up and builds if needed, then runs every test through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
ctest --test-dir "${LETF_BUILD_DIR:-build}" --output-on-failure -j "$(nproc)" "$@"

#!/usr/bin/env bash
# Sets up and builds if needed, then runs the quickstart scenario.
# Extra arguments go to `letfsim run` (e.g. --paths 10000 --threads 2).
set -euo pipefail
cd "$(dirname "$0")/.."
# Only the binary it runs is built, and the build's chatter goes to stderr: stdout is the run's.
LETF_TARGET=letfsim scripts/setup.sh >&2
exec build/letfsim run configs/quickstart.json "$@"

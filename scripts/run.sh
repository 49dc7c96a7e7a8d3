#!/usr/bin/env bash
# Sets up and builds if needed, then runs the quickstart scenario.
# Extra arguments go to `letfsim run` (e.g. --paths 10000 --threads 2).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec build/letfsim run configs/quickstart.json "$@"

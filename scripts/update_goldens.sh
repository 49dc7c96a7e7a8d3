#!/usr/bin/env bash
# Rewrites the whole-report goldens (tests/golden/*.json) from the current build, on purpose:
# after a change that is meant to change reports. Review `git diff tests/golden` before
# committing: every changed number must be one the change explains.
#   scripts/update_goldens.sh           # every case
#   scripts/update_goldens.sh quickstart
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
python3 tests/golden/golden.py "${LETF_BUILD_DIR:-build}/letfsim" --update "$@"

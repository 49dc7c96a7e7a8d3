#!/usr/bin/env bash
# Writes the man page letfsim.1 from the program's own --help texts (help2man): the top-level
# help, then one section per subcommand with its full --help. The build runs it when help2man
# is installed (CMake target `man`, part of `all`; `cmake --install` installs the page).
#   scripts/make_man.sh LETFSIM OUT.1
set -euo pipefail
exe=$1 out=$2
command -v help2man >/dev/null || { echo "make_man.sh: help2man is missing (apt-get install help2man)" >&2; exit 2; }
include=$(mktemp)
trap 'rm -f "$include"' EXIT
{
  echo "[COMMANDS]"
  for cmd in $("$exe" --help | sed -n '/^Subcommands:/,/^$/s/^  \([a-z]*\) .*/\1/p'); do
    echo ".SS $cmd"
    echo ".nf"
    "$exe" "$cmd" --help | sed -e 's/\\/\\\\/g' -e 's/^\./\\\&./'
    echo ".fi"
  done
  echo "[SEE ALSO]"
  echo "The README of the letfsim sources: scenario files, reports, studies, cluster runs."
} >"$include"
help2man --no-info --no-discard-stderr --include="$include" \
  --name="Monte Carlo simulator of path dependency in leveraged and inverse funds" \
  --output="$out" "$exe"

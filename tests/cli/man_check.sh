#!/usr/bin/env bash
# The generated man page (scripts/make_man.sh) has a section for every subcommand of
# `letfsim --help` and the flags of each. man_check.sh LETFSIM MANPAGE
set -u
letfsim=$1 page=$2
for cmd in $("$letfsim" --help | sed -n '/^Subcommands:/,/^$/s/^  \([a-z]*\) .*/\1/p'); do
  grep -q "^\.SS $cmd\$" "$page" || { echo "FAIL: no section for $cmd"; exit 1; }
  for flag in $("$letfsim" "$cmd" --help | grep -oE '^ +--[a-z][a-z-]*' | tr -d ' '); do
    grep -qF -- "$flag" "$page" || { echo "FAIL: $cmd $flag is not in the page"; exit 1; }
  done
done
echo "man ok"

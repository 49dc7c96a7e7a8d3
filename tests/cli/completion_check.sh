#!/usr/bin/env bash
# The bash completion (scripts/completion/letfsim.bash) against the real binary: subcommands,
# every flag of `run --help`, fixed values. completion_check.sh LETFSIM SOURCE_DIR
set -u
letfsim=$1 src=$2
fail() { echo "FAIL: $*"; exit 1; }
. "$src/scripts/completion/letfsim.bash"
complete_line() { COMP_WORDS=("$letfsim" "$@"); COMP_CWORD=$(($# )); COMPREPLY=(); _letfsim; echo "${COMPREPLY[*]}"; }
got=$(complete_line r)
[[ " $got " == *" run "* && " $got " == *" rebalance "* ]] || fail "letfsim r: '$got'"
got=$(complete_line me)
[ "$got" = merge ] || fail "letfsim me: '$got'"
got=$(complete_line run --chec)
[ "$got" = "--checkpoint --checkpoint-every" ] || fail "letfsim run --chec: '$got'"
all=$(complete_line run --)
for flag in $("$letfsim" run --help | grep -oE '\-\-[a-z][a-z-]*' | sort -u); do
  [[ " $all " == *" $flag "* ]] || fail "run $flag is not completed: '$all'"
done
got=$(complete_line fit x.csv --model g)
[ "$got" = "garch gjr" ] || fail "--model g: '$got'"
echo "completion ok"

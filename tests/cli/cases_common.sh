# Shared by the CLI case scripts (io_cases.sh, terminal_cases.sh): sourced, not run.

fail() { echo "FAIL: $*"; exit 1; }
# expect CODE CMD...: runs CMD, checks the exit code and a one-line stderr; stderr in $err.
expect() {
  local want=$1; shift
  "$@" >out.txt 2>err.txt; local rc=$?
  err=$(cat err.txt)
  [ "$rc" -eq "$want" ] || fail "exit $rc, expected $want: $* :: $err"
  if [ "$want" -ne 0 ]; then
    [ "$(wc -l <err.txt)" -eq 1 ] || fail "stderr is not one line: $err"
  fi
  return 0
}

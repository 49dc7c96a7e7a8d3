#!/usr/bin/env bash
# Validates the daily-reset cost model against real funds, reading the market data from
# ../shared/data/market (or $LETF_MARKET_DATA) without copying it, and writes
# results/validation/table.md and results/validation/growth.png.
#
#   scripts/validate_real.sh                   full run (builds letfsim first if it is missing)
#   scripts/validate_real.sh --check UPRO      one fund: exit 0 if its gap is within 0.5 %/yr,
#                                              1 if not
# Options: --letfsim EXE (default build/letfsim), --data DIR. Exits 77 (skipped) when the market
# data folder is absent.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data=${LETF_MARKET_DATA:-$root/../shared/data/market}
letfsim=$root/build/letfsim
check=()
while (($#)); do
  case $1 in
    --check) check=(--check "$2"); shift 2 ;;
    --letfsim) letfsim=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    *) echo "validate_real: unknown argument $1" >&2; exit 2 ;;
  esac
done

if [ ! -f "$data/SPY.csv" ] || [ ! -f "$data/rates/DTB3.csv" ]; then
  echo "validate_real: market data not found in $data (set LETF_MARKET_DATA); skipped" >&2
  exit 77
fi
if [ ! -x "$letfsim" ]; then
  "$root/scripts/setup.sh" >/dev/null
fi
# Debian's python3 carries numpy and matplotlib (python3-matplotlib); prefer it to other ones.
python=python3
[ -x /usr/bin/python3 ] && python=/usr/bin/python3
cd "$root"
exec "$python" "$root/scripts/validate_real.py" --letfsim "$letfsim" --data "$data" \
  --out "$root/results/validation" "${check[@]}"

#!/usr/bin/env bash
# Validates the Treasury funds (TMF, UBT, TYD) and the 55/45 UPRO/TMF portfolio against the real
# funds, reading the market data from ../shared/data/market (or $LETF_MARKET_DATA) without
# copying it, and writes results/validation/portfolio.md and results/validation/portfolio_growth.png
# (scripts/validate_portfolio.py says what is run and compared).
#
#   scripts/validate_portfolio.sh             full run (builds letfsim first if it is missing)
#   scripts/validate_portfolio.sh --check     the CTest check (validation.portfolio): exit 0 if
#                                             the simulated quarterly 55/45 CAGR is within
#                                             1 %/yr of the real mix's, the real-mix run
#                                             reproduces UPRO's and TMF's closes and TMF's
#                                             backtest gap is within 0.5 %/yr; 1 if not
# Options: --letfsim EXE (default build/letfsim), --data DIR, --help. Exits 2 on a usage error
# and 77 (skipped) when the market data files are absent. Writes nothing else, and the two result
# files are tracked and come out byte for byte the same: a clean checkout stays clean.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data=${LETF_MARKET_DATA:-$root/../shared/data/market}
letfsim=$root/build/letfsim
check=()
usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }
while (($#)); do
  case $1 in
    --check) check=(--check); shift ;;
    --letfsim|--data)
      if (($# < 2)); then echo "validate_portfolio: $1 needs a value" >&2; exit 2; fi
      if [ "$1" = --letfsim ]; then letfsim=$2; else data=$2; fi
      shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "validate_portfolio: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

for f in SPY.csv TLT.csv IEF.csv UPRO.csv TMF.csv UBT.csv TYD.csv rates/DTB3.csv; do
  if [ ! -f "$data/$f" ]; then
    echo "validate_portfolio: market data not found ($data/$f is missing;" \
         "set LETF_MARKET_DATA); skipped" >&2
    exit 77
  fi
done
if [ ! -x "$letfsim" ]; then
  LETF_TARGET=letfsim "$root/scripts/setup.sh" >/dev/null
fi
# Debian's python3 carries numpy and matplotlib (python3-matplotlib); prefer it to other ones.
python=python3
[ -x /usr/bin/python3 ] && python=/usr/bin/python3
cd "$root"
exec "$python" "$root/scripts/validate_portfolio.py" --letfsim "$letfsim" --data "$data" \
  --out "$root/results/validation" "${check[@]}"

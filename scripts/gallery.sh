#!/usr/bin/env bash
# Rebuilds the gallery: results/gallery/*.png and results/README.md.
#
#   scripts/gallery.sh
#
# Runs the studies in configs/studies/ (into results/studies/<name>/; study.csv is kept in git,
# study.json and points/ are not; model_risk only when this letfsim has its models) and a
# showcase run (configs/quickstart.json over 3 years, written to results/showcase.json), then
# plots them with scripts/plot_run.py and scripts/plot_study.py. Builds letfsim first
# (scripts/setup.sh) when it is missing. Its time and size: README.md, Plotting and gallery.
# The same build writes the same bytes, so a clean clone stays clean. Environment:
# LETF_BUILD_DIR (default build), PYTHON (default /usr/bin/python3, the interpreter Debian's
# python3-matplotlib is for), DPI (default 80).
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${LETF_BUILD_DIR:-build}
letfsim=$build_dir/letfsim
python=${PYTHON:-/usr/bin/python3}
dpi=${DPI:-80}
[ -x "$letfsim" ] || scripts/setup.sh
export MPLBACKEND=Agg

studies=(vol_x_multiple holding_period trend_vs_chop)
gallery=results/gallery
rm -rf "$gallery"
mkdir -p "$gallery" results/studies
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# model_risk needs the models of issue 11 (garch, heston, merton, regime) and SPY's closes: each
# of its axis values as a one-point scenario (data paths made absolute) must pass `letfsim
# validate`, else it is skipped, so that the gallery still builds with a letfsim that lacks them.
"$python" - configs/studies/model_risk.json "$tmp" <<'PY'
import copy, json, os, sys
study_file, out = sys.argv[1:]
s = json.load(open(study_file))
for k, model in enumerate(s["axes"][0]["values"]):
    if "csv" in model:
        model["csv"] = os.path.abspath(os.path.join(os.path.dirname(study_file), model["csv"]))
    c = dict(copy.deepcopy(s["base"]), model=model, paths=10)
    json.dump(c, open(os.path.join(out, f"model_risk_{k}.json"), "w"))
PY
if "$letfsim" validate "$tmp"/model_risk_*.json >/dev/null 2>"$tmp/why"; then
  studies+=(model_risk)
else
  echo "gallery: skipping study model_risk (this letfsim cannot validate its models):" \
       "$(head -n 1 "$tmp/why")" >&2
fi
# hfea_weights needs SPY's and TLT's closes and the T-bill rates (../shared/data/market).
grid_studies=()
market=../shared/data/market
if [ -f "$market/SPY.csv" ] && [ -f "$market/TLT.csv" ] && [ -f "$market/rates/DTB3.csv" ]; then
  grid_studies+=(hfea_weights)
else
  echo "gallery: skipping study hfea_weights ($market lacks SPY.csv, TLT.csv or rates/DTB3.csv)" >&2
fi

for s in "${studies[@]}" "${grid_studies[@]}"; do
  echo "gallery: study $s" >&2
  "$letfsim" sweep "configs/studies/$s.json" -o "results/studies/$s"
done

# The showcase: the quickstart over 3 years, with quantile bands over time and histograms of the
# terminal value when this letfsim supports them (else those figures are skipped or simplified).
showcase=$tmp/showcase.json
"$python" - "$showcase" <<'PY'
import json, sys
c = json.load(open("configs/quickstart.json"))
c.update(name="showcase", days=756, paths=50000,
         bands={"every_days": 21, "quantiles": [0.05, 0.25, 0.5, 0.75, 0.95]},
         histogram={"bins": 60, "min": 0.01, "max": 100})
json.dump(c, open(sys.argv[1], "w"), indent=2)
PY
if ! "$letfsim" validate "$showcase" >/dev/null 2>&1; then
  echo "gallery: this letfsim has no \"bands\"/\"histogram\"; showcase without them" >&2
  "$python" - "$showcase" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c.pop("bands"); c.pop("histogram")
json.dump(c, open(sys.argv[1], "w"), indent=2)
PY
fi
echo "gallery: showcase run" >&2
"$letfsim" run "$showcase" -q -o results/showcase.json

"$python" scripts/plot_run.py results/showcase.json -o "$gallery" --dpi "$dpi" >/dev/null
for s in "${studies[@]}"; do
  "$python" scripts/plot_study.py "results/studies/$s" -o "$gallery" --dpi "$dpi" >/dev/null
done
"$python" scripts/plot_study.py results/studies/vol_x_multiple -o "$gallery" --dpi "$dpi" \
  --x /model/sigma --metric prob_loss >/dev/null
for s in "${grid_studies[@]}"; do
  "$python" scripts/plot_grid.py "results/studies/$s" -o "$gallery" --dpi "$dpi" \
    --ylabel "stock / bond weight (3x sleeves)" --xlabel "rebalancing period" >/dev/null
done

# results/README.md: every figure with a caption.
{
  cat <<'MD'
# Results

`results/` is the default report folder: `letfsim run` writes `results/<scenario name>.json`
and `letfsim sweep` writes `results/<study name>/` (relative to the current folder). Git ignores
the reports (`results/*.json`), every folder in `results/` but the curated `bench/`, `gallery/`,
`studies/` and `validation/` (so a sweep's folder and `plot_run.py -o results/plots` stay out of
`git status`), and in `studies/` each study's `study.json`, `points/` and lock file: only its
`study.csv` is tracked. Add a curated file with `git add -f`.

## Gallery

Made by `scripts/gallery.sh` (its time and size: the main README, Plotting and gallery): the
studies in `configs/studies/` but rotation_vs_hold (model_risk and hfea_weights when letfsim
has their models and the closes of SPY and TLT) and a showcase run (`configs/quickstart.json` over 756
trading days, 50,000 paths), plotted by `scripts/plot_run.py`, `scripts/plot_study.py` and `scripts/plot_grid.py`. V
is the value of a position started at V_0 = 1, S the index (S_0 = 1), L the multiple; the log
decay L ln(S_T/S_0) - ln(V_T/V_0) is how far the position's log return trails L times the
index's. Each study's table is in `results/studies/<name>/study.csv` (per point, a row for the
index and one per strategy x multiple); `scripts/plot_study.py` draws from it alone.

MD
  caption() {
    case "$1" in
      showcase_fan) echo "Quantile bands of the value of 1 invested over 3 years, on a log axis: the daily-reset fund (shaded), the unrebalanced position (dashed) and the index itself (black), with the reference L x index, 1 + L (S_t/S_0 - 1) on the index's median path (dotted; clipped where it is not positive).";;
      showcase_terminal) echo "Distribution of the value of 1 invested after 3 years (log axis); each panel's legend gives each position's share of paths wiped out (V_T = 0, off a log axis).";;
      showcase_decay) echo "Mean log decay by multiple with +/- 2 standard errors; black bars: the continuous-time value (L^2 - L) sigma^2 T / 2.";;
      showcase_underperform) echo "How often each position ends below 1 + L (S_T/S_0 - 1), and how often it loses money.";;
      showcase_cagr) echo "CAGR (V_T/V_0)^(1/3) - 1 per path over the 3 years, by strategy and multiple: boxes 25-75 % of paths, whiskers 1-99 %, median line, mean diamond (a wiped-out path counts as -100 %); dashed: the index's median; red pointers: the continuous-time median CAGR of the daily-reset fund.";;
      showcase_survival) echo "Survival curves: the exact share of paths wiped out (left) and having lost half, V_t/V_0 < 0.5 (right), by each day; colour the multiple, line style the strategy, dotted the index.";;
      showcase_under_water) echo "Longest time under water per path (trading days from a peak to the next new peak, or to the horizon), by strategy and multiple; dashed: the index's median.";;
      vol_x_multiple_heatmap_log_decay) echo "Median log decay after one year over index volatility and multiple, on a colour scale from the data's minimum, with the theory (L^2 - L) sigma^2 T / 2 as black contours (their levels marked on the colour bar): it grows like (L^2 - L) sigma^2; inverse funds decay fastest.";;
      vol_x_multiple_heatmap_underperform) echo "Share of paths on which the position ends below L x the index return.";;
      vol_x_multiple_heatmap_cagr) echo "Median CAGR after one year over index volatility and multiple (a wiped-out path counts as -100 %): with mu = 7 % the median 2x fund loses money above sigma of about 0.26 and the 3x above about 0.22, where L mu = L^2 sigma^2 / 2.";;
      vol_x_multiple_heatmap_lost_50pct) echo "Probability that the position was below half its start value at some close within one year.";;
      vol_x_multiple_prob_loss_vs_model_sigma) echo "Probability of a loss after one year against index volatility, one line per multiple.";;
      holding_period_decay_vs_days) echo "Mean log decay against the holding period (1 month to 5 years): Monte Carlo markers with +/- 2 standard errors, the theory as lines (hollow markers and dashed lines for L < 0, so that -1x and 2x, which share L^2 - L, stay apart). It grows in proportion to time for daily-reset funds.";;
      trend_vs_chop_median_vs_model) echo "Median terminal value in six markets (dashed: 1, the money invested; a cross: a median of 0, wiped out): daily-reset funds win in a steady trend and lose in chop.";;
      trend_vs_chop_prob_underperform_target_vs_model) echo "Share of paths below L x the index return, by market.";;
      trend_vs_chop_side_by_side_model) echo "Log decay (median line, mean diamond) and probability of a wipe-out (+/- 1 standard error) of the daily-reset fund at each multiple, by market.";;
      hfea_weights_grid_cagr_median) echo "Median CAGR over 10 years of a 3x stock / 3x bond mix (UPRO- and TMF-like costs, SPY and TLT days 2002-2025 resampled jointly in 20-day blocks) by stock weight and rebalancing period (scripts/plot_grid.py): rebalancing beats never above a 50 % stock weight.";;
      hfea_weights_grid_p05) echo "The 5 % quantile of V_T/V_0 of the same mixes: 1 path in 20 ends below it. The 55-60 % stock mixes rebalanced every 21-63 days lose the least in the bad tail; never rebalancing lets the stock sleeve drift and deepens it.";;
      model_risk_side_by_side_model) echo "Model risk: -3x and 3x daily-reset funds over one year in six index models with the same annual volatility, 18.6 % (SPY's): gbm, a bootstrap of SPY's days, GARCH with Student-t shocks, Heston, Merton jumps and two regimes. Top: the spread of the log decay (boxes of its quantiles, or mean +/- 1 s.d. where the reports hold none; median line, mean diamond); bottom: the probability of a wipe-out with +/- 1 standard error (on a log scale where it spans decades, zero at the bottom).";;
      *) echo "";;
    esac
  }
  order=(showcase_fan showcase_terminal showcase_decay showcase_underperform showcase_cagr
         showcase_survival showcase_under_water
         vol_x_multiple_heatmap_log_decay vol_x_multiple_heatmap_underperform
         vol_x_multiple_heatmap_cagr vol_x_multiple_heatmap_lost_50pct
         vol_x_multiple_prob_loss_vs_model_sigma holding_period_decay_vs_days
         trend_vs_chop_median_vs_model trend_vs_chop_prob_underperform_target_vs_model
         trend_vs_chop_side_by_side_model model_risk_side_by_side_model
         hfea_weights_grid_cagr_median hfea_weights_grid_p05)
  names=()
  for name in "${order[@]}"; do [ -f "$gallery/$name.png" ] && names+=("$name"); done
  for png in "$gallery"/*.png; do
    name=$(basename "$png" .png)
    [[ " ${names[*]} " == *" $name "* ]] || names+=("$name")
  done
  for name in "${names[@]}"; do
    echo "### $name"
    echo
    text=$(caption "$name")
    [ -n "$text" ] && echo "$text" && echo
    echo "![$name](gallery/$name.png)"
    echo
  done
} > results/README.md.tmp
mv results/README.md.tmp results/README.md
du -sh "$gallery" >&2
echo "gallery: wrote $gallery and results/README.md" >&2

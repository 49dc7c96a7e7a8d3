#pragma once
/// \file config/calibration.hpp
/// The FUNDS.json file of `letfsim calibrate` (backtest/calibrate.hpp): the funds to fit one
/// cost model to, the fixed parts of that model and what to fit.
///
///     {"data_dir": "../../../shared/data/market",       // optional, default the file's folder
///      "costs": {"financing_rate": {"csv": "rates/DTB3.csv", "max_stale_days": 180}, ...},
///      "fit": ["b", "spread_long", "spread_short"],        // optional, the default
///      "objective": "median",                              // optional, the default
///      "gaps": "window",                                   // or "calendar_year"; the default
///      "split": 0.5,  or  "train_end": "2016-01-04",       // optional, default split 0.5
///      "column": "Close",                                  // optional, see below
///      "funds": [{"fund": "UPRO.csv", "index": "SPY.csv", "multiple": 3,
///                 "expense_ratio": 0.0091, "index_expense_ratio": 0.000945,
///                 "name": "UPRO", "expense_schedule": [{"from": DATE, "expense_ratio": X}],
///                 "column": "Adj Close"}]}
///
/// `costs` is a cost model (costs.hpp) holding the fixed parts; its paths are relative to this
/// file's folder, the fund and index CSVs to data_dir. Each fund's expense_ratio (and optional
/// schedule) replaces the model's. `column` is the value column of a fund's fund and index CSVs
/// (the fund's own, else the file's, else the reader's default: `Adj Close` when the file has
/// one, else `close`; market_data.hpp). The fitted parameters start from the model's values. CLI
/// flags (--fit, --objective, --gaps, --split, --train-end) replace the file's keys.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "letf/config/costs.hpp"
#include "letf/market/market_data.hpp"

namespace letf {

/// A parameter of the cost model that calibrate can fit; the names --fit and "fit" take.
///   b (financing_markup), spread_long (financing_spread), spread_short (short_fee),
///   markdown (cash_credit_markdown), rebalance_cost.
enum class FitParam { markup, spread_long, spread_short, markdown, rebalance_cost };
/// How the per-fund training gaps g_i (simulated - real CAGR) are pooled into one number:
///   median         sum_i |g_i| (least absolute deviations, the median's criterion: with one
///                  parameter that shifts every gap alike it drives the median gap to 0)
///   least_squares  sum_i g_i^2
///   minimax        max_i |g_i|
enum class CalibrationObjective { median, least_squares, minimax };
/// What a training gap is taken over: each fund's whole training window (one gap per fund), or
/// each calendar year of it (one gap per fund-year, weighted by its length in years, so the
/// rate's changes within a window inform the fit).
enum class CalibrationGaps { window, calendar_year };

std::optional<FitParam> parse_fit_param(std::string_view name);
const char* fit_param_name(FitParam p);
/// "b, spread_long, spread_short, markdown, rebalance_cost" (also the JSON keys are accepted).
std::string fit_param_names();
std::optional<CalibrationObjective> parse_objective(std::string_view name);
const char* objective_name(CalibrationObjective o);

struct CalibrationFund {
    std::string name;                 ///< for tables; default the fund file's stem
    std::string fund_csv, index_csv;  ///< resolved paths
    std::optional<std::string> column; ///< value column of both CSVs; nullopt: the default
    double multiple = 1.0;            ///< L, non-zero, in [-100, 100]
    double expense_ratio = 0.0;       ///< annual
    double index_expense_ratio = 0.0; ///< annual, added back to the index return
    std::vector<ExpenseStep> expense_schedule;
};

/// The split of each fund's common dates into a training and a test window: the training window
/// ends at train_end, or at its own date number floor(split (N - 1)) of N; the test window starts
/// at that close.
struct CalibrationSplit {
    std::optional<Date> train_end;
    double split = 0.5; ///< in (0, 1), used when train_end is absent
};

struct CalibrationSpec {
    std::string file;
    Costs costs; ///< the fixed parts and the start values of the fitted ones
    std::vector<CalibrationFund> funds;
    std::vector<FitParam> fit{FitParam::markup, FitParam::spread_long, FitParam::spread_short};
    CalibrationObjective objective = CalibrationObjective::median;
    CalibrationGaps gaps = CalibrationGaps::window;
    CalibrationSplit split;
};

/// Reads FUNDS.json (see the file comment). Throws InputError naming the file, JSON pointer and
/// value.
CalibrationSpec parse_calibration(const nlohmann::json& doc, const std::string& file);
CalibrationSpec load_calibration(const std::string& path);
/// The --fit list: names separated by commas, each known and given once. Throws InputError at
/// (`file`, `at`).
std::vector<FitParam> parse_fit_list(std::string_view list, const std::string& file,
                                     const std::string& at);

} // namespace letf

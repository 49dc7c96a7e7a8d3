#include "backtest_cmd.hpp"

#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "cli_util.hpp"
#include "letf/backtest/backtest.hpp"
#include "letf/base/error.hpp"
#include "letf/io/atomic_file.hpp"
#include "letf/market/market_data.hpp"
#include "letf/output/calculator_json.hpp"
#include "output_check.hpp"

namespace letf::cli {
namespace {

/// Throws InputError naming `flag` unless 1 <= days <= limits::kMaxCalendarDays.
void check_days_flag(const char* flag, int days) {
    if (days < 1 || days > limits::kMaxCalendarDays)
        throw InputError("command line", flag,
                         fmt::format("must be an integer in [1, {}]", limits::kMaxCalendarDays),
                         std::to_string(days));
}

std::string percent(double x) {
    return std::isfinite(x) ? fmt::format("{:+.2f}%", 100.0 * x) : std::string("-");
}

} // namespace

BacktestCommand::BacktestCommand(CLI::App& app)
    : Command(app.add_subcommand(
          "backtest", "Simulate a daily-reset fund from an index ETF's closes and compare it "
                      "with the real fund's adjusted closes")) {
    cmd_->add_option("--index", index_, "Index ETF closes, CSV date,close (total return)")
        ->required();
    cmd_->add_option("--fund", fund_, "Real fund's adjusted closes, CSV date,close")->required();
    cmd_->add_option("--multiple", multiple_, "Fund multiple L (negative for inverse funds)")
        ->required();
    cmd_->add_option("--expense-ratio", expense_ratio_, "Fund's annual expense ratio (0.0091)");
    cmd_->add_option("--index-expense-ratio", index_expense_ratio_,
                     "Index ETF's annual expense ratio, added back to its return (default 0)");
    cmd_->add_option("--rate", rate_, "Financing rate series, CSV date,close in percent per year");
    cmd_->add_option("--rate-max-stale-days", rate_max_stale_days_,
                     "Most calendar days a rate is carried forward (default 10)");
    auto* spread = cmd_->add_option("--spread", spread_,
                                    "Annual spread per unit of borrowed or short exposure");
    auto* fit = cmd_->add_flag("--fit-spread", fit_spread_,
                               "Simulate with the spread that matches the real CAGR");
    spread->excludes(fit);
    cmd_->add_option("--start", start_, "First date used (YYYY-MM-DD)");
    cmd_->add_option("--end", end_, "Last date used (YYYY-MM-DD)");
    cmd_->add_option("--max-gap-days", max_gap_days_,
                     "Longest calendar-day gap allowed between rows of a CSV (default 10)");
    cmd_->add_flag("--json", json_, "Print one JSON object instead of text");
    cmd_->add_option("-o,--output", output_, "Write the JSON object and daily growth series");
}

BacktestOptions BacktestCommand::options() const {
    BacktestOptions o;
    o.multiple = check_flag("--multiple", multiple_, Range::closed(-100.0, 100.0));
    if (o.multiple == 0.0)
        throw InputError("command line", "--multiple", "must not be 0", "0");
    o.expense_ratio = check_flag("--expense-ratio", expense_ratio_, Range::closed(0.0, 1.0));
    o.index_expense_ratio =
        check_flag("--index-expense-ratio", index_expense_ratio_, Range::closed(0.0, 1.0));
    o.spread = check_flag("--spread", spread_, Range::closed(-1.0, 1.0));
    o.fit_spread = fit_spread_;
    o.start = date_flag(*cmd_, "--start", start_);
    o.end = date_flag(*cmd_, "--end", end_);
    if (o.start && o.end && *o.start > *o.end)
        throw InputError("command line", "--end", "must not be before --start", end_);
    check_days_flag("--rate-max-stale-days", rate_max_stale_days_);
    check_days_flag("--max-gap-days", max_gap_days_);
    o.rate_max_stale_days = rate_max_stale_days_;
    return o;
}

BacktestResult BacktestCommand::run_backtest_files(const BacktestOptions& o) const {
    CsvOptions prices;
    prices.max_gap_days = max_gap_days_;
    const PriceSeries index = read_price_csv(index_, prices);
    const PriceSeries fund = read_price_csv(fund_, prices);
    std::optional<RateSeries> rate;
    if (!rate_.empty()) {
        CsvOptions rates;
        rates.positive = false;
        rates.max_gap_days = max_gap_days_;
        rate = read_rate_csv(rate_, rates);
    }
    return run_backtest(index, fund, rate ? &*rate : nullptr, o);
}

int BacktestCommand::run(std::ostream& out, std::ostream&) const {
    const BacktestOptions o = options();
    const std::optional<std::string> output = output_flag(*cmd_, output_);
    if (output)
        check_output_file_flag("--output", *output); // before reading anything
    const BacktestResult r = run_backtest_files(o);
    const BacktestInputs inputs{index_, fund_, rate_, o};
    if (output)
        write_file_atomic(*output, backtest_file_text(inputs, r));
    if (json_) {
        out << backtest_json(inputs, r);
        return 0;
    }
    out << fmt::format("backtest: {} x {} vs {}\n", o.multiple, index_, fund_)
        << fmt::format("  period              {} to {}, {} days, {:.2f} years\n",
                       format_date(r.start), format_date(r.end), r.days, r.years)
        << fmt::format("  cost model          expense ratio {:.4f}%, rate {} (mean {:.3f}%), "
                       "spread {:.4f}%{} on exposure {} x NAV\n",
                       100.0 * o.expense_ratio, rate_.empty() ? "none" : rate_, 100.0 * r.mean_rate,
                       100.0 * r.spread_used, o.fit_spread && r.fitted_spread ? " (fitted)" : "",
                       r.exposure)
        << fmt::format("  index CAGR          {}\n", percent(r.index_cagr))
        << fmt::format("  real fund CAGR      {}\n", percent(r.real_cagr))
        << fmt::format("  simulated CAGR      {}   gap {} per year (log {})\n",
                       percent(r.simulated_cagr), percent(r.gap_per_year),
                       percent(r.log_gap_per_year))
        << fmt::format("  no-cost CAGR        {}   gap {} per year\n",
                       percent(r.simulated_no_costs_cagr), percent(r.no_costs_gap_per_year))
        << fmt::format("  tracking error      {} per year (daily differences), correlation {}\n",
                       std::isfinite(r.tracking_error)
                           ? fmt::format("{:.2f}%", 100.0 * r.tracking_error)
                           : std::string("-"),
                       std::isfinite(r.correlation) ? fmt::format("{:.4f}", r.correlation) : "-")
        << fmt::format("  fitted spread       {}\n",
                       r.fitted_spread ? fmt::format("{:.4f}% per year per unit of exposure",
                                                     100.0 * *r.fitted_spread)
                                       : std::string("- (no borrowed or short exposure, or no "
                                                     "spread in [-100%, 100%] fits)"));
    if (output)
        out << "series: " << *output << "\n";
    return 0;
}

} // namespace letf::cli

#include "backtest_cmd.hpp"

#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "cli_util.hpp"
#include "letf/backtest/backtest.hpp"
#include "letf/base/error.hpp"
#include "letf/config/costs.hpp"
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
    cmd_->add_option("--index", index_,
                     "Index ETF closes, CSV date,close or a Yahoo download (Adj Close used)")
        ->required();
    cmd_->add_option("--fund", fund_, "Real fund's adjusted closes, CSV like --index")->required();
    cmd_->add_option("--column", column_,
                     "Value column of both price CSVs (default: Adj Close when the file has "
                     "one, else close)");
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
    cmd_->add_option("--cost-model", cost_model_file_,
                     "Cost model JSON (calibrate's calibration.json or a scenario's costs); "
                     "flags given beside it win");
    cmd_->add_option("--start", start_, "First date used (YYYY-MM-DD)");
    cmd_->add_option("--end", end_, "Last date used (YYYY-MM-DD)");
    cmd_->add_option("--max-gap-days", max_gap_days_,
                     "Longest calendar-day gap allowed between rows of a CSV (default 10)");
    cmd_->add_flag("--json", json_, "Print one JSON object instead of text");
    cmd_->add_option("-o,--output", output_, "Write the JSON object and daily growth series");
    cmd_->add_option("--series", series_,
                     "Write the daily growth of 1 as CSV: date,index,real,simulated,"
                     "simulated_no_costs (one row per common date, the first all 1)");
}

BacktestOptions BacktestCommand::options() const {
    BacktestOptions o;
    if (cmd_->count("--cost-model")) {
        if (cost_model_file_.empty())
            throw InputError("command line", "--cost-model", "must not be empty", "\"\"");
        o.costs = load_cost_model(cost_model_file_);
        if (o.costs.financing_rate_series && !cmd_->count("--rate-max-stale-days"))
            o.rate_max_stale_days = o.costs.financing_rate_series->max_stale_days;
    }
    o.multiple = check_flag("--multiple", multiple_, Range::closed(-100.0, 100.0));
    if (o.multiple == 0.0)
        throw InputError("command line", "--multiple", "must not be 0", "0");
    const bool file = cmd_->count("--cost-model") > 0;
    if (!file || cmd_->count("--expense-ratio"))
        o.costs.expense_ratio =
            check_flag("--expense-ratio", expense_ratio_, Range::closed(0.0, 1.0));
    o.index_expense_ratio =
        check_flag("--index-expense-ratio", index_expense_ratio_, Range::closed(0.0, 1.0));
    if (!file || cmd_->count("--spread"))
        o.costs = with_spread(o.costs, check_flag("--spread", spread_, Range::closed(-1.0, 1.0)));
    o.fit_spread = fit_spread_;
    o.start = date_flag(*cmd_, "--start", start_);
    o.end = date_flag(*cmd_, "--end", end_);
    if (o.start && o.end && *o.start > *o.end)
        throw InputError("command line", "--end", "must not be before --start", end_);
    check_days_flag("--rate-max-stale-days", rate_max_stale_days_);
    check_days_flag("--max-gap-days", max_gap_days_);
    if (!file || cmd_->count("--rate-max-stale-days"))
        o.rate_max_stale_days = rate_max_stale_days_;
    return o;
}

std::string BacktestCommand::rate_file(const BacktestOptions& o) const {
    if (!rate_.empty() || !o.costs.financing_rate_series)
        return rate_;
    return o.costs.financing_rate_series->csv;
}

BacktestResult BacktestCommand::run_backtest_files(const BacktestOptions& o,
                                                   std::ostream& err) const {
    CsvOptions prices;
    prices.max_gap_days = max_gap_days_;
    if (cmd_->count("--column")) {
        if (column_.empty())
            throw InputError("command line", "--column", "must not be empty", "\"\"");
        prices.value_column = column_;
    }
    const PriceSeries index = read_price_csv(index_, prices);
    const PriceSeries fund = read_price_csv(fund_, prices);
    print_data_notes(err, {index.note, fund.note});
    std::optional<RateSeries> rate;
    if (const std::string file = rate_file(o); !file.empty()) {
        CsvOptions rates;
        rates.positive = false;
        rates.max_gap_days = max_gap_days_;
        if (rate_.empty()) { // the cost model's series, with its own column and gap limit
            rates.value_column = o.costs.financing_rate_series->column;
            if (!cmd_->count("--max-gap-days"))
                rates.max_gap_days = o.costs.financing_rate_series->max_gap_days;
        }
        rate = read_rate_csv(file, rates);
    }
    return run_backtest(index, fund, rate ? &*rate : nullptr, o);
}

int BacktestCommand::run(std::ostream& out, std::ostream& err) const {
    const BacktestOptions o = options();
    const std::optional<std::string> output = output_flag(*cmd_, output_);
    if (output)
        check_output_file_flag("--output", *output); // before reading anything
    if (cmd_->count("--series")) {
        if (series_.empty())
            throw InputError("command line", "--series", "must not be empty", "\"\"");
        if (output && std::filesystem::absolute(series_) == std::filesystem::absolute(*output))
            throw InputError("command line", "--series", "must not be the --output file", series_);
        check_output_file_flag("--series", series_);
    }
    const BacktestResult r = run_backtest_files(o, err);
    const BacktestInputs inputs{index_, fund_, rate_file(o), o};
    if (output)
        write_file_atomic(*output, backtest_file_text(inputs, r));
    if (cmd_->count("--series")) {
        // Numbers in their shortest round-trip form (fmt's default): float() reads them back.
        std::string csv = "date,index,real,simulated,simulated_no_costs\n";
        const BacktestSeries& s = r.series;
        for (std::size_t k = 0; k < s.dates.size(); ++k)
            csv += fmt::format("{},{},{},{},{}\n", format_date(s.dates[k]), s.index[k], s.real[k],
                               s.simulated[k], s.simulated_no_costs[k]);
        write_file_atomic(series_, csv);
    }
    if (json_) {
        out << backtest_json(inputs, r);
        return 0;
    }
    out << fmt::format("backtest: {} x {} vs {}\n", o.multiple, index_, fund_)
        << fmt::format("  period              {} to {}, {} days, {:.2f} years\n",
                       format_date(r.start), format_date(r.end), r.days, r.years)
        << fmt::format("  cost model          expense ratio {:.4f}%, rate {} (mean {:.3f}%), "
                       "spread {:.4f}%{} on exposure {} x NAV\n",
                       100.0 * o.costs.expense_ratio, rate_file(o).empty() ? "none" : rate_file(o),
                       100.0 * r.mean_rate, 100.0 * r.spread_used,
                       o.fit_spread && r.fitted_spread ? " (fitted)" : "", r.exposure)
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
    if (cmd_->count("--series"))
        out << "daily series: " << series_ << "\n";
    return 0;
}

} // namespace letf::cli

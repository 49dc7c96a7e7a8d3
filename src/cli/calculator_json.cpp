#include "calculator_json.hpp"

#include <vector>

#include "cli_util.hpp"
#include "letf/market/market_data.hpp"

namespace letf::cli {

using nlohmann::ordered_json;

ordered_json rebalance_json(const LeverageRebalance& r, const std::string& action) {
    ordered_json j;
    j["calculation"] = "target_leverage";
    j["equity"] = json_number(r.equity);
    j["assets"] = json_number(r.assets);
    j["debt_before"] = json_number(r.debt_before);
    j["leverage_before"] = json_number(r.leverage_before);
    j["target_leverage"] = json_number(r.target_leverage);
    j["target_assets"] = json_number(r.target_assets);
    j["action"] = action;
    j["amount"] = json_number(r.trade < 0.0 ? -r.trade : r.trade);
    j["trade"] = json_number(r.trade);
    j["debt_after"] = json_number(r.debt_after);
    j["leverage_after"] = json_number(r.leverage_after);
    return j;
}

ordered_json rebalance_json(const FundRebalance& r, const std::string& action) {
    ordered_json j;
    j["calculation"] = "fund";
    j["multiple"] = json_number(r.multiple);
    j["nav"] = json_number(r.nav);
    j["index_return"] = json_number(r.index_return);
    j["exposure_before"] = json_number(r.exposure_before);
    j["nav_after"] = json_number(r.nav_after);
    j["leverage_before"] = json_number(r.leverage_before);
    j["target_exposure"] = json_number(r.target_exposure);
    j["action"] = action;
    j["trade"] = json_number(r.trade);
    return j;
}

ordered_json rebalance_json(const InvestorRebalance& r, const std::string& action,
                            std::optional<double> multiple) {
    ordered_json j;
    j["calculation"] = "investor";
    j["initial"] = json_number(r.initial);
    j["index_return"] = json_number(r.index_return);
    j["multiple"] = multiple ? json_number(*multiple) : ordered_json(nullptr);
    j["current"] = json_number(r.current);
    j["target"] = json_number(r.target);
    j["action"] = action;
    j["trade"] = json_number(r.trade);
    return j;
}

namespace {

ordered_json optional_number(const std::optional<double>& x) {
    return x ? json_number(*x) : ordered_json(nullptr);
}

ordered_json numbers(const std::vector<double>& v) {
    ordered_json a = ordered_json::array();
    for (double x : v)
        a.push_back(json_number(x));
    return a;
}

} // namespace

ordered_json backtest_json(const BacktestInputs& in, const BacktestResult& r) {
    const BacktestOptions& o = in.options;
    ordered_json j;
    j["index"] = in.index;
    j["fund"] = in.fund;
    j["rate"] = in.rate.empty() ? ordered_json(nullptr) : ordered_json(in.rate);
    j["multiple"] = json_number(o.multiple);
    j["expense_ratio"] = json_number(o.expense_ratio);
    j["index_expense_ratio"] = json_number(o.index_expense_ratio);
    j["spread_used"] = json_number(r.spread_used);
    j["spread_fitted_used"] = o.fit_spread && r.fitted_spread.has_value();
    j["start"] = format_date(r.start);
    j["end"] = format_date(r.end);
    j["days"] = r.days;
    j["years"] = json_number(r.years);
    j["index_cagr"] = json_number(r.index_cagr);
    j["real_cagr"] = json_number(r.real_cagr);
    j["simulated_cagr"] = json_number(r.simulated_cagr);
    j["simulated_no_costs_cagr"] = json_number(r.simulated_no_costs_cagr);
    j["gap_per_year"] = json_number(r.gap_per_year);
    j["log_gap_per_year"] = json_number(r.log_gap_per_year);
    j["no_costs_gap_per_year"] = json_number(r.no_costs_gap_per_year);
    j["tracking_error"] = json_number(r.tracking_error);
    j["correlation"] = json_number(r.correlation);
    j["exposure"] = json_number(r.exposure);
    j["mean_rate"] = json_number(r.mean_rate);
    j["fitted_spread"] = optional_number(r.fitted_spread);
    return j;
}

std::string backtest_file_text(const BacktestInputs& in, const BacktestResult& r) {
    ordered_json full = backtest_json(in, r);
    ordered_json series;
    ordered_json dates = ordered_json::array();
    for (Date d : r.series.dates)
        dates.push_back(format_date(d));
    series["dates"] = std::move(dates);
    series["index"] = numbers(r.series.index);
    series["real"] = numbers(r.series.real);
    series["simulated"] = numbers(r.series.simulated);
    series["simulated_no_costs"] = numbers(r.series.simulated_no_costs);
    full["series"] = std::move(series);
    return full.dump() + "\n";
}

} // namespace letf::cli

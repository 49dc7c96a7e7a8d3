#include "letf/output/calculator_json.hpp"

#include <initializer_list>
#include <utility>
#include <vector>

#include <cmath>

#include <nlohmann/json.hpp>

#include "letf/market/market_data.hpp"

namespace letf {

using nlohmann::ordered_json;

namespace {

/// A finite double as JSON; NaN and infinities become null.
ordered_json json_number(double x) {
    if (!std::isfinite(x))
        return nullptr;
    return x;
}

/// Sets each named number in order; one that is not finite is null.
void put_numbers(ordered_json& j, std::initializer_list<std::pair<const char*, double>> fields) {
    for (const auto& [key, x] : fields)
        j[key] = json_number(x);
}

ordered_json rebalance_object(const LeverageRebalance& r, const std::string& action) {
    ordered_json j;
    j["calculation"] = "target_leverage";
    put_numbers(j, {{"equity", r.equity},
                    {"assets", r.assets},
                    {"debt_before", r.debt_before},
                    {"leverage_before", r.leverage_before},
                    {"target_leverage", r.target_leverage},
                    {"target_assets", r.target_assets}});
    j["action"] = action;
    put_numbers(j, {{"amount", r.trade < 0.0 ? -r.trade : r.trade},
                    {"trade", r.trade},
                    {"debt_after", r.debt_after},
                    {"leverage_after", r.leverage_after}});
    return j;
}

ordered_json rebalance_object(const FundRebalance& r, const std::string& action) {
    ordered_json j;
    j["calculation"] = "fund";
    put_numbers(j, {{"multiple", r.multiple},
                    {"nav", r.nav},
                    {"index_return", r.index_return},
                    {"exposure_before", r.exposure_before},
                    {"nav_after", r.nav_after},
                    {"leverage_before", r.leverage_before},
                    {"target_exposure", r.target_exposure}});
    j["action"] = action;
    j["trade"] = json_number(r.trade);
    return j;
}

ordered_json rebalance_object(const InvestorRebalance& r, const std::string& action,
                              std::optional<double> multiple) {
    ordered_json j;
    j["calculation"] = "investor";
    put_numbers(j, {{"initial", r.initial}, {"index_return", r.index_return}});
    j["multiple"] = multiple ? json_number(*multiple) : ordered_json(nullptr);
    put_numbers(j, {{"current", r.current}, {"target", r.target}});
    j["action"] = action;
    j["trade"] = json_number(r.trade);
    return j;
}

ordered_json optional_number(const std::optional<double>& x) {
    return x ? json_number(*x) : ordered_json(nullptr);
}

ordered_json numbers(const std::vector<double>& v) {
    ordered_json a = ordered_json::array();
    for (double x : v)
        a.push_back(json_number(x));
    return a;
}

ordered_json backtest_object(const BacktestInputs& in, const BacktestResult& r) {
    const BacktestOptions& o = in.options;
    ordered_json j;
    j["index"] = in.index;
    j["fund"] = in.fund;
    j["rate"] = in.rate.empty() ? ordered_json(nullptr) : ordered_json(in.rate);
    put_numbers(j, {{"multiple", o.multiple},
                    {"expense_ratio", o.costs.expense_ratio},
                    {"index_expense_ratio", o.index_expense_ratio},
                    {"spread_used", r.spread_used}});
    j["spread_fitted_used"] = o.fit_spread && r.fitted_spread.has_value();
    j["start"] = format_date(r.start);
    j["end"] = format_date(r.end);
    j["days"] = r.days;
    put_numbers(j, {{"years", r.years},
                    {"index_cagr", r.index_cagr},
                    {"real_cagr", r.real_cagr},
                    {"simulated_cagr", r.simulated_cagr},
                    {"simulated_no_costs_cagr", r.simulated_no_costs_cagr},
                    {"gap_per_year", r.gap_per_year},
                    {"log_gap_per_year", r.log_gap_per_year},
                    {"no_costs_gap_per_year", r.no_costs_gap_per_year},
                    {"tracking_error", r.tracking_error},
                    {"correlation", r.correlation},
                    {"exposure", r.exposure},
                    {"mean_rate", r.mean_rate}});
    j["fitted_spread"] = optional_number(r.fitted_spread);
    return j;
}

} // namespace

std::string rebalance_json(const LeverageRebalance& r, const std::string& action) {
    return rebalance_object(r, action).dump() + "\n";
}

std::string rebalance_json(const FundRebalance& r, const std::string& action) {
    return rebalance_object(r, action).dump() + "\n";
}

std::string rebalance_json(const InvestorRebalance& r, const std::string& action,
                           std::optional<double> multiple) {
    return rebalance_object(r, action, multiple).dump() + "\n";
}

std::string backtest_json(const BacktestInputs& in, const BacktestResult& r) {
    return backtest_object(in, r).dump() + "\n";
}

std::string backtest_file_text(const BacktestInputs& in, const BacktestResult& r) {
    ordered_json full = backtest_object(in, r);
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

} // namespace letf

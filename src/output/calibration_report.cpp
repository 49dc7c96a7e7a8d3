#include "letf/output/calibration_report.hpp"

#include <cmath>

#include <fmt/format.h>

namespace letf {
namespace {

using nlohmann::ordered_json;

ordered_json number(double x) {
    return std::isfinite(x) ? ordered_json(x) : ordered_json(nullptr);
}

ordered_json window_json(const WindowResult& w) {
    return {{"start", format_date(w.start)},
            {"end", format_date(w.end)},
            {"days", w.days},
            {"years", number(w.years)},
            {"real_cagr", number(w.real_cagr)},
            {"simulated_cagr", number(w.simulated_cagr)},
            {"gap_per_year", number(w.gap_per_year)},
            {"log_gap_per_year", number(w.log_gap_per_year)},
            {"tracking_error", number(w.tracking_error)},
            {"correlation", number(w.correlation)}};
}

std::string pct(double x, int digits = 2) {
    if (!std::isfinite(x))
        return "-";
    if (std::abs(x) < 0.5 * std::pow(10.0, -(digits + 2)))
        x = 0.0; // no "-0.00"
    return fmt::format("{:.{}f}", 100.0 * x, digits);
}

std::string signed_pct(double x, int digits = 2) {
    if (!std::isfinite(x))
        return "-";
    if (std::abs(x) < 0.5 * std::pow(10.0, -(digits + 2)))
        x = 0.0;
    return fmt::format("{:+.{}f}", 100.0 * x, digits);
}

/// "b = 0.2100, spread_long = 0.512 %/yr, ...": each fitted parameter in its natural unit.
std::string fitted_line(const CalibrationSpec& spec, const CalibrationResult& r) {
    std::string out;
    for (std::size_t j = 0; j < spec.fit.size(); ++j) {
        const FitParam p = spec.fit[j];
        const double v = r.values[j];
        out += j ? ", " : "";
        if (p == FitParam::markup || p == FitParam::markdown)
            out += fmt::format("{} = {:.4f}", fit_param_name(p), v);
        else if (p == FitParam::rebalance_cost)
            out += fmt::format("{} = {:.3f} bp of the trade", fit_param_name(p), 1e4 * v);
        else
            out += fmt::format("{} = {:.3f} %/yr", fit_param_name(p), 100.0 * v);
    }
    return out;
}

std::string gaps_text(const CalibrationSpec& spec) {
    return spec.gaps == CalibrationGaps::window ? "one gap per training window"
                                                : "one gap per fund-year, weighted by years";
}

std::string split_text(const CalibrationSpec& spec) {
    return spec.split.train_end
               ? "training windows end " + format_date(*spec.split.train_end)
               : fmt::format("each fund split at {:g} of its dates", spec.split.split);
}

int within(const CalibrationResult& r) {
    int n = 0;
    for (const FundCalibration& f : r.funds)
        n += std::abs(f.test.gap_per_year) <= kCalibrationTargetGap;
    return n;
}

} // namespace

ordered_json calibration_json(const CalibrationSpec& spec, const CalibrationResult& r) {
    ordered_json j;
    j["file"] = spec.file;
    j["objective"] = objective_name(spec.objective);
    j["gaps"] = spec.gaps == CalibrationGaps::window ? "window" : "calendar_year";
    if (spec.split.train_end)
        j["train_end"] = format_date(*spec.split.train_end);
    else
        j["split"] = spec.split.split;
    ordered_json fit = ordered_json::array(), fitted = ordered_json::object();
    for (std::size_t k = 0; k < spec.fit.size(); ++k) {
        fit.push_back(fit_param_name(spec.fit[k]));
        fitted[fit_param_name(spec.fit[k])] = number(r.values[k]);
    }
    j["fit"] = fit;
    j["fitted"] = fitted;
    j["cost_model"] = to_json(r.costs);
    j["objective_value"] = number(r.objective_value);
    j["evaluations"] = r.evaluations;
    j["worst_train_gap"] = number(r.worst_train_gap);
    j["worst_test_gap"] = number(r.worst_test_gap);
    j["within_target"] = within(r);
    ordered_json funds = ordered_json::array();
    for (const FundCalibration& f : r.funds)
        funds.push_back({{"name", f.name},
                         {"multiple", f.multiple},
                         {"train", window_json(f.train)},
                         {"test", window_json(f.test)}});
    j["funds"] = funds;
    return j;
}

ordered_json calibration_cost_model(const CalibrationResult& r,
                                    const std::filesystem::path& out_dir) {
    Costs c = r.costs;
    if (c.financing_rate_series) {
        namespace fs = std::filesystem;
        c.financing_rate_series->csv =
            fs::absolute(c.financing_rate_series->csv)
                .lexically_normal()
                .lexically_relative(fs::absolute(out_dir).lexically_normal())
                .string();
    }
    return to_json(c);
}

std::string calibration_text(const CalibrationSpec& spec, const CalibrationResult& r) {
    std::string out =
        fmt::format("calibrate: {} funds of {}, {}, objective {} ({})\n", spec.funds.size(),
                    spec.file, split_text(spec), objective_name(spec.objective), gaps_text(spec));
    out += fmt::format("  fitted on the training windows: {} ({} evaluations)\n",
                       fitted_line(spec, r), r.evaluations);
    out += fmt::format("  {:<8} {:>4}  {:<24} {:>6} {:>9} {:>9} {:>8} {:>9} {:>7} {:>7}\n", "fund",
                       "L", "test window", "years", "real %", "sim %", "gap/yr", "train gap",
                       "TE %", "corr");
    for (const FundCalibration& f : r.funds) {
        const WindowResult& t = f.test;
        out += fmt::format(
            "  {:<8} {:>+4g}  {:<24} {:>6.2f} {:>9} {:>9} {:>8} {:>9} {:>7} {:>7}\n", f.name,
            f.multiple, format_date(t.start) + " to " + format_date(t.end), t.years,
            pct(t.real_cagr), pct(t.simulated_cagr), signed_pct(t.gap_per_year),
            signed_pct(f.train.gap_per_year), pct(t.tracking_error),
            std::isfinite(t.correlation) ? fmt::format("{:.4f}", t.correlation) : std::string("-"));
    }
    out += fmt::format("  worst |gap| out of sample {} %/yr (in sample {} %/yr); {} of {} funds "
                       "within {} %/yr on their test windows\n",
                       pct(r.worst_test_gap), pct(r.worst_train_gap), within(r), r.funds.size(),
                       pct(kCalibrationTargetGap));
    return out;
}

std::string calibration_markdown(const CalibrationSpec& spec, const CalibrationResult& r) {
    std::string out = fmt::format(
        "Out of sample: {}; the cost model fitted jointly on the training windows (objective "
        "{}, {}): {}. Gaps are simulated minus real CAGR on each fund's test window, in percentage "
        "points per year; the train gap is the same on its training window (in sample).\n\n",
        split_text(spec), objective_name(spec.objective), gaps_text(spec), fitted_line(spec, r));
    out += "| fund | L | training window | test window | test years | real CAGR | simulated "
           "CAGR | gap/yr | train gap/yr | tracking error | correlation | within 0.5 %/yr |\n"
           "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
    for (const FundCalibration& f : r.funds) {
        const WindowResult& t = f.test;
        out += fmt::format(
            "| {} | {:+g} | {} to {} | {} to {} | {:.2f} | {} % | {} % | {} | {} | {} % | {} | {} "
            "|\n",
            f.name, f.multiple, format_date(f.train.start), format_date(f.train.end),
            format_date(t.start), format_date(t.end), t.years, pct(t.real_cagr),
            pct(t.simulated_cagr), signed_pct(t.gap_per_year), signed_pct(f.train.gap_per_year),
            pct(t.tracking_error),
            std::isfinite(t.correlation) ? fmt::format("{:.4f}", t.correlation) : "-",
            std::abs(t.gap_per_year) <= kCalibrationTargetGap ? "yes" : "no");
    }
    out += fmt::format("\nWorst |gap| out of sample: {} %/yr (in sample, training windows: {} "
                       "%/yr); {} of {} funds within {} %/yr.\n",
                       pct(r.worst_test_gap), pct(r.worst_train_gap), within(r), r.funds.size(),
                       pct(kCalibrationTargetGap));
    return out;
}

} // namespace letf

#include "letf/fit/fit_report.hpp"

#include <cmath>

#include <fmt/format.h>

namespace letf {
namespace {

using ojson = nlohmann::ordered_json;

ojson facts_json(const StylizedFacts& f) {
    return {{"annual_volatility", f.annual_volatility},
            {"excess_kurtosis", f.excess_kurtosis},
            {"acf_abs_lag1", f.acf_abs[0]},
            {"acf_abs_lag5", f.acf_abs[1]},
            {"acf_abs_lag20", f.acf_abs[2]},
            {"share_beyond_3sd", f.beyond_3sd},
            {"share_beyond_5sd", f.beyond_5sd}};
}

ojson decay_json(const DecayQuantiles& d) {
    auto num = [](double x) { return std::isfinite(x) ? ojson(x) : ojson(nullptr); };
    return {{"q05", num(d.q05)}, {"q50", num(d.q50)}, {"q95", num(d.q95)}};
}

std::string describe(const FitReport& r) {
    std::string s(fit_model_name(r.options.model));
    if (r.options.model == FitModelKind::regime)
        s += fmt::format(", {} states", r.options.states);
    if (r.options.model == FitModelKind::garch || r.options.model == FitModelKind::gjr)
        s += r.options.innovations == Innovations::student_t ? ", Student t innovations"
                                                             : ", normal innovations";
    return s;
}

std::string facts_row(const char* label, double data, double model, const char* format) {
    return fmt::format("  {:<24}{:>12}{:>12}\n", label, fmt::format(fmt::runtime(format), data),
                       fmt::format(fmt::runtime(format), model));
}

std::string facts_text(const FitReport& r) {
    const StylizedFacts &d = r.data_facts, &m = r.model_facts;
    std::string s = fmt::format("stylized facts (model: mean of {} simulated paths of {} days, "
                                "seed {})\n  {:<24}{:>12}{:>12}\n",
                                r.fact_paths, r.fit.observations, r.seed, "", "data", "model");
    s += facts_row("annual volatility", d.annual_volatility, m.annual_volatility, "{:.4f}");
    s += facts_row("excess kurtosis", d.excess_kurtosis, m.excess_kurtosis, "{:.3f}");
    for (int i = 0; i < 3; ++i)
        s += facts_row(fmt::format("acf |R| lag {}", StylizedFacts::kLags[i]).c_str(),
                       d.acf_abs[i], m.acf_abs[i], "{:.4f}");
    s += facts_row("days beyond 3 sd", d.beyond_3sd, m.beyond_3sd, "{:.5f}");
    s += facts_row("days beyond 5 sd", d.beyond_5sd, m.beyond_5sd, "{:.6f}");
    s += fmt::format("1-year {}x daily-reset log decay ({} paths, seed {}, no costs)\n"
                     "  {:<24}{:>12}{:>12}\n",
                     r.decay_multiple, r.decay_paths, r.seed, "", "bootstrap", "model");
    s += facts_row("5 %", r.bootstrap_decay.q05, r.model_decay.q05, "{:.4f}");
    s += facts_row("50 %", r.bootstrap_decay.q50, r.model_decay.q50, "{:.4f}");
    s += facts_row("95 %", r.bootstrap_decay.q95, r.model_decay.q95, "{:.4f}");
    return s;
}

} // namespace

ojson standard_errors_json(const FitResult& fit, const FitOptions& options) {
    ojson se = ojson::object();
    for (const FitParameter& p : fit.parameters)
        se[ojson::json_pointer(p.pointer)] = p.se ? ojson(*p.se) : ojson(nullptr);
    if (options.model == FitModelKind::regime) {
        const std::size_t k = static_cast<std::size_t>(options.states);
        auto& t = se["transition_daily"];
        for (std::size_t i = 0; i < k; ++i)
            t[i][i] = k == 2 ? t[i][1 - i] : ojson(nullptr);
    }
    return se;
}

ojson fit_report_json(const FitReport& r) {
    ojson j;
    j["model"] = r.fit.model;
    j["log_likelihood"] = r.fit.log_likelihood;
    j["observations"] = r.fit.observations;
    j["aic"] = r.fit.aic;
    j["bic"] = r.fit.bic;
    j["standard_errors"] = standard_errors_json(r.fit, r.options);
    j["converged"] = true;
    j["returns"] = r.fit.returns;
    j["stylized_facts"] = {{"paths", r.fact_paths},
                           {"seed", r.seed},
                           {"data", facts_json(r.data_facts)},
                           {"model", facts_json(r.model_facts)},
                           {"decay_3x_1y",
                            {{"paths", r.decay_paths},
                             {"multiple", r.decay_multiple},
                             {"bootstrap", decay_json(r.bootstrap_decay)},
                             {"model", decay_json(r.model_decay)}}}};
    j["file"] = r.file;
    j["start"] = r.start;
    j["end"] = r.end;
    j["hessian_positive_definite"] = r.fit.hessian_positive_definite;
    j["starts"] = r.fit.starts;
    return j;
}

std::string fit_report_text(const FitReport& r) {
    const FitResult& f = r.fit;
    std::string s = fmt::format("fit: {} on {}, days ending {} to {}, {} daily {} returns\n", describe(r),
                                r.file, r.start, r.end, f.observations, f.returns);
    s += fmt::format("  {:<26}{:>14}{:>14}\n", "parameter", "estimate", "std error");
    for (const FitParameter& p : f.parameters)
        s += fmt::format("  {:<26}{:>14.6g}{:>14}\n", p.pointer.substr(1), p.value,
                         p.se ? fmt::format("{:.3g}", *p.se) : std::string("-"));
    s += fmt::format("  log-likelihood {:.3f}, AIC {:.3f}, BIC {:.3f}, converged (best of {} "
                     "starts)\n",
                     f.log_likelihood, f.aic, f.bic, f.starts);
    if (!f.hessian_positive_definite)
        s += "  note: the Hessian is not positive definite here (a parameter at the edge of "
             "its range?): '-' marks a missing standard error\n";
    s += facts_text(r);
    s += "model (paste as a scenario's \"model\", or write it with -o):\n" + f.model.dump(2) + "\n";
    return s;
}

} // namespace letf

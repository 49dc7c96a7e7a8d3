#pragma once
/// \file theory/strategy_theory.hpp
/// What a strategy's theory reads (TheoryInputs) and gives (StrategyTheory). Each strategy's
/// `theory()` (strategies/<name>.hpp) fills a StrategyTheory; analytic_position (analytic.hpp)
/// dispatches to it with an exhaustive visit and adds what holds for every strategy.

#include <functional>
#include <optional>

#include "letf/config/costs.hpp"

namespace letf {

/// The scenario as a strategy's theory sees it, for independent days with E[R_t] = m_t.
struct TheoryInputs {
    /// prod_{t=1..n} (a + b m_t) over the model's per-day mean returns m_t, n = days.
    std::function<double(double a, double b)> product_of_means;
    int days = 0;
    double dt = 1.0 / 252.0; ///< years per day
    Costs costs;             ///< constant rate (a rate series has no closed form: no theory)
    /// The gbm parameters (annualised), for the continuous-time approximations; none otherwise.
    struct Gbm {
        double mu = 0.0, sigma = 0.0;
    };
    std::optional<Gbm> gbm;
};

/// A strategy's exact (or approximate) values at one multiple; empty where none exists.
struct StrategyTheory {
    std::optional<double> mean_terminal;   ///< E[V_T/V_0]
    bool mean_ignores_wipeout = false;     ///< exact without limited liability only
    std::optional<double> median_terminal; ///< median V_T/V_0
    bool median_exact = false;             ///< false: a continuous-time approximation
    std::optional<double> log_decay_mean;  ///< E[L ln(S_T/S_0) - ln(V_T/V_0)], approximate
};

} // namespace letf

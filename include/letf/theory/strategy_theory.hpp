#pragma once
/// \file theory/strategy_theory.hpp
/// What a strategy's theory reads (TheoryInputs) and gives (StrategyTheory). Each strategy's
/// `theory()` (strategies/<name>.hpp) fills a StrategyTheory; analytic_position (analytic.hpp)
/// dispatches to it with an exhaustive visit and adds what holds for every strategy.

#include <functional>
#include <optional>

#include "letf/config/costs.hpp"

namespace letf {

/// The scenario as a strategy's theory sees it: E[prod_t (a + b R_t)] exactly (independent days
/// with E[R_t] = m_t, known conditional means, or the model's own product), and what more the
/// model's facts give.
struct TheoryInputs {
    /// E[prod_{t=1..n} (a + b R_t)], n = days: prod_t (a + b m_t) over the model's per-day mean
    /// returns m_t, or the model's expected_product.
    std::function<double(double a, double b)> product_of_means;
    int days = 0;
    double dt = 1.0 / 252.0; ///< years per day
    Costs costs;             ///< constant rate (a rate series has no closed form: no theory)
    /// The gbm parameters (annualised), for the continuous-time approximations; none otherwise.
    struct Gbm {
        double mu = 0.0, sigma = 0.0;
    };
    std::optional<Gbm> gbm;
    /// The model's E[R_t | past] are known means (ModelFacts::conditional_means): the products
    /// are exact only while no day can wipe a fund out (the report notes it).
    bool conditional_means = false;
    /// i.i.d. days with one day's factor in closed form (ModelFacts::day_law): E[max(0, a + b R)]
    /// and P(a + b R <= 0); empty functions otherwise.
    std::function<double(double a, double b)> positive_part, prob_nonpositive;
    /// E[int_0^T v dt] (ModelFacts::integrated_variance), for the continuous-time log decay of a
    /// model other than gbm; none otherwise.
    std::optional<double> integrated_variance;
};

/// A strategy's exact (or approximate) values at one multiple; empty where none exists.
struct StrategyTheory {
    std::optional<double> mean_terminal;   ///< E[V_T/V_0]
    bool mean_ignores_wipeout = false;     ///< exact without limited liability only
    std::optional<double> median_terminal; ///< median V_T/V_0
    bool median_exact = false;             ///< false: a continuous-time approximation
    std::optional<double> log_decay_mean;  ///< E[L ln(S_T/S_0) - ln(V_T/V_0)], approximate
    /// E[V_T/V_0] with limited liability (a fund at 0 stays at 0), exact: i.i.d. days with a day
    /// law only.
    std::optional<double> mean_terminal_limited;
    /// P(V_T = 0), exact: i.i.d. days with a day law only.
    std::optional<double> prob_wipeout;
    /// P(V_T > S_T/S_0) in continuous time (gbm daily reset): ln V_T = L ln S_T -
    /// (L^2 - L) sigma^2 T / 2 - c T with ln S_T ~ N(nu T, sigma^2 T), nu = mu - sigma^2 / 2.
    std::optional<double> prob_beat_index;
};

} // namespace letf

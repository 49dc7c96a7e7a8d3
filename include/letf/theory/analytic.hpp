#pragma once
/// \file theory/analytic.hpp
/// Exact values (and continuous-time approximations) to set beside the Monte Carlo estimates.

#include <optional>
#include <vector>

#include "letf/config/scenario.hpp"
#include "letf/strategies/strategy.hpp"
#include "letf/theory/strategy_theory.hpp"

namespace letf {

/// Theory for one position (or the underlying), where the model gives E[prod_t (a + b R_t)]
/// exactly: daily returns independent across days with E[R_t] = m_t (ModelFacts::mean_return),
/// or known conditional means E[R_t | past] = m_t (garch, heston, merton: the tower property),
/// or the model's own expected_product (regime); n = days, dt = 1/trading_days_per_year,
/// T = n dt:
///   underlying  E[S_T/S_0] = prod_t (1 + m_t); for gbm the exact median exp((mu - sigma^2/2) T)
///   a position  its strategy's theory() (strategies/<name>.hpp, by an exhaustive visit: a
///               strategy without one does not compile): daily_reset and unrebalanced have an
///               exact mean, the investor strategies none. No theory with a rate series.
///
/// one_outcome: every path gives the same value of this position (or the underlying), by the
/// model's facts (ModelFacts::one_outcome) or because a multiple of 0 holds no index (daily_reset:
/// V = prod (1 - c dt); unrebalanced: the cash account), with a constant rate. Its sample spread
/// is rounding, so no z-score is given against it (only the difference).
struct Analytic {
    bool one_outcome = false;
    std::optional<double> mean_terminal;
    bool mean_ignores_wipeout = false;
    std::optional<double> median_terminal;
    bool median_exact = false; ///< false: a continuous-time approximation
    std::optional<double> log_decay_mean;
    std::optional<double> mean_terminal_limited; ///< with limited liability, exact
    std::optional<double> prob_wipeout;          ///< P(V_T = 0), exact
    std::optional<double> prob_beat_index;       ///< P(V_T > S_T), continuous time
};

/// With the model's facts computed once (models/registry.hpp: model_facts), as the engine does.
Analytic analytic_underlying(const ScenarioConfig& config, const ModelFacts& facts);
Analytic analytic_position(const ScenarioConfig& config, const ModelFacts& facts,
                           const Position& position);
/// With every asset's facts (a scenario of several assets; the engine's call): a position on
/// asset k reads asset_facts[k]; a portfolio's exact mean (strategies/portfolio.hpp) needs
/// every asset's per-day means, a calendar (or never), no transaction costs and a constant rate.
/// With cash flows no theory is given (the values are the wealth's).
Analytic analytic_position(const ScenarioConfig& config, const std::vector<ModelFacts>& asset_facts,
                           const Position& position);
/// The same, computing the facts of config's model.
Analytic analytic_underlying(const ScenarioConfig& config);
Analytic analytic_position(const ScenarioConfig& config, const Position& position);


/// When a sample standard error of a mean can be trusted for a z-score.
///
/// z = (estimate - exact) / SE with SE = s / sqrt(n), s the sample standard deviation. SE is
/// itself an estimate: Var[s^2] / sigma^4 = (kurtosis - 1) / n + 2 / (n (n - 1)), so with
///     n >= 10 (kurtosis - 1)
/// the relative standard deviation of s^2 is at most 0.32 and SE is good to about 15 %, and the
/// skewness of the mean, at most sqrt((kurtosis - 1) / n), is at most 0.32 (the mean is close
/// to normal). Terminal values are products of many daily factors, close to lognormal, and a
/// lognormal with Var[ln x] = v has
///     kurtosis = e^(4v) + 2 e^(3v) + 3 e^(2v) - 3,
/// which grows so fast that a sample that is too small misses the rare large values that carry
/// the variance: its s then underestimates sigma by orders of magnitude (gbm with sigma 5 gave
/// z = -3.7e8 for a correct simulation). v is measured on the run itself, as the sample
/// variance of ln x (a well-behaved quantity: normal for gbm). The criterion admits v up to
/// 1.28 with 3,000 paths, 1.82 with 20,000 and 2.06 with 50,000 (daily reset 3x on sigma 0.48
/// for a year). Measured on 2,000 lognormal samples at each of these limits: SE_hat / SE within
/// [0.85, 1.19] in 90 % of them, |z| > 4 in at most 0.05 %; beyond them it degrades quickly
/// (v = 6.3, 50,000 paths: median SE_hat / SE 0.55, |z| > 3 in 4 %). The criterion does not see
/// heavy tails of the daily returns themselves (Student t noise).
double lognormal_kurtosis(double log_variance);
/// 10 (lognormal_kurtosis(log_variance) - 1); infinite when it overflows.
double paths_for_reliable_std_error(double log_variance);

} // namespace letf

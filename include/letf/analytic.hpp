#pragma once
/// \file analytic.hpp
/// Exact values (and continuous-time approximations) to set beside the Monte Carlo estimates.

#include <optional>

#include "letf/config.hpp"
#include "letf/strategy.hpp"

namespace letf {

/// Theory for one position. With daily returns independent across days and E[R_t] = m_t
/// (PathModel::mean_return), n = days, dt = 1/trading_days_per_year, T = n dt:
///   underlying     E[S_T/S_0] = prod_t (1 + m_t)
///   daily_reset    E[V_T/V_0] = prod_t (1 + L m_t - c(L) dt)
///                  (exact while 1 + L R_t - c dt > 0 every day, i.e. no wipe-out)
///   unrebalanced   E[V_T/V_0] = L prod_t (1 + m_t) - (L - 1)(1 + r dt)^n   (ignores wipe-out)
/// For i.i.d. days this is (1 + L m - c dt)^n, etc. For gbm (mu, sigma) also, daily reset:
///   median V_T/V_0 ~ exp((L mu - c - L^2 sigma^2 / 2) T),
///   mean log decay ~ (L^2 - L) sigma^2 T / 2 + c T          (continuous-time approximations)
/// and for the underlying the exact median exp((mu - sigma^2/2) T).
struct Analytic {
    std::optional<double> mean_terminal;
    bool mean_ignores_wipeout = false;
    std::optional<double> median_terminal;
    bool median_exact = false; ///< false: a continuous-time approximation
    std::optional<double> log_decay_mean;
};

Analytic analytic_underlying(const ScenarioConfig& config);
Analytic analytic_position(const ScenarioConfig& config, const Position& position);

} // namespace letf

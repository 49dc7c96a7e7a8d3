#pragma once
/// \file fit/stylized_facts.hpp
/// The stylized facts by which a user judges whether a fitted model reproduces a market: of the
/// data's daily simple returns, of the fitted model simulated (paths of the data's length,
/// through the model registry, so any model type works), and the 1-year daily-reset log decay of
/// a leveraged fund under a bootstrap of the data vs under the model (the engine).

#include <cstdint>
#include <memory>
#include <span>

#include "letf/models/registry.hpp"

namespace letf {

/// Of one series of daily simple returns R (sd, mean over the series itself):
///   annual_volatility   sd(R) / sqrt(dt)
///   excess_kurtosis     m4 / m2^2 - 3
///   acf_abs[i]          sample autocorrelation of |R| at lags 1, 5, 20
///   beyond_3sd, _5sd    share of days with |R - mean| > 3 sd (5 sd); a normal gives 0.27 %
///                       and 5.7e-7
/// For a simulated model each field is the mean over the paths of the path's own value.
struct StylizedFacts {
    static constexpr int kLags[3] = {1, 5, 20};
    double annual_volatility = 0.0;
    double excess_kurtosis = 0.0;
    double acf_abs[3] = {0.0, 0.0, 0.0};
    double beyond_3sd = 0.0;
    double beyond_5sd = 0.0;
};

/// The facts of `returns` (at least 21 of them).
StylizedFacts stylized_facts(std::span<const double> returns, double dt);

/// The mean facts of `paths` simulated paths of `days` days of `model` (StripSource, seed
/// `seed`; `data` for a data model, else null): reproducible for a given seed.
StylizedFacts simulated_stylized_facts(const PathModel& model, int days, int paths,
                                       std::uint64_t seed, double dt,
                                       std::shared_ptr<const MarketData> data = nullptr);

/// The 5 %, 50 % and 95 % quantiles over paths of the log decay L ln(S_T/S_0) - ln(V_T/V_0) of a
/// daily-reset fund of multiple L, T = 252 days, no costs (stats/metrics.hpp: log_decay).
struct DecayQuantiles {
    double q05 = 0.0, q50 = 0.0, q95 = 0.0;
};

/// Runs the engine (letf::simulate) on `model` (a data model's file is loaded here): `paths`
/// paths of 252 days, seed `seed`, one daily-reset position of multiple `multiple`.
DecayQuantiles decay_quantiles(const PathModel& model, double multiple, std::int64_t paths,
                               std::uint64_t seed);

} // namespace letf

#pragma once
/// \file models/model.hpp
/// What every path model provides (models/<name>.hpp) and what it is handed.
///
/// A model type M is a plain validated struct of its parameters with, beside them:
///   static constexpr std::string_view kName;      the `model.type` of the scenario file
///   static inline const std::initializer_list<std::string_view> kKeys;   its allowed keys
///   static M parse(const ObjectReader& r);        the fields, range-checked (r checked kKeys)
///   void write(nlohmann::ordered_json& j) const;  the fields after "type", every default filled
///   struct Strip;                                 state carried from one chunk of days to the
///                                                 next (empty for most models)
///   ModelFacts facts(const ModelContext& c) const;
///   void fill(const ModelContext& c, const StripFill& f, Strip& s) const;
/// and, for a Strip that is not default-constructed (one that keeps a sub-stream of its own,
/// rng.hpp, or state that starts from the parameters), either
/// `Strip start(std::uint64_t seed, std::uint64_t first_path) const` (a member of the model) or
/// `static Strip Strip::start(std::uint64_t seed, std::uint64_t first_path)`. A model whose facts
/// list `statistics` gives its Strip `void statistics(int lane, double* out) const`, writing
/// statistics.size() values of that lane's path (called once, after the path's last day).
/// registry.hpp lists the types in one variant; every dispatch over it is an exhaustive visit.

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "letf/base/rng.hpp"

namespace letf {

class ObjectReader;
struct MarketData;

/// Every model floors a daily return R at -1 (a price never goes negative) and caps it at
/// kMaxDailyReturn (a 10^8 % day, far outside any market), so that one day's growth factor stays
/// finite whatever the parameters.
inline constexpr double kMaxDailyReturn = 1e6;

/// The most per-path statistics a model may list (ModelFacts::statistics; regime: one per state).
inline constexpr std::size_t kMaxModelStatistics = 32;

/// What a model needs beyond its parameters: dt = 1 / trading_days_per_year (so dt <= 1), the
/// scenario's days, and the loaded days of a data model (MarketData; null for the others).
struct ModelContext {
    double dt = 1.0 / 252;
    int days = 1;
    const MarketData* data = nullptr;
};

/// Annual drift and volatility of a lognormal daily growth factor:
///   ln(1 + R) ~ N((mu - sigma^2/2) dt, sigma^2 dt), so E[R] = exp(mu dt) - 1.
struct Lognormal {
    double mu = 0.0;
    double sigma = 0.0;
};

/// The facts of a model that the engine, the theory and the report use, computed once by the
/// model itself (registry.hpp: model_facts). E[R_t] is exact as long as the -1 floor is not
/// reached (gbm never reaches it).
struct ModelFacts {
    /// Every path is the same and nothing is drawn (pattern, historical, choppy without noise).
    bool deterministic = false;
    /// Every path gives the same index path: deterministic, or draws that cannot move a return
    /// (gbm or trend_noise with sigma 0, a bootstrap whose data days are all alike, one return
    /// and one rate when there is a rate series).
    bool one_outcome = false;
    /// Days independent, so E[prod_t (1 + a R_t + b)] = prod_t (1 + a E[R_t] + b); false for a
    /// block bootstrap (mean block length > 1), whose products of means are not exact.
    bool days_independent = true;
    /// E[R_t | days before t] = mean_return[t - 1] on every path (martingale differences around
    /// known means: garch, heston, merton): products of means are then exact although the days
    /// are dependent, by the tower property, as long as the -1 floor and the cap are not reached.
    bool conditional_means = false;
    /// E[prod_{t=1..n} (a + b R_t)], n = days, exactly, for a model whose products are not
    /// products of means (regime: pi_0' (P D)^n 1 with D = diag(a + b E[R | state])); empty
    /// otherwise. Preferred by the theory over mean_return when set.
    std::function<double(double a, double b)> expected_product;
    /// For i.i.d. days, one day's factor a + b R in closed form (gbm, merton): the daily-reset
    /// mean with limited liability E[max(0, a + b R)]^n and the wipe-out probability
    /// 1 - (1 - P(a + b R <= 0))^n are then exact. Empty where there is no closed form.
    struct DayLaw {
        std::function<double(double a, double b)> positive_part;    ///< E[max(0, a + b R)]
        std::function<double(double a, double b)> prob_nonpositive; ///< P(a + b R <= 0)
    };
    std::optional<DayLaw> day_law;
    /// E[int_0^T v_t dt]: the expected integrated annual variance over the horizon T = days dt
    /// (heston: theta T + (v0 - theta)(1 - exp(-kappa T)) / kappa), for the continuous-time log
    /// decay (L^2 - L)/2 E[int v] + c T of a daily-reset fund; empty where none is given (gbm's
    /// comes from `lognormal`).
    std::optional<double> integrated_variance;
    /// Every day has the same distribution (gbm, trend_noise, bootstrap): products of daily
    /// means are a power of one mean.
    bool identical_days = false;
    /// The data carries a daily rate series (a financing rate per data day).
    bool has_rates = false;
    /// Standard deviation of ln(1 + R) of one day across paths (0 when every path is the same);
    /// Student t noise counts as a normal sqrt(df / (df - 2)) times as wide (its extremes).
    double daily_log_sd = 0.0;
    /// Set when 1 + R is lognormal with i.i.d. days (gbm): the continuous-time formulas of the
    /// theory (medians, log decay) apply.
    std::optional<Lognormal> lognormal;
    /// E[R_t] for t = 1..days at index t - 1 (historical: the day's return).
    std::vector<double> mean_return;
    /// Per-path statistics the model tallies itself, in the order its Strip's statistics()
    /// writes them (regime: the share of days in each state), each with its exact mean where
    /// the model knows it. The report lists them under the underlying's `model_statistics`.
    /// At most kMaxModelStatistics.
    struct Statistic {
        std::string name;        ///< report key, e.g. "share_of_days_calm"
        std::string description; ///< one line, with units
        std::optional<double> exact_mean;
    };
    std::vector<Statistic> statistics;
};

/// One chunk of a strip to fill: out[d * kStripPaths + i] = R_{first_day + d} of lane i for
/// d < days (one chunk of the rng.hpp contract), drawn from `rng` (untouched by deterministic
/// models). `rates`, when not null (only with a rate series), receives each day's annual rate
/// (a fraction) at the same index.
struct StripFill {
    int first_day = 1;
    int days = 0;
    StripRng* rng = nullptr;
    double* out = nullptr;
    double* rates = nullptr;
    /// When not null (a joint data model's first asset), a data model writes the index of each
    /// lane's day into its data at the same index, for the other assets to replay.
    std::uint32_t* day_index = nullptr;
};

} // namespace letf

#pragma once
/// \file models/path_model.hpp
/// Daily simple returns for a block of paths, one day at a time.

#include <cstdint>
#include <memory>

#include "letf/config/scenario.hpp"
#include "letf/market/market_data.hpp"
#include "letf/base/rng.hpp"

namespace letf {

/// Generates the simple returns R_t of a strip of paths over a chunk of days.
///
/// The model is chosen once per call (a std::variant visit outside the per-path loop).
/// fill_strip is const: it writes only into the caller's buffer and advances only the caller's
/// per-path generators, each strictly in day order (see rng.hpp). Every model floors R at -1, so a
/// price never goes negative, and caps it at kMaxDailyReturn (a 10^8 % day, far outside any
/// market), so that one day's growth factor stays finite whatever the parameters.
inline constexpr double kMaxDailyReturn = 1e6;

/// Model state of a strip carried from one chunk of days to the next: for `bootstrap`, each
/// lane's index into the data on the last day filled (the stationary bootstrap continues its
/// block from there). Other models ignore it.
struct StripCursor {
    std::uint32_t index[kStripPaths] = {};
};

/// Data models (market_data.hpp): `historical` writes the data's returns in order on every lane
/// (day t is data day t - 1); `bootstrap` draws each lane's data days with bootstrap_next from
/// the lane's own generator, strictly in day order, so lane i of the strip of path k gives the
/// same days as DataSampler::indices(seed, k + i). When the scenario's financing rate is a
/// series, the rate of each filled day (annual, a fraction; the one in force at the previous
/// close of that data day) is written beside the return: a bootstrap day's rate travels with it.
class PathModel {
public:
    /// For data models `data` holds the days (ScenarioConfig::market_data).
    PathModel(const ModelSpec& spec, double dt, std::shared_ptr<const MarketData> data = nullptr);
    explicit PathModel(const ScenarioConfig& config);

    /// out[d * kStripPaths + i] = R_{first_day + d} of lane i, for d < days (one chunk of the
    /// rng.hpp contract). Deterministic models do not touch `rng`. The bootstrap keeps its
    /// position in `cursor` between chunks (pass the same cursor for consecutive chunks of a
    /// strip); `rates`, when not null and has_rates(), receives the day's annual rate at the
    /// same index.
    void fill_strip(int first_day, int days, StripRng& rng, double* out, StripCursor& cursor,
                    double* rates = nullptr) const;
    /// The same without rates and with a cursor of its own: a bootstrap strip must then be filled
    /// in one chunk (first_day 1).
    void fill_strip(int first_day, int days, StripRng& rng, double* out) const;

    /// True when the data carries a daily rate series.
    bool has_rates() const { return data_ && !data_->rates.empty(); }

    /// E[R_t], exact for every model as long as the -1 floor is not reached (gbm never reaches
    /// it). Days are independent, so E[prod_t (1 + a R_t + b)] = prod_t (1 + a E[R_t] + b)
    /// (not for a block bootstrap, whose days are dependent: its marginal mean is the data mean,
    /// but products of means are not exact; see days_independent()). Historical: the day's return.
    double mean_return(int day) const;

    /// False for a bootstrap with mean block length > 1.
    bool days_independent() const;

    /// True when every path is the same (no random draws at all).
    bool deterministic() const;

    const ModelSpec& spec() const { return spec_; }

private:
    ModelSpec spec_;
    double dt_;
    std::shared_ptr<const MarketData> data_;
    double data_mean_ = 0.0; ///< mean of the data's returns (bootstrap)
};

} // namespace letf

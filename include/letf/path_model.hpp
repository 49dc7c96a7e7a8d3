#pragma once
/// \file path_model.hpp
/// Daily simple returns for a block of paths, one day at a time.

#include "letf/config.hpp"
#include "letf/rng.hpp"

namespace letf {

/// Generates the simple returns R_t of a strip of paths over a chunk of days.
///
/// The model is chosen once per call (a std::variant visit outside the per-path loop).
/// fill_strip is const: it writes only into the caller's buffer and advances only the caller's
/// per-path generators, each strictly in day order (see rng.hpp). Every model floors R at -1, so a price
/// never goes negative, and caps it at kMaxDailyReturn (a 10^8 % day, far outside any market),
/// so that one day's growth factor stays finite whatever the parameters.
inline constexpr double kMaxDailyReturn = 1e6;

class PathModel {
public:
    PathModel(const ModelSpec& spec, double dt);

    /// out[d * kStripPaths + i] = R_{first_day + d} of lane i, for d < days (one chunk of the
    /// rng.hpp contract). Deterministic models do not touch `rng`.
    void fill_strip(int first_day, int days, StripRng& rng, double* out) const;

    /// E[R_t], exact for every model as long as the -1 floor is not reached (gbm never reaches
    /// it). Days are independent, so E[prod_t (1 + a R_t + b)] = prod_t (1 + a E[R_t] + b).
    double mean_return(int day) const;

    /// True when every path is the same (no random draws at all).
    bool deterministic() const;

    const ModelSpec& spec() const { return spec_; }

private:
    ModelSpec spec_;
    double dt_;
};

} // namespace letf

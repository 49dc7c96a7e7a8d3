#pragma once
/// \file models/joint_source.hpp
/// The daily returns of every asset of a scenario, strip by strip: what the engine reads.
///
/// Asset 0 is the scenario's `model` (or the first of `assets`) and draws exactly as a
/// one-asset scenario: StripSource with the primary stream of (seed, path). Asset k >= 1 draws
/// as a one-asset scenario of its own model would under the seed asset_seed(seed, k), so one
/// path's draws for every asset depend only on (seed, path), whatever the thread count.
///
/// Three ways assets are joined, decided once from the config:
///   independent  (no correlation, or an asset whose correlations are all 0): each asset fills
///                its strip with its own model and streams;
///   correlated   (gbm, trend_noise, garch and merton assets with a non-zero correlation:
///                StripSource::takes_shocks): each linked asset
///                draws its standard normals (strip_normals of its own primary stream), they are
///                mixed day by day by the lower-triangular factor C = F F' (z' = F z; row 0 of F
///                is (1, 0, ...), so asset 0's shocks are its own), and each asset turns its
///                shocks into returns (shocks_to_returns: garch its variance recursion and own
///                t gammas, merton its own jumps). Student t assets (one df) share one
///                gamma variate G per lane and day, drawn from the copula sub-stream
///                (SubStream::copula) of the path: eps_k = z'_k sqrt((df - 2) / (2 G)) (a t
///                copula: tail dependence even at correlation 0 between linked assets);
///   joint data   (historical or bootstrap on every asset): asset 0 draws its day indices as
///                alone; every asset replays the return of those data days (dates aligned by
///                read_joint_market_data), so their dependence is the data's.
/// F is a Cholesky factor that also takes semi-definite matrices: a pivot <= 1e-12 leaves its
/// column 0, so two perfectly correlated assets get the very same shocks.

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "letf/base/rng.hpp"
#include "letf/config/scenario.hpp"
#include "letf/models/strip_source.hpp"

namespace letf {

/// The seed of asset k >= 1's draws: splitmix64(seed ^ splitmix64(0x6173736574 + k)); asset 0
/// uses the scenario seed itself.
std::uint64_t asset_seed(std::uint64_t seed, std::size_t asset);

/// The lower-triangular F with F F' = C for a symmetric positive semi-definite C (row-major
/// K x K): pivots <= 1e-12 give zero columns.
std::vector<double> correlation_factor(const std::vector<std::vector<double>>& c);

// The buffers fill writes: asset k's returns start at k * kAssetStride doubles (rng.hpp).

class JointSource {
public:
    explicit JointSource(const ScenarioConfig& config);

    struct State {
        std::vector<StripRng> rng;               ///< per asset, its primary stream
        std::vector<StripSource::State> model;   ///< per asset
        StripRng copula;                         ///< t copula only
    };
    std::size_t assets() const { return sources_.size(); }
    const StripSource& asset(std::size_t k) const { return sources_[k]; }

    /// The streams and states of the strip whose first path is `first_path`.
    State start(std::uint64_t seed, std::uint64_t first_path) const;
    /// out[k * kAssetStride + d * kStripPaths + i] = R_{first_day + d} of asset k, lane i;
    /// `rates` as StripSource::fill (asset 0's rate series: every asset of a joint data model has
    /// the same).
    void fill(int first_day, int days, State& state, double* out, double* rates) const;
    /// Asset 0's model statistics (StripSource::statistics).
    void statistics(const State& state, int lane, double* out) const;

private:
    std::vector<StripSource> sources_;
    std::vector<double> factor_;        ///< correlation_factor, K x K (empty: none)
    std::vector<unsigned char> linked_; ///< per asset: drawn as correlated shocks
    bool joint_data_ = false;
    std::optional<double> t_df_; ///< the linked assets' Student t df
};

} // namespace letf

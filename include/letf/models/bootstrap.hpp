#pragma once
/// \file models/bootstrap.hpp
/// Resampled days of a CSV file: i.i.d. or the stationary block bootstrap.

#include <cstdint>

#include "letf/market/market_data.hpp"
#include "letf/models/model.hpp"

namespace letf {

/// `model.type = "bootstrap"`: each path resamples the days of a CSV file (market_data.hpp,
/// loaded once by parse_scenario into ScenarioConfig::market_data). mean_block_length 1: i.i.d.
/// days; > 1: stationary block bootstrap (Politis and Romano, 1994) with that mean block length.
/// A day's rate (with a rate series) travels with its return, so the rates are resampled with
/// the same blocks. Every day is uniform on the data: E[R_t] = the data's mean return, but the
/// days of a block are dependent (ModelFacts::days_independent is false for blocks > 1).
/// Draws: bootstrap_next per lane, strictly in day order, from the primary stream; lane i of a
/// strip gives the days bootstrap_next draws from path_rng(seed, first_path + i).
struct BootstrapModel : PriceFileSpec {
    static constexpr std::string_view kName = "bootstrap";
    static inline const std::initializer_list<std::string_view> kKeys = {
        "type", "csv", "column", "start", "end", "max_gap_days", "mean_block_length"};

    double mean_block_length = 1.0; ///< in [1, 10^6]

    /// Each lane's index into the data on the last day filled: a block continues from there in
    /// the next chunk.
    struct Strip {
        std::uint32_t index[kStripPaths] = {};
    };
    static BootstrapModel parse(const ObjectReader& r);
    void write(nlohmann::ordered_json& j) const;
    ModelFacts facts(const ModelContext& c) const;
    void fill(const ModelContext& c, const StripFill& f, Strip& s) const;
};

/// An integer uniform on [0, n) from `rng` by rejection (unbiased): draws 32-bit words w until
/// w >= 2^32 mod n and returns w mod n; the expected number of words is below 2. Requires n >= 1.
std::uint32_t uniform_index(PathRng& rng, std::uint32_t n) noexcept;

/// One day of the bootstrap of one path. Day 1 (`first`): a start index uniform on [0, n_data).
/// Later days: when mean_block_length <= 1, a new uniform index (i.i.d. days, one uniform_index
/// per day); otherwise one uniform u = uniform_open01(rng), and a new uniform index when
/// u < 1 / mean_block_length, else previous + 1, wrapping to 0 after n_data - 1 (circular).
/// Block lengths are then geometric with mean mean_block_length (for n_data >> 1).
std::uint32_t bootstrap_next(PathRng& rng, std::uint32_t n_data, double mean_block_length,
                             std::uint32_t previous, bool first) noexcept;

} // namespace letf

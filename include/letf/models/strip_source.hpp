#pragma once
/// \file models/strip_source.hpp
/// Daily simple returns of a strip of paths, one chunk of days at a time: what the engine reads.

#include <cstdint>
#include <memory>

#include "letf/base/rng.hpp"
#include "letf/config/scenario.hpp"
#include "letf/models/registry.hpp"

namespace letf {

/// The scenario's model ready to fill strips (kStripPaths paths, one SIMD lane each), with its
/// facts. The model is chosen once per fill (an exhaustive visit outside the per-path loop).
///
/// fill is const: it writes only into the caller's buffers and advances only the caller's
/// generators and state, each lane strictly in day order (rng.hpp), so lane i of the strip of
/// first path k is a pure function of (seed, k + i) whatever the chunking. Every model floors
/// R at -1 and caps it at kMaxDailyReturn (model.hpp).
class StripSource {
public:
    /// Per-strip model state carried from one chunk to the next (each model's Strip).
    using State = StripState;

    explicit StripSource(const ScenarioConfig& config);
    /// A model outside a scenario (tests, benchmarks): dt, days for the facts, and the days of a
    /// data model.
    StripSource(PathModel model, double dt, int days,
                std::shared_ptr<const MarketData> data = nullptr);

    /// The state at the start of the strip whose first path is `first_path` (before day 1). A
    /// model that draws from a sub-stream of its own (rng.hpp, SubStream) seeds it here, in its
    /// Strip, from (seed, first_path).
    State start(std::uint64_t seed, std::uint64_t first_path) const;

    /// out[d * kStripPaths + i] = R_{first_day + d} of lane i, for d < days <= kDayChunk (one
    /// chunk of the rng.hpp contract); pass the same `state` for consecutive chunks of a strip,
    /// from start(). Deterministic models do not touch `rng`. `rates`, when not null and
    /// facts().has_rates, receives each day's annual rate at the same index.
    void fill(int first_day, int days, StripRng& rng, State& state, double* out,
              double* rates = nullptr, std::uint32_t* day_index = nullptr) const;
    /// out holds standard normal (or unit-variance t) shocks of `days` days: each becomes the
    /// day's return in place, the model's other draws from its own sub-streams in `state`
    /// (gbm, trend_noise, garch, merton: the correlated assets of a joint model; takes_shocks).
    void shocks_to_returns(int first_day, int days, State& state, double* out) const;
    /// Whether the model draws its returns from one standard normal a day that a joint model may
    /// correlate (gbm, trend_noise, garch, merton).
    static bool takes_shocks(const PathModel& model);
    const MarketData* data() const { return data_.get(); }

    /// The model's per-path statistics of lane `lane` after the path's last day
    /// (facts().statistics.size() values into out; nothing for a model without statistics).
    void statistics(const State& state, int lane, double* out) const;

    const ModelFacts& facts() const { return facts_; }
    const PathModel& model() const { return model_; }

private:
    PathModel model_;
    std::shared_ptr<const MarketData> data_;
    ModelContext context_; ///< dt, days, data_.get()
    ModelFacts facts_;
};

} // namespace letf

#pragma once
/// \file engine/kernel.hpp (private to src/engine)
/// The block kernel and its tally pass. kernel.cpp is the one file that talks to the path model
/// (construction, facts, strip fill) and to the strategy walker (StripWalker, InvestorLane and
/// its rebalancing fields); tally.cpp turns a block's per-path columns into the tallies of
/// every row of kMetrics.

#include <array>
#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "letf/engine/partial.hpp"
#include "letf/engine/plan.hpp"

namespace letf::engine {

/// The first exception thrown by an iteration of an OpenMP loop, carried out of the region (an
/// exception that leaves it is std::terminate) and rethrown after it by rethrow(); the
/// iterations after a failure do nothing.
class RegionErrors {
public:
    template <class F> void run(F&& body) noexcept {
        if (failed_.load(std::memory_order_relaxed))
            return;
        try {
            body();
        } catch (...) {
            const std::lock_guard<std::mutex> lock(mutex_);
            if (!error_)
                error_ = std::current_exception();
            failed_.store(true, std::memory_order_relaxed);
        }
    }
    void rethrow() const {
        if (error_)
            std::rethrow_exception(error_);
    }

private:
    std::atomic<bool> failed_{false};
    std::mutex mutex_;
    std::exception_ptr error_;
};

/// The model of a plan and its facts (kernel.cpp).
std::shared_ptr<const ModelSource> make_model(const ScenarioConfig& config, ModelFacts& facts,
                                              std::vector<ModelFacts>& asset_facts);


/// PositionResult::facts of a position.
PositionFacts position_facts(const Position& position);

/// PositionResult::carry_annual of a position.
std::optional<double> carry_annual(const ScenarioConfig& config, const Position& position);

/// The position standing for the underlying in a result (L = 1, daily reset, no costs).
Position underlying_position();

/// Heap and inline bytes of one thread's walker (estimate_memory's formula): per position its
/// state, lanes and the loan table of an unrebalanced one (D + 1 doubles), and a chunk of rates.
double walker_bytes(const std::vector<Position>& positions, int days);

/// Buffers of the tally pass, reused from block to block (n doubles each).
struct TallyBuffers {
    std::vector<double> log_s, log_v, cagr, values;
};

/// One thread's buffers and per-thread statistics (sketches, bands, histogram counts), reused
/// from block to block; drained into a partial by drain().
struct Workspace;
struct WorkspaceDeleter {
    void operator()(Workspace* ws) const;
};
using WorkspacePtr = std::unique_ptr<Workspace, WorkspaceDeleter>;
WorkspacePtr make_workspace(const Plan& plan);
/// sizeof(Workspace), for the memory estimate.
std::size_t workspace_struct_bytes();

/// Walks block `block` of the plan and leaves its tallies in `out` (reset first). With exact
/// quantiles the per-path terminal values and drawdowns go straight into part.columns (at the
/// block's offset within part.range); otherwise into the workspace's sketches.
void run_block(const Plan& plan, std::int64_t block, Workspace& ws, BlockTallies& out,
               PartialResult& part);

/// Adds the workspace's sketches, band sketches and histogram counts to `part` (integer
/// counts: exact in any order) and clears them.
void drain(Workspace& ws, PartialResult& part);

/// A block's per-path columns of one series (n values each): the value and the path columns
/// (columns[0] the terminal value, columns[1 + PathColumn]), whether it ended under water (0/1)
/// and, for positions, the wipe-out day (null for the underlying).
struct SeriesColumns {
    std::array<const double*, kSeriesColumns> columns{};
    const double* under_water_end = nullptr;
    const double* wipeout_day = nullptr;
    double multiple = 1.0;

    const double* value() const { return columns[0]; }
    const double* column(PathColumn c) const { return columns[1 + static_cast<std::size_t>(c)]; }
};

/// Path i's outcome from a block's columns of a series (columns[0] the value, columns[1 + c]
/// path column c), as the tally pass builds it.
inline PathOutcome path_outcome(const double* const* columns, std::size_t i, double s, double log_s,
                                double log_v, double multiple, double wipeout_day, double years,
                                double cagr) {
    const auto col = [&](PathColumn c) { return columns[1 + static_cast<std::size_t>(c)][i]; };
    PathOutcome o{s, columns[0][i], log_s, log_v, col(PathColumn::drawdown), multiple, wipeout_day};
    o.volatility = col(PathColumn::volatility);
    o.sharpe = col(PathColumn::sharpe);
    o.sortino = col(PathColumn::sortino);
    o.under_water_days = col(PathColumn::under_water_days);
    o.recovery_days = col(PathColumn::recovery_days);
    o.years = years;
    o.cagr = cagr;
    return o;
}

/// Tallies of one block: per series (0 the underlying, whose value column is S) the moments of
/// every applicable metric row over its population, the counts, the histogram counts
/// (`histogram`: (bins + 2) per series, null without) and, when `sketches` is not null, the
/// values of every quantile row (of an exact plan: the ExactRule::sketched rows only) added to
/// sketches[s * kQuantileMetricCount + slot].
void tally_block(const Plan& plan, std::span<const SeriesColumns> series, std::size_t n,
                 TallyBuffers& buf, BlockTallies& out, QuantileSketch* sketches,
                 std::int64_t* histogram);

} // namespace letf::engine

#pragma once
/// \file strategies/strategy.hpp
/// Leverage strategies: fold a strip's daily returns into position values, every strategy and
/// multiple on the same paths.

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "letf/base/rng.hpp"
#include "letf/config/scenario.hpp"
#include "letf/stats/path_stats.hpp"
#include "letf/strategies/investor.hpp"
#include "letf/strategies/registry.hpp"
#include "letf/strategies/signal.hpp"

namespace letf {

/// One strategy at one multiple L, with its per-day constants. Values are in units of V_0 = 1
/// and S_0 = 1. Each strategy's formula is in its file (strategies/<name>.hpp).
///
/// With a rate series r_t the carry and the loan's growth vary by day:
///   daily_reset:  c_t(L) dt = carry0_daily + rate_slope r_t dt,  rate_slope = rate_slope(L)
///                 (costs.hpp; L - 1 without a markup or markdown),
///   unrebalanced: loan_t = loan_{t-1} (growth0_daily + loan_rate_slope r_t dt), loan_0 = L - 1,
///                 loan_rate_slope = 1 + b (L > 1) or 1 - m (cash),
/// (both are linear in the rate), walked per lane beside the constant-rate kernels.
/// The investor strategies (investor.hpp) are walked per lane by their step() and InvestorRule.
/// One sleeve of a portfolio position with its per-day constants (Portfolio; asset -1: cash).
struct Sleeve {
    int asset = -1;
    double multiple = 1.0, weight = 0.0;
    double carry_daily = 0.0;  ///< c_k(L_k) dt at the constant rate
    double carry0_daily = 0.0; ///< at rate 0 (rate series)
    double rate_slope = 0.0;   ///< d c_k / d r (rate series)
};

struct Position {
    Strategy strategy = DailyReset{}; ///< the config entry, with its parameters
    double multiple = 1.0; ///< a portfolio's: its exposure sum_k w_k L_k
    int asset = 0;         ///< the asset held (index into the scenario's assets)
    /// The one label of console, report, CSV and plots: the strategy's label, with the asset
    /// named (`daily_reset(asset=bonds)`) in a scenario of several assets.
    std::string label;
    /// A portfolio's sleeves (empty for the other kinds); its cash sleeve grows by cash_growth
    /// (>= 0) or borrowed_growth (< 0) per day at the constant rate.
    std::vector<Sleeve> sleeves;
    double cash_growth = 1.0, borrowed_growth = 1.0;
    double carry_daily = 0.0;   ///< c(L) dt, daily reset only
    double growth_daily = 1.0;  ///< 1 + r dt, unrebalanced only
    double carry0_daily = 0.0;  ///< c(L) dt at financing rate 0 (rate series)
    double growth0_daily = 1.0; ///< 1 + r dt at financing rate 0 (rate series)
    double rate_slope = 0.0;    ///< d c(L) / d r (rate series, daily reset)
    double loan_rate_slope = 1.0; ///< d unrebalanced_rate(L) / d r (rate series, unrebalanced)
    double dt = 1.0 / 252.0;
    InvestorRule investor{}; ///< investor strategies only
    /// The fund's carry as a function of the multiple at the constant rate and at rate 0 (a
    /// rate series): signal strategies whose multiple changes (signal.hpp).
    CarryShape carry_shape{}, carry_shape0{};
};

/// Positions in report order: strategies in config order, each over the multiples in config order.
std::vector<Position> make_positions(const ScenarioConfig& config);

/// Heap bytes of the ring of a signal strategy's position (ring_days() x kStripPaths doubles);
/// 0 for the other kinds. (The walker also keeps one SignalLanes per position, of any kind.)
std::size_t signal_state_bytes(const Strategy& strategy);

// kValueCap (the cap on S_t/S_0 and V_t/V_0) is in strategies/common.hpp.

/// Walks the positions of a strip of kStripPaths paths (rng.hpp) through the days, chunk by
/// chunk, with per-path state in SIMD registers across the days of a chunk. The dispatch is here
/// (strategy.cpp: an exhaustive visit per position, then the SIMD groups per fund strategy);
/// each strategy's kernels are in its own file (daily_reset.cpp, unrebalanced.cpp; the investor
/// strategies' step() in their headers).
///
/// For each value series X (the underlying S or a position's V), with X_0 = 1:
///   max_drawdown_T = 1 - min_{t<=T} X_t / max_{s<=t} X_s  (in [0, 1]),
///   wipeout_day = first day t with X_t = 0, or 0 if none.
/// For multiplicative series the ratio u_t = X_t / max_{s<=t} X_s is updated without a division:
/// u_t = min(1, u_{t-1} f_t) with X_t = X_{t-1} f_t. For the unrebalanced position the ratio
/// is V_t / peak_t (on AVX-512 V_t times a Newton-refined reciprocal of the peak, within 1 ulp).
///
/// A daily-reset chunk runs without the cap and the wipe-out test; a lane that ends the chunk
/// above kValueCap (or non-finite) or newly at zero is walked again, scalar, with both.
class StripWalker {
public:
    /// `days`: the horizon (the walker tabulates each unrebalanced position's loan per day,
    /// 8 bytes per day and unrebalanced position; the other kinds need no table).
    /// `path_statistics`: whether advance() folds every series into its path tracker.
    /// `assets`: the assets whose returns advance() is handed (asset k's at k * kAssetStride);
    /// `flows`: contributions and withdrawals applied to every position (config/cash_flows.hpp;
    /// null: none), after which value(), max_drawdown(), wipeout_day() (the day the account ran
    /// out) and the path statistics are the wealth's.
    StripWalker(std::vector<Position> positions, int days, bool path_statistics = true,
                int assets = 1, std::shared_ptr<const FlowSchedule> flows = nullptr);

    /// Every path back to day 0 (all values 1).
    void reset();
    /// Advances by days first_day, ..., first_day + days - 1 (first_day >= 1, consecutive
    /// across calls, last day <= the horizon) with returns[d * kStripPaths + i] = R of lane i on
    /// day first_day + d. `rates`, when not null, holds the annual financing rate of each lane and
    /// day at the same index (a rate series): every position then uses it instead of the constant
    /// rate.
    void advance(int first_day, int days, const double* returns, const double* rates = nullptr);
    int assets() const { return assets_; }

    const std::vector<Position>& positions() const { return positions_; }
    /// Heap bytes held (vector capacities): what estimate_memory counts per thread.
    std::size_t memory_bytes() const;
    double underlying(int lane) const { return s_.x[lane]; }
    double underlying_max_drawdown(int lane) const { return 1.0 - s_min_.x[lane]; }
    double value(std::size_t j, int lane) const {
        return flows_ ? flow_[j].w.x[lane] : state_[j].v.x[lane];
    }
    double max_drawdown(std::size_t j, int lane) const {
        return 1.0 - (flows_ ? flow_[j].m.x[lane] : state_[j].m.x[lane]);
    }
    /// First day with V = 0 (with flows: the day the wealth ran out), 0 if none.
    int wipeout_day(std::size_t j, int lane) const {
        return flows_ ? flow_[j].out[lane] : state_[j].wipeout[lane];
    }
    /// Per-path extra statistics of position j (extra_fields: a portfolio's mean weight of each
    /// sleeve before a rebalance, then with flows the contributed and withdrawn totals, the
    /// money-weighted return and the day the account ran out, NaN where it did not), into out.
    void extras(std::size_t j, int lane, double* out) const;
    /// The state of an investor position (trades, turnover, ...); positions of other kinds hold
    /// the start state.
    const InvestorLane& investor(std::size_t j, int lane) const {
        return investor_[j * kStripPaths + static_cast<std::size_t>(lane)];
    }
    /// The per-path tallies of position j (its Tallies::kFields, then zeros): an investor's
    /// InvestorLane::tallies(), a signal strategy's (signal.hpp); zeros for a fund.
    std::array<double, 6> tallies(std::size_t j, int lane) const;
    /// The path statistics (stats/path_stats.hpp) of the underlying (s = 0) or of position
    /// s - 1, lane `lane`, over the days walked so far.
    PathStats path_stats(std::size_t s, int lane) const { return trackers_[s].lane(lane); }

private:
    struct alignas(64) Lanes {
        double x[kStripPaths];
    };
    /// v: value; u: ratio to the running peak (daily reset) or the running peak (unrebalanced);
    /// m: the least ratio so far.
    struct State {
        Lanes v, u, m;
        int wipeout[kStripPaths];
    };

    /// Every position through the chunk (advance: then the path trackers).
    void walk(int first_day, int days, const double* returns, const double* rates);
    /// Positions walked together (strategy by strategy, in position order).
    static constexpr int kGroup = 3;
    /// The constant-rate SIMD walk of every position holding strategy K, in groups of kGroup.
    template <class K> void walk_groups(int first_day, int days, const double* returns, int asset);
    template <class K>
    void walk_group(const std::size_t* js, int g, int first_day, int days, const double* returns);
    template <int G>
    void daily_reset(const std::size_t* js, int first_day, int days, const double* r);
    void redo_daily_reset(std::size_t j, int first_day, int days, const double* r);
    template <int G> void unrebalanced(const std::size_t* js, int first_day, int days);
    /// Per-lane walks with a daily rate (rates[d * kStripPaths + i], annual).
    void daily_reset_rates(std::size_t j, int first_day, int days, const double* r,
                           const double* rates);
    void unrebalanced_rates(std::size_t j, int first_day, int days, const double* rates);
    /// Per-lane walk of an investor strategy; rates may be null (the constant rate).
    template <class S>
    void investor_walk(const S& strategy, std::size_t j, int first_day, int days, const double* r,
                       const double* rates);
    /// Records V_t of lane i of position j at the close of `day`: drawdown against the running
    /// peak (kept in u), wipe-out day.
    void record(State& st, int i, double v, int day);
    /// The vectorised walks of the signal strategies (in their own .cpp files); rates may be
    /// null (the constant rate).
    void signal_walk(const SmaRotation& s, std::size_t j, int first_day, int days, const double* r,
                     const double* rates);
    void signal_walk(const VolTarget& s, std::size_t j, int first_day, int days, const double* r,
                     const double* rates);
    void signal_walk(const DrawdownDerisk& s, std::size_t j, int first_day, int days,
                     const double* r, const double* rates);
    /// A signal position's lane state back to day 0.
    void signal_reset(std::size_t j);
    /// Position j's values of the current chunk: [d * kStripPaths + i] = V of lane i at the
    /// close of day chunk_first_ + d. Every kernel fills every day of the chunk; the path
    /// trackers read them after the walks.
    double* day_values(std::size_t j) {
        return day_values_.data() + j * static_cast<std::size_t>(kDayChunk * kStripPaths);
    }

    std::vector<Position> positions_;
    std::vector<State> state_;
    Lanes s_, s_ratio_, s_min_;
    std::vector<double> path_; ///< S_t of the chunk, [d * kStripPaths + i]
    /// (L - 1) (1 + r dt)^t, t = 0..days, one row per unrebalanced position (debt_row_[j]).
    std::vector<double> debt_;
    std::vector<std::size_t> debt_row_; ///< per position: its row of debt_ (unrebalanced only)
    std::vector<double> loan_; ///< unrebalanced with a rate series: the loan, per position x lane
    std::vector<InvestorLane> investor_; ///< per position x lane
    /// Per position: an investor strategy's start state (decided once, not per strip).
    std::vector<std::optional<InvestorLane>> investor_start_;
    std::vector<SignalLanes> signal_; ///< per position (signal strategies only; else empty)
    /// A signal shared by the multiples of one entry (sma_rotation, vol_target): two arrays of
    /// kDayChunk x kStripPaths for the chunk, written by the entry's first position.
    std::vector<double> signal_chunk_;
    int days_ = 0;
    std::vector<double> day_values_;    ///< per position, kDayChunk x kStripPaths
    int chunk_first_ = 1;               ///< the first day of the chunk being walked
    std::vector<PathTracker> trackers_; ///< the underlying, then each position
    bool path_statistics_ = true;

    // Several assets: asset k's index path S_t of the chunk at path_ + k * kAssetStride; the
    // levels of assets k >= 1 (asset 0's is s_).
    int assets_ = 1;
    std::vector<Lanes> asset_s_;
    const double* asset_path(std::size_t j) const {
        return path_.data() + static_cast<std::size_t>(positions_[j].asset) * kAssetStride;
    }
    static const double* asset_returns(const Position& p, const double* returns) {
        return returns + static_cast<std::size_t>(p.asset) * kAssetStride;
    }

    // Portfolios (portfolio.cpp): per position, per sleeve and lane its value, and per lane the
    // running sums of the tallies and of the weights before a rebalance.
    struct PortfolioLanes {
        std::vector<double> h;      ///< [k * kStripPaths + i]
        std::vector<double> w_sum;  ///< [k * kStripPaths + i], sum of pre-rebalance weights
        Lanes rebalances, turnover, bought, sold, costs;
    };
    std::vector<PortfolioLanes> portfolio_;
    void portfolio_reset(std::size_t j);
    void portfolio_walk(std::size_t j, int first_day, int days, const double* returns,
                        const double* rates);

    // Cash flows (flow_account.cpp): per position the wealth W, its running peak ratio and
    // least ratio, the last value of the flow-free V, the day the account ran out, the totals,
    // and each flow day's net flow per lane for the money-weighted return.
    struct FlowLanes {
        Lanes w, u, m, v_prev, contributed, withdrawn;
        int out[kStripPaths];
        std::vector<double> net; ///< [e * kStripPaths + i], e-th flow day of the schedule
    };
    std::shared_ptr<const FlowSchedule> flows_;
    std::vector<FlowLanes> flow_;
    std::vector<int> flow_event_; ///< day t -> its index among the schedule's flow days
    mutable std::vector<int> irr_days_;      ///< extras(): scratch of one path's flow days
    mutable std::vector<double> irr_flows_;  ///< and its flows
    void flows_reset();
    std::size_t extra_bytes() const;
    void apply_flows(std::size_t j, int first_day, int days);
};

/// The names and descriptions of the per-path extra statistics of position p (in the order of
/// StripWalker::extras), with `flows` when the scenario has cash flows.
struct ExtraField {
    std::string group; ///< "portfolio" or "cash_flows": the report block
    std::string name;  ///< report key
    std::string description;
};
std::vector<ExtraField> extra_fields(const Position& p, bool flows,
                                     const std::vector<std::string>& asset_names);

} // namespace letf

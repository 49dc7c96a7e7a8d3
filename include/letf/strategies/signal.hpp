#pragma once
/// \file strategies/signal.hpp
/// What the signal strategies (sma_rotation.hpp, vol_target.hpp, drawdown_derisk.hpp) share:
/// their tallies, their per-lane walker state, and the carry of a daily-reset fund whose multiple
/// changes from day to day.
///
/// A signal strategy decides, at the close of day t, what the position holds on day t + 1 from
/// closes up to t only (causal): the decision for day t uses closes up to t - 1. Its value is a
/// product of day factors, V_t = V_{t-1} f_t with f_t >= 0 (V_0 = 1), so the walker's drawdown
/// ratio u_t = min(1, u_{t-1} f_t) applies unchanged. A switch at the close of day t costs
/// k V_t (k = transaction_cost_bps / 10^4, of the value switched: the whole position), taken
/// from V_t at that close. A wiped-out position (V = 0) stays at 0 and never switches.
///
/// Kernels: StripWalker::signal_walk (one per strategy, in the strategy's .cpp), vectorised
/// across the 16 lanes of a strip with all state in SignalLanes (allocated once per walker).

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include "letf/base/rng.hpp"
#include "letf/config/costs.hpp"

namespace letf {

/// A strategy walked by StripWalker::signal_walk (kSignal = true; kInvestor is false). With
/// kSharedSignal its decisions depend on the index alone, so the multiples of one entry share
/// them: the entry's first position computes them per chunk (and keeps the ring), the others
/// read them.
template <class S>
concept SignalStrategy = requires {
    requires S::kSignal;
};

/// Per-path tallies of sma_rotation and drawdown_derisk:
///   invested_share  share of the T days spent holding the fund of multiple L (in [0, 1]);
///   switches        number of switches (each way counts one);
///   switch_costs    sum of k V_t over the switches, in units of V_0.
struct SwitchTallies {
    static constexpr std::array<std::string_view, 3> kFields{"invested_share", "switches",
                                                             "switch_costs"};
};

/// Per-path tallies of vol_target:
///   mean_multiple   (1/T) sum_t L_t, the signed multiple held on day t averaged over the T days;
///   switches        number of re-sets that changed the multiple;
///   switch_costs    sum of k |L_new - L_old| V_t over them, in units of V_0.
struct VolTargetTallies {
    static constexpr std::array<std::string_view, 3> kFields{"mean_multiple", "switches",
                                                             "switch_costs"};
};

/// The number of tally slots a signal position keeps per lane.
inline constexpr int kSignalTallies = 3;

/// The per-lane state of one signal position on a strip (the walker keeps one per position; the
/// other kinds leave it empty). `ring` holds the last `window` values of a series per lane
/// ([slot * kStripPaths + lane], slot = day mod window): closes for sma_rotation, returns for
/// vol_target; the x arrays are strategy-specific running state (running sums, peak, trough,
/// the held state or multiple), `tally` the per-lane tallies as running sums.
struct SignalLanes {
    struct alignas(64) Lanes {
        double x[kStripPaths];
    };
    std::vector<double> ring;
    Lanes held, a, b;
    Lanes tally[kSignalTallies];
};

/// The state of a signal position's lanes at day 0 (each strategy's signal_start): SignalLanes'
/// held, a and b, and the value the ring's slot 0 starts with (the ring is otherwise 0).
struct SignalStart {
    double held = 0.0, a = 0.0, b = 0.0, slot0 = 0.0;
};

/// The carry c(L) of a daily-reset fund as a function of L (costs.hpp): piecewise linear with
/// knots at 0 and 1, so
///   c(L) = c(1) + up max(L - 1, 0) + mid (min(max(L, 0), 1) - 1) + down min(L, 0),
///   up = c(2) - c(1), mid = c(1) - c(0), down = c(0) - c(-1),
/// each from fund_carry itself (the one carry formula). vol_target evaluates it per lane and day.
struct CarryShape {
    double c1 = 0.0, up = 0.0, mid = 0.0, down = 0.0;
    static CarryShape of(const Costs& costs) {
        const double c1 = fund_carry(costs, 1.0), c0 = fund_carry(costs, 0.0);
        return {c1, fund_carry(costs, 2.0) - c1, c1 - c0, c0 - fund_carry(costs, -1.0)};
    }
    /// c(L), annual (the vector form is in vol_target.cpp).
    double at(double L) const {
        return c1 + up * std::max(L - 1.0, 0.0) + mid * (std::clamp(L, 0.0, 1.0) - 1.0) +
               down * std::min(L, 0.0);
    }
};

} // namespace letf

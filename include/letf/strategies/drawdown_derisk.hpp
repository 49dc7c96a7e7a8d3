#pragma once
/// \file strategies/drawdown_derisk.hpp
/// Drawdown de-risking: hold the daily-reset fund of multiple L until the position has lost
/// `threshold` from its peak, then a lower multiple until it recovers (signal.hpp has what the
/// signal strategies share). Config:
///   {"type": "drawdown_derisk", "threshold": d (in (0, 1], required),
///    "fallback": F (the multiple held while de-risked, absolute, in [-10, 10], default 1),
///    "recover": g (optional, in (0, 10^6], relative),
///    "transaction_cost_bps": k (in [0, 10000], default 0; of the value switched)}
///
/// State at L (from day 0): P_t = the highest V since the position last went to L (P = V_0 = 1 at
/// the start). At the close of day t where V_t <= (1 - d) P_t (a drawdown of at least d from P),
/// the position switches to the fallback fund from day t + 1, and the trough starts at the value
/// after the switch, Q = V_t (1 - k). De-risked: Q_t = min(Q, V_t); at the close where
///   V_t >= P  (the peak before the de-risking is reached again: a new peak), or
///   V_t >= (1 + g) Q_t  (a recovery of g from the trough; only with "recover"),
/// it switches back to L from day t + 1 and P restarts at the value after the switch. Each day's
/// factor is that of the daily-reset fund it holds, max(0, 1 + M R_t - c(M) dt) with M = L or F
/// (constant rate: max(0, 1 - c(M) dt + M R_t), as daily_reset). With d = 1 the switch needs
/// V_t <= 0, which never switches (a wiped-out position never does): the fund itself, bit for
/// bit. Tallies: SwitchTallies (invested_share: the days held at L).

#include <array>
#include <optional>
#include <string>

#include "letf/strategies/common.hpp"
#include "letf/strategies/signal.hpp"

namespace letf {

struct DrawdownDerisk {
    static constexpr std::string_view kName = "drawdown_derisk";
    static constexpr bool kInvestor = false;
    static constexpr bool kSignal = true;
    static constexpr bool kSharedSignal = false;
    using Tallies = SwitchTallies;

    double threshold = 0.2;
    double fallback = 1.0;
    std::optional<double> recover;
    double transaction_cost_bps = 0.0;

    static DrawdownDerisk parse(const nlohmann::json& object, const StrategyContext& ctx);
    void write(nlohmann::ordered_json& parameters) const;
    /// drawdown_derisk(threshold=d[,fallback=F,recover=g,transaction_cost_bps=k]): the threshold
    /// always, the others when not the default (or set).
    std::string label() const;
    /// The carry c(L) of the fund at L, annual.
    double carry(const Costs& costs, double multiple) const;
    /// threshold 1 holds L throughout: daily_reset's theory; otherwise empty.
    StrategyTheory theory(const TheoryInputs& in, double multiple) const;

    /// The walker's lane state (signal.hpp): no ring; held 1 at L, 0 de-risked; a the peak P,
    /// b the trough Q; the tallies are the days at L, the switches and the values switched.
    int ring_days() const { return 0; }
    SignalStart signal_start(double /*multiple*/) const { return {1.0, 1.0, 1.0, 0.0}; }
    /// Days at L to their share of the horizon, values switched to their cost.
    std::array<double, 6> finish_tallies(std::array<double, 6> t, int days) const {
        t[0] = days > 0 ? t[0] / days : 0.0;
        t[2] *= transaction_cost_bps * 1e-4;
        return t;
    }

    bool operator==(const DrawdownDerisk&) const = default;
};

} // namespace letf

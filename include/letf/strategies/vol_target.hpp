#pragma once
/// \file strategies/vol_target.hpp
/// Volatility targeting: a daily-reset exposure whose multiple is re-set from the index's
/// realised volatility (signal.hpp has what the signal strategies share). Config:
///   {"type": "vol_target", "target": s* (annual, in (0, 10], required),
///    "window_days": w (integer in [2, 10^5], default 20), "every_days": n (default 1),
///    "min_leverage": a (>= 0, default 0, at most the smallest |multiple|),
///    "max_leverage": m (optional; when given it must equal the largest |multiple|),
///    "transaction_cost_bps": k (in [0, 10000], default 0; of the exposure traded)}
///
/// The scenario's multiple L is the cap, sign included (the rule for `multiples`): on each
/// multiple L the strategy holds the multiple
///   L_t = sign(L) clamp(s* / sigma_t, a, |L|),
/// with sigma_t the realised volatility at the close of the re-set day t,
///   sigma_t = sqrt(q_t / dt),  q_t = sample variance (N - 1) of R_{t-w+1}, ..., R_t,
/// (dt = 1 / trading_days_per_year; sigma_t = 0 gives |L|). L_t is re-set at the closes of days
/// t >= w with t a multiple of n and held from day t + 1; before the first re-set (no full window
/// of returns yet) it is L itself. `max_leverage` only states the cap in the file: the multiples
/// set it. Day t's factor is that of a daily-reset fund of multiple L_{t-1}:
///   f_t = max(0, 1 + L R_t - c(L) dt),   L = the multiple held on day t,
/// with c(L) the fund's carry at that multiple (fund_carry, piecewise linear in L: CarryShape).
/// A re-set that changes the multiple costs k |L_new - L_old| V_t at that close.
/// q_t comes from running sums of R and R^2 per lane (add the day's, subtract the one leaving),
///   q = (sum R^2 - (sum R)^2 / w) / (w - 1), floored at 0,
/// so it can differ from a two-pass variance in the last bits; s* / sigma_t is evaluated as
/// s* (q_t / dt)^(-1/2) (on AVX-512 a refined reciprocal square root, within a few ulp), with
/// q_t floored at 10^-300 dt (sigma_t = 0 then gives the cap). The ratio depends on the index
/// alone: the multiples of one entry share it (signal.hpp). Tallies: VolTargetTallies.

#include <array>
#include <optional>
#include <string>

#include "letf/strategies/common.hpp"
#include "letf/strategies/signal.hpp"

namespace letf {

struct VolTarget {
    static constexpr std::string_view kName = "vol_target";
    static constexpr bool kInvestor = false;
    static constexpr bool kSignal = true;
    static constexpr bool kSharedSignal = true;
    using Tallies = VolTargetTallies;

    double target = 0.25;
    int window_days = 20;
    int every_days = 1;
    double min_leverage = 0.0;
    std::optional<double> max_leverage;
    double transaction_cost_bps = 0.0;

    static VolTarget parse(const nlohmann::json& object, const StrategyContext& ctx);
    void write(nlohmann::ordered_json& parameters) const;
    /// vol_target(target=s[,window_days=w,every_days=n,min_leverage=a,max_leverage=m,
    /// transaction_cost_bps=k]): the target always, the others when not the default (or set).
    std::string label() const;
    /// The carry c(L) of the fund at the cap L, annual (the held multiple varies by day).
    double carry(const Costs& costs, double multiple) const;
    /// min_leverage = |L| holds L throughout: daily_reset's theory; otherwise empty.
    StrategyTheory theory(const TheoryInputs& in, double multiple) const;

    /// The walker's lane state (signal.hpp): the ring holds the last w returns, a and b the
    /// running sums of R and R^2, held the multiple held (L at the start); the tallies are the
    /// sum of the multiples held, the switches and sum |L_new - L_old| V_t.
    int ring_days() const { return window_days; }
    SignalStart signal_start(double multiple) const { return {multiple, 0.0, 0.0, 0.0}; }
    /// The sum of the multiples held to their mean over the horizon, the exposure traded to its
    /// cost.
    std::array<double, 6> finish_tallies(std::array<double, 6> t, int days) const {
        t[0] = days > 0 ? t[0] / days : 0.0;
        t[2] *= transaction_cost_bps * 1e-4;
        return t;
    }

    bool operator==(const VolTarget&) const = default;
};

} // namespace letf

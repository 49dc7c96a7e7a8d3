#pragma once
/// \file strategies/sma_rotation.hpp
/// Moving-average rotation: hold the daily-reset fund of multiple L while the index is above its
/// moving average, else cash or the 1x index (signal.hpp has what the signal strategies share).
/// Config:
///   {"type": "sma_rotation", "window_days": w (integer in [1, 10^5], default 200),
///    "band": b (in [0, 10^9], relative, default 0), "off": "cash" | "index" (default "cash"),
///    "transaction_cost_bps": k (in [0, 10000], default 0; of the value switched)}
///
/// The average at the close of day t is that of the w closes before it,
///   M_t = (S_{t-w} + ... + S_{t-1}) / w          (S_0 = 1 counts as a close),
/// so window 1 compares each close with the one before. The held state H in {fund, off} changes
/// at the close of day t >= w only (the first w days hold the fund: no full window yet):
///   off  -> fund  when S_t > M_t (1 + b),
///   fund -> off   when S_t < M_t (1 - b),
/// otherwise it stays (hysteresis; b = 0 still keeps the state on a tie). A band b >= 1 never
/// leaves the fund: the position is then the daily-reset fund itself, bit for bit. Day t's
/// factor, from the state decided at close t - 1:
///   fund:  max(0, 1 - c(L) dt + L R_t)     (c(L) = fund_carry, as daily_reset)
///   cash:  1 + r_t dt                       (the financing rate, or the rate series' r_t)
///   index: 1 + R_t                          (the index itself, no fund costs)
/// and a switch at the close of day t multiplies V_t by 1 - k (signal.hpp).
/// M_t comes from a running sum per lane (add S_t, subtract S_{t-w}), so it can differ from a
/// fresh sum in the last bits. Tallies: SwitchTallies.

#include <array>
#include <string>

#include "letf/strategies/common.hpp"
#include "letf/strategies/signal.hpp"

namespace letf {

/// What sma_rotation holds when the index is below its average.
enum class SmaOff { cash, index };

struct SmaRotation {
    static constexpr std::string_view kName = "sma_rotation";
    static constexpr bool kInvestor = false;
    static constexpr bool kSignal = true;
    static constexpr bool kSharedSignal = true;
    using Tallies = SwitchTallies;

    int window_days = 200;
    double band = 0.0;
    SmaOff off = SmaOff::cash;
    double transaction_cost_bps = 0.0;

    static SmaRotation parse(const nlohmann::json& object, const StrategyContext& ctx);
    void write(nlohmann::ordered_json& parameters) const;
    /// sma_rotation(window_days=w,band=b,off=index,transaction_cost_bps=k), each when not the
    /// default (sma_rotation alone with every default).
    std::string label() const;
    /// The fund's carry c(L), annual.
    double carry(const Costs& costs, double multiple) const;
    /// A band >= 1 holds the fund throughout: daily_reset's theory; otherwise empty.
    StrategyTheory theory(const TheoryInputs& in, double multiple) const;

    /// The walker's lane state (signal.hpp): the ring holds the last w closes (slot 0 starts
    /// with S_0 = 1), a the running sum of the ring, held 1 in the fund and 0 off; the tallies
    /// are the days in the fund, the switches and the sum of the values switched.
    int ring_days() const { return window_days; }
    SignalStart signal_start(double /*multiple*/) const { return {1.0, 1.0, 0.0, 1.0}; }
    /// Days in the fund to their share of the horizon, values switched to their cost.
    std::array<double, 6> finish_tallies(std::array<double, 6> t, int days) const {
        t[0] = days > 0 ? t[0] / days : 0.0;
        t[2] *= transaction_cost_bps * 1e-4;
        return t;
    }

    bool operator==(const SmaRotation&) const = default;
};

} // namespace letf

#pragma once
/// \file strategies/target_leverage.hpp
/// The investor's own leveraged account (no fund), re-levered to A = L E on a calendar, when the
/// leverage leaves a band, or on a margin call (investor.hpp). Config:
///   {"type": "target_leverage", "every_days": n and/or "band": b (at least one; b in (0, 100],
///    on the leverage), "maintenance_margin": m (optional, in (0, 1), below 1/|L| for every
///    multiple), "transaction_cost_bps": k (in [0, 10000], default 0)}

#include <optional>

#include "letf/strategies/common.hpp"
#include "letf/strategies/investor.hpp"

namespace letf {

struct TargetLeverage {
    static constexpr std::string_view kName = "target_leverage";
    static constexpr bool kInvestor = true;
    using Tallies = LeverageTallies;

    std::optional<int> every_days; ///< at least one of every_days and band is set
    std::optional<double> band;
    std::optional<double> maintenance_margin;
    double transaction_cost_bps = 0.0;

    static TargetLeverage parse(const nlohmann::json& object, const StrategyContext& ctx);
    void write(nlohmann::ordered_json& parameters) const;
    /// target_leverage(every_days=n,band=b,maintenance_margin=m,transaction_cost_bps=k), each
    /// when set (the cost when != 0).
    std::string label() const;
    /// The account's financing rate, unrebalanced_rate(L), annual.
    double carry(const Costs& costs, double multiple) const;
    /// No closed form: empty.
    StrategyTheory theory(const TheoryInputs& in, double multiple) const;

    InvestorLane start(const InvestorRule& rule) const { return leverage_account_start(rule); }
    double step(const InvestorRule& rule, InvestorLane& lane, int day, double R, double r) const {
        return leverage_account_step(
            rule, LeverageSchedule{every_days.value_or(0), band, maintenance_margin}, lane, day, R,
            r);
    }

    bool operator==(const TargetLeverage&) const = default;
};

} // namespace letf

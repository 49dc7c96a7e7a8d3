#pragma once
/// \file strategies/calendar_rebalance.hpp
/// An investor holding a daily-reset fund of multiple L and a cash account, traded back to the
/// index's growth since the last rebalance every `every_days` days (investor.hpp has the account
/// and its tallies). Config:
///   {"type": "calendar_rebalance", "every_days": n (required, >= 1),
///    "transaction_cost_bps": k (in [0, 10000], default 0; bps of |trade|)}

#include "letf/strategies/common.hpp"
#include "letf/strategies/investor.hpp"

namespace letf {

struct CalendarRebalance {
    static constexpr std::string_view kName = "calendar_rebalance";
    static constexpr bool kInvestor = true;
    using Tallies = TradeTallies;

    int every_days = 1;
    double transaction_cost_bps = 0.0;

    static CalendarRebalance parse(const nlohmann::json& object, const StrategyContext& ctx);
    void write(nlohmann::ordered_json& parameters) const;
    /// calendar_rebalance(every_days=21[,transaction_cost_bps=k when k != 0])
    std::string label() const;
    /// The fund's carry c(L), annual.
    double carry(const Costs& costs, double multiple) const;
    /// No closed form: empty.
    StrategyTheory theory(const TheoryInputs& in, double multiple) const;

    InvestorLane start(const InvestorRule&) const { return fund_account_start(); }
    double step(const InvestorRule& rule, InvestorLane& lane, int day, double R, double r) const {
        return fund_account_step(rule, FundSchedule{every_days, std::nullopt}, lane, day, R, r);
    }

    bool operator==(const CalendarRebalance&) const = default;
};

} // namespace letf

#pragma once
/// \file strategies/band_rebalance.hpp
/// As calendar_rebalance, but on a check day (every `every_days` days) the fund is traded back
/// only when |P - target| > band target (investor.hpp). Config:
///   {"type": "band_rebalance", "band": b (required, in (0, 10^6], relative),
///    "every_days": n (how often the band is checked, default 1: every close),
///    "transaction_cost_bps": k (in [0, 10000], default 0)}

#include "letf/strategies/common.hpp"
#include "letf/strategies/investor.hpp"

namespace letf {

struct BandRebalance {
    static constexpr std::string_view kName = "band_rebalance";
    static constexpr bool kInvestor = true;
    using Tallies = TradeTallies;

    double band = 0.1;
    int every_days = 1;
    double transaction_cost_bps = 0.0;

    static BandRebalance parse(const nlohmann::json& object, const StrategyContext& ctx);
    void write(nlohmann::ordered_json& parameters) const;
    /// band_rebalance([every_days=n when n != 1,]band=b[,transaction_cost_bps=k when k != 0])
    std::string label() const;
    /// The fund's carry c(L), annual.
    double carry(const Costs& costs, double multiple) const;
    /// No closed form: empty.
    StrategyTheory theory(const TheoryInputs& in, double multiple) const;

    InvestorLane start(const InvestorRule&) const { return fund_account_start(); }
    double step(const InvestorRule& rule, InvestorLane& lane, int day, double R, double r) const {
        return fund_account_step(rule, FundSchedule{every_days, band}, lane, day, R, r);
    }

    bool operator==(const BandRebalance&) const = default;
};

} // namespace letf

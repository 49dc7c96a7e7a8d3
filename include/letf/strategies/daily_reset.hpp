#pragma once
/// \file strategies/daily_reset.hpp
/// A daily-reset fund of multiple L:
///   V_t = max(0, V_{t-1} (1 + L R_t - c(L) dt)),   c(L) = fund_carry (costs.hpp),
/// a fund that reaches 0 stays at 0 (wiped out). Kernel: StripWalker's SIMD daily_reset
/// (defined in daily_reset.cpp), per lane with a rate series. Config: "daily_reset" (no
/// parameters).

#include "letf/strategies/common.hpp"

namespace letf {

struct DailyReset {
    static constexpr std::string_view kName = "daily_reset";
    static constexpr bool kInvestor = false;
    using Tallies = NoTallies;

    static DailyReset parse(const nlohmann::json& object, const StrategyContext& ctx);
    void write(nlohmann::ordered_json& parameters) const;
    std::string label() const;
    /// c(L), annual.
    double carry(const Costs& costs, double multiple) const;
    /// E[V_T/V_0] = prod_t (1 + L m_t - c(L) dt), exact while no day wipes the fund out; for
    /// gbm also median ~ exp((L mu - c - L^2 sigma^2 / 2) T) and mean log decay
    /// ~ (L^2 - L) sigma^2 T / 2 + c T (continuous time).
    StrategyTheory theory(const TheoryInputs& in, double multiple) const;

    bool operator==(const DailyReset&) const = default;
};

} // namespace letf

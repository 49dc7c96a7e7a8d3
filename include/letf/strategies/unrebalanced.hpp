#pragma once
/// \file strategies/unrebalanced.hpp
/// Buy and hold L times the index with a loan (L > 1) or cash (L < 1) that grows at
/// r = unrebalanced_rate(L) (costs.hpp):
///   V_t = max(0, L S_t - (L - 1) (1 + r dt)^t),
/// absorbing: once V_t = 0 it stays 0 whatever S does (limited liability). Kernel: StripWalker's
/// SIMD unrebalanced (defined in unrebalanced.cpp), per lane with a rate series. Config:
/// "unrebalanced".

#include "letf/strategies/common.hpp"

namespace letf {

struct Unrebalanced {
    static constexpr std::string_view kName = "unrebalanced";
    static constexpr bool kInvestor = false;
    using Tallies = NoTallies;

    static Unrebalanced parse(const nlohmann::json& object, const StrategyContext& ctx);
    void write(nlohmann::ordered_json& parameters) const;
    std::string label() const;
    /// The cash account's rate r(L), annual.
    double carry(const Costs& costs, double multiple) const;
    /// E[V_T/V_0] = L prod_t (1 + m_t) - (L - 1)(1 + r dt)^n (ignores the wipe-out floor).
    StrategyTheory theory(const TheoryInputs& in, double multiple) const;

    bool operator==(const Unrebalanced&) const = default;
};

} // namespace letf

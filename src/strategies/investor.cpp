#include "letf/strategies/investor.hpp"

#include <algorithm>
#include <cmath>

#include "letf/strategies/rebalance.hpp"
#include "letf/strategies/strategy.hpp"

namespace letf {
namespace {

/// Keeps the state finite in absurd scenarios (see kValueCap).
double cap(double x) {
    return std::clamp(x, -kValueCap, kValueCap);
}

/// Records one trade and returns its cost. A trade within rounding of the position it resizes
/// (|trade| <= 1e-12 scale, scale = the larger of the position before and after) is not counted:
/// a running product and a ratio of index levels differ in the last bits, and such a "trade" is
/// not one an investor would make (it still moves its few ulps of money, so wealth adds up).
double book_trade(const InvestorRule& rule, InvestorLane& s, double trade, double scale) {
    const double size = std::fabs(trade);
    if (size <= 1e-12 * scale)
        return 0.0;
    const double cost = rule.cost_rate * size;
    s.trades += 1.0;
    s.turnover = cap(s.turnover + size);
    double& side = trade > 0.0 ? s.cash_added : s.cash_withdrawn;
    side = cap(side + size);
    s.transaction_costs = cap(s.transaction_costs + cost);
    return cost;
}

bool check_day(const InvestorRule& rule, int day) {
    return rule.every_days > 0 && day % rule.every_days == 0;
}

double wipe(InvestorLane& s) {
    s.wiped = true;
    s.a = 0.0;
    s.b = 0.0;
    return 0.0;
}

double fund_step(const InvestorRule& rule, InvestorLane& s, int day, double R, double r) {
    const double L = rule.multiple;
    const double carry = rule.fund_carry0 + (L - 1.0) * r;
    s.a = std::min(s.a * std::max(1.0 + L * R - carry * rule.dt, 0.0), kValueCap);
    s.b = cap(s.b * (1.0 + (s.b >= 0.0 ? r : r + rule.spread) * rule.dt));
    s.growth = std::min(s.growth * (1.0 + R), kValueCap);
    // A fund wiped out (P = 0) is closed: nothing is left to trade.
    if (check_day(rule, day) && s.a > 0.0) {
        const InvestorRebalance t = investor_rebalance(s.base, s.growth - 1.0, s.a);
        const bool trade = rule.kind == StrategyKind::calendar_rebalance ||
                           std::fabs(t.trade) > *rule.band * t.target;
        if (trade) {
            const double target = std::min(t.target, kValueCap);
            const double cost = book_trade(rule, s, t.trade, std::max(target, s.a));
            s.a = target;
            s.b = cap(s.b - t.trade - cost);
            s.base = target;
            s.growth = 1.0;
        }
    }
    const double w = s.a + s.b;
    return w > 0.0 ? w : wipe(s);
}

double leverage_step(const InvestorRule& rule, InvestorLane& s, int day, double R, double r) {
    const double L = rule.multiple;
    const double a_prev = s.a;
    s.a = cap(s.a * (1.0 + R));
    s.b = cap(s.b * (1.0 + (s.b > 0.0 ? r + rule.spread : r) * rule.dt) +
              (a_prev < 0.0 ? rule.short_fee * -a_prev * rule.dt : 0.0));
    const double e = s.a - s.b;
    if (!(e > 0.0))
        return wipe(s);
    const double lev = s.a / e;
    const bool scheduled = check_day(rule, day);
    bool out_of_band = false;
    if (rule.band) {
        const double lo = std::min(L * (1.0 - *rule.band), L * (1.0 + *rule.band));
        const double hi = std::max(L * (1.0 - *rule.band), L * (1.0 + *rule.band));
        out_of_band = lev < lo || lev > hi;
    }
    const bool margin_call =
        rule.maintenance_margin && e < *rule.maintenance_margin * std::fabs(s.a);
    if (!(scheduled || out_of_band || margin_call))
        return e;
    const LeverageRebalance t = leverage_rebalance(e, s.a, L);
    const double cost =
        book_trade(rule, s, t.trade, std::max(std::fabs(t.target_assets), std::fabs(s.a)));
    // Every margin call counts, also on a day the calendar or the band would have traded.
    if (margin_call)
        s.forced_deleverages += 1.0;
    s.a = cap(t.target_assets);
    s.b = cap(s.b + t.trade + cost);
    const double after = s.a - s.b;
    return after > 0.0 ? after : wipe(s);
}

} // namespace

InvestorLane investor_start(const InvestorRule& rule) {
    InvestorLane s;
    if (rule.kind == StrategyKind::target_leverage) {
        s.a = rule.multiple;
        s.b = rule.multiple - 1.0;
    }
    return s;
}

double investor_step(const InvestorRule& rule, InvestorLane& lane, int day, double R, double r) {
    if (lane.wiped)
        return 0.0;
    return rule.kind == StrategyKind::target_leverage ? leverage_step(rule, lane, day, R, r)
                                                      : fund_step(rule, lane, day, R, r);
}

double investor_wealth(const InvestorRule& rule, const InvestorLane& lane) {
    if (lane.wiped)
        return 0.0;
    return rule.kind == StrategyKind::target_leverage ? lane.a - lane.b : lane.a + lane.b;
}

} // namespace letf

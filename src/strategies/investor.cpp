#include "letf/strategies/investor.hpp"

#include <algorithm>
#include <cmath>

#include "letf/strategies/common.hpp"
#include "letf/strategies/rebalance.hpp"

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

bool check_day(int every_days, int day) {
    return every_days > 0 && day % every_days == 0;
}

double wipe(InvestorLane& s) {
    s.wiped = true;
    s.a = 0.0;
    s.b = 0.0;
    return 0.0;
}

double fund_step(const InvestorRule& rule, const FundSchedule& f, InvestorLane& s, int day,
                 double R, double r) {
    const double L = rule.multiple;
    const double carry = rule.fund_carry0 + (L - 1.0) * r;
    s.a = std::min(s.a * daily_reset_factor(L, R, carry * rule.dt), kValueCap);
    s.b = cap(s.b * (1.0 + (s.b >= 0.0 ? r : r + rule.spread) * rule.dt));
    s.growth = std::min(s.growth * (1.0 + R), kValueCap);
    // A fund wiped out (P = 0) is closed: nothing is left to trade.
    if (check_day(f.every_days, day) && s.a > 0.0) {
        const InvestorRebalance t = investor_rebalance(s.base, s.growth - 1.0, s.a);
        const bool trade = !f.band || std::fabs(t.trade) > *f.band * t.target;
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

double leverage_step(const InvestorRule& rule, const LeverageSchedule& k, InvestorLane& s, int day,
                     double R, double r) {
    const double L = rule.multiple;
    const double a_prev = s.a;
    s.a = cap(s.a * (1.0 + R));
    s.b = cap(s.b * (1.0 + (s.b > 0.0 ? r + rule.spread : r) * rule.dt) +
              (a_prev < 0.0 ? rule.short_fee * -a_prev * rule.dt : 0.0));
    const double e = s.a - s.b;
    if (!(e > 0.0))
        return wipe(s);
    const double lev = s.a / e;
    const bool scheduled = check_day(k.every_days, day);
    bool out_of_band = false;
    if (k.band) {
        const double lo = std::min(L * (1.0 - *k.band), L * (1.0 + *k.band));
        const double hi = std::max(L * (1.0 - *k.band), L * (1.0 + *k.band));
        out_of_band = lev < lo || lev > hi;
    }
    const bool margin_call = k.maintenance_margin && e < *k.maintenance_margin * std::fabs(s.a);
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

InvestorLane fund_account_start() {
    return InvestorLane{};
}

InvestorLane leverage_account_start(const InvestorRule& rule) {
    InvestorLane s;
    s.a = rule.multiple;
    s.b = rule.multiple - 1.0;
    return s;
}

double fund_account_step(const InvestorRule& rule, const FundSchedule& schedule, InvestorLane& lane,
                         int day, double R, double r) {
    return lane.wiped ? 0.0 : fund_step(rule, schedule, lane, day, R, r);
}

double leverage_account_step(const InvestorRule& rule, const LeverageSchedule& schedule,
                             InvestorLane& lane, int day, double R, double r) {
    return lane.wiped ? 0.0 : leverage_step(rule, schedule, lane, day, R, r);
}

} // namespace letf

#pragma once
/// \file strategies/rebalance.hpp
/// Rebalancing calculators: pure functions, no I/O. The `letfsim rebalance` subcommand prints
/// them; amounts are in any currency unit, returns are simple returns (0.05 = +5 %).

namespace letf {

/// Investor-side rule for a position in a fund: after the index moved by `index_return` since
/// the last rebalance, bring the position back to
///
///     target = initial (1 + index_return),      trade = target - current
///
/// for any multiple L (the rule uses the index's return, not the fund's). trade > 0 buys,
/// trade < 0 sells. Example (an inverse fund, whose multiple does not enter the rule): initial
/// 100, index +5 %, position 90 -> target 105, trade +15.
struct InvestorRebalance {
    double initial = 0.0;
    double index_return = 0.0;
    double current = 0.0;
    double target = 0.0;
    double trade = 0.0;
};

/// Requires initial > 0, current >= 0, index_return > -1 (checked by the caller).
InvestorRebalance investor_rebalance(double initial, double index_return, double current);

/// Keeping a leveraged account at a target leverage (assets / equity). With current assets A and
/// equity E (so debt D = A - E), the target assets are lambda E, and
///
///     trade = lambda E - A         (> 0: borrow and buy; < 0: sell and repay)
///
/// Leverage before is A / E, after is lambda (the trade changes assets and debt by the same
/// amount, equity stays E). Example: 1.5x on 100,000 equity (assets 150,000, debt 50,000);
/// assets +10 % -> A = 165,000, E = 115,000, trade = +7,500 (borrow); assets -10 % ->
/// A = 135,000, E = 85,000, trade = -7,500 (repay).
struct LeverageRebalance {
    double equity = 0.0;
    double assets = 0.0;
    double debt_before = 0.0; ///< A - E; negative means cash
    double leverage_before = 0.0;
    double target_leverage = 0.0;
    double target_assets = 0.0;
    double trade = 0.0; ///< > 0 borrow, < 0 repay
    double debt_after = 0.0;
    double leverage_after = 0.0;
};

/// Requires equity > 0, assets > 0 and target_leverage > 0 (checked by the caller).
LeverageRebalance leverage_rebalance(double equity, double assets, double target_leverage);

/// One day of a daily-reset fund of multiple L: at the previous close it held exposure L NAV. The
/// index then returns R, so
///
///     exposure before rebalancing = L NAV (1 + R)
///     NAV after the day           = NAV (1 + L R)
///     leverage before rebalancing = L (1 + R) / (1 + L R)
///     trade                       = L NAV (1 + L R) - L NAV (1 + R) = L (L - 1) R NAV
///
/// trade > 0 buys index exposure (or covers a short when L < 0), trade < 0 sells (or adds to the
/// short). Example: 2x, NAV 100, R = +5 %: exposure 210, NAV 110, leverage 1.909, trade +10. The
/// trade has the sign of R for L > 1 and for L < 0: both kinds of fund buy after a rise and sell
/// after a fall.
struct FundRebalance {
    double multiple = 0.0;
    double nav = 0.0;
    double index_return = 0.0;
    double exposure_before = 0.0;
    double nav_after = 0.0;
    double leverage_before = 0.0;
    double target_exposure = 0.0;
    double trade = 0.0;
};

/// Requires nav > 0 and 1 + multiple index_return > 0 (the fund is not wiped out; checked by the
/// caller).
FundRebalance fund_rebalance(double multiple, double nav, double index_return);

} // namespace letf

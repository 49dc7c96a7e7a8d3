#pragma once
/// \file strategies/investor.hpp
/// Investor-side rebalancing: an investor who trades around a daily-reset fund
/// (calendar_rebalance, band_rebalance) or runs a borrowed position of their own
/// (target_leverage). One path (lane) at a time, day by day; scalar code, beside the SIMD fund
/// kernels of strategy.hpp. The two account kernels below are shared by the three investor
/// strategies (calendar_rebalance.hpp, band_rebalance.hpp, target_leverage.hpp), which pass
/// their own parameters.
///
/// Units: every amount is in units of the investor's initial wealth W_0 = 1 (the index starts at
/// S_0 = 1). Day t runs from close t-1 to close t with the index's simple return R_t and the
/// annual financing rate r_t (the constant costs.financing_rate, or the day's value of a rate
/// series); every rate accrues over dt = 1 / trading_days_per_year per day.
///
/// calendar_rebalance (fund multiple L, every_days n)
/// --------------------------------------------------
/// The investor holds P in a daily-reset fund of multiple L and a cash account C; wealth
/// W = P + C, P_0 = 1, C_0 = 0. Each day
///     P <- max(0, P (1 + L R_t - c_t(L) dt))          the fund, c_t(L) its carry (costs.hpp)
///     C <- C (1 + r_t dt) if C >= 0,  C (1 + (r_t + financing_spread) dt) if C < 0
/// C < 0 is money borrowed (it pays the spread on top of the rate). On days t = n, 2n, 3n, ... the
/// position is traded back to (rebalance.hpp, investor_rebalance)
///     target = P_b (1 + index return since the last rebalance) = P_b S_t / S_b,
///     trade  = target - P,  P <- target,  C <- C - trade - k |trade|,
/// where P_b is the position right after the last rebalance (1 at the start) and
/// k = transaction_cost_bps / 10^4. A trade moves money between the cash account and the fund:
/// trade > 0 buys (cash added to the fund), trade < 0 sells (cash withdrawn from the fund).
/// A fund that is wiped out (P = 0) is closed and never traded again: W = C from then on.
/// Wealth W = P + C <= 0 (possible after cash was borrowed to buy the fund) is a wipe-out of the
/// whole position: W = 0 from then on (absorbing; limited liability).
/// Without costs and with r = 0 and every_days = 1, P_t = S_t and P_t + C_t = 1 + L (S_t - 1)
/// exactly: the rebalanced fund replicates the unrebalanced position of multiple L.
///
/// band_rebalance (fund multiple L, band b, every_days n: how often the band is checked)
/// -------------------------------------------------------------------------------------
/// As calendar_rebalance, but on a check day the trade is made only when
/// |P - target| > b target (relative to the target); otherwise nothing happens and the target
/// keeps running from the last rebalance. A band wide enough never trades: W = P, the fund held.
///
/// target_leverage (multiple L, every_days n and/or band b, maintenance_margin m)
/// -----------------------------------------------------------------------------
/// The investor's own account, no fund: exposure A_0 = L, debt D_0 = L - 1 (D < 0 is cash),
/// equity E = A - D, E_0 = 1. Each day
///     A <- A (1 + R_t)
///     D <- D (1 + (r_t + financing_spread) dt) if D > 0 (a loan),  D (1 + r_t dt) if D <= 0,
///          plus short_fee |A| dt when A < 0 (on the exposure at the previous close)
///     E  = A - D
/// E <= 0 is a wipe-out: the account is closed with W = 0 from then on (absorbing; limited
/// liability: a loss beyond the equity falls on the lender). Otherwise the account is re-levered
/// to A = L E (rebalance.hpp, leverage_rebalance: trade = L E - A, borrowed when > 0, repaid
/// when < 0; D <- D + trade + k |trade|) when any of
///     - calendar: t is a multiple of every_days (when set);
///     - band: the leverage A / E is outside [L (1 - b), L (1 + b)] (when band is set);
///     - margin call: E < m |A| (when maintenance_margin is set); a forced deleverage back to
///       the target L, which satisfies the margin because m < 1/|L| (checked by the config).
/// The transaction cost is paid from the account after the trade, so the leverage right after a
/// costly trade is A / (E - cost), slightly above L. L < 0 is a short position of |L| E with the
/// proceeds and the equity, (1 - L) E, held as cash; 0 <= L <= 1 holds cash 1 - L. W = E.
///
/// Tallies per path (all strategies): trades (number of trades larger than 1e-12 of the position
/// they resize: rounding is not a trade), turnover (sum |trade|),
/// cash_added (sum of trades > 0: fund bought / money borrowed), cash_withdrawn (sum of |trades|
/// < 0: fund sold / debt repaid), transaction_costs (sum k |trade|), forced_deleverages (margin
/// calls, target_leverage only, whether or not the calendar or the band would have traded that
/// day). A wiped-out path trades no more.

#include <array>
#include <optional>

namespace letf {

/// The per-day constants of one investor position at one multiple (make_positions fills them);
/// the strategy's own parameters (every_days, band, ...) stay in the strategy.
struct InvestorRule {
    double multiple = 1.0;
    double cost_rate = 0.0;   ///< transaction_cost_bps / 10^4
    double dt = 1.0 / 252.0;  ///< years per day
    double fund_carry0 = 0.0; ///< c(L) at financing rate 0 (annual); c_t = fund_carry0 + (L-1) r_t
    double spread = 0.0;      ///< financing_spread, annual, on borrowed money
    double short_fee = 0.0;   ///< annual, on |A| when A < 0 (target_leverage)
    double rate = 0.0;        ///< the constant annual financing rate (no rate series)
};

/// The state of one path. calendar/band: a = P (fund), b = C (cash), base = P_b, growth = S_t/S_b.
/// target_leverage: a = A (exposure), b = D (debt). The tallies are those of LeverageTallies
/// (common.hpp), in its field order; a strategy's Tallies::kFields is a prefix of it.
struct InvestorLane {
    double a = 1.0, b = 0.0, base = 1.0, growth = 1.0;
    bool wiped = false;
    double trades = 0.0, turnover = 0.0, cash_added = 0.0, cash_withdrawn = 0.0,
           transaction_costs = 0.0, forced_deleverages = 0.0;

    /// The tallies in LeverageTallies::kFields order.
    std::array<double, 6> tallies() const {
        return {trades,         turnover,          cash_added,
                cash_withdrawn, transaction_costs, forced_deleverages};
    }
};

/// The trading schedule of the fund account: rebalance on days that are multiples of
/// every_days (> 0); with a band, only when |P - target| > band target.
struct FundSchedule {
    int every_days = 1;
    std::optional<double> band; ///< none: every check day trades (calendar_rebalance)
};

/// The re-levering triggers of the leveraged account (any of them trades).
struct LeverageSchedule {
    int every_days = 0; ///< 0: no calendar
    std::optional<double> band;
    std::optional<double> maintenance_margin;
};

/// The state at day 0 of the fund account (P = 1, C = 0) and of the leveraged account
/// (A = L, D = L - 1); W = 1.
InvestorLane fund_account_start();
InvestorLane leverage_account_start(const InvestorRule& rule);

/// Advance one path by day `day` (>= 1) with index return R and annual rate r; return the
/// wealth W at the close (0 once wiped out).
double fund_account_step(const InvestorRule& rule, const FundSchedule& schedule, InvestorLane& lane,
                         int day, double R, double r);
double leverage_account_step(const InvestorRule& rule, const LeverageSchedule& schedule,
                             InvestorLane& lane, int day, double R, double r);

} // namespace letf

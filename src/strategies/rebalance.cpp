#include "letf/strategies/rebalance.hpp"

namespace letf {

InvestorRebalance investor_rebalance(double initial, double index_return, double current) {
    InvestorRebalance r;
    r.initial = initial;
    r.index_return = index_return;
    r.current = current;
    r.target = initial * (1.0 + index_return);
    r.trade = r.target - current;
    return r;
}

LeverageRebalance leverage_rebalance(double equity, double assets, double target_leverage) {
    LeverageRebalance r;
    r.equity = equity;
    r.assets = assets;
    r.debt_before = assets - equity;
    r.leverage_before = assets / equity;
    r.target_leverage = target_leverage;
    r.target_assets = target_leverage * equity;
    r.trade = r.target_assets - assets;
    r.debt_after = r.debt_before + r.trade;
    r.leverage_after = r.target_assets / equity;
    return r;
}

FundRebalance fund_rebalance(double multiple, double nav, double index_return) {
    FundRebalance r;
    r.multiple = multiple;
    r.nav = nav;
    r.index_return = index_return;
    r.exposure_before = multiple * nav * (1.0 + index_return);
    r.nav_after = nav * (1.0 + multiple * index_return);
    r.leverage_before = r.exposure_before / r.nav_after;
    r.target_exposure = multiple * r.nav_after;
    // The closed form L (L - 1) R NAV, rather than target - before, to avoid cancellation.
    r.trade = multiple * (multiple - 1.0) * index_return * nav;
    return r;
}

} // namespace letf

// Cash flows through every position (config/cash_flows.hpp): the walker's wealth account beside
// each position's flow-free value V, and the per-path extra statistics.
//
// Per lane, day by day, with V_t the position's flow-free value (day_values) and W the wealth:
//   W <- W g_t,  g_t = V_t / V_{t-1} (1 when V_{t-1} = 0: money beside a wiped-out position is
//                held as cash at no interest);
//   on a flow day: W <- W + contribution, then the withdrawal asked (fixed amount plus a share
//   of W) is taken, at most W;
//   the first close with W <= 0 is the day the account ran out: W = 0 and no flows after.
// A contribution is added to the position in proportion (it grows with the position from then
// on); the path statistics, the drawdown and the reported values are the wealth's.

#include <cmath>
#include <limits>

#include "letf/config/cash_flows.hpp"
#include "letf/strategies/strategy.hpp"

namespace letf {

void StripWalker::flows_reset() {
    for (FlowLanes& f : flow_) {
        for (Lanes* l : {&f.w, &f.u, &f.m, &f.v_prev})
            std::fill_n(l->x, kStripPaths, 1.0);
        std::fill_n(f.contributed.x, kStripPaths, 0.0);
        std::fill_n(f.withdrawn.x, kStripPaths, 0.0);
        std::fill_n(f.out, kStripPaths, 0);
        std::fill(f.net.begin(), f.net.end(), 0.0);
    }
}

void StripWalker::apply_flows(std::size_t j, int first_day, int days) {
    FlowLanes& f = flow_[j];
    const FlowSchedule& fs = *flows_;
    double* dv = day_values(j);
    for (int i = 0; i < kStripPaths; ++i) {
        double w = f.w.x[i], vp = f.v_prev.x[i], peak = f.u.x[i], m = f.m.x[i];
        double in = f.contributed.x[i], taken = f.withdrawn.x[i];
        int out = f.out[i];
        for (int d = 0; d < days; ++d) {
            const int t = first_day + d;
            const auto u = static_cast<std::size_t>(t);
            const std::size_t o = static_cast<std::size_t>(d) * kStripPaths + static_cast<std::size_t>(i);
            const double v = dv[o];
            if (out == 0) {
                w *= vp > 0.0 ? v / vp : 1.0;
                if (fs.any[u]) {
                    const double add = fs.add[u];
                    w += add;
                    in += add;
                    const double got = std::min(fs.take[u] + fs.share[u] * w, std::max(w, 0.0));
                    w -= got;
                    taken += got;
                    f.net[static_cast<std::size_t>(flow_event_[u]) * kStripPaths +
                          static_cast<std::size_t>(i)] = add - got;
                }
                w = std::min(w, kValueCap);
                if (!(w > 0.0)) {
                    w = 0.0;
                    out = t;
                }
            }
            vp = v;
            peak = std::max(peak, w);
            if (peak > 0.0)
                m = std::min(m, w / peak);
            dv[o] = w;
        }
        f.w.x[i] = w;
        f.v_prev.x[i] = vp;
        f.u.x[i] = peak;
        f.m.x[i] = m;
        f.contributed.x[i] = in;
        f.withdrawn.x[i] = taken;
        f.out[i] = out;
    }
}

void StripWalker::extras(std::size_t j, int lane, double* out) const {
    const Position& p = positions_[j];
    const auto li = static_cast<std::size_t>(lane);
    if (!p.sleeves.empty()) {
        const PortfolioLanes& pl = portfolio_[j];
        const double n = pl.rebalances.x[lane];
        double v = 0.0;
        for (std::size_t k = 0; k < p.sleeves.size(); ++k)
            v += pl.h[k * kStripPaths + li];
        for (std::size_t k = 0; k < p.sleeves.size(); ++k) {
            const double h = pl.h[k * kStripPaths + li];
            *out++ = n > 0.0 ? pl.w_sum[k * kStripPaths + li] / n
                     : v > 0.0 ? h / v
                               : std::numeric_limits<double>::quiet_NaN();
        }
    }
    if (!flows_)
        return;
    const FlowLanes& f = flow_[j];
    *out++ = f.contributed.x[lane];
    *out++ = f.withdrawn.x[lane];
    // The investor's flows: -1 on day 0, minus the net paid in on each flow day, + W_T on the
    // last day.
    std::vector<int>& t = irr_days_;
    std::vector<double>& F = irr_flows_;
    t.assign(1, 0);
    F.assign(1, -1.0);
    for (std::size_t e = 0; e < flows_->days.size(); ++e) {
        t.push_back(flows_->days[e]);
        F.push_back(-f.net[e * kStripPaths + li]);
    }
    if (t.back() == days_)
        F.back() += f.w.x[lane];
    else {
        t.push_back(days_);
        F.push_back(f.w.x[lane]);
    }
    *out++ = money_weighted_return(t, F.data(), F.size(), positions_[j].dt);
    *out++ = f.out[lane] > 0 ? static_cast<double>(f.out[lane])
                             : std::numeric_limits<double>::quiet_NaN();
}

std::size_t StripWalker::extra_bytes() const {
    std::size_t b = 0;
    for (const PortfolioLanes& pl : portfolio_)
        b += sizeof(PortfolioLanes) + (pl.h.capacity() + pl.w_sum.capacity()) * sizeof(double);
    for (const FlowLanes& f : flow_)
        b += sizeof(FlowLanes) + f.net.capacity() * sizeof(double);
    return b + asset_s_.capacity() * sizeof(Lanes) + flow_event_.capacity() * sizeof(int);
}

} // namespace letf

#include "letf/stats/path_stats.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

#include "base/simd.hpp"

namespace letf {

namespace {
constexpr double kFloor = 1e-300;   // the least V_{t-1} a return is taken against
constexpr double kReturnCap = 1e100; // r_t^2 stays finite, and so do the sums
} // namespace

PathTracker::PathTracker(double dt, double rate) : dt_(dt), rate_daily_(rate * dt) {
    reset();
}

void PathTracker::reset() {
    for (Lanes* l : {&n_, &sr_, &sr2_, &sx_, &sd2_, &nd_, &run_, &longest_})
        std::fill_n(l->x, kStripPaths, 0.0);
    for (Lanes* l : {&prev_, &peak_, &run_min_, &worst_min_, &worst_peak_, &min_v_})
        std::fill_n(l->x, kStripPaths, 1.0);
    std::fill_n(recovery_.x, kStripPaths, -1.0);
    for (auto& f : first_below_)
        std::fill_n(f, kStripPaths, 0);
    std::fill_n(first_zero_, kStripPaths, 0);
}

void PathTracker::advance(int first_day, int days, const double* v, const double* rates) {
    using namespace simd;
    // Per group of kLanes lanes the state stays in registers across the days (one dependency
    // chain per quantity); masks are the vector comparisons' all-ones lanes.
    const VD zero = splat(0.0), one = splat(1.0), floor = splat(kFloor), cap = splat(kReturnCap);
    const VD rate_daily = splat(rate_daily_), dt = splat(dt_);
    // Both halves of the strip at once: two independent dependency chains per quantity (one
    // alone is latency-bound).
    constexpr int G = kStripPaths / kLanes;
    VD prev[G], n[G], sr[G], sr2[G], sx[G], sd2[G], nd[G], peak[G], run[G], run_min[G];
    VD longest[G], worst_min[G], worst_peak[G], recovery[G], min_v[G];
    Lanes* const lanes[] = {&prev_, &n_, &sr_, &sr2_, &sx_, &sd2_, &nd_, &peak_, &run_,
                            &run_min_, &longest_, &worst_min_, &worst_peak_, &recovery_, &min_v_};
    VD* const regs[] = {prev, n, sr, sr2, sx, sd2, nd, peak, run, run_min,
                        longest, worst_min, worst_peak, recovery, min_v};
    for (std::size_t q = 0; q < std::size(regs); ++q)
        for (int g = 0; g < G; ++g)
            regs[q][g] = load(lanes[q]->x + g * kLanes);
    for (int d = 0; d < days; ++d)
        for (int g = 0; g < G; ++g) {
            const int k = g * kLanes;
            const VD vt = load(v + d * kStripPaths + k);
            const VI alive = prev[g] > zero;
            const VD r = vmin(ratio(vt, vmax(prev[g], floor)) - one, cap);
            const VD rr = select(alive, r, zero);
            const VD rate = rates ? load(rates + d * kStripPaths + k) * dt : rate_daily;
            const VD xx = select(alive, r - rate, zero);
            const VD dn = vmin(xx, zero);
            n[g] = n[g] + select(alive, one, zero);
            sr[g] = sr[g] + rr;
            sr2[g] = sr2[g] + rr * rr;
            sx[g] = sx[g] + xx;
            sd2[g] = sd2[g] + dn * dn;
            nd[g] = nd[g] + select(xx < zero, one, zero);
            prev[g] = vt;

            const VI under = vt < peak[g];
            const VI was_under = run[g] > zero;
            // A run that ends today: the deepest so far (strictly, cross-multiplied depths)
            // becomes the worst drawdown, recovered after run + 1 days.
            const VI take =
                was_under & ~under & (run_min[g] * worst_peak[g] < worst_min[g] * peak[g]);
            worst_min[g] = select(take, run_min[g], worst_min[g]);
            worst_peak[g] = select(take, peak[g], worst_peak[g]);
            recovery[g] = select(take, run[g] + one, recovery[g]);
            run_min[g] = select(was_under, vmin(run_min[g], vt), vt);
            run[g] = select(under, run[g] + one, zero);
            longest[g] = vmax(longest[g], run[g]);
            peak[g] = vmax(peak[g], vt);
            min_v[g] = vmin(min_v[g], vt);
        }
    for (std::size_t q = 0; q < std::size(regs); ++q)
        for (int g = 0; g < G; ++g)
            store(lanes[q]->x + g * kLanes, regs[q][g]);
    // The first days below the loss levels: found by a scan of the chunk, only for the lanes
    // whose running minimum crossed a level not crossed before (once per path and level).
    for (int i = 0; i < kStripPaths; ++i) {
        bool scan = min_v_.x[i] <= 0.0 && first_zero_[i] == 0;
        for (std::size_t k = 0; k < kLossLevels.size(); ++k)
            scan = scan || (min_v_.x[i] < kLossLevels[k] && first_below_[k][i] == 0);
        if (scan)
            find_first_days(i, first_day, days, v);
    }
}

void PathTracker::find_first_days(int i, int first_day, int days, const double* v) {
    for (int d = 0; d < days; ++d) {
        const double vt = v[d * kStripPaths + i];
        for (std::size_t k = 0; k < kLossLevels.size(); ++k)
            if (vt < kLossLevels[k] && first_below_[k][i] == 0)
                first_below_[k][i] = first_day + d;
        if (vt <= 0.0 && first_zero_[i] == 0)
            first_zero_[i] = first_day + d;
    }
}

PathStats PathTracker::lane(int i) const {
    PathStats s;
    const double sqrt_y = std::sqrt(1.0 / dt_);
    const double n = n_.x[i];
    if (n >= 2.0) {
        const double mean = sr_.x[i] / n;
        const double var = std::max(0.0, (sr2_.x[i] - mean * sr_.x[i]) / (n - 1.0));
        s.volatility = sqrt_y * std::sqrt(var);
        if (var > 0.0) {
            s.has_sharpe = true;
            s.sharpe = sqrt_y * (sx_.x[i] / n) / std::sqrt(var);
        }
    }
    if (nd_.x[i] > 0.0 && sd2_.x[i] > 0.0) {
        s.has_sortino = true;
        s.sortino = sqrt_y * (sx_.x[i] / n) / std::sqrt(sd2_.x[i] / n);
    }
    s.under_water_days = longest_.x[i];
    s.recovery_days = recovery_.x[i];
    // A run still open at the horizon that is deeper than every ended one: not recovered.
    if (run_.x[i] > 0.0 && run_min_.x[i] * worst_peak_.x[i] < worst_min_.x[i] * peak_.x[i])
        s.recovery_days = -1.0;
    s.ends_under_water = run_.x[i] > 0.0;
    for (std::size_t k = 0; k < kLossLevels.size(); ++k)
        s.first_below[k] = first_below_[k][i];
    s.first_zero = first_zero_[i];
    return s;
}

} // namespace letf

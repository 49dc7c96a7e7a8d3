#include "letf/stats/path_stats.hpp"

#include <algorithm>
#include <cmath>

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
    // Branch-free lane loops (the compiler vectorises them across the 16 lanes).
    for (int d = 0; d < days; ++d) {
        const double* vd = v + d * kStripPaths;
        const double* rd = rates ? rates + d * kStripPaths : nullptr;
        for (int i = 0; i < kStripPaths; ++i) {
            const double vt = vd[i], p = prev_.x[i];
            const bool alive = p > 0.0;
            const double r = std::min(vt / std::max(p, kFloor) - 1.0, kReturnCap);
            const double rr = alive ? r : 0.0;
            const double rate = rd ? rd[i] * dt_ : rate_daily_;
            const double xx = alive ? r - rate : 0.0;
            const double dn = std::min(xx, 0.0);
            n_.x[i] += alive ? 1.0 : 0.0;
            sr_.x[i] += rr;
            sr2_.x[i] += rr * rr;
            sx_.x[i] += xx;
            sd2_.x[i] += dn * dn;
            nd_.x[i] += xx < 0.0 ? 1.0 : 0.0;
            prev_.x[i] = vt;

            const double peak = peak_.x[i], run = run_.x[i], run_min = run_min_.x[i];
            const bool under = vt < std::max(peak, vt);
            const bool was_under = run > 0.0;
            // A run that ends today: the deepest so far (strictly, cross-multiplied depths)
            // becomes the worst drawdown, recovered after run + 1 days.
            const bool ended = was_under && !under;
            const bool deeper = run_min * worst_peak_.x[i] < worst_min_.x[i] * peak;
            const bool take = ended && deeper;
            worst_min_.x[i] = take ? run_min : worst_min_.x[i];
            worst_peak_.x[i] = take ? peak : worst_peak_.x[i];
            recovery_.x[i] = take ? run + 1.0 : recovery_.x[i];
            run_min_.x[i] = was_under ? std::min(run_min, vt) : vt;
            run_.x[i] = under ? run + 1.0 : 0.0;
            longest_.x[i] = std::max(longest_.x[i], run_.x[i]);
            peak_.x[i] = std::max(peak, vt);
            min_v_.x[i] = std::min(min_v_.x[i], vt);
        }
    }
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

#include "letf/stats/path_stats.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

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
    for (Lanes* l : {&sr_, &sr2_, &srate_, &sd2_, &run_, &longest_})
        std::fill_n(l->x, kStripPaths, 0.0);
    for (Lanes* l : {&prev_, &peak_, &run_min_, &worst_min_, &worst_peak_, &min_v_})
        std::fill_n(l->x, kStripPaths, 1.0);
    std::fill_n(recovery_.x, kStripPaths, -1.0);
    for (auto& f : first_below_)
        std::fill_n(f, kStripPaths, 0);
    std::fill_n(first_zero_, kStripPaths, 0);
    std::fill_n(next_level_.x, kStripPaths, kLossLevels[0]);
    days_ = 0;
    rates_given_ = false;
}

template <bool kRates>
void PathTracker::fold(int days, const double* v, const double* rates) {
    using namespace simd;
    const VD zero = splat(0.0), one = splat(1.0), floor = splat(kFloor), cap = splat(kReturnCap);
    const VD rate_daily = splat(rate_daily_), dt = splat(dt_);
    // Both halves of the strip at once: two independent dependency chains per quantity (one
    // alone is latency-bound). Masks are the vector comparisons' all-ones lanes.
    constexpr int G = kStripPaths / kLanes;
    VD prev[G], sr[G], sr2[G], srate[G], sd2[G], peak[G], run[G], run_min[G], longest[G];
    VD worst_min[G], worst_peak[G], recovery[G], min_v[G];
    Lanes* const lanes[] = {&prev_,    &sr_,      &sr2_,      &srate_,       &sd2_,
                            &peak_,    &run_,     &run_min_,  &longest_,     &worst_min_,
                            &worst_peak_, &recovery_, &min_v_};
    VD* const regs[] = {prev,    sr,         sr2,      srate,   sd2,       peak, run,
                        run_min, longest,    worst_min, worst_peak, recovery, min_v};
    for (std::size_t q = 0; q < std::size(regs); ++q)
        for (int g = 0; g < G; ++g)
            regs[q][g] = load(lanes[q]->x + g * kLanes);
    for (int d = 0; d < days; ++d)
        for (int g = 0; g < G; ++g) {
            const int k = g * kLanes;
            const VD vt = load(v + d * kStripPaths + k);
            // (V_t - V_{t-1}) / V_{t-1}: 0 after a wipe-out (0 - 0), -1 on its day.
            const VD r = vmin((vt - prev[g]) * reciprocal(vmax(prev[g], floor)), cap);
            const VI alive = prev[g] > zero;
            const VD rate = kRates ? load(rates + d * kStripPaths + k) * dt : rate_daily;
            sr[g] = sr[g] + r;
            sr2[g] = sr2[g] + r * r;
            if constexpr (kRates)
                srate[g] = srate[g] + select(alive, rate, zero);
            const VD dn = select(alive, vmin(r - rate, zero), zero);
            sd2[g] = sd2[g] + dn * dn;
            prev[g] = vt;

            const VI under = vt < peak[g];
            const VI was_under = run[g] > zero;
            // A run that ends today: the deepest so far (strictly, cross-multiplied depths)
            // becomes the worst drawdown, recovered after run + 1 days.
            const VD longer = run[g] + one;
            const VI take =
                was_under & ~under & (run_min[g] * worst_peak[g] < worst_min[g] * peak[g]);
            worst_min[g] = select(take, run_min[g], worst_min[g]);
            worst_peak[g] = select(take, peak[g], worst_peak[g]);
            recovery[g] = select(take, longer, recovery[g]);
            run_min[g] = select(was_under, vmin(run_min[g], vt), vt);
            run[g] = select(under, longer, zero);
            longest[g] = vmax(longest[g], run[g]);
            peak[g] = vmax(peak[g], vt);
            min_v[g] = vmin(min_v[g], vt);
        }
    for (std::size_t q = 0; q < std::size(regs); ++q)
        for (int g = 0; g < G; ++g)
            store(lanes[q]->x + g * kLanes, regs[q][g]);
}

void PathTracker::advance(int first_day, int days, const double* v, const double* rates) {
    rates_given_ = rates_given_ || rates != nullptr;
    if (rates)
        fold<true>(days, v, rates);
    else
        fold<false>(days, v, nullptr);
    days_ += days;
    // The first days below the loss levels: found by a scan of the chunk, only for the lanes
    // whose running minimum crossed the next level not crossed before (once per path and
    // level; next_level_ is that level, or the least positive double for the zero test, or -1
    // once every level is found). One vector test of the strip when no lane crossed one.
    using namespace simd;
    bool crossed = false;
    for (int k = 0; k < kStripPaths; k += kLanes)
        crossed = crossed || any(load(min_v_.x + k) < load(next_level_.x + k));
    if (!crossed)
        return;
    for (int i = 0; i < kStripPaths; ++i)
        if (min_v_.x[i] < next_level_.x[i])
            find_first_days(i, first_day, days, v);
}

void PathTracker::find_first_days(int i, int first_day, int days, const double* v) {
    // The levels decrease, then zero: each crossing is the first day below the next level not
    // yet found; the scan stops once the chunk's least value cannot cross the next one.
    const auto next_level = [&] {
        for (std::size_t k = 0; k < kLossLevels.size(); ++k)
            if (first_below_[k][i] == 0)
                return kLossLevels[k];
        // V < the least positive double means V <= 0; -1: every level found.
        return first_zero_[i] == 0 ? std::numeric_limits<double>::denorm_min() : -1.0;
    };
    double next = next_level_.x[i];
    for (int d = 0; d < days && min_v_.x[i] < next; ++d) {
        const double vt = v[d * kStripPaths + i];
        while (vt < next) {
            for (std::size_t k = 0; k < kLossLevels.size(); ++k)
                if (vt < kLossLevels[k] && first_below_[k][i] == 0)
                    first_below_[k][i] = first_day + d;
            if (vt <= 0.0 && first_zero_[i] == 0)
                first_zero_[i] = first_day + d;
            next = next_level();
        }
    }
    next_level_.x[i] = next;
}

PathStats PathTracker::lane(int i) const {
    PathStats s;
    const double sqrt_y = std::sqrt(1.0 / dt_);
    // Return days: those with V_{t-1} > 0, up to the wipe-out day.
    const double n = first_zero_[i] > 0 ? first_zero_[i] : days_;
    const double rates = rates_given_ ? srate_.x[i] : n * rate_daily_;
    const double mean_excess = n > 0.0 ? (sr_.x[i] - rates) / n : 0.0;
    if (n >= 2.0) {
        const double mean = sr_.x[i] / n;
        const double var = std::max(0.0, (sr2_.x[i] - mean * sr_.x[i]) / (n - 1.0));
        s.volatility = sqrt_y * std::sqrt(var);
        if (var > 0.0) {
            s.has_sharpe = true;
            s.sharpe = sqrt_y * mean_excess / std::sqrt(var);
        }
    }
    if (sd2_.x[i] > 0.0) {
        s.has_sortino = true;
        s.sortino = sqrt_y * mean_excess / std::sqrt(sd2_.x[i] / n);
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

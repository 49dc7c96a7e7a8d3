#include "letf/strategies/vol_target.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/io/json_reader.hpp"
#include "letf/io/object_reader.hpp"
#include "letf/strategies/daily_reset.hpp"
#include "letf/strategies/strategy.hpp"
#include "signal_simd.hpp"

namespace letf {

using nlohmann::json;

namespace {
constexpr std::int64_t kMaxWindowDays = 100'000;

/// The largest and smallest |L| over the scenario's multiples.
std::pair<double, double> abs_range(const std::vector<double>& multiples) {
    double lo = INFINITY, hi = 0.0;
    for (double L : multiples) {
        lo = std::min(lo, std::fabs(L));
        hi = std::max(hi, std::fabs(L));
    }
    return {lo, hi};
}
} // namespace

VolTarget VolTarget::parse(const json& object, const StrategyContext& ctx) {
    const ObjectReader r(object, ctx.file, ctx.at,
                         {"type", "target", "window_days", "every_days", "min_leverage",
                          "max_leverage", "transaction_cost_bps"});
    VolTarget s;
    s.target = r.number("target", Range::open_closed(0, 10));
    s.window_days = static_cast<int>(r.integer("window_days", 2, kMaxWindowDays, 20));
    s.every_days = static_cast<int>(r.integer("every_days", 1, kMaxEveryDays, 1));
    const auto [lo, hi] = abs_range(ctx.multiples);
    s.min_leverage = r.number("min_leverage", Range::closed(0, 1000), 0.0);
    if (s.min_leverage > lo)
        throw InputError(ctx.file, r.child("min_leverage"),
                         "must be at most the smallest |multiple| " + json(lo).dump() +
                             " (the multiples are the caps)",
                         shown_value(*r.find("min_leverage")));
    if (r.find("max_leverage")) {
        const double m = r.number("max_leverage", Range::closed(0, 1000));
        if (m != hi)
            throw InputError(ctx.file, r.child("max_leverage"),
                             "must equal the largest |multiple| " + json(hi).dump() +
                                 " (each multiple is its own cap; or leave it out)",
                             shown_value(*r.find("max_leverage")));
        s.max_leverage = m;
    }
    s.transaction_cost_bps =
        r.number("transaction_cost_bps", Range::closed(0, kMaxTransactionCostBps), 0.0);
    return s;
}

void VolTarget::write(nlohmann::ordered_json& o) const {
    o["target"] = target;
    o["window_days"] = window_days;
    o["every_days"] = every_days;
    o["min_leverage"] = min_leverage;
    if (max_leverage)
        o["max_leverage"] = *max_leverage;
    o["transaction_cost_bps"] = transaction_cost_bps;
}

std::string VolTarget::label() const {
    std::vector<LabelParam> params{{"target", number_text(target)}};
    if (window_days != 20)
        params.emplace_back("window_days", std::to_string(window_days));
    if (every_days != 1)
        params.emplace_back("every_days", std::to_string(every_days));
    if (min_leverage != 0.0)
        params.emplace_back("min_leverage", number_text(min_leverage));
    if (max_leverage)
        params.emplace_back("max_leverage", number_text(*max_leverage));
    if (transaction_cost_bps != 0.0)
        params.emplace_back("transaction_cost_bps", number_text(transaction_cost_bps));
    return make_label(kName, params);
}

double VolTarget::carry(const Costs& costs, double multiple) const {
    return fund_carry(costs, multiple);
}

StrategyTheory VolTarget::theory(const TheoryInputs& in, double multiple) const {
    // clamp(x, |L|, |L|) = |L|: the multiple never moves from L.
    return min_leverage == std::fabs(multiple) ? DailyReset{}.theory(in, multiple)
                                               : StrategyTheory{};
}

using namespace strip;

namespace {

/// c(L) dt per lane (CarryShape.at in vector form).
VD carry_dt(const CarryShape& c, VD L, VD dt) {
    const VD c_l = c.c1 + c.up * vmax(L - 1.0, splat(0.0)) +
                   c.mid * (vmin(vmax(L, splat(0.0)), splat(1.0)) - 1.0) +
                   c.down * vmin(L, splat(0.0));
    return c_l * dt;
}

/// The ratio s* / sigma_t at the re-set closes of the chunk, from the index alone (shared by the
/// entry's multiples): x[d] for day first_day + d (unset on other days). Keeps the ring of
/// returns and the running sums of R (sl.a) and R^2 (sl.b) across chunks.
void vol_signal(const VolTarget& s, SignalLanes& sl, double dt, const double* r, int first_day,
                int days, double* x) {
    const int w = s.window_days;
    const VD inv_w = splat(1.0 / w), inv_w1 = splat(1.0 / (w - 1));
    // q / dt = sigma^2; a tiny floor instead of 0 makes s* / sigma huge (the cap), never inf.
    const VD inv_dt = splat(1.0 / dt), target = splat(s.target), tiny = splat(1e-300);
    LaneRegs sum, sum2;
    sum.load_from(sl.a);
    sum2.load_from(sl.b);
    for (int d = 0; d < days; ++d) {
        const int day = first_day + d;
        // Slot of R_t: day 1 is the first return.
        double* ring = sl.ring.data() + static_cast<std::size_t>((day - 1) % w) * kStripPaths;
        const bool reset = day >= w && day % s.every_days == 0;
        for (int k = 0; k < kVecs; ++k) {
            const int o = d * kStripPaths + k * kLanes;
            const VD R = load(r + o);
            const VD old = load(ring + k * kLanes);
            sum.x[k] = sum.x[k] + (R - old);
            sum2.x[k] = sum2.x[k] + (R * R - old * old);
            store(ring + k * kLanes, R);
            if (reset) {
                const VD q = (sum2.x[k] - sum.x[k] * sum.x[k] * inv_w) * inv_w1;
                store(x + o, target * inv_sqrt(vmax(q * inv_dt, tiny)));
            }
        }
    }
    sum.store_to(sl.a);
    sum2.store_to(sl.b);
}

} // namespace

void StripWalker::signal_walk(const VolTarget& s, std::size_t j, int first_day, int days,
                              const double* r, const double* rates) {
    const Position& p = positions_[j];
    State& st = state_[j];
    SignalLanes& sl = signal_[j];
    const double* x = signal_chunk_.data();
    if (!follows(positions_, j))
        vol_signal(s, sl, p.dt, r, first_day, days, signal_chunk_.data());
    const double sign = p.multiple < 0.0 ? -1.0 : 1.0;
    const VD lo = splat(s.min_leverage), hi = splat(std::fabs(p.multiple)), sgn = splat(sign);
    const VD dt = splat(p.dt), kc = splat(s.transaction_cost_bps * 1e-4);
    DayRecord rec;
    rec.load_from(st.v.x, st.u.x, st.m.x, day_values(j));
    LaneRegs held, lsum, switches, traded;
    held.load_from(sl.held);
    lsum.load_from(sl.tally[0]);
    switches.load_from(sl.tally[1]);
    traded.load_from(sl.tally[2]);
    for (int d = 0; d < days; ++d) {
        const int day = first_day + d;
        const bool reset = day >= s.window_days && day % s.every_days == 0;
        for (int k = 0; k < kVecs; ++k) {
            const int o = d * kStripPaths + k * kLanes;
            const VD R = load(r + o);
            const VD Lt = held.x[k];
            const VD c = rates
                             ? carry_dt(p.carry_shape0, Lt, dt) + (Lt - 1.0) * load(rates + o) * dt
                             : carry_dt(p.carry_shape, Lt, dt);
            const VD g = vmax((1.0 + Lt * R) - c, splat(0.0));
            lsum.x[k] += Lt;
            if (!reset) {
                rec.day(d, k, g);
                continue;
            }
            const VD next = sgn * vmin(vmax(load(x + o), lo), hi);
            const VD pre = rec.v[k] * g;
            const VI sw = (next != Lt) & (pre > 0.0);
            const VD size = vmax(next - Lt, Lt - next); // |L_new - L_old|
            switches.x[k] += ones(sw);
            traded.x[k] += masked(sw, size * pre);
            const VD paid = vmax(1.0 - kc * size, splat(0.0));
            rec.day(d, k, select(sw, g * paid, g));
            held.x[k] = select(sw, next, Lt);
        }
    }
    rec.store_to(st.v.x, st.u.x, st.m.x, st.wipeout, first_day, days);
    held.store_to(sl.held);
    lsum.store_to(sl.tally[0]);
    switches.store_to(sl.tally[1]);
    traded.store_to(sl.tally[2]);
}

} // namespace letf

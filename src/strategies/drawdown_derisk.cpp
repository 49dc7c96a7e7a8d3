#include "letf/strategies/drawdown_derisk.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

#include "letf/io/object_reader.hpp"
#include "letf/strategies/daily_reset.hpp"
#include "letf/strategies/strategy.hpp"
#include "signal_simd.hpp"

namespace letf {

DrawdownDerisk DrawdownDerisk::parse(const nlohmann::json& object, const StrategyContext& ctx) {
    const ObjectReader r(object, ctx.file, ctx.at,
                         {"type", "threshold", "fallback", "recover", "transaction_cost_bps"});
    DrawdownDerisk s;
    s.threshold = r.number("threshold", Range::open_closed(0, 1));
    s.fallback = r.number("fallback", Range::closed(-10, 10), 1.0);
    if (r.find("recover"))
        s.recover = r.number("recover", Range::open_closed(0, 1e6));
    s.transaction_cost_bps =
        r.number("transaction_cost_bps", Range::closed(0, kMaxTransactionCostBps), 0.0);
    return s;
}

void DrawdownDerisk::write(nlohmann::ordered_json& o) const {
    o["threshold"] = threshold;
    o["fallback"] = fallback;
    if (recover)
        o["recover"] = *recover;
    o["transaction_cost_bps"] = transaction_cost_bps;
}

std::string DrawdownDerisk::label() const {
    std::vector<LabelParam> params{{"threshold", number_text(threshold)}};
    if (fallback != 1.0)
        params.emplace_back("fallback", number_text(fallback));
    if (recover)
        params.emplace_back("recover", number_text(*recover));
    if (transaction_cost_bps != 0.0)
        params.emplace_back("transaction_cost_bps", number_text(transaction_cost_bps));
    return make_label(kName, params);
}

double DrawdownDerisk::carry(const Costs& costs, double multiple) const {
    return fund_carry(costs, multiple);
}

StrategyTheory DrawdownDerisk::theory(const TheoryInputs& in, double multiple) const {
    return threshold >= 1.0 ? DailyReset{}.theory(in, multiple) : StrategyTheory{};
}

using namespace strip;

void StripWalker::signal_walk(const DrawdownDerisk& s, std::size_t j, int first_day, int days,
                              const double* r, const double* rates) {
    const Position& p = positions_[j];
    State& st = state_[j];
    SignalLanes& sl = signal_[j];
    const double F = s.fallback;
    const VD L = splat(p.multiple), base = splat(1.0 - p.carry_daily);
    const VD Lf = splat(F), base_f = splat(1.0 - p.carry_shape.at(F) * p.dt);
    const VD carry0 = splat(p.carry0_daily), carry0_f = splat(p.carry_shape0.at(F) * p.dt);
    const VD lm1 = splat(p.multiple - 1.0), fm1 = splat(F - 1.0), dt = splat(p.dt);
    const VD keep_dd = splat(1.0 - s.threshold);
    // Without "recover" only the peak brings L back: an infinite factor never compares true.
    const VD up = splat(s.recover ? 1.0 + *s.recover : INFINITY);
    const VD keep = splat(1.0 - s.transaction_cost_bps * 1e-4);
    DayRecord rec;
    rec.load_from(st.v.x, st.u.x, st.m.x, day_values(j));
    LaneRegs held, peak, trough, in_days, switches, switched;
    held.load_from(sl.held);
    peak.load_from(sl.a);
    trough.load_from(sl.b);
    in_days.load_from(sl.tally[0]);
    switches.load_from(sl.tally[1]);
    switched.load_from(sl.tally[2]);
    for (int d = 0; d < days; ++d)
        for (int k = 0; k < kVecs; ++k) {
            const int o = d * kStripPaths + k * kLanes;
            const VD R = load(r + o);
            VD fund, safe;
            if (rates) {
                const VD rtdt = load(rates + o) * dt;
                fund = vmax((1.0 + L * R) - (carry0 + lm1 * rtdt), splat(0.0));
                safe = vmax((1.0 + Lf * R) - (carry0_f + fm1 * rtdt), splat(0.0));
            } else {
                fund = vmax(base + L * R, splat(0.0));
                safe = vmax(base_f + Lf * R, splat(0.0));
            }
            const VI on = held.x[k] != 0.0;
            const VD g = select(on, fund, safe);
            const VD pre = rec.v[k] * g;
            // Unconditional updates suffice: de-risked, V below P leaves max(P, V) = P (V >= P
            // switches back and restarts P); at L the trough is unused until the switch out
            // restarts it.
            peak.x[k] = vmax(peak.x[k], pre);
            trough.x[k] = vmin(trough.x[k], pre);
            const VI out = pre <= keep_dd * peak.x[k];
            const VI back = pre >= vmin(peak.x[k], up * trough.x[k]);
            const VI sw = select_mask(on, out, back) & (pre > 0.0);
            in_days.x[k] += held.x[k];
            switches.x[k] += ones(sw);
            switched.x[k] += masked(sw, pre);
            rec.day(d, k, select(sw, g * keep, g));
            // The peak restarts on the way back, the trough on the way out (after the cost).
            peak.x[k] = select(sw & ~on, rec.v[k], peak.x[k]);
            trough.x[k] = select(sw & on, rec.v[k], trough.x[k]);
            held.x[k] = ones(on ^ sw);
        }
    rec.store_to(st.v.x, st.u.x, st.m.x, st.wipeout, first_day, days);
    held.store_to(sl.held);
    peak.store_to(sl.a);
    trough.store_to(sl.b);
    in_days.store_to(sl.tally[0]);
    switches.store_to(sl.tally[1]);
    switched.store_to(sl.tally[2]);
}

} // namespace letf

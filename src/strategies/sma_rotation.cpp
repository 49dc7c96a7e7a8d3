#include "letf/strategies/sma_rotation.hpp"

#include <nlohmann/json.hpp>

#include "letf/io/object_reader.hpp"
#include "letf/strategies/daily_reset.hpp"
#include "letf/strategies/strategy.hpp"
#include "signal_simd.hpp"

namespace letf {

namespace {
constexpr std::int64_t kMaxWindowDays = 100'000;
constexpr double kMaxBand = 1e9;
} // namespace

SmaRotation SmaRotation::parse(const nlohmann::json& object, const StrategyContext& ctx) {
    const ObjectReader r(object, ctx.file, ctx.at,
                         {"type", "window_days", "band", "off", "transaction_cost_bps"});
    SmaRotation s;
    s.window_days = static_cast<int>(r.integer("window_days", 1, kMaxWindowDays, 200));
    s.band = r.number("band", Range::closed(0, kMaxBand), 0.0);
    s.off = r.choice("off", {"cash", "index"}, "off holding", "cash") == "index" ? SmaOff::index
                                                                                 : SmaOff::cash;
    s.transaction_cost_bps =
        r.number("transaction_cost_bps", Range::closed(0, kMaxTransactionCostBps), 0.0);
    return s;
}

void SmaRotation::write(nlohmann::ordered_json& o) const {
    o["window_days"] = window_days;
    o["band"] = band;
    o["off"] = off == SmaOff::index ? "index" : "cash";
    o["transaction_cost_bps"] = transaction_cost_bps;
}

std::string SmaRotation::label() const {
    std::vector<LabelParam> params;
    if (window_days != 200)
        params.emplace_back("window_days", std::to_string(window_days));
    if (band != 0.0)
        params.emplace_back("band", number_text(band));
    if (off == SmaOff::index)
        params.emplace_back("off", "index");
    if (transaction_cost_bps != 0.0)
        params.emplace_back("transaction_cost_bps", number_text(transaction_cost_bps));
    return make_label(kName, params);
}

double SmaRotation::carry(const Costs& costs, double multiple) const {
    return fund_carry(costs, multiple);
}

StrategyTheory SmaRotation::theory(const TheoryInputs& in, double multiple) const {
    // S_t < M_t (1 - b) <= 0 never holds for b >= 1: the fund is held throughout.
    return band >= 1.0 ? DailyReset{}.theory(in, multiple) : StrategyTheory{};
}

using namespace strip;

namespace {

/// The rule's state over the chunk, from the index alone (shared by the entry's multiples):
/// on[d] = 1 while day first_day + d is held in the fund, sw[d] = 1 where the close of that day
/// switches. Keeps the ring, its running sum (sl.a) and the state (sl.held) across chunks.
void sma_signal(const SmaRotation& s, SignalLanes& sl, const double* path, int first_day, int days,
                double* on, double* sw) {
    const int w = s.window_days;
    // Compare S_t with sum (1 +- b) / w: no division per day.
    const VD up = splat((1.0 + s.band) / w), down = splat((1.0 - s.band) / w);
    LaneRegs held, sum;
    held.load_from(sl.held);
    sum.load_from(sl.a);
    for (int d = 0; d < days; ++d) {
        const int day = first_day + d;
        double* ring = sl.ring.data() + static_cast<std::size_t>(day % w) * kStripPaths;
        const bool decide = day >= w;
        for (int k = 0; k < kVecs; ++k) {
            const int o = d * kStripPaths + k * kLanes;
            const VD S = load(path + o);
            const VI in = held.x[k] != 0.0;
            VI next = in;
            if (decide)
                next = (in & ~(S < sum.x[k] * down)) | (~in & (S > sum.x[k] * up));
            store(on + o, held.x[k]);
            store(sw + o, ones(next ^ in));
            held.x[k] = ones(next);
            // Push S_t: the slot held S_{t-w} (0 before the window filled).
            const VD old = load(ring + k * kLanes);
            sum.x[k] = sum.x[k] + (S - old);
            store(ring + k * kLanes, S);
        }
    }
    held.store_to(sl.held);
    sum.store_to(sl.a);
}

} // namespace

void StripWalker::signal_walk(const SmaRotation& s, std::size_t j, int first_day, int days,
                              const double* r, const double* rates) {
    const Position& p = positions_[j];
    State& st = state_[j];
    SignalLanes& sl = signal_[j];
    const double* on_day = signal_chunk_.data();
    const double* sw_day = on_day + kDayChunk * kStripPaths;
    if (!follows(positions_, j))
        sma_signal(s, sl, asset_path(j), first_day, days, signal_chunk_.data(),
                   signal_chunk_.data() + kDayChunk * kStripPaths);
    const VD L = splat(p.multiple), base = splat(1.0 - p.carry_daily);
    const VD carry0 = splat(p.carry0_daily), lm1 = splat(p.multiple - 1.0), dt = splat(p.dt);
    const VD cash = splat(1.0 + p.investor.rate * p.dt);
    const VD keep = splat(1.0 - s.transaction_cost_bps * 1e-4);
    const bool to_cash = s.off == SmaOff::cash;
    DayRecord rec;
    rec.load_from(st.v.x, st.u.x, st.m.x, day_values(j));
    LaneRegs in_days, switches, switched;
    in_days.load_from(sl.tally[0]);
    switches.load_from(sl.tally[1]);
    switched.load_from(sl.tally[2]);
    for (int d = 0; d < days; ++d)
        for (int k = 0; k < kVecs; ++k) {
            const int o = d * kStripPaths + k * kLanes;
            const VD R = load(r + o);
            // The day's factors exactly as daily_reset computes them (constant rate or series).
            VD fund, off;
            if (rates) {
                const VD rt = load(rates + o);
                fund = vmax((1.0 + L * R) - (carry0 + lm1 * rt * dt), splat(0.0));
                off = to_cash ? 1.0 + rt * dt : 1.0 + R;
            } else {
                fund = vmax(base + L * R, splat(0.0));
                off = to_cash ? cash : 1.0 + R;
            }
            const VD in = load(on_day + o);
            const VD g = select(in != 0.0, fund, off);
            const VD pre = rec.v[k] * g;
            // A wiped-out position has nothing to switch.
            const VI sw = (load(sw_day + o) != 0.0) & (pre > 0.0);
            in_days.x[k] += in;
            switches.x[k] += ones(sw);
            switched.x[k] += masked(sw, pre);
            rec.day(d, k, select(sw, g * keep, g));
        }
    rec.store_to(st.v.x, st.u.x, st.m.x, st.wipeout, first_day, days);
    in_days.store_to(sl.tally[0]);
    switches.store_to(sl.tally[1]);
    switched.store_to(sl.tally[2]);
}

} // namespace letf

#include "letf/strategy.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "simd.hpp"

namespace letf {

std::vector<Position> make_positions(const ScenarioConfig& config) {
    std::vector<Position> out;
    const double dt = config.dt();
    for (StrategyKind kind : config.strategies) {
        for (double L : config.multiples) {
            Position p;
            p.kind = kind;
            p.multiple = L;
            p.carry_daily = fund_carry(config.costs, L) * dt;
            p.growth_daily = 1.0 + unrebalanced_rate(config.costs, L) * dt;
            out.push_back(p);
        }
    }
    return out;
}

namespace {

using namespace simd;
constexpr int kVecs = kStripPaths / kLanes;

} // namespace

StripWalker::StripWalker(std::vector<Position> positions)
    : positions_(std::move(positions)), state_(positions_.size()) {
    reset();
}

void StripWalker::reset() {
    std::fill_n(s_.x, kStripPaths, 1.0);
    std::fill_n(s_ratio_.x, kStripPaths, 1.0);
    std::fill_n(s_min_.x, kStripPaths, 1.0);
    for (State& st : state_) {
        std::fill_n(st.v.x, kStripPaths, 1.0);
        std::fill_n(st.u.x, kStripPaths, 1.0);
        std::fill_n(st.m.x, kStripPaths, 1.0);
        std::fill_n(st.wipeout, kStripPaths, 0);
    }
}

void StripWalker::advance(int first_day, int days, const double* returns) {
    path_.resize(static_cast<std::size_t>(days) * kStripPaths);
    // The underlying; R >= -1 so the factor is never negative.
    for (int k = 0; k < kVecs; ++k) {
        const int o = k * kLanes;
        VD s = load(s_.x + o), u = load(s_ratio_.x + o), m = load(s_min_.x + o);
        for (int d = 0; d < days; ++d) {
            const VD f = 1.0 + load(returns + d * kStripPaths + o);
            s = vmin(s * f, splat(kValueCap));
            u = vmin(u * f, splat(1.0));
            m = vmin(m, u);
            store(path_.data() + d * kStripPaths + o, s);
        }
        store(s_.x + o, s);
        store(s_ratio_.x + o, u);
        store(s_min_.x + o, m);
    }
    for (std::size_t j = 0; j < positions_.size(); ++j) {
        if (positions_[j].kind == StrategyKind::daily_reset)
            advance_daily_reset(j, first_day, days, returns);
        else
            advance_unrebalanced(j, first_day, days);
    }
}

void StripWalker::advance_daily_reset(std::size_t j, int first_day, int days, const double* r) {
    const Position& p = positions_[j];
    State& st = state_[j];
    const double L = p.multiple, base = 1.0 - p.carry_daily;
    const State start = st;
    bool redo = false;
    for (int k = 0; k < kVecs; ++k) {
        const int o = k * kLanes;
        VD v = load(st.v.x + o), u = load(st.u.x + o), m = load(st.m.x + o);
        for (int d = 0; d < days; ++d) {
            // Clamping the factor at +0 keeps a wiped-out fund at exactly +0.
            const VD f = vmax(base + L * load(r + d * kStripPaths + o), splat(0.0));
            v = v * f;
            u = vmin(u * f, splat(1.0));
            m = vmin(m, u);
        }
        store(st.v.x + o, v);
        store(st.u.x + o, u);
        store(st.m.x + o, m);
        const VD v0 = load(start.v.x + o);
        redo = redo || any((~(v <= kValueCap)) | ((v == 0.0) & (v0 > 0.0)));
    }
    if (!redo)
        return;
    // Rare: a lane reached the cap or zero. Walk the chunk again, scalar, with both tests.
    for (int i = 0; i < kStripPaths; ++i) {
        const double v_end = st.v.x[i];
        if (v_end <= kValueCap && !(v_end == 0.0 && start.v.x[i] > 0.0))
            continue;
        double v = start.v.x[i], u = start.u.x[i], m = start.m.x[i];
        int wd = start.wipeout[i];
        for (int d = 0; d < days; ++d) {
            const double f = std::max(base + L * r[d * kStripPaths + i], 0.0);
            v = std::min(v * f, kValueCap);
            u = std::min(u * f, 1.0);
            m = std::min(m, u);
            if (v <= 0.0 && wd == 0)
                wd = first_day + d;
        }
        st.v.x[i] = v;
        st.u.x[i] = u;
        st.m.x[i] = m;
        st.wipeout[i] = wd;
    }
}

void StripWalker::advance_unrebalanced(std::size_t j, int first_day, int days) {
    const Position& p = positions_[j];
    State& st = state_[j];
    const double L = p.multiple;
    // The loan (L > 1) or cash (L < 1) grows by (1 + r dt) a day: exact at the chunk's start,
    // a running product within it.
    debt_.resize(static_cast<std::size_t>(days));
    double growth = std::pow(p.growth_daily, first_day);
    for (int d = 0; d < days; ++d) {
        debt_[static_cast<std::size_t>(d)] = (L - 1.0) * growth;
        growth *= p.growth_daily;
    }
    const double* S = path_.data();
    bool wiped = false;
    for (int k = 0; k < kVecs; ++k) {
        const int o = k * kLanes;
        VD v = load(st.v.x + o), peak = load(st.u.x + o), m = load(st.m.x + o);
        const VD v0 = v;
        for (int d = 0; d < days; ++d) {
            const VD e = vmin(vmax(L * load(S + d * kStripPaths + o) - debt_[static_cast<std::size_t>(d)],
                                  splat(0.0)),
                             splat(kValueCap));
            // Absorbing: once V = 0 it stays 0 (limited liability). A blend, not a branch.
            v = select(v > 0.0, e, splat(0.0));
            peak = vmax(peak, v);
            m = vmin(m, ratio(v, peak));
        }
        store(st.v.x + o, v);
        store(st.u.x + o, peak);
        store(st.m.x + o, m);
        wiped = wiped || any((v == 0.0) & (v0 > 0.0));
    }
    if (!wiped)
        return;
    // Rare: find the wipe-out day of the lanes that reached zero in this chunk.
    for (int i = 0; i < kStripPaths; ++i) {
        if (st.wipeout[i] != 0 || st.v.x[i] > 0.0)
            continue;
        for (int d = 0; d < days; ++d) {
            if (L * S[d * kStripPaths + i] - debt_[static_cast<std::size_t>(d)] <= 0.0) {
                st.wipeout[i] = first_day + d;
                break;
            }
        }
    }
}

} // namespace letf

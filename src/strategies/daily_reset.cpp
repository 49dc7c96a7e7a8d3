#include "letf/strategies/daily_reset.hpp"

#include <cmath>

#include "letf/io/object_reader.hpp"
#include "letf/strategies/strategy.hpp"
#include "strip_simd.hpp"

namespace letf {

DailyReset DailyReset::parse(const nlohmann::json& object, const StrategyContext& ctx) {
    const ObjectReader r(object, ctx.file, ctx.at, {"type"});
    return {};
}

void DailyReset::write(nlohmann::ordered_json& /*parameters: none*/) const {}

std::string DailyReset::label() const {
    return make_label(kName, {});
}

double DailyReset::carry(const Costs& costs, double multiple) const {
    return fund_carry(costs, multiple);
}

StrategyTheory DailyReset::theory(const TheoryInputs& in, double L) const {
    StrategyTheory a;
    // 1 - c dt as make_positions computes it (Position::carry_daily), so the product matches.
    const double carry_daily = fund_carry(in.costs, L) * in.dt;
    a.mean_terminal = in.product_of_means(1.0 - carry_daily, L);
    // A day that can take the fund to 0 makes the product of means the value without limited
    // liability (a wiped-out fund stays at 0).
    a.mean_ignores_wipeout = in.conditional_means;
    const double T = in.days * in.dt;
    const double c = fund_carry(in.costs, L);
    if (in.gbm) {
        const double s2 = in.gbm->sigma * in.gbm->sigma;
        a.median_terminal = std::exp((L * in.gbm->mu - c - 0.5 * L * L * s2) * T);
        a.log_decay_mean = 0.5 * (L * L - L) * s2 * T + c * T;
        // Beating the 1x index: (L - 1) ln S_T > (L^2 - L) sigma^2 T / 2 + c T, i.e. ln S_T
        // above (L > 1) or below (L < 1) (L sigma^2 / 2 + c / (L - 1)) T.
        if (L != 1.0 && s2 > 0.0) {
            const double nu = in.gbm->mu - 0.5 * s2, sigma = in.gbm->sigma;
            const double z = (0.5 * L * s2 + c / (L - 1.0) - nu) * std::sqrt(T) / sigma;
            const double below = 0.5 * std::erfc(-z / std::sqrt(2.0)); // Phi(z)
            a.prob_beat_index = L > 1.0 ? 1.0 - below : below;
        }
    } else if (in.integrated_variance) {
        a.log_decay_mean = 0.5 * (L * L - L) * *in.integrated_variance + c * T;
    }
    // i.i.d. days: the fund's value is a product of independent factors max(0, 1 - c dt + L R).
    if (in.positive_part && in.prob_nonpositive) {
        const double n = in.days;
        a.mean_terminal_limited = std::pow(in.positive_part(1.0 - carry_daily, L), n);
        const double p = in.prob_nonpositive(1.0 - carry_daily, L);
        a.prob_wipeout = p >= 1.0 ? 1.0 : -std::expm1(n * std::log1p(-p));
    }
    return a;
}

// The strip walker's kernels for this strategy (strategy.hpp; the walker dispatches to them).

using namespace simd;
using namespace strip;

template <int G>
void StripWalker::daily_reset(const std::size_t* js, int first_day, int days, const double* r) {
    Strips<G> v, u, m;
    Consts<G> L, base;
    double* out[static_cast<std::size_t>(G)];
    for (int g = 0; g < G; ++g) {
        out[g] = day_values(js[g]);
        const State& st = state_[js[g]];
        L[g] = splat(positions_[js[g]].multiple);
        base[g] = splat(1.0 - positions_[js[g]].carry_daily);
        for (int k = 0; k < kVecs; ++k) {
            v[g][k] = load(st.v.x + k * kLanes);
            u[g][k] = load(st.u.x + k * kLanes);
            m[g][k] = load(st.m.x + k * kLanes);
        }
    }
    for (int d = 0; d < days; ++d)
        for (int k = 0; k < kVecs; ++k) {
            const VD rk = load(r + d * kStripPaths + k * kLanes);
            for (int g = 0; g < G; ++g) {
                // Clamping the factor at +0 keeps a wiped-out fund at exactly +0.
                const VD f = vmax(base[g] + L[g] * rk, splat(0.0));
                v[g][k] = v[g][k] * f;
                u[g][k] = vmin(u[g][k] * f, splat(1.0));
                m[g][k] = vmin(m[g][k], u[g][k]);
                store(out[g] + d * kStripPaths + k * kLanes, v[g][k]);
            }
        }
    for (int g = 0; g < G; ++g) {
        State& st = state_[js[g]];
        bool redo = false;
        for (int k = 0; k < kVecs; ++k) {
            const VD v0 = load(st.v.x + k * kLanes);
            redo = redo || any((~(v[g][k] <= kValueCap)) | ((v[g][k] == 0.0) & (v0 > 0.0)));
        }
        if (redo) {
            redo_daily_reset(js[g], first_day, days, r);
            continue;
        }
        for (int k = 0; k < kVecs; ++k) {
            store(st.v.x + k * kLanes, v[g][k]);
            store(st.u.x + k * kLanes, u[g][k]);
            store(st.m.x + k * kLanes, m[g][k]);
        }
    }
}

void StripWalker::redo_daily_reset(std::size_t j, int first_day, int days, const double* r) {
    // Rare: a lane reached the cap or zero in this chunk. Walk the whole strip's chunk again
    // from the stored start state, scalar, with the cap and the wipe-out test (lanes that did
    // neither come out as in the vector walk).
    const Position& p = positions_[j];
    State& st = state_[j];
    const double L = p.multiple, base = 1.0 - p.carry_daily;
    for (int i = 0; i < kStripPaths; ++i) {
        double v = st.v.x[i], u = st.u.x[i], m = st.m.x[i];
        int wd = st.wipeout[i];
        double* out = day_values(j);
        for (int d = 0; d < days; ++d) {
            daily_reset_day(daily_reset_factor_folded(base, L, r[d * kStripPaths + i]),
                            first_day + d, v, u, m, wd);
            out[d * kStripPaths + i] = v;
        }
        st.v.x[i] = v;
        st.u.x[i] = u;
        st.m.x[i] = m;
        st.wipeout[i] = wd;
    }
}

void StripWalker::daily_reset_rates(std::size_t j, int first_day, int days, const double* r,
                                    const double* rates) {
    // The scalar form of daily_reset/redo_daily_reset with a carry that varies by day. u is the
    // ratio to the running peak, as in the constant-rate kernel.
    const Position& p = positions_[j];
    State& st = state_[j];
    const double L = p.multiple;
    for (int i = 0; i < kStripPaths; ++i) {
        double v = st.v.x[i], u = st.u.x[i], m = st.m.x[i];
        int wd = st.wipeout[i];
        double* out = day_values(j);
        for (int d = 0; d < days; ++d) {
            const int k = d * kStripPaths + i;
            const double carry = p.carry0_daily + p.rate_slope * rates[k] * p.dt;
            daily_reset_day(daily_reset_factor(L, r[k], carry), first_day + d, v, u, m, wd);
            out[k] = v;
        }
        st.v.x[i] = v;
        st.u.x[i] = u;
        st.m.x[i] = m;
        st.wipeout[i] = wd;
    }
}

template void StripWalker::daily_reset<1>(const std::size_t*, int, int, const double*);
template void StripWalker::daily_reset<2>(const std::size_t*, int, int, const double*);
template void StripWalker::daily_reset<3>(const std::size_t*, int, int, const double*);

} // namespace letf

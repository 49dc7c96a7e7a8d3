#include "letf/strategies/unrebalanced.hpp"

#include <cmath>

#include "letf/io/object_reader.hpp"
#include "letf/strategies/strategy.hpp"
#include "strip_simd.hpp"

namespace letf {

Unrebalanced Unrebalanced::parse(const nlohmann::json& object, const StrategyContext& ctx) {
    const ObjectReader r(object, ctx.file, ctx.at, {"type"});
    return {};
}

void Unrebalanced::write(nlohmann::ordered_json& /*parameters: none*/) const {}

std::string Unrebalanced::label() const {
    return make_label(kName, {});
}

double Unrebalanced::carry(const Costs& costs, double multiple) const {
    return unrebalanced_rate(costs, multiple);
}

StrategyTheory Unrebalanced::theory(const TheoryInputs& in, double L) const {
    StrategyTheory a;
    // 1 + r dt as make_positions computes it (Position::growth_daily).
    const double growth_daily = 1.0 + unrebalanced_rate(in.costs, L) * in.dt;
    a.mean_terminal =
        L * in.product_of_means(1.0, 1.0) - (L - 1.0) * std::pow(growth_daily, in.days);
    a.mean_ignores_wipeout = true;
    return a;
}

// The strip walker's kernels for this strategy (strategy.hpp; the walker dispatches to them).

using namespace simd;
using namespace strip;

template <int G> void StripWalker::unrebalanced(const std::size_t* js, int first_day, int days) {
    Strips<G> v, peak, m;
    Consts<G> L;
    const double* debt[static_cast<std::size_t>(G)];
    double* out[static_cast<std::size_t>(G)];
    for (int g = 0; g < G; ++g) {
        out[g] = day_values(js[g]);
        const Position& p = positions_[js[g]];
        debt[g] = debt_.data() + debt_row_[js[g]] * (static_cast<std::size_t>(days_) + 1) +
                  static_cast<std::size_t>(first_day);
        const State& st = state_[js[g]];
        L[g] = splat(p.multiple);
        for (int k = 0; k < kVecs; ++k) {
            v[g][k] = load(st.v.x + k * kLanes);
            peak[g][k] = load(st.u.x + k * kLanes);
            m[g][k] = load(st.m.x + k * kLanes);
        }
    }
    const double* S = asset_path(js[0]); // a group holds one asset
    for (int d = 0; d < days; ++d)
        for (int k = 0; k < kVecs; ++k) {
            const VD sk = load(S + d * kStripPaths + k * kLanes);
            for (int g = 0; g < G; ++g) {
                const VD e = vmin(vmax(L[g] * sk - debt[g][d], splat(0.0)), splat(kValueCap));
                // Absorbing: once V = 0 it stays 0 (limited liability). A blend, not a branch.
                v[g][k] = select(v[g][k] > 0.0, e, splat(0.0));
                peak[g][k] = vmax(peak[g][k], v[g][k]);
                m[g][k] = vmin(m[g][k], ratio(v[g][k], peak[g][k]));
                store(out[g] + d * kStripPaths + k * kLanes, v[g][k]);
            }
        }
    for (int g = 0; g < G; ++g) {
        State& st = state_[js[g]];
        bool wiped = false;
        for (int k = 0; k < kVecs; ++k) {
            const VD v0 = load(st.v.x + k * kLanes);
            wiped = wiped || any((v[g][k] == 0.0) & (v0 > 0.0));
            store(st.v.x + k * kLanes, v[g][k]);
            store(st.u.x + k * kLanes, peak[g][k]);
            store(st.m.x + k * kLanes, m[g][k]);
        }
        if (!wiped)
            continue;
        // Rare: find the wipe-out day of the lanes that reached zero in this chunk.
        const double Lg = positions_[js[g]].multiple;
        for (int i = 0; i < kStripPaths; ++i) {
            if (st.wipeout[i] != 0 || st.v.x[i] > 0.0)
                continue;
            for (int d = 0; d < days; ++d) {
                if (Lg * S[d * kStripPaths + i] - debt[g][d] <= 0.0) {
                    st.wipeout[i] = first_day + d;
                    break;
                }
            }
        }
    }
}

void StripWalker::unrebalanced_rates(std::size_t j, int first_day, int days, const double* rates) {
    // V_t = max(0, L S_t - loan_t), absorbing; u is the running peak, as in the constant-rate
    // kernel.
    const Position& p = positions_[j];
    State& st = state_[j];
    const double L = p.multiple;
    double* loan = loan_.data() + j * kStripPaths;
    for (int i = 0; i < kStripPaths; ++i) {
        for (int d = 0; d < days; ++d) {
            const int k = d * kStripPaths + i;
            loan[i] *= p.growth0_daily + p.loan_rate_slope * rates[k] * p.dt;
            if (st.v.x[i] <= 0.0) {
                day_values(j)[k] = 0.0;
                continue;
            }
            const double v = std::min(
                std::max(L * asset_path(j)[static_cast<std::size_t>(k)] - loan[i], 0.0), kValueCap);
            record(st, i, v, first_day + d);
        }
    }
}

template void StripWalker::unrebalanced<1>(const std::size_t*, int, int);
template void StripWalker::unrebalanced<2>(const std::size_t*, int, int);
template void StripWalker::unrebalanced<3>(const std::size_t*, int, int);

} // namespace letf

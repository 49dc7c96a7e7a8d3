#include "letf/strategies/strategy.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <utility>
#include <variant>

#include "base/simd.hpp"

namespace letf {

namespace {

/// The strategies walked per lane by an InvestorRule and their step().
template <class S>
concept InvestorStrategy = S::kInvestor;

/// A visitor from lambdas; with no generic one among them, a strategy none of them takes is a
/// compile error.
template <class... F> struct Overloaded : F... { using F::operator()...; };
template <class... F> Overloaded(F...) -> Overloaded<F...>;

/// transaction_cost_bps / 10^4 of an investor strategy; the fund strategies do not trade.
double cost_rate(const Strategy& strategy) {
    return std::visit(
        Overloaded{[](const DailyReset&) { return 0.0; }, [](const Unrebalanced&) { return 0.0; },
                   []<InvestorStrategy S>(const S& s) { return s.transaction_cost_bps * 1e-4; }},
        strategy);
}

} // namespace

std::vector<Position> make_positions(const ScenarioConfig& config) {
    std::vector<Position> out;
    const double dt = config.dt();
    Costs zero_rate = config.costs;
    zero_rate.financing_rate = 0.0;
    for (const Strategy& spec : config.strategies) {
        for (double L : config.multiples) {
            Position p;
            p.strategy = spec;
            p.multiple = L;
            p.dt = dt;
            p.carry_daily = fund_carry(config.costs, L) * dt;
            p.growth_daily = 1.0 + unrebalanced_rate(config.costs, L) * dt;
            p.carry0_daily = fund_carry(zero_rate, L) * dt;
            p.growth0_daily = 1.0 + unrebalanced_rate(zero_rate, L) * dt;
            InvestorRule& ir = p.investor;
            ir.multiple = L;
            ir.cost_rate = cost_rate(spec);
            ir.dt = dt;
            ir.fund_carry0 = fund_carry(zero_rate, L);
            ir.spread = config.costs.financing_spread;
            ir.short_fee = config.costs.short_fee;
            ir.rate = config.costs.financing_rate;
            out.push_back(p);
        }
    }
    return out;
}

namespace {

using namespace simd;
constexpr int kVecs = kStripPaths / kLanes;

/// One day of a daily-reset fund on one path, scalar, with the cap and the wipe-out test:
/// V *= f (f >= 0 the day's factor), u = min(1, u f), m the least u, wd the first day at 0.
inline void daily_reset_day(double f, int day, double& v, double& u, double& m, int& wd) {
    v = std::min(v * f, kValueCap);
    u = std::min(u * f, 1.0);
    m = std::min(m, u);
    if (v <= 0.0 && wd == 0)
        wd = day;
}

/// Register arrays: G positions x kVecs vectors (a strip), and G broadcast constants.
template <int G> using Strips = VD[static_cast<std::size_t>(G)][static_cast<std::size_t>(kVecs)];
template <int G> using Consts = VD[static_cast<std::size_t>(G)];

} // namespace

StripWalker::StripWalker(std::vector<Position> positions, int days)
    : positions_(std::move(positions)), state_(positions_.size()) {
    // The loan (L > 1) or cash (L < 1) of an unrebalanced position on day t: (L - 1)(1 + r dt)^t.
    // A row of the table only for those positions: the other kinds never read it.
    const auto n = static_cast<std::size_t>(days) + 1;
    debt_row_.assign(positions_.size(), 0);
    std::size_t rows = 0;
    for (std::size_t j = 0; j < positions_.size(); ++j)
        if (std::holds_alternative<Unrebalanced>(positions_[j].strategy))
            debt_row_[j] = rows++;
    debt_.resize(rows * n);
    for (std::size_t j = 0; j < positions_.size(); ++j)
        if (std::holds_alternative<Unrebalanced>(positions_[j].strategy))
            for (std::size_t t = 0; t < n; ++t)
                debt_[debt_row_[j] * n + t] =
                    (positions_[j].multiple - 1.0) *
                    std::pow(positions_[j].growth_daily, static_cast<double>(t));
    days_ = days;
    loan_.resize(positions_.size() * kStripPaths);
    investor_.resize(positions_.size() * kStripPaths);
    reset();
}

std::size_t StripWalker::memory_bytes() const {
    return positions_.capacity() * sizeof(Position) + state_.capacity() * sizeof(State) +
           (path_.capacity() + debt_.capacity() + loan_.capacity()) * sizeof(double) +
           debt_row_.capacity() * sizeof(std::size_t) + investor_.capacity() * sizeof(InvestorLane);
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
    for (std::size_t j = 0; j < positions_.size(); ++j) {
        const Position& p = positions_[j];
        std::fill_n(loan_.data() + j * kStripPaths, kStripPaths, p.multiple - 1.0);
        // 16 lanes of investor state: only where used.
        std::visit(Overloaded{[](const DailyReset&) {}, [](const Unrebalanced&) {},
                              [&]<InvestorStrategy S>(const S& s) {
                                  std::fill_n(investor_.data() + j * kStripPaths, kStripPaths,
                                              s.start(p.investor));
                              }},
                   p.strategy);
    }
}

void StripWalker::advance(int first_day, int days, const double* returns, const double* rates) {
    path_.resize(static_cast<std::size_t>(days) * kStripPaths);
    // The underlying; R >= -1 so the factor is never negative.
    {
        VD sv[kVecs], u[kVecs], m[kVecs];
        for (int k = 0; k < kVecs; ++k) {
            sv[k] = load(s_.x + k * kLanes);
            u[k] = load(s_ratio_.x + k * kLanes);
            m[k] = load(s_min_.x + k * kLanes);
        }
        for (int d = 0; d < days; ++d)
            for (int k = 0; k < kVecs; ++k) {
                const int o = d * kStripPaths + k * kLanes;
                const VD f = 1.0 + load(returns + o);
                sv[k] = vmin(sv[k] * f, splat(kValueCap));
                u[k] = vmin(u[k] * f, splat(1.0));
                m[k] = vmin(m[k], u[k]);
                store(path_.data() + o, sv[k]);
            }
        for (int k = 0; k < kVecs; ++k) {
            store(s_.x + k * kLanes, sv[k]);
            store(s_ratio_.x + k * kLanes, u[k]);
            store(s_min_.x + k * kLanes, m[k]);
        }
    }
    // Investor strategies and, with a rate series, every position: per lane.
    for (std::size_t j = 0; j < positions_.size(); ++j)
        std::visit(Overloaded{[&](const DailyReset&) {
                                  if (rates)
                                      daily_reset_rates(j, first_day, days, returns, rates);
                              },
                              [&](const Unrebalanced&) {
                                  if (rates)
                                      unrebalanced_rates(j, first_day, days, rates);
                              },
                              [&]<InvestorStrategy S>(const S& s) {
                                  investor_walk(s, j, first_day, days, returns, rates);
                              }},
                   positions_[j].strategy);
    if (rates)
        return;
    walk_groups<DailyReset>(first_day, days, returns);
    walk_groups<Unrebalanced>(first_day, days, returns);
}

template <class K> void StripWalker::walk_groups(int first_day, int days, const double* returns) {
    // Positions in groups of up to kGroup of one strategy, walked together for instruction-level
    // parallelism (each position's state is a dependency chain across days).
    std::size_t group[kGroup];
    int g = 0;
    for (std::size_t j = 0; j < positions_.size(); ++j) {
        if (!std::holds_alternative<K>(positions_[j].strategy))
            continue;
        group[g++] = j;
        if (g == kGroup) {
            walk_group<K>(group, g, first_day, days, returns);
            g = 0;
        }
    }
    if (g > 0)
        walk_group<K>(group, g, first_day, days, returns);
}

template <class K>
void StripWalker::walk_group(const std::size_t* js, int g, int first_day, int days,
                             const double* returns) {
    const auto kernel = [&](auto size) {
        constexpr int G = decltype(size)::value;
        if constexpr (std::is_same_v<K, DailyReset>)
            daily_reset<G>(js, first_day, days, returns);
        else if constexpr (std::is_same_v<K, Unrebalanced>)
            unrebalanced<G>(js, first_day, days);
        else
            static_assert(sizeof(K) == 0, "no SIMD kernel for this strategy");
    };
    switch (g) {
    case 1:
        return kernel(std::integral_constant<int, 1>{});
    case 2:
        return kernel(std::integral_constant<int, 2>{});
    default:
        return kernel(std::integral_constant<int, 3>{});
    }
}

template <int G>
void StripWalker::daily_reset(const std::size_t* js, int first_day, int days, const double* r) {
    Strips<G> v, u, m;
    Consts<G> L, base;
    for (int g = 0; g < G; ++g) {
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
        for (int d = 0; d < days; ++d)
            daily_reset_day(daily_reset_factor_folded(base, L, r[d * kStripPaths + i]),
                            first_day + d, v, u, m, wd);
        st.v.x[i] = v;
        st.u.x[i] = u;
        st.m.x[i] = m;
        st.wipeout[i] = wd;
    }
}

template <int G> void StripWalker::unrebalanced(const std::size_t* js, int first_day, int days) {
    Strips<G> v, peak, m;
    Consts<G> L;
    const double* debt[static_cast<std::size_t>(G)];
    for (int g = 0; g < G; ++g) {
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
    const double* S = path_.data();
    for (int d = 0; d < days; ++d)
        for (int k = 0; k < kVecs; ++k) {
            const VD sk = load(S + d * kStripPaths + k * kLanes);
            for (int g = 0; g < G; ++g) {
                const VD e = vmin(vmax(L[g] * sk - debt[g][d], splat(0.0)), splat(kValueCap));
                // Absorbing: once V = 0 it stays 0 (limited liability). A blend, not a branch.
                v[g][k] = select(v[g][k] > 0.0, e, splat(0.0));
                peak[g][k] = vmax(peak[g][k], v[g][k]);
                m[g][k] = vmin(m[g][k], ratio(v[g][k], peak[g][k]));
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

void StripWalker::record(State& st, int i, double v, int day) {
    st.v.x[i] = v;
    st.u.x[i] = std::max(st.u.x[i], v);
    if (st.u.x[i] > 0.0)
        st.m.x[i] = std::min(st.m.x[i], v / st.u.x[i]);
    if (v <= 0.0 && st.wipeout[i] == 0)
        st.wipeout[i] = day;
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
        for (int d = 0; d < days; ++d) {
            const int k = d * kStripPaths + i;
            const double carry = p.carry0_daily + (L - 1.0) * rates[k] * p.dt;
            daily_reset_day(daily_reset_factor(L, r[k], carry), first_day + d, v, u, m, wd);
        }
        st.v.x[i] = v;
        st.u.x[i] = u;
        st.m.x[i] = m;
        st.wipeout[i] = wd;
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
            loan[i] *= p.growth0_daily + rates[k] * p.dt;
            if (st.v.x[i] <= 0.0)
                continue;
            const double v = std::min(
                std::max(L * path_[static_cast<std::size_t>(k)] - loan[i], 0.0), kValueCap);
            record(st, i, v, first_day + d);
        }
    }
}

template <class S>
void StripWalker::investor_walk(const S& strategy, std::size_t j, int first_day, int days,
                                const double* r, const double* rates) {
    const InvestorRule& rule = positions_[j].investor;
    State& st = state_[j];
    for (int i = 0; i < kStripPaths; ++i) {
        InvestorLane& lane = investor_[j * kStripPaths + static_cast<std::size_t>(i)];
        for (int d = 0; d < days; ++d) {
            const int k = d * kStripPaths + i;
            const double v = std::min(
                strategy.step(rule, lane, first_day + d, r[k], rates ? rates[k] : rule.rate),
                kValueCap);
            record(st, i, v, first_day + d);
        }
    }
}

} // namespace letf

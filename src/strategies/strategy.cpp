#include "letf/strategies/strategy.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <utility>
#include <variant>

#include <fmt/format.h>

#include "signal_simd.hpp"
#include "strip_simd.hpp"

namespace letf {

namespace {

/// The strategies walked per lane by an InvestorRule and their step().
template <class S>
concept InvestorStrategy = S::kInvestor;

/// A visitor from lambdas; with no generic one among them, a strategy none of them takes is a
/// compile error.
template <class... F> struct Overloaded : F... { using F::operator()...; };
template <class... F> Overloaded(F...) -> Overloaded<F...>;

/// transaction_cost_bps / 10^4 of an investor strategy; the fund strategies do not trade and
/// the signal strategies read their own.
double cost_rate(const Strategy& strategy) {
    return std::visit(
        Overloaded{[](const DailyReset&) { return 0.0; }, [](const Unrebalanced&) { return 0.0; },
                   [](const Portfolio& p) { return p.transaction_cost_bps * 1e-4; },
                   []<SignalStrategy S>(const S&) { return 0.0; },
                   []<InvestorStrategy S>(const S& s) { return s.transaction_cost_bps * 1e-4; }},
        strategy);
}

} // namespace

using namespace strip;

std::size_t signal_state_bytes(const Strategy& strategy) {
    return std::visit(Overloaded{[](const DailyReset&) { return std::size_t{0}; },
                                 [](const Unrebalanced&) { return std::size_t{0}; },
                                 [](const Portfolio&) { return std::size_t{0}; },
                                 []<InvestorStrategy S>(const S&) { return std::size_t{0}; },
                                 []<SignalStrategy S>(const S& s) {
                                     return static_cast<std::size_t>(s.ring_days()) * kStripPaths *
                                            sizeof(double);
                                 }},
                      strategy);
}

namespace {

/// The label with the asset named: `daily_reset(asset=bonds)`, `calendar_rebalance(every_days=21,
/// asset=bonds)`.
std::string label_with_asset(std::string label, const std::string& asset) {
    if (!label.empty() && label.back() == ')') {
        label.pop_back();
        return label + ",asset=" + asset + ")";
    }
    return label + "(asset=" + asset + ")";
}

} // namespace

std::vector<Position> make_positions(const ScenarioConfig& config) {
    std::vector<Position> out;
    const double dt = config.dt();
    Costs zero_rate = config.costs;
    zero_rate.financing_rate = 0.0;
    const bool several = config.asset_count() > 1;
    for (std::size_t e = 0; e < config.strategies.size(); ++e) {
        const Strategy& spec = config.strategies[e];
        const int asset = config.strategy_asset(e);
        if (const auto* pf = std::get_if<Portfolio>(&spec)) {
            // One position: its sleeves carry their own multiples.
            Position p;
            p.strategy = spec;
            p.multiple = pf->exposure();
            p.dt = dt;
            p.label = label(spec);
            for (const Holding& h : pf->holdings) {
                Sleeve sl;
                sl.asset = h.asset;
                sl.multiple = h.multiple;
                sl.weight = h.weight;
                if (h.asset >= 0) { // its own expense ratio where given (holding_carry)
                    sl.carry_daily = pf->holding_carry(config.costs, h) * dt;
                    sl.carry0_daily = pf->holding_carry(zero_rate, h) * dt;
                    sl.rate_slope = rate_slope(config.costs, h.multiple); // ER-free
                }
                p.sleeves.push_back(sl);
            }
            p.cash_growth = 1.0 + config.costs.financing_rate * dt;
            p.borrowed_growth =
                1.0 + (config.costs.financing_rate + config.costs.financing_spread) * dt;
            InvestorRule& ir = p.investor;
            ir.cost_rate = pf->transaction_cost_bps * 1e-4;
            ir.dt = dt;
            ir.spread = config.costs.financing_spread;
            ir.rate = config.costs.financing_rate;
            out.push_back(std::move(p));
            continue;
        }
        for (double L : config.multiples) {
            Position p;
            p.strategy = spec;
            p.multiple = L;
            p.asset = asset;
            p.label = several ? label_with_asset(label(spec), config.asset_name(
                                                                  static_cast<std::size_t>(asset)))
                              : label(spec);
            p.dt = dt;
            p.carry_daily = fund_carry(config.costs, L) * dt;
            p.growth_daily = 1.0 + unrebalanced_rate(config.costs, L) * dt;
            p.carry0_daily = fund_carry(zero_rate, L) * dt;
            p.growth0_daily = 1.0 + unrebalanced_rate(zero_rate, L) * dt;
            p.rate_slope = rate_slope(config.costs, L);
            p.loan_rate_slope = unrebalanced_rate_slope(config.costs, L);
            InvestorRule& ir = p.investor;
            ir.multiple = L;
            ir.cost_rate = cost_rate(spec);
            ir.dt = dt;
            ir.fund_carry0 = fund_carry(zero_rate, L);
            ir.spread = config.costs.financing_spread;
            ir.short_fee = config.costs.short_fee;
            ir.rate = config.costs.financing_rate;
            p.carry_shape = CarryShape::of(config.costs);
            p.carry_shape0 = CarryShape::of(zero_rate);
            out.push_back(p);
        }
    }
    return out;
}

std::vector<ExtraField> extra_fields(const Position& p, bool flows,
                                     const std::vector<std::string>& asset_names) {
    std::vector<ExtraField> out;
    if (const auto* pf = std::get_if<Portfolio>(&p.strategy))
        for (const Holding& h : pf->holdings) {
            const std::string name =
                h.asset < 0 ? std::string("cash")
                            : fmt::format("{}x {}", h.multiple,
                                          asset_names[static_cast<std::size_t>(h.asset)]);
            out.push_back({"portfolio", name,
                           fmt::format("the sleeve's mean weight just before a rebalance (at the "
                                       "horizon on a path that never rebalanced); target {}",
                                       h.weight)});
        }
    if (flows) {
        out.push_back({"cash_flows", "contributed", "total paid in after day 0, units of W_0"});
        out.push_back({"cash_flows", "withdrawn", "total taken out, units of W_0"});
        out.push_back({"cash_flows", "money_weighted_return",
                       "annual internal rate of return of the investor's flows and the final "
                       "wealth, over paths where it is defined"});
        out.push_back({"cash_flows", "run_out_day",
                       "the day the wealth reached 0 (no flows after), over paths that ran out"});
    }
    return out;
}

StripWalker::StripWalker(std::vector<Position> positions, int days, bool path_statistics,
                         int assets, std::shared_ptr<const FlowSchedule> flows)
    : positions_(std::move(positions)), state_(positions_.size()),
      path_statistics_(path_statistics), assets_(assets), flows_(std::move(flows)) {
    asset_s_.resize(static_cast<std::size_t>(assets_ - 1));
    portfolio_.resize(positions_.size());
    for (std::size_t j = 0; j < positions_.size(); ++j) {
        const std::size_t n = positions_[j].sleeves.size() * kStripPaths;
        portfolio_[j].h.resize(n);
        portfolio_[j].w_sum.resize(n);
    }
    if (flows_) {
        flow_.resize(positions_.size());
        flow_event_.assign(static_cast<std::size_t>(days) + 1, -1);
        for (std::size_t e = 0; e < flows_->days.size(); ++e)
            flow_event_[static_cast<std::size_t>(flows_->days[e])] = static_cast<int>(e);
        for (FlowLanes& f : flow_)
            f.net.resize(flows_->days.size() * kStripPaths);
    }
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
    day_values_.resize(positions_.size() * static_cast<std::size_t>(kDayChunk * kStripPaths));
    // Every series' excess returns are over the account's financing rate (the same for all).
    const double dt = positions_.empty() ? 1.0 / 252.0 : positions_[0].dt;
    const double rate = positions_.empty() ? 0.0 : positions_[0].investor.rate;
    trackers_.assign(positions_.size() + 1, PathTracker(dt, rate));
    loan_.resize(positions_.size() * kStripPaths);
    investor_.resize(positions_.size() * kStripPaths);
    signal_.resize(positions_.size());
    for (std::size_t j = 0; j < positions_.size(); ++j) {
        const Position& p = positions_[j];
        investor_start_.push_back(
            std::visit(Overloaded{[](const DailyReset&) { return std::optional<InvestorLane>(); },
                                  [](const Unrebalanced&) { return std::optional<InvestorLane>(); },
                                  [](const Portfolio&) { return std::optional<InvestorLane>(); },
                                  [&]<SignalStrategy S>(const S& s) {
                                      // Allocated once here, never per strip or day; a
                                      // shared signal's ring only in its first position.
                                      if (!S::kSharedSignal || !strip::follows(positions_, j))
                                          signal_[j].ring.resize(
                                              static_cast<std::size_t>(s.ring_days()) *
                                              kStripPaths);
                                      if (S::kSharedSignal)
                                          signal_chunk_.resize(2 * kDayChunk * kStripPaths);
                                      return std::optional<InvestorLane>();
                                  },
                                  [&]<InvestorStrategy S>(const S& s) {
                                      return std::optional<InvestorLane>(s.start(p.investor));
                                  }},
                       p.strategy));
    }
    reset();
}

std::size_t StripWalker::memory_bytes() const {
    std::size_t rings = 0;
    for (const SignalLanes& s : signal_)
        rings += s.ring.capacity() * sizeof(double);
    return positions_.capacity() * sizeof(Position) + state_.capacity() * sizeof(State) +
           (path_.capacity() + debt_.capacity() + loan_.capacity() + day_values_.capacity()) *
               sizeof(double) +
           trackers_.capacity() * sizeof(PathTracker) +
           debt_row_.capacity() * sizeof(std::size_t) +
           investor_.capacity() * sizeof(InvestorLane) + signal_.capacity() * sizeof(SignalLanes) +
           rings + signal_chunk_.capacity() * sizeof(double) + extra_bytes();
}

std::array<double, 6> StripWalker::tallies(std::size_t j, int lane) const {
    return std::visit(
        Overloaded{[](const DailyReset&) { return std::array<double, 6>{}; },
                   [](const Unrebalanced&) { return std::array<double, 6>{}; },
                   [&](const Portfolio&) {
                       const PortfolioLanes& pl = portfolio_[j];
                       return std::array<double, 6>{pl.rebalances.x[lane], pl.turnover.x[lane],
                                                    pl.bought.x[lane], pl.sold.x[lane],
                                                    pl.costs.x[lane], 0.0};
                   },
                   [&]<SignalStrategy S>(const S& s) {
                       std::array<double, 6> t{};
                       for (int k = 0; k < kSignalTallies; ++k)
                           t[static_cast<std::size_t>(k)] = signal_[j].tally[k].x[lane];
                       return s.finish_tallies(t, days_);
                   },
                   [&]<InvestorStrategy S>(const S&) { return investor(j, lane).tallies(); }},
        positions_[j].strategy);
}

void StripWalker::signal_reset(std::size_t j) {
    std::visit(Overloaded{[](const DailyReset&) {}, [](const Unrebalanced&) {},
                          [&](const Portfolio&) { portfolio_reset(j); },
                          []<InvestorStrategy S>(const S&) {},
                          [&]<SignalStrategy S>(const S& s) {
                              SignalLanes& sl = signal_[j];
                              const SignalStart st = s.signal_start(positions_[j].multiple);
                              std::fill(sl.ring.begin(), sl.ring.end(), 0.0);
                              if (!sl.ring.empty())
                                  std::fill_n(sl.ring.begin(), kStripPaths, st.slot0);
                              std::fill_n(sl.held.x, kStripPaths, st.held);
                              std::fill_n(sl.a.x, kStripPaths, st.a);
                              std::fill_n(sl.b.x, kStripPaths, st.b);
                              for (auto& t : sl.tally)
                                  std::fill_n(t.x, kStripPaths, 0.0);
                          }},
               positions_[j].strategy);
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
    if (path_statistics_)
        for (PathTracker& t : trackers_)
            t.reset();
    for (std::size_t j = 0; j < positions_.size(); ++j) {
        std::fill_n(loan_.data() + j * kStripPaths, kStripPaths, positions_[j].multiple - 1.0);
        if (investor_start_[j]) // 16 lanes of investor state: only where used
            std::fill_n(investor_.data() + j * kStripPaths, kStripPaths, *investor_start_[j]);
        signal_reset(j);
    }
    for (Lanes& a : asset_s_)
        std::fill_n(a.x, kStripPaths, 1.0);
    if (flows_)
        flows_reset();
}

void StripWalker::advance(int first_day, int days, const double* returns, const double* rates) {
    walk(first_day, days, returns, rates);
    if (!path_statistics_)
        return;
    trackers_[0].advance(first_day, days, path_.data(), rates);
    for (std::size_t j = 0; j < positions_.size(); ++j)
        trackers_[1 + j].advance(first_day, days, day_values(j), rates);
}

void StripWalker::walk(int first_day, int days, const double* returns, const double* rates) {
    path_.resize(assets_ > 1 ? static_cast<std::size_t>(assets_) * kAssetStride
                             : static_cast<std::size_t>(days) * kStripPaths);
    chunk_first_ = first_day;
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
    // The other assets' index paths (unrebalanced and sma_rotation positions on them read them).
    if (assets_ > 1) {
        for (int a = 1; a < assets_; ++a) {
            const double* ra = returns + static_cast<std::size_t>(a) * kAssetStride;
            double* pa = path_.data() + static_cast<std::size_t>(a) * kAssetStride;
            Lanes& level = asset_s_[static_cast<std::size_t>(a - 1)];
            for (int d = 0; d < days; ++d)
                for (int i = 0; i < kStripPaths; ++i) {
                    const int o = d * kStripPaths + i;
                    level.x[i] = std::min(level.x[i] * (1.0 + ra[o]), kValueCap);
                    pa[o] = level.x[i];
                }
        }
    }
    // Investor strategies and, with a rate series, every position: per lane.
    for (std::size_t j = 0; j < positions_.size(); ++j) {
        const double* r = asset_returns(positions_[j], returns);
        std::visit(Overloaded{[&](const DailyReset&) {
                                  if (rates)
                                      daily_reset_rates(j, first_day, days, r, rates);
                              },
                              [&](const Unrebalanced&) {
                                  if (rates)
                                      unrebalanced_rates(j, first_day, days, rates);
                              },
                              [&](const Portfolio&) {
                                  portfolio_walk(j, first_day, days, returns, rates);
                              },
                              [&]<SignalStrategy S>(const S& s) {
                                  signal_walk(s, j, first_day, days, r, rates);
                              },
                              [&]<InvestorStrategy S>(const S& s) {
                                  investor_walk(s, j, first_day, days, r, rates);
                              }},
                   positions_[j].strategy);
    }
    if (!rates)
        for (int a = 0; a < assets_; ++a) {
            const double* r = returns + static_cast<std::size_t>(a) * kAssetStride;
            walk_groups<DailyReset>(first_day, days, r, a);
            walk_groups<Unrebalanced>(first_day, days, r, a);
        }
    if (flows_)
        for (std::size_t j = 0; j < positions_.size(); ++j)
            apply_flows(j, first_day, days);
}

template <class K>
void StripWalker::walk_groups(int first_day, int days, const double* returns, int asset) {
    // Positions in groups of up to kGroup of one strategy, walked together for instruction-level
    // parallelism (each position's state is a dependency chain across days).
    std::size_t group[kGroup];
    int g = 0;
    for (std::size_t j = 0; j < positions_.size(); ++j) {
        if (!std::holds_alternative<K>(positions_[j].strategy) || positions_[j].asset != asset)
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

void StripWalker::record(State& st, int i, double v, int day) {
    const auto j = static_cast<std::size_t>(&st - state_.data());
    day_values(j)[(day - chunk_first_) * kStripPaths + i] = v;
    st.v.x[i] = v;
    st.u.x[i] = std::max(st.u.x[i], v);
    if (st.u.x[i] > 0.0)
        st.m.x[i] = std::min(st.m.x[i], v / st.u.x[i]);
    if (v <= 0.0 && st.wipeout[i] == 0)
        st.wipeout[i] = day;
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

// The block kernel: the one place that builds and asks the path model and drives the strategy
// walker. Everything it hands on is plain per-path columns (see kernel.hpp).

#include "kernel.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <type_traits>
#include <variant>

#include "letf/base/rng.hpp"
#include "letf/models/registry.hpp"
#include "letf/models/joint_source.hpp"
#include "letf/models/strip_source.hpp"
#include "letf/strategies/investor.hpp"

namespace letf::engine {

struct ModelSource {
    explicit ModelSource(const ScenarioConfig& config) : source(config) {}
    JointSource source;
};

std::shared_ptr<const ModelSource> make_model(const ScenarioConfig& config, ModelFacts& facts,
                                              std::vector<ModelFacts>& asset_facts) {
    auto model = std::make_shared<const ModelSource>(config);
    asset_facts.clear();
    for (std::size_t k = 0; k < model->source.assets(); ++k)
        asset_facts.push_back(model->source.asset(k).facts());
    facts = asset_facts.front();
    return model;
}

PositionFacts position_facts(const Position& p) {
    const auto fields = tally_fields(p.strategy);
    const bool forced =
        std::find(fields.begin(), fields.end(), "forced_deleverages") != fields.end();
    // A portfolio's tallies are an investor's (trades = rebalances, turnover, buys, sells, costs).
    const bool portfolio = std::holds_alternative<Portfolio>(p.strategy);
    const bool signal = !is_investor(p.strategy) && !portfolio && !fields.empty();
    return {is_investor(p.strategy) || portfolio, signal, forced,
            std::holds_alternative<Unrebalanced>(p.strategy)};
}

std::optional<double> carry_annual(const ScenarioConfig& c, const Position& p) {
    if (c.has_rate_series())
        return std::nullopt;
    return strategy_carry(p.strategy, c.costs, p.multiple);
}

Position underlying_position() {
    Position p;
    p.strategy = DailyReset{};
    p.multiple = 1.0;
    p.carry_daily = 0.0;
    p.growth_daily = 1.0;
    return p;
}

double walker_bytes(const std::vector<Position>& positions, int days) {
    constexpr double kDouble = sizeof(double);
    double unrebalanced = 0.0, signal = 0.0;
    for (const Position& p : positions) {
        unrebalanced += std::holds_alternative<Unrebalanced>(p.strategy);
        signal += static_cast<double>(signal_state_bytes(p.strategy));
    }
    const double P = static_cast<double>(positions.size()), D = static_cast<double>(days);
    // Per position also a chunk of day values and a signal strategy's lane state; per series a
    // path tracker.
    return P * (sizeof(Position) + sizeof(SignalLanes) + 512.0 +
                16.0 * (sizeof(InvestorLane) + kDouble)) +
           unrebalanced * (D + 1.0) * kDouble + kDayChunk * kStripPaths * kDouble +
           P * kDayChunk * kStripPaths * kDouble + (P + 1.0) * sizeof(PathTracker) + signal +
           (signal > 0.0 ? 2.0 * kDayChunk * kStripPaths * kDouble : 0.0);
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The investor tallies kept per path (InvestorLane's fields, in RebalanceTally's order).
constexpr std::size_t kRebalanceFields = 6;

void lane_fields(const std::array<double, kRebalanceFields>& t, double* f, std::size_t n,
                 std::size_t row) {
    for (std::size_t k = 0; k < kRebalanceFields; ++k)
        f[k * n + row] = t[k];
}

RebalanceTally rebalance_tally(const double* f, std::size_t n) {
    RebalanceTally t;
    t.trades = Moments::of(f + 0 * n, n);
    t.turnover = Moments::of(f + 1 * n, n);
    t.cash_added = Moments::of(f + 2 * n, n);
    t.cash_withdrawn = Moments::of(f + 3 * n, n);
    t.transaction_costs = Moments::of(f + 4 * n, n);
    t.forced_deleverages = Moments::of(f + 5 * n, n);
    return t;
}

} // namespace

/// Per-path outcomes of one block: per series s (0 the underlying, 1 + j position j) its value
/// and path columns (kSeriesColumns, n rows each) where they do not go straight into the exact
/// store, each position's wipe-out day, the first days below the loss levels (survival), and
/// investor positions' rebalancing fields (kRebalanceFields columns per position).
struct BlockOutcomes {
    std::vector<double> columns; ///< [(s * kSeriesColumns + c) * n + row]
    std::vector<double> wipeout_day;
    std::vector<double> rebalance;
    std::vector<double> model; ///< the model's statistics, column k of n rows each
    /// Per series and path, whether it ended above its running peak (0/1) and beat the index.
    std::vector<double> under_water_end;
    std::vector<double> extras; ///< Plan::extras, column e of n rows each
};

struct Workspace {
    Workspace(const Plan& plan)
        : walker(plan.positions, plan.config->days, plan.config->path_statistics,
                 static_cast<int>(plan.asset_facts.size()), plan.flows) {}
    StripWalker walker;
    std::vector<double> returns, rates;
    BlockOutcomes out;
    std::vector<QuantileSketch> sketches, bands, extras; ///< as PartialResult's, for this thread
    std::vector<std::int64_t> histogram, survival;
    double lane_values[kStripPaths];
    std::vector<double> day_values; ///< EngineOptions::on_day: a day's values, every series
    TallyBuffers tally;
};

void WorkspaceDeleter::operator()(Workspace* ws) const {
    delete ws;
}

std::size_t workspace_struct_bytes() {
    return sizeof(Workspace);
}

WorkspacePtr make_workspace(const Plan& plan) {
    WorkspacePtr ws(new Workspace(plan));
    PartialResult shape = empty_partial(plan, BlockRange{0, 0});
    ws->sketches = std::move(shape.sketches);
    ws->bands = std::move(shape.bands);
    ws->extras = std::move(shape.extra_sketches);
    ws->histogram = std::move(shape.histogram);
    ws->survival = std::move(shape.survival);
    return ws;
}

void drain(Workspace& ws, PartialResult& part) {
    for (std::size_t k = 0; k < ws.sketches.size(); ++k) {
        part.sketches[k].merge(ws.sketches[k]);
        ws.sketches[k].clear();
    }
    for (std::size_t k = 0; k < ws.bands.size(); ++k) {
        part.bands[k].merge(ws.bands[k]);
        ws.bands[k].clear();
    }
    for (std::size_t k = 0; k < ws.extras.size(); ++k) {
        part.extra_sketches[k].merge(ws.extras[k]);
        ws.extras[k].clear();
    }
    for (std::size_t k = 0; k < ws.histogram.size(); ++k) {
        part.histogram[k] += ws.histogram[k];
        ws.histogram[k] = 0;
    }
    for (std::size_t k = 0; k < ws.survival.size(); ++k) {
        part.survival[k] += ws.survival[k];
        ws.survival[k] = 0;
    }
}

namespace {

/// Advances a strip through days [first_day, first_day + days) with returns[d * kStripPaths + i]
/// (and rates, when not null, alike), recording every series' values on the band days they
/// contain.
void walk_days(const Plan& plan, Workspace& ws, int first_day, int days, const double* returns,
               const double* rates, int lanes) {
    const std::vector<int>& band_days = plan.band_days;
    if (band_days.empty()) {
        ws.walker.advance(first_day, days, returns, rates);
        return;
    }
    // Split the days after each band day.
    const int end = first_day + days;
    auto next = std::lower_bound(band_days.begin(), band_days.end(), first_day);
    for (int d = first_day; d < end;) {
        const bool band = next != band_days.end() && *next < end;
        const int stop = band ? *next + 1 : end;
        const std::size_t offset = static_cast<std::size_t>(d - first_day) * kStripPaths;
        ws.walker.advance(d, stop - d, returns + offset, rates ? rates + offset : nullptr);
        if (band) {
            const auto b = static_cast<std::size_t>(next - band_days.begin()) - 1; // day 0 skipped
            const std::size_t nb = band_days.size() - 1;
            double* v = ws.lane_values;
            for (int i = 0; i < lanes; ++i)
                v[i] = ws.walker.underlying(i);
            ws.bands[b].add(v, static_cast<std::size_t>(lanes));
            for (std::size_t j = 0; j < plan.positions.size(); ++j) {
                for (int i = 0; i < lanes; ++i)
                    v[i] = ws.walker.value(j, i);
                ws.bands[(1 + j) * nb + b].add(v, static_cast<std::size_t>(lanes));
            }
            ++next;
        }
        d = stop;
    }
}

/// Advances a strip (paths first_path ..) through one chunk of returns (ws.returns, and
/// `rates`); with EngineOptions::on_day one day at a time, each day's values to the hook.
void advance_strip(const Plan& plan, Workspace& ws, int first_day, int days, const double* rates,
                   int lanes, std::int64_t first_path) {
    if (!plan.options.on_day) {
        walk_days(plan, ws, first_day, days, ws.returns.data(), rates, lanes);
        return;
    }
    const std::size_t S = plan.series();
    std::vector<double>& v = ws.day_values;
    v.assign(S * kStripPaths, 0.0);
    for (int d = 0; d < days; ++d) {
        const std::size_t offset = static_cast<std::size_t>(d) * kStripPaths;
        walk_days(plan, ws, first_day + d, 1, ws.returns.data() + offset,
                  rates ? rates + offset : nullptr, lanes);
        for (int i = 0; i < lanes; ++i) {
            const auto u = static_cast<std::size_t>(i);
            v[u] = ws.walker.underlying(i);
            for (std::size_t j = 0; j + 1 < S; ++j)
                v[(1 + j) * kStripPaths + u] = ws.walker.value(j, i);
        }
        plan.options.on_day(DayValues{first_path, lanes, first_day + d, v.data()});
    }
}

/// Where the block's columns go: every series' value and drawdown straight into the exact
/// store when quantiles are exact (no copy), into the block's buffers otherwise; the other path
/// columns always into the buffers. col[s][c]: series s, column c (0 the value, 1 + PathColumn).
struct Destinations {
    std::vector<std::array<double*, kSeriesColumns>> col;
};

Destinations destinations(const Plan& plan, std::int64_t block, Workspace& ws, PartialResult& part,
                          std::size_t n) {
    const std::size_t P = plan.positions.size(), S = P + 1;
    BlockOutcomes& o = ws.out;
    o.wipeout_day.resize(n * P);
    o.rebalance.resize(n * P * kRebalanceFields);
    o.model.resize(n * plan.facts.statistics.size());
    o.under_water_end.resize(n * S);
    o.extras.resize(n * plan.extras.size());
    Destinations d;
    d.col.resize(S);
    o.columns.resize(n * S * kSeriesColumns);
    for (std::size_t s = 0; s < S; ++s)
        for (std::size_t c = 0; c < kSeriesColumns; ++c)
            d.col[s][c] = o.columns.data() + (s * kSeriesColumns + c) * n;
    if (plan.exact) {
        const auto offset = static_cast<std::size_t>(plan.first_path(block) -
                                                     plan.first_path(part.range.first_block));
        for (std::size_t s = 0; s < S; ++s)
            for (std::size_t c = 0; c < kStoredColumns; ++c)
                d.col[s][c] = part.columns[s * kStoredColumns + c].data() + offset;
    }
    return d;
}

/// Row `row` of series s's columns from the walker: the value, the drawdown and the path
/// statistics (sharpe and sortino NaN where undefined, read only through their populations).
void put_series(const PathStats* ps_or_null, std::size_t s, double value, double drawdown,
                const Destinations& d, std::size_t row, double* under_water_end) {
    const auto& c = d.col[s];
    c[0][row] = value;
    c[1 + static_cast<int>(PathColumn::drawdown)][row] = drawdown;
    if (!ps_or_null) // no path statistics: their columns are never read
        return;
    const PathStats& ps = *ps_or_null;
    c[1 + static_cast<int>(PathColumn::volatility)][row] = ps.volatility;
    c[1 + static_cast<int>(PathColumn::sharpe)][row] = ps.has_sharpe ? ps.sharpe : kNaN;
    c[1 + static_cast<int>(PathColumn::sortino)][row] = ps.has_sortino ? ps.sortino : kNaN;
    c[1 + static_cast<int>(PathColumn::under_water_days)][row] = ps.under_water_days;
    c[1 + static_cast<int>(PathColumn::recovery_days)][row] = ps.recovery_days;
    under_water_end[row] = ps.ends_under_water ? 1.0 : 0.0;
}

/// Counts the paths' first days below each loss level and at zero into the survival slots of
/// series s (plan.survival_slot: the first survival day at or after a day).
void count_survival(const Plan& plan, const PathStats& ps, std::size_t s, std::int64_t* counts) {
    const std::size_t nd = plan.survival_days.size();
    std::int64_t* c = counts + s * kSurvivalCurves * nd;
    if (ps.first_zero > 0)
        ++c[plan.survival_slot[static_cast<std::size_t>(ps.first_zero)]];
    for (std::size_t k = 0; k < kLossLevels.size(); ++k)
        if (ps.first_below[k] > 0)
            ++c[(1 + k) * nd + plan.survival_slot[static_cast<std::size_t>(ps.first_below[k])]];
}

/// Walks every strip of the block, leaving the per-path outcomes at `d` and in ws.out.
void walk_block(const Plan& plan, std::uint64_t first, std::size_t n, Workspace& ws,
                const Destinations& d) {
    const ScenarioConfig& c = *plan.config;
    const JointSource& model = plan.model->source;
    const std::size_t P = plan.positions.size();
    ws.returns.resize(kAssetStride * model.assets());
    if (plan.facts.has_rates)
        ws.rates.resize(ws.returns.size());
    double* rates = plan.facts.has_rates ? ws.rates.data() : nullptr;
    BlockOutcomes& o = ws.out;
    const std::size_t K = plan.facts.statistics.size();
    double lane_statistics[kMaxModelStatistics];
    for (std::size_t first_lane = 0; first_lane < n; first_lane += kStripPaths) {
        const std::uint64_t path = first + first_lane;
        JointSource::State state = model.start(c.seed, path);
        ws.walker.reset();
        const auto lanes = static_cast<int>(std::min<std::size_t>(kStripPaths, n - first_lane));
        for (int day = 1; day <= c.days; day += kDayChunk) {
            const int days = std::min(kDayChunk, c.days - day + 1);
            model.fill(day, days, state, ws.returns.data(), rates);
            advance_strip(plan, ws, day, days, rates, lanes, static_cast<std::int64_t>(path));
        }
        const StripWalker& w = ws.walker;
        for (int i = 0; i < lanes; ++i) {
            const std::size_t row = first_lane + static_cast<std::size_t>(i);
            const bool paths = plan.config->path_statistics;
            const PathStats index_stats = paths ? w.path_stats(0, i) : PathStats{};
            put_series(paths ? &index_stats : nullptr, 0, w.underlying(i),
                       w.underlying_max_drawdown(i), d, row, o.under_water_end.data());
            if (paths)
                count_survival(plan, index_stats, 0, ws.survival.data());
            for (std::size_t j = 0; j < P; ++j) {
                const PathStats ps = paths ? w.path_stats(1 + j, i) : PathStats{};
                put_series(paths ? &ps : nullptr, 1 + j, w.value(j, i), w.max_drawdown(j, i), d,
                           row, o.under_water_end.data() + (1 + j) * n);
                if (paths)
                    count_survival(plan, ps, 1 + j, ws.survival.data());
                o.wipeout_day[j * n + row] = w.wipeout_day(j, i);
                if (plan.position_facts[j].investor || plan.position_facts[j].signal)
                    lane_fields(w.tallies(j, i),
                                o.rebalance.data() + j * n * kRebalanceFields, n, row);
                if (plan.extra_first[j + 1] > plan.extra_first[j]) {
                    double e[64];
                    w.extras(j, i, e);
                    for (std::size_t x = plan.extra_first[j]; x < plan.extra_first[j + 1]; ++x)
                        o.extras[x * n + row] = e[x - plan.extra_first[j]];
                }
            }
            if (K > 0) {
                model.statistics(state, i, lane_statistics);
                for (std::size_t k = 0; k < K; ++k)
                    o.model[k * n + row] = lane_statistics[k];
            }
        }
    }
}

} // namespace

void run_block(const Plan& plan, std::int64_t block, Workspace& ws, BlockTallies& out,
               PartialResult& part) {
    const std::int64_t first = plan.first_path(block);
    const auto n = static_cast<std::size_t>(plan.first_path(block + 1) - first);
    const std::size_t P = plan.positions.size();
    const Destinations d = destinations(plan, block, ws, part, n);
    walk_block(plan, static_cast<std::uint64_t>(first), n, ws, d);
    if (plan.options.on_block) {
        BlockPaths b{block, first, n, {}, {}, {}};
        for (std::size_t s = 0; s <= P; ++s) {
            b.value.push_back(d.col[s][0]);
            b.drawdown.push_back(d.col[s][1 + static_cast<std::size_t>(PathColumn::drawdown)]);
            b.wipeout_day.push_back(s == 0 ? nullptr : ws.out.wipeout_day.data() + (s - 1) * n);
        }
        plan.options.on_block(b);
    }

    const std::size_t K = plan.facts.statistics.size();
    out = BlockTallies::empty(P, K, plan.extras.size());
    for (std::size_t k = 0; k < K; ++k)
        out.model[k] = Moments::of(ws.out.model.data() + k * n, n);
    // The extras over the paths where each is defined (not NaN), in path order.
    std::vector<double>& defined = ws.tally.values;
    for (std::size_t x = 0; x < plan.extras.size(); ++x) {
        defined.clear();
        for (std::size_t row = 0; row < n; ++row) {
            const double v = ws.out.extras[x * n + row];
            if (v == v)
                defined.push_back(v);
        }
        out.extras[x] = Moments::of(defined.data(), defined.size());
        ws.extras[x].add(defined.data(), defined.size());
    }
    for (std::size_t j = 0; j < P; ++j)
        if (plan.position_facts[j].investor || plan.position_facts[j].signal)
            out.rebalancing[j] =
                rebalance_tally(ws.out.rebalance.data() + j * n * kRebalanceFields, n);
    std::vector<SeriesColumns> series(1 + P);
    for (std::size_t s = 0; s <= P; ++s) {
        std::copy(d.col[s].begin(), d.col[s].end(), series[s].columns.begin());
        series[s].under_water_end = ws.out.under_water_end.data() + s * n;
        if (s > 0) {
            series[s].wipeout_day = ws.out.wipeout_day.data() + (s - 1) * n;
            series[s].multiple = plan.positions[s - 1].multiple;
        }
    }
    tally_block(plan, series, n, ws.tally, out, ws.sketches.data(),
                plan.config->histogram ? ws.histogram.data() : nullptr);
}

} // namespace letf::engine

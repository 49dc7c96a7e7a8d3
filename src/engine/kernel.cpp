// The block kernel: the one place that builds and asks the path model and drives the strategy
// walker. Everything it hands on is plain per-path columns (see kernel.hpp).

#include "kernel.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <type_traits>
#include <variant>

#include "letf/base/rng.hpp"
#include "letf/models/registry.hpp"
#include "letf/models/strip_source.hpp"
#include "letf/strategies/investor.hpp"

namespace letf::engine {

struct ModelSource {
    explicit ModelSource(const ScenarioConfig& config) : source(config) {}
    StripSource source;
};

std::shared_ptr<const ModelSource> make_model(const ScenarioConfig& config, ModelFacts& facts) {
    auto model = std::make_shared<const ModelSource>(config);
    facts = model->source.facts();
    return model;
}

PositionFacts position_facts(const Position& p) {
    const auto fields = tally_fields(p.strategy);
    const bool forced =
        std::find(fields.begin(), fields.end(), "forced_deleverages") != fields.end();
    const bool signal = !is_investor(p.strategy) && !fields.empty();
    return {is_investor(p.strategy), signal, forced,
            std::holds_alternative<Unrebalanced>(p.strategy)};
}

std::optional<double> carry_annual(const ScenarioConfig& c, const Position& p) {
    if (c.has_rate_series())
        return std::nullopt;
    return strategy_carry(p.strategy, c.costs, p.multiple);
}

Position underlying_position() {
    return Position{DailyReset{}, 1.0, 0.0, 1.0};
}

double walker_bytes(const std::vector<Position>& positions, int days) {
    constexpr double kDouble = sizeof(double);
    double unrebalanced = 0.0, signal = 0.0;
    for (const Position& p : positions) {
        unrebalanced += std::holds_alternative<Unrebalanced>(p.strategy);
        signal += static_cast<double>(signal_state_bytes(p.strategy));
    }
    const double P = static_cast<double>(positions.size()), D = static_cast<double>(days);
    return P * (sizeof(Position) + sizeof(SignalLanes) + 512.0 +
                16.0 * (sizeof(InvestorLane) + kDouble)) +
           unrebalanced * (D + 1.0) * kDouble + kDayChunk * kStripPaths * kDouble + signal;
}

namespace {

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

/// Per-path outcomes of one block: S_T and its drawdown, and per position (column j, n rows
/// each) V_T, the drawdown and the wipe-out day; investor positions also their rebalancing
/// fields (kRebalanceFields columns per position).
struct BlockOutcomes {
    std::vector<double> underlying, underlying_dd, value, dd, wipeout_day;
    std::vector<double> rebalance;
    std::vector<double> model; ///< the model's statistics, column k of n rows each
};

struct Workspace {
    Workspace(const std::vector<Position>& positions, int days) : walker(positions, days) {}
    StripWalker walker;
    std::vector<double> returns, rates;
    BlockOutcomes out;
    std::vector<QuantileSketch> sketches, bands; ///< as PartialResult's, for this thread
    std::vector<std::int64_t> histogram;
    double lane_values[kStripPaths];
    TallyBuffers tally;
};

void WorkspaceDeleter::operator()(Workspace* ws) const {
    delete ws;
}

std::size_t workspace_struct_bytes() {
    return sizeof(Workspace);
}

WorkspacePtr make_workspace(const Plan& plan) {
    WorkspacePtr ws(new Workspace(plan.positions, plan.config->days));
    PartialResult shape = empty_partial(plan, BlockRange{0, 0});
    ws->sketches = std::move(shape.sketches);
    ws->bands = std::move(shape.bands);
    ws->histogram = std::move(shape.histogram);
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
    for (std::size_t k = 0; k < ws.histogram.size(); ++k) {
        part.histogram[k] += ws.histogram[k];
        ws.histogram[k] = 0;
    }
}

namespace {

/// Advances a strip through one chunk of returns, recording every series' values on the band
/// days it contains.
void advance_strip(const Plan& plan, Workspace& ws, int first_day, int days, const double* rates,
                   int lanes) {
    const std::vector<int>& band_days = plan.band_days;
    if (band_days.empty()) {
        ws.walker.advance(first_day, days, ws.returns.data(), rates);
        return;
    }
    // Split the chunk after each band day.
    const int end = first_day + days;
    auto next = std::lower_bound(band_days.begin(), band_days.end(), first_day);
    for (int d = first_day; d < end;) {
        const bool band = next != band_days.end() && *next < end;
        const int stop = band ? *next + 1 : end;
        const std::size_t offset = static_cast<std::size_t>(d - first_day) * kStripPaths;
        ws.walker.advance(d, stop - d, ws.returns.data() + offset,
                          rates ? rates + offset : nullptr);
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

/// Where the block's columns go: V_T, S_T and the drawdowns straight into the exact columns
/// when quantiles are exact (no copy), into the block's buffers otherwise.
struct Destinations {
    double* s = nullptr;
    double* s_dd = nullptr;
    std::vector<double*> v, dd;
};

Destinations destinations(const Plan& plan, std::int64_t block, Workspace& ws, PartialResult& part,
                          std::size_t n) {
    const std::size_t P = plan.positions.size();
    BlockOutcomes& o = ws.out;
    o.underlying.resize(n);
    o.underlying_dd.resize(n);
    o.value.resize(n * P);
    o.dd.resize(n * P);
    o.wipeout_day.resize(n * P);
    o.rebalance.resize(n * P * kRebalanceFields);
    o.model.resize(n * plan.facts.statistics.size());
    Destinations d;
    d.v.resize(P);
    d.dd.resize(P);
    if (plan.exact) {
        const auto offset = static_cast<std::size_t>(plan.first_path(block) -
                                                     plan.first_path(part.range.first_block));
        d.s = part.columns[0].data() + offset;
        d.s_dd = part.columns[1].data() + offset;
        for (std::size_t j = 0; j < P; ++j) {
            d.v[j] = part.columns[2 * (1 + j)].data() + offset;
            d.dd[j] = part.columns[2 * (1 + j) + 1].data() + offset;
        }
        return d;
    }
    d.s = o.underlying.data();
    d.s_dd = o.underlying_dd.data();
    for (std::size_t j = 0; j < P; ++j) {
        d.v[j] = o.value.data() + j * n;
        d.dd[j] = o.dd.data() + j * n;
    }
    return d;
}

/// Walks every strip of the block, leaving the per-path outcomes at `d` and in ws.out.
void walk_block(const Plan& plan, std::uint64_t first, std::size_t n, Workspace& ws,
                const Destinations& d) {
    const ScenarioConfig& c = *plan.config;
    const StripSource& model = plan.model->source;
    const std::size_t P = plan.positions.size();
    ws.returns.resize(static_cast<std::size_t>(kDayChunk) * kStripPaths);
    if (plan.facts.has_rates)
        ws.rates.resize(ws.returns.size());
    double* rates = plan.facts.has_rates ? ws.rates.data() : nullptr;
    BlockOutcomes& o = ws.out;
    const std::size_t K = plan.facts.statistics.size();
    double lane_statistics[kMaxModelStatistics];
    for (std::size_t first_lane = 0; first_lane < n; first_lane += kStripPaths) {
        const std::uint64_t path = first + first_lane;
        StripRng rng = plan.facts.deterministic ? StripRng{} : StripRng::for_paths(c.seed, path);
        StripSource::State state = model.start(c.seed, path);
        ws.walker.reset();
        const auto lanes = static_cast<int>(std::min<std::size_t>(kStripPaths, n - first_lane));
        for (int day = 1; day <= c.days; day += kDayChunk) {
            const int days = std::min(kDayChunk, c.days - day + 1);
            model.fill(day, days, rng, state, ws.returns.data(), rates);
            advance_strip(plan, ws, day, days, rates, lanes);
        }
        for (int i = 0; i < lanes; ++i) {
            const std::size_t row = first_lane + static_cast<std::size_t>(i);
            d.s[row] = ws.walker.underlying(i);
            d.s_dd[row] = ws.walker.underlying_max_drawdown(i);
            for (std::size_t j = 0; j < P; ++j) {
                d.v[j][row] = ws.walker.value(j, i);
                d.dd[j][row] = ws.walker.max_drawdown(j, i);
                o.wipeout_day[j * n + row] = ws.walker.wipeout_day(j, i);
                if (plan.position_facts[j].investor || plan.position_facts[j].signal)
                    lane_fields(ws.walker.tallies(j, i),
                                o.rebalance.data() + j * n * kRebalanceFields, n, row);
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

    const std::size_t K = plan.facts.statistics.size();
    out = BlockTallies::empty(P, K);
    for (std::size_t k = 0; k < K; ++k)
        out.model[k] = Moments::of(ws.out.model.data() + k * n, n);
    for (std::size_t j = 0; j < P; ++j)
        if (plan.position_facts[j].investor || plan.position_facts[j].signal)
            out.rebalancing[j] =
                rebalance_tally(ws.out.rebalance.data() + j * n * kRebalanceFields, n);
    std::vector<SeriesColumns> series(1 + P);
    series[0] = {d.s, d.s_dd, nullptr, 1.0};
    for (std::size_t j = 0; j < P; ++j)
        series[1 + j] = {d.v[j], d.dd[j], ws.out.wipeout_day.data() + j * n,
                         plan.positions[j].multiple};
    tally_block(plan, series, n, ws.tally, out, plan.exact ? nullptr : ws.sketches.data(),
                plan.config->histogram ? ws.histogram.data() : nullptr);
}

} // namespace letf::engine

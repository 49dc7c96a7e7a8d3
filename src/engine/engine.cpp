#include "letf/engine/engine.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <memory>
#include <mutex>
#include <span>
#include <type_traits>
#include <variant>

#include <omp.h>
#include <unistd.h>

#include "letf/base/error.hpp"
#include "letf/base/limits.hpp"
#include "letf/models/path_model.hpp"
#include "letf/base/rng.hpp"
#include "letf/stats/sketch.hpp"
#include "base/simd.hpp"

namespace letf {

std::int64_t exact_quantile_limit(std::int64_t budget, std::size_t positions) {
    return budget / static_cast<std::int64_t>(2 * positions + 2);
}

void RebalanceTally::merge(const RebalanceTally& o) {
    trades.merge(o.trades);
    turnover.merge(o.turnover);
    cash_added.merge(o.cash_added);
    cash_withdrawn.merge(o.cash_withdrawn);
    transaction_costs.merge(o.transaction_costs);
    forced_deleverages.merge(o.forced_deleverages);
}

std::optional<double> QuantityStats::quantile(double q) const {
    for (std::size_t i = 0; i < qs.size() && i < values.size(); ++i)
        if (qs[i] == q)
            return values[i];
    return std::nullopt;
}

int resolve_threads(int requested) {
    const int threads = requested > 0 ? requested : omp_get_max_threads();
    return std::clamp(threads, 1, limits::kMaxThreads);
}

OutOfMemory::OutOfMemory(std::uint64_t needed_bytes)
    : std::runtime_error("out of memory (needed about " +
                         std::to_string((needed_bytes + (1u << 20) - 1) >> 20) + " MiB)"),
      needed_(needed_bytes) {}

namespace {

/// The first exception thrown by an iteration of an OpenMP loop, carried out of the region (an
/// exception that leaves it is std::terminate) and rethrown after it by rethrow(); the
/// iterations after a failure do nothing.
class RegionErrors {
public:
    template <class F> void run(F&& body) noexcept {
        if (failed_.load(std::memory_order_relaxed))
            return;
        try {
            body();
        } catch (...) {
            const std::lock_guard<std::mutex> lock(mutex_);
            if (!error_)
                error_ = std::current_exception();
            failed_.store(true, std::memory_order_relaxed);
        }
    }
    void rethrow() const {
        if (error_)
            std::rethrow_exception(error_);
    }

private:
    std::atomic<bool> failed_{false};
    std::mutex mutex_;
    std::exception_ptr error_;
};

/// Relative tolerance below which the gap vs target counts as a tie.
constexpr double kTieTolerance = 1e-12;

/// Per-path gap vs target: L x the index's simple return minus the position's.
double gap_vs_target(double L, double s, double x) {
    return L * (s - 1.0) - (x - 1.0);
}

/// The per-path quantities that get quantiles; the underlying has the first, second and last.
enum Quantity { kTerminal, kLogReturn, kGap, kLogDecay, kMaxDrawdown, kQuantities };

/// Quantile levels computed: the config's plus those the console summary shows.
std::vector<double> quantile_levels(const ScenarioConfig& config) {
    std::vector<double> qs = config.quantiles;
    for (double q : {0.05, 0.5, 0.95})
        if (std::find(qs.begin(), qs.end(), q) == qs.end())
            qs.push_back(q);
    std::sort(qs.begin(), qs.end());
    return qs;
}

/// Per-path values kept for exact quantiles, indexed by path: S_T, the underlying's drawdown,
/// and each position's V_T and drawdown.
struct ExactStore {
    /// Uninitialised storage: every element is written by the block of its path, so the pages
    /// are first touched (and zeroed by the kernel) by the worker threads, not by a serial memset.
    struct Array {
        std::unique_ptr<double[]> data;
        std::size_t size = 0;
        void allocate(std::size_t n) {
            data.reset(new double[n]);
            size = n;
        }
        void release() { *this = Array{}; }
        std::span<const double> view() const { return {data.get(), size}; }
    };
    Array underlying, underlying_dd;
    std::vector<Array> value, dd;
};

/// One sketch per (series, quantity); series 0 is the underlying, 1 + j position j.
struct SketchSet {
    std::vector<QuantileSketch> sketches;
    SketchSet(std::size_t positions, double accuracy)
        : sketches((positions + 1) * kQuantities, QuantileSketch(accuracy)) {}
    QuantileSketch& at(std::size_t series, Quantity q) {
        return sketches[series * kQuantities + static_cast<std::size_t>(q)];
    }
};

/// Per-path outcomes of one block: S_T and its drawdown, and per position (column j, n rows
/// each) V_T, the drawdown and the wipe-out day.
/// Investor positions also keep their rebalancing tallies (kRebalanceFields columns per position).
struct BlockOutcomes {
    std::vector<double> underlying, underlying_dd, value, dd, wipeout_day;
    std::vector<double> rebalance;
};

/// Fan-chart sketches of one thread: one per (series, band day >= 1); series 0 is the
/// underlying, 1 + j position j. And the thread's histogram counts, (bins + 2) per series:
/// below, bins..., above.
struct Extras {
    std::vector<QuantileSketch> bands;
    std::vector<std::int64_t> histogram;
};
constexpr std::size_t kRebalanceFields = 6;

/// Buffers owned by one thread, reused from block to block.
struct Workspace {
    Workspace(const std::vector<Position>& positions, int days) : walker(positions, days) {}
    StripWalker walker;
    std::vector<double> returns, rates;
    BlockOutcomes out;
    Extras extras;
    double lane_values[kStripPaths];
    std::vector<double> log_s, buf_a, buf_b, buf_c, buf_d;
};

struct BlockTallies {
    PositionTally underlying;
    std::vector<PositionTally> positions;
    std::vector<RebalanceTally> rebalancing; ///< per position (empty for fund strategies)
};

class Simulation {
public:
    Simulation(const ScenarioConfig& config, const EngineOptions& options)
        : config_(config), options_(options), positions_(make_positions(config)), model_(config),
          levels_(quantile_levels(config)) {
        exact_limit_ = exact_quantile_limit(options.exact_quantile_budget, positions_.size());
        exact_ = config.paths <= exact_limit_;
        block_ = std::max<std::int64_t>(1, options.block_paths);
        // A thread without a block would only hold memory.
        threads_ = static_cast<int>(std::min<std::int64_t>(resolve_threads(options.threads),
                                                           (config.paths + block_ - 1) / block_));
        if (config.bands) {
            const int k = std::min(config.bands->every_days, config.days);
            for (int d = 0; d <= config.days; d += k)
                band_days_.push_back(d);
            if (band_days_.back() != config.days)
                band_days_.push_back(config.days);
        }
    }

    SimulationResult run();

private:
    void run_block(std::int64_t block, Workspace& ws, BlockTallies& out, SketchSet* sketches);
    /// Advances a strip through one chunk of returns, recording the band days it contains.
    void advance_strip(Workspace& ws, int first_day, int days, const double* rates,
                       int lanes) const;
    void record_histogram(Workspace& ws, std::size_t series, const double* x, std::size_t n) const;
    std::size_t series() const { return positions_.size() + 1; }
    QuantityStats finish_quantity(const Moments& m, std::span<const double> values) const;
    /// Terminal and log-return statistics of one series from a single selection.
    void finish_terminal_and_log(const PositionTally& t, std::span<const double> x,
                                 PositionResult& r) const;
    QuantityStats finish_quantity(const Moments& m, const QuantileSketch& merged) const;
    /// Bands and histogram: per-thread sketches and counts merged (integer counts: exact in
    /// any order, so independent of the thread count).
    void finish_extras(std::vector<Workspace>& workspaces, SimulationResult& result) const;
    /// Exact quantiles, task `what` (0: terminal and log return, 1: drawdown, 2: gap, 3: log
    /// decay) of series j (P: the underlying).
    void finish_exact_task(std::size_t j, std::size_t what, const BlockTallies& total,
                           std::span<const double> S, const std::vector<double>& log_s,
                           SimulationResult& result) const;

    const ScenarioConfig& config_;
    const EngineOptions& options_;
    std::vector<Position> positions_;
    PathModel model_;
    std::vector<double> levels_;
    std::int64_t exact_limit_ = 0;
    bool exact_ = true;
    std::vector<int> band_days_; ///< with config bands: 0, k, 2k, ..., days
    int threads_ = 1;
    std::int64_t block_ = 1024;
    ExactStore store_;
};

void Simulation::run_block(std::int64_t block, Workspace& ws, BlockTallies& out,
                           SketchSet* sketches) {
    const std::int64_t first = block * block_;
    const std::int64_t n64 = std::min(block_, config_.paths - first);
    const auto n = static_cast<std::size_t>(n64);
    const auto P = positions_.size();

    BlockOutcomes& o = ws.out;
    o.underlying.resize(n);
    o.underlying_dd.resize(n);
    o.value.resize(n * P);
    o.dd.resize(n * P);
    // Where V_T, S_T and the drawdowns go: straight into the exact store when quantiles are
    // exact (no copy), into the block's buffers otherwise.
    const auto at = [&](std::vector<double>& block_buf, ExactStore::Array* stored) {
        return stored ? stored->data.get() + first : block_buf.data();
    };
    double* out_s = at(o.underlying, exact_ ? &store_.underlying : nullptr);
    double* out_s_dd = at(o.underlying_dd, exact_ ? &store_.underlying_dd : nullptr);
    std::vector<double*> out_v(P), out_dd(P);
    for (std::size_t j = 0; j < P; ++j) {
        out_v[j] = exact_ ? store_.value[j].data.get() + first : o.value.data() + j * n;
        out_dd[j] = exact_ ? store_.dd[j].data.get() + first : o.dd.data() + j * n;
    }
    o.wipeout_day.resize(n * P);
    o.rebalance.resize(n * P * kRebalanceFields);
    ws.returns.resize(static_cast<std::size_t>(kDayChunk) * kStripPaths);
    const bool with_rates = model_.has_rates();
    if (with_rates)
        ws.rates.resize(ws.returns.size());
    double* rates = with_rates ? ws.rates.data() : nullptr;
    const bool random = !model_.deterministic();
    for (std::size_t first_lane = 0; first_lane < n; first_lane += kStripPaths) {
        const std::uint64_t path = static_cast<std::uint64_t>(first) + first_lane;
        StripRng rng = random ? StripRng::for_paths(config_.seed, path) : StripRng{};
        StripCursor cursor;
        ws.walker.reset();
        for (int day = 1; day <= config_.days; day += kDayChunk) {
            const int days = std::min(kDayChunk, config_.days - day + 1);
            model_.fill_strip(day, days, rng, ws.returns.data(), cursor, rates);
            advance_strip(ws, day, days, rates,
                          static_cast<int>(std::min<std::size_t>(kStripPaths, n - first_lane)));
        }
        const auto lanes = static_cast<int>(std::min<std::size_t>(kStripPaths, n - first_lane));
        for (int i = 0; i < lanes; ++i) {
            const std::size_t row = first_lane + static_cast<std::size_t>(i);
            out_s[row] = ws.walker.underlying(i);
            out_s_dd[row] = ws.walker.underlying_max_drawdown(i);
            for (std::size_t j = 0; j < P; ++j) {
                out_v[j][row] = ws.walker.value(j, i);
                out_dd[j][row] = ws.walker.max_drawdown(j, i);
                o.wipeout_day[j * n + row] = ws.walker.wipeout_day(j, i);
                if (!is_investor(positions_[j].strategy))
                    continue;
                const InvestorLane& lane = ws.walker.investor(j, i);
                double* f = o.rebalance.data() + j * n * kRebalanceFields;
                f[0 * n + row] = lane.trades;
                f[1 * n + row] = lane.turnover;
                f[2 * n + row] = lane.cash_added;
                f[3 * n + row] = lane.cash_withdrawn;
                f[4 * n + row] = lane.transaction_costs;
                f[5 * n + row] = lane.forced_deleverages;
            }
        }
    }

    const double* S = out_s;
    ws.log_s.resize(n);
    ws.buf_a.resize(n);
    ws.buf_b.resize(n);
    ws.buf_c.resize(n);
    ws.buf_d.resize(n);
    double* a = ws.buf_a.data();
    double* b = ws.buf_b.data();
    double* c = ws.buf_c.data();
    // The underlying. Slots are reused across groups: start from empty tallies.
    out.underlying = PositionTally{};
    PositionTally& u = out.underlying;
    std::size_t k = 0;
    simd_log(S, ws.log_s.data(), n); // entries with S_T <= 0 are never read
    for (std::size_t i = 0; i < n; ++i) {
        if (S[i] > 0.0)
            a[k++] = ws.log_s[i];
        u.loss += S[i] < 1.0;
        u.wipeout += S[i] <= 0.0;
    }
    u.paths = n64;
    record_histogram(ws, 0, S, n);
    u.terminal = Moments::of(S, n);
    u.log_return = Moments::of(a, k);
    u.max_drawdown = Moments::of(out_s_dd, n);
    if (sketches) {
        sketches->at(0, kTerminal).add(S, n);
        sketches->at(0, kLogReturn).add(a, k);
        sketches->at(0, kMaxDrawdown).add(out_s_dd, n);
    } else {
    }

    out.positions.assign(P, PositionTally{});
    out.rebalancing.assign(P, RebalanceTally{});
    for (std::size_t j = 0; j < P; ++j) {
        if (!is_investor(positions_[j].strategy))
            continue;
        const double* f = o.rebalance.data() + j * n * kRebalanceFields;
        RebalanceTally& rt = out.rebalancing[j];
        rt.trades = Moments::of(f + 0 * n, n);
        rt.turnover = Moments::of(f + 1 * n, n);
        rt.cash_added = Moments::of(f + 2 * n, n);
        rt.cash_withdrawn = Moments::of(f + 3 * n, n);
        rt.transaction_costs = Moments::of(f + 4 * n, n);
        rt.forced_deleverages = Moments::of(f + 5 * n, n);
    }
    for (std::size_t j = 0; j < P; ++j) {
        const double L = positions_[j].multiple;
        const double* x = out_v[j];
        const double* dd = out_dd[j];
        const double* wd = o.wipeout_day.data() + j * n;
        PositionTally& t = out.positions[j];
        t.paths = n64;
        record_histogram(ws, 1 + j, x, n);
        t.terminal = Moments::of(x, n);
        t.max_drawdown = Moments::of(dd, n);

        std::size_t nlog = 0, ndecay = 0, nwipe = 0;
        double* lx = ws.buf_d.data();
        simd_log(x, lx, n); // entries with V_T <= 0 are never read
        for (std::size_t i = 0; i < n; ++i) {
            const double gap = gap_vs_target(L, S[i], x[i]);
            b[i] = gap;
            t.loss += x[i] < 1.0;
            // A tie within rounding (e.g. unrebalanced leverage without costs, whose return is
            // exactly L x the index return) is not underperformance.
            t.underperform += gap > kTieTolerance * (1.0 + std::fabs(L * S[i]));
            if (x[i] > 0.0) {
                a[nlog++] = lx[i];
                if (S[i] > 0.0)
                    c[ndecay++] = L * ws.log_s[i] - lx[i];
            } else {
                t.wipeout += 1;
            }
        }
        t.gap = Moments::of(b, n);
        t.log_return = Moments::of(a, nlog);
        t.log_decay = Moments::of(c, ndecay);
        if (sketches) {
            sketches->at(1 + j, kTerminal).add(x, n);
            sketches->at(1 + j, kGap).add(b, n);
            sketches->at(1 + j, kLogReturn).add(a, nlog);
            sketches->at(1 + j, kLogDecay).add(c, ndecay);
            sketches->at(1 + j, kMaxDrawdown).add(dd, n);
        } else {
        }
        for (std::size_t i = 0; i < n; ++i)
            if (wd[i] > 0.0)
                b[nwipe++] = wd[i];
        t.wipeout_day = Moments::of(b, nwipe);
    }
}

void Simulation::finish_terminal_and_log(const PositionTally& t, std::span<const double> x,
                                         PositionResult& r) const {
    // x >= 0, so the t.wipeout zeros are the smallest values, and ln is increasing: the
    // order statistic of rank k among the positive values' logs is ln x_(zeros + k). One
    // selection serves both quantities.
    const std::size_t n = x.size();
    const auto zeros = static_cast<std::size_t>(t.wipeout);
    const std::size_t npos = n - zeros;
    std::vector<std::size_t> ranks = type7_ranks(n, levels_);
    if (npos > 0)
        for (std::size_t k : type7_ranks(npos, levels_))
            ranks.push_back(zeros + k);
    std::sort(ranks.begin(), ranks.end());
    ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
    const std::vector<double> stats = order_statistics(x, ranks);
    auto stat = [&](std::size_t k) {
        return stats[static_cast<std::size_t>(std::lower_bound(ranks.begin(), ranks.end(), k) -
                                              ranks.begin())];
    };
    r.terminal.moments = t.terminal;
    r.terminal.qs = levels_;
    r.log_return.moments = t.log_return;
    r.log_return.qs = levels_;
    for (double q : levels_) {
        r.terminal.values.push_back(type7_quantile(q, n, stat));
        if (npos > 0)
            r.log_return.values.push_back(
                type7_quantile(q, npos, [&](std::size_t k) { return std::log(stat(zeros + k)); }));
    }
}

void Simulation::advance_strip(Workspace& ws, int first_day, int days, const double* rates,
                               int lanes) const {
    if (band_days_.empty()) {
        ws.walker.advance(first_day, days, ws.returns.data(), rates);
        return;
    }
    // Split the chunk after each band day and record every series' values there.
    const int end = first_day + days;
    auto next = std::lower_bound(band_days_.begin(), band_days_.end(), first_day);
    for (int d = first_day; d < end;) {
        const bool band = next != band_days_.end() && *next < end;
        const int stop = band ? *next + 1 : end;
        const std::size_t offset = static_cast<std::size_t>(d - first_day) * kStripPaths;
        ws.walker.advance(d, stop - d, ws.returns.data() + offset,
                          rates ? rates + offset : nullptr);
        if (band) {
            const auto b = static_cast<std::size_t>(next - band_days_.begin()) - 1; // day 0 skipped
            const std::size_t nb = band_days_.size() - 1;
            double* v = ws.lane_values;
            for (int i = 0; i < lanes; ++i)
                v[i] = ws.walker.underlying(i);
            ws.extras.bands[b].add(v, static_cast<std::size_t>(lanes));
            for (std::size_t j = 0; j < positions_.size(); ++j) {
                for (int i = 0; i < lanes; ++i)
                    v[i] = ws.walker.value(j, i);
                ws.extras.bands[(1 + j) * nb + b].add(v, static_cast<std::size_t>(lanes));
            }
            ++next;
        }
        d = stop;
    }
}

void Simulation::record_histogram(Workspace& ws, std::size_t series, const double* x,
                                  std::size_t n) const {
    if (!config_.histogram)
        return;
    const HistogramSpec& h = *config_.histogram;
    const auto bins = static_cast<std::size_t>(h.bins);
    std::int64_t* count = ws.extras.histogram.data() + series * (bins + 2);
    const double lo = std::log(h.min);
    const double scale = static_cast<double>(bins) / (std::log(h.max) - lo);
    for (std::size_t i = 0; i < n; ++i) {
        if (!(x[i] >= h.min)) {
            ++count[0];
        } else if (x[i] >= h.max) {
            ++count[bins + 1];
        } else {
            const auto b = static_cast<std::size_t>(std::max(0.0, (std::log(x[i]) - lo) * scale));
            ++count[1 + std::min(b, bins - 1)];
        }
    }
}

QuantityStats Simulation::finish_quantity(const Moments& m, std::span<const double> values) const {
    QuantityStats q;
    q.moments = m;
    q.qs = levels_;
    if (!values.empty())
        q.values = exact_quantiles(values, levels_);
    return q;
}

QuantityStats Simulation::finish_quantity(const Moments& m, const QuantileSketch& merged) const {
    QuantityStats q;
    q.moments = m;
    q.qs = levels_;
    if (merged.count() > 0)
        for (double level : levels_)
            q.values.push_back(merged.quantile(level));
    return q;
}

void Simulation::finish_extras(std::vector<Workspace>& workspaces, SimulationResult& result) const {
    const std::size_t S = series();
    auto target = [&](std::size_t s) -> PositionResult& {
        return s == 0 ? result.underlying : result.positions[s - 1];
    };
    result.positions.resize(positions_.size());
    if (!band_days_.empty()) {
        result.band_days = band_days_;
        result.band_quantiles = config_.bands->quantiles;
        const std::size_t nb = band_days_.size() - 1;
        std::vector<QuantileSketch>& merged = workspaces[0].extras.bands;
        for (std::size_t t = 1; t < workspaces.size(); ++t)
            for (std::size_t k = 0; k < merged.size(); ++k)
                merged[k].merge(workspaces[t].extras.bands[k]);
        for (std::size_t s = 0; s < S; ++s) {
            PositionResult& r = target(s);
            r.bands.assign(1, std::vector<double>(result.band_quantiles.size(), 1.0)); // day 0
            for (std::size_t b = 0; b < nb; ++b) {
                std::vector<double> row;
                for (double q : result.band_quantiles)
                    row.push_back(merged[s * nb + b].quantile(q));
                r.bands.push_back(std::move(row));
            }
        }
    }
    if (config_.histogram) {
        const HistogramSpec& h = *config_.histogram;
        const auto bins = static_cast<std::size_t>(h.bins);
        for (std::size_t b = 0; b <= bins; ++b)
            result.histogram_edges.push_back(
                h.min *
                std::pow(h.max / h.min, static_cast<double>(b) / static_cast<double>(bins)));
        for (std::size_t s = 0; s < S; ++s) {
            std::vector<std::int64_t> sum(bins + 2, 0);
            for (const Workspace& ws : workspaces)
                for (std::size_t k = 0; k < bins + 2; ++k)
                    sum[k] += ws.extras.histogram[s * (bins + 2) + k];
            PositionResult& r = target(s);
            r.histogram_below = sum[0];
            r.histogram_above = sum[bins + 1];
            r.histogram.assign(sum.begin() + 1,
                               sum.begin() + 1 + static_cast<std::ptrdiff_t>(bins));
        }
    }
}

void Simulation::finish_exact_task(std::size_t j, std::size_t what, const BlockTallies& total,
                                   std::span<const double> S, const std::vector<double>& log_s,
                                   SimulationResult& result) const {
    const std::size_t N = S.size();
    if (j == positions_.size()) {
        const PositionTally& t = total.underlying;
        PositionResult& u = result.underlying;
        if (what == 0)
            finish_terminal_and_log(t, S, u);
        else if (what == 1)
            u.max_drawdown = finish_quantity(t.max_drawdown, store_.underlying_dd.view());
        return;
    }
    PositionResult& r = result.positions[j];
    const PositionTally& t = total.positions[j];
    const double L = positions_[j].multiple;
    const std::span<const double> x = store_.value[j].view();
    if (what == 0) {
        finish_terminal_and_log(t, x, r);
    } else if (what == 1) {
        r.max_drawdown = finish_quantity(t.max_drawdown, store_.dd[j].view());
    } else if (what == 2) {
        std::vector<double> w(N);
        for (std::size_t i = 0; i < N; ++i)
            w[i] = gap_vs_target(L, S[i], x[i]);
        r.gap = finish_quantity(t.gap, w);
    } else {
        // Log decay over paths with V_T > 0 and S_T > 0, as in run_block.
        std::vector<double> w(N);
        simd_log(x.data(), w.data(), N);
        std::size_t k = 0;
        for (std::size_t i = 0; i < N; ++i)
            if (x[i] > 0.0 && S[i] > 0.0)
                w[k++] = L * log_s[i] - w[i];
        w.resize(k);
        r.log_decay = finish_quantity(t.log_decay, w);
    }
}

SimulationResult Simulation::run() {
    const auto start = std::chrono::steady_clock::now();
    const auto P = positions_.size();
    const auto N = static_cast<std::size_t>(config_.paths);
    const std::int64_t blocks = (config_.paths + block_ - 1) / block_;

    if (exact_) {
        store_.underlying.allocate(N);
        store_.underlying_dd.allocate(N);
        store_.value.resize(P);
        store_.dd.resize(P);
        for (std::size_t j = 0; j < P; ++j) {
            store_.value[j].allocate(N);
            store_.dd[j].allocate(N);
        }
    }
    std::vector<SketchSet> sketches;
    if (!exact_)
        sketches.assign(static_cast<std::size_t>(threads_),
                        SketchSet(P, options_.sketch_relative_accuracy));
    std::vector<Workspace> workspaces(static_cast<std::size_t>(threads_),
                                      Workspace(positions_, config_.days));
    for (Workspace& ws : workspaces) {
        if (!band_days_.empty())
            ws.extras.bands.assign(series() * (band_days_.size() - 1),
                                   QuantileSketch(options_.sketch_relative_accuracy));
        if (config_.histogram)
            ws.extras.histogram.assign(
                series() * (static_cast<std::size_t>(config_.histogram->bins) + 2), 0);
    }

    BlockTallies total;
    total.positions.assign(P, PositionTally{});
    total.rebalancing.assign(P, RebalanceTally{});
    // Blocks run in groups; within a group any thread may take any block, but tallies merge
    // strictly in block order, so the floating-point result is the same for any thread count.
    // Large groups: one barrier per group, where a thread may wait for up to a block.
    const std::int64_t group = std::max<std::int64_t>(64, 32 * threads_);
    std::vector<BlockTallies> slots(static_cast<std::size_t>(std::min(group, blocks)));
    for (std::int64_t g0 = 0; g0 < blocks; g0 += group) {
        const std::int64_t g1 = std::min(blocks, g0 + group);
        RegionErrors errors; // e.g. std::bad_alloc from a band sketch growing
#pragma omp parallel for num_threads(threads_) schedule(dynamic, 1)
        for (std::int64_t blk = g0; blk < g1; ++blk) {
            errors.run([&] {
                if (options_.before_block)
                    options_.before_block(blk);
                const auto tid = static_cast<std::size_t>(omp_get_thread_num());
                run_block(blk, workspaces[tid], slots[static_cast<std::size_t>(blk - g0)],
                          exact_ ? nullptr : &sketches[tid]);
            });
        }
        errors.rethrow();
        for (std::int64_t blk = g0; blk < g1; ++blk) {
            const BlockTallies& s = slots[static_cast<std::size_t>(blk - g0)];
            total.underlying.merge(s.underlying);
            for (std::size_t j = 0; j < P; ++j) {
                total.positions[j].merge(s.positions[j]);
                total.rebalancing[j].merge(s.rebalancing[j]);
            }
        }
        if (options_.progress)
            options_.progress(std::min(config_.paths, g1 * block_));
    }
    SimulationResult result;
    finish_extras(workspaces, result);
    workspaces.clear();

    result.quantile_method = exact_ ? QuantileMethod::exact : QuantileMethod::sketch;
    result.sketch_relative_accuracy = options_.sketch_relative_accuracy;
    result.exact_quantile_limit_paths = exact_limit_;
    result.threads = threads_;
    result.positions.resize(P);

    auto fill_counts = [](PositionResult& r, const PositionTally& t) {
        r.wipeout_day = t.wipeout_day;
        r.paths = t.paths;
        r.loss = t.loss;
        r.underperform = t.underperform;
        r.wipeout = t.wipeout;
    };
    PositionResult& u = result.underlying;
    u.position = Position{DailyReset{}, 1.0, 0.0, 1.0};
    fill_counts(u, total.underlying);
    for (std::size_t j = 0; j < P; ++j) {
        result.positions[j].position = positions_[j];
        result.positions[j].rebalancing = total.rebalancing[j];
        fill_counts(result.positions[j], total.positions[j]);
    }

    if (exact_) {
        const std::span<const double> S = store_.underlying.view();
        // ln S_T once for every position; entries with S_T <= 0 are never read.
        std::vector<double> log_s(N);
        simd_log(S.data(), log_s.data(), N);
        // Four selections per position (gap, log decay, terminal with log return, drawdown)
        // and two for the underlying: independent tasks, spread over the threads.
        constexpr std::size_t kTasks = 4;
        RegionErrors errors;
#pragma omp parallel for num_threads(threads_) schedule(dynamic, 1)
        for (std::size_t task = 0; task < (P + 1) * kTasks; ++task)
            errors.run(
                [&] { finish_exact_task(task / kTasks, task % kTasks, total, S, log_s, result); });
        errors.rethrow();
    } else {
        // Sketch counts are integers: merging per-thread sketches is exact in any order.
        SketchSet& m = sketches[0];
        for (std::size_t t = 1; t < sketches.size(); ++t)
            for (std::size_t s = 0; s < m.sketches.size(); ++s)
                m.sketches[s].merge(sketches[t].sketches[s]);
        u.terminal = finish_quantity(total.underlying.terminal, m.at(0, kTerminal));
        u.log_return = finish_quantity(total.underlying.log_return, m.at(0, kLogReturn));
        u.max_drawdown = finish_quantity(total.underlying.max_drawdown, m.at(0, kMaxDrawdown));
        for (std::size_t j = 0; j < P; ++j) {
            PositionResult& r = result.positions[j];
            const PositionTally& t = total.positions[j];
            r.terminal = finish_quantity(t.terminal, m.at(1 + j, kTerminal));
            r.log_return = finish_quantity(t.log_return, m.at(1 + j, kLogReturn));
            r.gap = finish_quantity(t.gap, m.at(1 + j, kGap));
            r.log_decay = finish_quantity(t.log_decay, m.at(1 + j, kLogDecay));
            r.max_drawdown = finish_quantity(t.max_drawdown, m.at(1 + j, kMaxDrawdown));
        }
    }
    result.elapsed_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

/// Standard deviation of ln(1 + R) of one day across paths: what spreads the paths' values
/// (0 when every path is the same).
double daily_log_sd(const ScenarioConfig& config) {
    const double sqrt_dt = std::sqrt(config.dt());
    return std::visit(
        [&](const auto& m) -> double {
            using M = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<M, GbmModel>) {
                return m.sigma * sqrt_dt;
            } else if constexpr (std::is_same_v<M, TrendNoiseModel>) {
                // Student t noise has unit variance but reaches further: its extremes are
                // taken as those of a normal sqrt(df / (df - 2)) times as wide.
                return m.sigma * sqrt_dt * (m.df ? std::sqrt(*m.df / (*m.df - 2.0)) : 1.0);
            } else if constexpr (std::is_same_v<M, ChoppyModel>) {
                return m.noise_sigma_daily;
            } else if constexpr (std::is_same_v<M, BootstrapModel>) {
                if (!config.market_data || config.market_data->size() < 2)
                    return 0.0;
                const std::vector<double>& R = config.market_data->returns;
                double sum = 0.0, sum2 = 0.0;
                for (double r : R) {
                    const double x = std::log1p(std::max(r, -1.0 + 1e-12));
                    sum += x;
                    sum2 += x * x;
                }
                const double n = static_cast<double>(R.size()), mean = sum / n;
                return std::sqrt(std::max(0.0, sum2 / n - mean * mean));
            } else {
                return 0.0; // pattern, historical: one path
            }
        },
        config.model);
}

/// Heap bytes of the sketches of one thread (sketch.hpp, "Memory"): a store spans
/// width / ln(gamma) + 2 buckets of 8 bytes, between once and twice that after its doubling
/// growth (1.5 taken), at least 64.
struct SketchSizes {
    double log_gamma = 2e-3;
    double sd_daily = 0.0; ///< daily_log_sd
    double paths = 1.0;    ///< paths one thread adds to each sketch
    double reach = 0.0;    ///< sqrt(2 ln paths): the standard deviations the extremes reach
    /// The widest span in ln|x|: from the smallest counted value to the value cap.
    static constexpr double kMaxWidth = 718.4; // ln(kValueCap / 1e-12)

    static SketchSizes make(double accuracy, double sd_daily, double paths) {
        SketchSizes z;
        const double alpha_b = accuracy * (1.0 - 0x1p-12);
        z.log_gamma = std::log1p(2.0 * alpha_b / (1.0 - alpha_b));
        z.sd_daily = sd_daily;
        z.paths = std::max(1.0, paths);
        z.reach = z.paths > 1.0 ? std::sqrt(2.0 * std::log(z.paths)) : 0.0;
        return z;
    }
    double store(double width) const {
        const double buckets = std::min(width, kMaxWidth) / log_gamma + 2.0;
        return 8.0 * std::max(64.0, 1.5 * buckets) + sizeof(QuantileSketch) / 2.0;
    }
    /// Positive values of a series of multiple L on `day`, lognormal: +-reach sd.
    double positive(double L, int day) const {
        return store(2.0 * reach * std::fabs(L) * sd_daily * std::sqrt(static_cast<double>(day)));
    }
    /// One store of a quantity near zero (log return, gap, log decay, drawdown): |x| from its
    /// largest down to about 1/paths of it.
    double near_zero() const { return store(sd_daily > 0.0 ? std::log(paths) + 1.0 : 0.0); }
};

MemoryEstimate estimate(const ScenarioConfig& c, const EngineOptions& o) {
    const std::vector<Position> positions = make_positions(c);
    const double P = static_cast<double>(positions.size()), S = P + 1.0;
    const double N = static_cast<double>(c.paths), D = static_cast<double>(c.days);
    const std::int64_t block = std::max<std::int64_t>(1, o.block_paths);
    const std::int64_t blocks = (c.paths + block - 1) / block;
    const double B = static_cast<double>(std::min(block, c.paths));
    const auto threads = std::min<std::int64_t>(resolve_threads(o.threads), blocks);
    const double T = static_cast<double>(threads);
    const SketchSizes z =
        SketchSizes::make(o.sketch_relative_accuracy, daily_log_sd(c), std::ceil(N / T));
    std::vector<double> multiples{1.0}; // per series: the underlying, then each position
    for (const Position& p : positions)
        multiples.push_back(p.multiple);

    MemoryEstimate e;
    constexpr double kDouble = sizeof(double);
    if (c.paths <= exact_quantile_limit(o.exact_quantile_budget, positions.size())) {
        // The store, ln S_T, and per concurrent task a copy to select from and a work array.
        const double tasks = std::min(T, 4.0 * S);
        e.exact_store = static_cast<std::uint64_t>(kDouble * N * (2.0 * P + 3.0 + 2.0 * tasks));
    } else {
        double one = 0.0; // terminal, then 3 near-zero stores (underlying) or 7 (positions)
        for (std::size_t s = 0; s < multiples.size(); ++s)
            one += z.positive(multiples[s], c.days) + (s == 0 ? 3.0 : 7.0) * z.near_zero();
        e.quantile_sketches = static_cast<std::uint64_t>(T * one);
    }
    if (c.bands) {
        const int k = std::min(c.bands->every_days, c.days);
        double one = 0.0, band_days = 0.0;
        for (int d = k;; d = std::min(d + k, c.days)) {
            for (double L : multiples)
                one += z.positive(L, d);
            band_days += 1.0;
            if (d == c.days)
                break;
        }
        // The result's rows, and the report's numbers (JSON values and text).
        const double q = static_cast<double>(c.bands->quantiles.size());
        const double rows = S * (band_days + 1.0) * (q * (kDouble + 48.0) + 32.0);
        e.bands = static_cast<std::uint64_t>(T * one + rows);
    }
    if (c.histogram) {
        const double bins = c.histogram->bins;
        e.histograms =
            static_cast<std::uint64_t>(8.0 * S * ((T + 1.0) * (bins + 2.0) + 7.0 * bins));
    }
    double unrebalanced = 0.0;
    for (const Position& p : positions)
        unrebalanced += std::holds_alternative<Unrebalanced>(p.strategy);
    const double walker = P * (sizeof(Position) + 512.0 + 16.0 * (sizeof(InvestorLane) + kDouble)) +
                          unrebalanced * (D + 1.0) * kDouble + kDayChunk * kStripPaths * kDouble;
    const double workspace = sizeof(Workspace) + walker + 2.0 * kDayChunk * kStripPaths * kDouble +
                             B * (2.0 + 9.0 * P + 5.0) * kDouble;
    e.workspaces = static_cast<std::uint64_t>((T + 1.0) * workspace);
    const double slots =
        static_cast<double>(std::min(std::max<std::int64_t>(64, 32 * threads), blocks)) + 1.0;
    e.block_tallies = static_cast<std::uint64_t>(
        slots * (sizeof(BlockTallies) + S * sizeof(PositionTally) + P * sizeof(RebalanceTally)));
    // The program and its libraries, the scenario, a thread's stack and libgomp's per-thread
    // state (measured: a 1-path run peaks at about 5 MiB), and the market data.
    e.base = (std::uint64_t{4} << 20) + static_cast<std::uint64_t>(T * 64 * 1024);
    if (c.market_data)
        e.base += c.market_data->size() * (sizeof(Date) + 2 * sizeof(double) + sizeof(int));
    return e;
}

} // namespace

std::uint64_t MemoryEstimate::total() const {
    return exact_store + quantile_sketches + bands + histograms + workspaces + block_tallies + base;
}

MemoryEstimate estimate_memory(const ScenarioConfig& config, int threads) {
    EngineOptions options;
    options.threads = threads;
    return estimate(config, options);
}

std::uint64_t memory_limit_bytes() {
    if (const char* text = std::getenv(limits::kMemoryLimitVariable)) {
        const std::string_view v(text);
        std::int64_t mib = 0;
        const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), mib);
        if (ec != std::errc{} || end != v.data() + v.size() || mib < 1 ||
            mib > limits::kMaxMemoryLimitMiB)
            throw InputError("environment", limits::kMemoryLimitVariable,
                             "must be an integer in [1, " +
                                 std::to_string(limits::kMaxMemoryLimitMiB) + "] (MiB)",
                             std::string(v));
        return static_cast<std::uint64_t>(mib) << 20;
    }
    const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
    if (pages > 0 && page > 0)
        return static_cast<std::uint64_t>(limits::kPhysicalMemoryFraction *
                                          static_cast<double>(pages) * static_cast<double>(page));
    return static_cast<std::uint64_t>(limits::kFallbackMemoryLimitMiB) << 20;
}

void check_memory(const ScenarioConfig& config, int threads, const std::string& file,
                  const std::string& context) {
    const MemoryEstimate e = estimate_memory(config, threads);
    const std::uint64_t limit = memory_limit_bytes();
    if (e.total() <= limit)
        return;
    // Name the field behind the largest part.
    struct Part {
        std::uint64_t bytes;
        std::string field, value, advice;
    };
    const std::string positions = std::to_string(config.multiples.size()) + " multiples x " +
                                  std::to_string(config.strategies.size()) + " strategies";
    const std::vector<Part> parts{
        {e.bands, "/bands/every_days", config.bands ? std::to_string(config.bands->every_days) : "",
         "raise /bands/every_days, or lower /days, /multiples or --threads"},
        {e.histograms, "/histogram/bins",
         config.histogram ? std::to_string(config.histogram->bins) : "",
         "lower /histogram/bins or --threads"},
        {e.exact_store, "/paths", std::to_string(config.paths), "lower /paths or --threads"},
        {e.quantile_sketches, "/multiples", positions,
         "lower /multiples, /strategies or --threads"},
        {e.workspaces, "/days", std::to_string(config.days),
         "lower /days, /multiples or --threads"},
        {e.block_tallies, "/paths", std::to_string(config.paths), "lower --threads or /paths"},
    };
    const Part& top = *std::max_element(
        parts.begin(), parts.end(), [](const Part& a, const Part& b) { return a.bytes < b.bytes; });
    const auto mib = [](std::uint64_t bytes) {
        return std::to_string((bytes + (1u << 20) - 1) >> 20);
    };
    const bool from_env = std::getenv(limits::kMemoryLimitVariable) != nullptr;
    throw InputError(
        file, top.field,
        (context.empty() ? "" : context + ": ") + "the run needs about " + mib(e.total()) +
            " MiB of memory, more than the limit of " + mib(limit) + " MiB (" +
            (from_env ? std::string(limits::kMemoryLimitVariable)
                      : "3/4 of the physical memory; " + std::string(limits::kMemoryLimitVariable) +
                            " sets another") +
            "): " + top.advice,
        top.value);
}

SimulationResult simulate(const ScenarioConfig& config, const EngineOptions& options) {
    try {
        Simulation sim(config, options);
        return sim.run();
    } catch (const std::bad_alloc&) {
        // Everything the run held is freed by now.
        throw OutOfMemory(estimate(config, options).total());
    }
}

} // namespace letf

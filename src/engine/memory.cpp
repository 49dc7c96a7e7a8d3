// The memory estimate of a run (formulas in memory.hpp) and the refusal of one that would not
// fit.

#include "letf/engine/memory.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include <unistd.h>

#include "kernel.hpp"
#include "letf/models/registry.hpp"
#include "letf/base/error.hpp"
#include "letf/base/limits.hpp"
#include "letf/base/rng.hpp"
#include "letf/engine/partial.hpp"
#include "letf/stats/metrics.hpp"
#include "letf/stats/sketch.hpp"

namespace letf {

namespace {

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

/// The sketch stores of one series' quantile rows (metrics.hpp, Spread): stores spanning like
/// the value, and near-zero stores (two for a signed row).
struct SketchStores {
    double like_value = 0.0, near_zero = 0.0;
};
SketchStores sketch_stores(bool underlying, bool exact) {
    SketchStores k;
    for (const MetricDef& m : kMetrics) {
        if (!m.quantiles || !applies(m, underlying) ||
            (exact && m.exact_rule != ExactRule::sketched))
            continue;
        switch (m.spread) {
        case Spread::like_value:
            k.like_value += 1.0;
            break;
        case Spread::signed_near_zero:
            k.near_zero += 2.0;
            break;
        case Spread::near_zero:
            k.near_zero += 1.0;
            break;
        }
    }
    return k;
}

} // namespace

MemoryEstimate estimate_memory(const ScenarioConfig& c, const EngineOptions& o) {
    const std::vector<Position> positions = make_positions(c);
    const double P = static_cast<double>(positions.size()), S = P + 1.0;
    const double N = static_cast<double>(c.paths);
    const std::int64_t block =
        std::max<std::int64_t>(1, c.block_paths > 0 ? c.block_paths : o.block_paths);
    const std::int64_t blocks = (c.paths + block - 1) / block;
    const double B = static_cast<double>(std::min(block, c.paths));
    const auto threads = std::min<std::int64_t>(resolve_threads(o.threads), blocks);
    const double T = static_cast<double>(threads);
    const SketchSizes z =
        SketchSizes::make(o.sketch_relative_accuracy, model_facts(c).daily_log_sd, std::ceil(N / T));
    std::vector<double> multiples{1.0}; // per series: the underlying, then each position
    for (const Position& p : positions)
        multiples.push_back(p.multiple);

    MemoryEstimate e;
    constexpr double kDouble = sizeof(double);
    if (c.paths <= exact_quantile_limit(o.exact_quantile_budget, positions.size())) {
        // The store, ln S_T, and per concurrent task a copy to select from and a work array.
        const double tasks = std::min(T, 4.0 * S);
        e.exact_store = static_cast<std::uint64_t>(kDouble * N * (2.0 * P + 3.0 + 2.0 * tasks));
    }
    // Sketches: every quantile row beyond the exact budget, the path statistics' always.
    const bool exact = c.paths <= exact_quantile_limit(o.exact_quantile_budget, positions.size());
    double per_thread = 0.0;
    for (std::size_t s = 0; s < multiples.size(); ++s) {
        const SketchStores k = sketch_stores(s == 0, exact);
        per_thread +=
            k.like_value * z.positive(multiples[s], c.days) + k.near_zero * z.near_zero();
    }
    e.quantile_sketches = static_cast<std::uint64_t>(T * per_thread);
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
    double walker = engine::walker_bytes(positions, c.days);
    // Several assets: each asset's chunk of returns and of its index path; a portfolio's sleeves
    // (value and weight sums per lane); cash flows: per position the wealth lanes (about 1 KiB)
    // and each flow day's net flow per lane, and the day table.
    const double K = static_cast<double>(c.asset_count());
    walker += (K - 1.0) * 2.0 * kAssetStride * kDouble;
    for (const Position& p : positions)
        walker += 1024.0 + static_cast<double>(p.sleeves.size()) * 2.0 * kStripPaths * kDouble;
    double extras = 0.0;
    if (!c.cash_flows.empty()) {
        const FlowSchedule f = flow_schedule(c.cash_flows, c.days, c.dt());
        walker += P * (1024.0 + static_cast<double>(f.days.size()) * kStripPaths * kDouble) +
                  (c.days + 1.0) * (3.0 * kDouble + 1.0 + sizeof(int));
        extras += 4.0 * P;
    }
    for (const Position& p : positions)
        extras += static_cast<double>(p.sleeves.size());
    // Their sketches per thread and their columns per block.
    e.quantile_sketches += static_cast<std::uint64_t>(T * extras * z.near_zero());
    const double workspace = static_cast<double>(engine::workspace_struct_bytes()) + walker +
                             2.0 * kDayChunk * kStripPaths * kDouble +
                             B * (2.0 + 9.0 * P + 5.0 + extras) * kDouble;
    e.workspaces = static_cast<std::uint64_t>((T + 1.0) * workspace);
    const double slots =
        static_cast<double>(std::min(std::max<std::int64_t>(64, 32 * threads), blocks)) + 1.0;
    e.block_tallies = static_cast<std::uint64_t>(
        slots * (sizeof(BlockTallies) + S * sizeof(PositionTally) + P * sizeof(RebalanceTally)));
    // The program and its libraries, the scenario, a thread's stack and libgomp's per-thread
    // state (measured: a 1-path run peaks at about 5 MiB), and the market data.
    e.base = (std::uint64_t{4} << 20) + static_cast<std::uint64_t>(T * 64 * 1024);
    for (std::size_t k = 0; k < c.asset_count(); ++k)
        if (const auto& data = c.asset_data(k))
            e.base += data->size() * (sizeof(Date) + 2 * sizeof(double) + sizeof(int));
    return e;
}

std::uint64_t MemoryEstimate::total() const {
    return exact_store + quantile_sketches + bands + histograms + workspaces + block_tallies + base;
}

MemoryEstimate estimate_memory(const ScenarioConfig& config, int threads) {
    EngineOptions options;
    options.threads = threads;
    return estimate_memory(config, options);
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

} // namespace letf

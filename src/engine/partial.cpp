// PartialResult: empty shape, block-order merge, byte serialisation.

#include "letf/engine/partial.hpp"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <type_traits>

namespace letf {

BlockTallies BlockTallies::empty(std::size_t positions, std::size_t statistics,
                                 std::size_t extras) {
    BlockTallies t;
    t.series.assign(positions + 1, PositionTally{});
    t.rebalancing.assign(positions, RebalanceTally{});
    t.model.assign(statistics, Moments{});
    t.extras.assign(extras, Moments{});
    return t;
}

void BlockTallies::merge(const BlockTallies& o) {
    for (std::size_t s = 0; s < series.size(); ++s)
        series[s].merge(o.series[s]);
    for (std::size_t j = 0; j < rebalancing.size(); ++j)
        rebalancing[j].merge(o.rebalancing[j]);
    for (std::size_t k = 0; k < model.size(); ++k)
        model[k].merge(o.model[k]);
    for (std::size_t k = 0; k < extras.size(); ++k)
        extras[k].merge(o.extras[k]);
}

PartialResult empty_partial(const Plan& plan, BlockRange range) {
    PartialResult p;
    p.range = range;
    const std::size_t S = plan.series();
    if (range.first_block == 0)
        p.folded = BlockTallies::empty(plan.positions.size(), plan.facts.statistics.size(),
                                       plan.extras.size());
    const double accuracy = plan.options.sketch_relative_accuracy;
    p.extra_sketches.assign(plan.extras.size(), QuantileSketch(accuracy));
    if (plan.exact) {
        const auto n = static_cast<std::size_t>(plan.first_path(range.end_block) -
                                                plan.first_path(range.first_block));
        p.columns.resize(kStoredColumns * S);
        for (Column& c : p.columns)
            c.resize(n);
    }
    // Exact runs too: the rows whose values are not stored (ExactRule::sketched) fill theirs.
    p.sketches.assign(S * kQuantileMetricCount, QuantileSketch(accuracy));
    if (!plan.band_days.empty())
        p.bands.assign(S * (plan.band_days.size() - 1), QuantileSketch(accuracy));
    if (plan.config->histogram)
        p.histogram.assign(S * (static_cast<std::size_t>(plan.config->histogram->bins) + 2), 0);
    p.survival.assign(S * kSurvivalCurves * plan.survival_days.size(), 0);
    return p;
}

void merge(PartialResult& left, PartialResult&& right) {
    if (left.range.end_block != right.range.first_block)
        throw std::invalid_argument("merge: the partials are not adjacent block ranges");
    if (left.sketches.size() != right.sketches.size() ||
        left.columns.size() != right.columns.size() || left.bands.size() != right.bands.size() ||
        left.extra_sketches.size() != right.extra_sketches.size() ||
        left.histogram.size() != right.histogram.size() ||
        left.survival.size() != right.survival.size())
        throw std::invalid_argument("merge: the partials are not of the same plan");
    if (left.range.first_block == 0) {
        for (const BlockTallies& t : right.pending)
            left.folded.merge(t);
    } else {
        for (BlockTallies& t : right.pending)
            left.pending.push_back(std::move(t));
    }
    for (std::size_t k = 0; k < left.sketches.size(); ++k)
        left.sketches[k].merge(right.sketches[k]);
    for (std::size_t k = 0; k < left.columns.size(); ++k)
        left.columns[k].insert(left.columns[k].end(), right.columns[k].begin(),
                               right.columns[k].end());
    for (std::size_t k = 0; k < left.bands.size(); ++k)
        left.bands[k].merge(right.bands[k]);
    for (std::size_t k = 0; k < left.extra_sketches.size(); ++k)
        left.extra_sketches[k].merge(right.extra_sketches[k]);
    for (std::size_t k = 0; k < left.histogram.size(); ++k)
        left.histogram[k] += right.histogram[k];
    for (std::size_t k = 0; k < left.survival.size(); ++k)
        left.survival[k] += right.survival[k];
    left.range.end_block = right.range.end_block;
    right = PartialResult{};
}

namespace {

static_assert(std::endian::native == std::endian::little,
              "the byte format is little-endian; add byte swaps for this target");

constexpr std::uint64_t kNoPositions = ~std::uint64_t{0};
/// Bounds of what a partial of a real run holds: counts of paths (limits::kMaxPaths is 10^12),
/// and a moment's scale, a binary exponent of a double (accumulators.hpp).
constexpr std::int64_t kMaxCount = std::int64_t{1} << 53;
constexpr std::int64_t kMaxScale = 1100;
constexpr char kMagic[8] = {'l', 'e', 't', 'f', 'P', 'R', '0', '4'};

/// Appends plain values (little-endian, as in memory).
struct Writer {
    std::string bytes;
    template <class T> void put(T x) {
        static_assert(std::is_trivially_copyable_v<T>);
        bytes.append(reinterpret_cast<const char*>(&x), sizeof x);
    }
    template <class V> void put_array(const V& v) {
        put<std::uint64_t>(v.size());
        bytes.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(v[0]));
    }
    void moments(const Moments& m) {
        put<std::int64_t>(m.count);
        put(m.mean);
        put(m.m2);
        put(m.min);
        put(m.max);
        put<std::int64_t>(m.scale);
    }
    void tallies(const BlockTallies& t);
    void sketch(const QuantileSketch& q) {
        const QuantileSketch::State s = q.state();
        put(s.relative_accuracy);
        put(s.min_abs);
        put(s.count);
        put(s.zero_count);
        for (int k = 0; k < 2; ++k) {
            put(s.offset[k]);
            put_array(s.counts[k]);
        }
    }
};

void Writer::tallies(const BlockTallies& t) {
    for (const PositionTally& s : t.series) {
        for (const Moments& m : s.metrics)
            moments(m);
        put(s.paths);
        put(s.loss);
        put(s.underperform);
        put(s.wipeout);
        put(s.beat_index);
        put(s.under_water_end);
    }
    for (const RebalanceTally& r : t.rebalancing)
        for (const Moments* m : {&r.trades, &r.turnover, &r.cash_added, &r.cash_withdrawn,
                                 &r.transaction_costs, &r.forced_deleverages})
            moments(*m);
    for (const Moments& m : t.model)
        moments(m);
    for (const Moments& m : t.extras)
        moments(m);
}

/// Reads what Writer wrote; throws std::runtime_error past the end.
struct Reader {
    const std::string& bytes;
    std::size_t at = 0;
    /// The parameters every sketch of the plan has (an empty one's state).
    QuantileSketch::State expected{};

    void need(std::size_t n) const {
        if (n > bytes.size() - at)
            throw std::runtime_error("partial result: truncated bytes");
    }
    template <class T> T get() {
        need(sizeof(T));
        T x;
        std::memcpy(&x, bytes.data() + at, sizeof x);
        at += sizeof x;
        return x;
    }
    template <class V> void get_array(V& v) {
        const auto n = get<std::uint64_t>();
        if (n > (bytes.size() - at) / sizeof(v[0]))
            throw std::runtime_error("partial result: truncated bytes");
        v.resize(static_cast<std::size_t>(n));
        if (n > 0) // an empty vector's data() may be null, which memcpy must not get
            std::memcpy(v.data(), bytes.data() + at, v.size() * sizeof(v[0]));
        at += v.size() * sizeof(v[0]);
    }
    /// A path count: in [0, 2^53] (a partial of any real run), so that merges cannot overflow.
    std::int64_t count() {
        const auto n = get<std::int64_t>();
        if (n < 0 || n > kMaxCount)
            throw std::runtime_error("partial result: a count is out of range");
        return n;
    }
    Moments moments() {
        Moments m;
        m.count = count();
        m.mean = get<double>();
        m.m2 = get<double>();
        m.min = get<double>();
        m.max = get<double>();
        // A binary exponent (accumulators.hpp): beyond any double's it is damage (found by
        // fuzz_partial), never truncated into another scale or doubled past int's range.
        const auto scale = get<std::int64_t>();
        if (scale < -kMaxScale || scale > kMaxScale)
            throw std::runtime_error("partial result: a moment's scale is out of range");
        m.scale = static_cast<int>(scale);
        return m;
    }
    BlockTallies tallies(std::size_t positions, std::size_t statistics, std::size_t extras);
    QuantileSketch sketch() {
        QuantileSketch::State s;
        s.relative_accuracy = get<double>();
        s.min_abs = get<double>();
        s.count = get<std::uint64_t>();
        s.zero_count = get<std::uint64_t>();
        // The plan's parameters, and bucket indices within what a double can reach at them
        // (|ln x| <= 745 for any non-zero double; a store may hold up to as much slack again):
        // damage otherwise (found by fuzz_partial), never a merge of unlike sketches or an
        // allocation for a span no run makes.
        if (s.relative_accuracy != expected.relative_accuracy || s.min_abs != expected.min_abs)
            throw std::runtime_error("partial result: a sketch does not fit the plan");
        const double log_gamma = std::log1p(2.0 * s.relative_accuracy / (1.0 - s.relative_accuracy));
        const auto reach = static_cast<std::int64_t>(4.0 * 745.0 / log_gamma) + 1024;
        for (int k = 0; k < 2; ++k) {
            s.offset[k] = get<std::int64_t>();
            get_array(s.counts[k]);
            if (s.offset[k] < -reach || s.offset[k] > reach ||
                static_cast<std::int64_t>(s.counts[k].size()) > 2 * reach)
                throw std::runtime_error("partial result: a sketch's buckets are out of range");
        }
        try {
            return QuantileSketch::from_state(s);
        } catch (const std::invalid_argument& e) {
            throw std::runtime_error(std::string("partial result: ") + e.what());
        }
    }
};

BlockTallies Reader::tallies(std::size_t positions, std::size_t statistics, std::size_t extras) {
    BlockTallies t = BlockTallies::empty(positions, statistics, extras);
    for (PositionTally& s : t.series) {
        for (Moments& m : s.metrics)
            m = moments();
        s.paths = count();
        s.loss = count();
        s.underperform = count();
        s.wipeout = count();
        s.beat_index = count();
        s.under_water_end = count();
    }
    for (RebalanceTally& r : t.rebalancing)
        for (Moments* m : {&r.trades, &r.turnover, &r.cash_added, &r.cash_withdrawn,
                           &r.transaction_costs, &r.forced_deleverages})
            *m = moments();
    for (Moments& m : t.model)
        m = moments();
    for (Moments& m : t.extras)
        m = moments();
    return t;
}

} // namespace

std::string serialize(const PartialResult& p) {
    Writer w;
    w.bytes.append(kMagic, sizeof kMagic);
    w.put(p.range.first_block);
    w.put(p.range.end_block);
    // The number of positions, from whichever tallies the partial holds (none: an empty range).
    const BlockTallies* any = p.range.first_block == 0 ? &p.folded
                              : p.pending.empty()      ? nullptr
                                                       : &p.pending[0];
    w.put<std::uint64_t>(any ? any->rebalancing.size() : kNoPositions);
    w.put<std::uint64_t>(kMetricCount);
    w.put<std::uint64_t>(any ? any->model.size() : 0);
    w.put<std::uint64_t>(p.pending.size());
    if (p.range.first_block == 0)
        w.tallies(p.folded);
    for (const BlockTallies& t : p.pending)
        w.tallies(t);
    for (const auto* sketches : {&p.sketches, &p.bands, &p.extra_sketches}) {
        w.put<std::uint64_t>(sketches->size());
        for (const QuantileSketch& q : *sketches)
            w.sketch(q);
    }
    w.put<std::uint64_t>(p.columns.size());
    for (const Column& c : p.columns)
        w.put_array(c);
    w.put_array(p.histogram);
    w.put_array(p.survival);
    return std::move(w.bytes);
}

PartialResult deserialize(const Plan& plan, const std::string& bytes) {
    Reader r{bytes};
    r.expected = QuantileSketch(plan.options.sketch_relative_accuracy).state();
    r.need(sizeof kMagic);
    if (std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
        throw std::runtime_error("partial result: not a letfsim partial result (bad magic)");
    r.at = sizeof kMagic;
    PartialResult p;
    p.range.first_block = r.get<std::int64_t>();
    p.range.end_block = r.get<std::int64_t>();
    const auto positions = r.get<std::uint64_t>();
    const auto metrics = r.get<std::uint64_t>();
    const auto statistics = r.get<std::uint64_t>();
    const auto pending = r.get<std::uint64_t>();
    const std::size_t K = plan.facts.statistics.size();
    const BlockRange& g = p.range;
    if ((positions != plan.positions.size() && !(positions == kNoPositions && pending == 0)) ||
        metrics != kMetricCount || (statistics != K && !(statistics == 0 && pending == 0)) ||
        g.first_block < 0 || g.end_block < g.first_block ||
        g.end_block > plan.blocks ||
        pending != static_cast<std::uint64_t>(g.first_block == 0 ? 0 : g.end_block - g.first_block))
        throw std::runtime_error("partial result: does not fit the plan");
    if (g.first_block == 0)
        p.folded = r.tallies(plan.positions.size(), K, plan.extras.size());
    for (std::uint64_t b = 0; b < pending; ++b)
        p.pending.push_back(r.tallies(plan.positions.size(), K, plan.extras.size()));
    for (auto* sketches : {&p.sketches, &p.bands, &p.extra_sketches}) {
        const auto n = r.get<std::uint64_t>();
        for (std::uint64_t k = 0; k < n; ++k)
            sketches->push_back(r.sketch());
    }
    const auto columns = r.get<std::uint64_t>();
    if (columns != (plan.exact ? kStoredColumns * plan.series() : 0))
        throw std::runtime_error("partial result: does not fit the plan");
    p.columns.resize(static_cast<std::size_t>(columns));
    for (Column& c : p.columns)
        r.get_array(c);
    r.get_array(p.histogram);
    r.get_array(p.survival);
    for (const auto* counts : {&p.histogram, &p.survival})
        for (const std::int64_t n : *counts)
            if (n < 0 || n > kMaxCount)
                throw std::runtime_error("partial result: a count is out of range");
    const PartialResult shape = empty_partial(plan, BlockRange{g.first_block, g.first_block});
    if (r.at != bytes.size() || p.sketches.size() != shape.sketches.size() ||
        p.bands.size() != shape.bands.size() || p.columns.size() != shape.columns.size() ||
        p.extra_sketches.size() != shape.extra_sketches.size() ||
        p.histogram.size() != shape.histogram.size() || p.survival.size() != shape.survival.size())
        throw std::runtime_error("partial result: does not fit the plan");
    const auto paths =
        static_cast<std::size_t>(plan.first_path(g.end_block) - plan.first_path(g.first_block));
    for (const Column& c : p.columns)
        if (c.size() != paths)
            throw std::runtime_error("partial result: does not fit the plan");
    return p;
}

} // namespace letf

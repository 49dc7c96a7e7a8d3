#include "letf/fit/stylized_facts.hpp"

#include <cmath>
#include <vector>

#include "letf/config/scenario.hpp"
#include "letf/engine/engine.hpp"
#include "letf/models/strip_source.hpp"

namespace letf {
namespace {

double autocorrelation(std::span<const double> a, double mean, double ss, int lag) {
    const auto l = static_cast<std::size_t>(lag);
    double s = 0.0;
    for (std::size_t t = 0; t + l < a.size(); ++t)
        s += (a[t] - mean) * (a[t + l] - mean);
    return ss > 0 ? s / ss : 0.0;
}

void add(StylizedFacts& sum, const StylizedFacts& f) {
    sum.annual_volatility += f.annual_volatility;
    sum.excess_kurtosis += f.excess_kurtosis;
    for (int i = 0; i < 3; ++i)
        sum.acf_abs[i] += f.acf_abs[i];
    sum.beyond_3sd += f.beyond_3sd;
    sum.beyond_5sd += f.beyond_5sd;
}

void scale(StylizedFacts& f, double c) {
    f.annual_volatility *= c;
    f.excess_kurtosis *= c;
    for (double& a : f.acf_abs)
        a *= c;
    f.beyond_3sd *= c;
    f.beyond_5sd *= c;
}

} // namespace

StylizedFacts stylized_facts(std::span<const double> r, double dt) {
    const auto n = static_cast<double>(r.size());
    double mean = 0.0;
    for (double x : r)
        mean += x;
    mean /= n;
    double m2 = 0.0, m4 = 0.0;
    for (double x : r) {
        const double d = (x - mean) * (x - mean);
        m2 += d;
        m4 += d * d;
    }
    m2 /= n;
    m4 /= n;
    const double sd = std::sqrt(m2);
    StylizedFacts f;
    f.annual_volatility = sd / std::sqrt(dt);
    f.excess_kurtosis = m2 > 0 ? m4 / (m2 * m2) - 3.0 : 0.0;
    std::vector<double> a(r.size());
    double abs_mean = 0.0;
    for (std::size_t t = 0; t < r.size(); ++t) {
        a[t] = std::abs(r[t]);
        abs_mean += a[t];
    }
    abs_mean /= n;
    double ss = 0.0;
    for (double x : a)
        ss += (x - abs_mean) * (x - abs_mean);
    // |R| constant to rounding (a series of +-x): no autocorrelation to speak of, rather than
    // the ratio of two rounding errors.
    if (ss <= n * 1e-24 * abs_mean * abs_mean)
        ss = 0.0;
    for (int i = 0; i < 3; ++i)
        f.acf_abs[i] = autocorrelation(a, abs_mean, ss, StylizedFacts::kLags[i]);
    for (double x : r) {
        f.beyond_3sd += std::abs(x - mean) > 3 * sd ? 1.0 : 0.0;
        f.beyond_5sd += std::abs(x - mean) > 5 * sd ? 1.0 : 0.0;
    }
    f.beyond_3sd /= n;
    f.beyond_5sd /= n;
    return f;
}

StylizedFacts simulated_stylized_facts(const PathModel& model, int days, int paths,
                                       std::uint64_t seed, double dt,
                                       std::shared_ptr<const MarketData> data) {
    const StripSource source(model, dt, days, std::move(data));
    const auto d = static_cast<std::size_t>(days);
    std::vector<double> strip(d * kStripPaths), path(d);
    StylizedFacts sum;
    for (int first = 0; first < paths; first += kStripPaths) {
        const auto first_path = static_cast<std::uint64_t>(first);
        StripRng rng = StripRng::for_paths(seed, first_path);
        StripSource::State state = source.start(seed, first_path);
        for (int day = 1; day <= days; day += kDayChunk) {
            const int chunk = std::min(kDayChunk, days - day + 1);
            source.fill(day, chunk, rng, state,
                        strip.data() + static_cast<std::size_t>(day - 1) * kStripPaths);
        }
        for (int lane = 0; lane < kStripPaths && first + lane < paths; ++lane) {
            for (std::size_t t = 0; t < d; ++t)
                path[t] = strip[t * kStripPaths + static_cast<std::size_t>(lane)];
            add(sum, stylized_facts(path, dt));
        }
    }
    scale(sum, 1.0 / paths);
    return sum;
}

DecayQuantiles decay_quantiles(const PathModel& model, double multiple, std::int64_t paths,
                               std::uint64_t seed) {
    ScenarioConfig c;
    c.name = "fit_decay";
    c.seed = seed;
    c.paths = paths;
    c.days = 252;
    c.model = model;
    c.multiples = {multiple};
    c.strategies = {DailyReset{}};
    load_market_data(c);
    EngineOptions options;
    options.threads = 1; // small runs; the result does not depend on it anyway
    const SimulationResult r = simulate(c, options);
    const QuantityStats& q = r.positions.at(0)[metric::log_decay];
    return {q.quantile(0.05).value_or(NAN), q.quantile(0.5).value_or(NAN),
            q.quantile(0.95).value_or(NAN)};
}

} // namespace letf

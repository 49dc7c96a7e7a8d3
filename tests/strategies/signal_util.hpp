#pragma once
// Helpers of the signal strategy tests (signal_test.cpp, signal_walk_test.cpp): a strip walked
// day by day with the same returns in every lane, and a report without run_info.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "letf/engine/engine.hpp"
#include "letf/output/report.hpp"
#include "letf/strategies/strategy.hpp"
#include "test_util.hpp"

namespace letf::signal_test {

/// V_t/V_0 of position j for t = 1..days (entry t - 1) on a strip whose 16 lanes all take
/// returns[t - 1] on day t; one day per advance(), so each day's value is seen.
inline std::vector<double> values_per_day(const ScenarioConfig& c, std::size_t j,
                                          const std::vector<double>& returns) {
    StripWalker w(make_positions(c), c.days);
    w.reset();
    std::vector<double> out;
    double day_returns[kStripPaths];
    for (int t = 1; t <= c.days; ++t) {
        std::fill_n(day_returns, kStripPaths, returns[static_cast<std::size_t>(t - 1)]);
        w.advance(t, 1, day_returns);
        out.push_back(w.value(j, 0));
    }
    return out;
}

/// The returns of a pattern repeated over `days` days.
inline std::vector<double> repeat(const std::vector<double>& pattern, int days) {
    std::vector<double> out;
    for (int t = 0; t < days; ++t)
        out.push_back(pattern[static_cast<std::size_t>(t) % pattern.size()]);
    return out;
}

inline nlohmann::ordered_json report_of(const ScenarioConfig& c, int threads) {
    nlohmann::ordered_json j = build_report(c, simulate(c, {.threads = threads}));
    j.erase("run_info");
    return j;
}

} // namespace letf::signal_test

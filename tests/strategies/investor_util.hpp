#pragma once
// Helpers of the investor tests (investor_test.cpp, investor_config_test.cpp): strategy entries,
// CSV text of prices and rates, and finding a position's result.

#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "letf/engine/engine.hpp"
#include "letf/market/market_data.hpp"
#include "letf/strategies/registry.hpp"
#include "test_util.hpp"

namespace letf::investor_test {

// The shared test helpers these tests use, brought in with `using namespace investor_test`.
using test::pattern_scenario;
using test::TempDir;
using test::within_se;

inline Strategy calendar(int every, double bps = 0.0) {
    return CalendarRebalance{.every_days = every, .transaction_cost_bps = bps};
}

inline Strategy band(double b) {
    return BandRebalance{.band = b, .every_days = 1};
}

inline Strategy target(std::optional<int> every, std::optional<double> b = std::nullopt,
                       std::optional<double> mm = std::nullopt) {
    return TargetLeverage{.every_days = every, .band = b, .maintenance_margin = mm};
}

/// `n` + 1 closes on consecutive weekdays from 2020-01-06 (never a gap over 3 days), from a
/// fixed, irregular return sequence; returns the CSV text and the n returns.
inline std::string price_csv(int n, std::vector<double>* returns = nullptr) {
    std::string text = "date,close\n";
    Date d = *parse_date("2020-01-06");
    double close = 100.0;
    for (int i = 0; i <= n; ++i) {
        if (i > 0) {
            const double r = 0.02 * std::sin(1.7 * i) + 0.004 * std::cos(0.3 * i * i);
            close *= 1.0 + r;
            if (returns)
                returns->push_back(r);
            d += std::chrono::days(std::chrono::weekday(d) == std::chrono::Friday ? 3 : 1);
        }
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.10f", close);
        text += format_date(d) + "," + buf + "\n";
    }
    return text;
}

/// Annual percent rates on every calendar day from 2019-12-01 for `days` days.
inline std::string rate_csv(int days, double percent_base, double percent_step) {
    std::string text = "date,close\n";
    Date d = *parse_date("2019-12-01");
    for (int i = 0; i < days; ++i, d += std::chrono::days(1)) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.4f", percent_base + percent_step * (i % 7));
        text += format_date(d) + "," + buf + "\n";
    }
    return text;
}

inline const PositionResult& find(const SimulationResult& r, const Strategy& s, double L) {
    for (const auto& p : r.positions)
        if (p.position.strategy == s && p.position.multiple == L)
            return p;
    ADD_FAILURE() << "no result for " << strategy_label(s) << " L = " << L;
    return r.positions.front();
}

} // namespace letf::investor_test

#pragma once
// Helpers shared by the tests: building scenarios in code and checking statistics.

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/config/scenario.hpp"
#include "letf/models/registry.hpp"

namespace letf::test {

/// A scenario with a gbm model and no costs; callers adjust fields.
inline ScenarioConfig gbm_scenario(double mu, double sigma, std::vector<double> multiples,
                                   std::int64_t paths, int days) {
    ScenarioConfig c;
    c.name = "test";
    c.seed = 12345;
    c.paths = paths;
    c.days = days;
    c.model = GbmModel{mu, sigma};
    c.multiples = std::move(multiples);
    return c;
}

/// A deterministic scenario: returns_daily repeated, one path.
inline ScenarioConfig pattern_scenario(std::vector<double> returns, std::vector<double> multiples,
                                       int days) {
    ScenarioConfig c;
    c.name = "pattern";
    c.paths = 1;
    c.days = days;
    c.model = PatternModel{std::move(returns)};
    c.multiples = std::move(multiples);
    return c;
}

/// The model object `text` (at /model of s.json) is refused with an InputError at `where` whose
/// message contains `part`.
inline void expect_model_error(const std::string& text, const std::string& where,
                               const std::string& part = "") {
    SCOPED_TRACE(text);
    try {
        parse_model(nlohmann::json::parse(text), "s.json");
        ADD_FAILURE() << "accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where(), where);
        EXPECT_NE(e.message().find(part), std::string::npos) << e.message();
    }
}

/// n closes of a made-up index from a fixed xorshift recurrence (no data set is needed): each day
/// multiplies the price by 1 + amplitude (u - centre), u uniform on [0, 1).
inline std::vector<double> made_up_closes(int n, double start, double amplitude, double centre) {
    std::vector<double> out;
    double price = start;
    std::uint64_t x = 88172645463325252ull;
    for (int d = 0; d < n; ++d) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        price *= 1.0 + amplitude * (static_cast<double>(x >> 11) * 0x1p-53 - centre);
        out.push_back(price);
    }
    return out;
}

/// Day d (0-based) of a made-up calendar of 28 days a month from January 1 of `year`: dates
/// increase and no gap exceeds 4 days (up to 336 days).
inline std::string made_up_date(int year, int d) {
    const int month = 1 + d / 28, day = 1 + d % 28;
    return std::to_string(year) + "-" + (month < 10 ? "0" : "") + std::to_string(month) + "-" +
           (day < 10 ? "0" : "") + std::to_string(day);
}

/// |estimate - exact| < k * std_error with k = 5: prints all four on failure.
inline ::testing::AssertionResult within_se(double estimate, double exact, double std_error,
                                            double k = 5.0) {
    const double diff = estimate - exact;
    if (std_error > 0.0 && std::fabs(diff) < k * std_error)
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "estimate " << estimate << ", exact " << exact << ", difference " << diff
           << ", tolerance " << k << " x std_error " << std_error << " = " << k * std_error;
}

/// A fresh folder under the system temporary folder, named after the running test, removed with
/// everything in it.
class TempDir {
public:
    TempDir() {
        static std::atomic<int> counter{0};
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        std::string name = info ? std::string(info->name()) : std::string("test");
        std::replace_if(
            name.begin(), name.end(), [](char ch) { return !std::isalnum(ch); }, '_');
        path_ =
            std::filesystem::temp_directory_path() / ("letf_test_" + std::to_string(::getpid()) +
                                                      "_" + std::to_string(counter++) + "_" + name);
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
    /// Writes `text` to the file `name` in the folder and returns its path.
    std::filesystem::path write(const std::string& name, const std::string& text) const {
        std::ofstream(path_ / name, std::ios::binary) << text;
        return path_ / name;
    }

private:
    std::filesystem::path path_;
};

} // namespace letf::test

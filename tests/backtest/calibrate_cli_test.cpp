// `letfsim calibrate` in-process: the outputs of -o (calibration.json usable by backtest
// --cost-model and as a scenario's costs), and every class of bad input exiting 2 with one line
// naming the file or flag, the field and the value.

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/cli_run.hpp"
#include "letf/config/calibration.hpp"
#include "test_util.hpp"

namespace letf {
namespace {

using namespace letf::test; // NOLINT: the helpers of every CLI test

/// Weekday closes: an index and a 3x fund built with ER 0.9 %, rate 2 % constant... the fund's
/// costs need not match any model here: these tests are about the command, not the fit.
std::string csv(std::size_t days, double drift, double wobble) {
    std::string out = "date,close\n";
    Date d = *parse_date("2015-01-05");
    double close = 100.0;
    for (std::size_t i = 0; i < days; ++i) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%s,%.12g\n", format_date(d).c_str(), close);
        out += buf;
        do {
            d += std::chrono::days(1);
        } while (std::chrono::weekday(d) == std::chrono::Saturday ||
                 std::chrono::weekday(d) == std::chrono::Sunday);
        close *= 1.0 + drift + wobble * std::sin(0.7 * static_cast<double>(i));
    }
    return out;
}

/// A FRED download as it comes: observation_date,DTB3 with '.' on a holiday.
std::string fred_rates() {
    std::string out = "observation_date,DTB3\n";
    Date d = *parse_date("2014-12-01");
    for (int i = 0; i < 900; ++i, d += std::chrono::days(7)) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%s,%.3f\n", format_date(d).c_str(), 1.0 + 0.002 * i);
        out += i == 3 ? format_date(d) + ",.\n" : std::string(buf);
    }
    return out;
}

class CalibrateCli : public ::testing::Test {
protected:
    CalibrateCli() {
        dir.write("IDX.csv", csv(400, 0.0004, 0.01));
        dir.write("UP.csv", csv(400, 0.0009, 0.03));
        dir.write("DN.csv", csv(400, -0.0010, -0.02));
        dir.write("DTB3.csv", fred_rates());
    }
    /// FUNDS.json with `extra` top-level keys and `fund0` extra keys in the first fund.
    /// `costs` extra keys in the cost model.
    std::string funds(const std::string& extra = "", const std::string& fund0 = "",
                      const std::string& costs = "") const {
        return (dir.write(
                    "funds.json",
                    R"({"costs": {"financing_rate": {"csv": "DTB3.csv", "max_gap_days": 20})" +
                        costs + "}," + extra +
                        R"( "funds": [{"fund": "UP.csv", "index": "IDX.csv", "multiple": 3,
                                "expense_ratio": 0.009)" +
                        fund0 + R"(},
                               {"fund": "DN.csv", "index": "IDX.csv", "multiple": -2,
                                "expense_ratio": 0.009}]})"))
            .string();
    }
    /// Runs calibrate with `args`, expecting exit 2 and one error line naming `where` and `value`.
    void expect_bad(const std::vector<std::string>& args, const std::string& file,
                    const std::string& where, const std::string& value) const {
        std::vector<std::string> all{"calibrate"};
        all.insert(all.end(), args.begin(), args.end());
        const CliResult r = run_cli(all);
        SCOPED_TRACE(r.err);
        EXPECT_EQ(r.code, 2);
        EXPECT_TRUE(one_line(r.err));
        EXPECT_NE(r.err.find(file), std::string::npos) << "file " << file;
        EXPECT_NE(r.err.find(where), std::string::npos) << "field " << where;
        EXPECT_NE(r.err.find(value), std::string::npos) << "value " << value;
        EXPECT_TRUE(r.out.empty());
    }
    TempDir dir;
};

TEST_F(CalibrateCli, WritesACostModelThatBacktestAndRunRead) {
    const std::string out = (dir / "cal").string();
    const CliResult r = run_cli({"calibrate", funds(), "--fit", "b,spread_long,spread_short",
                                 "--objective", "least_squares", "-o", out});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("worst |gap| out of sample"), std::string::npos) << r.out;
    EXPECT_EQ(folder_entries(out),
              (std::vector<std::string>{"calibration.json", "report.json", "table.md"}));
    const nlohmann::json model = nlohmann::json::parse(read_file(dir / "cal/calibration.json"));
    EXPECT_EQ(model["financing_rate"]["csv"], "../DTB3.csv"); // relative to the folder
    const nlohmann::json report = nlohmann::json::parse(read_file(dir / "cal/report.json"));
    EXPECT_EQ(report["fitted"]["b"], model["financing_markup"]);

    // backtest under the fitted model: its rate series and parameters, the fund's own ER.
    const CliResult b = run_cli({"backtest", "--index", (dir / "IDX.csv").string(), "--fund",
                                 (dir / "UP.csv").string(), "--multiple", "3", "--expense-ratio",
                                 "0.009", "--cost-model", (dir / "cal/calibration.json").string(),
                                 "--start", report["funds"][0]["test"]["start"], "--json"});
    ASSERT_EQ(b.code, 0) << b.err;
    const nlohmann::json bj = nlohmann::json::parse(b.out);
    EXPECT_EQ(bj["gap_per_year"], report["funds"][0]["test"]["gap_per_year"]);

    // A scenario's costs: the file itself, with daily_reset on a historical model.
    const std::string scenario =
        dir.write("s.json", R"({"name": "cal", "model": {"type": "historical", "csv": "IDX.csv"},
                               "multiples": [3], "strategies": ["daily_reset"],
                               "costs": {"file": "cal/calibration.json"}})")
            .string();
    const CliResult v = run_cli({"validate", scenario});
    EXPECT_EQ(v.code, 0) << v.err;
}

TEST_F(CalibrateCli, BadFlagsExit2NamingTheFlag) {
    const std::string f = funds();
    expect_bad({f, "--fit", "b,spread_lng"}, "command line", "--fit", "spread_lng");
    expect_bad({f, "--fit", "b,b"}, "command line", "--fit", "\"b\"");
    expect_bad({f, "--objective", "mean"}, "command line", "--objective", "mean");
    expect_bad({f, "--gaps", "monthly"}, "command line", "--gaps", "monthly");
    expect_bad({f, "--split", "1.5"}, "command line", "--split", "1.5");
    expect_bad({f, "--train-end", "2015-13-01"}, "command line", "--train-end", "2015-13-01");
}

TEST_F(CalibrateCli, WindowsOutsideTheDataExit2NamingTheFund) {
    const std::string f = funds();
    expect_bad({f, "--train-end", "1999-01-04"}, "funds.json", "/funds/0", "1999-01-04");
    expect_bad({f, "--train-end", "2030-01-04"}, "funds.json", "/funds/0", "2030-01-04");
    expect_bad({f, "--split", "0.001"}, "funds.json", "/funds/0", "empty training or test");
}

TEST_F(CalibrateCli, BadFieldsExit2NamingThePointer) {
    expect_bad({funds(R"( "fit": ["b", "zz"],)")}, "funds.json", "/fit", "zz");
    expect_bad({funds(R"( "objective": "mean",)")}, "funds.json", "/objective", "mean");
    expect_bad({funds(R"( "gaps": "weekly",)")}, "funds.json", "/gaps", "weekly");
    expect_bad({funds(R"( "split": 1,)")}, "funds.json", "/split", "1");
    expect_bad({funds(R"( "split": 0.5, "train_end": "2016-01-04",)")}, "funds.json", "/train_end",
               "2016-01-04");
    expect_bad({funds("", "", R"(, "financing_markup": 20)")}, "funds.json",
               "/costs/financing_markup", "20");
    expect_bad({funds("", "", R"(, "day_count": "30/360")")}, "funds.json", "/costs/day_count",
               "30/360");
    expect_bad({funds("", R"(, "multiple": 0)")}, "funds.json", "/funds/0", "");
    expect_bad({funds("", R"(, "expnse_ratio": 0.01)")}, "funds.json", "/funds/0/expnse_ratio",
               "0.01");
    expect_bad(
        {funds("", R"(, "expense_schedule": [{"from": "2016-02-30", "expense_ratio": 0.01}])")},
        "funds.json", "/funds/0/expense_schedule/0/from", "2016-02-30");
    expect_bad({funds(R"( "data_dir": "nowhere",)")}, "nowhere/IDX.csv", "cannot open", "");
}

TEST_F(CalibrateCli, BacktestCostModelBadFieldExit2NamingThePointer) {
    const std::string model = dir.write("m.json", R"({"financing_markup": "x"})").string();
    const CliResult r =
        run_cli({"backtest", "--index", (dir / "IDX.csv").string(), "--fund",
                 (dir / "UP.csv").string(), "--multiple", "3", "--cost-model", model});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(one_line(r.err));
    EXPECT_NE(r.err.find("m.json: /financing_markup"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("\"x\""), std::string::npos) << r.err;
}

TEST_F(CalibrateCli, ShippedFundsFilesParse) {
    int count = 0;
    for (const auto& e : std::filesystem::directory_iterator(std::string(LETF_SOURCE_DIR) +
                                                             "/configs/calibration")) {
        EXPECT_NO_THROW(load_calibration(e.path().string())) << e.path();
        ++count;
    }
    EXPECT_GE(count, 1);
}

} // namespace
} // namespace letf

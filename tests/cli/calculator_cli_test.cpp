// `letfsim rebalance` and `letfsim backtest` run in-process: outputs, JSON and exit codes.

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "cli/cli_run.hpp"
#include "test_util.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using letf::test::CliResult;
using letf::test::run_cli;

bool single_line(const std::string& s) {
    return !s.empty() && s.find('\n') == s.size() - 1;
}

TEST(RebalanceCli, InvestorExampleInTextAndJson) {
    const CliResult text = run_cli({"rebalance", "--initial", "100", "--index-return", "0.05",
                                    "--current", "90", "--multiple", "-1"});
    ASSERT_EQ(text.code, 0) << text.err;
    EXPECT_NE(text.out.find("105.00"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("+15.00"), std::string::npos) << text.out;

    const CliResult j = run_cli(
        {"rebalance", "--initial", "100", "--index-return", "0.05", "--current", "90", "--json"});
    ASSERT_EQ(j.code, 0) << j.err;
    EXPECT_TRUE(single_line(j.out)) << j.out;
    const json v = json::parse(j.out);
    EXPECT_EQ(v.at("calculation"), "investor");
    EXPECT_NEAR(v.at("target").get<double>(), 105.0, 1e-9);
    EXPECT_NEAR(v.at("trade").get<double>(), 15.0, 1e-9);
    EXPECT_EQ(v.at("action"), "buy");
    EXPECT_TRUE(v.at("multiple").is_null());
}

TEST(RebalanceCli, TargetLeverageRepaysFifteenThousand) {
    const CliResult j = run_cli({"rebalance", "--equity", "100000", "--assets", "165000",
                                 "--target-leverage", "1.5", "--json"});
    ASSERT_EQ(j.code, 0) << j.err;
    const json v = json::parse(j.out);
    EXPECT_EQ(v.at("action"), "repay");
    EXPECT_NEAR(v.at("amount").get<double>(), 15000.0, 1e-6);
    EXPECT_NEAR(v.at("leverage_before").get<double>(), 1.65, 1e-12);
    EXPECT_NEAR(v.at("leverage_after").get<double>(), 1.5, 1e-12);

    const CliResult text = run_cli(
        {"rebalance", "--equity", "115000", "--assets", "165000", "--target-leverage", "1.5"});
    ASSERT_EQ(text.code, 0) << text.err;
    EXPECT_NE(text.out.find("borrow"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("7500.00"), std::string::npos) << text.out;
}

TEST(RebalanceCli, OneDayFundRebalance) {
    const CliResult j = run_cli(
        {"rebalance", "--nav", "100", "--index-return", "0.05", "--multiple", "2", "--json"});
    ASSERT_EQ(j.code, 0) << j.err;
    const json v = json::parse(j.out);
    EXPECT_NEAR(v.at("exposure_before").get<double>(), 210.0, 1e-9);
    EXPECT_NEAR(v.at("leverage_before").get<double>(), 1.909090909090909, 1e-12);
    EXPECT_NEAR(v.at("trade").get<double>(), 10.0, 1e-9);
}

TEST(RebalanceCli, BadFlagCombinationsExitTwoOnOneLine) {
    const std::vector<std::vector<std::string>> cases{
        {"rebalance"},
        {"rebalance", "--initial", "100", "--current", "90"},
        {"rebalance", "--equity", "100", "--assets", "150"},
        {"rebalance", "--equity", "100", "--assets", "150", "--target-leverage", "1.5", "--initial",
         "3"},
        {"rebalance", "--nav", "100", "--index-return", "0.05"},
        {"rebalance", "--nav", "100", "--index-return", "-0.5", "--multiple", "3"},
        {"rebalance", "--equity", "-1", "--assets", "150", "--target-leverage", "1.5"},
        {"rebalance", "--initial", "100", "--current", "90", "--index-return", "abc"},
    };
    for (const auto& args : cases) {
        const CliResult r = run_cli(args);
        std::string joined;
        for (const auto& a : args)
            joined += a + " ";
        SCOPED_TRACE(joined);
        EXPECT_EQ(r.code, 2);
        EXPECT_TRUE(single_line(r.err)) << r.err;
        EXPECT_EQ(r.out, "");
    }
    const CliResult missing = run_cli({"rebalance", "--nav", "100", "--index-return", "0.05"});
    EXPECT_EQ(missing.err, "command line: --multiple: is required with --nav\n");
}

/// A folder with an index, a 2x fund that tracks it exactly and a bad CSV.
class BacktestCli : public ::testing::Test {
protected:
    BacktestCli() {
        std::ofstream idx(dir_ / "index.csv"), fund(dir_ / "fund.csv");
        idx << "date,close\n";
        fund << "date,volume,close\n";
        const char* dates[] = {"2021-03-01", "2021-03-02", "2021-03-03", "2021-03-04",
                               "2021-03-05", "2021-03-08", "2021-03-09"};
        const double returns[] = {0.0, 0.01, -0.02, 0.015, 0.005, -0.01, 0.02};
        double i = 100.0, f = 10.0;
        for (int t = 0; t < 7; ++t) {
            i *= 1.0 + returns[t];
            f *= 1.0 + 2.0 * returns[t];
            idx << dates[t] << "," << fmt(i) << "\n";
            fund << dates[t] << ",5," << fmt(f) << "\n";
        }
        std::ofstream(dir_ / "bad.csv") << "date,close\n2021-03-01,1\n2021-03-01,2\n";
        // Starts after the first date a rate is needed for.
        std::ofstream(dir_ / "late_rate.csv") << "date,close\n2021-03-03,0.1\n";
    }
    static std::string fmt(double x) {
        std::ostringstream s;
        s.precision(17);
        s << x;
        return s.str();
    }
    std::string at(const char* name) const { return (dir_ / name).string(); }
    letf::test::TempDir tmp_;
    fs::path dir_ = tmp_.path();
};

TEST_F(BacktestCli, JsonAndSeriesFileForAFundThatTracksExactly) {
    const std::string out_file = at("sub/bt.json");
    const CliResult r = run_cli({"backtest", "--index", at("index.csv"), "--fund", at("fund.csv"),
                                 "--multiple", "2", "--json", "-o", out_file});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(single_line(r.out)) << r.out;
    const json v = json::parse(r.out);
    EXPECT_EQ(v.at("days"), 6);
    EXPECT_EQ(v.at("start"), "2021-03-01");
    EXPECT_NEAR(v.at("gap_per_year").get<double>(), 0.0, 1e-9);
    EXPECT_NEAR(v.at("tracking_error").get<double>(), 0.0, 1e-9);
    EXPECT_TRUE(v.at("fitted_spread").is_number()) << v;
    EXPECT_NEAR(v.at("fitted_spread").get<double>(), 0.0, 1e-6);

    std::ifstream in(out_file);
    const json full = json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
    EXPECT_EQ(full.at("series").at("dates").size(), 7u);
    EXPECT_EQ(full.at("series").at("real").size(), 7u);
    EXPECT_EQ(full.at("gap_per_year"), v.at("gap_per_year"));

    const CliResult text = run_cli(
        {"backtest", "--index", at("index.csv"), "--fund", at("fund.csv"), "--multiple", "2"});
    ASSERT_EQ(text.code, 0) << text.err;
    EXPECT_NE(text.out.find("fitted spread"), std::string::npos) << text.out;
}

TEST_F(BacktestCli, BadInputsExitTwoAndWriteNothing) {
    const std::string out_file = at("never.json");
    const std::vector<std::vector<std::string>> cases{
        {"--index", at("bad.csv"), "--fund", at("fund.csv"), "--multiple", "2"},
        {"--index", at("index.csv"), "--fund", at("none.csv"), "--multiple", "2"},
        {"--index", at("index.csv"), "--fund", at("fund.csv"), "--multiple", "0"},
        {"--index", at("index.csv"), "--fund", at("fund.csv"), "--multiple", "2", "--spread",
         "0.01", "--fit-spread"},
        {"--index", at("index.csv"), "--fund", at("fund.csv"), "--multiple", "2", "--start",
         "2021-13-01"},
        {"--index", at("index.csv"), "--fund", at("fund.csv"), "--multiple", "2", "--rate",
         at("late_rate.csv")},
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        std::vector<std::string> args{"backtest"};
        args.insert(args.end(), cases[i].begin(), cases[i].end());
        args.insert(args.end(), {"-o", out_file});
        const CliResult r = run_cli(args);
        SCOPED_TRACE(i);
        EXPECT_EQ(r.code, 2) << r.err;
        EXPECT_TRUE(single_line(r.err)) << r.err;
        EXPECT_FALSE(fs::exists(out_file));
    }
    const CliResult bad = run_cli(
        {"backtest", "--index", at("bad.csv"), "--fund", at("fund.csv"), "--multiple", "2"});
    EXPECT_EQ(bad.err, at("bad.csv") + ": line 3: duplicate date (got \"2021-03-01\")\n");
}

} // namespace

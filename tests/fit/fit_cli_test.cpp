// `letfsim fit` through the in-process CLI: bad flags and files exit 2 naming the flag or the
// file, a constant price file (no finite optimum) exits 1 with one line.

#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "cli/cli_run.hpp"
#include "test_util.hpp"

namespace letf {
namespace {

using test::run_cli;

/// `rows` closes from 2020-01-01 on consecutive days, close = f(i).
template <class F> std::string price_csv(int rows, F close) {
    std::string s = "date,close\n";
    for (int i = 0; i < rows; ++i)
        s += fmt::format("{},{}\n",
                         format_date(Date(std::chrono::days(18262 + i))), close(i));
    return s;
}

struct FitCli : ::testing::Test {
    test::TempDir dir;
    std::string wavy = dir.write("wavy.csv", price_csv(300, [](int i) {
                                     return 100.0 + 3.0 * std::sin(0.7 * i) + 0.01 * i;
                                 })).string();
};

void expect_usage(const std::vector<std::string>& args, const std::string& names) {
    const test::CliResult r = run_cli(args);
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find(names), std::string::npos) << r.err;
    EXPECT_TRUE(test::one_line(r.err)) << r.err;
}

TEST_F(FitCli, BadFlagsExit2NamingTheFlag) {
    expect_usage({"fit", wavy, "--model", "heston"}, "--model");
    expect_usage({"fit", wavy, "--model", "garch", "--states", "3"}, "--states");
    expect_usage({"fit", wavy, "--model", "regime", "--states", "9"}, "--states");
    expect_usage({"fit", wavy, "--model", "merton", "--innovations", "student_t"},
                 "--innovations");
    expect_usage({"fit", wavy, "--model", "regime", "--innovations", "normal"}, "--innovations");
    expect_usage({"fit", wavy, "--model", "gjr", "--innovations", "cauchy"}, "--innovations");
    expect_usage({"fit", wavy, "--model", "garch", "--start", "2020-13-01"}, "--start");
    expect_usage({"fit", wavy, "--model", "garch", "--start", "2020-06-01", "--end",
                  "2020-01-01"},
                 "--end");
}

TEST_F(FitCli, BadFilesExit2NamingTheFile) {
    const std::string missing = (dir / "missing.csv").string();
    expect_usage({"fit", missing, "--model", "garch"}, missing);
    const std::string few = dir.write("few.csv", price_csv(50, [](int i) {
                                          return 100.0 + (i % 3);
                                      })).string();
    expect_usage({"fit", few, "--model", "garch"}, few);
    // The window leaves fewer than 100 returns.
    expect_usage({"fit", wavy, "--model", "garch", "--end", "2020-02-01"}, wavy);
    expect_usage({"fit", wavy, "--model", "garch", "--column", "adj_close"}, wavy);
}

TEST_F(FitCli, ConstantPricesExit1WithOneLine) {
    const std::string flat =
        dir.write("flat.csv", price_csv(300, [](int) { return 100.0; })).string();
    const test::CliResult r = run_cli({"fit", flat, "--model", "garch", "-o",
                                       (dir / "m.json").string()});
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_TRUE(test::one_line(r.err)) << r.err;
    EXPECT_NE(r.err.find("constant"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "m.json"));
}

} // namespace
} // namespace letf

// The progress text of run and sweep (src/cli/progress.hpp): thousands separators, the rate, the
// one ETA style, and a line cleared before the summary prints.

#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "progress.hpp"

namespace {

using namespace letf::cli; // NOLINT: the functions under test

TEST(Progress, ThousandsSeparators) {
    EXPECT_EQ(thousands(0), "0");
    EXPECT_EQ(thousands(999), "999");
    EXPECT_EQ(thousands(1000), "1,000");
    EXPECT_EQ(thousands(1234567), "1,234,567");
    EXPECT_EQ(thousands(5000000), "5,000,000");
    EXPECT_EQ(thousands(-1234), "-1,234");
}

TEST(Progress, DurationIsTheEtaStyleOfBoth) {
    EXPECT_EQ(duration(0.04), "0.0 s");
    EXPECT_EQ(duration(14.2), "14.2 s");
    EXPECT_EQ(duration(245), "4 min 05 s");
    EXPECT_EQ(duration(5400), "1.5 h");
}

TEST(Progress, LineShowsCountsRateAndEta) {
    const std::string line = progress_line(1234567, 5000000, 252, 2.0);
    EXPECT_EQ(line.rfind(kClearLine, 0), 0u) << line;
    EXPECT_NE(line.find(" 24.7% 1,234,567 of 5,000,000 paths"), std::string::npos) << line;
    EXPECT_NE(line.find("617 k paths/s"), std::string::npos) << line;
    EXPECT_NE(line.find("156 M path-days/s"), std::string::npos) << line;
    EXPECT_NE(line.find("2.0 s elapsed, ETA 6.1 s"), std::string::npos) << line;
}

TEST(Progress, FinishClearsTheLineBeforeTheSummary) {
    std::ostringstream err;
    Progress p(err, 100, 10, true, 0.0);
    p.update(50);
    ASSERT_NE(err.str().find("50 of 100 paths"), std::string::npos) << err.str();
    p.finish();
    const std::string s = err.str();
    EXPECT_EQ(s.substr(s.size() - std::string(kClearLine).size()), kClearLine) << s;
    p.update(100); // ignored after finish
    EXPECT_EQ(err.str(), s);
}

TEST(Progress, NothingWhenDisabled) {
    std::ostringstream err;
    {
        Progress p(err, 100, 10, false, 0.0);
        p.update(50);
        p.finish();
    }
    EXPECT_TRUE(err.str().empty()) << err.str();
}

} // namespace

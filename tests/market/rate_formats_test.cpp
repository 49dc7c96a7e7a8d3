// Rate files as FRED writes them: observation_date,DTB3 or DATE,DTB3 headers and '.' or empty
// values on holidays (skipped: the previous rate is carried forward), besides date,close.

#include <gtest/gtest.h>

#include "letf/base/error.hpp"
#include "letf/market/market_data.hpp"

namespace letf {
namespace {

TEST(RateFormats, FredObservationDateHeaderAndDotHoliday) {
    const RateSeries r = parse_rate_csv(
        "observation_date,DTB3\n2020-01-02,1.52\n2020-01-03,.\n2020-01-06,1.50\n", "DTB3.csv");
    ASSERT_EQ(r.dates.size(), 2u);
    EXPECT_EQ(format_date(r.dates[1]), "2020-01-06");
    EXPECT_EQ(r.percent[0], 1.52);
    // The holiday takes the rate in force before it.
    const std::vector<Date> at{*parse_date("2020-01-03")};
    EXPECT_EQ(r.align(at, 10)[0], 0.0152);
}

TEST(RateFormats, FredDateHeaderAndEmptyHoliday) {
    const RateSeries r =
        parse_rate_csv("DATE,DTB3\r\n2019-12-31,1.51\r\n2020-01-01,\r\n2020-01-02,1.52\r\n", "x");
    ASSERT_EQ(r.dates.size(), 2u);
    EXPECT_EQ(r.percent[1], 1.52);
}

TEST(RateFormats, DateCloseStillReadAndABadValueStillRefused) {
    EXPECT_EQ(parse_rate_csv("date,close\n2020-01-02,1.5\n", "x").percent[0], 1.5);
    try {
        parse_rate_csv("DATE,DTB3\n2020-01-02,n/a\n", "DTB3.csv");
        ADD_FAILURE() << "accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where(), "line 2");
        EXPECT_EQ(e.value(), "\"n/a\"");
    }
    // More than two columns and no close: which one is the rate is not guessed.
    EXPECT_THROW(parse_rate_csv("DATE,DTB3,DTB6\n2020-01-02,1.5,1.6\n", "x"), InputError);
    // Prices never skip a missing value.
    EXPECT_THROW(parse_price_csv("date,close\n2020-01-02,.\n", "x"), InputError);
}

} // namespace
} // namespace letf

// The strict CSV reader, rate alignment, the historical model's strip fill and the JSON specs of
// the data-driven models (the bootstrap's fill: models/bootstrap_test.cpp).

#include <atomic>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "letf/base/error.hpp"
#include "letf/config/market_config.hpp"
#include "letf/market/market_data.hpp"
#include "letf/models/strip_source.hpp"
#include "test_util.hpp"

namespace letf {
namespace {

namespace fs = std::filesystem;

/// A CSV file in a temporary folder, removed at the end of the test.
class CsvFile {
public:
    explicit CsvFile(const std::string& text) : path_(dir_.write("data.csv", text)) {}
    const fs::path& path() const { return path_; }

private:
    letf::test::TempDir dir_;
    fs::path path_;
};

Date day(const char* iso) {
    const auto d = parse_date(iso);
    EXPECT_TRUE(d.has_value()) << iso;
    return d.value_or(Date{});
}

TEST(MarketData, DatesParseStrictlyAndRoundTrip) {
    EXPECT_EQ(format_date(day("2024-02-29")), "2024-02-29");
    EXPECT_EQ(days_between(day("2023-12-29"), day("2024-01-02")), 4);
    for (const char* bad : {"2023-02-29", "2024-13-01", "2024-1-01", "20240101", "2024/01/01",
                            "2024-01-01x", "", "abcd-ef-gh", "2024-00-10", "2024-04-31"})
        EXPECT_FALSE(parse_date(bad).has_value()) << bad;
}

const char* kPrices = "date,close\n"
                      "2024-01-02,100\n"
                      "2024-01-03,102.5\n"
                      "2024-01-04,99.9\n"
                      "2024-01-05,101.25\n"
                      "2024-01-08,98\n"
                      "2024-01-09,103.7\n";

TEST(MarketData, HistoricalReplayGivesTheExactProductOfReturns) {
    const CsvFile f(kPrices);
    const PriceSeries p = read_price_csv(f.path());
    ASSERT_EQ(p.size(), 6u);
    EXPECT_EQ(p.source, f.path().string());
    const std::vector<double> expected{102.5 / 100 - 1, 99.9 / 102.5 - 1, 101.25 / 99.9 - 1,
                                       98 / 101.25 - 1, 103.7 / 98 - 1};
    const std::vector<double> r = p.returns();
    ASSERT_EQ(r.size(), expected.size());
    for (std::size_t i = 0; i < r.size(); ++i)
        EXPECT_DOUBLE_EQ(r[i], expected[i]) << i;

    const auto data = std::make_shared<const MarketData>(make_market_data(p, nullptr, 10));
    EXPECT_EQ(data->size(), 5u);
    EXPECT_EQ(data->accrual_days, (std::vector<int>{1, 1, 1, 3, 1}));
    EXPECT_EQ(data->dates.front(), day("2024-01-03"));
    const StripSource model(PathModel{HistoricalModel{}}, 1.0 / 252, 5, data);
    EXPECT_EQ(model.facts().mean_return, expected);
    StripRng rng{};
    StripSource::State state = model.start(123, 0);
    std::vector<double> out(5 * kStripPaths);
    model.fill(1, 5, rng, state, out.data());
    for (int k : {0, 7}) { // every path is the same one
        std::vector<double> path;
        for (int t = 0; t < 5; ++t)
            path.push_back(out[static_cast<std::size_t>(t * kStripPaths + k)]);
        double growth = 1.0;
        for (double x : path)
            growth *= 1.0 + x;
        EXPECT_NEAR(growth, 103.7 / 100.0, 1e-14);
        EXPECT_EQ(path, expected);
    }
}

TEST(MarketData, ExtraColumnsQuotesAndCrLfAreAccepted) {
    const PriceSeries p = parse_price_csv("\"Volume\",Close,\"Date\",open\r\n"
                                          "10,\"1.5\",2020-03-02,1\r\n"
                                          "11, 1.25 ,\"2020-03-03\",2\r\n"
                                          "\r\n",
                                          "q.csv");
    ASSERT_EQ(p.size(), 2u);
    EXPECT_EQ(p.closes, (std::vector<double>{1.5, 1.25}));
    EXPECT_EQ(p.dates[1], day("2020-03-03"));

    // A UTF-8 byte-order mark before the header (spreadsheet exports) is skipped.
    EXPECT_EQ(parse_price_csv("\xEF\xBB\xBF"
                              "date,close\n2020-01-01,2\n",
                              "bom.csv")
                  .closes,
              std::vector<double>{2.0});

    CsvOptions o;
    o.value_column = "open";
    EXPECT_EQ(parse_price_csv("date,close,open\n2020-01-01,1,7\n", "o.csv", o).closes,
              std::vector<double>{7.0});
}

TEST(MarketData, SliceKeepsInclusiveBounds) {
    const PriceSeries p = parse_price_csv(kPrices, "p.csv");
    const PriceSeries s = p.slice(day("2024-01-03"), day("2024-01-08"));
    ASSERT_EQ(s.size(), 4u);
    EXPECT_EQ(s.dates.front(), day("2024-01-03"));
    EXPECT_EQ(s.dates.back(), day("2024-01-08"));
    EXPECT_EQ(p.slice(std::nullopt, day("2024-01-03")).size(), 2u);
    EXPECT_THROW(p.slice(day("2024-01-09"), std::nullopt), InputError); // one row left
    EXPECT_THROW(p.slice(day("2024-01-05"), day("2024-01-04")), InputError);
}

/// One class of bad CSV: the text, the line the error must name and a word of the message.
struct BadCsv {
    const char* name;
    std::string text;
    std::string where; ///< "line N", or "" for file-level errors
    std::string message;
    int max_gap_days = 10;
};

std::ostream& operator<<(std::ostream& os, const BadCsv& b) {
    return os << b.name;
}

const BadCsv kBadCsvs[] = {
    {"MissingCloseColumn", "date,price\n2024-01-02,1\n", "line 1", "missing column \"close\""},
    {"MissingDateColumn", "day,close\n2024-01-02,1\n", "line 1", "missing column \"date\""},
    {"NoHeader", "2024-01-02,1\n2024-01-03,2\n", "line 1", "missing column"},
    {"BadNumber", "date,close\n2024-01-02,1\n2024-01-03,1.2.3\n", "line 3", "bad number"},
    {"EmptyNumber", "date,close\n2024-01-02,\n", "line 2", "bad number"},
    {"PlusMinus", "date,close\n2024-01-02,1\n2024-01-03,+-5\n", "line 3", "bad number"},
    {"NotFinite", "date,close\n2024-01-02,1\n2024-01-03,inf\n", "line 3", "bad number"},
    {"BadDate", "date,close\n2024-01-02,1\n2024-02-30,1\n", "line 3", "bad date"},
    {"SlashDate", "date,close\n01/02/2024,1\n", "line 2", "bad date"},
    {"UnsortedDates", "date,close\n2024-01-02,1\n2024-01-04,1\n2024-01-03,1\n", "line 4",
     "out of order"},
    {"DuplicateDate", "date,close\n2024-01-02,1\n2024-01-03,1\n2024-01-03,1\n", "line 4",
     "duplicate date"},
    {"ZeroPrice", "date,close\n2024-01-02,1\n2024-01-03,0\n", "line 3", "non-positive price"},
    {"NegativePrice", "date,close\n2024-01-02,-5\n", "line 2", "non-positive price"},
    {"GapTooLong", "date,close\n2024-01-02,1\n2024-01-03,1\n2024-01-15,1\n", "line 4",
     "gap of 12 calendar days"},
    {"GapOverLowerLimit", "date,close\n2024-01-05,1\n2024-01-08,1\n", "line 3",
     "longer than the limit of 2", 2},
    {"WrongFieldCount", "date,close\n2024-01-02,1\n2024-01-03,1,9\n", "line 3", "fields"},
    {"BlankLineInside", "date,close\n2024-01-02,1\n\n2024-01-03,1\n", "line 3", "blank line"},
    {"UnterminatedQuote", "date,close\n\"2024-01-02,1\n", "line 2", "unterminated"},
    {"EmptyFile", "", "", "empty file"},
    {"HeaderOnly", "date,close\n", "", "no data rows"},
};

class MarketDataBadCsv : public ::testing::TestWithParam<BadCsv> {};

TEST_P(MarketDataBadCsv, ErrorNamesFileLineAndProblem) {
    const BadCsv& b = GetParam();
    const CsvFile f(b.text);
    CsvOptions o;
    o.max_gap_days = b.max_gap_days;
    try {
        read_price_csv(f.path(), o);
        ADD_FAILURE() << "accepted: " << b.text;
    } catch (const InputError& e) {
        const std::string what = e.what();
        EXPECT_EQ(e.file(), f.path().string());
        EXPECT_EQ(e.where(), b.where) << what;
        EXPECT_EQ(what.rfind(f.path().string() + ": ", 0), 0u) << what;
        EXPECT_NE(what.find(b.message), std::string::npos) << what;
        EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    }
}

INSTANTIATE_TEST_SUITE_P(Classes, MarketDataBadCsv, ::testing::ValuesIn(kBadCsvs),
                         [](const ::testing::TestParamInfo<BadCsv>& param_info) {
                             return std::string(param_info.param.name);
                         });

TEST(MarketData, MissingFileIsAnInputError) {
    try {
        read_price_csv("/nonexistent/letf/none.csv");
        ADD_FAILURE() << "accepted a missing file";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "/nonexistent/letf/none.csv: cannot open the file: No such file or directory");
    }
}

TEST(MarketData, RatesMayBeNegativeAndAlignByLastObservation) {
    const RateSeries r = parse_rate_csv("date,close\n"
                                        "2024-01-02,5.25\n"
                                        "2024-01-03,-0.05\n"
                                        "2024-01-08,4\n",
                                        "r.csv");
    const std::vector<Date> at{day("2024-01-02"), day("2024-01-03"), day("2024-01-06"),
                               day("2024-01-08"), day("2024-01-12")};
    const std::vector<double> a = r.align(at, 5);
    ASSERT_EQ(a.size(), 5u);
    EXPECT_DOUBLE_EQ(a[0], 0.0525);
    EXPECT_DOUBLE_EQ(a[1], -0.0005);
    EXPECT_DOUBLE_EQ(a[2], -0.0005); // carried forward over the weekend
    EXPECT_DOUBLE_EQ(a[3], 0.04);
    EXPECT_DOUBLE_EQ(a[4], 0.04); // 4 days after the last observation

    // Strict at the start; bounded staleness after the end.
    const std::vector<Date> early{day("2024-01-01")};
    EXPECT_THROW(r.align(early, 5), InputError);
    const std::vector<Date> late{day("2024-01-14")};
    try {
        r.align(late, 5);
        ADD_FAILURE() << "a 6-day-old rate was accepted with a limit of 5";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("2024-01-14"), std::string::npos) << e.what();
    }
    EXPECT_DOUBLE_EQ(r.align(late, 6).at(0), 0.04);
}

TEST(MarketData, RatesOutsideThePlausibleRangeNameFileAndLine) {
    // [-50, 100] annual percent, both ends included; outside is a unit mistake or a corrupt file.
    const RateSeries ends = parse_rate_csv("date,close\n2024-01-02,-50\n2024-01-03,100\n", "r.csv");
    EXPECT_EQ(ends.percent, (std::vector<double>{-50.0, 100.0}));
    for (const char* bad : {"1e300", "100.0001", "-50.5", "525", "-1e300"}) {
        SCOPED_TRACE(bad);
        const std::string text = std::string("date,close\n2024-01-02,5\n2024-01-03,") + bad + "\n";
        try {
            parse_rate_csv(text, "r.csv");
            ADD_FAILURE() << "accepted the rate " << bad;
        } catch (const InputError& e) {
            const std::string what = e.what();
            EXPECT_EQ(e.file(), "r.csv");
            EXPECT_EQ(e.where(), "line 3") << what;
            EXPECT_NE(what.find("plausible range [-50, 100]"), std::string::npos) << what;
            EXPECT_NE(what.find(std::string("(got ") + bad + ")"), std::string::npos) << what;
            EXPECT_EQ(what.find('\n'), std::string::npos) << what;
        }
    }
}

TEST(MarketData, CellsInMessagesArePrintable) {
    try {
        parse_price_csv("date,close\n2024-01-02,1\x01\t\xff\n", "p.csv");
        ADD_FAILURE() << "accepted a bad number";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "p.csv: line 2: bad number in column \"close\" (got \"1\\u0001\\t\\xff\")");
    }
}

// Found by fuzz_csv: a close of 5.1e-307 followed by 101 gave an infinite return.
TEST(MarketData, ClosesStayInARangeWhereEveryReturnIsFinite) {
    const PriceSeries ends =
        parse_price_csv("date,close\n2024-01-02,1e-100\n2024-01-03,1e100\n", "p.csv");
    for (double r : ends.returns())
        EXPECT_TRUE(std::isfinite(r)) << r;
    for (const char* bad : {"5.1e-307", "9.9e-101", "1.1e100", "1e300"}) {
        SCOPED_TRACE(bad);
        const std::string text = std::string("date,close\n2024-01-02,5\n2024-01-03,") + bad + "\n";
        try {
            parse_price_csv(text, "p.csv");
            ADD_FAILURE() << "accepted the close " << bad;
        } catch (const InputError& e) {
            const std::string what = e.what();
            EXPECT_EQ(e.where(), "line 3") << what;
            EXPECT_NE(what.find("price outside the range [1e-100, 1e100]"), std::string::npos)
                << what;
            EXPECT_NE(what.find(std::string("(got ") + bad + ")"), std::string::npos) << what;
        }
    }
}

TEST(MarketData, MarketDataTakesTheRateOfThePreviousClose) {
    const PriceSeries p = parse_price_csv(kPrices, "p.csv");
    const RateSeries r =
        parse_rate_csv("date,close\n2024-01-02,1\n2024-01-05,2\n2024-01-09,3\n", "r.csv");
    const MarketData m = make_market_data(p, &r, 10);
    // Days end on 01-03, 01-04, 01-05, 01-08, 01-09; rates at the closes 01-02 .. 01-08.
    EXPECT_EQ(m.rates, (std::vector<double>{0.01, 0.01, 0.01, 0.02, 0.02}));
}

TEST(MarketConfig, ParsesResolvesAndRoundTrips) {
    const nlohmann::json h = nlohmann::json::parse(
        R"({"type": "historical", "csv": "data/spy.csv", "start": "2010-01-04", "end": "2020-12-31"})");
    const HistoricalModel hm = std::get<HistoricalModel>(parse_model(h, "s.json"));
    EXPECT_EQ(hm.csv, "data/spy.csv");
    EXPECT_FALSE(hm.column.has_value()); // set to the column read when the data is loaded
    EXPECT_EQ(hm.start, day("2010-01-04"));
    EXPECT_EQ(hm.max_gap_days, 10);
    EXPECT_EQ(model_to_json(hm).at("end"), "2020-12-31");
    const PathModel again = parse_model(nlohmann::json(model_to_json(hm)), "s.json");
    EXPECT_EQ(std::get<HistoricalModel>(again).end, hm.end);

    const nlohmann::json b = nlohmann::json::parse(
        R"({"type": "bootstrap", "csv": "/abs/qqq.csv", "mean_block_length": 20})");
    const BootstrapModel bm = std::get<BootstrapModel>(parse_model(b, "s.json"));
    EXPECT_EQ(bm.mean_block_length, 20.0);
    EXPECT_FALSE(bm.start.has_value());
    EXPECT_EQ(model_to_json(bm).at("mean_block_length"), 20.0);

    const RateSeriesSpec rs = parse_rate_series_spec(
        nlohmann::json::parse(R"({"csv": "DTB3.csv", "max_stale_days": 200})"), "s.json",
        "/costs/financing_rate");
    EXPECT_EQ(rs.max_stale_days, 200);
    EXPECT_EQ(to_json(rs).at("csv"), "DTB3.csv");

    EXPECT_EQ(resolve_data_path("d/x.csv", "configs/s.json"), fs::path("configs/d/x.csv"));
    EXPECT_EQ(resolve_data_path("/a/x.csv", "configs/s.json"), fs::path("/a/x.csv"));
}

TEST(MarketConfig, BadSpecsNameThePointerAndValue) {
    struct Case {
        const char* text;
        std::string where, value;
    };
    const Case cases[] = {
        {R"({"type": "bootstrap"})", "/model/csv", ""},
        {R"({"type": "bootstrap", "csv": "x", "mean_block_length": 0.5})",
         "/model/mean_block_length", "0.5"},
        {R"({"type": "bootstrap", "csv": "x", "start": "2020-02-30"})", "/model/start",
         "\"2020-02-30\""},
        {R"({"type": "bootstrap", "csv": "x", "start": "2021-01-01", "end": "2020-01-01"})",
         "/model/end", "\"2020-01-01\""},
        {R"({"type": "bootstrap", "csv": "x", "max_gap_days": 2.5})", "/model/max_gap_days", "2.5"},
        {R"({"type": "bootstrap", "csv": "x", "block": 3})", "/model/block", "3"},
        {R"({"type": "bootstrap", "csv": 3})", "/model/csv", "3"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.text);
        try {
            parse_model(nlohmann::json::parse(c.text), "s.json");
            ADD_FAILURE() << "accepted";
        } catch (const InputError& e) {
            EXPECT_EQ(e.file(), "s.json");
            EXPECT_EQ(e.where(), c.where) << e.what();
            EXPECT_EQ(e.value(), c.value) << e.what();
        }
    }
    EXPECT_THROW(parse_model(nlohmann::json::parse(
                                 R"({"type": "historical", "csv": "x", "mean_block_length": 2})"),
                             "s.json"),
                 InputError);
}

} // namespace
} // namespace letf

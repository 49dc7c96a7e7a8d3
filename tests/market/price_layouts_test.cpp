// Price CSVs as users download them (issue 17): Yahoo Finance / yfinance layouts read from
// `Adj Close` by default with a note when `Close` exists too, the column chosen by name, and
// yfinance timestamps read as the trading day; today's date,close files unchanged.

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/config/calibration.hpp"
#include "letf/config/market_config.hpp"
#include "letf/config/scenario.hpp"
#include "letf/market/market_data.hpp"
#include "letf/models/registry.hpp"
#include "test_util.hpp"

namespace letf {
namespace {

const char* kYahoo = "Date,Open,High,Low,Close,Adj Close,Volume\n"
                     "2008-11-04,98.5,100.2,97.1,100.0,80.0,1000\n"
                     "2008-11-05,99.0,101.0,96.0,95.0,76.0,1200\n"
                     "2008-11-06,94.0,96.0,90.0,90.25,72.5,1500\n";

Date day(const char* iso) {
    return parse_date(iso).value();
}

TEST(PriceLayouts, YahooUsesAdjCloseByDefaultWithANote) {
    const PriceSeries p = parse_price_csv(kYahoo, "SPY.csv");
    EXPECT_EQ(p.closes, (std::vector<double>{80.0, 76.0, 72.5}));
    EXPECT_EQ(p.dates,
              (std::vector<Date>{day("2008-11-04"), day("2008-11-05"), day("2008-11-06")}));
    EXPECT_EQ(p.column, "Adj Close");
    ASSERT_TRUE(p.note.has_value());
    EXPECT_EQ(*p.note,
              "SPY.csv: using column \"Adj Close\" (also has \"Close\"; choose with \"column\")");
    // The returns are the adjusted series' own: 76 / 80 - 1.
    EXPECT_EQ(p.returns()[0], 76.0 / 80.0 - 1.0);
    // A slice keeps the column and the note (make_market_data passes them on).
    const MarketData m = make_market_data(p.slice(std::nullopt, std::nullopt), nullptr, 10);
    EXPECT_EQ(m.price_column, "Adj Close");
    EXPECT_EQ(m.note, p.note);
}

TEST(PriceLayouts, ColumnChosenByNameHasNoNote) {
    CsvOptions o;
    o.value_column = "Close";
    const PriceSeries p = parse_price_csv(kYahoo, "SPY.csv", o);
    EXPECT_EQ(p.closes, (std::vector<double>{100.0, 95.0, 90.25}));
    EXPECT_EQ(p.column, "Close");
    EXPECT_FALSE(p.note.has_value());
    o.value_column = "adj close"; // names are case-insensitive
    EXPECT_EQ(parse_price_csv(kYahoo, "SPY.csv", o).closes,
              (std::vector<double>{80.0, 76.0, 72.5}));
    o.value_column = "open";
    EXPECT_EQ(parse_price_csv(kYahoo, "SPY.csv", o).closes,
              (std::vector<double>{98.5, 99.0, 94.0}));
}

TEST(PriceLayouts, DateCloseAndAdjCloseAloneNeedNoNote) {
    const PriceSeries a = parse_price_csv("date,close\n2020-01-02,1.5\n2020-01-03,2\n", "a.csv");
    EXPECT_EQ(a.closes, (std::vector<double>{1.5, 2.0}));
    EXPECT_EQ(a.column, "close");
    EXPECT_FALSE(a.note.has_value());
    // A file of adjusted closes only (some exporters drop Close).
    const PriceSeries b = parse_price_csv("Date,Adj Close\n2020-01-02,3\n", "b.csv");
    EXPECT_EQ(b.closes, std::vector<double>{3.0});
    EXPECT_FALSE(b.note.has_value());
    // yfinance's download(auto_adjust=True) writes Close only (already adjusted).
    const PriceSeries c =
        parse_price_csv("Date,Close,High,Low,Open,Volume\n2020-01-02,4,5,3,4,9\n", "c.csv");
    EXPECT_EQ(c.closes, std::vector<double>{4.0});
    EXPECT_EQ(c.column, "Close");
}

TEST(PriceLayouts, UnknownColumnNamesFileColumnAndTheColumnsFound) {
    CsvOptions o;
    o.value_column = "Closing";
    try {
        parse_price_csv(kYahoo, "SPY.csv", o);
        ADD_FAILURE() << "accepted";
    } catch (const InputError& e) {
        const std::string what = e.what();
        EXPECT_EQ(e.file(), "SPY.csv");
        EXPECT_EQ(e.where(), "line 1");
        EXPECT_NE(what.find("missing column \"Closing\""), std::string::npos) << what;
        EXPECT_NE(what.find("columns found: \"Date\", \"Open\", \"High\", \"Low\", \"Close\", "
                            "\"Adj Close\", \"Volume\""),
                  std::string::npos)
            << what;
    }
    try {
        parse_price_csv("Date,Price\n2020-01-02,1\n", "p.csv");
        ADD_FAILURE() << "accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("missing column \"close\" or \"Adj Close\""),
                  std::string::npos)
            << e.what();
    }
    // The date column is not a value column.
    o.value_column = "date";
    EXPECT_THROW(parse_price_csv(kYahoo, "SPY.csv", o), InputError);
}

TEST(PriceLayouts, YfinanceTimestampsAreTheTradingDay) {
    const PriceSeries p = parse_price_csv("Date,Close,Adj Close\n"
                                          "2008-11-03 00:00:00-05:00,1,2\n"
                                          "2008-11-04 00:00:00,1,3\n"
                                          "2008-11-05T00:00:00Z,1,4\n"
                                          "2008-11-06T09:30:00.250+01:00,1,5\n"
                                          "2008-11-07,1,6\n",
                                          "t.csv");
    EXPECT_EQ(p.dates, (std::vector<Date>{day("2008-11-03"), day("2008-11-04"), day("2008-11-05"),
                                          day("2008-11-06"), day("2008-11-07")}));
    EXPECT_EQ(p.closes, (std::vector<double>{2, 3, 4, 5, 6}));
    EXPECT_EQ(parse_csv_date("2008-11-05 23:59:60-12:00"), day("2008-11-05"));
    for (const char* bad :
         {"2008-11-05 ", "2008-11-05 00:00", "2008-11-05 24:00:00", "2008-11-05 00:60:00",
          "2008-11-05x00:00:00", "2008-11-05 00:00:00-5", "2008-11-05 00:00:00-05:00x",
          "2008-11-05 00:00:00ZZ", "2008-11-05 00:00:00.", "2008-11-05 0a:00:00",
          "2008-02-30 00:00:00", "2008-11-05 00:00:00+05:60"})
        EXPECT_FALSE(parse_csv_date(bad).has_value()) << bad;
    // The config's own dates (start, end) stay plain YYYY-MM-DD.
    EXPECT_FALSE(parse_date("2008-11-05 00:00:00").has_value());
    // A bad timestamp is an error naming the line.
    try {
        parse_price_csv("Date,Close\n2008-11-05 25:00:00,1\n", "t.csv");
        ADD_FAILURE() << "accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where(), "line 2");
    }
}

TEST(PriceLayouts, ScenarioColumnKeyDefaultAndEcho) {
    test::TempDir dir;
    dir.write("SPY.csv", kYahoo);
    const auto scenario = [&](const std::string& column_key) {
        return parse_scenario_text(
            R"({"name": "h", "model": {"type": "historical", "csv": "SPY.csv")" + column_key +
                R"(}, "multiples": [2]})",
            (dir.path() / "s.json").string());
    };
    // Default: Adj Close, with the note; the report's config shows the column read.
    const ScenarioConfig a = scenario("");
    ASSERT_TRUE(a.market_data);
    EXPECT_EQ(a.market_data->returns[0], 76.0 / 80.0 - 1.0);
    EXPECT_TRUE(a.market_data->note.has_value());
    EXPECT_EQ(to_json(a)["model"]["column"], "Adj Close");
    // "column": "Close" picks Close, without a note, and is echoed as given.
    const ScenarioConfig c = scenario(R"(, "column": "Close")");
    EXPECT_EQ(c.market_data->returns[0], 95.0 / 100.0 - 1.0);
    EXPECT_FALSE(c.market_data->note.has_value());
    EXPECT_EQ(to_json(c)["model"]["column"], "Close");
    // The same for a bootstrap model.
    const ScenarioConfig b = parse_scenario_text(
        R"({"name": "b", "paths": 2, "days": 2, "model": {"type": "bootstrap", "csv": "SPY.csv",
            "column": "Close"}, "multiples": [2]})",
        (dir.path() / "s.json").string());
    EXPECT_EQ(b.market_data->returns[1], 90.25 / 95.0 - 1.0);
    // An unknown column is an InputError naming the CSV and the columns found.
    try {
        scenario(R"(, "column": "Adj_Close")");
        ADD_FAILURE() << "accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.file(), (dir.path() / "SPY.csv").string());
        EXPECT_NE(std::string(e.what()).find("\"Adj Close\""), std::string::npos) << e.what();
    }
    // An empty column is refused at its pointer.
    try {
        scenario(R"(, "column": "")");
        ADD_FAILURE() << "accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where(), "/model/column");
    }
}

TEST(PriceLayouts, DateCloseScenarioEchoesCloseAsBefore) {
    test::TempDir dir;
    dir.write("p.csv", "date,close\n2020-01-02,1\n2020-01-03,1.1\n2020-01-06,1.2\n");
    const ScenarioConfig c = parse_scenario_text(
        R"({"name": "h", "model": {"type": "historical", "csv": "p.csv"}, "multiples": [2]})",
        (dir.path() / "s.json").string());
    EXPECT_EQ(to_json(c)["model"]["column"], "close");
    EXPECT_FALSE(c.market_data->note.has_value());
}

TEST(PriceLayouts, CalibrationColumnForAllFundsOrOne) {
    const CalibrationSpec s = parse_calibration(nlohmann::json::parse(R"({"column": "Close",
        "funds": [{"fund": "SSO.csv", "index": "SPY.csv", "multiple": 2, "expense_ratio": 0.009},
                  {"fund": "SDS.csv", "index": "SPY.csv", "multiple": -2, "expense_ratio": 0.009,
                   "column": "Adj Close"}]})"),
                                                "f.json");
    EXPECT_EQ(s.funds[0].column, "Close");
    EXPECT_EQ(s.funds[1].column, "Adj Close");
    const CalibrationSpec d = parse_calibration(
        nlohmann::json::parse(
            R"({"funds": [{"fund": "SSO.csv", "index": "SPY.csv", "multiple": 2, "expense_ratio": 0}]})"),
        "f.json");
    EXPECT_FALSE(d.funds[0].column.has_value());
    try {
        parse_calibration(
            nlohmann::json::parse(R"({"funds": [{"fund": "SSO.csv", "index": "SPY.csv",
            "multiple": 2, "expense_ratio": 0, "column": ""}]})"),
            "f.json");
        ADD_FAILURE() << "accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where(), "/funds/0/column");
    }
}

} // namespace
} // namespace letf

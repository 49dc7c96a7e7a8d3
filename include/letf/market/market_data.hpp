#pragma once
/// \file market/market_data.hpp
/// Market data from CSV files (daily closes, annual rates): the days that the `historical` and
/// `bootstrap` models (models/historical.hpp, models/bootstrap.hpp) replay or resample.
///
/// CSV format (one reader for prices and rates)
/// ---------------------------------------------
/// A header row is required; columns are found by name (case-insensitive), so extra columns and
/// any column order are fine. The date column is `date` (or `observation_date`, as FRED writes
/// it). The value column is CsvOptions::value_column when given; otherwise, for prices,
/// `Adj Close` when the header has one (Yahoo Finance and yfinance downloads
/// `Date,Open,High,Low,Close,Adj Close,Volume`: the adjusted close is the total-return series),
/// else `close`; when both `Adj Close` and `Close` exist the series carries a note saying which
/// was used (PriceSeries::note, for the caller to print). Rate files may also be FRED downloads
/// as they are: `DATE,DTB3` or `observation_date,DTB3` (a header of two columns without the
/// requested `close`: the value column is the one that is not the date), with `.` or an empty
/// value on holidays; such rows are skipped (no observation that day: the previous rate is
/// carried forward, RateSeries::align). Dates are ISO `YYYY-MM-DD`, optionally followed by a
/// time of day as yfinance writes it (`2008-11-05 00:00:00-05:00`, `2008-11-05 00:00:00`,
/// `2008-11-05T00:00:00Z`; parse_csv_date): the date part is the trading day, the time and the
/// zone are checked and ignored. Dates are strictly increasing (no duplicates), and two
/// consecutive dates may be at most `max_gap_days` calendar days apart. Values are decimal
/// numbers (`1.5`, `-0.25`, `2e-3`), finite, and for prices > 0. Fields may be wrapped in double
/// quotes; `\r\n` line ends are accepted; blank lines only at the end. Every error is an
/// InputError `file: line N: message (got value)` naming the first bad line; a value column
/// that the header lacks is an error at line 1 that lists the columns found.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "letf/base/limits.hpp"

namespace letf {

/// A calendar date (days since 1970-01-01).
using Date = std::chrono::sys_days;

/// Parses `YYYY-MM-DD` (exactly 10 characters, a real calendar date); nullopt otherwise.
std::optional<Date> parse_date(std::string_view text);
/// A date cell of a CSV file: `YYYY-MM-DD`, or that followed by ` ` or `T` and a time
/// `HH:MM:SS` (optional fraction `.ffffff`) and an optional zone `Z` or `+HH:MM` / `-HH:MM`
/// (yfinance's `2008-11-05 00:00:00-05:00`). The date part is returned as written: it is the
/// trading day in the exchange's own time, so the zone is not applied. nullopt otherwise.
std::optional<Date> parse_csv_date(std::string_view text);
/// `YYYY-MM-DD`.
std::string format_date(Date date);
/// Calendar days from `from` to `to` (negative when `to` is earlier).
inline int days_between(Date from, Date to) {
    return static_cast<int>((to - from).count());
}

/// How a CSV file is read (see the file comment for the format).
struct CsvOptions {
    /// The value column (case-insensitive); nullopt: prices use `Adj Close` when the header has
    /// one, else `close`; rates use `close`.
    std::optional<std::string> value_column;
    /// largest calendar-day step between consecutive rows, >= 1
    int max_gap_days = limits::kDefaultMaxGapDays;
    bool positive = true; ///< values must be > 0 (prices); false: any finite value (rates)
    bool skip_missing = false;      ///< rows whose value is `.` or empty are skipped (rates)
    bool sole_value_column = false; ///< two columns without a `close` asked for: the non-date one
};

/// Daily closes: dates strictly increasing, closes in [kMinPrice, kMaxPrice], same size, at least
/// 1 row.
struct PriceSeries {
    std::string source; ///< the file name, for messages
    std::vector<Date> dates;
    std::vector<double> closes;
    std::string column; ///< the value column read, as the header spells it
    /// Set when the column was chosen by default among several candidates: `FILE: using column
    /// "Adj Close" (also has "Close"; choose with "column")`. The library never prints it.
    std::optional<std::string> note;

    std::size_t size() const { return dates.size(); }
    /// Simple returns r_i = closes[i+1] / closes[i] - 1, i = 0 .. size() - 2; r_i belongs to
    /// dates[i+1] (the close that ends the day).
    std::vector<double> returns() const;
    /// The rows with start <= date <= end (each bound optional). Throws InputError (naming the
    /// source) when fewer than 2 rows remain or start > end.
    PriceSeries slice(std::optional<Date> start, std::optional<Date> end) const;
};

PriceSeries parse_price_csv(std::string_view text, const std::string& file,
                            const CsvOptions& options = {});
/// Reads and parses a file; InputError `file: cannot open the file` when it cannot be read.
PriceSeries read_price_csv(const std::filesystem::path& path, const CsvOptions& options = {});

/// The range of a close: wide enough for any real price in any currency unit, narrow enough that
/// every return closes[i+1] / closes[i] - 1 (at most 1e200) is finite; a close outside it is an
/// input error (a close of 5e-307 followed by 101 made an infinite return).
inline constexpr double kMinPrice = 1e-100;
inline constexpr double kMaxPrice = 1e100;

/// The plausible range of an annual rate, in percent: a rate series value outside it is an input
/// error (a unit mistake such as 525 for 5.25 %, or a corrupt file), and so is a scenario's
/// numeric financing_rate outside the same range as a fraction, [-0.5, 1]. With dt <= 1
/// (trading_days_per_year >= 1) the rate's own daily factor 1 + r dt is then at least 0.5.
inline constexpr double kMinRatePercent = -50.0;
inline constexpr double kMaxRatePercent = 100.0;

/// Annual rates in percent by date (5.25 = 5.25 %/yr), for example FRED's DTB3 (3-month T-bill)
/// or EFFR. Dates strictly increasing, values in [kMinRatePercent, kMaxRatePercent] (negative
/// rates allowed).
struct RateSeries {
    std::string source;
    std::vector<Date> dates;
    std::vector<double> percent;

    /// The annual rate as a fraction (5.25 % -> 0.0525) in force on each of `at` (ascending):
    /// the last observation on or before that date (carried forward over holidays and the days
    /// after the series ends). Strict at the start: a date before the first observation is an
    /// error (no back-filling). A date more than `max_stale_days` calendar days after the
    /// observation used is an error too, so a series that stopped long ago is not silently
    /// extended. Throws InputError naming the source and the date.
    std::vector<double> align(std::span<const Date> at, int max_stale_days) const;
};

/// Options default to column `close`, max_gap_days 10, any sign.
RateSeries parse_rate_csv(std::string_view text, const std::string& file,
                          const CsvOptions& options = {.positive = false});
RateSeries read_rate_csv(const std::filesystem::path& path,
                         const CsvOptions& options = {.positive = false});

/// Days of history to sample from. Day i ends on dates[i]; returns[i] is the index's simple
/// return over it; rates[i] (empty when no rate series is used) is the annual rate as a fraction
/// in force at the previous close (the rate a fund financing itself overnight pays for that day);
/// accrual_days[i] the calendar days since the previous close (1 on most days, 3 over a weekend).
struct MarketData {
    std::vector<Date> dates;
    std::vector<double> returns;
    std::vector<double> rates;
    std::vector<int> accrual_days;
    std::string price_column;        ///< the price file's value column, as its header spells it
    std::optional<std::string> note; ///< PriceSeries::note of the price file

    std::size_t size() const { return returns.size(); }
};

/// The days of `prices` (already sliced; its column and note are kept) with, when `rates` is given,
/// the rate in force at each previous close (RateSeries::align with max_stale_days). Throws
/// InputError.
MarketData make_market_data(const PriceSeries& prices, const RateSeries* rates, int max_stale_days);

/// A CSV file of daily closes to load: the data of a historical or bootstrap model.
struct PriceFileSpec {
    std::string csv; ///< path of the `date,close` file (resolved)
    /// value column; nullopt: `Adj Close` when the file has one, else `close` (CsvOptions)
    std::optional<std::string> column;
    std::optional<Date> start, end;                ///< inclusive bounds on the close dates used
    int max_gap_days = limits::kDefaultMaxGapDays; ///< see CsvOptions
};

/// `costs.financing_rate` given as a series instead of a number.
struct RateSeriesSpec {
    std::string csv;
    std::string column = "close";
    int max_stale_days = limits::kDefaultMaxStaleDays; ///< see RateSeries::align
    int max_gap_days = limits::kDefaultMaxGapDays;
};

/// Reads the closes of `prices` (sliced to start/end) and, when `rates` is given, its rate series
/// aligned to the previous closes (make_market_data). Throws InputError naming the CSV file.
MarketData read_market_data(const PriceFileSpec& prices, const RateSeriesSpec* rates);
/// The days of several price files on the dates they all have (each sliced to its start/end
/// first): one MarketData per file, in order, with the same dates, each day's return the close
/// to close over those dates (a date one file lacks merges two of another's days), and the same
/// rates. Files with the same dates give each file's own days unchanged. Throws InputError when
/// fewer than 2 dates are common.
std::vector<MarketData> read_joint_market_data(const std::vector<const PriceFileSpec*>& prices,
                                               const RateSeriesSpec* rates);

} // namespace letf

#include "letf/market/market_data.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <utility>

#include "letf/base/error.hpp"
#include "letf/io/json_reader.hpp"

namespace letf {

std::optional<Date> parse_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-')
        return std::nullopt;
    const auto digits = [&s](std::size_t from, std::size_t count) -> std::optional<int> {
        int v = 0;
        for (std::size_t i = from; i < from + count; ++i) {
            if (s[i] < '0' || s[i] > '9')
                return std::nullopt;
            v = v * 10 + (s[i] - '0');
        }
        return v;
    };
    const auto y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
    if (!y || !m || !d)
        return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{*y},
                                          std::chrono::month{static_cast<unsigned>(*m)},
                                          std::chrono::day{static_cast<unsigned>(*d)}};
    if (!ymd.ok())
        return std::nullopt;
    return std::chrono::sys_days{ymd};
}

std::optional<Date> parse_csv_date(std::string_view s) {
    const std::optional<Date> date = parse_date(s.substr(0, 10));
    if (!date || s.size() == 10)
        return date;
    // A time of day: [ T]HH:MM:SS[.f+][Z|+HH:MM|-HH:MM], checked and ignored.
    const auto two = [&s](std::size_t at, int most) {
        return at + 2 <= s.size() && s[at] >= '0' && s[at] <= '9' && s[at + 1] >= '0' &&
               s[at + 1] <= '9' && (s[at] - '0') * 10 + (s[at + 1] - '0') <= most;
    };
    if ((s[10] != ' ' && s[10] != 'T') || !two(11, 23) || s.substr(13, 1) != ":" || !two(14, 59) ||
        s.substr(16, 1) != ":" || !two(17, 60))
        return std::nullopt;
    std::size_t i = 19;
    if (i < s.size() && s[i] == '.') {
        const std::size_t digits = s.find_first_not_of("0123456789", i + 1);
        const std::size_t end = digits == std::string_view::npos ? s.size() : digits;
        if (end == i + 1)
            return std::nullopt;
        i = end;
    }
    if (i == s.size() || (s[i] == 'Z' && i + 1 == s.size()))
        return date;
    if ((s[i] == '+' || s[i] == '-') && i + 6 == s.size() && two(i + 1, 23) && s[i + 3] == ':' &&
        two(i + 4, 59))
        return date;
    return std::nullopt;
}

std::string format_date(Date date) {
    const std::chrono::year_month_day ymd{date};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
}

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& ch : out)
        if (ch >= 'A' && ch <= 'Z')
            ch = static_cast<char>(ch - 'A' + 'a');
    return out;
}

/// A cell for a message: quoted, cut like JSON values (at a character boundary) and printable,
/// so a message stays on one line whatever bytes the file holds.
std::string show_text(std::string_view s) {
    std::string out(1, '"');
    out += display_text(shortened(std::string(s)));
    out += '"';
    return out;
}

/// Splits one CSV line into fields. A field may be wrapped in double quotes (a doubled quote
/// inside stands for one); returns nullopt for an unterminated quote.
std::optional<std::vector<std::string>> split_fields(std::string_view line) {
    std::vector<std::string> fields;
    std::string field;
    std::size_t i = 0;
    while (true) {
        field.clear();
        if (i < line.size() && line[i] == '"') {
            ++i;
            bool closed = false;
            while (i < line.size()) {
                if (line[i] == '"') {
                    if (i + 1 < line.size() && line[i + 1] == '"') {
                        field += '"';
                        i += 2;
                        continue;
                    }
                    closed = true;
                    ++i;
                    break;
                }
                field += line[i++];
            }
            if (!closed || (i < line.size() && line[i] != ','))
                return std::nullopt;
        } else {
            const std::size_t comma = line.find(',', i);
            const std::size_t end = comma == std::string_view::npos ? line.size() : comma;
            field.assign(line.substr(i, end - i));
            i = end;
        }
        // Surrounding blanks are not part of a value.
        const auto first = field.find_first_not_of(" \t");
        const auto last = field.find_last_not_of(" \t");
        fields.push_back(first == std::string::npos ? std::string()
                                                    : field.substr(first, last - first + 1));
        if (i >= line.size())
            return fields;
        ++i; // the comma
    }
}

/// A strict decimal number: the whole field, finite.
std::optional<double> parse_number(const std::string& s) {
    if (s.empty())
        return std::nullopt;
    const char* begin = s.data();
    if (*begin == '+') {
        ++begin;
        if (begin == s.data() + s.size() || *begin == '-')
            return std::nullopt; // "+" alone or "+-5"
    }
    double x = 0.0;
    const char* end = s.data() + s.size();
    const auto [ptr, ec] = std::from_chars(begin, end, x, std::chars_format::general);
    if (ec != std::errc() || ptr != end || !std::isfinite(x))
        return std::nullopt;
    return x;
}

struct Column {
    std::vector<Date> dates;
    std::vector<double> values;
    std::string name;                ///< the value column, as the header spells it
    std::optional<std::string> note; ///< Header::note
};

/// A closed range every value must lie in (rates), with the words for the message.
struct ValueRange {
    double lo, hi;
    std::string_view what;
};

std::string line_at(std::size_t line) {
    return "line " + std::to_string(line);
}

/// The header row: the positions of the date and value columns (case-insensitive names), the
/// value column's name as the header spells it and, when it was chosen among several, a note.
struct Header {
    std::size_t columns = 0, date_col = 0, value_col = 0;
    std::string value_name;
    std::optional<std::string> note;
};

/// How the value column is found when CsvOptions::value_column is not given.
enum class DefaultColumn { close, adjusted_close };

std::optional<std::size_t> find_column(const std::vector<std::string>& fields,
                                       std::string_view name) {
    const std::string wanted = lower(name);
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (lower(fields[i]) == wanted)
            return i;
    return std::nullopt;
}

/// `"Date", "Open", "Close"`: the header's names for a message (the first 20, then a count).
std::string column_list(const std::vector<std::string>& fields) {
    constexpr std::size_t kMost = 20;
    std::string out;
    for (std::size_t i = 0; i < fields.size() && i < kMost; ++i)
        out += (i == 0 ? "" : ", ") + show_text(fields[i]);
    if (fields.size() > kMost)
        out += " and " + std::to_string(fields.size() - kMost) + " more";
    return out;
}

Header read_header(const std::vector<std::string>& fields, std::size_t line_no,
                   const std::string& file, const CsvOptions& o, DefaultColumn default_column) {
    Header h;
    h.columns = fields.size();
    std::optional<std::size_t> d = find_column(fields, "date");
    if (!d)
        d = find_column(fields, "observation_date");
    const std::string asked = o.value_column.value_or("close");
    std::optional<std::size_t> v;
    if (!o.value_column && default_column == DefaultColumn::adjusted_close) {
        v = find_column(fields, "adj close");
        const std::optional<std::size_t> close = find_column(fields, "close");
        if (v && close)
            h.note = file + ": using column " + show_text(fields[*v]) + " (also has " +
                     show_text(fields[*close]) + "; choose with \"column\")";
        if (!v)
            v = close;
    } else {
        v = find_column(fields, asked);
    }
    // A FRED download holds one series: `DATE,DTB3` or `observation_date,DTB3`.
    if (d && !v && o.sole_value_column && fields.size() == 2)
        v = 1 - *d;
    if (!d || !v || *v == *d) {
        const bool either = d && !o.value_column && default_column == DefaultColumn::adjusted_close;
        const std::string missing =
            show_text(!d ? std::string("date") : asked) + (either ? " or \"Adj Close\"" : "");
        throw InputError(file, line_at(line_no),
                         "missing column " + missing +
                             " (a header row naming the columns is required; columns found: " +
                             column_list(fields) + ")");
    }
    h.date_col = *d;
    h.value_col = *v;
    h.value_name = fields[*v];
    return h;
}

/// The row's date: valid, after the previous one and within the gap limit.
Date read_date(const std::string& text, const Column& so_far, std::size_t line_no,
               const std::string& file, const CsvOptions& o) {
    const std::optional<Date> date = parse_csv_date(text);
    if (!date)
        throw InputError(file, line_at(line_no),
                         "bad date; expected YYYY-MM-DD (optionally with a time, "
                         "YYYY-MM-DD HH:MM:SS+HH:MM)",
                         show_text(text));
    if (so_far.dates.empty())
        return *date;
    const Date prev = so_far.dates.back();
    if (*date == prev)
        throw InputError(file, line_at(line_no), "duplicate date", show_text(text));
    if (*date < prev)
        throw InputError(file, line_at(line_no),
                         "dates out of order (after " + format_date(prev) + ")", show_text(text));
    const int gap = days_between(prev, *date);
    if (gap > o.max_gap_days)
        throw InputError(file, line_at(line_no),
                         "gap of " + std::to_string(gap) + " calendar days after " +
                             format_date(prev) + " is longer than the limit of " +
                             std::to_string(o.max_gap_days),
                         show_text(text));
    return *date;
}

/// The row's value: a number, positive for prices, within `range` when given.
double read_value(const std::string& text, std::size_t line_no, const std::string& file,
                  const CsvOptions& o, const Header& h, const ValueRange* range) {
    const std::optional<double> value = parse_number(text);
    if (!value)
        throw InputError(file, line_at(line_no), "bad number in column \"" + h.value_name + "\"",
                         show_text(text));
    if (o.positive && !(*value > 0.0))
        throw InputError(file, line_at(line_no),
                         "non-positive price in column \"" + h.value_name + "\"", text);
    if (range && !(*value >= range->lo && *value <= range->hi))
        throw InputError(file, line_at(line_no),
                         std::string(range->what) + " in column \"" + h.value_name + "\"", text);
    return *value;
}

Column parse_csv(std::string_view text, const std::string& file, const CsvOptions& o,
                 DefaultColumn default_column, const ValueRange* range) {
    Column out;
    // A UTF-8 byte-order mark (spreadsheet exports) is not part of the first column's name.
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);
    std::optional<Header> header;
    std::size_t line_no = 0, blank_since = 0; // first blank line of a run, 0 when none
    for (std::size_t pos = 0; pos < text.size();) {
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos)
            nl = text.size();
        std::string_view line = text.substr(pos, nl - pos);
        pos = nl + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.find_first_not_of(" \t") == std::string_view::npos) {
            if (blank_since == 0)
                blank_since = line_no;
            continue;
        }
        if (blank_since != 0)
            throw InputError(file, line_at(blank_since), "blank line inside the data");
        const auto fields = split_fields(line);
        if (!fields)
            throw InputError(file, line_at(line_no), "unterminated quoted field", show_text(line));
        if (!header) {
            header = read_header(*fields, line_no, file, o, default_column);
            out.name = header->value_name;
            out.note = header->note;
            continue;
        }
        if (fields->size() != header->columns)
            throw InputError(file, line_at(line_no),
                             "expected " + std::to_string(header->columns) +
                                 " fields as in the header, found " +
                                 std::to_string(fields->size()),
                             show_text(line));
        const std::string& cell = (*fields)[header->value_col];
        if (o.skip_missing && (cell.empty() || cell == "."))
            continue; // a holiday in a FRED file: no observation that day
        const Date date = read_date((*fields)[header->date_col], out, line_no, file, o);
        out.values.push_back(
            read_value((*fields)[header->value_col], line_no, file, o, *header, range));
        out.dates.push_back(date);
    }
    if (!header)
        throw InputError(file, "", "empty file; expected a header row and data rows");
    if (out.dates.empty())
        throw InputError(file, "", "no data rows after the header");
    return out;
}

void check_options(const CsvOptions& o, const std::string& file) {
    if (o.max_gap_days < 1)
        throw InputError(file, "", "max_gap_days must be >= 1", std::to_string(o.max_gap_days));
}

} // namespace

std::vector<double> PriceSeries::returns() const {
    std::vector<double> r;
    if (closes.size() < 2)
        return r;
    r.reserve(closes.size() - 1);
    for (std::size_t i = 1; i < closes.size(); ++i)
        r.push_back(closes[i] / closes[i - 1] - 1.0);
    return r;
}

PriceSeries PriceSeries::slice(std::optional<Date> start, std::optional<Date> end) const {
    if (start && end && *start > *end)
        throw InputError(source, "", "start date " + format_date(*start) + " is after end date",
                         format_date(*end));
    PriceSeries out;
    out.source = source;
    out.column = column;
    out.note = note;
    for (std::size_t i = 0; i < dates.size(); ++i) {
        if ((start && dates[i] < *start) || (end && dates[i] > *end))
            continue;
        out.dates.push_back(dates[i]);
        out.closes.push_back(closes[i]);
    }
    if (out.size() < 2) {
        throw InputError(source, "",
                         "fewer than 2 rows between " +
                             (start ? format_date(*start) : std::string("the start")) + " and " +
                             (end ? format_date(*end) : std::string("the end")),
                         std::to_string(out.size()) + " rows");
    }
    return out;
}

PriceSeries parse_price_csv(std::string_view text, const std::string& file,
                            const CsvOptions& options) {
    check_options(options, file);
    static constexpr ValueRange kPrices{
        kMinPrice, kMaxPrice,
        "price outside the range [1e-100, 1e100] (any ratio of two closes is "
        "then finite)"};
    Column c = parse_csv(text, file, options, DefaultColumn::adjusted_close, &kPrices);
    return PriceSeries{file, std::move(c.dates), std::move(c.values), std::move(c.name),
                       std::move(c.note)};
}

PriceSeries read_price_csv(const std::filesystem::path& path, const CsvOptions& options) {
    return parse_price_csv(read_input_file(path, kMaxCsvFileBytes), path.string(), options);
}

RateSeries parse_rate_csv(std::string_view text, const std::string& file,
                          const CsvOptions& options) {
    check_options(options, file);
    static constexpr ValueRange kRates{
        kMinRatePercent, kMaxRatePercent,
        "rate outside the plausible range [-50, 100] (annual percent, 5.25 = 5.25 %/yr)"};
    CsvOptions o = options;
    o.skip_missing = true;
    o.sole_value_column = lower(o.value_column.value_or("close")) == "close";
    Column c = parse_csv(text, file, o, DefaultColumn::close, &kRates);
    return RateSeries{file, std::move(c.dates), std::move(c.values)};
}

RateSeries read_rate_csv(const std::filesystem::path& path, const CsvOptions& options) {
    return parse_rate_csv(read_input_file(path, kMaxCsvFileBytes), path.string(), options);
}

std::vector<double> RateSeries::align(std::span<const Date> at, int max_stale_days) const {
    std::vector<double> out;
    out.reserve(at.size());
    std::size_t j = 0; // last observation on or before the current date, once found
    for (const Date d : at) {
        if (dates.empty() || d < dates.front())
            throw InputError(source, "",
                             "the rate series starts after the first date it is needed for, " +
                                 format_date(d),
                             dates.empty() ? std::string("no rows") : format_date(dates.front()));
        while (j + 1 < dates.size() && dates[j + 1] <= d)
            ++j;
        const int stale = days_between(dates[j], d);
        if (stale > max_stale_days)
            throw InputError(source, "",
                             "no observation within " + std::to_string(max_stale_days) +
                                 " calendar days before " + format_date(d) +
                                 " (raise the staleness limit to carry the last one forward)",
                             "last " + format_date(dates[j]));
        out.push_back(percent[j] / 100.0);
    }
    return out;
}

MarketData make_market_data(const PriceSeries& prices, const RateSeries* rates,
                            int max_stale_days) {
    MarketData m;
    m.price_column = prices.column;
    m.note = prices.note;
    m.returns = prices.returns();
    m.dates.assign(prices.dates.begin() + 1, prices.dates.end());
    m.accrual_days.reserve(m.dates.size());
    for (std::size_t i = 1; i < prices.dates.size(); ++i)
        m.accrual_days.push_back(days_between(prices.dates[i - 1], prices.dates[i]));
    if (rates && !prices.dates.empty()) {
        // The rate for the day ending on dates[i] is the one in force at the previous close.
        m.rates = rates->align(std::span<const Date>(prices.dates).first(prices.dates.size() - 1),
                               max_stale_days);
    }
    return m;
}

MarketData read_market_data(const PriceFileSpec& p, const RateSeriesSpec* r) {
    const CsvOptions price_options{.value_column = p.column, .max_gap_days = p.max_gap_days};
    const PriceSeries prices = read_price_csv(p.csv, price_options).slice(p.start, p.end);
    if (!r)
        return make_market_data(prices, nullptr, limits::kDefaultMaxStaleDays);
    const RateSeries rates = read_rate_csv(
        r->csv, {.value_column = r->column, .max_gap_days = r->max_gap_days, .positive = false});
    return make_market_data(prices, &rates, r->max_stale_days);
}

std::vector<MarketData> read_joint_market_data(const std::vector<const PriceFileSpec*>& specs,
                                               const RateSeriesSpec* r) {
    std::vector<PriceSeries> prices;
    for (const PriceFileSpec* p : specs) {
        const CsvOptions price_options{.value_column = p->column, .max_gap_days = p->max_gap_days};
        prices.push_back(read_price_csv(p->csv, price_options).slice(p->start, p->end));
    }
    // The dates every file has, ascending.
    std::vector<Date> common = prices.front().dates;
    for (std::size_t k = 1; k < prices.size(); ++k) {
        std::vector<Date> both;
        std::set_intersection(common.begin(), common.end(), prices[k].dates.begin(),
                              prices[k].dates.end(), std::back_inserter(both));
        common = std::move(both);
    }
    if (common.size() < 2) {
        std::string files;
        for (const PriceSeries& p : prices)
            files += (files.empty() ? "" : ", ") + p.source;
        throw InputError(prices.front().source, "",
                         "the assets' price files have " + std::to_string(common.size()) +
                             " common dates; a joint model needs at least 2 (files: " + files +
                             ")");
    }
    std::optional<RateSeries> rates;
    if (r)
        rates = read_rate_csv(r->csv, {.value_column = r->column,
                                       .max_gap_days = r->max_gap_days,
                                       .positive = false});
    std::vector<MarketData> out;
    for (const PriceSeries& p : prices) {
        PriceSeries kept = p;
        kept.dates.clear();
        kept.closes.clear();
        std::size_t i = 0;
        for (const Date d : common) {
            while (p.dates[i] < d)
                ++i;
            kept.dates.push_back(d);
            kept.closes.push_back(p.closes[i]);
        }
        out.push_back(make_market_data(kept, rates ? &*rates : nullptr,
                                       r ? r->max_stale_days : limits::kDefaultMaxStaleDays));
    }
    return out;
}

} // namespace letf

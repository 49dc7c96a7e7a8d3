#include "letf/config/market_config.hpp"

#include <optional>

#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/base/limits.hpp"
#include "letf/io/json_reader.hpp"
#include "letf/io/object_reader.hpp"

namespace letf {
namespace {

using nlohmann::json;

/// A non-empty string without control characters: the text is named in CSV messages, which must
/// stay on one line.
std::string data_text(const ObjectReader& r, const std::string& key,
                      std::optional<std::string> fallback) {
    const json* v = r.find(key);
    if (!v) {
        if (!fallback)
            throw InputError(r.file(), r.child(key), "missing required key");
        return *fallback;
    }
    if (!v->is_string() || v->get_ref<const std::string&>().empty())
        throw InputError(r.file(), r.child(key), "must be a non-empty string", shown_value(*v));
    for (const char ch : v->get_ref<const std::string&>())
        if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f)
            throw InputError(r.file(), r.child(key), "must not contain control characters",
                             shown_value(*v));
    return v->get<std::string>();
}

std::optional<Date> date(const ObjectReader& r, const std::string& key) {
    const json* v = r.find(key);
    if (!v)
        return std::nullopt;
    std::optional<Date> d;
    if (v->is_string())
        d = parse_date(v->get_ref<const std::string&>());
    if (!d)
        throw InputError(r.file(), r.child(key), "must be a date \"YYYY-MM-DD\"", shown_value(*v));
    return d;
}

int calendar_days(const ObjectReader& r, const std::string& key, int fallback) {
    return static_cast<int>(r.integer(key, 1, limits::kMaxCalendarDays, fallback));
}

} // namespace

PriceFileSpec read_price_file(const ObjectReader& r) {
    PriceFileSpec m;
    m.csv = data_text(r, "csv", std::nullopt);
    if (r.find("column"))
        m.column = data_text(r, "column", std::nullopt);
    m.start = date(r, "start");
    m.end = date(r, "end");
    m.max_gap_days = calendar_days(r, "max_gap_days", limits::kDefaultMaxGapDays);
    if (m.start && m.end && *m.start > *m.end)
        throw InputError(r.file(), r.child("end"), "must not be before start",
                         json(format_date(*m.end)).dump());
    m.csv = resolve_data_path(m.csv, r.file()).lexically_normal().string();
    return m;
}

void write_price_file(nlohmann::ordered_json& j, const PriceFileSpec& m) {
    j["csv"] = m.csv;
    if (m.column)
        j["column"] = *m.column;
    if (m.start)
        j["start"] = format_date(*m.start);
    if (m.end)
        j["end"] = format_date(*m.end);
    j["max_gap_days"] = m.max_gap_days;
}

RateSeriesSpec parse_rate_series_spec(const json& j, const std::string& file,
                                      const std::string& pointer) {
    const ObjectReader r(j, file, pointer, {"csv", "column", "max_stale_days", "max_gap_days"});
    RateSeriesSpec s;
    s.csv = data_text(r, "csv", std::nullopt);
    s.column = data_text(r, "column", "close");
    s.max_stale_days = calendar_days(r, "max_stale_days", limits::kDefaultMaxStaleDays);
    s.max_gap_days = calendar_days(r, "max_gap_days", limits::kDefaultMaxGapDays);
    return s;
}

nlohmann::ordered_json to_json(const RateSeriesSpec& s) {
    return {{"csv", s.csv},
            {"column", s.column},
            {"max_stale_days", s.max_stale_days},
            {"max_gap_days", s.max_gap_days}};
}

std::filesystem::path resolve_data_path(const std::string& csv, const std::string& scenario_file) {
    const std::filesystem::path p(csv);
    if (p.is_absolute())
        return p;
    return std::filesystem::path(scenario_file).parent_path() / p;
}

} // namespace letf

#include "letf/config/market_config.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/io/json_reader.hpp"

namespace letf {
namespace {

using nlohmann::json;

std::string shown(const json& v) {
    return shown_value(v);
}

/// The fields of one spec object: rejects keys outside `allowed`, then reads typed values.
struct Fields {
    const json& obj;
    const std::string& file;
    const std::string& pointer;

    Fields(const json& o, const std::string& f, const std::string& p,
           const std::vector<std::string>& allowed)
        : obj(o), file(f), pointer(p) {
        if (!obj.is_object())
            throw InputError(file, pointer.empty() ? "/" : pointer, "must be an object",
                             shown(obj));
        for (const auto& [key, value] : obj.items()) {
            if (std::find(allowed.begin(), allowed.end(), key) != allowed.end())
                continue;
            std::string list;
            for (const auto& a : allowed)
                list += (list.empty() ? "" : ", ") + a;
            throw InputError(file, at(key), "unknown key; expected one of " + list, shown(value));
        }
    }

    std::string at(const std::string& key) const { return pointer + "/" + pointer_token(key); }

    std::string text(const std::string& key, std::optional<std::string> fallback) const {
        const auto it = obj.find(key);
        if (it == obj.end()) {
            if (!fallback)
                throw InputError(file, at(key), "missing required key");
            return *fallback;
        }
        if (!it->is_string() || it->get_ref<const std::string&>().empty())
            throw InputError(file, at(key), "must be a non-empty string", shown(*it));
        // The text is named in CSV messages, which must stay on one line.
        for (const char ch : it->get_ref<const std::string&>())
            if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f)
                throw InputError(file, at(key), "must not contain control characters", shown(*it));
        return it->get<std::string>();
    }

    std::optional<Date> date(const std::string& key) const {
        const auto it = obj.find(key);
        if (it == obj.end())
            return std::nullopt;
        std::optional<Date> d;
        if (it->is_string())
            d = parse_date(it->get_ref<const std::string&>());
        if (!d)
            throw InputError(file, at(key), "must be a date \"YYYY-MM-DD\"", shown(*it));
        return d;
    }

    int whole(const std::string& key, int lo, int hi, int fallback) const {
        const auto it = obj.find(key);
        if (it == obj.end())
            return fallback;
        const std::string range =
            "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
        if (!it->is_number())
            throw InputError(file, at(key), range, shown(*it));
        const double x = it->get<double>();
        if (!(x >= lo && x <= hi) || std::floor(x) != x)
            throw InputError(file, at(key), range, shown(*it));
        return static_cast<int>(x);
    }

    double real(const std::string& key, double lo, double hi, double fallback) const {
        const auto it = obj.find(key);
        if (it == obj.end())
            return fallback;
        if (!it->is_number() || !(it->get<double>() >= lo && it->get<double>() <= hi))
            throw InputError(file, at(key),
                             "must be a number in [" + json(lo).dump() + ", " + json(hi).dump() +
                                 "]",
                             shown(*it));
        return it->get<double>();
    }
};

constexpr int kMaxDays = 36500;

template <class Model> void read_common(const Fields& f, Model& m) {
    m.csv = f.text("csv", std::nullopt);
    m.column = f.text("column", "close");
    m.start = f.date("start");
    m.end = f.date("end");
    m.max_gap_days = f.whole("max_gap_days", 1, kMaxDays, 10);
    if (m.start && m.end && *m.start > *m.end)
        throw InputError(f.file, f.at("end"), "must not be before start",
                         json(format_date(*m.end)).dump());
}

template <class Model> void write_common(nlohmann::ordered_json& j, const Model& m) {
    j["csv"] = m.csv;
    j["column"] = m.column;
    if (m.start)
        j["start"] = format_date(*m.start);
    if (m.end)
        j["end"] = format_date(*m.end);
    j["max_gap_days"] = m.max_gap_days;
}

} // namespace

HistoricalModel parse_historical_model(const json& j, const std::string& file,
                                       const std::string& pointer) {
    const Fields f(j, file, pointer, {"type", "csv", "column", "start", "end", "max_gap_days"});
    HistoricalModel m;
    read_common(f, m);
    return m;
}

BootstrapModel parse_bootstrap_model(const json& j, const std::string& file,
                                     const std::string& pointer) {
    const Fields f(j, file, pointer,
                   {"type", "csv", "column", "start", "end", "max_gap_days", "mean_block_length"});
    BootstrapModel m;
    read_common(f, m);
    m.mean_block_length = f.real("mean_block_length", 1.0, 1e6, 1.0);
    return m;
}

RateSeriesSpec parse_rate_series_spec(const json& j, const std::string& file,
                                      const std::string& pointer) {
    const Fields f(j, file, pointer, {"csv", "column", "max_stale_days", "max_gap_days"});
    RateSeriesSpec s;
    s.csv = f.text("csv", std::nullopt);
    s.column = f.text("column", "close");
    s.max_stale_days = f.whole("max_stale_days", 1, kMaxDays, 10);
    s.max_gap_days = f.whole("max_gap_days", 1, kMaxDays, 10);
    return s;
}

nlohmann::ordered_json to_json(const HistoricalModel& m) {
    nlohmann::ordered_json j;
    j["type"] = "historical";
    write_common(j, m);
    return j;
}

nlohmann::ordered_json to_json(const BootstrapModel& m) {
    nlohmann::ordered_json j;
    j["type"] = "bootstrap";
    write_common(j, m);
    j["mean_block_length"] = m.mean_block_length;
    return j;
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

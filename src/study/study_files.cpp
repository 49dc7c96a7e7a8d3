#include "letf/study/study_files.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/io/json_reader.hpp"
#include "letf/output/report.hpp"
#include "letf/strategies/strategy.hpp"
#include "letf/version.hpp"

namespace letf {

using nlohmann::json;
using ojson = nlohmann::ordered_json;
namespace fs = std::filesystem;

namespace {

ojson row_json(const SummaryRow& row) {
    ojson j;
    j["strategy"] = row.strategy;
    j["label"] = row.label;
    j["multiple"] = row.multiple;
    const std::vector<SummaryColumn>& columns = summary_columns();
    for (std::size_t k = 0; k < columns.size(); ++k)
        j[columns[k].name] = row.metrics[k] ? ojson(*row.metrics[k]) : ojson(nullptr);
    return j;
}

/// Throws json::exception when a key is missing or of the wrong type.
SummaryRow row_from_json(const ojson& j) {
    SummaryRow row;
    row.strategy = j.at("strategy").get<std::string>();
    row.label = j.at("label").get<std::string>();
    row.multiple = j.at("multiple").get<double>();
    const std::vector<SummaryColumn>& columns = summary_columns();
    for (std::size_t k = 0; k < columns.size(); ++k) {
        const ojson& v = j.at(columns[k].name);
        if (!v.is_null())
            row.metrics[k] = v.get<double>();
    }
    return row;
}

} // namespace

ojson point_summary_json(const PointSummary& s) {
    ojson j;
    j["paths"] = s.paths;
    j["days"] = s.days;
    j["underlying"] = row_json(s.underlying);
    j["results"] = ojson::array();
    for (const SummaryRow& r : s.rows)
        j["results"].push_back(row_json(r));
    return j;
}

namespace {

PointSummary summary_from_json(const ojson& s) {
    PointSummary out;
    out.paths = s.at("paths").get<std::int64_t>();
    out.days = s.at("days").get<int>();
    out.underlying = row_from_json(s.at("underlying"));
    for (const ojson& r : s.at("results"))
        out.rows.push_back(row_from_json(r));
    return out;
}

ojson point_values(const Study& study, const StudyPoint& point) {
    ojson values = ojson::object();
    for (std::size_t a = 0; a < study.axes.size(); ++a)
        values[study.axes[a].pointer] = ojson::parse(study.axes[a].values[point.value_index[a]]);
    return values;
}

/// True when `s` has one row per position of `config` (make_positions order: strategy by
/// strategy, the multiples within each, one row per portfolio), each labelled as it is labelled
/// now: a file written when a label read otherwise runs again, so no study mixes two spellings.
bool labels_match(const PointSummary& s, const ScenarioConfig& config) {
    const std::vector<Position> positions = make_positions(config);
    if (s.rows.size() != positions.size())
        return false;
    for (std::size_t k = 0; k < s.rows.size(); ++k)
        if (s.rows[k].label != positions[k].label)
            return false;
    return s.underlying.label == "underlying";
}

/// The terminal quantiles of one series' report block ({"terminal": {"quantiles": [{q, value}]}})
/// at `levels`, or nullopt when the block lists other levels.
std::optional<std::vector<std::optional<double>>>
terminal_quantiles(const ojson& series, const std::vector<double>& levels) {
    const ojson& list = series.at("terminal").at("quantiles");
    if (list.size() != levels.size())
        return std::nullopt;
    std::vector<std::optional<double>> out;
    for (std::size_t i = 0; i < levels.size(); ++i) {
        if (list[i].at("q").get<double>() != levels[i])
            return std::nullopt;
        const ojson& v = list[i].at("value");
        out.push_back(v.is_null() ? std::nullopt : std::optional<double>(v.get<double>()));
    }
    return out;
}

/// Fills every row's quantiles (and the levels) of `s` from the point file's report, which holds
/// the terminal value's quantiles at the configured levels exactly as summarize computes them
/// (num() writes a double that reads back to the same value). False when the report disagrees.
bool read_quantiles(const ojson& report, const std::vector<double>& levels, PointSummary& s) {
    const ojson& results = report.at("results");
    if (results.size() != s.rows.size())
        return false;
    s.quantile_levels = levels;
    auto under = terminal_quantiles(report.at("underlying"), levels);
    if (!under)
        return false;
    s.underlying.quantiles = std::move(*under);
    for (std::size_t k = 0; k < s.rows.size(); ++k) {
        auto q = terminal_quantiles(results[k], levels);
        if (!q)
            return false;
        s.rows[k].quantiles = std::move(*q);
    }
    return true;
}

/// The checksum of a point file: over the compact text of every key but "checksum" (the text
/// `dump(2)` writes parses back to the same values, so the reader recomputes it exactly).
std::string point_checksum(const ojson& without_checksum) {
    return fmt::format("fnv1a64:{:016x}", fnv1a64(without_checksum.dump()));
}

} // namespace

std::string point_file_name(std::size_t index) {
    return fmt::format("{:04d}.json", index);
}

std::optional<std::size_t> point_index_of(const std::string& name) {
    constexpr std::string_view ext = ".json";
    if (name.size() < 4 + ext.size() || name.size() > 18 + ext.size() ||
        name.compare(name.size() - ext.size(), ext.size(), ext) != 0)
        return std::nullopt;
    std::size_t i = 0;
    for (std::size_t k = 0; k + ext.size() < name.size(); ++k) {
        if (name[k] < '0' || name[k] > '9')
            return std::nullopt;
        i = i * 10 + static_cast<std::size_t>(name[k] - '0');
    }
    if (point_file_name(i) != name)
        return std::nullopt;
    return i;
}

std::string point_file_text(const Study& study, const StudyPoint& point,
                            const SimulationResult& result) {
    ojson j;
    j["schema_version"] = 1;
    j["study"] = study.name;
    j["study_hash"] = study_hash(study);
    j["point"] = point.index;
    j["values"] = point_values(study, point);
    j["summary"] = point_summary_json(summarize(point.config, result));
    j["report"] = build_report(point.config, result);
    j["checksum"] = point_checksum(j);
    return report_text(j);
}

std::optional<PointSummary> read_point_file(const fs::path& path, const Study& study,
                                            const StudyPoint& point) {
    std::error_code ec;
    if (!fs::exists(path, ec))
        return std::nullopt;
    try {
        ojson j = read_ordered_json_text(read_input_file(path), path.string());
        const std::string checksum = j.at("checksum").get<std::string>();
        j.erase("checksum");
        if (point_checksum(j) != checksum || j.at("schema_version") != 1 ||
            j.at("study_hash") != study_hash(study) || j.at("point") != point.index ||
            j.at("report").at("config") != to_json(point.config))
            return std::nullopt;
        PointSummary out = summary_from_json(j.at("summary"));
        if (!labels_match(out, point.config) ||
            !read_quantiles(j.at("report"), point.config.quantiles, out))
            return std::nullopt;
        return out;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt; // truncated, edited or from another version: run the point again
    } catch (const InputError&) {
        return std::nullopt; // not a file, not JSON, or beyond the limits: run the point again
    }
}

namespace {

ojson run_info_json(const StudyRunInfo& info) {
    return {{"version", kVersion},
            {"threads", info.threads},
            {"points", info.points},
            {"points_done", info.points_done},
            {"points_run", info.points_run},
            {"points_resumed", info.points_resumed},
            {"complete", info.complete},
            {"elapsed_seconds", info.elapsed_seconds},
            {"path_days_per_second", info.elapsed_seconds > 0 && info.path_days_run > 0
                                         ? ojson(info.path_days_run / info.elapsed_seconds)
                                         : ojson(nullptr)}};
}

/// The summary columns in CSV order, for readers (the plot scripts) that label them.
ojson metrics_json() {
    ojson out = ojson::array();
    for (const SummaryColumn& m : summary_columns())
        out.push_back({{"name", m.name}, {"description", m.description}});
    return out;
}

ojson point_json(const Study& study, const StudyPoint& p, const PointSummary& summary) {
    ojson pj;
    pj["point"] = p.index;
    pj["values"] = point_values(study, p);
    ojson labels = ojson::object();
    for (std::size_t a = 0; a < study.axes.size(); ++a)
        if (!study.axes[a].labels.empty())
            labels[study.axes[a].pointer] = study.axes[a].labels[p.value_index[a]];
    if (!labels.empty())
        pj["labels"] = labels;
    pj["file"] = "points/" + point_file_name(p.index);
    const ojson rows = point_summary_json(summary); // a named object: items() refers into it
    for (const auto& item : rows.items())
        pj[item.key()] = item.value();
    return pj;
}

} // namespace

std::string study_json_text(const Study& study, const std::vector<std::optional<PointSummary>>& s,
                            const StudyRunInfo& info) {
    ojson j;
    j["schema_version"] = 1;
    j["study"] = to_json(study);
    j["study_hash"] = study_hash(study);
    j["metrics"] = metrics_json();
    j["run_info"] = run_info_json(info);
    ojson points = ojson::array();
    for (const StudyPoint& p : study.points)
        if (s[p.index])
            points.push_back(point_json(study, p, *s[p.index]));
    j["points"] = points;
    return report_text(j);
}

namespace {

std::string csv_cell(const std::string& text) {
    if (text.find_first_of(",\"\n\r") == std::string::npos)
        return text;
    std::string out = "\"";
    for (char ch : text)
        out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return out + "\"";
}

std::string csv_number(std::optional<double> x) {
    return x ? fmt::format("{}", *x) : std::string();
}

// Cells are appended one by one (GCC 12 warns, wrongly, on "," + std::string chains).
void cell(std::string& line, std::string_view text) {
    line += ',';
    line += text;
}

/// The name of the study.csv column of quantile level q, in the style of p05 and p95: the
/// percentage with at least two integer digits, shortest form: 0.01 -> p01, 0.5 -> p50,
/// 0.995 -> p99.5, 0.001 -> p00.1, 1 -> p100.
std::string quantile_column(double q) {
    const std::string pct = fmt::format("{:.12g}", q * 100.0);
    const std::size_t int_digits = std::min(pct.find('.'), pct.size());
    std::string name = "p";
    name.append(int_digits < 2 ? 2 - int_digits : 0, '0');
    name += pct;
    return name;
}

/// The quantile columns study.csv adds: every level configured at any done point (sorted, in a
/// point-order-independent union), except those whose name a summary column has (p05, p95).
std::vector<std::pair<double, std::string>>
quantile_columns(const std::vector<std::optional<PointSummary>>& s) {
    std::set<double> levels;
    for (const std::optional<PointSummary>& ps : s)
        if (ps)
            levels.insert(ps->quantile_levels.begin(), ps->quantile_levels.end());
    std::set<std::string> taken;
    for (const SummaryColumn& m : summary_columns())
        taken.insert(m.name);
    std::vector<std::pair<double, std::string>> out;
    for (const double q : levels) {
        std::string name = quantile_column(q);
        if (taken.insert(name).second)
            out.emplace_back(q, std::move(name));
    }
    return out;
}

std::string csv_header(const Study& study,
                       const std::vector<std::pair<double, std::string>>& quantiles) {
    std::string out = "point";
    for (const StudyAxis& a : study.axes)
        cell(out, csv_cell(a.pointer));
    cell(out, "strategy");
    cell(out, "multiple");
    for (const SummaryColumn& m : summary_columns())
        cell(out, m.name);
    out += ",paths,days,label";
    for (const auto& q : quantiles)
        cell(out, q.second);
    return out + "\n";
}

/// The point's labels (of the axes that have them), in axis order, joined by " / ".
std::string point_label(const Study& study, const StudyPoint& p) {
    std::string out;
    for (std::size_t a = 0; a < study.axes.size(); ++a) {
        if (study.axes[a].labels.empty())
            continue;
        if (!out.empty())
            out += " / ";
        out += study.axes[a].labels[p.value_index[a]];
    }
    return out;
}

/// One row: the point's cells (`prefix`: point and axis values), the series' name and multiple,
/// its summary columns, paths, days, the point's label and its quantiles at `quantiles`' levels
/// (empty where the point did not configure a level).
std::string csv_row(const std::string& prefix, const std::string& name, const SummaryRow& r,
                    const PointSummary& ps, const std::string& label,
                    const std::vector<std::pair<double, std::string>>& quantiles) {
    std::string out = prefix;
    cell(out, csv_cell(name));
    cell(out, fmt::format("{}", r.multiple));
    for (const auto& m : r.metrics)
        cell(out, csv_number(m));
    out += fmt::format(",{},{}", ps.paths, ps.days);
    cell(out, csv_cell(label));
    for (const auto& q : quantiles) {
        std::optional<double> x;
        const auto it = std::find(ps.quantile_levels.begin(), ps.quantile_levels.end(), q.first);
        const auto i = static_cast<std::size_t>(it - ps.quantile_levels.begin());
        if (it != ps.quantile_levels.end() && i < r.quantiles.size())
            x = r.quantiles[i];
        cell(out, csv_number(x));
    }
    return out + "\n";
}

} // namespace

std::string study_csv_text(const Study& study, const std::vector<std::optional<PointSummary>>& s) {
    const std::vector<std::pair<double, std::string>> quantiles = quantile_columns(s);
    std::string out = csv_header(study, quantiles);
    for (const StudyPoint& p : study.points) {
        if (!s[p.index])
            continue;
        // Axis cells: strings bare, everything else as its JSON text.
        std::string prefix = std::to_string(p.index);
        for (std::size_t a = 0; a < study.axes.size(); ++a) {
            const std::string& v = study.axes[a].values[p.value_index[a]];
            cell(prefix, csv_cell(v.front() == '"' ? json::parse(v).get<std::string>() : v));
        }
        const PointSummary& ps = *s[p.index];
        const std::string label = point_label(study, p);
        // The index first: strategy "index", multiple 1, the underlying's statistics.
        out += csv_row(prefix, "index", ps.underlying, ps, label, quantiles);
        for (const SummaryRow& r : ps.rows)
            out += csv_row(prefix, r.label, r, ps, label, quantiles);
    }
    return out;
}

} // namespace letf

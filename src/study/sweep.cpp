#include "letf/study/sweep.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <exception>
#include <fstream>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sys/file.h>
#include <unistd.h>

#include "letf/theory/analytic.hpp"
#include "letf/io/atomic_file.hpp"
#include "letf/base/error.hpp"
#include "letf/io/json_reader.hpp"
#include "letf/config/market_config.hpp"
#include "letf/output/report.hpp"
#include "letf/version.hpp"

namespace letf {

using nlohmann::json;
using ojson = nlohmann::ordered_json;
namespace fs = std::filesystem;

namespace {

/// A JSON value for an error message, shortened like the scenario parser does.
std::string shown(const json& v) {
    return shown_value(v);
}

std::string shown_text(const std::string& compact) {
    return shortened(compact);
}

void check_study_name(const json& v, const std::string& file) {
    if (!v.is_string())
        throw InputError(file, "/name", "must be a string", shown(v));
    const std::string name = v.get<std::string>();
    bool ok = !name.empty() && name.size() <= 100 && name.front() != '.';
    for (char ch : name)
        ok = ok && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-');
    if (!ok)
        throw InputError(file, "/name",
                         "must be 1-100 characters from A-Z a-z 0-9 . _ - (it names the output "
                         "folder), not starting with '.'",
                         shown(v));
}

/// The reference tokens of an RFC 6901 pointer ("/a/b~1c" -> {"a", "b/c"}); nullopt if malformed.
std::optional<std::vector<std::string>> pointer_tokens(const std::string& pointer) {
    if (pointer.empty() || pointer.front() != '/')
        return std::nullopt;
    std::vector<std::string> tokens(1);
    for (std::size_t i = 1; i < pointer.size(); ++i) {
        const char ch = pointer[i];
        if (ch == '/') {
            tokens.emplace_back();
        } else if (ch == '~') {
            if (i + 1 >= pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1'))
                return std::nullopt;
            tokens.back() += pointer[++i] == '0' ? '~' : '/';
        } else {
            tokens.back() += ch;
        }
    }
    return tokens;
}

/// An array index token: "0" or digits without a leading zero, below `size`.
std::optional<std::size_t> array_index(const std::string& token, std::size_t size) {
    if (token.empty() || token.size() > 9 || (token.size() > 1 && token.front() == '0'))
        return std::nullopt;
    std::size_t i = 0;
    for (char ch : token) {
        if (ch < '0' || ch > '9')
            return std::nullopt;
        i = i * 10 + static_cast<std::size_t>(ch - '0');
    }
    if (i >= size)
        return std::nullopt;
    return i;
}

/// Sets doc at `tokens` to `value`, creating missing object keys on the way. Returns an empty
/// string on success, else why the pointer does not fit the document.
std::string set_at(json& doc, const std::vector<std::string>& tokens, const json& value) {
    json* cur = &doc;
    std::string walked;
    for (std::size_t t = 0; t < tokens.size(); ++t) {
        const std::string& token = tokens[t];
        const bool last = t + 1 == tokens.size();
        if (cur->is_object()) {
            if (!last && !cur->contains(token))
                (*cur)[token] = json::object();
            if (last)
                (*cur)[token] = value;
            else
                cur = &(*cur)[token];
        } else if (cur->is_array()) {
            const auto i = array_index(token, cur->size());
            if (!i)
                return "\"" + display_text(token) + "\" is not an index of the array at " +
                       (walked.empty() ? "/" : walked) + " (size " + std::to_string(cur->size()) +
                       ")";
            if (last)
                (*cur)[*i] = value;
            else
                cur = &(*cur)[*i];
        } else {
            return "passes through " + walked + ", which is a " + cur->type_name() +
                   ", not an object or array";
        }
        walked.append("/").append(pointer_token(token));
    }
    return {};
}

/// True when `inner` is `outer` or lies inside it ("/model/sigma" inside "/model").
bool inside(const std::string& inner, const std::string& outer) {
    return inner == outer ||
           (inner.size() > outer.size() && inner.compare(0, outer.size(), outer) == 0 &&
            inner[outer.size()] == '/');
}

struct AxisIn {
    std::vector<std::string> tokens;
    std::vector<json> values;
};

std::string point_label(const Study& s, const std::vector<std::size_t>& value_index) {
    std::string out;
    for (std::size_t a = 0; a < s.axes.size(); ++a)
        out += (a ? ", " : "") + display_text(s.axes[a].pointer) + " = " +
               shown_text(s.axes[a].values[value_index[a]]);
    return out;
}

/// The string at `tokens` of `doc`, through objects only; null when there is none.
json* string_at(json& doc, const std::vector<std::string>& tokens) {
    json* cur = &doc;
    for (const std::string& token : tokens) {
        if (!cur->is_object() || !cur->contains(token))
            return nullptr;
        cur = &(*cur)[token];
    }
    return cur->is_string() ? cur : nullptr;
}

std::vector<std::string> data_path_tokens(std::string_view pointer) {
    return *pointer_tokens(std::string(pointer));
}

/// A base read from `base_file` names its data files relative to its own folder, but every point
/// is parsed as part of the study (relative paths from `study_file`'s folder, which is right for
/// the study's inline base and axis values). So the base's relative data paths are rewritten to
/// name the same files from the study's folder (an absolute path where no relative one does).
void rebase_data_paths(json& base, const std::string& base_file, const std::string& study_file) {
    const fs::path study_dir = fs::path(study_file).parent_path().lexically_normal();
    for (std::string_view pointer : kDataPathPointers) {
        json* v = string_at(base, data_path_tokens(pointer));
        if (!v || v->get_ref<const std::string&>().empty() ||
            fs::path(v->get<std::string>()).is_absolute())
            continue;
        const fs::path target =
            resolve_data_path(v->get<std::string>(), base_file).lexically_normal();
        fs::path from_study = study_dir.empty() ? target : target.lexically_relative(study_dir);
        if (from_study.empty() ||
            resolve_data_path(from_study.string(), study_file).lexically_normal() != target)
            from_study = fs::absolute(target).lexically_normal();
        *v = from_study.string();
    }
}

/// An error in a data file (a CSV) read for a point: names the file, its place, and the axis
/// value or base field that named the file.
InputError data_file_error(const InputError& e, const Study& s, json& point_doc,
                           const StudyPoint& p, const std::string& file,
                           const std::string& base_file) {
    std::string named_by;
    for (std::string_view pointer : kDataPathPointers) {
        const json* v = string_at(point_doc, data_path_tokens(pointer));
        if (!v || resolve_data_path(v->get<std::string>(), file).lexically_normal().string() !=
                      fs::path(e.file()).lexically_normal().string())
            continue;
        named_by = base_file.empty()
                       ? "the base (" + file + ": /base" + std::string(pointer) + ")"
                       : "the base scenario (" + base_file + ": " + std::string(pointer) + ")";
        for (std::size_t a = 0; a < s.axes.size(); ++a)
            if (inside(std::string(pointer), s.axes[a].pointer))
                named_by = "axis " + s.axes[a].pointer + " (" + file + ": /axes/" +
                           std::to_string(a) + "/values/" + std::to_string(p.value_index[a]) + ")";
        break;
    }
    std::string message = e.message();
    if (!e.value().empty())
        message += " (got " + e.value() + ")";
    message += "; the file is named by " + (named_by.empty() ? "the study " + file : named_by) +
               " at point " + std::to_string(p.index) + " (" + point_label(s, p.value_index) + ")";
    return InputError(e.file(), e.where(), message);
}

} // namespace

Study parse_study(const json& doc, const std::string& file, const fs::path& base_dir) {
    if (!doc.is_object())
        throw InputError(file, "/", "a study must be an object", shown(doc));
    static const std::vector<std::string> allowed{"name", "description", "base", "axes", "combine"};
    for (const auto& item : doc.items())
        if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end())
            throw InputError(file, "/" + pointer_token(item.key()),
                             "unknown key; expected one of name, description, base, axes, combine",
                             shown(item.value()));
    Study s;
    if (!doc.contains("name"))
        throw InputError(file, "/name", "missing required key");
    check_study_name(doc["name"], file);
    s.name = doc["name"].get<std::string>();
    if (doc.contains("description")) {
        if (!doc["description"].is_string())
            throw InputError(file, "/description", "must be a string", shown(doc["description"]));
        s.description = doc["description"].get<std::string>();
    }

    // The base: an object, or a scenario file relative to the study's folder.
    if (!doc.contains("base"))
        throw InputError(file, "/base", "missing required key");
    json base = doc["base"];
    std::string base_file; // set when the base came from a file
    if (base.is_string()) {
        const fs::path p = base_dir / base.get<std::string>();
        std::string text;
        try {
            text = read_input_file(p);
        } catch (const InputError& e) { // missing, not a regular file, too large
            throw InputError(file, "/base",
                             "cannot read the scenario file " + display_text(p.string()) + ": " +
                                 e.message(),
                             shown(base));
        }
        base_file = p.string();
        base = read_json_text(text, base_file);
    }
    if (!base.is_object())
        throw InputError(file, "/base", "must be a scenario object or the path of a scenario file",
                         shown(base));
    if (!base_file.empty())
        rebase_data_paths(base, base_file, file);
    s.base_json = base.dump();

    std::string combine = "grid";
    if (doc.contains("combine")) {
        const json& c = doc["combine"];
        if (!c.is_string() || (c != "grid" && c != "zip"))
            throw InputError(file, "/combine", "must be \"grid\" or \"zip\"", shown(c));
        combine = c.get<std::string>();
    }
    s.combine = combine == "zip" ? Combine::zip : Combine::grid;

    // Axes: each checked on its own, then against the others and the base.
    if (!doc.contains("axes"))
        throw InputError(file, "/axes", "missing required key");
    const json& axes = doc["axes"];
    if (!axes.is_array() || axes.empty())
        throw InputError(file, "/axes", "must be a non-empty array of axis objects", shown(axes));
    std::vector<AxisIn> in(axes.size());
    for (std::size_t a = 0; a < axes.size(); ++a) {
        const std::string at = "/axes/" + std::to_string(a);
        const json& ax = axes[a];
        if (!ax.is_object())
            throw InputError(file, at, "must be an object {\"pointer\", \"values\"}", shown(ax));
        for (const auto& item : ax.items())
            if (item.key() != "pointer" && item.key() != "values" && item.key() != "labels")
                throw InputError(file, at + "/" + pointer_token(item.key()),
                                 "unknown key; expected one of pointer, values, labels",
                                 shown(item.value()));
        if (!ax.contains("pointer"))
            throw InputError(file, at + "/pointer", "missing required key");
        if (!ax.contains("values"))
            throw InputError(file, at + "/values", "missing required key");
        const json& ptr = ax["pointer"];
        if (!ptr.is_string() || !pointer_tokens(ptr.get<std::string>()))
            throw InputError(file, at + "/pointer",
                             "must be a JSON pointer into the scenario, such as \"/model/sigma\"",
                             shown(ptr));
        StudyAxis axis;
        axis.pointer = ptr.get<std::string>();
        in[a].tokens = *pointer_tokens(axis.pointer);
        if (in[a].tokens.size() > kMaxJsonDepth) // it could build a deeper document
            throw InputError(file, at + "/pointer",
                             "has more than " + std::to_string(kMaxJsonDepth) + " reference tokens",
                             shown(ptr));
        for (std::size_t b = 0; b < a; ++b)
            if (inside(axis.pointer, s.axes[b].pointer) || inside(s.axes[b].pointer, axis.pointer))
                throw InputError(file, at + "/pointer",
                                 "overlaps axis " + std::to_string(b) + " (" +
                                     display_text(s.axes[b].pointer) +
                                     "); one axis may not set a value inside another's",
                                 shown(ptr));
        const json& values = ax["values"];
        if (!values.is_array() || values.empty())
            throw InputError(file, at + "/values", "must be a non-empty array", shown(values));
        for (std::size_t k = 0; k < values.size(); ++k) {
            const json& v = values[k];
            if (std::find(in[a].values.begin(), in[a].values.end(), v) != in[a].values.end())
                throw InputError(file, at + "/values/" + std::to_string(k), "duplicate value",
                                 shown(v));
            in[a].values.push_back(v);
            axis.values.push_back(v.dump());
        }
        if (ax.contains("labels")) {
            const json& labels = ax["labels"];
            const std::string lat = at + "/labels";
            if (!labels.is_array() || labels.size() != values.size())
                throw InputError(file, lat,
                                 "must be an array of " + std::to_string(values.size()) +
                                     " strings, one per value",
                                 shown(labels));
            for (std::size_t k = 0; k < labels.size(); ++k) {
                if (!labels[k].is_string())
                    throw InputError(file, lat + "/" + std::to_string(k), "must be a string",
                                     shown(labels[k]));
                axis.labels.push_back(labels[k].get<std::string>());
            }
        }
        // Whether the pointer fits the base does not depend on the value (axes do not overlap).
        json probe = base;
        if (const std::string why = set_at(probe, in[a].tokens, in[a].values.front()); !why.empty())
            throw InputError(file, at + "/pointer", "does not fit the base scenario: " + why,
                             shown(ptr));
        s.axes.push_back(std::move(axis));
    }

    // Point count and expansion.
    std::size_t count = 1;
    if (s.combine == Combine::zip) {
        count = in.front().values.size();
        for (std::size_t a = 1; a < in.size(); ++a)
            if (in[a].values.size() != count)
                throw InputError(file, "/axes/" + std::to_string(a) + "/values",
                                 "has " + std::to_string(in[a].values.size()) +
                                     " values; \"zip\" needs as many as axis 0 (" +
                                     std::to_string(count) + ")",
                                 shown(axes[a]["values"]));
    } else {
        for (const AxisIn& a : in) {
            count *= a.values.size();
            if (count > Study::kMaxPoints)
                break;
        }
    }
    if (count > Study::kMaxPoints)
        throw InputError(file, "/axes",
                         "the study has more than " + std::to_string(Study::kMaxPoints) +
                             " points");

    for (std::size_t i = 0; i < count; ++i) {
        StudyPoint p;
        p.index = i;
        p.value_index.assign(in.size(), i);
        if (s.combine == Combine::grid) {
            std::size_t rest = i;
            for (std::size_t a = in.size(); a-- > 0;) {
                p.value_index[a] = rest % in[a].values.size();
                rest /= in[a].values.size();
            }
        }
        json point_doc = base;
        for (std::size_t a = 0; a < in.size(); ++a)
            set_at(point_doc, in[a].tokens, in[a].values[p.value_index[a]]);
        try {
            p.config = parse_scenario(point_doc, file);
        } catch (const InputError& e) {
            if (e.file() != file && e.file() != base_file)
                throw data_file_error(e, s, point_doc, p, file, base_file);
            // Blame the axis whose value holds the problem; otherwise the base, at this point.
            for (std::size_t a = 0; a < in.size(); ++a) {
                const std::string ptr = display_text(s.axes[a].pointer); // as e.where() shows it
                // The problem lies in the axis value, or in an object the axis created.
                const bool ancestor = e.where().size() > 1 && inside(ptr, e.where());
                if (!inside(e.where(), ptr) && !ancestor)
                    continue;
                const std::string message =
                    e.where() == ptr ? "axis " + ptr + ": " + e.message()
                                     : "axis " + ptr + ", at " + e.where() + ": " + e.message();
                throw InputError(
                    file,
                    "/axes/" + std::to_string(a) + "/values/" + std::to_string(p.value_index[a]),
                    message, e.value().empty() ? shown(in[a].values[p.value_index[a]]) : e.value());
            }
            const std::string message = "at point " + std::to_string(i) + " (" +
                                        point_label(s, p.value_index) + "): " + e.message();
            if (!base_file.empty())
                throw InputError(base_file, e.where(), message, e.value());
            throw InputError(file, "/base" + (e.where() == "/" ? "" : e.where()), message,
                             e.value());
        }
        s.points.push_back(std::move(p));
    }
    return s;
}

Study load_study(const fs::path& path) {
    return parse_study(read_json_text(read_input_file(path), path.string()), path.string(),
                       path.parent_path());
}

ojson to_json(const Study& s) {
    ojson j;
    j["name"] = s.name;
    if (!s.description.empty())
        j["description"] = s.description;
    j["base"] = ojson::parse(s.base_json);
    ojson axes = ojson::array();
    for (const StudyAxis& a : s.axes) {
        ojson ax;
        ax["pointer"] = a.pointer;
        ax["values"] = ojson::array();
        for (const std::string& v : a.values)
            ax["values"].push_back(ojson::parse(v));
        if (!a.labels.empty())
            ax["labels"] = a.labels;
        axes.push_back(ax);
    }
    j["axes"] = axes;
    j["combine"] = s.combine == Combine::zip ? "zip" : "grid";
    return j;
}

std::optional<double> SummaryRow::metric(std::string_view name) const {
    for (std::size_t k = 0; k < kSummaryMetrics.size(); ++k)
        if (kSummaryMetrics[k] == name)
            return metrics[k];
    return std::nullopt;
}

namespace {

std::optional<double> finite(std::optional<double> x) {
    if (x && !std::isfinite(*x))
        return std::nullopt;
    return x;
}

std::optional<double> share(std::int64_t count, std::int64_t n) {
    if (n <= 0)
        return std::nullopt;
    return static_cast<double>(count) / static_cast<double>(n);
}

SummaryRow summary_row(std::string strategy, double multiple, const PositionResult& r,
                       const Analytic& a, bool underlying) {
    SummaryRow row;
    row.strategy = std::move(strategy);
    row.multiple = multiple;
    const std::array<std::optional<double>, kSummaryMetrics.size()> values = {
        r.terminal.moments.mean_value(),
        r.terminal.median(),
        r.terminal.quantile(0.05),
        r.terminal.quantile(0.95),
        share(r.loss, r.paths),
        underlying ? std::nullopt : share(r.underperform, r.paths),
        share(r.wipeout, r.paths),
        underlying ? std::nullopt : r.log_decay.moments.mean_value(),
        a.log_decay_mean,
        r.max_drawdown.moments.mean_value(),
        r.terminal.moments.std_error(),
        a.mean_terminal,
        r.terminal.moments.std_dev(),
        r.log_return.moments.mean_value(),
        underlying ? std::nullopt : r.log_decay.median(),
        underlying ? std::nullopt : r.log_decay.moments.std_error(),
        r.max_drawdown.median()};
    for (std::size_t k = 0; k < values.size(); ++k)
        row.metrics[k] = finite(values[k]);
    return row;
}

ojson row_json(const SummaryRow& row) {
    ojson j;
    j["strategy"] = row.strategy;
    j["multiple"] = row.multiple;
    for (std::size_t k = 0; k < kSummaryMetrics.size(); ++k)
        j[std::string(kSummaryMetrics[k])] =
            row.metrics[k] ? ojson(*row.metrics[k]) : ojson(nullptr);
    return j;
}

/// Throws json::exception when a key is missing or of the wrong type.
SummaryRow row_from_json(const ojson& j) {
    SummaryRow row;
    row.strategy = j.at("strategy").get<std::string>();
    row.multiple = j.at("multiple").get<double>();
    for (std::size_t k = 0; k < kSummaryMetrics.size(); ++k) {
        const ojson& v = j.at(std::string(kSummaryMetrics[k]));
        if (!v.is_null())
            row.metrics[k] = v.get<double>();
    }
    return row;
}

ojson summary_json(const PointSummary& s) {
    ojson j;
    j["paths"] = s.paths;
    j["days"] = s.days;
    j["underlying"] = row_json(s.underlying);
    j["results"] = ojson::array();
    for (const SummaryRow& r : s.rows)
        j["results"].push_back(row_json(r));
    return j;
}

ojson point_values(const Study& study, const StudyPoint& point) {
    ojson values = ojson::object();
    for (std::size_t a = 0; a < study.axes.size(); ++a)
        values[study.axes[a].pointer] = ojson::parse(study.axes[a].values[point.value_index[a]]);
    return values;
}

} // namespace

PointSummary summarize(const ScenarioConfig& config, const SimulationResult& result) {
    PointSummary s;
    s.paths = config.paths;
    s.days = config.days;
    s.underlying =
        summary_row("underlying", 1.0, result.underlying, analytic_underlying(config), true);
    for (const PositionResult& p : result.positions)
        s.rows.push_back(summary_row(std::string(to_string(p.position.strategy)),
                                     p.position.multiple, p, analytic_position(config, p.position),
                                     false));
    return s;
}

std::string point_file_name(std::size_t index) {
    return fmt::format("{:04d}.json", index);
}

namespace {

/// FNV-1a, 64 bits: detects accidental edits and damage, not a deliberate forgery.
std::uint64_t fnv1a64(std::string_view text) {
    std::uint64_t h = 14695981039346656037ull;
    for (const char ch : text) {
        h ^= static_cast<unsigned char>(ch);
        h *= 1099511628211ull;
    }
    return h;
}

/// The checksum of a point file: over the compact text of every key but "checksum" (the text
/// `dump(2)` writes parses back to the same values, so the reader recomputes it exactly).
std::string point_checksum(const ojson& without_checksum) {
    return fmt::format("fnv1a64:{:016x}", fnv1a64(without_checksum.dump()));
}

} // namespace

std::string study_hash(const Study& study) {
    return fmt::format("{:016x}", fnv1a64(to_json(study).dump()));
}

std::string point_file_text(const Study& study, const StudyPoint& point,
                            const SimulationResult& result) {
    ojson j;
    j["schema_version"] = 1;
    j["study"] = study.name;
    j["study_hash"] = study_hash(study);
    j["point"] = point.index;
    j["values"] = point_values(study, point);
    j["summary"] = summary_json(summarize(point.config, result));
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
        const ojson& s = j.at("summary");
        PointSummary out;
        out.paths = s.at("paths").get<std::int64_t>();
        out.days = s.at("days").get<int>();
        out.underlying = row_from_json(s.at("underlying"));
        for (const ojson& r : s.at("results"))
            out.rows.push_back(row_from_json(r));
        if (out.rows.size() != point.config.multiples.size() * point.config.strategies.size())
            return std::nullopt;
        return out;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt; // truncated, edited or from another version: run the point again
    } catch (const InputError&) {
        return std::nullopt; // not a file, not JSON, or beyond the limits: run the point again
    }
}

namespace {

/// Reads the top-level "study_hash" of a point file or study.json without parsing the rest (it
/// comes before the summary and the report). nullopt when the file has none.
class StudyHashReader : public nlohmann::json_sax<json> {
public:
    std::optional<std::string> hash;

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t& value) override {
        if (depth_ == 1 && key_ == "study_hash") {
            hash = value;
            return false; // found: stop parsing
        }
        return true;
    }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return enter(); }
    bool end_object() override { return leave(); }
    bool start_array(std::size_t) override { return enter(); }
    bool end_array() override { return leave(); }
    bool key(string_t& value) override {
        if (depth_ == 1)
            key_ = value;
        // The hash precedes these: a file without it before them has none.
        return depth_ != 1 || (key_ != "summary" && key_ != "report" && key_ != "run_info");
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
        return false;
    }

private:
    bool enter() {
        ++depth_;
        return true;
    }
    bool leave() {
        --depth_;
        return true;
    }
    int depth_ = 0;
    std::string key_;
};

std::optional<std::string> read_study_hash(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) // a FIFO would block, a device never end
        return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    StudyHashReader reader;
    try {
        json::sax_parse(in, &reader);
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
    return reader.hash;
}

} // namespace

std::string study_json_text(const Study& study, const std::vector<std::optional<PointSummary>>& s,
                            const StudyRunInfo& info) {
    ojson j;
    j["schema_version"] = 1;
    j["study"] = to_json(study);
    j["study_hash"] = study_hash(study);
    j["run_info"] = {{"version", kVersion},
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
    ojson points = ojson::array();
    for (const StudyPoint& p : study.points) {
        if (!s[p.index])
            continue;
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
        const ojson summary = summary_json(*s[p.index]);
        for (const auto& item : summary.items())
            pj[item.key()] = item.value();
        points.push_back(pj);
    }
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

} // namespace

std::string study_csv_text(const Study& study, const std::vector<std::optional<PointSummary>>& s) {
    // Cells are appended one by one (GCC 12 warns, wrongly, on "," + std::string chains).
    std::string out = "point";
    const auto cell = [](std::string& line, std::string_view text) {
        line += ',';
        line += text;
    };
    for (const StudyAxis& a : study.axes)
        cell(out, csv_cell(a.pointer));
    cell(out, "strategy");
    cell(out, "multiple");
    for (std::string_view m : kSummaryMetrics)
        cell(out, m);
    out += ",paths,days\n";
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
        for (const SummaryRow& r : ps.rows) {
            out += prefix;
            cell(out, r.strategy);
            cell(out, fmt::format("{}", r.multiple));
            for (const auto& m : r.metrics)
                cell(out, csv_number(m));
            out += fmt::format(",{},{}\n", ps.paths, ps.days);
        }
    }
    return out;
}

namespace {

struct StopRequested {};

double path_days(const ScenarioConfig& c) {
    return static_cast<double>(c.paths) * static_cast<double>(c.days);
}

/// An advisory lock (flock) on `dir/.letfsim-sweep.lock`, held while it lives. The lock file
/// stays: removing it would let a sweep that opened it just before lock a file no one else sees.
class FolderLock {
public:
    explicit FolderLock(const fs::path& dir) {
        const fs::path path = dir / kSweepLockFile;
        fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
        if (fd_ < 0)
            throw std::runtime_error(path.string() +
                                     ": cannot open the lock file: " + std::strerror(errno));
        if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
            const int err = errno;
            ::close(fd_);
            if (err == EWOULDBLOCK)
                throw InputError(dir.string(), "",
                                 "another sweep is writing into this folder (it holds " +
                                     path.string() +
                                     "); wait for it to end or choose another folder with -o");
            throw std::runtime_error(path.string() + ": cannot lock: " + std::strerror(err));
        }
    }
    ~FolderLock() { ::close(fd_); }
    FolderLock(const FolderLock&) = delete;
    FolderLock& operator=(const FolderLock&) = delete;

private:
    int fd_ = -1;
};

/// The point index a file name `NNNN.json` (as point_file_name writes it) stands for.
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

[[noreturn]] void refuse_other_study(const fs::path& dir, const fs::path& file,
                                     const std::string& theirs, const std::string& ours) {
    throw InputError(dir.string(), "",
                     "holds the results of another study (" + file.string() + " has study hash " +
                         theirs + ", this study " + ours +
                         "); choose another folder with -o or remove these results (--resume "
                         "continues only the same study)");
}

/// Refuses a folder that holds results of another study (study.json or a point file with a
/// different study hash), then removes the point files beyond this study's points (left by a
/// version without study hashes, or copied in). Files of other names are never touched.
std::size_t claim_folder(const Study& study, const fs::path& dir, const std::string& hash) {
    const fs::path points_dir = dir / "points";
    if (const auto theirs = read_study_hash(dir / "study.json"); theirs && *theirs != hash)
        refuse_other_study(dir, dir / "study.json", *theirs, hash);
    std::vector<fs::path> stale;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(points_dir, ec)) {
        const auto index = point_index_of(e.path().filename().string());
        if (!index || !e.is_regular_file())
            continue;
        if (const auto theirs = read_study_hash(e.path()); theirs && *theirs != hash)
            refuse_other_study(dir, e.path(), *theirs, hash);
        if (*index >= study.points.size())
            stale.push_back(e.path());
    }
    for (const fs::path& p : stale)
        if (!fs::remove(p, ec) && ec)
            throw std::runtime_error(p.string() +
                                     ": cannot remove a stale point file: " + ec.message());
    return stale.size();
}

} // namespace

StudyRunInfo run_study(const Study& study, const fs::path& dir, const SweepOptions& options) {
    using clock = std::chrono::steady_clock;
    const auto start = clock::now();
    const auto seconds_since = [](clock::time_point t) {
        return std::chrono::duration<double>(clock::now() - t).count();
    };
    const fs::path points_dir = dir / "points";
    check_output_folder(dir);
    check_output_folder(points_dir);
    std::error_code ec;
    fs::create_directories(points_dir, ec);
    if (ec)
        throw std::runtime_error(points_dir.string() +
                                 ": cannot create the folder: " + ec.message());
    const FolderLock lock(dir); // held until the study ends
    // Temporaries of this program's writers that died (SIGKILL); a live writer's stay.
    remove_stale_temporaries(dir);
    remove_stale_temporaries(points_dir);
    const std::string hash = study_hash(study);
    const std::size_t stale_removed = claim_folder(study, dir, hash);

    const std::size_t n = study.points.size();
    StudyRunInfo info;
    info.threads = resolve_threads(options.threads); // capped like the engine's
    info.points = n;
    info.stale_points_removed = stale_removed;
    std::vector<std::optional<PointSummary>> summaries(n);
    double path_days_left = 0.0, paths_run = 0.0;
    for (const StudyPoint& p : study.points) {
        if (options.resume)
            summaries[p.index] = read_point_file(points_dir / point_file_name(p.index), study, p);
        if (summaries[p.index])
            ++info.points_resumed;
        else
            path_days_left += path_days(p.config);
    }
    info.points_done = info.points_resumed;

    const auto stop = [&options] { return options.stop_requested && options.stop_requested(); };
    const auto write_study = [&] {
        info.elapsed_seconds = seconds_since(start);
        info.complete = info.points_done == n;
        write_file_atomic(dir / "study.json", study_json_text(study, summaries, info));
        write_file_atomic(dir / "study.csv", study_csv_text(study, summaries));
    };
    auto last_write = clock::now();
    const auto finish_point = [&](const StudyPoint& p, const SimulationResult& r) {
        write_file_atomic(points_dir / point_file_name(p.index), point_file_text(study, p, r));
        summaries[p.index] = summarize(p.config, r);
        ++info.points_done;
        ++info.points_run;
        info.path_days_run += path_days(p.config);
        path_days_left -= path_days(p.config);
        paths_run += static_cast<double>(p.config.paths);
        info.elapsed_seconds = seconds_since(start);
        if (options.progress) {
            SweepProgress pr;
            pr.point = p.index;
            pr.point_seconds = r.elapsed_seconds;
            pr.info = &info;
            const double rate = info.path_days_run / std::max(info.elapsed_seconds, 1e-9);
            pr.eta_seconds = std::max(0.0, path_days_left) / rate;
            pr.paths_per_second = paths_run / std::max(info.elapsed_seconds, 1e-9);
            pr.path_days_per_second = rate;
            options.progress(pr);
        }
        if (seconds_since(last_write) > 5.0) {
            write_study();
            last_write = clock::now();
        }
    };

    const int threads = info.threads;
    const auto is_small = [&](const StudyPoint& p) {
        return threads > 1 && p.config.paths < options.small_point_paths_per_thread * threads;
    };

    std::size_t i = 0;
    try {
        while (i < n && !stop()) {
            if (summaries[i]) {
                ++i;
                continue;
            }
            const StudyPoint& p = study.points[i];
            if (!is_small(p)) {
                EngineOptions eo;
                eo.threads = options.threads;
                eo.progress = [&stop](std::int64_t) {
                    if (stop())
                        throw StopRequested{}; // between groups of blocks, outside OpenMP
                };
                finish_point(p, simulate(p.config, eo));
                ++i;
                continue;
            }
            // A run of small points side by side, one thread each; written in index order.
            std::vector<std::size_t> batch;
            for (std::size_t k = i; k < n && batch.size() < 4 * static_cast<std::size_t>(threads);
                 ++k) {
                if (summaries[k])
                    continue;
                if (!is_small(study.points[k]))
                    break;
                batch.push_back(k);
            }
            std::vector<std::optional<SimulationResult>> results(batch.size());
            std::vector<std::exception_ptr> errors(batch.size());
            std::atomic<std::size_t> next{0};
            std::atomic<bool> abandon{false};
            const auto worker = [&] {
                for (std::size_t b = next++; b < batch.size() && !abandon && !stop(); b = next++) {
                    try {
                        EngineOptions eo;
                        eo.threads = 1;
                        results[b] = simulate(study.points[batch[b]].config, eo);
                    } catch (...) {
                        errors[b] = std::current_exception();
                    }
                }
            };
            std::vector<std::thread> pool;
            const std::size_t workers = std::min(batch.size(), static_cast<std::size_t>(threads));
            std::string start_failure;
            try {
                for (std::size_t w = 0; w < workers; ++w)
                    pool.push_back(options.start_thread ? options.start_thread(worker)
                                                        : std::thread(worker));
            } catch (const std::exception& e) {
                // Join what started (a joinable thread destroyed would terminate the process).
                start_failure = fmt::format("cannot start thread {} of {}: {}", pool.size() + 1,
                                            workers, e.what());
                abandon = true;
            }
            for (std::thread& t : pool)
                t.join();
            for (std::size_t b = 0; b < batch.size(); ++b) {
                if (errors[b])
                    std::rethrow_exception(errors[b]);
                if (results[b])
                    finish_point(study.points[batch[b]], *results[b]);
            }
            if (!start_failure.empty()) {
                write_study();
                throw std::runtime_error(fmt::format(
                    "{}; {} of {} points are done in {}; run again with --resume (or fewer "
                    "--threads)",
                    start_failure, info.points_done, n, dir.string()));
            }
            i = batch.back() + 1;
        }
    } catch (const StopRequested&) {
        // The point in progress is dropped; everything finished so far is on disk.
    }
    write_study();
    return info;
}

} // namespace letf

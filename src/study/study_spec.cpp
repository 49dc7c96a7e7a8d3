#include "letf/study/study_spec.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "json_pointer.hpp"
#include "letf/base/error.hpp"
#include "letf/io/json_reader.hpp"
#include "letf/io/object_reader.hpp"
#include "study_points.hpp"

namespace letf {

using nlohmann::json;
using ojson = nlohmann::ordered_json;
namespace fs = std::filesystem;
using study_detail::AxisIn;

namespace {

std::string study_name(const ObjectReader& r) {
    const std::string name = r.string("name", std::nullopt);
    bool ok = !name.empty() && name.size() <= 100 && name.front() != '.';
    for (char ch : name)
        ok = ok && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-');
    if (!ok)
        throw InputError(r.file(), "/name",
                         "must be 1-100 characters from A-Z a-z 0-9 . _ - (it names the output "
                         "folder), not starting with '.'",
                         shown_value(r.require("name")));
    return name;
}

/// The base scenario, an object or a scenario file relative to the study's folder; `base_file`
/// is set when it came from a file (its data paths are then rewritten from the study's folder).
json study_base(const ObjectReader& r, const fs::path& base_dir, std::string& base_file) {
    const std::string& file = r.file();
    json base = r.require("base");
    if (base.is_string()) {
        const fs::path p = base_dir / base.get<std::string>();
        std::string text;
        try {
            text = read_input_file(p);
        } catch (const InputError& e) { // missing, not a regular file, too large
            throw InputError(file, "/base",
                             "cannot read the scenario file " + display_text(p.string()) + ": " +
                                 e.message(),
                             shown_value(base));
        }
        base_file = p.string();
        base = read_json_text(text, base_file);
    }
    if (!base.is_object())
        throw InputError(file, "/base", "must be a scenario object or the path of a scenario file",
                         shown_value(base));
    if (!base_file.empty())
        study_detail::rebase_data_paths(base, base_file, file);
    // A base's "$schema" (for editors) is ignored: not carried into study.json or its hash. A
    // value that is not a string stays, for the scenario parser to report.
    if (const auto it = base.find("$schema"); it != base.end() && it->is_string())
        base.erase(it);
    return base;
}

Combine study_combine(const ObjectReader& r) {
    const json* c = r.find("combine");
    if (!c)
        return Combine::grid;
    if (!c->is_string() || (*c != "grid" && *c != "zip"))
        throw InputError(r.file(), "/combine", "must be \"grid\" or \"zip\"", shown_value(*c));
    return *c == "zip" ? Combine::zip : Combine::grid;
}

/// The axis's pointer, checked for form, depth and overlap with the axes before it.
std::string axis_pointer(const ObjectReader& r, const std::vector<StudyAxis>& before, AxisIn& in) {
    const json& ptr = r.require("pointer");
    const std::string at = r.child("pointer");
    const auto tokens =
        ptr.is_string() ? study_detail::pointer_tokens(ptr.get<std::string>()) : std::nullopt;
    if (!tokens)
        throw InputError(r.file(), at,
                         "must be a JSON pointer into the scenario, such as \"/model/sigma\"",
                         shown_value(ptr));
    in.tokens = *tokens;
    if (in.tokens.size() > kMaxJsonDepth) // it could build a deeper document
        throw InputError(r.file(), at,
                         "has more than " + std::to_string(kMaxJsonDepth) + " reference tokens",
                         shown_value(ptr));
    const std::string pointer = ptr.get<std::string>();
    for (std::size_t b = 0; b < before.size(); ++b)
        if (study_detail::inside(pointer, before[b].pointer) ||
            study_detail::inside(before[b].pointer, pointer))
            throw InputError(r.file(), at,
                             "overlaps axis " + std::to_string(b) + " (" +
                                 display_text(before[b].pointer) +
                                 "); one axis may not set a value inside another's",
                             shown_value(ptr));
    return pointer;
}

void axis_values(const ObjectReader& r, StudyAxis& axis, AxisIn& in) {
    const json& values = r.require("values");
    if (!values.is_array() || values.empty())
        throw InputError(r.file(), r.child("values"), "must be a non-empty array",
                         shown_value(values));
    for (std::size_t k = 0; k < values.size(); ++k) {
        const json& v = values[k];
        if (std::find(in.values.begin(), in.values.end(), v) != in.values.end())
            throw InputError(r.file(), r.child("values") + "/" + std::to_string(k),
                             "duplicate value", shown_value(v));
        in.values.push_back(v);
        axis.values.push_back(v.dump());
    }
}

void axis_labels(const ObjectReader& r, StudyAxis& axis) {
    const json* labels = r.find("labels");
    if (!labels)
        return;
    const std::string at = r.child("labels");
    if (!labels->is_array() || labels->size() != axis.values.size())
        throw InputError(r.file(), at,
                         "must be an array of " + std::to_string(axis.values.size()) +
                             " strings, one per value",
                         shown_value(*labels));
    for (std::size_t k = 0; k < labels->size(); ++k) {
        if (!(*labels)[k].is_string())
            throw InputError(r.file(), at + "/" + std::to_string(k), "must be a string",
                             shown_value((*labels)[k]));
        axis.labels.push_back((*labels)[k].get<std::string>());
    }
}

/// Axis `a`, checked on its own, against the axes before it and against the base.
StudyAxis study_axis(const json& ax, std::size_t a, const std::string& file, const json& base,
                     const std::vector<StudyAxis>& before, AxisIn& in) {
    const ObjectReader r(ax, file, "/axes/" + std::to_string(a), {"pointer", "values", "labels"},
                         "must be an object {\"pointer\", \"values\"}");
    r.require("pointer");
    r.require("values");
    StudyAxis axis;
    axis.pointer = axis_pointer(r, before, in);
    axis_values(r, axis, in);
    axis_labels(r, axis);
    // Whether the pointer fits the base does not depend on the value (axes do not overlap).
    json probe = base;
    if (const std::string why = study_detail::set_at(probe, in.tokens, in.values.front());
        !why.empty())
        throw InputError(file, r.child("pointer"), "does not fit the base scenario: " + why,
                         shown_value(r.require("pointer")));
    return axis;
}

std::size_t point_count(const Study& s, const std::vector<AxisIn>& in, const json& axes,
                        const std::string& file) {
    std::size_t count = 1;
    if (s.combine == Combine::zip) {
        count = in.front().values.size();
        for (std::size_t a = 1; a < in.size(); ++a)
            if (in[a].values.size() != count)
                throw InputError(file, "/axes/" + std::to_string(a) + "/values",
                                 "has " + std::to_string(in[a].values.size()) +
                                     " values; \"zip\" needs as many as axis 0 (" +
                                     std::to_string(count) + ")",
                                 shown_value(axes[a]["values"]));
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
    return count;
}

} // namespace

Study parse_study(const json& doc, const std::string& file, const fs::path& base_dir) {
    const ObjectReader r(doc, file, "",
                         {"name", "description", "base", "axes", "combine", "$schema"},
                         "a study must be an object");
    r.string("$schema", std::string()); // for editors (schemas/); any string, ignored
    Study s;
    s.name = study_name(r);
    s.description = r.string("description", "");
    std::string base_file; // set when the base came from a file
    const json base = study_base(r, base_dir, base_file);
    s.base_json = base.dump();
    s.combine = study_combine(r);

    const json& axes = r.require("axes");
    if (!axes.is_array() || axes.empty())
        throw InputError(file, "/axes", "must be a non-empty array of axis objects",
                         shown_value(axes));
    std::vector<AxisIn> in(axes.size());
    for (std::size_t a = 0; a < axes.size(); ++a)
        s.axes.push_back(study_axis(axes[a], a, file, base, s.axes, in[a]));

    const std::size_t count = point_count(s, in, axes, file);
    for (std::size_t i = 0; i < count; ++i)
        s.points.push_back(study_detail::expand_point(s, in, base, i, file, base_file));
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

std::string study_hash(const Study& study) {
    return fmt::format("{:016x}", fnv1a64(to_json(study).dump()));
}

} // namespace letf

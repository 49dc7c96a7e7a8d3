#include "study_points.hpp"

#include <filesystem>

#include "json_pointer.hpp"
#include "letf/base/error.hpp"
#include "letf/config/market_config.hpp"
#include "letf/io/json_reader.hpp"

namespace letf::study_detail {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string point_label(const Study& s, const std::vector<std::size_t>& value_index) {
    std::string out;
    for (std::size_t a = 0; a < s.axes.size(); ++a)
        out += (a ? ", " : "") + display_text(s.axes[a].pointer) + " = " +
               shortened(s.axes[a].values[value_index[a]]);
    return out;
}

std::vector<std::string> data_path_tokens(std::string_view pointer) {
    return *pointer_tokens(std::string(pointer));
}

/// What named the data file of pointer `pointer` at point `p`: an axis value or the base.
std::string data_file_namer(const Study& s, const StudyPoint& p, std::string_view pointer,
                            const std::string& file, const std::string& base_file) {
    std::string named_by =
        base_file.empty() ? "the base (" + file + ": /base" + std::string(pointer) + ")"
                          : "the base scenario (" + base_file + ": " + std::string(pointer) + ")";
    for (std::size_t a = 0; a < s.axes.size(); ++a)
        if (inside(std::string(pointer), s.axes[a].pointer))
            named_by = "axis " + s.axes[a].pointer + " (" + file + ": /axes/" + std::to_string(a) +
                       "/values/" + std::to_string(p.value_index[a]) + ")";
    return named_by;
}

/// An error in a data file (a CSV) read for a point: names the file, its place, and the axis
/// value or base field that named the file.
InputError data_file_error(const InputError& e, const Study& s, json& point_doc,
                           const StudyPoint& p, const std::string& file,
                           const std::string& base_file) {
    std::string named_by;
    for (const std::string& pointer : data_path_pointers(point_doc)) {
        const json* v = string_at(point_doc, data_path_tokens(pointer));
        if (!v || resolve_data_path(v->get<std::string>(), file).lexically_normal().string() !=
                      fs::path(e.file()).lexically_normal().string())
            continue;
        named_by = data_file_namer(s, p, pointer, file, base_file);
        break;
    }
    std::string message = e.message();
    if (!e.value().empty())
        message += " (got " + e.value() + ")";
    message += "; the file is named by " + (named_by.empty() ? "the study " + file : named_by) +
               " at point " + std::to_string(p.index) + " (" + point_label(s, p.value_index) + ")";
    return InputError(e.file(), e.where(), message);
}

/// A scenario error at point `p`: blames the axis whose value holds the problem; otherwise the
/// base, at this point.
InputError point_error(const InputError& e, const Study& s, const std::vector<AxisIn>& in,
                       const StudyPoint& p, const std::string& file, const std::string& base_file) {
    for (std::size_t a = 0; a < in.size(); ++a) {
        const std::string ptr = display_text(s.axes[a].pointer); // as e.where() shows it
        // The problem lies in the axis value, or in an object the axis created.
        const bool ancestor = e.where().size() > 1 && inside(ptr, e.where());
        if (!inside(e.where(), ptr) && !ancestor)
            continue;
        const std::string message = e.where() == ptr
                                        ? "axis " + ptr + ": " + e.message()
                                        : "axis " + ptr + ", at " + e.where() + ": " + e.message();
        return InputError(
            file, "/axes/" + std::to_string(a) + "/values/" + std::to_string(p.value_index[a]),
            message, e.value().empty() ? shown_value(in[a].values[p.value_index[a]]) : e.value());
    }
    const std::string message = "at point " + std::to_string(p.index) + " (" +
                                point_label(s, p.value_index) + "): " + e.message();
    if (!base_file.empty())
        return InputError(base_file, e.where(), message, e.value());
    return InputError(file, "/base" + (e.where() == "/" ? "" : e.where()), message, e.value());
}

} // namespace

void rebase_data_paths(json& base, const std::string& base_file, const std::string& study_file) {
    const fs::path study_dir = fs::path(study_file).parent_path().lexically_normal();
    for (const std::string& pointer : data_path_pointers(base)) {
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

StudyPoint expand_point(const Study& s, const std::vector<AxisIn>& in, const json& base,
                        std::size_t index, const std::string& file, const std::string& base_file) {
    StudyPoint p;
    p.index = index;
    p.value_index.assign(in.size(), index);
    if (s.combine == Combine::grid) {
        std::size_t rest = index;
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
        throw point_error(e, s, in, p, file, base_file);
    }
    return p;
}

} // namespace letf::study_detail

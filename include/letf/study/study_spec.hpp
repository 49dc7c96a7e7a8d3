#pragma once
/// \file study/study_spec.hpp
/// Studies: one base scenario run at many points, each point the base with some values replaced.
///
/// A study file is one JSON object:
///   {"name": "vol_x_multiple", "description": "...",          (description optional)
///    "base": {<scenario>} or "path/to/scenario.json",          (a path is relative to the study)
///    "axes": [{"pointer": "/model/sigma", "values": [0.1, 0.2], "labels": ["low", "high"]}, ...],
///    "combine": "grid" | "zip"}                                (default "grid"; labels optional)
/// Each axis replaces the value at a JSON pointer (RFC 6901) of the base scenario; missing object
/// keys on the way are created, array indices must exist. `grid` runs every combination (point
/// index in row-major order: the last axis varies fastest), `zip` runs the i-th value of every
/// axis together (all axes the same length). Every point is parsed and validated as a scenario
/// before anything runs. Relative data paths (kDataPathPointers) resolve from the file that names
/// them: those of a base file from the base file's folder, those of the study's inline base and
/// axis values from the study's folder. An error in a data file names that file, its line, and
/// the axis value or base field that named it.

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "letf/base/hash.hpp"
#include "letf/base/limits.hpp"
#include "letf/config/scenario.hpp"

namespace letf {

enum class Combine { grid, zip };

/// One axis: the pointer it replaces and its values, each kept as compact JSON text.
struct StudyAxis {
    std::string pointer;
    std::vector<std::string> values; ///< compact JSON, e.g. "0.2" or "{\"type\":\"gbm\",...}"
    std::vector<std::string> labels; ///< empty, or one display label per value
};

/// One point of a study: which value of each axis it takes and the validated scenario.
struct StudyPoint {
    std::size_t index = 0;
    std::vector<std::size_t> value_index; ///< per axis, into StudyAxis::values
    ScenarioConfig config;
};

/// A validated study with every point expanded. Invariants (checked by parse_study): at least one
/// axis, every axis non-empty without duplicate values or pointers, no pointer inside another,
/// zip axes of equal length, 1 to kMaxPoints points, each a valid scenario.
struct Study {
    static constexpr std::size_t kMaxPoints = limits::kMaxStudyPoints;

    std::string name; ///< [A-Za-z0-9._-]+, names the default output folder
    std::string description;
    std::string base_json; ///< the base scenario as given (compact JSON), after reading a file
    std::vector<StudyAxis> axes;
    Combine combine = Combine::grid;
    std::vector<StudyPoint> points;
};

/// Parses and validates a study. `file` names the study in error messages; a base given as a path
/// is read relative to `base_dir`. Throws InputError naming the study's JSON pointer and value;
/// for a point that is not a valid scenario, the pointer of the axis value responsible
/// (`/axes/0/values/3`), the scenario field and its value.
Study parse_study(const nlohmann::json& doc, const std::string& file,
                  const std::filesystem::path& base_dir);
Study load_study(const std::filesystem::path& path);

/// The study as JSON, with the base inlined: it can be run again as a study file.
nlohmann::ordered_json to_json(const Study& study);

/// 16 hex digits: FNV-1a (64 bits) of the compact text of to_json(study). Any change of the study
/// (base, axes, values, labels, combine, name, description) changes it.
std::string study_hash(const Study& study);

} // namespace letf

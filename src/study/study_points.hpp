#pragma once
/// \file study/study_points.hpp
/// Expanding a parsed study into its points, and the errors that name the axis value or base
/// field responsible. Private to the study module (study_spec.cpp uses it).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "letf/study/study_spec.hpp"

namespace letf::study_detail {

/// An axis as parsed: its reference tokens and its values as JSON.
struct AxisIn {
    std::vector<std::string> tokens;
    std::vector<nlohmann::json> values;
};

/// A base read from `base_file` names its data files relative to its own folder, but every point
/// is parsed as part of the study (relative paths from `study_file`'s folder, which is right for
/// the study's inline base and axis values). So the base's relative data paths are rewritten to
/// name the same files from the study's folder (an absolute path where no relative one does).
void rebase_data_paths(nlohmann::json& base, const std::string& base_file,
                       const std::string& study_file);

/// Point `index` of `s` (its value of each axis and its validated scenario, parsed from `base`
/// with the axis values set). Throws InputError blaming the axis value, the base field or the
/// data file (with the field that named it) responsible.
StudyPoint expand_point(const Study& s, const std::vector<AxisIn>& in, const nlohmann::json& base,
                        std::size_t index, const std::string& file, const std::string& base_file);

} // namespace letf::study_detail

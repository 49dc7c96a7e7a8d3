#pragma once
// Helpers of the study tests: scratch files, a tiny base scenario and studies over it.

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../test_util.hpp"
#include "letf/base/error.hpp"
#include "letf/study/sweep.hpp"

namespace letf::study_test {

namespace fs = std::filesystem;
using nlohmann::json;

using ScratchDir = letf::test::TempDir;

inline std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void spit(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

inline const char* const kBase = R"({"name": "b", "seed": 5, "paths": 600, "days": 10,
    "model": {"type": "gbm", "mu": 0.05, "sigma": 0.2}, "multiples": [-1, 2, 3]})";

/// A study over kBase with the given axes (JSON text of the array) and combine.
inline json study_doc(const std::string& axes, const std::string& combine = "grid") {
    return json::parse(R"({"name": "s", "base": )" + std::string(kBase) + R"(, "axes": )" + axes +
                       R"(, "combine": ")" + combine + "\"}");
}

inline Study parse(const json& doc) {
    return parse_study(doc, "study.json", ".");
}

/// Parses and expects an InputError at `where` whose text holds every string in `parts`.
inline void expect_error(const json& doc, const std::string& where,
                         std::vector<std::string> parts) {
    try {
        parse(doc);
        ADD_FAILURE() << "no error; expected one at " << where;
    } catch (const InputError& e) {
        EXPECT_EQ(e.file(), "study.json");
        EXPECT_EQ(e.where(), where) << e.what();
        for (const std::string& p : parts)
            EXPECT_NE(std::string(e.what()).find(p), std::string::npos)
                << "'" << p << "' not in: " << e.what();
    }
}

inline const GbmModel& gbm(const StudyPoint& p) {
    return std::get<GbmModel>(p.config.model);
}

/// Sweep options running the points on one thread.
inline SweepOptions one_thread() {
    SweepOptions o;
    o.threads = 1;
    return o;
}

} // namespace letf::study_test

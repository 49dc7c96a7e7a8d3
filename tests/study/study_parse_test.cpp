// Studies: grid and zip expansion, pointer and value validation, data files named by a base file or
// an axis.

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/study/sweep.hpp"
#include "study_test_util.hpp"

namespace letf {
namespace {

using namespace study_test; // NOLINT: the helpers of every study test

TEST(Sweep, GridExpandsEveryCombinationLastAxisFastest) {
    const Study s = parse(study_doc(R"([{"pointer": "/model/sigma", "values": [0.1, 0.3, 0.5]},
                                        {"pointer": "/days", "values": [21, 252]}])"));
    ASSERT_EQ(s.points.size(), 6u);
    const double sigmas[] = {0.1, 0.1, 0.3, 0.3, 0.5, 0.5};
    const int days[] = {21, 252, 21, 252, 21, 252};
    for (std::size_t i = 0; i < 6; ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(s.points[i].index, i);
        EXPECT_EQ(gbm(s.points[i]).sigma, sigmas[i]);
        EXPECT_EQ(s.points[i].config.days, days[i]);
        // Everything not on an axis comes from the base.
        EXPECT_EQ(gbm(s.points[i]).mu, 0.05);
        EXPECT_EQ(s.points[i].config.paths, 600);
        EXPECT_EQ(s.points[i].config.name, "b");
    }
    EXPECT_EQ(s.axes[1].values, (std::vector<std::string>{"21", "252"}));
}

TEST(Sweep, ZipPairsTheIthValuesAndNeedsEqualLengths) {
    const Study s = parse(study_doc(R"([{"pointer": "/model/sigma", "values": [0.1, 0.3, 0.5]},
                                        {"pointer": "/days", "values": [21, 63, 252]}])",
                                    "zip"));
    ASSERT_EQ(s.points.size(), 3u);
    EXPECT_EQ(gbm(s.points[2]).sigma, 0.5);
    EXPECT_EQ(s.points[2].config.days, 252);
    EXPECT_EQ(s.points[1].config.days, 63);

    expect_error(study_doc(R"([{"pointer": "/model/sigma", "values": [0.1, 0.3, 0.5]},
                               {"pointer": "/days", "values": [21, 63]}])",
                           "zip"),
                 "/axes/1/values", {"zip", "3"});
}

TEST(Sweep, ObjectValuesReplaceAWholeModelAndMissingKeysAreCreated) {
    json doc = study_doc(R"([{"pointer": "/model", "values": [
            {"type": "gbm", "mu": 0.3, "sigma": 0.1},
            {"type": "choppy", "amplitude_daily": 0.02}], "labels": ["trend", "chop"]},
        {"pointer": "/costs/financing_rate", "values": [0, 0.05]}])");
    const Study s = parse(doc);
    ASSERT_EQ(s.points.size(), 4u);
    EXPECT_TRUE(std::holds_alternative<GbmModel>(s.points[0].config.model));
    EXPECT_TRUE(std::holds_alternative<ChoppyModel>(s.points[3].config.model));
    EXPECT_EQ(std::get<ChoppyModel>(s.points[3].config.model).amplitude_daily, 0.02);
    EXPECT_EQ(s.points[0].config.costs.financing_rate, 0.0); // "costs" is not in the base
    EXPECT_EQ(s.points[1].config.costs.financing_rate, 0.05);
    EXPECT_EQ(s.axes[0].labels, (std::vector<std::string>{"trend", "chop"}));
    // The study echoed in study.json runs again as the same study.
    const Study again = parse(json::parse(to_json(s).dump()));
    ASSERT_EQ(again.points.size(), s.points.size());
    for (std::size_t i = 0; i < s.points.size(); ++i)
        EXPECT_EQ(to_json(again.points[i].config), to_json(s.points[i].config));
}

TEST(Sweep, ABaseMayLackWhatAnAxisProvides) {
    json doc = study_doc(R"([{"pointer": "/multiples", "values": [[2], [-1, 3]]}])");
    doc["base"].erase("multiples");
    const Study s = parse(doc);
    ASSERT_EQ(s.points.size(), 2u);
    EXPECT_EQ(s.points[1].config.multiples, (std::vector<double>{-1, 3}));
}

TEST(Sweep, BadValueNamesTheAxisPointerAndValue) {
    expect_error(study_doc(R"([{"pointer": "/days", "values": [21]},
                               {"pointer": "/model/sigma", "values": [0.1, 0.2, -0.2]}])"),
                 "/axes/1/values/2", {"axis /model/sigma", "must be in", "(got -0.2)"});
    // Inside an object value: the axis and the field within it.
    expect_error(study_doc(R"([{"pointer": "/model", "values": [{"type": "gbm", "mu": 0}]}])"),
                 "/axes/0/values/0", {"axis /model", "/model/sigma", "missing required key"});
    // A typo in the pointer lands on an unknown key of the scenario.
    expect_error(study_doc(R"([{"pointer": "/model/sgima", "values": [0.1]}])"), "/axes/0/values/0",
                 {"axis /model/sgima", "unknown key", "(got 0.1)"});
    expect_error(study_doc(R"([{"pointer": "/days", "values": [21, 0]}])"), "/axes/0/values/1",
                 {"axis /days", "(got 0)"});
}

TEST(Sweep, PointErrorOutsideEveryAxisNamesTheBaseAndThePoint) {
    json doc = study_doc(R"([{"pointer": "/model/noise", "values": ["student_t", "normal"]}])");
    doc["base"]["model"] = {{"type", "trend_noise"}, {"mu", 0.0}, {"sigma", 0.2}, {"df", 4}};
    expect_error(doc, "/base/model/df", {"at point 1", "/model/noise = \"normal\"", "(got 4)"});
}

TEST(Sweep, PointerValidation) {
    expect_error(study_doc(R"([{"pointer": "model/sigma", "values": [0.1]}])"), "/axes/0/pointer",
                 {"JSON pointer"});
    expect_error(study_doc(R"([{"pointer": "/model/~2", "values": [0.1]}])"), "/axes/0/pointer",
                 {"JSON pointer"});
    expect_error(study_doc(R"([{"pointer": 3, "values": [0.1]}])"), "/axes/0/pointer", {"(got 3)"});
    expect_error(study_doc(R"([{"pointer": "/days/x", "values": [1]}])"), "/axes/0/pointer",
                 {"/days", "number"});
    json no_days = study_doc(R"([{"pointer": "/days/x", "values": [1]}])");
    no_days["base"].erase("days");
    expect_error(no_days, "/axes/0/values/0", {"axis /days/x, at /days", "integer"});
    expect_error(study_doc(R"([{"pointer": "/multiples/3", "values": [1]}])"), "/axes/0/pointer",
                 {"index", "size 3"});
    expect_error(study_doc(R"([{"pointer": "/model", "values": [{"type": "gbm"}]},
                               {"pointer": "/model/sigma", "values": [0.1]}])"),
                 "/axes/1/pointer", {"overlaps axis 0"});
    expect_error(study_doc(R"([{"pointer": "/days", "values": [1]},
                               {"pointer": "/days", "values": [2]}])"),
                 "/axes/1/pointer", {"overlaps"});
    // An existing array index may be replaced.
    const Study s = parse(study_doc(R"([{"pointer": "/multiples/0", "values": [-2, -3]}])"));
    EXPECT_EQ(s.points[1].config.multiples, (std::vector<double>{-3, 2, 3}));
}

TEST(Sweep, StudyFileValidation) {
    expect_error(study_doc(R"([])"), "/axes", {"non-empty"});
    expect_error(study_doc(R"([{"pointer": "/days", "values": []}])"), "/axes/0/values",
                 {"non-empty"});
    expect_error(study_doc(R"([{"pointer": "/days", "values": [5, 6, 5]}])"), "/axes/0/values/2",
                 {"duplicate"});
    expect_error(study_doc(R"([{"pointer": "/days", "values": [5], "step": 1}])"), "/axes/0/step",
                 {"unknown key"});
    expect_error(study_doc(R"([{"pointer": "/days", "values": [5, 6], "labels": ["a"]}])"),
                 "/axes/0/labels", {"2 strings"});
    expect_error(study_doc(R"([{"pointer": "/days", "values": [5]}])", "cross"), "/combine",
                 {"grid", "zip"});
    json doc = study_doc(R"([{"pointer": "/days", "values": [5]}])");
    doc["extra"] = 1;
    expect_error(doc, "/extra", {"unknown key"});
    doc.erase("extra");
    doc["name"] = "a b";
    expect_error(doc, "/name", {"characters"});
    doc.erase("name");
    expect_error(doc, "/name", {"missing"});
    doc["name"] = "s";
    doc["base"] = 7;
    expect_error(doc, "/base", {"scenario"});
    doc["base"] = "no_such_file.json";
    expect_error(doc, "/base", {"cannot open", "no_such_file.json"});
    // Too many points for a grid.
    std::string many = "[";
    for (int a = 0; a < 6; ++a) {
        many += std::string(a ? "," : "") + R"({"pointer": "/costs/)" +
                std::string(a % 2 ? "expense_ratio" : "short_fee") + std::to_string(a) +
                R"(", "values": [0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07]})";
    }
    expect_error(study_doc(many + "]"), "/axes", {"more than 100000 points"});
}

TEST(Sweep, BaseFromAFileIsReadRelativeToTheStudy) {
    ScratchDir dir;
    fs::create_directories(dir / "sub");
    spit(dir / "sub" / "base.json", kBase);
    spit(dir / "sub" / "study.json", R"({"name": "f", "base": "base.json",
        "axes": [{"pointer": "/model/sigma", "values": [0.1, 0.2]}]})");
    const Study s = load_study(dir / "sub" / "study.json");
    ASSERT_EQ(s.points.size(), 2u);
    EXPECT_EQ(s.points[0].config.name, "b");
    EXPECT_EQ(gbm(s.points[1]).sigma, 0.2);
    EXPECT_EQ(json::parse(s.base_json), json::parse(kBase));

    // An error in the base file names the base file.
    spit(dir / "sub" / "base.json", R"({"name": "b", "name": "c"})");
    try {
        load_study(dir / "sub" / "study.json");
        ADD_FAILURE() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(e.file(), (dir / "sub" / "base.json").string()) << e.what();
        EXPECT_NE(std::string(e.what()).find("duplicate"), std::string::npos) << e.what();
    }
}

TEST(Sweep, DataPathsResolveFromTheFileThatNamesThem) {
    ScratchDir dir;
    fs::create_directories(dir / "base" / "data");
    fs::create_directories(dir / "studies");
    std::string prices = "date,close\n";
    for (int d = 4; d <= 29; ++d)
        prices += "2021-01-" + std::string(d < 10 ? "0" : "") + std::to_string(d) + "," +
                  std::to_string(100 + d % 3) + "\n";
    spit(dir / "base" / "data" / "px.csv", prices);
    spit(dir / "studies" / "own.csv", prices);
    spit(dir / "base" / "base.json", R"({"name": "b", "paths": 1, "multiples": [2],
        "model": {"type": "historical", "csv": "data/px.csv"}})");
    spit(dir / "studies" / "s.json", R"({"name": "s", "base": "../base/base.json",
        "axes": [{"pointer": "/multiples", "values": [[2], [3]]}]})");
    const Study s = load_study(dir / "studies" / "s.json");
    // The same resolved path as `letfsim run` of the base file gives.
    EXPECT_EQ(std::get<HistoricalModel>(s.points[0].config.model).csv,
              (dir / "base" / "data" / "px.csv").lexically_normal().string());
    EXPECT_EQ(to_json(s.points[0].config), to_json(load_scenario(dir / "base" / "base.json")));
    // An axis value's path resolves from the study's folder.
    spit(dir / "studies" / "s2.json", R"({"name": "s", "base": "../base/base.json",
        "axes": [{"pointer": "/model/csv", "values": ["own.csv"]}]})");
    EXPECT_EQ(
        std::get<HistoricalModel>(load_study(dir / "studies" / "s2.json").points[0].config.model)
            .csv,
        (dir / "studies" / "own.csv").lexically_normal().string());
}

TEST(Sweep, AnErrorInADataFileNamesTheFileItsLineAndWhoNamedIt) {
    ScratchDir dir;
    std::string prices = "date,close\n";
    for (int d = 4; d <= 29; ++d)
        prices += "2021-01-" + std::string(d < 10 ? "0" : "") + std::to_string(d) + ",100\n";
    spit(dir / "good.csv", prices);
    spit(dir / "bad.csv", "date,close\n2021-01-04,100\n2021-01-05,abc\n");
    const auto error_of = [&](const std::string& study) {
        spit(dir / "s.json", study);
        try {
            load_study(dir / "s.json");
        } catch (const InputError& e) {
            return std::pair(e, std::string(e.what()));
        }
        ADD_FAILURE() << "no error";
        return std::pair(InputError("", "", ""), std::string());
    };
    const std::string study_file = (dir / "s.json").string();
    auto [e, what] = error_of(R"({"name": "s", "base": {"name": "b", "paths": 1, "multiples": [2],
        "model": {"type": "historical", "csv": "good.csv"}},
        "axes": [{"pointer": "/model/csv", "values": ["good.csv", "bad.csv"]}]})");
    EXPECT_EQ(e.file(), (dir / "bad.csv").string()) << what;
    EXPECT_EQ(e.where(), "line 3") << what;
    EXPECT_NE(what.find("\"abc\""), std::string::npos) << what;
    EXPECT_NE(
        what.find("named by axis /model/csv (" + study_file + ": /axes/0/values/1) at point 1"),
        std::string::npos)
        << what;
    std::tie(e, what) = error_of(R"({"name": "s", "base": {"name": "b", "paths": 1,
        "model": {"type": "historical", "csv": "bad.csv"}},
        "axes": [{"pointer": "/multiples", "values": [[2], [3]]}]})");
    EXPECT_EQ(e.file(), (dir / "bad.csv").string()) << what;
    EXPECT_NE(what.find("named by the base (" + study_file + ": /base/model/csv) at point 0"),
              std::string::npos)
        << what;
    // A file that cannot be opened, named by a base file.
    spit(dir / "base.json", R"({"name": "b", "paths": 1, "model": {"type": "historical",
        "csv": "none.csv"}})");
    std::tie(e, what) = error_of(R"({"name": "s", "base": "base.json",
        "axes": [{"pointer": "/multiples", "values": [[2], [3]]}]})");
    EXPECT_EQ(e.file(), (dir / "none.csv").string()) << what;
    EXPECT_NE(what.find("named by the base scenario (" + (dir / "base.json").string() +
                        ": /model/csv) at point 0"),
              std::string::npos)
        << what;
}

} // namespace
} // namespace letf

// The study parser's messages, whole: the ObjectReader now reads the study and its axes, and
// every message stays the text the by-hand checks gave (file, pointer, message, value).

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/study/study_spec.hpp"

namespace letf {
namespace {

using nlohmann::json;

const char* const kBase = R"({"name": "b", "seed": 5, "paths": 100, "days": 10,
    "model": {"type": "gbm", "mu": 0.05, "sigma": 0.2}, "multiples": [2]})";

/// The message parse_study throws for the study `text` ("" when it throws none).
std::string message_of(const std::string& text) {
    try {
        parse_study(json::parse(text), "s.json", ".");
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

std::string with_axes(const std::string& axes, const std::string& extra = "") {
    return R"({"name": "s", "base": )" + std::string(kBase) + R"(, "axes": )" + axes + extra + "}";
}

TEST(StudySpec, SchemaKeyIsAcceptedAndIgnored) {
    // "$schema" (schemas/study.schema.json) in the study and in its base: any string, ignored.
    const std::string base =
        R"({"$schema": "../schemas/scenario.schema.json", )" + std::string(kBase).substr(1);
    const std::string with = R"({"$schema": "../../schemas/study.schema.json", "name": "s",
        "base": )" + base + R"(, "axes": [{"pointer": "/days", "values": [5, 10]}]})";
    const std::string without = R"({"name": "s", "base": )" + std::string(kBase) +
                                R"(, "axes": [{"pointer": "/days", "values": [5, 10]}]})";
    EXPECT_EQ(message_of(with), "");
    const Study s = parse_study(json::parse(with), "s.json", ".");
    EXPECT_EQ(to_json(s), to_json(parse_study(json::parse(without), "s.json", ".")));
    EXPECT_EQ(study_hash(s), study_hash(parse_study(json::parse(without), "s.json", ".")));
    ASSERT_EQ(s.points.size(), 2u);
    EXPECT_EQ(message_of(R"({"$schema": 3, "name": "s", "base": {}, "axes": []})"),
              "s.json: /$schema: must be a string (got 3)");
}

TEST(StudySpec, DocumentMessagesAreUnchanged) {
    EXPECT_EQ(message_of("[1]"), "s.json: /: a study must be an object (got [1])");
    EXPECT_EQ(message_of(with_axes("[]", R"(, "bogus": 1)")),
              "s.json: /bogus: unknown key; expected one of name, description, base, axes, "
              "combine, $schema (got 1)");
    EXPECT_EQ(message_of(R"({"base": {}, "axes": []})"), "s.json: /name: missing required key");
    EXPECT_EQ(message_of(R"({"name": 7, "base": {}, "axes": []})"),
              "s.json: /name: must be a string (got 7)");
    EXPECT_EQ(message_of(R"({"name": "s", "description": 1, "base": {}, "axes": []})"),
              "s.json: /description: must be a string (got 1)");
    EXPECT_EQ(message_of(R"({"name": "s", "axes": []})"), "s.json: /base: missing required key");
    EXPECT_EQ(message_of(R"({"name": "s", "base": 3, "axes": []})"),
              "s.json: /base: must be a scenario object or the path of a scenario file (got 3)");
    EXPECT_EQ(message_of(with_axes("[]", R"(, "combine": "cross")")),
              "s.json: /combine: must be \"grid\" or \"zip\" (got \"cross\")");
    EXPECT_EQ(message_of(R"({"name": "s", "base": {}})"), "s.json: /axes: missing required key");
    EXPECT_EQ(message_of(with_axes("{}")),
              "s.json: /axes: must be a non-empty array of axis objects (got {})");
}

TEST(StudySpec, AxisMessagesAreUnchanged) {
    EXPECT_EQ(message_of(with_axes("[3]")),
              "s.json: /axes/0: must be an object {\"pointer\", \"values\"} (got 3)");
    EXPECT_EQ(message_of(with_axes(R"([{"pointer": "/days", "values": [5], "step": 1}])")),
              "s.json: /axes/0/step: unknown key; expected one of pointer, values, labels (got 1)");
    EXPECT_EQ(message_of(with_axes(R"([{"values": [5]}])")),
              "s.json: /axes/0/pointer: missing required key");
    EXPECT_EQ(message_of(with_axes(R"([{"pointer": "/days"}])")),
              "s.json: /axes/0/values: missing required key");
    EXPECT_EQ(message_of(with_axes(R"([{"pointer": "days", "values": [5]}])")),
              "s.json: /axes/0/pointer: must be a JSON pointer into the scenario, such as "
              "\"/model/sigma\" (got \"days\")");
    EXPECT_EQ(message_of(with_axes(R"([{"pointer": "/days", "values": 5}])")),
              "s.json: /axes/0/values: must be a non-empty array (got 5)");
    EXPECT_EQ(
        message_of(with_axes(R"([{"pointer": "/days", "values": [5, 6], "labels": [1, 2]}])")),
        "s.json: /axes/0/labels/0: must be a string (got 1)");
    EXPECT_EQ(message_of(with_axes(R"([{"pointer": "/days", "values": [5]},
                                       {"pointer": "/days", "values": [6]}])")),
              "s.json: /axes/1/pointer: overlaps axis 0 (/days); one axis may not set a value "
              "inside another's (got \"/days\")");
    EXPECT_EQ(message_of(with_axes(R"([{"pointer": "/days", "values": [5]},
                                       {"pointer": "/model/sigma", "values": [0.1, 0.2]}])",
                                   R"(, "combine": "zip")")),
              "s.json: /axes/1/values: has 2 values; \"zip\" needs as many as axis 0 (1) (got "
              "[0.1,0.2])");
}

TEST(StudySpec, AValidStudyExpandsInRowMajorOrder) {
    const Study s = parse_study(json::parse(with_axes(R"([{"pointer": "/days", "values": [5, 6]},
        {"pointer": "/model/sigma", "values": [0.1, 0.2, 0.3]}])")),
                                "s.json", ".");
    ASSERT_EQ(s.points.size(), 6u);
    EXPECT_EQ(s.points[4].value_index, (std::vector<std::size_t>{1, 1})); // last axis fastest
    EXPECT_EQ(s.points[4].config.days, 6);
    EXPECT_EQ(study_hash(s).size(), 16u);
}

} // namespace
} // namespace letf

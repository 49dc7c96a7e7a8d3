// The one JSON reader (limits, places of errors) and the display of pointers and values.

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "letf/config/scenario.hpp"
#include "letf/base/error.hpp"
#include "letf/io/json_reader.hpp"

namespace letf {
namespace {

/// The error the reader throws for `text`, which must fail.
InputError read_error(const std::string& text) {
    try {
        read_json_text(text, "x.json");
    } catch (const InputError& e) {
        return e;
    }
    ADD_FAILURE() << "accepted: " << text.substr(0, 80);
    return InputError("", "", "");
}

std::string nested(std::size_t depth, const std::string& inner = "1") {
    return std::string(depth, '[') + inner + std::string(depth, ']');
}

void expect_one_line(const InputError& e) {
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
}

TEST(JsonReader, ReadsWhatNlohmannReads) {
    const std::string text =
        R"({"a": [1, -2, 3.5, "x", true, null, {"b": {}}, []], "c": 18446744073709551615})";
    EXPECT_EQ(read_json_text(text, "x.json"), nlohmann::json::parse(text));
    const auto ordered = read_ordered_json_text(R"({"z": 1, "a": {"y": 2, "b": 3}})", "x.json");
    EXPECT_EQ(ordered.dump(), R"({"z":1,"a":{"y":2,"b":3}})"); // file order kept
    EXPECT_EQ(read_json_text("  7 ", "x.json"), nlohmann::json(7));
}

TEST(JsonReader, NumberOverflowIsPlacedByLineAndColumn) {
    const InputError e = read_error("{\"model\": {\n  \"sigma\": 1e400}}");
    EXPECT_EQ(e.file(), "x.json");
    EXPECT_EQ(e.where(), "line 2, column 12");
    EXPECT_EQ(e.message(), "number out of range");
    EXPECT_EQ(e.value(), "1e400");
    EXPECT_EQ(std::string(e.what()), "x.json: line 2, column 12: number out of range (got 1e400)");
    // Inside arrays, negative, and as an integer too long for any number type.
    EXPECT_EQ(read_error("[0.1,\n\n   -2e308]").where(), "line 3, column 4");
    const InputError big = read_error("[" + std::string(400, '9') + "]");
    EXPECT_EQ(big.where(), "line 1, column 2");
    EXPECT_LE(big.value().size(), 60u) << big.value();
    // Tiny numbers underflow to zero (or a subnormal) and are accepted.
    EXPECT_EQ(read_json_text("[1e-400]", "x.json")[0].get<double>(), 0.0);
}

TEST(JsonReader, NestingUpToTheLimitIsRead) {
    EXPECT_NO_THROW(read_json_text(nested(kMaxJsonDepth), "x.json"));
    std::string objects;
    for (std::size_t i = 0; i < kMaxJsonDepth; ++i)
        objects += "{\"k\": ";
    objects += "1" + std::string(kMaxJsonDepth, '}');
    EXPECT_NO_THROW(read_json_text(objects, "x.json"));
}

TEST(JsonReader, NestingBeyondTheLimitIsRefusedAtItsPlace) {
    const InputError e = read_error(nested(kMaxJsonDepth + 1));
    EXPECT_EQ(e.where(), "line 1, column 65"); // the 65th '['
    EXPECT_EQ(std::string(e.what()),
              "x.json: line 1, column 65: nested deeper than 64 levels of arrays and objects");
    // Brackets inside strings do not count; objects count like arrays.
    const InputError s = read_error("{\"a[[[\": \"]]]\",\n \"b\": " + nested(64) + "}");
    EXPECT_EQ(s.where(), "line 2, column 70");
}

TEST(JsonReader, HundredThousandLevelsAreRefusedWithoutCrashing) {
    const std::size_t depth = 100000;
    const InputError arrays = read_error(nested(depth));
    EXPECT_EQ(arrays.where(), "line 1, column 65");
    expect_one_line(arrays);
    // Unclosed, and inside a key of a scenario.
    EXPECT_EQ(read_error(std::string(depth, '[')).where(), "line 1, column 65");
    std::string objects = "{\"name\": \"m\", \"unknown\": ";
    for (std::size_t i = 0; i < depth; ++i)
        objects += "{\"k\":";
    try {
        parse_scenario_text(objects, "x.json");
        FAIL() << "accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where(), "line 1, column " + std::to_string(26 + 5 * 63)) << e.what();
    }
}

TEST(JsonReader, DuplicateKeysAreRefusedAtTheirPointer) {
    const InputError top = read_error(R"({"name": "m", "name": "n"})");
    EXPECT_EQ(top.where(), "/name");
    EXPECT_EQ(top.message(), "duplicate key in a JSON object");
    EXPECT_EQ(top.value(), "\"name\"");
    const InputError deep =
        read_error(R"({"a": [0, {"x": 1}, {"b/c": {"sigma": 1, "sigma": 2}}], "z": 0})");
    EXPECT_EQ(deep.where(), "/a/2/b~1c/sigma");
    // The same key in different objects is fine.
    EXPECT_NO_THROW(read_json_text(R"({"a": {"k": 1}, "b": {"k": 2}, "k": [{"k": 3}]})", "x"));
}

TEST(JsonReader, SyntaxErrorsKeepTheirPlaceAndStayShort) {
    const InputError e = read_error("{\"name\": \"m\",\n  \"days\": 10,,\n}");
    EXPECT_EQ(e.where(), "line 2, column 14");
    EXPECT_NE(e.message().find("invalid JSON: syntax error"), std::string::npos) << e.what();
    // An unterminated string does not quote the rest of the file, nor its line breaks.
    const InputError open = read_error("{\"description\": \"" + std::string(5000, 'x') + "\n");
    expect_one_line(open);
    EXPECT_LT(std::string(open.what()).size(), 300u) << open.what();
    EXPECT_EQ(read_error("").where(), "line 1, column 1");
    // A byte that is not UTF-8 is named, not copied into the message.
    const InputError utf8 = read_error("{\"a\": \"\xff\"}");
    EXPECT_EQ(utf8.where(), "line 1, column 8");
    EXPECT_NE(utf8.message().find("last read: '\"\\xff'"), std::string::npos) << utf8.what();
}

TEST(JsonPointer, TokensAreEscapedPerRfc6901AndPrintable) {
    EXPECT_EQ(pointer_token("sigma"), "sigma");
    EXPECT_EQ(pointer_token("a/b"), "a~1b");
    EXPECT_EQ(pointer_token("m~n"), "m~0n");
    EXPECT_EQ(pointer_token("~/"), "~0~1");
    EXPECT_EQ(pointer_token("a\nb"), "a\\nb");
    EXPECT_EQ(pointer_token(std::string("a\x01\x7f", 3)), "a\\u0001\\u007f");
    EXPECT_EQ(pointer_token(std::string("\0", 1)), "\\u0000");
    EXPECT_EQ(pointer_token("tab\there\\"), "tab\\there\\\\");
    EXPECT_EQ(pointer_token("line\u2028sep\xc2\x85"), "line\\u2028sep\\u0085");
    EXPECT_EQ(pointer_token("caf\u00e9 \u20ac"), "caf\u00e9 \u20ac"); // other text is kept
    EXPECT_EQ(display_text("/model/a~1b\r"), "/model/a~1b\\r");
    // Bytes that are not UTF-8 (cut, overlong, surrogate) are shown as \xNN.
    EXPECT_EQ(display_text("a\xff"
                           "b"),
              "a\\xffb");
    EXPECT_EQ(display_text("\xe2\x82"), "\\xe2\\x82");
    EXPECT_EQ(display_text("\xc0\xaf"), "\\xc0\\xaf");
    EXPECT_EQ(display_text("\xed\xa0\x80"), "\\xed\\xa0\\x80");
    EXPECT_EQ(display_text("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80"); // U+1F600 is kept
}

TEST(JsonPointer, ValuesAreShownOnOneShortLine) {
    EXPECT_EQ(shown_value(nlohmann::json("a\nb")), "\"a\\nb\"");
    EXPECT_EQ(shown_value(nlohmann::json("x\u2028y")), "\"x\\u2028y\"");
    EXPECT_EQ(shown_value(nlohmann::json(-0.2)), "-0.2");
    // Cut at 57 bytes, never inside a character (each euro sign is 3 bytes).
    std::string euros;
    for (int i = 0; i < 30; ++i)
        euros += "\u20ac";
    const std::string s = shown_value(nlohmann::json(euros));
    EXPECT_EQ(s, "\"" + euros.substr(0, 54) + "...");
    EXPECT_EQ(shortened(std::string(60, 'x')), std::string(60, 'x'));
    EXPECT_EQ(shortened(std::string(61, 'x')), std::string(57, 'x') + "...");
}

TEST(JsonPointer, ScenarioMessagesEscapeKeys) {
    const std::string base = R"({"name": "m", "multiples": [2], "model": {"type": "gbm", "mu": 0,
        "sigma": 0.2, )";
    for (const auto& [key, where] : {std::pair<std::string, std::string>{"a/b", "/model/a~1b"},
                                     {"a~b", "/model/a~0b"},
                                     {"a\\nb", "/model/a\\nb"},
                                     {"a\\u0001", "/model/a\\u0001"}}) {
        try {
            parse_scenario_text(base + "\"" + key + "\": 1}}", "x.json");
            FAIL() << key;
        } catch (const InputError& e) {
            EXPECT_EQ(e.where(), where);
            expect_one_line(e);
        }
    }
    // Market-config keys too.
    try {
        parse_scenario_text(R"({"name": "m", "multiples": [2], "model": {"type": "historical",
            "csv": "x.csv", "x/y": 1}})",
                            "x.json");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(e.where(), "/model/x~1y");
    }
    try {
        parse_scenario_text(R"({"name": "m", "multiples": [2], "model": {"type": "historical",
            "csv": "x.csv", "column": "a\nb"}})",
                            "x.json");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(e.where(), "/model/column");
        EXPECT_EQ(e.message(), "must not contain control characters");
        expect_one_line(e);
    }
}

} // namespace
} // namespace letf

#pragma once
/// \file io/object_reader.hpp
/// The one reader of JSON objects in input files (scenario, study, market specs): unknown keys
/// are rejected up front, then fields are handed out typed and range-checked. Every error is an
/// InputError naming the file, the field's JSON pointer and the value as given:
///   configs/x.json: /model/sigma: must be in [0, 10] (got -0.2)

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace letf {

/// Whether an end of a Range belongs to it.
enum class End { closed, open };

/// An interval of allowed numbers; each end closed ([lo, or hi]) or open ((lo, or hi)).
struct Range {
    double lo = 0.0, hi = 0.0;
    End lo_end = End::closed, hi_end = End::closed;

    static constexpr Range closed(double lo, double hi) {
        return {lo, hi, End::closed, End::closed};
    }
    static constexpr Range open(double lo, double hi) { return {lo, hi, End::open, End::open}; }
    /// (lo, hi]
    static constexpr Range open_closed(double lo, double hi) {
        return {lo, hi, End::open, End::closed};
    }
    /// [lo, hi)
    static constexpr Range closed_open(double lo, double hi) {
        return {lo, hi, End::closed, End::open};
    }

    /// True for a finite x inside the interval.
    bool contains(double x) const;
    /// "[0, 10]", "(2, 1000000]": the interval as an error message shows it.
    std::string text() const;
};

class ObjectReader {
public:
    /// Reads `obj` found at JSON pointer `pointer` of `file`; throws unless it is an object whose
    /// keys are all in `allowed`. `obj` and `file` must outlive the reader.
    ObjectReader(const nlohmann::json& obj, const std::string& file, std::string pointer,
                 std::initializer_list<std::string_view> allowed);
    /// The same, with `not_object` as the message when `obj` is not an object (for a format whose
    /// message says what the object holds, e.g. "a study must be an object").
    ObjectReader(const nlohmann::json& obj, const std::string& file, std::string pointer,
                 std::initializer_list<std::string_view> allowed, std::string_view not_object);

    /// The object's pointer ("/" for the document itself).
    std::string where() const { return ptr_.empty() ? "/" : ptr_; }
    /// The pointer of member `key`.
    std::string child(std::string_view key) const;
    const std::string& file() const { return file_; }

    /// The member, or null when absent.
    const nlohmann::json* find(const std::string& key) const;
    const nlohmann::json& require(const std::string& key) const;

    /// A number in `range`; `fallback` when absent (required when there is none).
    double number(const std::string& key, Range range,
                  std::optional<double> fallback = std::nullopt) const;
    /// `v` (found at pointer `at`) as a number in `range`.
    double check_number(const nlohmann::json& v, const std::string& at, Range range) const;
    /// An integer in [lo, hi] (an exactly integral float such as 1e5 too); `fallback` when absent.
    std::int64_t integer(const std::string& key, std::int64_t lo, std::int64_t hi,
                         std::int64_t fallback) const;
    std::int64_t check_integer(const nlohmann::json& v, const std::string& at, std::int64_t lo,
                               std::int64_t hi) const;
    /// A string; `fallback` when absent (required when there is none).
    std::string string(const std::string& key, std::optional<std::string> fallback) const;
    /// A string that must be one of `choices` (`what` names the kind of thing in the message).
    std::string choice(const std::string& key, std::initializer_list<std::string_view> choices,
                       std::string_view what, std::optional<std::string> fallback) const;

private:
    const nlohmann::json& obj_;
    const std::string& file_;
    std::string ptr_;
};

/// Throws InputError "unknown WHAT; expected one of CHOICES" for value `v` at `at`.
[[noreturn]] void bad_choice(const std::string& file, const std::string& at,
                             const nlohmann::json& v, std::string_view what,
                             std::string_view choices);

/// "a, b, c": a list of names for messages.
std::string name_list(std::initializer_list<std::string_view> names);

} // namespace letf

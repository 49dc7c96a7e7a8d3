#pragma once
/// \file study/json_pointer.hpp
/// RFC 6901 JSON pointers as a study's axes use them: parse into reference tokens, set a value at
/// a pointer (creating missing object keys), find a string through objects, test nesting. Private
/// to the study module.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace letf::study_detail {

/// The reference tokens of a pointer ("/a/b~1c" -> {"a", "b/c"}); nullopt if malformed.
std::optional<std::vector<std::string>> pointer_tokens(const std::string& pointer);

/// Sets doc at `tokens` to `value`, creating missing object keys on the way. Returns an empty
/// string on success, else why the pointer does not fit the document.
std::string set_at(nlohmann::json& doc, const std::vector<std::string>& tokens,
                   const nlohmann::json& value);

/// The string at `tokens` of `doc`, through objects and array indices; null when there is none.
nlohmann::json* string_at(nlohmann::json& doc, const std::vector<std::string>& tokens);

/// True when `inner` is `outer` or lies inside it ("/model/sigma" inside "/model").
bool inside(const std::string& inner, const std::string& outer);

} // namespace letf::study_detail

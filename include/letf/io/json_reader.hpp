#pragma once
/// \file io/json_reader.hpp
/// The one JSON reader of every JSON input (scenario, study, base scenario and market-config
/// files, point files read back by `sweep --resume`), and the display of JSON pointers and values
/// in error messages.
///
/// The reader is strict and bounded: a syntax error, a number that does not fit a double
/// (`1e400`) and nesting deeper than kMaxJsonDepth levels of arrays and objects are InputErrors
/// placed at `line N, column M`; a duplicate key in any object is an InputError at its JSON
/// pointer. The depth limit is enforced while parsing, so no deeper document is ever built (every
/// later recursive step, copy, comparison and dump, is bounded by it).

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "letf/base/limits.hpp"

namespace letf {

/// The deepest nesting of arrays and objects an input may have (limits.hpp).
inline constexpr std::size_t kMaxJsonDepth = limits::kMaxJsonDepth;

/// Parses JSON text as described above. Throws InputError naming `file`.
nlohmann::json read_json_text(std::string_view text, const std::string& file);
/// The same reader, keeping the keys in file order.
nlohmann::ordered_json read_ordered_json_text(std::string_view text, const std::string& file);

/// One reference token of a JSON pointer for display: RFC 6901 escaped (`~` -> `~0`, `/` -> `~1`,
/// so the key `a/b` under /model reads `/model/a~1b`) and then made printable (display_text).
std::string pointer_token(std::string_view key);

/// Text from an input (a key, a pointer as written, a token) made safe to show on one line: a
/// backslash, the control characters and the Unicode line breaks (U+0085, U+2028, U+2029) are
/// written as JSON writes them in a string (`\\`, `\n`, `\t`, `\u0001`, `\u2028`); the rest is
/// kept.
std::string display_text(std::string_view text);

/// A JSON value for the `(got ...)` of a message: compact JSON on one line, at most 60 bytes
/// (longer values end in `...`, cut at a character boundary).
std::string shown_value(const nlohmann::json& value);
std::string shown_value(const nlohmann::ordered_json& value);
/// `text` cut like shown_value (at most 60 bytes, at a character boundary, ending in `...`).
std::string shortened(std::string text);

} // namespace letf

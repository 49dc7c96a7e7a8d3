#include "letf/io/json_reader.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"

namespace letf {
namespace {

std::string escaped(std::string_view text, bool backslash);

/// `line L, column C` of the byte at `offset` (both counted from 1; columns in bytes).
std::string location(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    std::size_t line = 1, line_start = 0;
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(offset - line_start + 1);
}

/// The offset of the first `[` or `{` that opens level `depth` (1 for the outermost), outside
/// strings; the text must be valid JSON up to there (the parser read it).
std::size_t opener_at_depth(std::string_view text, std::size_t depth) {
    std::size_t level = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        if (in_string) {
            if (ch == '\\')
                ++i;
            else if (ch == '"')
                in_string = false;
        } else if (ch == '"') {
            in_string = true;
        } else if (ch == '[' || ch == '{') {
            if (++level == depth)
                return i;
        } else if (ch == ']' || ch == '}') {
            --level;
        }
    }
    return text.size();
}

/// The parser's own message from "syntax error" on, its `last read: '...'` token shortened (an
/// unterminated string would otherwise quote the rest of the file).
std::string syntax_message(const std::string& what) {
    const auto from = what.find("syntax error");
    std::string msg = from == std::string::npos ? what : what.substr(from);
    const std::string marker = "last read: '";
    const auto at = msg.find(marker);
    if (at != std::string::npos && msg.size() >= 1 && msg.back() == '\'') {
        const std::size_t start = at + marker.size();
        const std::string token = msg.substr(start, msg.size() - 1 - start);
        msg = msg.substr(0, start) + shortened(token) + "'";
    }
    return escaped(msg, false); // the token shows the file's own backslashes as they are
}

/// Builds the document from nlohmann's SAX events, stopping at the first problem with what is
/// needed to place it. Only the innermost open container is ever modified, so the pointers to
/// the open containers stay valid.
template <class Json> class Builder {
public:
    using number_integer_t = typename Json::number_integer_t;
    using number_unsigned_t = typename Json::number_unsigned_t;
    using number_float_t = typename Json::number_float_t;
    using string_t = typename Json::string_t;
    using binary_t = typename Json::binary_t;

    enum class Problem { none, syntax, overflow, depth, duplicate };

    explicit Builder(Json& root) : root_(root) {}

    bool null() { return put(Json(nullptr)); }
    bool boolean(bool b) { return put(Json(b)); }
    bool number_integer(number_integer_t v) { return put(Json(v)); }
    bool number_unsigned(number_unsigned_t v) { return put(Json(v)); }
    bool number_float(number_float_t v, const string_t&) { return put(Json(v)); }
    bool string(string_t& s) { return put(Json(std::move(s))); }
    bool binary(binary_t& b) { return put(Json::binary(std::move(b))); }
    bool start_object(std::size_t) { return open(Json::object()); }
    bool start_array(std::size_t) { return open(Json::array()); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }

    bool key(string_t& k) {
        Frame& top = open_.back();
        if (top.container->find(k) != top.container->end()) {
            problem_ = Problem::duplicate;
            pointer_ = pointer_to_open();
            pointer_ += '/';
            pointer_ += pointer_token(k);
            token_ = Json(k).dump();
            return false;
        }
        top.key = std::move(k);
        return true;
    }

    bool parse_error(std::size_t position, const std::string& last_token,
                     const typename Json::exception& ex) {
        // Number overflow is the only out_of_range error (406) the text parser reports.
        problem_ = ex.id == 406 ? Problem::overflow : Problem::syntax;
        position_ = position;
        token_ = problem_ == Problem::overflow ? last_token : syntax_message(ex.what());
        return false;
    }

    Problem problem() const { return problem_; }
    std::size_t position() const { return position_; }
    const std::string& token() const { return token_; }
    const std::string& pointer() const { return pointer_; }

private:
    struct Frame {
        Json* container;
        string_t key; ///< the key of the value being read, in an object
    };

    /// The place of the next value: the root, a new array element or the current key's value.
    Json* place(Json&& v) {
        if (open_.empty()) {
            root_ = std::move(v);
            return &root_;
        }
        Frame& top = open_.back();
        if (top.container->is_array()) {
            top.container->push_back(std::move(v));
            return &top.container->back();
        }
        Json& slot = (*top.container)[top.key];
        slot = std::move(v);
        return &slot;
    }

    bool put(Json&& v) {
        place(std::move(v));
        return true;
    }

    bool open(Json&& container) {
        if (open_.size() >= kMaxJsonDepth) {
            problem_ = Problem::depth;
            return false;
        }
        open_.push_back({place(std::move(container)), {}});
        return true;
    }

    bool close() {
        open_.pop_back();
        return true;
    }

    /// The JSON pointer of the innermost open container.
    std::string pointer_to_open() const {
        std::string out;
        for (std::size_t i = 0; i + 1 < open_.size(); ++i) {
            const Json& c = *open_[i].container;
            out += '/';
            out += c.is_array() ? std::to_string(c.size() - 1) : pointer_token(open_[i].key);
        }
        return out;
    }

    Json& root_;
    std::vector<Frame> open_;
    Problem problem_ = Problem::none;
    std::size_t position_ = 0;
    std::string token_, pointer_;
};

template <class Json> Json read_text(std::string_view text, const std::string& file) {
    Json doc;
    Builder<Json> builder(doc);
    if (Json::sax_parse(text.begin(), text.end(), &builder))
        return doc;
    using Problem = typename Builder<Json>::Problem;
    switch (builder.problem()) {
    case Problem::overflow: {
        const std::size_t length = builder.token().size();
        const std::size_t start = builder.position() >= length ? builder.position() - length : 0;
        throw InputError(file, location(text, start), "number out of range",
                         shortened(display_text(builder.token())));
    }
    case Problem::depth:
        throw InputError(file, location(text, opener_at_depth(text, kMaxJsonDepth + 1)),
                         "nested deeper than " + std::to_string(kMaxJsonDepth) +
                             " levels of arrays and objects");
    case Problem::duplicate:
        throw InputError(file, builder.pointer(), "duplicate key in a JSON object",
                         builder.token());
    case Problem::syntax:
    case Problem::none:
        break;
    }
    // The parser's byte count points one past the offending character.
    const std::size_t at = builder.position() > 0 ? builder.position() - 1 : 0;
    throw InputError(file, location(text, at), "invalid JSON: " + builder.token());
}

/// The length of the well-formed UTF-8 sequence at text[i] (a byte >= 0x80), 0 if ill-formed.
std::size_t utf8_length(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) {
        return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u;
    };
    const unsigned lead = byte(0);
    std::size_t n = 0;
    unsigned lo = 0x80, hi = 0xbf; // the range of the second byte
    if (lead >= 0xc2 && lead <= 0xdf) {
        n = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        n = 3;
        lo = lead == 0xe0 ? 0xa0 : 0x80; // no overlong forms
        hi = lead == 0xed ? 0x9f : 0xbf; // no surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        n = 4;
        lo = lead == 0xf0 ? 0x90 : 0x80;
        hi = lead == 0xf4 ? 0x8f : 0xbf; // at most U+10FFFF
    } else {
        return 0;
    }
    if (byte(1) < lo || byte(1) > hi)
        return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (byte(k) < 0x80 || byte(k) > 0xbf)
            return 0;
    return n;
}

/// Writes `text` with a backslash (when `backslash`), the control characters and the Unicode
/// line breaks escaped as in a JSON string, and a byte that is not UTF-8 as `\xNN`.
std::string escaped(std::string_view text, bool backslash) {
    static constexpr char kHex[] = "0123456789abcdef";
    const auto hex = [](std::string& out, const char* prefix, unsigned char ch) {
        out += prefix;
        out += kHex[ch >> 4];
        out += kHex[ch & 0xf];
    };
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto ch = static_cast<unsigned char>(text[i]);
        if (ch >= 0x80) {
            const std::string_view seq = text.substr(i, utf8_length(text, i));
            if (seq.empty())
                hex(out, "\\x", ch);
            else if (seq == "\xc2\x85")
                out += "\\u0085";
            else if (seq == "\xe2\x80\xa8" || seq == "\xe2\x80\xa9")
                out += seq.back() == '\xa8' ? "\\u2028" : "\\u2029";
            else
                out += seq;
            i += seq.empty() ? 0 : seq.size() - 1;
        } else if (ch == '\\' && backslash) {
            out += "\\\\";
        } else if (ch == '\n') {
            out += "\\n";
        } else if (ch == '\r') {
            out += "\\r";
        } else if (ch == '\t') {
            out += "\\t";
        } else if (ch == '\b') {
            out += "\\b";
        } else if (ch == '\f') {
            out += "\\f";
        } else if (ch < 0x20 || ch == 0x7f) {
            hex(out, "\\u00", ch);
        } else {
            out += static_cast<char>(ch);
        }
    }
    return out;
}

} // namespace

nlohmann::json read_json_text(std::string_view text, const std::string& file) {
    return read_text<nlohmann::json>(text, file);
}

nlohmann::ordered_json read_ordered_json_text(std::string_view text, const std::string& file) {
    return read_text<nlohmann::ordered_json>(text, file);
}

std::string pointer_token(std::string_view key) {
    std::string out;
    out.reserve(key.size());
    for (char ch : key) {
        if (ch == '~')
            out += "~0";
        else if (ch == '/')
            out += "~1";
        else
            out += ch;
    }
    return display_text(out);
}

std::string display_text(std::string_view text) {
    return escaped(text, true);
}

std::string shortened(std::string text) {
    constexpr std::size_t kMax = 60, kKeep = 57;
    if (text.size() <= kMax)
        return text;
    std::size_t cut = kKeep;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80)
        --cut; // not inside a UTF-8 sequence
    text.resize(cut);
    return text + "...";
}

std::string shown_value(const nlohmann::json& value) {
    // dump() escapes the control characters (and backslashes) inside strings already.
    return shortened(
        escaped(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), false));
}

std::string shown_value(const nlohmann::ordered_json& value) {
    return shortened(
        escaped(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), false));
}

} // namespace letf

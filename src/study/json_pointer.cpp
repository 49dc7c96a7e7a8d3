#include "json_pointer.hpp"

#include <fmt/format.h>

#include "letf/io/json_reader.hpp"

namespace letf::study_detail {

using nlohmann::json;

std::optional<std::vector<std::string>> pointer_tokens(const std::string& pointer) {
    if (pointer.empty() || pointer.front() != '/')
        return std::nullopt;
    std::vector<std::string> tokens(1);
    for (std::size_t i = 1; i < pointer.size(); ++i) {
        const char ch = pointer[i];
        if (ch == '/') {
            tokens.emplace_back();
        } else if (ch == '~') {
            if (i + 1 >= pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1'))
                return std::nullopt;
            tokens.back() += pointer[++i] == '0' ? '~' : '/';
        } else {
            tokens.back() += ch;
        }
    }
    return tokens;
}

namespace {

/// An array index token: "0" or digits without a leading zero, below `size`.
std::optional<std::size_t> array_index(const std::string& token, std::size_t size) {
    if (token.empty() || token.size() > 9 || (token.size() > 1 && token.front() == '0'))
        return std::nullopt;
    std::size_t i = 0;
    for (char ch : token) {
        if (ch < '0' || ch > '9')
            return std::nullopt;
        i = i * 10 + static_cast<std::size_t>(ch - '0');
    }
    if (i >= size)
        return std::nullopt;
    return i;
}

} // namespace

std::string set_at(json& doc, const std::vector<std::string>& tokens, const json& value) {
    json* cur = &doc;
    std::string walked;
    for (std::size_t t = 0; t < tokens.size(); ++t) {
        const std::string& token = tokens[t];
        const bool last = t + 1 == tokens.size();
        if (cur->is_object()) {
            if (!last && !cur->contains(token))
                (*cur)[token] = json::object();
            if (last)
                (*cur)[token] = value;
            else
                cur = &(*cur)[token];
        } else if (cur->is_array()) {
            const auto i = array_index(token, cur->size());
            if (!i) // fmt: GCC 12 warns, wrongly (-Wrestrict), on the "..." + string chain
                return fmt::format("\"{}\" is not an index of the array at {} (size {})",
                                   display_text(token), walked.empty() ? "/" : walked, cur->size());
            if (last)
                (*cur)[*i] = value;
            else
                cur = &(*cur)[*i];
        } else {
            return "passes through " + walked + ", which is a " + cur->type_name() +
                   ", not an object or array";
        }
        walked.append("/").append(pointer_token(token));
    }
    return {};
}

json* string_at(json& doc, const std::vector<std::string>& tokens) {
    json* cur = &doc;
    for (const std::string& token : tokens) {
        if (cur->is_array()) { // an index such as the 1 of /assets/1/model/csv
            if (token.empty() || token.size() > 9 ||
                token.find_first_not_of("0123456789") != std::string::npos ||
                (token.size() > 1 && token[0] == '0'))
                return nullptr;
            const std::size_t i = std::stoul(token);
            if (i >= cur->size())
                return nullptr;
            cur = &(*cur)[i];
            continue;
        }
        if (!cur->is_object() || !cur->contains(token))
            return nullptr;
        cur = &(*cur)[token];
    }
    return cur->is_string() ? cur : nullptr;
}

bool inside(const std::string& inner, const std::string& outer) {
    return inner == outer ||
           (inner.size() > outer.size() && inner.compare(0, outer.size(), outer) == 0 &&
            inner[outer.size()] == '/');
}

} // namespace letf::study_detail

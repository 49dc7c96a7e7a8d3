#include "letf/io/object_reader.hpp"

#include <algorithm>
#include <cmath>

#include "letf/base/error.hpp"
#include "letf/io/json_reader.hpp"

namespace letf {

using nlohmann::json;

bool Range::contains(double x) const {
    const bool above_lo = lo_end == End::open ? x > lo : x >= lo;
    const bool below_hi = hi_end == End::open ? x < hi : x <= hi;
    return std::isfinite(x) && above_lo && below_hi;
}

std::string Range::text() const {
    // Appended piece by piece: "(" + std::string trips GCC 12's -Wrestrict false positive.
    std::string out(1, lo_end == End::open ? '(' : '[');
    out.append(json(lo).dump()).append(", ").append(json(hi).dump());
    out.push_back(hi_end == End::open ? ')' : ']');
    return out;
}

std::string name_list(std::initializer_list<std::string_view> names) {
    std::string list;
    for (auto n : names)
        list += (list.empty() ? "" : ", ") + std::string(n);
    return list;
}

void bad_choice(const std::string& file, const std::string& at, const json& v,
                std::string_view what, std::string_view choices) {
    throw InputError(file, at,
                     "unknown " + std::string(what) + "; expected one of " + std::string(choices),
                     shown_value(v));
}

ObjectReader::ObjectReader(const json& obj, const std::string& file, std::string pointer,
                           std::initializer_list<std::string_view> allowed)
    : ObjectReader(obj, file, std::move(pointer), allowed, "must be an object") {}

ObjectReader::ObjectReader(const json& obj, const std::string& file, std::string pointer,
                           std::initializer_list<std::string_view> allowed,
                           std::string_view not_object)
    : obj_(obj), file_(file), ptr_(std::move(pointer)) {
    if (!obj_.is_object())
        throw InputError(file_, where(), std::string(not_object), shown_value(obj_));
    for (const auto& item : obj_.items())
        if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end())
            throw InputError(file_, child(item.key()),
                             "unknown key; expected one of " + name_list(allowed),
                             shown_value(item.value()));
}

std::string ObjectReader::child(std::string_view key) const {
    return ptr_ + "/" + pointer_token(key);
}

const json* ObjectReader::find(const std::string& key) const {
    auto it = obj_.find(key);
    return it == obj_.end() ? nullptr : &*it;
}

const json& ObjectReader::require(const std::string& key) const {
    const json* v = find(key);
    if (!v)
        throw InputError(file_, child(key), "missing required key");
    return *v;
}

double ObjectReader::number(const std::string& key, Range range,
                            std::optional<double> fallback) const {
    const json* v = find(key);
    if (!v) {
        if (fallback)
            return *fallback;
        throw InputError(file_, child(key), "missing required key");
    }
    return check_number(*v, child(key), range);
}

double ObjectReader::check_number(const json& v, const std::string& at, Range range) const {
    if (!v.is_number())
        throw InputError(file_, at, "must be a number", shown_value(v));
    const double x = v.get<double>();
    if (!range.contains(x))
        throw InputError(file_, at, "must be in " + range.text(), shown_value(v));
    return x;
}

std::int64_t ObjectReader::integer(const std::string& key, std::int64_t lo, std::int64_t hi,
                                   std::int64_t fallback) const {
    const json* v = find(key);
    if (!v)
        return fallback;
    return check_integer(*v, child(key), lo, hi);
}

std::int64_t ObjectReader::check_integer(const json& v, const std::string& at, std::int64_t lo,
                                         std::int64_t hi) const {
    const std::string range =
        "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
    if (!v.is_number())
        throw InputError(file_, at, range, shown_value(v));
    if (v.is_number_unsigned()) {
        auto u = v.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(hi) || static_cast<std::int64_t>(u) < lo)
            throw InputError(file_, at, range, shown_value(v));
        return static_cast<std::int64_t>(u);
    }
    if (v.is_number_integer()) {
        auto i = v.get<std::int64_t>();
        if (i < lo || i > hi)
            throw InputError(file_, at, range, shown_value(v));
        return i;
    }
    // A float such as 1e5 is accepted when it is an exact integer in range.
    const double x = v.get<double>();
    if (!(x >= static_cast<double>(lo) && x <= static_cast<double>(hi)) || std::floor(x) != x)
        throw InputError(file_, at, range, shown_value(v));
    return static_cast<std::int64_t>(x);
}

std::string ObjectReader::string(const std::string& key,
                                 std::optional<std::string> fallback) const {
    const json* v = find(key);
    if (!v) {
        if (fallback)
            return *fallback;
        throw InputError(file_, child(key), "missing required key");
    }
    if (!v->is_string())
        throw InputError(file_, child(key), "must be a string", shown_value(*v));
    return v->get<std::string>();
}

std::string ObjectReader::choice(const std::string& key,
                                 std::initializer_list<std::string_view> choices,
                                 std::string_view what, std::optional<std::string> fallback) const {
    std::string s = string(key, std::move(fallback));
    if (std::find(choices.begin(), choices.end(), s) == choices.end())
        bad_choice(file_, child(key), json(s), what, name_list(choices));
    return s;
}

} // namespace letf

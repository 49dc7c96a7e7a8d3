#include "letf/models/pattern.hpp"

#include <algorithm>
#include <string>

#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/io/json_reader.hpp"
#include "letf/io/object_reader.hpp"

namespace letf {

PatternModel PatternModel::parse(const ObjectReader& r) {
    const nlohmann::json& list = r.require("returns_daily");
    const std::string at = r.child("returns_daily");
    if (!list.is_array() || list.empty())
        throw InputError(r.file(), at, "must be a non-empty array of numbers", shown_value(list));
    if (list.size() > kMaxEntries)
        throw InputError(r.file(), at, "has more than " + std::to_string(kMaxEntries) + " entries");
    PatternModel m;
    for (std::size_t i = 0; i < list.size(); ++i)
        m.returns_daily.push_back(
            r.check_number(list[i], at + "/" + std::to_string(i), Range::closed(-1, 10)));
    return m;
}

void PatternModel::write(nlohmann::ordered_json& j) const {
    j["returns_daily"] = returns_daily;
}

ModelFacts PatternModel::facts(const ModelContext& c) const {
    ModelFacts f;
    f.deterministic = true;
    f.one_outcome = true;
    for (int t = 1; t <= c.days; ++t)
        f.mean_return.push_back(return_on(t));
    return f;
}

void PatternModel::fill(const ModelContext&, const StripFill& f, Strip&) const {
    for (int d = 0; d < f.days; ++d)
        std::fill_n(f.out + d * kStripPaths, kStripPaths, return_on(f.first_day + d));
}

} // namespace letf

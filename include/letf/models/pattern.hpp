#pragma once
/// \file models/pattern.hpp
/// A fixed cycle of daily returns.

#include <vector>

#include "letf/models/model.hpp"

namespace letf {

/// Deterministic returns repeated cyclically: R_t = returns_daily[(t - 1) mod size], each in
/// [-1, 10], at most kMaxEntries of them. Draws nothing.
struct PatternModel {
    static constexpr std::string_view kName = "pattern";
    static inline const std::initializer_list<std::string_view> kKeys = {"type", "returns_daily"};
    static constexpr std::size_t kMaxEntries = 1000000;

    std::vector<double> returns_daily;

    struct Strip {};
    static PatternModel parse(const ObjectReader& r);
    void write(nlohmann::ordered_json& j) const;
    ModelFacts facts(const ModelContext& c) const;
    void fill(const ModelContext& c, const StripFill& f, Strip& s) const;

    double return_on(int day) const {
        return returns_daily[static_cast<std::size_t>(day - 1) % returns_daily.size()];
    }
};

} // namespace letf

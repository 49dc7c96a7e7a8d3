// Probable unit mistakes in a valid scenario (config/unit_check.hpp).

#include "letf/config/unit_check.hpp"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <type_traits>

#include <fmt/format.h>

namespace letf {
namespace {

struct Check {
    std::vector<std::string>& out;
    const std::string& file;
    /// Warns when |x| > limit: x read as a percentage would be x / 100.
    void operator()(const char* pointer, double x, double limit, const char* what) const {
        if (std::fabs(x) > limit)
            out.push_back(fmt::format("{}: {}: {:g} is {} of {:g} %; did you mean {:g}?", file,
                                      pointer, x, what, 100 * x, x / 100));
    }
};

} // namespace

std::vector<std::string> unit_warnings(const ScenarioConfig& c, const std::string& file) {
    std::vector<std::string> out;
    const Check check{out, file};
    for (std::size_t k = 0; k < c.asset_count(); ++k) {
        const std::string at =
            c.assets_form ? "/assets/" + std::to_string(k) + "/model" : std::string("/model");
        std::visit(
            [&](const auto& m) {
                using M = std::decay_t<decltype(m)>;
                if constexpr (requires { m.mu; })
                    check((at + "/mu").c_str(), m.mu, 1.0, "an annual drift");
                if constexpr (requires { m.sigma; } && !std::is_same_v<M, HestonModel>)
                    check((at + "/sigma").c_str(), m.sigma, 2.0, "an annual volatility");
            },
            c.asset_model(k));
    }
    for (std::size_t i = 0; i < c.strategies.size(); ++i)
        if (const auto* p = std::get_if<Portfolio>(&c.strategies[i]))
            for (std::size_t h = 0; h < p->holdings.size(); ++h)
                if (p->holdings[h].expense_ratio)
                    check(fmt::format("/strategies/{}/holdings/{}/expense_ratio", i, h).c_str(),
                          *p->holdings[h].expense_ratio, 0.05, "an expense ratio");
    check("/costs/expense_ratio", c.costs.expense_ratio, 0.05, "an expense ratio");
    if (!c.costs.financing_rate_series)
        check("/costs/financing_rate", c.costs.financing_rate, 0.25, "an annual rate");
    check("/costs/financing_spread", c.costs.financing_spread, 0.05, "an annual spread");
    check("/costs/short_fee", c.costs.short_fee, 0.05, "an annual fee");
    return out;
}

bool unit_warnings_enabled() {
    const char* v = std::getenv("LETF_NO_WARNINGS");
    return v == nullptr || *v == '\0' || std::strcmp(v, "0") == 0;
}

} // namespace letf

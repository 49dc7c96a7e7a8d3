#include "letf/strategies/common.hpp"

#include <fmt/format.h>

namespace letf {

std::string number_text(double x) {
    return fmt::format("{}", x);
}

std::string make_label(std::string_view name, const std::vector<LabelParam>& params) {
    std::string out(name);
    for (std::size_t i = 0; i < params.size(); ++i)
        out.append(i == 0 ? "(" : ",").append(params[i].first).append("=").append(params[i].second);
    if (!params.empty())
        out.push_back(')');
    return out;
}

} // namespace letf

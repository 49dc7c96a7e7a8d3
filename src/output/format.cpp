#include "letf/output/format.hpp"

#include <cmath>

#include <fmt/format.h>

namespace letf::format {

nlohmann::ordered_json num(std::optional<double> x) {
    if (!x || !std::isfinite(*x))
        return nullptr;
    return *x;
}

std::optional<double> probability(std::int64_t count, std::int64_t n) {
    if (n <= 0)
        return std::nullopt;
    return static_cast<double>(count) / static_cast<double>(n);
}

std::optional<double> probability_se(std::int64_t count, std::int64_t n) {
    if (n <= 0)
        return std::nullopt;
    const double p = static_cast<double>(count) / static_cast<double>(n);
    return std::sqrt(p * (1.0 - p) / static_cast<double>(n));
}

double exact_probability_se(double p, std::int64_t n) {
    return std::sqrt(p * (1.0 - p) / static_cast<double>(n));
}

std::string cell(std::optional<double> x, int precision) {
    if (!x || !std::isfinite(*x))
        return "-";
    if (std::fabs(*x) >= 1e6)
        return fmt::format("{:.3e}", *x);
    return fmt::format("{:.{}f}", *x, precision);
}

std::string significant(std::optional<double> x, int digits) {
    if (!x || !std::isfinite(*x))
        return "-";
    return fmt::format("{:.{}g}", *x, digits);
}

std::string pct(std::optional<double> x) {
    if (!x || !std::isfinite(*x))
        return "-";
    return fmt::format("{:.2f}%", 100.0 * *x);
}

} // namespace letf::format

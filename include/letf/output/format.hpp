#pragma once
/// \file output/format.hpp
/// The numeric formatting of the output layer, in one place: JSON numbers (null when undefined
/// or not finite), console cells, percentages, and the probabilities both print.

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace letf::format {

/// A JSON number, or null when x is undefined or not finite (a report never holds NaN or inf).
nlohmann::ordered_json num(std::optional<double> x);

/// count / n, nullopt when n <= 0.
std::optional<double> probability(std::int64_t count, std::int64_t n);

/// Standard error of a proportion p = count / n: sqrt(p (1 - p) / n); nullopt when n <= 0.
std::optional<double> probability_se(std::int64_t count, std::int64_t n);
/// sqrt(p (1 - p) / n): the binomial standard error of a share of n paths whose exact
/// probability is p (the z-score of an exact probability: the sample's own is 0 when no path
/// saw a rare event).
double exact_probability_se(double p, std::int64_t n);

/// A console cell: "-" when undefined or not finite, else fixed with `precision` decimals
/// (scientific with 3 when |x| >= 1e6).
std::string cell(std::optional<double> x, int precision = 4);

/// A console cell with `digits` significant digits ("{:.3g}": 0.00123, 1.23e-07), for standard
/// errors, which shrink like 1/sqrt(N) below any fixed number of decimals; "-" when undefined or
/// not finite.
std::string significant(std::optional<double> x, int digits = 3);

/// A console percentage with 2 decimals ("12.34%"), "-" when undefined or not finite.
std::string pct(std::optional<double> x);

} // namespace letf::format

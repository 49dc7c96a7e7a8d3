#pragma once
/// \file config/unit_check.hpp
/// Values that are valid but probably a unit mistake (a percentage typed where a fraction is
/// meant): an annual drift above 100 %, a volatility above 200 %, an expense ratio above 5 %, a
/// financing rate above 25 % or a spread or short fee above 5 %. The CLI prints them as warnings
/// on stderr (not errors: the run goes on); LETF_NO_WARNINGS=1 silences them.

#include <string>
#include <vector>

#include "letf/config/scenario.hpp"

namespace letf {

/// One line per suspicious value: `FILE: /model/mu: 7 is an annual drift of 700 %; did you
/// mean 0.07?`.
std::vector<std::string> unit_warnings(const ScenarioConfig& config, const std::string& file);

/// True unless the environment sets LETF_NO_WARNINGS to a non-empty value other than 0.
bool unit_warnings_enabled();

} // namespace letf

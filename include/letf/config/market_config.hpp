#pragma once
/// \file config/market_config.hpp
/// JSON of the data files named in a scenario: the CSV of a historical or bootstrap model
/// (PriceFileSpec, read by models/historical.hpp and models/bootstrap.hpp) and a financing rate
/// series (RateSeriesSpec). Same error contract as scenario.hpp: InputError
/// `file: /json/pointer: message (got value)`, unknown keys are errors (ObjectReader).
///
/// Keys (`pointer` is where the object sits, e.g. "/model"):
///   historical: {"type": "historical", "csv": PATH, "column": NAME, "start": "YYYY-MM-DD",
///                "end": "YYYY-MM-DD", "max_gap_days": 10}
///   bootstrap:  the same plus "mean_block_length": number in [1, 1000000], default 1 (i.i.d.)
///   rate series ("financing_rate" as an object): {"csv": PATH, "column": "close",
///                "max_stale_days": 10, "max_gap_days": 10}
/// Only `csv` is required. A price file's `column` defaults to `Adj Close` when the file has one,
/// else `close` (market_data.hpp); loading the data (load_market_data) sets it to the column
/// read, so a report shows it. `start` and `end` are optional and inclusive; `max_gap_days` and
/// `max_stale_days` are integers in [1, limits::kMaxCalendarDays]. A relative `csv` path is
/// resolved against the folder of the scenario file (resolve_data_path).

#include <filesystem>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "letf/market/market_data.hpp"

namespace letf {

class ObjectReader;

/// The price-file fields of a model object (csv, column, start, end, max_gap_days; the reader
/// has checked the keys); csv resolved from the folder of r.file().
PriceFileSpec read_price_file(const ObjectReader& r);
/// The same fields in that order, every default filled in (start/end only when set, column when
/// known: always after load_market_data).
void write_price_file(nlohmann::ordered_json& j, const PriceFileSpec& spec);

/// csv as given (parse_scenario resolves it).
RateSeriesSpec parse_rate_series_spec(const nlohmann::json& j, const std::string& file,
                                      const std::string& pointer);
/// Resolved form, every default filled in; parsing it gives back the same struct.
nlohmann::ordered_json to_json(const RateSeriesSpec& spec);

/// `csv` as written when absolute, else relative to the folder holding `scenario_file`.
std::filesystem::path resolve_data_path(const std::string& csv, const std::string& scenario_file);

} // namespace letf

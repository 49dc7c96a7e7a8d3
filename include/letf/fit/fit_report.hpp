#pragma once
/// \file fit/fit_report.hpp
/// What `letfsim fit` prints: the fit (fit.hpp) with its stylized facts (stylized_facts.hpp), as
/// one JSON object or as text.
///
/// JSON keys (contract): "model" (a scenario model object, ready to paste), "log_likelihood",
/// "observations", "aic", "bic", "standard_errors" (the shape of the model object: one number or
/// null per fitted parameter; a regime's transition diagonal is 1 minus its row's others, so for
/// K = 2 it has the same standard error as the other entry and null for K > 2; a fixed value
/// such as garch's gamma = 0 or sigma0 = sigma is left out), "converged", "returns" ("simple" or
/// "log"), "stylized_facts" {"paths", "seed", "data", "model", "decay_3x_1y"}; beside them
/// "file", "start", "end", "hessian_positive_definite", "starts".

#include <string>

#include <nlohmann/json.hpp>

#include "letf/fit/fit.hpp"
#include "letf/fit/stylized_facts.hpp"

namespace letf {

struct FitReport {
    std::string file;
    std::string start, end; ///< dates of the first and last close used
    FitOptions options;
    FitResult fit;
    int fact_paths = 200;
    std::uint64_t seed = 1;
    StylizedFacts data_facts, model_facts;
    std::int64_t decay_paths = 10000;
    double decay_multiple = 3.0;
    DecayQuantiles bootstrap_decay, model_decay;
};

nlohmann::ordered_json fit_report_json(const FitReport& report);
/// Parameters with standard errors, likelihood, the facts table and the model object.
std::string fit_report_text(const FitReport& report);
/// The standard errors in the shape of the model object (see the file comment).
nlohmann::ordered_json standard_errors_json(const FitResult& fit, const FitOptions& options);

} // namespace letf

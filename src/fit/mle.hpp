#pragma once
/// \file fit/mle.hpp
/// The machinery shared by the fits (fit.hpp): a likelihood problem in natural and unconstrained
/// coordinates, the multi-start NLopt optimiser and the central-difference Hessian.

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "letf/fit/fit.hpp"

namespace letf::fit {

using Vec = std::vector<double>;

/// A model's likelihood. theta: the natural (reported) parameters, named by `pointers` (JSON
/// pointers into the model object); u: unconstrained coordinates that to_natural maps into the
/// valid region. nll(theta) is the negative log-likelihood, NaN outside the valid region (the
/// Hessian then reports no standard error rather than a wrong one).
struct FitProblem {
    std::vector<std::string> pointers;
    std::function<double(std::span<const double> theta)> nll;
    std::function<Vec(std::span<const double> u)> to_natural;
    std::vector<Vec> starts; ///< deterministic starting points, in u
    Vec lower, upper;        ///< box on u (keeps the optimiser out of numerically absurd corners)
    /// The model object at theta.
    std::function<nlohmann::ordered_json(std::span<const double> theta)> model_json;
    /// theta in a canonical order (regime: states by sigma ascending); empty: identity.
    std::function<Vec(std::span<const double> theta)> canonical;
    /// theta read back from a model object (for negative_log_likelihood).
    std::function<Vec(const nlohmann::ordered_json& model)> from_model;
};

struct MleOutcome {
    Vec theta;       ///< the best optimum, canonical order
    double nll = 0;  ///< its negative log-likelihood
    int starts = 0;  ///< starts run
};

/// Minimises nll(to_natural(u)) by BOBYQA from every start and keeps the best finite optimum
/// whose NLopt result is a success. Throws FitFailed when none is.
MleOutcome minimise(const FitProblem& problem);

/// Standard errors sqrt(diag(H^-1)), H the central-difference Hessian of nll at theta (steps
/// h_i = 1e-4 max(|theta_i|, 1e-2)). A parameter whose second difference is not finite (a step
/// left the valid region: the estimate is at the edge, e.g. a GJR alpha of 0) gets none and is
/// left out of the inversion (the others' errors are then conditional on it); when the remaining
/// Hessian is not positive definite no parameter gets one.
struct Curvature {
    std::vector<std::optional<double>> se;
    bool positive_definite = false;
};
Curvature standard_errors(const FitProblem& problem, std::span<const double> theta);

/// Logistic 1 / (1 + exp(-x)) and its inverse.
double logistic(double x);
double logit(double p);
/// Sample mean and variance (divisor n).
double mean_of(std::span<const double> x);
double variance_of(std::span<const double> x);

/// The problems of each model (garch_fit.cpp, regime_fit.cpp, merton_fit.cpp). `returns` are
/// simple returns for garch/gjr and log returns for regime/merton.
FitProblem garch_problem(std::span<const double> returns, const FitOptions& options);
FitProblem regime_problem(std::span<const double> returns, const FitOptions& options);
FitProblem merton_problem(std::span<const double> returns, const FitOptions& options);

} // namespace letf::fit

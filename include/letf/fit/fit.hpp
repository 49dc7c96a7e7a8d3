#pragma once
/// \file fit/fit.hpp
/// Maximum-likelihood fits of the scenario models to a series of daily returns (`letfsim fit`).
///
/// Which returns each model is fitted to
/// --------------------------------------
///   garch, gjr   daily SIMPLE returns R_t, the model's own definition:
///                R_t = mu dt + sqrt(h_t) z_t, e_t = R_t - mu dt,
///                h_t = omega + (alpha + gamma 1[e_{t-1} < 0]) e_{t-1}^2 + beta h_{t-1},
///                omega = sigma^2 dt (1 - alpha - beta - gamma/2), h_1 = the sample variance;
///                z_t standard normal or unit-variance Student t with df > 2 (gamma = 0 for garch).
///   regime       daily LOG returns x_t = ln(1 + R_t): within state s, x ~ N((mu_s - sigma_s^2/2)
///                dt, sigma_s^2 dt); states follow a Markov chain with the daily transition matrix
///                P, started from its stationary law; the likelihood is the Hamilton filter's.
///   merton       daily LOG returns: x = (mu - sigma^2/2 - lambda k) dt + sigma sqrt(dt) Z + the
///                sum of N ~ Poisson(lambda dt) log jumps N(jump_mean, jump_sigma^2),
///                k = exp(jump_mean + jump_sigma^2/2) - 1; the Poisson sum is truncated once the
///                mass left is below 1e-12.
/// Parameters are annualised with dt = 1 / 252 exactly as the scenario models read them, so the
/// fitted model object (FitResult::model) can be pasted into a scenario. A garch fit's sigma0 is
/// its unconditional sigma, not the filtered volatility at the end of the data: a scenario then
/// starts from the long-run state rather than from the day the file ends.
///
/// The optimiser (mle.hpp) is NLopt's derivative-free BOBYQA from several deterministic starts,
/// on unconstrained coordinates mapped into the valid region (log for positive parameters, a
/// logistic persistence split by a softmax for GARCH so alpha + beta + gamma/2 < 1, softmax rows
/// for the transition matrix). Standard errors: the inverse of the central-difference Hessian of
/// the negative log-likelihood in the reported (natural) parameters.

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace letf {

enum class FitModelKind { garch, gjr, regime, merton };
enum class Innovations { normal, student_t };

/// Fewest returns a fit accepts (fewer: InputError at the CLI).
inline constexpr std::size_t kMinFitObservations = 100;

struct FitOptions {
    FitModelKind model = FitModelKind::garch;
    int states = 2; ///< regime only, in [2, 5]
    Innovations innovations = Innovations::normal; ///< garch and gjr only
    double dt = 1.0 / 252;
};

/// One reported parameter: `pointer` is its JSON pointer inside the model object ("/alpha",
/// "/states/1/sigma", "/transition_daily/0/1"); `se` is empty when the Hessian gave none.
struct FitParameter {
    std::string pointer;
    double value = 0.0;
    std::optional<double> se;
};

/// A finished fit. aic = 2 k - 2 ln L, bic = k ln n - 2 ln L, k = parameters.size().
struct FitResult {
    nlohmann::ordered_json model; ///< a scenario model object ({"type": ..., ...})
    double log_likelihood = 0.0;
    std::size_t observations = 0;
    double aic = 0.0, bic = 0.0;
    std::vector<FitParameter> parameters; ///< the free parameters, each with its standard error
    bool hessian_positive_definite = false;
    std::string returns; ///< "simple" (garch, gjr) or "log" (regime, merton)
    int starts = 0;      ///< optimiser starts run
};

/// The optimiser did not reach a finite optimum from any start (constant data, for instance):
/// one line, exit 1 at the CLI.
class FitFailed : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// "garch", "gjr", "regime", "merton"; nullopt for another name.
std::optional<FitModelKind> parse_fit_model(std::string_view name);
std::string_view fit_model_name(FitModelKind kind);

/// Fits `simple_returns` (daily simple returns, at least kMinFitObservations, each > -1).
/// Throws FitFailed when no start converges.
FitResult fit_returns(std::span<const double> simple_returns, const FitOptions& options);

/// The negative log-likelihood of `simple_returns` under a model object of the kind `options`
/// names, at the object's parameters (the same likelihood fit_returns maximises): used to check
/// that a fit is no worse than the true parameters.
double negative_log_likelihood(std::span<const double> simple_returns, const FitOptions& options,
                               const nlohmann::ordered_json& model);

} // namespace letf

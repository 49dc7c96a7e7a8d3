#include "letf/fit/fit.hpp"

#include <cmath>

#include "mle.hpp"

namespace letf {
namespace {

std::vector<double> returns_for(std::span<const double> simple, FitModelKind kind) {
    std::vector<double> r(simple.begin(), simple.end());
    if (kind == FitModelKind::regime || kind == FitModelKind::merton)
        for (double& x : r)
            x = std::log1p(x);
    return r;
}

fit::FitProblem problem_for(std::span<const double> r, const FitOptions& o) {
    switch (o.model) {
    case FitModelKind::garch:
    case FitModelKind::gjr:
        return fit::garch_problem(r, o);
    case FitModelKind::regime:
        return fit::regime_problem(r, o);
    case FitModelKind::merton:
        return fit::merton_problem(r, o);
    }
    return fit::garch_problem(r, o);
}

/// The returns must vary: a constant series has no finite optimum (the variance goes to 0).
void check_returns(std::span<const double> r) {
    if (!(fit::variance_of(r) > 1e-20))
        throw FitFailed("the returns do not vary (constant prices): the likelihood has no "
                        "finite optimum");
}

} // namespace

std::optional<FitModelKind> parse_fit_model(std::string_view name) {
    for (FitModelKind k : {FitModelKind::garch, FitModelKind::gjr, FitModelKind::regime,
                           FitModelKind::merton})
        if (fit_model_name(k) == name)
            return k;
    return std::nullopt;
}

std::string_view fit_model_name(FitModelKind kind) {
    switch (kind) {
    case FitModelKind::garch:
        return "garch";
    case FitModelKind::gjr:
        return "gjr";
    case FitModelKind::regime:
        return "regime";
    case FitModelKind::merton:
        return "merton";
    }
    return "garch";
}

FitResult fit_returns(std::span<const double> simple_returns, const FitOptions& o) {
    const std::vector<double> r = returns_for(simple_returns, o.model);
    check_returns(r);
    const fit::FitProblem p = problem_for(r, o);
    const fit::MleOutcome best = fit::minimise(p);
    const fit::Curvature c = fit::standard_errors(p, best.theta);
    FitResult out;
    out.model = p.model_json(best.theta);
    out.log_likelihood = -best.nll;
    out.observations = r.size();
    const auto k = static_cast<double>(best.theta.size());
    out.aic = 2 * k + 2 * best.nll;
    out.bic = k * std::log(static_cast<double>(r.size())) + 2 * best.nll;
    for (std::size_t i = 0; i < best.theta.size(); ++i)
        out.parameters.push_back({p.pointers[i], best.theta[i], c.se[i]});
    out.hessian_positive_definite = c.positive_definite;
    out.returns = o.model == FitModelKind::regime || o.model == FitModelKind::merton ? "log"
                                                                                     : "simple";
    out.starts = best.starts;
    return out;
}

double negative_log_likelihood(std::span<const double> simple_returns, const FitOptions& o,
                               const nlohmann::ordered_json& model) {
    const std::vector<double> r = returns_for(simple_returns, o.model);
    const fit::FitProblem p = problem_for(r, o);
    return p.nll(p.from_model(model));
}

} // namespace letf

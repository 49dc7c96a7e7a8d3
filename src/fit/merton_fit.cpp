// Merton's jump-diffusion on daily log returns (fit.hpp): natural parameters
// theta = (mu, sigma, lambda, jump_mean, jump_sigma).

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "mle.hpp"

namespace letf::fit {
namespace {

/// Poisson(n; l) for n = 0, 1, ... until the mass left is below 1e-12 (at most 10,000 terms).
std::vector<double> poisson_log_weights(double l) {
    std::vector<double> out;
    double log_w = -l, mass = 0.0;
    for (int n = 0; n < 10000; ++n) {
        out.push_back(log_w);
        mass += std::exp(log_w);
        if (1.0 - mass < 1e-12)
            break;
        log_w += std::log(l) - std::log(n + 1.0);
    }
    return out;
}

/// -ln L: each day a Poisson mixture of normals N(a + n jump_mean, sigma^2 dt + n jump_sigma^2),
/// a = (mu - sigma^2/2 - lambda k) dt; NaN outside sigma, lambda, jump_sigma > 0.
double merton_nll(std::span<const double> x, double dt, std::span<const double> t) {
    const double mu = t[0], sigma = t[1], lambda = t[2], jm = t[3], js = t[4];
    if (!(sigma > 0 && lambda > 0 && js > 0 && lambda * dt < 50 && std::abs(jm) < 10))
        return std::nan("");
    const double k = std::expm1(jm + js * js / 2);
    const double a = (mu - sigma * sigma / 2 - lambda * k) * dt;
    const std::vector<double> lw = poisson_log_weights(lambda * dt);
    const std::size_t terms = lw.size();
    std::vector<double> m(terms), inv2v(terms), c(terms), lt(terms);
    for (std::size_t n = 0; n < terms; ++n) {
        const double v = sigma * sigma * dt + static_cast<double>(n) * js * js;
        m[n] = a + static_cast<double>(n) * jm;
        inv2v[n] = 0.5 / v;
        c[n] = lw[n] - 0.5 * std::log(2 * std::numbers::pi * v);
    }
    double ll = 0.0;
    for (double r : x) {
        double top = -std::numeric_limits<double>::infinity();
        for (std::size_t n = 0; n < terms; ++n) {
            lt[n] = c[n] - (r - m[n]) * (r - m[n]) * inv2v[n];
            top = std::max(top, lt[n]);
        }
        double s = 0.0;
        for (std::size_t n = 0; n < terms; ++n)
            s += std::exp(lt[n] - top);
        ll += top + std::log(s);
    }
    return -ll;
}

} // namespace

FitProblem merton_problem(std::span<const double> x, const FitOptions& o) {
    const double dt = o.dt;
    const double var = variance_of(x); // daily
    const double sd = std::sqrt(var / dt);
    const double mu = mean_of(x) / dt + sd * sd / 2;
    FitProblem p;
    p.pointers = {"/mu", "/sigma", "/lambda", "/jump_mean", "/jump_sigma"};
    p.nll = [x, dt](std::span<const double> t) { return merton_nll(x, dt, t); };
    p.to_natural = [](std::span<const double> u) {
        return Vec{u[0], std::exp(u[1]), std::exp(u[2]), u[3], std::exp(u[4])};
    };
    // (lambda, jump_mean, jump_sigma): rare large jumps to frequent small ones; sigma takes the
    // variance the jumps leave.
    for (const auto& [l, jm, js] : {std::tuple{1.0, -0.05, 0.05}, std::tuple{2.0, -0.03, 0.03},
                                    std::tuple{10.0, -0.01, 0.02}, std::tuple{25.0, 0.0, 0.015}}) {
        const double left = var - l * dt * (jm * jm + js * js);
        const double s = std::sqrt(std::max(left, 0.25 * var) / dt);
        p.starts.push_back({mu, std::log(s), std::log(l), jm, std::log(js)});
    }
    // Within the merton model's own ranges (|mu| <= 10, sigma <= 10, lambda <= 500), so that the
    // fitted object always parses.
    p.lower = {-10.0, std::log(sd) - 6.0, std::log(0.01), -1.0, std::log(1e-4)};
    p.upper = {10.0, std::min(std::log(sd) + 2.0, std::log(10.0)), std::log(500.0), 1.0, 0.0};
    p.model_json = [](std::span<const double> t) {
        return nlohmann::ordered_json{{"type", "merton"},   {"mu", t[0]},
                                      {"sigma", t[1]},      {"lambda", t[2]},
                                      {"jump_mean", t[3]},  {"jump_sigma", t[4]}};
    };
    p.from_model = [](const nlohmann::ordered_json& j) {
        return Vec{j.at("mu").get<double>(), j.at("sigma").get<double>(),
                   j.at("lambda").get<double>(), j.at("jump_mean").get<double>(),
                   j.at("jump_sigma").get<double>()};
    };
    return p;
}

} // namespace letf::fit

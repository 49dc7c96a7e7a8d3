// GARCH(1,1) and GJR-GARCH on daily simple returns (fit.hpp): natural parameters
// theta = (mu, sigma, alpha, beta[, gamma][, df]) with sigma the annual unconditional volatility.

#include <algorithm>
#include <cmath>
#include <numbers>

#include "mle.hpp"

namespace letf::fit {
namespace {

struct GarchSpec {
    bool gjr = false;
    bool student = false;
    double dt = 1.0 / 252;
    std::size_t size() const { return 4u + (gjr ? 1u : 0u) + (student ? 1u : 0u); }
    std::size_t gamma_at() const { return 4; }
    std::size_t df_at() const { return gjr ? 5 : 4; }
};

/// -ln L of the returns, NaN outside sigma > 0, alpha, beta, gamma >= 0,
/// alpha + beta + gamma/2 < 1, df > 2. h_1 is the sample variance.
double garch_nll(std::span<const double> r, const GarchSpec& g, std::span<const double> t,
                 double h1) {
    const double mu = t[0], sigma = t[1], alpha = t[2], beta = t[3];
    const double gamma = g.gjr ? t[g.gamma_at()] : 0.0;
    const double df = g.student ? t[g.df_at()] : 0.0;
    const double persistence = alpha + beta + gamma / 2;
    if (!(sigma > 0 && alpha >= 0 && beta >= 0 && gamma >= 0 && persistence < 1) ||
        (g.student && !(df > 2 && df <= 1e4)))
        return std::nan("");
    const double omega = sigma * sigma * g.dt * (1 - persistence);
    const double m = mu * g.dt;
    // Student t with unit variance: z = e / sqrt(h), scale^2 = (df - 2) / df.
    const double t_const = g.student ? std::lgamma((df + 1) / 2) - std::lgamma(df / 2) -
                                           0.5 * std::log(std::numbers::pi * (df - 2))
                                     : 0.0;
    double h = h1, nll = 0.0;
    for (double x : r) {
        const double e = x - m;
        if (g.student)
            nll -= t_const - 0.5 * std::log(h) - (df + 1) / 2 * std::log1p(e * e / (h * (df - 2)));
        else
            nll += 0.5 * (std::log(2 * std::numbers::pi * h) + e * e / h);
        h = omega + (alpha + (e < 0 ? gamma : 0.0)) * e * e + beta * h;
    }
    return nll;
}

/// u = (mu, ln sigma, logit P, s_beta[, s_gamma][, ln(df - 2)]): the persistence
/// P = alpha + beta + gamma/2 in (0, 1) is split by a softmax with alpha's weight fixed at 1.
Vec garch_natural(const GarchSpec& g, std::span<const double> u) {
    Vec t(g.size());
    t[0] = u[0];
    t[1] = std::exp(u[1]);
    const double p = logistic(u[2]);
    const double wb = std::exp(u[3]);
    const double wg = g.gjr ? std::exp(u[4]) : 0.0;
    const double total = 1.0 + wb + wg;
    t[2] = p / total;
    t[3] = p * wb / total;
    if (g.gjr)
        t[g.gamma_at()] = 2 * p * wg / total;
    if (g.student)
        t[g.df_at()] = 2.0 + std::exp(u[g.gjr ? 5 : 4]);
    return t;
}

/// The starts: persistences 0.95 and 0.98 with alpha (and gamma/2) about 0.05 and 0.10 of it,
/// df 8 for Student t.
std::vector<Vec> garch_starts(const GarchSpec& g, double mu, double sigma) {
    std::vector<Vec> starts;
    for (double p : {0.95, 0.98})
        for (double a : {0.05, 0.10}) {
            const double share_a = g.gjr ? a / 2 : a; // of P; gamma/2 takes another a/2
            const double share_g = g.gjr ? a / 2 : 0.0;
            Vec u{mu, std::log(sigma), logit(p), std::log((1 - share_a - share_g) / share_a)};
            if (g.gjr)
                u.push_back(std::log(share_g / share_a));
            if (g.student)
                u.push_back(std::log(6.0));
            starts.push_back(u);
        }
    return starts;
}

} // namespace

FitProblem garch_problem(std::span<const double> r, const FitOptions& o) {
    const GarchSpec g{o.model == FitModelKind::gjr, o.innovations == Innovations::student_t,
                      o.dt};
    const double h1 = variance_of(r);
    const double mu = mean_of(r) / o.dt;
    const double sigma = std::sqrt(h1 / o.dt);
    FitProblem p;
    p.pointers = {"/mu", "/sigma", "/alpha", "/beta"};
    if (g.gjr)
        p.pointers.push_back("/gamma");
    if (g.student)
        p.pointers.push_back("/df");
    p.nll = [r, g, h1](std::span<const double> t) { return garch_nll(r, g, t, h1); };
    p.to_natural = [g](std::span<const double> u) { return garch_natural(g, u); };
    p.starts = garch_starts(g, mu, sigma);
    const std::size_t n = p.starts.front().size();
    p.lower.assign(n, -20.0);
    p.upper.assign(n, 20.0);
    p.lower[0] = -10.0; // the garch model's ranges: |mu| <= 10, sigma <= 10
    p.upper[0] = 10.0;
    p.lower[1] = std::log(sigma) - 5.0;
    p.upper[1] = std::min(std::log(sigma) + 5.0, std::log(10.0));
    if (g.student) {
        p.lower[n - 1] = std::log(0.05); // df in [2.05, 2 + e^9]
        p.upper[n - 1] = 9.0;
    }
    p.model_json = [g](std::span<const double> t) {
        nlohmann::ordered_json j{{"type", "garch"}, {"mu", t[0]},    {"sigma", t[1]},
                                 {"alpha", t[2]},   {"beta", t[3]},  {"gamma", 0.0}};
        if (g.gjr)
            j["gamma"] = t[g.gamma_at()];
        j["innovations"] = g.student ? "student_t" : "normal";
        if (g.student)
            j["df"] = t[g.df_at()];
        j["sigma0"] = t[1]; // the unconditional volatility, not the last filtered one
        return j;
    };
    p.from_model = [g](const nlohmann::ordered_json& j) {
        Vec t{j.at("mu").get<double>(), j.at("sigma").get<double>(), j.at("alpha").get<double>(),
              j.at("beta").get<double>()};
        if (g.gjr)
            t.push_back(j.value("gamma", 0.0));
        if (g.student)
            t.push_back(j.at("df").get<double>());
        return t;
    };
    return p;
}

} // namespace letf::fit

// K-state Markov regimes on daily log returns by the Hamilton filter (fit.hpp): natural
// parameters theta = (mu_0..mu_{K-1}, sigma_0..sigma_{K-1}, the off-diagonal p_ij row by row).

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>

#include <Eigen/Dense>

#include "mle.hpp"

namespace letf::fit {
namespace {

std::size_t size_of(int k) { return static_cast<std::size_t>(2 * k + k * (k - 1)); }

/// The transition matrix of theta (diagonal = 1 - the row's others); nullopt outside the simplex.
std::optional<Eigen::MatrixXd> transition(int k, std::span<const double> t) {
    Eigen::MatrixXd p(k, k);
    std::size_t at = static_cast<std::size_t>(2 * k);
    for (int i = 0; i < k; ++i) {
        double rest = 0.0;
        for (int j = 0; j < k; ++j) {
            if (j == i)
                continue;
            p(i, j) = t[at++];
            if (!(p(i, j) >= 0.0))
                return std::nullopt;
            rest += p(i, j);
        }
        p(i, i) = 1.0 - rest;
        if (!(p(i, i) >= 0.0))
            return std::nullopt;
    }
    return p;
}

/// pi' P = pi', sum pi = 1: the last equation of (P' - I) pi = 0 replaced by the sum.
Eigen::VectorXd stationary(const Eigen::MatrixXd& p) {
    const Eigen::Index k = p.rows();
    Eigen::MatrixXd a = p.transpose() - Eigen::MatrixXd::Identity(k, k);
    a.row(k - 1).setOnes();
    Eigen::VectorXd b = Eigen::VectorXd::Zero(k);
    b(k - 1) = 1.0;
    return a.fullPivLu().solve(b);
}

/// -ln L by the Hamilton filter, started from the stationary law; NaN outside the region.
double regime_nll(std::span<const double> x, int k, double dt, std::span<const double> t) {
    const std::optional<Eigen::MatrixXd> p = transition(k, t);
    if (!p)
        return std::nan("");
    const auto ku = static_cast<std::size_t>(k);
    std::vector<double> m(ku), v(ku), c0(ku), lf(ku);
    for (std::size_t s = 0; s < ku; ++s) {
        const double sigma = t[ku + s];
        if (!(sigma > 0))
            return std::nan("");
        v[s] = sigma * sigma * dt;
        m[s] = (t[s] - sigma * sigma / 2) * dt;
        c0[s] = -0.5 * std::log(2 * std::numbers::pi * v[s]);
    }
    const Eigen::VectorXd pi = stationary(*p);
    if (!(pi.minCoeff() >= -1e-12))
        return std::nan("");
    // The filter on plain arrays (no allocation per day): xi the predicted law of today's state.
    std::vector<double> xi(ku), joint(ku), pm(ku * ku);
    for (std::size_t i = 0; i < ku; ++i) {
        xi[i] = std::max(pi(static_cast<Eigen::Index>(i)), 0.0);
        for (std::size_t j = 0; j < ku; ++j)
            pm[i * ku + j] = (*p)(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
    }
    double ll = 0.0;
    for (double r : x) {
        double top = -std::numeric_limits<double>::infinity();
        for (std::size_t s = 0; s < ku; ++s) {
            lf[s] = c0[s] - (r - m[s]) * (r - m[s]) / (2 * v[s]);
            top = std::max(top, lf[s]);
        }
        double c = 0.0;
        for (std::size_t s = 0; s < ku; ++s) {
            joint[s] = xi[s] * std::exp(lf[s] - top);
            c += joint[s];
        }
        ll += top + std::log(c);
        for (std::size_t j = 0; j < ku; ++j) {
            double next = 0.0;
            for (std::size_t i = 0; i < ku; ++i)
                next += joint[i] * pm[i * ku + j];
            xi[j] = next / c;
        }
    }
    return -ll;
}

/// u = (mu_s, ln sigma_s, per row the logits of the off-diagonal entries against the diagonal).
Vec regime_natural(int k, std::span<const double> u) {
    const auto ku = static_cast<std::size_t>(k);
    Vec t(u.begin(), u.end());
    for (std::size_t s = 0; s < ku; ++s)
        t[ku + s] = std::exp(u[ku + s]);
    std::size_t at = 2 * ku;
    for (std::size_t i = 0; i < ku; ++i) {
        double total = 1.0;
        for (std::size_t j = 0; j + 1 < ku; ++j)
            total += std::exp(u[at + j]);
        for (std::size_t j = 0; j + 1 < ku; ++j)
            t[at + j] = std::exp(u[at + j]) / total;
        at += ku - 1;
    }
    return t;
}

/// States reordered by sigma ascending, the matrix permuted with them.
Vec regime_canonical(int k, std::span<const double> t) {
    const auto ku = static_cast<std::size_t>(k);
    std::vector<std::size_t> order(ku);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return t[ku + a] < t[ku + b]; });
    const Eigen::MatrixXd p = *transition(k, t);
    Vec out(t.size());
    std::size_t at = 2 * ku;
    for (std::size_t a = 0; a < ku; ++a) {
        out[a] = t[order[a]];
        out[ku + a] = t[ku + order[a]];
        for (std::size_t b = 0; b < ku; ++b)
            if (b != a)
                out[at++] = p(static_cast<Eigen::Index>(order[a]),
                              static_cast<Eigen::Index>(order[b]));
    }
    return out;
}

std::string state_name(int k, int s) {
    if (s == 0)
        return "calm";
    if (s == k - 1)
        return "turbulent";
    return k == 3 ? "middle" : "state_" + std::to_string(s + 1);
}

nlohmann::ordered_json regime_json(int k, std::span<const double> t) {
    const auto ku = static_cast<std::size_t>(k);
    nlohmann::ordered_json j{{"type", "regime"}};
    j["states"] = nlohmann::ordered_json::array();
    for (std::size_t s = 0; s < ku; ++s)
        j["states"].push_back({{"mu", t[s]},
                               {"sigma", t[ku + s]},
                               {"name", state_name(k, static_cast<int>(s))}});
    const Eigen::MatrixXd p = *transition(k, t);
    j["transition_daily"] = nlohmann::ordered_json::array();
    for (int i = 0; i < k; ++i) {
        nlohmann::ordered_json row = nlohmann::ordered_json::array();
        for (int j2 = 0; j2 < k; ++j2)
            row.push_back(p(i, j2));
        j["transition_daily"].push_back(row);
    }
    j["initial"] = "stationary";
    return j;
}

} // namespace

FitProblem regime_problem(std::span<const double> x, const FitOptions& o) {
    const int k = o.states;
    const auto ku = static_cast<std::size_t>(k);
    FitProblem p;
    for (const char* key : {"mu", "sigma"})
        for (int s = 0; s < k; ++s)
            p.pointers.push_back("/states/" + std::to_string(s) + "/" + key);
    for (int i = 0; i < k; ++i)
        for (int j = 0; j < k; ++j)
            if (i != j)
                p.pointers.push_back("/transition_daily/" + std::to_string(i) + "/" +
                                     std::to_string(j));
    const double dt = o.dt;
    p.nll = [x, k, dt](std::span<const double> t) { return regime_nll(x, k, dt, t); };
    p.to_natural = [k](std::span<const double> u) { return regime_natural(k, u); };
    p.canonical = [k](std::span<const double> t) { return regime_canonical(k, t); };
    p.model_json = [k](std::span<const double> t) { return regime_json(k, t); };
    const double sd = std::sqrt(variance_of(x) / dt);
    const double mu = mean_of(x) / dt + sd * sd / 2;
    for (const auto& [lo, hi] : {std::pair{0.6, 1.6}, std::pair{0.8, 2.2}})
        for (double stay : {0.98, 0.995}) {
            Vec u(size_of(k));
            for (std::size_t s = 0; s < ku; ++s) {
                u[s] = mu;
                const double w = k == 1 ? 0.0 : static_cast<double>(s) / (k - 1);
                u[ku + s] = std::log(sd * lo) + w * std::log(hi / lo);
            }
            for (std::size_t at = 2 * ku; at < u.size(); ++at)
                u[at] = std::log((1 - stay) / (k - 1) / stay);
            p.starts.push_back(u);
        }
    p.lower.assign(size_of(k), -25.0);
    p.upper.assign(size_of(k), 10.0);
    for (std::size_t s = 0; s < ku; ++s) {
        p.lower[s] = -10.0; // the regime model's ranges: |mu| <= 10, sigma <= 10
        p.upper[s] = 10.0;
        p.lower[ku + s] = std::log(sd) - 6.0;
        p.upper[ku + s] = std::min(std::log(sd) + 4.0, std::log(10.0));
    }
    p.from_model = [k](const nlohmann::ordered_json& j) {
        Vec t;
        for (const char* key : {"mu", "sigma"})
            for (int s = 0; s < k; ++s)
                t.push_back(j.at("states").at(static_cast<std::size_t>(s)).at(key).get<double>());
        for (int i = 0; i < k; ++i)
            for (int c = 0; c < k; ++c)
                if (i != c)
                    t.push_back(j.at("transition_daily")
                                    .at(static_cast<std::size_t>(i))
                                    .at(static_cast<std::size_t>(c))
                                    .get<double>());
        return t;
    };
    return p;
}

} // namespace letf::fit

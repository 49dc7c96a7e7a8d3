#include "mle.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <Eigen/Dense>
#include <nlopt.hpp>

namespace letf::fit {
namespace {

/// What NLopt minimises: nll at to_natural(u). A non-finite value (an overflow far from the
/// optimum) is replaced by a large finite one so that BOBYQA's quadratic model stays usable.
struct Objective {
    const FitProblem* problem;
    int evaluations = 0;
};

double objective(const std::vector<double>& u, std::vector<double>&, void* data) {
    auto* o = static_cast<Objective*>(data);
    ++o->evaluations;
    const Vec theta = o->problem->to_natural(u);
    const double v = o->problem->nll(theta);
    return std::isfinite(v) ? v : 1e100;
}

struct Local {
    Vec u;
    double nll = std::numeric_limits<double>::infinity();
    bool ok = false;
};

/// One BOBYQA run from `start` (clamped into the box).
Local run_local(const FitProblem& p, Vec start) {
    const unsigned n = static_cast<unsigned>(start.size());
    for (std::size_t i = 0; i < start.size(); ++i)
        start[i] = std::clamp(start[i], p.lower[i], p.upper[i]);
    nlopt::opt opt(nlopt::LN_BOBYQA, n);
    Objective o{&p};
    opt.set_min_objective(objective, &o);
    opt.set_lower_bounds(p.lower);
    opt.set_upper_bounds(p.upper);
    opt.set_initial_step(0.1);
    opt.set_xtol_rel(1e-8);
    opt.set_ftol_abs(1e-7);
    opt.set_maxeval(20000);
    Local r{start};
    try {
        const nlopt::result res = opt.optimize(r.u, r.nll);
        r.ok = res > 0 && res != nlopt::MAXEVAL_REACHED && res != nlopt::MAXTIME_REACHED;
    } catch (const nlopt::roundoff_limited&) {
        r.ok = true; // at the optimum to within rounding: BOBYQA cannot do better
    } catch (const std::exception&) {
        r.ok = false;
    }
    r.ok = r.ok && std::isfinite(r.nll) && r.nll < 1e99;
    return r;
}

} // namespace

double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double logit(double p) { return std::log(p / (1.0 - p)); }

double mean_of(std::span<const double> x) {
    return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

double variance_of(std::span<const double> x) {
    const double m = mean_of(x);
    double s = 0.0;
    for (double v : x)
        s += (v - m) * (v - m);
    return s / static_cast<double>(x.size());
}

MleOutcome minimise(const FitProblem& p) {
    Local best;
    int starts = 0;
    for (const Vec& s : p.starts) {
        ++starts;
        Local r = run_local(p, s);
        if (r.ok && r.nll < best.nll)
            best = std::move(r);
    }
    if (!best.ok)
        throw FitFailed("the likelihood has no finite optimum from any of " +
                        std::to_string(starts) + " starts");
    // A second run from the best optimum: BOBYQA's trust region restarts at full size there.
    if (Local polish = run_local(p, best.u); polish.ok && polish.nll <= best.nll)
        best = std::move(polish);
    MleOutcome out;
    out.theta = p.to_natural(best.u);
    if (p.canonical)
        out.theta = p.canonical(out.theta);
    out.nll = p.nll(out.theta);
    out.starts = starts;
    return out;
}

namespace {

/// The central-difference Hessian of nll at theta; entries NaN where a step left the region.
Eigen::MatrixXd hessian(const FitProblem& p, std::span<const double> theta) {
    const auto n = static_cast<Eigen::Index>(theta.size());
    Vec h(theta.size());
    for (std::size_t i = 0; i < theta.size(); ++i)
        h[i] = 1e-4 * std::max(std::abs(theta[i]), 1e-2);
    Vec x(theta.begin(), theta.end());
    // nll at x + si h_i e_i + sj h_j e_j.
    auto f = [&](Eigen::Index i, double si, Eigen::Index j, double sj) {
        const auto a = static_cast<std::size_t>(i), b = static_cast<std::size_t>(j);
        x[a] += si * h[a];
        x[b] += sj * h[b];
        const double v = p.nll(x);
        x[a] -= si * h[a];
        x[b] -= sj * h[b];
        return v;
    };
    const double f0 = p.nll(x);
    Eigen::MatrixXd H(n, n);
    for (Eigen::Index i = 0; i < n; ++i) {
        const double hi = h[static_cast<std::size_t>(i)];
        H(i, i) = (f(i, 1, i, 0) - 2 * f0 + f(i, -1, i, 0)) / (hi * hi);
        for (Eigen::Index j = 0; j < i; ++j) {
            const double hj = h[static_cast<std::size_t>(j)];
            const double v = (f(i, 1, j, 1) - f(i, 1, j, -1) - f(i, -1, j, 1) + f(i, -1, j, -1)) /
                             (4 * hi * hj);
            H(i, j) = v;
            H(j, i) = v;
        }
    }
    return H;
}

} // namespace

Curvature standard_errors(const FitProblem& p, std::span<const double> theta) {
    const Eigen::MatrixXd H = hessian(p, theta);
    const auto n = static_cast<Eigen::Index>(theta.size());
    // A parameter whose own second difference is not finite (it sits at the edge of its range)
    // is left out, with its row and column; the rest must then be finite.
    std::vector<Eigen::Index> keep;
    for (Eigen::Index i = 0; i < n; ++i)
        if (std::isfinite(H(i, i)))
            keep.push_back(i);
    Curvature c;
    c.se.assign(theta.size(), std::nullopt);
    const auto m = static_cast<Eigen::Index>(keep.size());
    Eigen::MatrixXd sub(m, m);
    for (Eigen::Index a = 0; a < m; ++a)
        for (Eigen::Index b = 0; b < m; ++b)
            sub(a, b) = H(keep[static_cast<std::size_t>(a)], keep[static_cast<std::size_t>(b)]);
    const Eigen::LLT<Eigen::MatrixXd> llt(sub);
    if (m == 0 || !sub.allFinite() || llt.info() != Eigen::Success)
        return c;
    const Eigen::MatrixXd cov = llt.solve(Eigen::MatrixXd::Identity(m, m));
    for (Eigen::Index a = 0; a < m; ++a)
        if (cov(a, a) > 0 && std::isfinite(cov(a, a)))
            c.se[static_cast<std::size_t>(keep[static_cast<std::size_t>(a)])] =
                std::sqrt(cov(a, a));
    c.positive_definite = m == n;
    return c;
}

} // namespace letf::fit

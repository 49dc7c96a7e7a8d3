#include "letf/models/lognormal_mixture.hpp"

#include <cmath>

namespace letf {
namespace {

/// Standard normal CDF.
double phi(double x) {
    return 0.5 * std::erfc(-x * M_SQRT1_2);
}

/// sum_n w_n f(m_n, s_n) over the Poisson(lambda_dt) weights w_n, until the mass left is below
/// 1e-17. The tail after term n is bounded by w_{n+1} / (1 - lambda_dt / (n + 2)) once
/// n + 2 > lambda_dt (a geometric bound on the ratios w_{k+1} / w_k = lambda_dt / (k + 1)).
template <class F> double poisson_sum(const LognormalMixture& x, F f) {
    double sum = 0.0;
    for (int n = 0;; ++n) {
        const double dn = n;
        const double log_w = x.lambda_dt > 0.0
                                 ? -x.lambda_dt + dn * std::log(x.lambda_dt) - std::lgamma(dn + 1)
                                 : (n == 0 ? 0.0 : -INFINITY);
        const double w = std::exp(log_w);
        if (w > 0.0)
            sum += w * f(x.m0 + dn * x.jump_mean, std::sqrt(x.var0 + dn * x.jump_var));
        if (dn + 2.0 > x.lambda_dt) {
            const double next = w * x.lambda_dt / (dn + 1.0);
            if (next / (1.0 - x.lambda_dt / (dn + 2.0)) < 1e-17)
                return sum;
        }
    }
}

/// E[max(0, a + b e^X)] for X ~ N(m, s^2).
double one_positive_part(double m, double s, double a, double b) {
    if (a >= 0.0 && b >= 0.0)
        return a + b * std::exp(m + 0.5 * s * s);
    if (a <= 0.0 && b <= 0.0)
        return 0.0;
    if (s == 0.0)
        return std::fmax(0.0, a + b * std::exp(m));
    const double fwd = std::exp(m + 0.5 * s * s);
    if (b > 0.0) { // call on e^X struck at K = -a/b
        const double k = -a / b;
        const double d2 = (m - std::log(k)) / s;
        return b * (fwd * phi(d2 + s) - k * phi(d2));
    }
    const double k = a / -b; // put struck at K = a/(-b)
    const double d2 = (m - std::log(k)) / s;
    return -b * (k * phi(-d2) - fwd * phi(-d2 - s));
}

/// P(a + b e^X <= 0) for X ~ N(m, s^2).
double one_prob_nonpositive(double m, double s, double a, double b) {
    if (b == 0.0)
        return a <= 0.0 ? 1.0 : 0.0;
    if (b > 0.0) { // e^X <= -a/b
        if (a >= 0.0)
            return 0.0;
        const double ln_k = std::log(-a / b);
        return s == 0.0 ? (m <= ln_k ? 1.0 : 0.0) : phi((ln_k - m) / s);
    }
    if (a <= 0.0) // b < 0: e^X >= a/(-b)
        return 1.0;
    const double ln_k = std::log(a / -b);
    return s == 0.0 ? (m >= ln_k ? 1.0 : 0.0) : phi((m - ln_k) / s);
}

} // namespace

double mixture_positive_part(const LognormalMixture& x, double a, double b) {
    return poisson_sum(x, [&](double m, double s) { return one_positive_part(m, s, a, b); });
}

double mixture_prob_nonpositive(const LognormalMixture& x, double a, double b) {
    return poisson_sum(x, [&](double m, double s) { return one_prob_nonpositive(m, s, a, b); });
}

double mixture_mean_exp(const LognormalMixture& x) {
    return poisson_sum(x, [](double m, double s) { return std::exp(m + 0.5 * s * s); });
}

} // namespace letf

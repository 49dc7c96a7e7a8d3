#pragma once
/// \file models/lognormal_mixture.hpp
/// One day's growth factor e^X as a Poisson mixture of lognormals (merton; gbm with no jumps):
/// the closed forms of ModelFacts::DayLaw.
///
/// Given N = n jumps, X ~ N(m_n, s_n^2) with
///   m_n = m0 + n jump_mean,   s_n^2 = var0 + n jump_var,
/// and N ~ Poisson(lambda_dt). Sums over n run from 0 until the Poisson mass left is below
/// 1e-17 (weights in log space, so a large lambda_dt does not underflow). With lambda_dt = 0 the
/// law is one lognormal (gbm: m0 = (mu - sigma^2/2) dt, var0 = sigma^2 dt).
/// Phi is 0.5 erfc(-x / sqrt 2), accurate in both tails; s_n = 0 is a point mass at e^{m_n}.

namespace letf {

/// The parameters of the mixture (all >= 0 except m0 and jump_mean).
struct LognormalMixture {
    double lambda_dt = 0.0; ///< Poisson mean of the number of jumps N (jumps per day)
    double m0 = 0.0;        ///< mean of X without a jump
    double jump_mean = 0.0; ///< mean of one log jump
    double var0 = 0.0;      ///< variance of X without a jump (sigma^2 dt)
    double jump_var = 0.0;  ///< variance of one log jump (jump_sigma^2)
};

/// E[max(0, a + b e^X)]: for each n, a lognormal call b C(K = -a/b) when b > 0 > a, a put
/// (-b) P(K = a/(-b)) when a > 0 > b, a + b E[e^X | n] when a, b >= 0, and 0 when a, b <= 0.
double mixture_positive_part(const LognormalMixture& x, double a, double b);

/// P(a + b e^X <= 0), from the same mixture.
double mixture_prob_nonpositive(const LognormalMixture& x, double a, double b);

/// E[e^X] = sum_n w_n exp(m_n + s_n^2 / 2).
double mixture_mean_exp(const LognormalMixture& x);

} // namespace letf

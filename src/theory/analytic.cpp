#include "letf/theory/analytic.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <type_traits>

#include "letf/models/registry.hpp"

namespace letf {
namespace {

/// Whether E[prod_t (a + b R_t)] is known exactly (product_of_means).
bool products_exact(const ModelFacts& facts) {
    return facts.days_independent || facts.conditional_means || facts.expected_product;
}

/// E[prod_{t=1..n} (a + b R_t)]: the model's own product when it has one, else
/// prod_{t=1..n} (a + b m_t), in logs to stay finite and accurate over long horizons.
double product_of_means(const ModelFacts& facts, int days, double a, double b) {
    if (facts.expected_product)
        return facts.expected_product(a, b);
    // When every day has the same mean, use the power directly.
    if (facts.identical_days)
        return std::pow(a + b * facts.mean_return.front(), days);
    double log_sum = 0.0;
    for (const double m : facts.mean_return) {
        const double f = a + b * m;
        if (f <= 0.0)
            return 0.0;
        log_sum += std::log(f);
    }
    return std::exp(log_sum);
}

} // namespace

double lognormal_kurtosis(double log_variance) {
    const double w = std::exp(log_variance);
    return w * w * w * w + 2.0 * w * w * w + 3.0 * w * w - 3.0;
}

double paths_for_reliable_std_error(double log_variance) {
    return 10.0 * (lognormal_kurtosis(log_variance) - 1.0);
}

Analytic analytic_underlying(const ScenarioConfig& config, const ModelFacts& facts) {
    Analytic a;
    a.one_outcome = facts.one_outcome;
    // Products of daily means are exact only for independent days or known conditional means
    // (not a block bootstrap).
    if (!products_exact(facts))
        return a;
    a.mean_terminal = product_of_means(facts, config.days, 1.0, 1.0);
    if (facts.lognormal) {
        const double T = config.days * config.dt(), mu = facts.lognormal->mu;
        const double sigma = facts.lognormal->sigma;
        a.median_terminal = std::exp((mu - 0.5 * sigma * sigma) * T);
        a.median_exact = true;
    }
    return a;
}

Analytic analytic_position(const ScenarioConfig& config, const ModelFacts& facts,
                           const Position& p) {
    Analytic a;
    // A multiple of 0 holds no index: the value follows the costs (and the rate) alone.
    a.one_outcome = facts.one_outcome || (p.multiple == 0.0 && !config.has_rate_series());
    // A rate series makes the carry path-dependent: no closed form for any strategy.
    if (config.has_rate_series() || !products_exact(facts))
        return a;
    TheoryInputs in;
    in.product_of_means = [&](double x, double y) {
        return product_of_means(facts, config.days, x, y);
    };
    in.days = config.days;
    in.dt = config.dt();
    in.costs = config.costs;
    if (facts.lognormal)
        in.gbm = TheoryInputs::Gbm{facts.lognormal->mu, facts.lognormal->sigma};
    in.conditional_means = facts.conditional_means;
    if (facts.day_law) {
        in.positive_part = facts.day_law->positive_part;
        in.prob_nonpositive = facts.day_law->prob_nonpositive;
    }
    in.integrated_variance = facts.integrated_variance;
    // Each strategy's own theory (strategies/<name>.hpp); one without theory() does not compile.
    const StrategyTheory t =
        std::visit([&](const auto& s) { return s.theory(in, p.multiple); }, p.strategy);
    a.mean_terminal = t.mean_terminal;
    a.mean_ignores_wipeout = t.mean_ignores_wipeout;
    a.median_terminal = t.median_terminal;
    a.median_exact = t.median_exact;
    a.log_decay_mean = t.log_decay_mean;
    a.mean_terminal_limited = t.mean_terminal_limited;
    a.prob_wipeout = t.prob_wipeout;
    a.prob_beat_index = t.prob_beat_index;
    return a;
}

namespace {

/// E[V_T] of a portfolio rebalanced on a calendar (or never: one period), without transaction
/// costs: prod over periods of sum_k w_k prod_{t in period} (1 - c_k dt + L_k m_{a_k,t}) plus
/// the cash sleeve's deterministic growth (strategies/portfolio.hpp).
Analytic analytic_portfolio(const ScenarioConfig& config, const std::vector<ModelFacts>& facts,
                            const Position& p) {
    Analytic a;
    const auto& pf = std::get<Portfolio>(p.strategy);
    if (config.has_rate_series() || pf.band || pf.transaction_cost_bps != 0.0)
        return a;
    bool conditional = false, one = true;
    for (const Sleeve& s : p.sleeves) {
        if (s.asset < 0)
            continue;
        const ModelFacts& f = facts[static_cast<std::size_t>(s.asset)];
        if (f.expected_product || !(f.days_independent || f.conditional_means) ||
            f.mean_return.size() < static_cast<std::size_t>(config.days))
            return a;
        conditional = conditional || f.conditional_means;
        one = one && f.one_outcome;
    }
    a.one_outcome = one;
    const int n = config.days, every = pf.never() ? n : pf.every_days;
    double log_mean = 0.0;
    for (int start = 0; start < n; start += every) {
        const int end = std::min(n, start + every);
        double period = 0.0;
        for (const Sleeve& s : p.sleeves) {
            double g = 1.0;
            if (s.asset < 0) {
                g = std::pow(s.weight < 0.0 ? p.borrowed_growth : p.cash_growth, end - start);
            } else {
                const std::vector<double>& m = facts[static_cast<std::size_t>(s.asset)].mean_return;
                for (int t = start; t < end; ++t)
                    g *= 1.0 - s.carry_daily + s.multiple * m[static_cast<std::size_t>(t)];
            }
            period += s.weight * g;
        }
        if (!(period > 0.0))
            return Analytic{};
        log_mean += std::log(period);
    }
    a.mean_terminal = std::exp(log_mean);
    a.mean_ignores_wipeout = conditional;
    return a;
}

} // namespace

Analytic analytic_position(const ScenarioConfig& config, const std::vector<ModelFacts>& asset_facts,
                           const Position& p) {
    if (!config.cash_flows.empty())
        return Analytic{};
    if (std::holds_alternative<Portfolio>(p.strategy))
        return analytic_portfolio(config, asset_facts, p);
    return analytic_position(config, asset_facts[static_cast<std::size_t>(p.asset)], p);
}

Analytic analytic_underlying(const ScenarioConfig& config) {
    return analytic_underlying(config, model_facts(config));
}

Analytic analytic_position(const ScenarioConfig& config, const Position& p) {
    return analytic_position(config, model_facts(config), p);
}

} // namespace letf

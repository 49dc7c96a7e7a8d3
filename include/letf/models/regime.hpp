#pragma once
/// \file models/regime.hpp
/// Markov regime switching between gbm days.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "letf/models/model.hpp"

namespace letf {

/// K states (1 <= K <= kMaxStates), state s a gbm day with annual (mu_s, sigma_s); the state
/// follows a Markov chain with daily transition matrix P (row-stochastic, K x K) from s_0 ~ pi_0:
///   s_t ~ P[s_{t-1}, .],  R_t = exp((mu_s - sigma_s^2/2) dt + sigma_s sqrt(dt) z_t) - 1, s = s_t,
/// so E[R_t | s_t = s] = r_s = e^{mu_s dt} - 1. pi_0 is `initial`, or the stationary law of P
/// (pi' P = pi', sum 1; an error when it is not unique, a reducible chain). Then
///   E[R_t] = pi_0' P^t r,  E[prod_{t=1..n} (a + b R_t)] = pi_0' (P D)^n 1, D = diag(a + b r_s).
///
/// Draws. s_0 from one uniform of SubStream::regimes when the strip starts (start()); then per
/// lane, in day order, one uniform (uniform_open01) of that sub-stream per day for the
/// transition (inverse of the row's cumulative law), then z_t from the primary stream
/// (strip_normals, as gbm: a one-state regime gives gbm's returns bit for bit at the same seed).
/// The regimes stream is read one word per day, whatever the chunking.
struct RegimeModel {
    static constexpr std::string_view kName = "regime";
    static inline const std::initializer_list<std::string_view> kKeys = {
        "type", "states", "transition_daily", "initial"};
    static constexpr int kMaxStates = 16;

    struct State {
        double mu = 0.0;
        double sigma = 0.0; ///< >= 0
        std::string name;   ///< unique; "state_<i>" (1-based) by default
    };
    /// Default-constructed: one flat state (a valid model, as make() would build it).
    std::vector<State> states = {State{0.0, 0.0, "state_1"}};
    /// P[i][j] at i K + j: rows of entries in [0, 1] summing to 1 within 1e-12.
    std::vector<double> transition = {1.0};
    /// pi_0 (sums to 1 within 1e-12); empty for "stationary".
    std::vector<double> initial;

    /// Derived at parse (make()): pi_0 (the stationary law when `initial` is empty), and the
    /// cumulative laws of pi_0 and of each row for the draws (entries from the last state of
    /// positive probability on are 2, so that rounding never picks a state of probability 0).
    std::vector<double> start_law = {1.0};
    std::vector<double> start_cdf = {2.0};
    std::vector<double> row_cdf = {2.0};

    /// The model with its derived laws; throws InputError (naming `file` and `at`/transition_daily)
    /// when `initial` is empty and the stationary law is not unique.
    static RegimeModel make(std::vector<State> state_list, std::vector<double> matrix,
                            std::vector<double> initial_law, const std::string& file = {},
                            const std::string& at = "/model");

    /// Per lane: the regimes sub-stream, the current state and the days spent in each state.
    struct Strip {
        StripRng switches;
        int states = 1;
        int days = 0; ///< days filled so far
        alignas(64) std::int32_t state[kStripPaths] = {};
        std::int32_t count[kMaxStates * kStripPaths] = {}; ///< [s kStripPaths + lane]
        /// out[s] = share of the lane's days spent in state s (facts().statistics order).
        void statistics(int lane, double* out) const;
    };
    /// switches = StripRng::for_paths(seed, first_path, SubStream::regimes); s_0 drawn per lane.
    Strip start(std::uint64_t seed, std::uint64_t first_path) const;

    static RegimeModel parse(const ObjectReader& r);
    void write(nlohmann::ordered_json& j) const;
    ModelFacts facts(const ModelContext& c) const;
    void fill(const ModelContext& c, const StripFill& f, Strip& s) const;
};

} // namespace letf

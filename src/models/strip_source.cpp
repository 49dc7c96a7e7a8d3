#include "letf/models/strip_source.hpp"

#include <cassert>
#include <utility>

namespace letf {

StripSource::StripSource(const ScenarioConfig& config)
    : StripSource(config.model, config.dt(), config.days, config.market_data) {}

StripSource::StripSource(PathModel model, double dt, int days,
                         std::shared_ptr<const MarketData> data)
    : model_(std::move(model)),
      data_(std::move(data)), context_{.dt = dt, .days = days, .data = data_.get()},
      facts_(model_facts(model_, context_)) {}

StripSource::State StripSource::start(std::uint64_t seed, std::uint64_t first_path) const {
    return std::visit(
        [&](const auto& m) -> State {
            using Strip = typename std::decay_t<decltype(m)>::Strip;
            if constexpr (requires { m.start(seed, first_path); })
                return m.start(seed, first_path);
            else if constexpr (requires { Strip::start(seed, first_path); })
                return Strip::start(seed, first_path);
            else
                return Strip{};
        },
        model_);
}

void StripSource::fill(int first_day, int days, StripRng& rng, State& state, double* out,
                       double* rates, std::uint32_t* day_index) const {
    const StripFill f{.first_day = first_day,
                      .days = days,
                      .rng = &rng,
                      .out = out,
                      .rates = facts_.has_rates ? rates : nullptr,
                      .day_index = day_index};
    std::visit(
        [&](const auto& m) {
            using Strip = typename std::decay_t<decltype(m)>::Strip;
            Strip* s = std::get_if<Strip>(&state);
            assert(s && "state from start() of the same source");
            m.fill(context_, f, *s);
        },
        model_);
}

namespace {

template <class M, class S>
concept ShocksWithState = requires(const M& m, const ModelContext& c, const StripFill& f, S& s) {
    m.shocks_to_returns(c, f, s);
};
template <class M>
concept ShocksAlone = requires(const M& m, const ModelContext& c, const StripFill& f) {
    m.shocks_to_returns(c, f);
};

} // namespace

bool StripSource::takes_shocks(const PathModel& model) {
    return std::visit(
        [](const auto& m) {
            using M = std::decay_t<decltype(m)>;
            return ShocksAlone<M> || ShocksWithState<M, typename M::Strip>;
        },
        model);
}

void StripSource::shocks_to_returns(int first_day, int days, State& state, double* out) const {
    const StripFill f{.first_day = first_day, .days = days, .rng = nullptr, .out = out};
    std::visit(
        [&](const auto& m) {
            using M = std::decay_t<decltype(m)>;
            using Strip = typename M::Strip;
            if constexpr (ShocksWithState<M, Strip>) {
                Strip* s = std::get_if<Strip>(&state);
                assert(s && "state from start() of the same source");
                m.shocks_to_returns(context_, f, *s);
            } else if constexpr (ShocksAlone<M>) {
                m.shocks_to_returns(context_, f);
            } else {
                assert(false && "the model takes no correlated shocks (takes_shocks)");
            }
        },
        model_);
}

void StripSource::statistics(const State& state, int lane, double* out) const {
    std::visit(
        [&](const auto& m) {
            using Strip = typename std::decay_t<decltype(m)>::Strip;
            const Strip* s = std::get_if<Strip>(&state);
            assert(s && "state from start() of the same source");
            if constexpr (requires { s->statistics(lane, out); })
                s->statistics(lane, out);
            (void)m;
        },
        model_);
}

} // namespace letf

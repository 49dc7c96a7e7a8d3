#pragma once
/// \file strategy.hpp
/// Leverage strategies: fold a block's daily returns into position values, every strategy and
/// multiple on the same paths.

#include <cstddef>
#include <vector>

#include <Eigen/Core>

#include "letf/config.hpp"

namespace letf {

/// One strategy at one multiple L, with its per-day constants. Values are in units of V_0 = 1
/// and S_0 = 1.
///
/// daily_reset:  V_t = max(0, V_{t-1} (1 + L R_t - c(L) dt)), c(L) = fund_carry (config.hpp).
///               A fund that reaches 0 stays at 0 (wiped out).
/// unrebalanced: V_t = max(0, L S_t - (L - 1) (1 + r dt)^t), r = unrebalanced_rate (config.hpp),
///               absorbing: once V_t = 0 it stays 0 whatever S does (limited liability).
struct Position {
    StrategyKind kind = StrategyKind::daily_reset;
    double multiple = 1.0;
    double carry_daily = 0.0;  ///< c(L) dt, daily reset only
    double growth_daily = 1.0; ///< 1 + r dt, unrebalanced only
};

/// Positions in report order: strategies in config order, each over the multiples in config order.
std::vector<Position> make_positions(const ScenarioConfig& config);

/// Values (S_t/S_0, V_t/V_0) are capped at kValueCap so that statistics stay finite in absurd
/// scenarios (e.g. 100x leverage on a 10^6 % daily volatility); no market reaches it.
inline constexpr double kValueCap = 1e300;

/// Per-path state of one block: the underlying and every position, one column per position.
///
/// For each value series X (the underlying S or a position's V), with X_0 = 1:
///   rel_peak_t = X_t / max_{s<=t} X_s,  max_drawdown_t = max_{s<=t} (1 - rel_peak_s)  (in [0, 1]),
///   wipeout_day = first day t with X_t = 0, or 0 if none.
/// For multiplicative series the relative peak is updated without a division:
/// rel_peak_t = min(1, rel_peak_{t-1} f_t) with X_t = X_{t-1} f_t.
class BlockState {
public:
    void reset(Eigen::Index paths, std::size_t positions);

    /// Advances every path by day `day` (1-based) with the block's returns R_day.
    void step(int day, const std::vector<Position>& positions, const Eigen::ArrayXd& returns);

    Eigen::ArrayXd underlying;          ///< S_t / S_0
    Eigen::ArrayXd underlying_rel_peak; ///< S_t / max S
    Eigen::ArrayXd underlying_max_dd;
    Eigen::ArrayXXd value;       ///< V_t / V_0, paths x positions
    Eigen::ArrayXXd peak;        ///< max_{s<=t} V_s (unrebalanced) or rel_peak (daily reset)
    Eigen::ArrayXXd max_dd;      ///< max drawdown so far
    Eigen::ArrayXXd wipeout_day; ///< first day with V = 0, 0 if none (stored as double)

private:
    Eigen::ArrayXd factor_;
};

} // namespace letf

#include "letf/strategies/portfolio.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/io/json_reader.hpp"
#include "letf/io/object_reader.hpp"

namespace letf {

namespace {

/// Holdings at most: a mix is a handful of sleeves; the walker keeps each per lane.
constexpr std::size_t kMaxHoldings = 16;

std::string asset_names(const StrategyContext& ctx) {
    std::string out;
    if (ctx.assets)
        for (const std::string& a : *ctx.assets)
            out += (out.empty() ? "" : ", ") + a;
    return out + (out.empty() ? "" : ", ") + "cash";
}

Holding parse_holding(const nlohmann::json& h, const StrategyContext& ctx, const std::string& at) {
    const ObjectReader r(h, ctx.file, at, {"asset", "strategy", "multiple", "weight", "expense_ratio"});
    Holding out;
    out.name = r.string("asset", std::nullopt);
    if (out.name == "cash") {
        for (const char* key : {"strategy", "multiple", "expense_ratio"})
            if (const nlohmann::json* v = r.find(key))
                throw InputError(ctx.file, r.child(key),
                                 "does not apply to the cash sleeve (it earns the financing rate)",
                                 shown_value(*v));
    } else {
        const std::vector<std::string> none{"index"};
        const std::vector<std::string>& assets = ctx.assets ? *ctx.assets : none;
        const auto it = std::find(assets.begin(), assets.end(), out.name);
        if (it == assets.end())
            throw InputError(ctx.file, r.child("asset"),
                             "unknown asset; expected one of " + asset_names(ctx),
                             shown_value(*r.find("asset")));
        out.asset = static_cast<int>(it - assets.begin());
        r.choice("strategy", {"daily_reset"}, "holding strategy", std::string("daily_reset"));
        out.multiple = r.number("multiple", Range::closed(-100, 100), 1.0);
        if (r.find("expense_ratio"))
            out.expense_ratio = r.number("expense_ratio", Range::closed(0, 1));
    }
    out.weight = r.number("weight", Range::closed(-100, 100));
    return out;
}

std::string percent_text(double w) {
    return fmt::format("{:.6g}%", w * 100.0);
}

} // namespace

Portfolio Portfolio::parse(const nlohmann::json& object, const StrategyContext& ctx) {
    const ObjectReader r(object, ctx.file, ctx.at,
                         {"type", "holdings", "rebalance", "transaction_cost_bps"});
    Portfolio p;
    const nlohmann::json& list = r.require("holdings");
    const std::string at = r.child("holdings");
    if (!list.is_array() || list.empty() || list.size() > kMaxHoldings)
        throw InputError(ctx.file, at,
                         "must be a non-empty array of at most " + std::to_string(kMaxHoldings) +
                             " holdings",
                         shown_value(list));
    double sum = 0.0;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string hi = at + "/" + std::to_string(i);
        Holding h = parse_holding(list[i], ctx, hi);
        for (const Holding& o : p.holdings)
            if (o.asset == h.asset && o.multiple == h.multiple)
                throw InputError(ctx.file, hi,
                                 h.asset < 0 ? "a second cash sleeve"
                                             : "the same fund as an earlier holding",
                                 shown_value(list[i]));
        sum += h.weight;
        p.holdings.push_back(std::move(h));
    }
    if (std::abs(sum - 1.0) > 1e-9)
        throw InputError(ctx.file, at, "weights must sum to 1", fmt::format("sum {:.12g}", sum));
    const nlohmann::json& rb = r.require("rebalance");
    const std::string rat = r.child("rebalance");
    if (rb.is_string()) {
        if (rb.get<std::string>() != "never")
            throw InputError(ctx.file, rat,
                             "must be \"never\", {\"every_days\": n} or {\"band\": b}",
                             shown_value(rb));
    } else {
        const ObjectReader b(rb, ctx.file, rat, {"every_days", "band", "band_kind"});
        if (b.find("band")) {
            p.band = b.number("band", Range::open_closed(0, 100));
            p.band_kind = b.choice("band_kind", {"absolute", "relative"}, "band kind",
                                   std::string("absolute")) == "relative"
                              ? BandKind::relative
                              : BandKind::absolute;
            p.every_days = static_cast<int>(b.integer("every_days", 1, kMaxEveryDays, 1));
        } else {
            if (const nlohmann::json* k = b.find("band_kind"))
                throw InputError(ctx.file, b.child("band_kind"), "needs \"band\"", shown_value(*k));
            p.every_days = static_cast<int>(b.integer("every_days", 1, kMaxEveryDays, 0));
            if (!b.find("every_days"))
                throw InputError(ctx.file, rat, "needs \"every_days\" or \"band\"", shown_value(rb));
        }
    }
    p.transaction_cost_bps =
        r.number("transaction_cost_bps", Range::closed(0, kMaxTransactionCostBps), 0.0);
    return p;
}

void Portfolio::write(nlohmann::ordered_json& o) const {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const Holding& h : holdings) {
        nlohmann::ordered_json j;
        j["asset"] = h.name;
        if (h.asset >= 0) {
            j["strategy"] = "daily_reset";
            j["multiple"] = h.multiple;
        }
        j["weight"] = h.weight;
        if (h.expense_ratio)
            j["expense_ratio"] = *h.expense_ratio;
        list.push_back(j);
    }
    o["holdings"] = list;
    if (never()) {
        o["rebalance"] = "never";
    } else if (band) {
        o["rebalance"] = {{"band", *band},
                          {"band_kind", band_kind == BandKind::relative ? "relative" : "absolute"},
                          {"every_days", every_days}};
    } else {
        o["rebalance"] = {{"every_days", every_days}};
    }
    o["transaction_cost_bps"] = transaction_cost_bps;
}

std::string Portfolio::label() const {
    std::string out = "portfolio(";
    for (std::size_t k = 0; k < holdings.size(); ++k) {
        const Holding& h = holdings[k];
        out += k == 0 ? "" : " + ";
        out += percent_text(h.weight) + " " +
               (h.asset < 0 ? std::string("cash") : fmt::format("{}x {}", h.multiple, h.name));
        if (h.expense_ratio)
            out += fmt::format(" (er {})", *h.expense_ratio);
    }
    if (never())
        out += ", never rebalanced";
    else if (band)
        out += fmt::format(", band {}{}", *band, band_kind == BandKind::relative ? " relative" : "") +
               (every_days > 1 ? fmt::format(" checked every {} days", every_days) : "");
    else
        out += fmt::format(", every {} days", every_days);
    if (transaction_cost_bps != 0.0)
        out += fmt::format(", {} bps", transaction_cost_bps);
    return out + ")";
}

double Portfolio::holding_carry(const Costs& costs, const Holding& h) const {
    if (h.asset < 0)
        return 0.0;
    Costs c = costs;
    if (h.expense_ratio)
        c.expense_ratio = *h.expense_ratio;
    return fund_carry(c, h.multiple);
}

double Portfolio::carry(const Costs& costs, double) const {
    double c = 0.0;
    for (const Holding& h : holdings)
        c += h.weight * holding_carry(costs, h);
    return c;
}

StrategyTheory Portfolio::theory(const TheoryInputs&, double) const {
    return {};
}

double Portfolio::exposure() const {
    double e = 0.0;
    for (const Holding& h : holdings)
        if (h.asset >= 0)
            e += h.weight * h.multiple;
    return e;
}

} // namespace letf

// The strip walker's walk of a portfolio (strategy.hpp; the walker dispatches to it). Per day,
// lane-inner loops over the sleeves, then the rebalancing rule per lane.

#include "letf/strategies/strategy.hpp"

namespace letf {

void StripWalker::portfolio_reset(std::size_t j) {
    const Position& p = positions_[j];
    PortfolioLanes& pl = portfolio_[j];
    for (std::size_t k = 0; k < p.sleeves.size(); ++k)
        std::fill_n(pl.h.data() + k * kStripPaths, kStripPaths, p.sleeves[k].weight);
    std::fill(pl.w_sum.begin(), pl.w_sum.end(), 0.0);
    for (Lanes* l : {&pl.rebalances, &pl.turnover, &pl.bought, &pl.sold, &pl.costs})
        std::fill_n(l->x, kStripPaths, 0.0);
}

void StripWalker::portfolio_walk(std::size_t j, int first_day, int days, const double* returns,
                                 const double* rates) {
    const Position& p = positions_[j];
    const auto& pf = std::get<Portfolio>(p.strategy);
    PortfolioLanes& pl = portfolio_[j];
    State& st = state_[j];
    const std::size_t H = p.sleeves.size();
    const double k_tc = p.investor.cost_rate;
    for (int d = 0; d < days; ++d) {
        const int t = first_day + d;
        const std::size_t o = static_cast<std::size_t>(d) * kStripPaths;
        double V[kStripPaths] = {};
        for (std::size_t k = 0; k < H; ++k) {
            const Sleeve& s = p.sleeves[k];
            double* h = pl.h.data() + k * kStripPaths;
            if (s.asset >= 0) {
                const double* r = returns + static_cast<std::size_t>(s.asset) * kAssetStride + o;
                if (rates) {
                    for (int i = 0; i < kStripPaths; ++i) {
                        const double c = s.carry0_daily + s.rate_slope * rates[o + static_cast<std::size_t>(i)] * p.dt;
                        h[i] *= std::max(0.0, 1.0 - c + s.multiple * r[i]);
                    }
                } else {
                    const double base = 1.0 - s.carry_daily;
                    for (int i = 0; i < kStripPaths; ++i)
                        h[i] *= std::max(0.0, base + s.multiple * r[i]);
                }
            } else if (rates) {
                for (int i = 0; i < kStripPaths; ++i)
                    h[i] *= 1.0 + (rates[o + static_cast<std::size_t>(i)] + (h[i] < 0.0 ? p.investor.spread : 0.0)) * p.dt;
            } else {
                for (int i = 0; i < kStripPaths; ++i)
                    h[i] *= h[i] < 0.0 ? p.borrowed_growth : p.cash_growth;
            }
            for (int i = 0; i < kStripPaths; ++i)
                V[i] += h[i];
        }
        const bool calendar = !pf.band && pf.every_days > 0 && t % pf.every_days == 0;
        const bool band_day = pf.band && t % pf.every_days == 0;
        for (int i = 0; i < kStripPaths; ++i) {
            double v = V[i];
            if (st.v.x[i] <= 0.0 || v <= 0.0) { // wiped out: absorbing
                for (std::size_t k = 0; k < H; ++k)
                    pl.h[k * kStripPaths + static_cast<std::size_t>(i)] = 0.0;
                record(st, i, 0.0, t);
                continue;
            }
            bool trade = calendar;
            if (band_day)
                for (std::size_t k = 0; k < H && !trade; ++k) {
                    const double w = pl.h[k * kStripPaths + static_cast<std::size_t>(i)] / v;
                    const double target = p.sleeves[k].weight;
                    trade = pf.band_kind == BandKind::absolute
                                ? std::abs(w - target) > *pf.band
                                : target != 0.0 && std::abs(w / target - 1.0) > *pf.band;
                }
            if (trade) {
                double turnover = 0.0, bought = 0.0, sold = 0.0;
                for (std::size_t k = 0; k < H; ++k) {
                    const std::size_t at = k * kStripPaths + static_cast<std::size_t>(i);
                    pl.w_sum[at] += pl.h[at] / v;
                    if (p.sleeves[k].asset < 0)
                        continue;
                    const double x = p.sleeves[k].weight * v - pl.h[at];
                    turnover += std::abs(x);
                    (x > 0.0 ? bought : sold) += std::abs(x);
                }
                const double cost = k_tc * turnover;
                v -= cost;
                pl.rebalances.x[i] += 1.0;
                pl.turnover.x[i] += turnover;
                pl.bought.x[i] += bought;
                pl.sold.x[i] += sold;
                pl.costs.x[i] += cost;
                for (std::size_t k = 0; k < H; ++k)
                    pl.h[k * kStripPaths + static_cast<std::size_t>(i)] =
                        v > 0.0 ? p.sleeves[k].weight * v : 0.0;
                v = std::max(v, 0.0);
            }
            record(st, i, std::min(v, kValueCap), t);
        }
    }
}

} // namespace letf

#include "letf/config/cash_flows.hpp"

#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/io/json_reader.hpp"
#include "letf/io/object_reader.hpp"

namespace letf {

namespace {

constexpr std::size_t kMaxFlows = 8;

CashFlow parse_flow(const nlohmann::json& j, const std::string& file, const std::string& at,
                    int days) {
    if (j.is_object() && j.contains("contribution") && j.contains("withdrawal"))
        throw InputError(file, at,
                         "one flow per object: give a list for a contribution and a withdrawal",
                         shown_value(j));
    CashFlow f;
    if (j.is_object() && j.contains("withdrawal")) {
        const ObjectReader r(j, file, at, {"withdrawal", "kind", "every_days", "inflation"});
        f.kind = r.choice("kind", {"fixed_real", "percent_of_wealth"}, "withdrawal kind",
                          std::string("fixed_real")) == "percent_of_wealth"
                     ? FlowKind::percent_of_wealth
                     : FlowKind::fixed_real;
        f.amount = r.number("withdrawal", f.kind == FlowKind::percent_of_wealth
                                              ? Range::closed(0, 1)
                                              : Range::closed(0, 1e6));
        f.every_days = static_cast<int>(r.integer("every_days", 1, days, std::min(252, days)));
        if (f.kind == FlowKind::percent_of_wealth) {
            if (const nlohmann::json* i = r.find("inflation"))
                throw InputError(file, r.child("inflation"),
                                 "applies to fixed_real withdrawals only", shown_value(*i));
        } else {
            f.growth = r.number("inflation", Range::closed(-0.5, 1), 0.0);
        }
        return f;
    }
    const ObjectReader r(j, file, at, {"contribution", "every_days", "growth"},
                         "a cash flow must be an object with \"contribution\" or \"withdrawal\"");
    if (!r.find("contribution"))
        throw InputError(file, at, "needs \"contribution\" or \"withdrawal\"", shown_value(j));
    f.amount = r.number("contribution", Range::closed(0, 1e6));
    f.every_days = static_cast<int>(r.integer("every_days", 1, days, std::min(21, days)));
    f.growth = r.number("growth", Range::closed(-0.5, 1), 0.0);
    return f;
}

} // namespace

CashFlows parse_cash_flows(const nlohmann::json& j, const std::string& file, const std::string& at,
                           int days) {
    CashFlows out;
    if (j.is_array()) {
        if (j.empty() || j.size() > kMaxFlows)
            throw InputError(file, at,
                             "must be a flow object or an array of 1 to " +
                                 std::to_string(kMaxFlows) + " of them",
                             shown_value(j));
        out.as_list = true;
        for (std::size_t i = 0; i < j.size(); ++i)
            out.flows.push_back(parse_flow(j[i], file, at + "/" + std::to_string(i), days));
    } else {
        out.flows.push_back(parse_flow(j, file, at, days));
    }
    return out;
}

nlohmann::ordered_json to_json(const CashFlows& flows) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const CashFlow& f : flows.flows) {
        nlohmann::ordered_json o;
        if (f.kind == FlowKind::contribution) {
            o["contribution"] = f.amount;
            o["every_days"] = f.every_days;
            o["growth"] = f.growth;
        } else {
            o["withdrawal"] = f.amount;
            o["kind"] = f.kind == FlowKind::fixed_real ? "fixed_real" : "percent_of_wealth";
            o["every_days"] = f.every_days;
            if (f.kind == FlowKind::fixed_real)
                o["inflation"] = f.growth;
        }
        list.push_back(o);
    }
    if (!flows.as_list && list.size() == 1)
        return list[0];
    return list;
}

FlowSchedule flow_schedule(const CashFlows& flows, int days, double dt) {
    FlowSchedule s;
    const auto n = static_cast<std::size_t>(days) + 1;
    s.add.assign(n, 0.0);
    s.take.assign(n, 0.0);
    s.share.assign(n, 0.0);
    s.any.assign(n, 0);
    for (const CashFlow& f : flows.flows)
        for (int t = f.every_days; t <= days; t += f.every_days) {
            const auto u = static_cast<std::size_t>(t);
            const double grown = f.amount * std::pow(1.0 + f.growth, t * dt);
            switch (f.kind) {
            case FlowKind::contribution:
                s.add[u] += grown;
                break;
            case FlowKind::fixed_real:
                s.take[u] += grown;
                break;
            case FlowKind::percent_of_wealth:
                s.share[u] = std::min(1.0, s.share[u] + f.amount);
                break;
            }
            s.any[u] = 1;
        }
    for (int t = 1; t <= days; ++t)
        if (s.any[static_cast<std::size_t>(t)])
            s.days.push_back(t);
    return s;
}

double money_weighted_return(const std::vector<int>& t, const double* F, std::size_t n, double dt) {
    // NPV(x) = sum_k F_k exp(-x t_k dt), x = ln(1 + y), by backward Horner over the gaps:
    // a_k = F_k + z_k a_{k+1}, z_k = exp(-x (t_{k+1} - t_k) dt); d a_k / dx alike.
    bool returned = false;
    for (std::size_t k = 1; k < n; ++k)
        returned = returned || F[k] != 0.0;
    if (!returned)
        return -1.0;
    const auto npv = [&](double x, double& slope) {
        double a = F[n - 1], da = 0.0;
        for (std::size_t k = n - 1; k-- > 0;) {
            const double g = static_cast<double>(t[k + 1] - t[k]) * dt;
            const double z = std::exp(-x * g);
            da = z * (da - g * a);
            a = F[k] + z * a;
        }
        const double z0 = std::exp(-x * t[0] * dt);
        slope = z0 * (da - t[0] * dt * a);
        return z0 * a;
    };
    double lo = -20.0, hi = 20.0, s = 0.0;
    const double f_lo = npv(lo, s), f_hi = npv(hi, s);
    if (!(std::isfinite(f_lo) && std::isfinite(f_hi)) || (f_lo > 0.0) == (f_hi > 0.0))
        return std::numeric_limits<double>::quiet_NaN();
    const bool rising = f_hi > 0.0;
    // Start from the simple growth of everything paid in to everything taken out.
    double in = 0.0, out = 0.0;
    for (std::size_t k = 0; k < n; ++k)
        (F[k] < 0.0 ? in : out) += std::abs(F[k]);
    const double years = std::max(static_cast<double>(t[n - 1] - t[0]) * dt, 1e-12);
    double x = std::clamp(std::log(std::max(out, 1e-300) / std::max(in, 1e-300)) / years, lo, hi);
    for (int it = 0; it < 200; ++it) {
        const double f = npv(x, s);
        if (f == 0.0)
            break;
        ((f > 0.0) == rising ? hi : lo) = x;
        double next = x - f / s;
        if (!(next > lo && next < hi) || !std::isfinite(next))
            next = 0.5 * (lo + hi);
        if (std::abs(next - x) <= 1e-15 * std::max(1.0, std::abs(x))) {
            x = next;
            break;
        }
        x = next;
    }
    return std::expm1(x);
}

} // namespace letf

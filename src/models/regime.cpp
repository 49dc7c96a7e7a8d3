#include "letf/models/regime.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <set>

#include <Eigen/Dense>
#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/io/json_reader.hpp"
#include "letf/io/object_reader.hpp"
#include "models/kernel.hpp"

namespace letf {
namespace {

constexpr double kSumTolerance = 1e-12;

bool valid_name(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-';
    });
}

std::vector<RegimeModel::State> parse_states(const ObjectReader& r) {
    const nlohmann::json& list = r.require("states");
    const std::string at = r.child("states");
    if (!list.is_array() || list.empty() ||
        list.size() > static_cast<std::size_t>(RegimeModel::kMaxStates))
        throw InputError(r.file(), at, "must be an array of 1 to 16 states", shown_value(list));
    std::vector<RegimeModel::State> out;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string here = at + "/" + std::to_string(i);
        const ObjectReader sr(list[i], r.file(), here, {"mu", "sigma", "name"});
        RegimeModel::State s;
        s.mu = sr.number("mu", Range::closed(-10, 10));
        s.sigma = sr.number("sigma", Range::closed(0, 10));
        s.name = sr.string("name", "state_" + std::to_string(i + 1));
        if (!valid_name(s.name))
            throw InputError(r.file(), sr.child("name"),
                             "must be a non-empty name of letters, digits, '_' or '-'",
                             shown_value(nlohmann::json(s.name)));
        if (!seen.insert(s.name).second)
            throw InputError(r.file(), sr.child("name"), "duplicate state name",
                             shown_value(nlohmann::json(s.name)));
        out.push_back(std::move(s));
    }
    return out;
}

/// A probability vector of k entries at `at` (each in [0, 1], summing to 1 within 1e-12).
std::vector<double> parse_law(const ObjectReader& r, const nlohmann::json& v, const std::string& at,
                              std::size_t k, const char* what) {
    if (!v.is_array() || v.size() != k)
        throw InputError(r.file(), at,
                         std::string("must be ") + what + " of " + std::to_string(k) +
                             " probabilities (one per state)",
                         shown_value(v));
    std::vector<double> out;
    double sum = 0.0;
    for (std::size_t j = 0; j < k; ++j) {
        out.push_back(r.check_number(v[j], at + "/" + std::to_string(j), Range::closed(0, 1)));
        sum += out.back();
    }
    if (std::fabs(sum - 1.0) > kSumTolerance)
        throw InputError(r.file(), at, "must sum to 1 within 1e-12", shown_value(v));
    return out;
}

std::vector<double> parse_transition(const ObjectReader& r, std::size_t k) {
    const nlohmann::json& m = r.require("transition_daily");
    const std::string at = r.child("transition_daily");
    if (!m.is_array() || m.size() != k)
        throw InputError(r.file(), at,
                         "must be a " + std::to_string(k) + " x " + std::to_string(k) +
                             " matrix (one row per state)",
                         shown_value(m));
    std::vector<double> out;
    for (std::size_t i = 0; i < k; ++i) {
        const auto row = parse_law(r, m[i], at + "/" + std::to_string(i), k, "a row");
        out.insert(out.end(), row.begin(), row.end());
    }
    return out;
}

/// Cumulative law of p with 2 from the last positive entry on (regime.hpp).
std::vector<double> cdf_of(const double* p, int k) {
    std::vector<double> c(static_cast<std::size_t>(k));
    int last = 0;
    for (int j = 0; j < k; ++j)
        if (p[j] > 0.0)
            last = j;
    double acc = 0.0;
    for (int j = 0; j < k; ++j) {
        acc += p[j];
        c[static_cast<std::size_t>(j)] = j >= last ? 2.0 : acc;
    }
    return c;
}

Eigen::MatrixXd matrix_of(const RegimeModel& m) {
    const auto k = static_cast<Eigen::Index>(m.states.size());
    Eigen::MatrixXd p(k, k);
    for (Eigen::Index i = 0; i < k; ++i)
        for (Eigen::Index j = 0; j < k; ++j)
            p(i, j) = m.transition[static_cast<std::size_t>(i * k + j)];
    return p;
}

/// The stationary law pi' P = pi', sum pi = 1; nullopt when it is not unique.
std::optional<std::vector<double>> stationary(const Eigen::MatrixXd& p) {
    const Eigen::Index k = p.rows();
    Eigen::MatrixXd a(k + 1, k);
    a.topRows(k) = p.transpose() - Eigen::MatrixXd::Identity(k, k);
    a.row(k).setOnes();
    Eigen::FullPivLU<Eigen::MatrixXd> lu(a);
    lu.setThreshold(1e-10);
    if (lu.rank() < k)
        return std::nullopt; // several closed classes: the kernel of P' - I has dimension > 1
    Eigen::VectorXd b = Eigen::VectorXd::Zero(k + 1);
    b(k) = 1.0;
    const Eigen::VectorXd x = a.colPivHouseholderQr().solve(b);
    std::vector<double> pi(static_cast<std::size_t>(k));
    double sum = 0.0;
    for (Eigen::Index i = 0; i < k; ++i)
        sum += pi[static_cast<std::size_t>(i)] = std::max(x(i), 0.0); // rounding below 0
    for (double& v : pi)
        v /= sum;
    return pi;
}

/// pi_t = pi_0' P^t for t = 1..days, row t - 1.
std::vector<Eigen::RowVectorXd> laws_by_day(const RegimeModel& m, int days) {
    const Eigen::MatrixXd p = matrix_of(m);
    Eigen::RowVectorXd pi = Eigen::Map<const Eigen::RowVectorXd>(
        m.start_law.data(), static_cast<Eigen::Index>(m.start_law.size()));
    std::vector<Eigen::RowVectorXd> out;
    out.reserve(static_cast<std::size_t>(days));
    for (int t = 0; t < days; ++t) {
        pi = pi * p;
        out.push_back(pi);
    }
    return out;
}

} // namespace

RegimeModel RegimeModel::make(std::vector<State> state_list, std::vector<double> matrix,
                              std::vector<double> initial_law, const std::string& file,
                              const std::string& at) {
    RegimeModel m;
    m.states = std::move(state_list);
    m.transition = std::move(matrix);
    m.initial = std::move(initial_law);
    const int k = static_cast<int>(m.states.size());
    if (m.initial.empty()) {
        const auto pi = stationary(matrix_of(m));
        if (!pi)
            throw InputError(file, at + "/transition_daily",
                             "the chain has no unique stationary distribution (it is reducible, "
                             "or nearly so): give \"initial\" as a probability vector");
        m.start_law = *pi;
    } else {
        m.start_law = m.initial;
    }
    m.start_cdf = cdf_of(m.start_law.data(), k);
    m.row_cdf.clear();
    for (int i = 0; i < k; ++i) {
        const auto c = cdf_of(m.transition.data() + i * k, k);
        m.row_cdf.insert(m.row_cdf.end(), c.begin(), c.end());
    }
    return m;
}

RegimeModel RegimeModel::parse(const ObjectReader& r) {
    auto state_list = parse_states(r);
    auto matrix = parse_transition(r, state_list.size());
    std::vector<double> initial_law;
    if (const nlohmann::json* v = r.find("initial"); v && !(v->is_string() && *v == "stationary")) {
        if (v->is_string())
            throw InputError(r.file(), r.child("initial"),
                             "must be \"stationary\" or a probability vector", shown_value(*v));
        initial_law = parse_law(r, *v, r.child("initial"), state_list.size(), "a vector");
    }
    return make(std::move(state_list), std::move(matrix), std::move(initial_law), r.file(),
                r.where());
}

void RegimeModel::write(nlohmann::ordered_json& j) const {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const State& s : states)
        list.push_back({{"mu", s.mu}, {"sigma", s.sigma}, {"name", s.name}});
    j["states"] = list;
    const std::size_t k = states.size();
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < k; ++i)
        rows.push_back(std::vector<double>(transition.begin() + static_cast<long>(i * k),
                                           transition.begin() + static_cast<long>((i + 1) * k)));
    j["transition_daily"] = rows;
    if (initial.empty())
        j["initial"] = "stationary";
    else
        j["initial"] = initial;
}

ModelFacts RegimeModel::facts(const ModelContext& c) const {
    ModelFacts f;
    const auto k = static_cast<Eigen::Index>(states.size());
    Eigen::VectorXd r(k), var(k);
    double max_sigma = 0.0;
    bool flat = true;
    for (Eigen::Index s = 0; s < k; ++s) {
        const State& st = states[static_cast<std::size_t>(s)];
        r(s) = std::expm1(st.mu * c.dt);
        var(s) = st.sigma * st.sigma * c.dt;
        max_sigma = std::max(max_sigma, st.sigma);
        flat = flat && st.sigma == 0.0 && st.mu == states[0].mu;
    }
    f.one_outcome = flat;
    f.days_independent = false;
    f.identical_days = initial.empty();
    f.daily_log_sd = max_sigma * std::sqrt(c.dt);
    const auto laws = laws_by_day(*this, c.days);
    Eigen::RowVectorXd share = Eigen::RowVectorXd::Zero(k);
    double integrated = 0.0;
    for (const Eigen::RowVectorXd& pi : laws) {
        f.mean_return.push_back(pi.dot(r));
        integrated += pi.dot(var);
        share += pi;
    }
    f.integrated_variance = integrated;
    for (Eigen::Index s = 0; s < k; ++s) {
        const std::string& name = states[static_cast<std::size_t>(s)].name;
        f.statistics.push_back({"share_of_days_" + name, "share of days spent in state " + name,
                                share(s) / std::max(c.days, 1)});
    }
    const Eigen::MatrixXd p = matrix_of(*this);
    const Eigen::RowVectorXd pi0 = Eigen::Map<const Eigen::RowVectorXd>(start_law.data(), k);
    const int n = c.days;
    f.expected_product = [p, pi0, r, n](double a, double b) {
        // w_t = w_{t-1} P D: pi_0' (P D)^n 1 by n vector-matrix products.
        const Eigen::VectorXd d = (a + b * r.array()).matrix();
        Eigen::RowVectorXd w = pi0;
        for (int t = 0; t < n; ++t)
            w = (w * p).cwiseProduct(d.transpose());
        return w.sum();
    };
    return f;
}

RegimeModel::Strip RegimeModel::start(std::uint64_t seed, std::uint64_t first_path) const {
    Strip s;
    s.switches = StripRng::for_paths(seed, first_path, SubStream::regimes);
    s.states = static_cast<int>(states.size());
    for (int i = 0; i < kStripPaths; ++i) {
        PathRng g = s.switches.lane(i);
        const double u = uniform_open01(g);
        int j = 0;
        while (u >= start_cdf[static_cast<std::size_t>(j)])
            ++j;
        s.state[i] = j;
        s.switches.set_lane(i, g);
    }
    return s;
}

void RegimeModel::Strip::statistics(int lane, double* out) const {
    for (int st = 0; st < states; ++st)
        out[st] = days > 0 ? static_cast<double>(count[st * kStripPaths + lane]) / days : 0.0;
}

void RegimeModel::fill(const ModelContext& c, const StripFill& f, Strip& s) const {
    using namespace simd;
    const int k = static_cast<int>(states.size());
    std::array<double, kMaxStates> drift{}, scale{};
    for (int st = 0; st < k; ++st) {
        const State& x = states[static_cast<std::size_t>(st)];
        // The arithmetic of gbm.cpp, so that one state gives gbm's returns bit for bit.
        drift[static_cast<std::size_t>(st)] = (x.mu - 0.5 * x.sigma * x.sigma) * c.dt;
        scale[static_cast<std::size_t>(st)] = x.sigma * std::sqrt(c.dt);
    }
    assert(f.days <= kDayChunk && "one chunk of the rng.hpp contract");
    alignas(64) std::array<double, kDayChunk * kStripPaths> a, b;
    for (int i = 0; i < kStripPaths; ++i) {
        PathRng g = s.switches.lane(i);
        int st = s.state[i];
        for (int d = 0; d < f.days; ++d) {
            const double u = uniform_open01(g);
            const double* cdf = row_cdf.data() + st * k;
            int j = 0;
            while (u >= cdf[j])
                ++j;
            st = j;
            ++s.count[st * kStripPaths + i];
            a[static_cast<std::size_t>(d * kStripPaths + i)] = drift[static_cast<std::size_t>(st)];
            b[static_cast<std::size_t>(d * kStripPaths + i)] = scale[static_cast<std::size_t>(st)];
        }
        s.state[i] = st;
        s.switches.set_lane(i, g);
    }
    s.days += f.days;
    strip_normals(*f.rng, f.days, f.out);
    const VD hi = models::cap_hi();
    const int n = f.days * kStripPaths;
    for (int i = 0; i < n; i += kLanes) {
        const VD z = load(f.out + i);
        store(f.out + i, vmin(simd::exp(load(a.data() + i) + load(b.data() + i) * z) - 1.0, hi));
    }
}

} // namespace letf

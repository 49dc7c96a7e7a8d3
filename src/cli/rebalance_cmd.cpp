#include "rebalance_cmd.hpp"

#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli_util.hpp"
#include "letf/base/error.hpp"
#include "letf/output/calculator_json.hpp"
#include "letf/strategies/rebalance.hpp"

namespace letf::cli {
namespace {

std::string action(double trade, const char* up, const char* down) {
    if (trade > 0.0)
        return up;
    if (trade < 0.0)
        return down;
    return "none";
}

std::string amount(double x) {
    return fmt::format("{:.2f}", x);
}

std::string signed_amount(double x) {
    return fmt::format("{:+.2f}", x);
}

} // namespace

RebalanceCommand::RebalanceCommand(CLI::App& app)
    : Command(app.add_subcommand("rebalance", "Rebalancing calculators (investor, target "
                                              "leverage, one day of a daily-reset fund)")) {
    cmd_->add_option("--initial", initial_, "Investor: position value at the last rebalance");
    cmd_->add_option("--current", current_, "Investor: position value now");
    cmd_->add_option("--index-return", index_return_,
                     "Index simple return since the last rebalance (0.05 = +5 %)");
    cmd_->add_option("--multiple", multiple_, "Fund multiple L (negative for inverse funds)");
    cmd_->add_option("--equity", equity_, "Target leverage: current equity");
    cmd_->add_option("--assets", assets_, "Target leverage: current assets");
    cmd_->add_option("--target-leverage", target_leverage_, "Target leverage: assets / equity");
    cmd_->add_option("--nav", nav_, "Fund: NAV at the previous close");
    cmd_->add_flag("--json", json_, "Print one JSON object instead of text");
    cmd_->footer(std::string("Give --initial, --index-return and --current (investor rule); or "
                             "--equity, --assets and --target-leverage; or --nav, --index-return "
                             "and --multiple (one day of a daily-reset fund).\n") +
                 kExitCodesLine);
}

void RebalanceCommand::require(const char* flag, const char* mode) const {
    if (!has(flag))
        throw InputError("command line", flag, std::string("is required with ") + mode);
}

void RebalanceCommand::forbid(std::initializer_list<const char*> flags, const char* mode) const {
    for (const char* f : flags)
        if (has(f))
            throw InputError("command line", f, std::string("cannot be combined with ") + mode);
}

int RebalanceCommand::run(std::ostream& out, std::ostream&) const {
    if (has("--equity") || has("--assets") || has("--target-leverage"))
        return run_leverage(out);
    if (has("--nav"))
        return run_fund(out);
    if (has("--initial") || has("--current"))
        return run_investor(out);
    throw InputError("command line", "rebalance",
                     "give --initial, --index-return and --current; or --equity, --assets and "
                     "--target-leverage; or --nav, --index-return and --multiple");
}

int RebalanceCommand::run_leverage(std::ostream& out) const {
    const char* mode = "--equity/--assets/--target-leverage";
    forbid({"--initial", "--current", "--nav", "--index-return", "--multiple"}, mode);
    require("--equity", mode);
    require("--assets", mode);
    require("--target-leverage", mode);
    check_flag("--equity", equity_, Range::open_closed(0.0, 1e15));
    check_flag("--assets", assets_, Range::open_closed(0.0, 1e15));
    check_flag("--target-leverage", target_leverage_, Range::open_closed(0.0, 1000.0));
    const LeverageRebalance r = leverage_rebalance(equity_, assets_, target_leverage_);
    const std::string act = action(r.trade, "borrow", "repay");
    if (json_) {
        out << rebalance_json(r, act);
        return 0;
    }
    out << "target leverage: assets / equity\n"
        << fmt::format("  equity           {:>14}\n", amount(r.equity))
        << fmt::format("  assets           {:>14}   leverage before {:.4f}\n", amount(r.assets),
                       r.leverage_before)
        << fmt::format("  debt             {:>14}\n", amount(r.debt_before))
        << fmt::format("  target assets    {:>14}   target leverage {:.4f}\n",
                       amount(r.target_assets), r.target_leverage)
        << fmt::format("  {:<16} {:>14}   (trade {})\n", act,
                       amount(r.trade < 0.0 ? -r.trade : r.trade), signed_amount(r.trade))
        << fmt::format("  debt after       {:>14}   leverage after {:.4f}\n", amount(r.debt_after),
                       r.leverage_after);
    return 0;
}

int RebalanceCommand::run_fund(std::ostream& out) const {
    const char* mode = "--nav";
    forbid({"--initial", "--current"}, mode);
    require("--index-return", mode);
    require("--multiple", mode);
    check_flag("--nav", nav_, Range::open_closed(0.0, 1e15));
    check_flag("--multiple", multiple_, Range::closed(-100.0, 100.0));
    check_flag("--index-return", index_return_, Range::closed(-1.0, 1000.0));
    if (!(1.0 + multiple_ * index_return_ > 0.0))
        throw InputError("command line", "--index-return",
                         "wipes the fund out (1 + multiple x index return <= 0)",
                         fmt::format("{}", index_return_));
    const FundRebalance r = fund_rebalance(multiple_, nav_, index_return_);
    const std::string act = action(r.trade, "buy", "sell");
    if (json_) {
        out << rebalance_json(r, act);
        return 0;
    }
    out << fmt::format("daily-reset fund, multiple {}: one day\n", r.multiple)
        << fmt::format("  NAV before       {:>14}   index return {:+.4f}%\n", amount(r.nav),
                       100.0 * r.index_return)
        << fmt::format("  exposure         {:>14}   before rebalancing\n",
                       amount(r.exposure_before))
        << fmt::format("  NAV after        {:>14}   leverage before rebalancing {:.4f}\n",
                       amount(r.nav_after), r.leverage_before)
        << fmt::format("  target exposure  {:>14}\n", amount(r.target_exposure))
        << fmt::format("  trade            {:>14}   ({}; L (L - 1) R NAV)\n",
                       signed_amount(r.trade), act);
    return 0;
}

int RebalanceCommand::run_investor(std::ostream& out) const {
    const char* mode = "--initial/--current";
    require("--initial", mode);
    require("--current", mode);
    require("--index-return", mode);
    check_flag("--initial", initial_, Range::open_closed(0.0, 1e15));
    check_flag("--current", current_, Range::closed(0.0, 1e15));
    check_flag("--index-return", index_return_, Range::open_closed(-1.0, 1000.0));
    if (has("--multiple"))
        check_flag("--multiple", multiple_, Range::closed(-100.0, 100.0));
    const InvestorRebalance r = investor_rebalance(initial_, index_return_, current_);
    const std::string act = action(r.trade, "buy", "sell");
    if (json_) {
        const std::optional<double> multiple =
            has("--multiple") ? std::optional<double>(multiple_) : std::nullopt;
        out << rebalance_json(r, act, multiple);
        return 0;
    }
    out << "investor rebalance: target = initial x (1 + index return)";
    if (has("--multiple"))
        out << fmt::format(", fund multiple {}", multiple_);
    out << "\n"
        << fmt::format("  initial          {:>14}   index return {:+.4f}%\n", amount(r.initial),
                       100.0 * r.index_return)
        << fmt::format("  target           {:>14}\n", amount(r.target))
        << fmt::format("  current          {:>14}\n", amount(r.current))
        << fmt::format("  trade            {:>14}   ({})\n", signed_amount(r.trade), act);
    return 0;
}

} // namespace letf::cli

#include "fit_cmd.hpp"

#include <fmt/format.h>

#include "cli_util.hpp"
#include "letf/base/error.hpp"
#include "letf/fit/fit_report.hpp"
#include "letf/io/atomic_file.hpp"
#include "letf/models/bootstrap.hpp"
#include "output_check.hpp"

namespace letf::cli {
namespace {

/// The stylized facts of the data and of the fitted model, and the decay quantiles of a
/// bootstrap of the file vs the model (fit_report.hpp).
void add_facts(FitReport& r, const PriceFileSpec& file, std::span<const double> returns) {
    r.data_facts = stylized_facts(returns, r.options.dt);
    const PathModel model = parse_model(r.fit.model, "fit", "/model");
    r.model_facts = simulated_stylized_facts(model, static_cast<int>(returns.size()),
                                             r.fact_paths, r.seed, r.options.dt);
    BootstrapModel bootstrap;
    static_cast<PriceFileSpec&>(bootstrap) = file;
    r.bootstrap_decay = decay_quantiles(bootstrap, r.decay_multiple, r.decay_paths, r.seed);
    r.model_decay = decay_quantiles(model, r.decay_multiple, r.decay_paths, r.seed);
}

} // namespace

FitCommand::FitCommand(CLI::App& app)
    : Command(app.add_subcommand(
          "fit", "Fit a model (garch, gjr, regime, merton) to a price file by maximum "
                 "likelihood; garch and gjr use daily simple returns, regime and merton daily "
                 "log returns; prints the model object, standard errors and stylized facts")) {
    cmd_->add_option("csv", csv_, "Daily closes, CSV date,close or a Yahoo download")->required();
    cmd_->add_option("--model", model_, "garch, gjr (garch with asymmetry gamma), regime, merton")
        ->required();
    cmd_->add_option("--states", states_, "Number of regimes, 2 to 5 (regime only; default 2)");
    cmd_->add_option("--innovations", innovations_,
                     "normal or student_t (garch and gjr only; default normal)");
    cmd_->add_option("--start", start_, "First date used (YYYY-MM-DD)");
    cmd_->add_option("--end", end_, "Last date used (YYYY-MM-DD)");
    cmd_->add_option("--column", column_,
                     "Value column of the CSV (default: Adj Close when the file has one, else "
                     "close)");
    cmd_->add_flag("--json", json_, "Print one JSON object instead of text");
    cmd_->add_option("-o,--output", output_,
                     "Write the fitted model object alone (for \"model\": {\"file\": ...})");
}

FitOptions FitCommand::options() const {
    FitOptions o;
    const std::optional<FitModelKind> kind = parse_fit_model(model_);
    if (!kind)
        throw InputError("command line", "--model", "must be one of garch, gjr, regime, merton",
                         model_);
    o.model = *kind;
    const bool regime = o.model == FitModelKind::regime;
    const bool garch = o.model == FitModelKind::garch || o.model == FitModelKind::gjr;
    if (cmd_->count("--states") && !regime)
        throw InputError("command line", "--states", "is only for --model regime",
                         std::to_string(states_));
    if (states_ < 2 || states_ > 5)
        throw InputError("command line", "--states", "must be an integer in [2, 5]",
                         std::to_string(states_));
    o.states = states_;
    if (cmd_->count("--innovations") && !garch)
        throw InputError("command line", "--innovations", "is only for --model garch or gjr",
                         innovations_);
    if (innovations_ != "normal" && innovations_ != "student_t")
        throw InputError("command line", "--innovations", "must be normal or student_t",
                         innovations_);
    o.innovations = innovations_ == "student_t" ? Innovations::student_t : Innovations::normal;
    return o;
}

PriceFileSpec FitCommand::price_file() const {
    PriceFileSpec p;
    p.csv = csv_;
    if (cmd_->count("--column")) {
        if (column_.empty())
            throw InputError("command line", "--column", "must not be empty", "\"\"");
        p.column = column_;
    }
    p.start = date_flag(*cmd_, "--start", start_);
    p.end = date_flag(*cmd_, "--end", end_);
    if (p.start && p.end && *p.start > *p.end)
        throw InputError("command line", "--end", "must not be before --start", end_);
    return p;
}

int FitCommand::run(std::ostream& out, std::ostream& err) const {
    FitReport r;
    r.options = options();
    PriceFileSpec file = price_file();
    const std::optional<std::string> output = output_flag(*cmd_, output_);
    if (output)
        check_output_file_flag("--output", *output); // before the work
    const MarketData data = read_market_data(file, nullptr);
    print_data_notes(err, {data.note});
    file.column = data.price_column; // the bootstrap of add_facts reads the same column
    if (data.size() < kMinFitObservations)
        throw InputError(csv_, "",
                         fmt::format("a fit needs at least {} daily returns in the range used",
                                     kMinFitObservations),
                         std::to_string(data.size()) + " returns");
    r.file = csv_;
    r.start = format_date(data.dates.front());
    r.end = format_date(data.dates.back());
    r.fit = fit_returns(data.returns, r.options);
    add_facts(r, file, data.returns);
    if (output)
        write_file_atomic(*output, r.fit.model.dump(2) + "\n");
    out << (json_ ? fit_report_json(r).dump(2) + "\n" : fit_report_text(r));
    return 0;
}

} // namespace letf::cli

#include "calibrate_cmd.hpp"

#include <filesystem>
#include <map>
#include <optional>

#include "cli_util.hpp"
#include "letf/backtest/calibrate.hpp"
#include "letf/base/error.hpp"
#include "letf/config/calibration.hpp"
#include "letf/io/atomic_file.hpp"
#include "letf/output/calibration_report.hpp"
#include "output_check.hpp"

namespace letf::cli {
namespace {

/// The price files of every fund, each file read once per column (several funds share an
/// index); the readers' notes go to `err`, each once.
std::vector<CalibrationFundData> read_funds(const CalibrationSpec& spec, std::ostream& err) {
    std::map<std::pair<std::string, std::optional<std::string>>, PriceSeries> files;
    std::vector<std::optional<std::string>> notes;
    const auto read = [&](const std::string& path,
                          const std::optional<std::string>& column) -> const PriceSeries& {
        auto it = files.find({path, column});
        if (it == files.end()) {
            CsvOptions o;
            o.value_column = column;
            it = files.emplace(std::pair{path, column}, read_price_csv(path, o)).first;
            notes.push_back(it->second.note);
        }
        return it->second;
    };
    std::vector<CalibrationFundData> out;
    for (const CalibrationFund& f : spec.funds)
        out.push_back({read(f.index_csv, f.column), read(f.fund_csv, f.column)});
    print_data_notes(err, notes);
    return out;
}

std::optional<RateSeries> read_rate(const Costs& costs) {
    if (!costs.financing_rate_series)
        return std::nullopt;
    const RateSeriesSpec& s = *costs.financing_rate_series;
    CsvOptions o;
    o.positive = false;
    o.value_column = s.column;
    o.max_gap_days = s.max_gap_days;
    return read_rate_csv(s.csv, o);
}

} // namespace

CalibrateCommand::CalibrateCommand(CLI::App& app)
    : Command(app.add_subcommand(
          "calibrate", "Fit one cost model jointly to many real funds on their training windows "
                       "and evaluate every fund on its test window (out of sample)")) {
    cmd_->add_option("funds", file_, "FUNDS.json: the funds, the rate series, the fixed costs")
        ->required();
    auto* end = cmd_->add_option("--train-end", train_end_,
                                 "Last date of every training window (YYYY-MM-DD)");
    auto* split = cmd_->add_option(
        "--split", split_, "Training share of each fund's own dates, in (0, 1) (default 0.5)");
    end->excludes(split);
    cmd_->add_option("--fit", fit_,
                     "Parameters fitted, comma-separated: b, spread_long, spread_short, "
                     "markdown, rebalance_cost (default: the file's \"fit\", else "
                     "b,spread_long,spread_short)");
    cmd_->add_option("--objective", objective_,
                     "median (sum of |gap|), least_squares or minimax (default: the "
                     "file's \"objective\", else median)");
    cmd_->add_option("--gaps", gaps_,
                     "window (one training gap per fund, default) or calendar_year (one per "
                     "fund-year, weighted by years)");
    cmd_->add_flag("--json", json_, "Print one JSON object instead of the table");
    cmd_->add_option("-o,--output", output_,
                     "Folder for calibration.json (the fitted cost model), table.md, report.json");
}

int CalibrateCommand::run(std::ostream& out, std::ostream& err) const {
    CalibrationSpec spec = load_calibration(file_);
    if (cmd_->count("--fit"))
        spec.fit = parse_fit_list(fit_, "command line", "--fit");
    if (cmd_->count("--objective")) {
        const std::optional<CalibrationObjective> o = parse_objective(objective_);
        if (!o)
            throw InputError("command line", "--objective",
                             "must be one of median, least_squares, minimax", objective_);
        spec.objective = *o;
    }
    if (cmd_->count("--gaps")) {
        if (gaps_ != "window" && gaps_ != "calendar_year")
            throw InputError("command line", "--gaps", "must be window or calendar_year", gaps_);
        spec.gaps = gaps_ == "window" ? CalibrationGaps::window : CalibrationGaps::calendar_year;
    }
    if (cmd_->count("--split")) {
        spec.split.split = check_flag("--split", split_, Range::open(0.0, 1.0));
        spec.split.train_end.reset();
    }
    if (const std::optional<Date> t = date_flag(*cmd_, "--train-end", train_end_))
        spec.split.train_end = t;
    const std::optional<std::string> dir = output_flag(*cmd_, output_);
    if (dir)
        check_output_folder_flag("--output", *dir); // before the work

    const std::vector<CalibrationFundData> data = read_funds(spec, err);
    const std::optional<RateSeries> rate = read_rate(spec.costs);
    const CalibrationResult r = calibrate(spec, data, rate ? &*rate : nullptr);
    const nlohmann::ordered_json report = calibration_json(spec, r);
    if (dir) {
        const std::filesystem::path d(*dir);
        std::filesystem::create_directories(d);
        write_file_atomic(d / "calibration.json", calibration_cost_model(r, d).dump(2) + "\n");
        write_file_atomic(d / "table.md", calibration_markdown(spec, r));
        write_file_atomic(d / "report.json", report.dump(2) + "\n");
    }
    out << (json_ ? report.dump(2) + "\n" : calibration_text(spec, r));
    return 0;
}

} // namespace letf::cli

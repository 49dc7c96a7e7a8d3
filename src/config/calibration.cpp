#include "letf/config/calibration.hpp"

#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/config/market_config.hpp"
#include "letf/io/json_reader.hpp"
#include "letf/io/object_reader.hpp"

namespace letf {
namespace {

struct ParamName {
    FitParam param;
    std::string_view name, key; // the short name and the cost model's JSON key
};

constexpr ParamName kParams[] = {
    {FitParam::markup, "b", "financing_markup"},
    {FitParam::spread_long, "spread_long", "financing_spread"},
    {FitParam::spread_short, "spread_short", "short_fee"},
    {FitParam::markdown, "markdown", "cash_credit_markdown"},
    {FitParam::rebalance_cost, "rebalance_cost", "rebalance_cost"},
};

using json = nlohmann::json;

/// The price column (`column`), nullopt when absent; a non-empty string otherwise.
std::optional<std::string> column(const ObjectReader& r) {
    if (!r.find("column"))
        return std::nullopt;
    const std::string c = r.string("column", std::nullopt);
    if (c.empty())
        throw InputError(r.file(), r.child("column"), "must be a non-empty string", "\"\"");
    return c;
}

CalibrationFund read_fund(const json& j, const std::string& file, const std::string& at,
                          const std::filesystem::path& data_dir,
                          const std::optional<std::string>& default_column) {
    const ObjectReader r(j, file, at,
                         {"name", "fund", "index", "multiple", "expense_ratio",
                          "index_expense_ratio", "expense_schedule", "column"});
    CalibrationFund f;
    f.column = column(r);
    if (!f.column)
        f.column = default_column;
    const std::string fund = r.string("fund", std::nullopt);
    const std::string index = r.string("index", std::nullopt);
    for (const auto& [key, value] : {std::pair{"fund", fund}, std::pair{"index", index}})
        if (value.empty())
            throw InputError(file, r.child(key), "must be a non-empty path", "\"\"");
    const auto resolve = [&](const std::string& p) {
        const std::filesystem::path path(p);
        return (path.is_absolute() ? path : data_dir / path).lexically_normal().string();
    };
    f.fund_csv = resolve(fund);
    f.index_csv = resolve(index);
    f.name = r.string("name", std::filesystem::path(fund).stem().string());
    f.multiple = r.number("multiple", Range::closed(-100, 100), std::nullopt);
    if (f.multiple == 0.0)
        throw InputError(file, r.child("multiple"), "must not be 0", "0");
    f.expense_ratio = r.number("expense_ratio", Range::closed(0, 1), std::nullopt);
    f.index_expense_ratio = r.number("index_expense_ratio", Range::closed(0, 1), 0.0);
    // A schedule is read with the pointer of the whole fund; its entries name their own index.
    if (const json* s = r.find("expense_schedule"))
        f.expense_schedule =
            parse_costs(json{{"expense_schedule", *s}}, file, at, false).expense_schedule;
    return f;
}

} // namespace

std::optional<FitParam> parse_fit_param(std::string_view name) {
    for (const ParamName& p : kParams)
        if (name == p.name || name == p.key)
            return p.param;
    return std::nullopt;
}

const char* fit_param_name(FitParam param) {
    for (const ParamName& p : kParams)
        if (p.param == param)
            return p.name.data();
    return "?";
}

std::string fit_param_names() {
    return name_list({"b", "spread_long", "spread_short", "markdown", "rebalance_cost"});
}

std::optional<CalibrationObjective> parse_objective(std::string_view name) {
    if (name == "median")
        return CalibrationObjective::median;
    if (name == "least_squares")
        return CalibrationObjective::least_squares;
    if (name == "minimax")
        return CalibrationObjective::minimax;
    return std::nullopt;
}

const char* objective_name(CalibrationObjective o) {
    switch (o) {
    case CalibrationObjective::median:
        return "median";
    case CalibrationObjective::least_squares:
        return "least_squares";
    case CalibrationObjective::minimax:
        return "minimax";
    }
    return "median";
}

std::vector<FitParam> parse_fit_list(std::string_view list, const std::string& file,
                                     const std::string& at) {
    std::vector<FitParam> out;
    std::size_t pos = 0;
    while (true) {
        const std::size_t comma = list.find(',', pos);
        const std::string_view name = list.substr(
            pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
        const std::optional<FitParam> p = parse_fit_param(name);
        if (!p)
            throw InputError(file, at, "unknown parameter; expected " + fit_param_names(),
                             "\"" + display_text(shortened(std::string(name))) + "\"");
        if (std::find(out.begin(), out.end(), *p) != out.end())
            throw InputError(file, at, "parameter given twice",
                             "\"" + display_text(std::string(name)) + "\"");
        out.push_back(*p);
        if (comma == std::string_view::npos)
            return out;
        pos = comma + 1;
    }
}

CalibrationSpec parse_calibration(const json& doc, const std::string& file) {
    const ObjectReader r(doc, file, "",
                         {"data_dir", "costs", "fit", "objective", "gaps", "split", "train_end",
                          "funds", "column", "$schema"},
                         "a calibration file must be an object");
    CalibrationSpec s;
    s.file = file;
    const std::filesystem::path folder = std::filesystem::path(file).parent_path();
    const std::filesystem::path data_dir = folder / r.string("data_dir", ".");
    if (const json* c = r.find("costs"))
        s.costs = parse_costs(*c, file, "/costs", true);
    if (const json* f = r.find("fit")) {
        if (!f->is_array() || f->empty())
            throw InputError(file, "/fit", "must be a non-empty array of parameter names",
                             shown_value(*f));
        std::string list;
        for (std::size_t i = 0; i < f->size(); ++i) {
            if (!(*f)[i].is_string())
                throw InputError(file, "/fit/" + std::to_string(i), "must be a string",
                                 shown_value((*f)[i]));
            if (i > 0)
                list += ',';
            list += (*f)[i].get_ref<const std::string&>();
        }
        s.fit = parse_fit_list(list, file, "/fit");
    }
    s.objective = *parse_objective(
        r.choice("objective", {"median", "least_squares", "minimax"}, "objective", "median"));
    if (r.choice("gaps", {"window", "calendar_year"}, "gaps", "window") == "calendar_year")
        s.gaps = CalibrationGaps::calendar_year;
    if (r.find("split") && r.find("train_end"))
        throw InputError(file, "/train_end", "give either split or train_end, not both",
                         shown_value(*r.find("train_end")));
    s.split.split = r.number("split", Range::open(0, 1), 0.5);
    if (r.find("train_end")) {
        const std::string t = r.string("train_end", std::nullopt);
        s.split.train_end = parse_date(t);
        if (!s.split.train_end)
            throw InputError(file, "/train_end", "must be a date YYYY-MM-DD", t);
    }
    const std::optional<std::string> default_column = column(r);
    const json& funds = r.require("funds");
    if (!funds.is_array() || funds.empty())
        throw InputError(file, "/funds", "must be a non-empty array of funds", shown_value(funds));
    for (std::size_t i = 0; i < funds.size(); ++i)
        s.funds.push_back(
            read_fund(funds[i], file, "/funds/" + std::to_string(i), data_dir, default_column));
    return s;
}

CalibrationSpec load_calibration(const std::string& path) {
    return parse_calibration(read_json_text(read_input_file(path), path), path);
}

} // namespace letf

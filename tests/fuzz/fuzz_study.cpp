/// libFuzzer harness: the study parser. The input is a study file, optionally followed by a line
/// `--base--` and the text of a scenario file `base.json` (written beside the study, so that
/// `"base": "base.json"` reads it; `"base": "tiny.json"` names a small fixed scenario). Parse
/// the study (which expands and validates every point), check that its to_json text parses into
/// the same study, and render study.csv and study.json for no points done and for one point with
/// a made-up summary. An InputError is the expected answer to bad input; anything else is a
/// finding.

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz_common.hpp"
#include "letf/config/scenario.hpp"
#include "letf/base/error.hpp"
#include "letf/io/json_reader.hpp"
#include "letf/study/sweep.hpp"

namespace {

constexpr std::string_view kHarness = "fuzz_study";
constexpr std::string_view kSeparator = "\n--base--\n";
constexpr std::string_view kTinyBase =
    R"({"name": "tiny", "seed": 11, "paths": 40, "days": 20,
        "model": {"type": "gbm", "mu": 0.07, "sigma": 0.3}, "multiples": [-3, 2]})";

void write_text(const std::filesystem::path& path, std::string_view text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out)
        letf::fuzz::finding(kHarness, "cannot write " + path.string());
}

/// A summary for `point` with every metric defined except every third (which are empty cells).
letf::PointSummary made_up_summary(const letf::StudyPoint& point) {
    letf::PointSummary s;
    s.paths = point.config.paths;
    s.days = point.config.days;
    auto row = [](std::string strategy, double multiple) {
        letf::SummaryRow r{.strategy = std::move(strategy), .multiple = multiple};
        for (std::size_t i = 0; i < r.metrics.size(); ++i)
            if (i % 3 != 2)
                r.metrics[i] = 0.25 * static_cast<double>(i) - 1.0;
        return r;
    };
    s.underlying = row("underlying", 1.0);
    for (const letf::Strategy& spec : point.config.strategies)
        for (double m : point.config.multiples)
            s.rows.push_back(row(std::string(letf::to_string(spec)), m));
    return s;
}

void render(const letf::Study& study) {
    std::vector<std::optional<letf::PointSummary>> summaries(study.points.size());
    const letf::StudyRunInfo info{.threads = 1, .points = study.points.size()};
    for (int pass = 0; pass < 2; ++pass) {
        if (pass == 1)
            summaries.front() = made_up_summary(study.points.front());
        const std::string csv = letf::study_csv_text(study, summaries);
        if (!csv.starts_with("point,"))
            letf::fuzz::finding(kHarness, "study.csv without its header");
        const std::string json = letf::study_json_text(study, summaries, info);
        if (!nlohmann::json::accept(json))
            letf::fuzz::finding(kHarness, "study.json is not JSON");
    }
}

void run(std::string_view text) {
    static const bool tiny_written = [] {
        write_text(letf::fuzz::scratch_dir() / "tiny.json", kTinyBase);
        return true;
    }();
    (void)tiny_written;
    const std::size_t at = text.find(kSeparator);
    if (at != std::string_view::npos)
        write_text(letf::fuzz::scratch_dir() / "base.json", text.substr(at + kSeparator.size()));
    else
        std::filesystem::remove(letf::fuzz::scratch_dir() / "base.json");
    const std::string& file = letf::fuzz::scenario_file();
    letf::Study study;
    try {
        study = letf::parse_study(letf::read_json_text(text.substr(0, at), file), file,
                                  letf::fuzz::scratch_dir());
    } catch (const letf::InputError&) {
        return;
    }
    if (study.points.empty())
        letf::fuzz::finding(kHarness, "study accepted without points");
    const std::string first = letf::to_json(study).dump();
    letf::fuzz::expect_round_trip(kHarness, first, [&](const std::string& text) {
        return letf::to_json(letf::parse_study(letf::read_json_text(text, file), file,
                                               letf::fuzz::scratch_dir()))
            .dump();
    });
    render(study);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return letf::fuzz::run_input(kHarness, data, size, run);
}

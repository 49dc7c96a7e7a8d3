// The Python module `letfsim` (pybind11): the library's run, sweep and validate, for notebooks.
// python/letfsim/__init__.py is the public face; this is its extension `letfsim._core`.
//
//   run(config, paths, seed, threads, per_path) -> (report text, per-path arrays or None)
//   sweep(study, out_dir, resume, threads)      -> study.json text
//   validate(config)                            -> None
// `config` / `study` is a path (str) or JSON text (the wrapper dumps a dict). Bad input raises
// letfsim.ConfigError(message, file, pointer, value); Ctrl-C raises KeyboardInterrupt between
// groups of blocks (the simulation runs without the GIL).

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "letf/base/error.hpp"
#include "letf/config/scenario.hpp"
#include "letf/engine/engine.hpp"
#include "letf/io/json_reader.hpp"
#include "letf/output/report.hpp"
#include "letf/study/sweep.hpp"
#include "letf/version.hpp"

namespace py = pybind11;

namespace {

/// Raises letfsim.ConfigError for an InputError (the pointer is its `where`: a JSON pointer, a
/// line and column, or a flag).
[[noreturn]] void raise_config_error(const letf::InputError& e) {
    const py::object cls = py::module_::import("letfsim").attr("ConfigError");
    const py::object error = cls(e.what(), e.file(), e.where(), e.value());
    PyErr_SetObject(cls.ptr(), error.ptr());
    throw py::error_already_set();
}

/// Ctrl-C seen between groups of blocks: unwinds the simulation, then KeyboardInterrupt.
struct Interrupted {};

/// Called on the calling thread between groups of blocks (EngineOptions::progress).
void check_signals() {
    const py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0)
        throw Interrupted{};
}

letf::ScenarioConfig load(const std::string& config, bool is_text) {
    return is_text ? letf::parse_scenario_text(config, "<dict>") : letf::load_scenario(config);
}

py::tuple run(const std::string& config, bool is_text, std::optional<std::int64_t> paths,
              std::optional<std::uint64_t> seed, std::optional<int> threads, bool per_path) {
    try {
        letf::ScenarioConfig c = load(config, is_text);
        letf::Overrides o;
        o.paths = paths;
        o.seed = seed;
        letf::apply_overrides(c, o);
        letf::EngineOptions options;
        if (threads) {
            if (*threads < 1 || *threads > letf::limits::kMaxThreads)
                throw letf::InputError("run()", "threads", "must be an integer in [1, 4096]",
                                       std::to_string(*threads));
            options.threads = *threads;
        }
        options.progress = [](std::int64_t) { check_signals(); };
        // Per-path arrays, allocated before the GIL is released; blocks write their own rows.
        const std::size_t series = letf::make_positions(c).size() + 1;
        const auto n = static_cast<py::ssize_t>(c.paths);
        const auto S = static_cast<py::ssize_t>(series);
        py::dict arrays;
        double *terminal = nullptr, *drawdown = nullptr, *wipeout = nullptr;
        if (per_path) {
            py::array_t<double> t({n, S}), d({n, S}), w({n, S});
            terminal = t.mutable_data();
            drawdown = d.mutable_data();
            wipeout = w.mutable_data();
            arrays["terminal"] = t;
            arrays["max_drawdown"] = d;
            arrays["wipeout_day"] = w;
            options.on_block = [=](const letf::BlockPaths& b) {
                for (std::size_t s = 0; s < series; ++s)
                    for (std::size_t i = 0; i < b.paths; ++i) {
                        const auto row = static_cast<std::size_t>(b.first_path) + i;
                        terminal[row * series + s] = b.value[s][i];
                        drawdown[row * series + s] = b.drawdown[s][i];
                        wipeout[row * series + s] = b.wipeout_day[s] ? b.wipeout_day[s][i] : 0.0;
                    }
            };
        }
        letf::SimulationResult result;
        try {
            const py::gil_scoped_release no_gil;
            result = letf::simulate(c, options);
        } catch (const Interrupted&) {
            throw py::error_already_set(); // KeyboardInterrupt, set by PyErr_CheckSignals
        }
        return py::make_tuple(letf::report_json(c, result),
                              per_path ? py::object(arrays) : py::object(py::none()));
    } catch (const letf::InputError& e) {
        raise_config_error(e);
    }
}

std::string sweep(const std::string& study, bool is_text, const std::string& out_dir,
                  bool resume, std::optional<int> threads) {
    try {
        const letf::Study s =
            is_text ? letf::parse_study(letf::read_json_text(study, "<dict>"), "<dict>",
                                        std::filesystem::current_path())
                    : letf::load_study(study);
        letf::SweepOptions o;
        o.resume = resume;
        o.threads = threads.value_or(0);
        // Polled from the OpenMP threads too; Python runs signal handlers on its main thread
        // only, and PyErr_CheckSignals elsewhere is a no-op.
        std::atomic<bool> interrupted{false};
        o.stop_requested = [&interrupted] {
            if (!interrupted.load()) {
                const py::gil_scoped_acquire gil;
                if (PyErr_CheckSignals() != 0)
                    interrupted = true;
            }
            return interrupted.load();
        };
        {
            const py::gil_scoped_release no_gil;
            letf::run_study(s, out_dir, o);
        }
        if (interrupted)
            throw py::error_already_set();
        return letf::read_input_file(std::filesystem::path(out_dir) / "study.json",
                                     letf::kMaxJsonFileBytes);
    } catch (const letf::InputError& e) {
        raise_config_error(e);
    }
}

void validate(const std::string& config, bool is_text) {
    try {
        (void)load(config, is_text);
    } catch (const letf::InputError& e) {
        raise_config_error(e);
    }
}

} // namespace

PYBIND11_MODULE(_core, m) {
    m.doc() = "letfsim's engine (see the letfsim package)";
    m.def("run", &run, py::arg("config"), py::arg("is_text"), py::arg("paths"), py::arg("seed"),
          py::arg("threads"), py::arg("per_path"));
    m.def("sweep", &sweep, py::arg("study"), py::arg("is_text"), py::arg("out_dir"),
          py::arg("resume"), py::arg("threads"));
    m.def("validate", &validate, py::arg("config"), py::arg("is_text"));
    m.def("version", [] { return std::string(letf::kVersion); });
}

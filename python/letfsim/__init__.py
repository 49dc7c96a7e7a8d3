"""letfsim: Monte Carlo simulator of path dependency in leveraged and inverse funds.

The same engine as the `letfsim` command line, for notebooks:

    import letfsim
    report = letfsim.run("configs/quickstart.json", paths=20000)
    report["results"][0]["terminal"]["median"]
    report, paths = letfsim.run(config_dict, per_path=True)
    paths["terminal"][:, 0]          # the index's S_T of every path; columns 1.. the positions

run() returns the report (the dict the CLI writes as JSON, identical to it); sweep() runs a
study into a folder and returns its study.json; validate() checks a scenario. A scenario or
study is a file path or a dict (relative CSV paths in a dict are read from the current folder).
Bad input raises ConfigError with .file, .pointer and .value. The simulation runs without the
GIL, on every core unless threads= says otherwise; Ctrl-C stops it (KeyboardInterrupt).
"""

import json as _json
import os as _os

__all__ = ["run", "sweep", "validate", "ConfigError", "version"]


class ConfigError(ValueError):
    """A scenario or study letfsim refuses: the CLI's exit-2 message, with its parts."""

    def __init__(self, message, file="", pointer="", value=""):
        super().__init__(message)
        self.file = file          #: the file, "<dict>" for a dict, "run()" for an argument
        self.pointer = pointer    #: the JSON pointer (or line and column, or argument name)
        self.value = value        #: the offending value as JSON text ("" when none)


from . import _core  # noqa: E402  (ConfigError must exist before the extension raises it)


def _source(config):
    if isinstance(config, dict):
        return _json.dumps(config), True
    if isinstance(config, (str, _os.PathLike)):
        return _os.fspath(config), False
    raise TypeError("config must be a dict or a path, not " + type(config).__name__)


def run(config, *, paths=None, seed=None, threads=None, per_path=False):
    """Runs a scenario; returns its report (a dict), or (report, arrays) with per_path=True.

    arrays: "terminal" (V_T/V_0; S_T/S_0 for the index), "max_drawdown" and "wipeout_day" (the
    first day at 0, 0 for none; always 0 for the index), each a float64 array of shape
    (paths, 1 + positions): column 0 the index, then every strategy x multiple in report order
    (report["results"]); "log_return" is log(terminal), -inf where a position ended at 0;
    "columns" the (label, multiple) of each column.
    """
    text, is_text = _source(config)
    report, arrays = _core.run(text, is_text, paths, seed, threads, per_path)
    report = _json.loads(report)
    if not per_path:
        return report
    import numpy as _np
    with _np.errstate(divide="ignore"):
        arrays["log_return"] = _np.log(arrays["terminal"])
    arrays["columns"] = [("index", 1.0)] + [(r["label"], r["multiple"]) for r in report["results"]]
    return report, arrays


def sweep(study, out_dir, *, resume=False, threads=None):
    """Runs a study into out_dir (as `letfsim sweep STUDY -o OUT_DIR`); returns study.json."""
    text, is_text = _source(study)
    return _json.loads(_core.sweep(text, is_text, _os.fspath(out_dir), resume, threads))


def validate(config):
    """Checks a scenario without running it; raises ConfigError when it is refused."""
    text, is_text = _source(config)
    _core.validate(text, is_text)


def version():
    """letfsim's version."""
    return _core.version()

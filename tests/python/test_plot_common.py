"""scripts/plot_common.py's text helpers (run with the module's tests: python.module)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "scripts"))

from plot_common import percent_text  # noqa: E402


def test_percent_text_never_uses_an_exponent():
    cases = {0: "0 %", 1.0: "100 %", 0.999: "100 %", 0.5: "50 %", 0.37: "37 %", 0.123: "12 %",
             0.025: "2.5 %", 0.0001: "0.01 %", 0.000012: "0.0012 %"}
    assert {p: percent_text(p) for p in cases} == cases

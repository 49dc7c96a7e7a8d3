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


def test_every_strategy_kind_has_its_own_colour_and_line_style():
    import json

    import plot_common as pc

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    with open(os.path.join(root, "schemas", "scenario.schema.json"), encoding="utf-8") as f:
        text = json.dumps(json.load(f))
    # The strategy types the scenario schema allows (its enum of "type" for a strategy object).
    start = text.index('"enum": ["daily_reset", "unrebalanced", "calendar_rebalance"')
    kinds = json.loads(text[text.index("[", start):text.index("]", start) + 1])
    assert len(kinds) >= 8
    missing = [k for k in kinds if k not in pc.STRATEGY_LOOKS]
    assert not missing, f"no look for {missing}"
    looks = list(pc.STRATEGY_LOOKS.values())
    colours = [look[0] for look in looks]
    styles = [repr(look[1]) for look in looks]
    assert len(set(colours)) == len(colours), colours
    assert len(set(styles)) == len(styles), styles
    assert not set(pc.EXTRA_COLORS) & set(colours)


def test_a_second_strategy_of_a_kind_keeps_the_line_style_with_its_own_colour():
    import plot_common as pc

    looks = pc.strategy_looks({"calendar_rebalance(every_days=5)": "calendar_rebalance",
                               "calendar_rebalance(every_days=21)": "calendar_rebalance",
                               "daily_reset": "daily_reset"})
    first, second = (looks["calendar_rebalance(every_days=5)"],
                     looks["calendar_rebalance(every_days=21)"])
    assert first["color"] == pc.STRATEGY_COLORS["calendar_rebalance"]
    assert second["color"] != first["color"]
    assert second["linestyle"] == first["linestyle"]
    assert second["name"] == "calendar_rebalance(every_days=21)"
    assert looks["daily_reset"]["name"] == "daily-reset fund"


def test_quantile_column_descriptions():
    import plot_common as pc

    assert pc.metric_description("p99.5") == "99.5th percentile of V_T/V_0"
    assert pc.metric_description("p01") == "1st percentile of V_T/V_0"
    assert pc.metric_description("p12") == "12th percentile of V_T/V_0"
    assert pc.metric_description("p50") == "50th percentile of V_T/V_0"
    assert pc.metric_description("prob_loss") == "P(loss): share of paths with V_T < V_0"

"""A chart with nothing to draw is left out of the report, not printed empty."""

from __future__ import annotations

from workbench.core.model import Analyst, Evidence, Hypothesis, Project
from workbench.reports.charts import report_drawings
from workbench.reports.content import build_report
from workbench.reports.html import render_html


def test_empty_charts_are_left_out(linchpin_case):  # noqa: ANN001
    fresh = Project("Fresh", "Will it rain?")
    for k in range(2):
        fresh.insert_hypothesis(k, Hypothesis(fresh.new_id(), f"H{k + 1}", f"Hyp {k + 1}"))
    fresh.insert_evidence(0, Evidence(fresh.new_id(), "E1", "Undated, unrated"))
    fresh.add_analyst(Analyst(fresh.new_id(), "Ana"))
    assert report_drawings(fresh) == {}
    html = render_html(build_report(fresh, app_version="9.9"), {})
    assert "<img" not in html and "Key question" in html
    # A rated, dated case keeps every chart.
    assert set(report_drawings(linchpin_case)) == {"posterior", "tornado", "timeline"}

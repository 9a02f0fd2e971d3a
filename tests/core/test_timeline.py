"""The evidence timeline: date order, ties, excluded and undated evidence."""

from __future__ import annotations

import numpy as np

from workbench.core.analysis import score_project
from workbench.core.dates import PartialDate
from workbench.core.ratings import Rating as R
from workbench.core.timeline import project_timeline, timeline

D = PartialDate.parse


def test_evidence_accumulates_in_date_order_with_ties_in_matrix_order():
    codes = np.array(
        [
            [R.I, R.N],  # E1 2021
            [R.N, R.II],  # E2 undated
            [R.II, R.C],  # E3 2020-08
            [R.C, R.I],  # E4 2020 (a year sorts before its months)
            [R.N, R.I],  # E5 2020-08 (same date as E3: after it, by matrix order)
            [R.II, R.II],  # E6 excluded
        ],
        dtype=np.int8,
    )
    weights = np.array([1.0, 1.0, 0.5, 2.0, 1.0, 1.0])
    active = np.array([True, True, True, True, True, False])
    dates = [D("2021"), None, D("2020-08"), D("2020"), D("2020-08"), D("2019")]
    line = timeline(codes, weights, active, dates)
    assert line.rows.tolist() == [3, 2, 4, 0]
    assert [str(d) for d in line.dates] == ["2020", "2020-08", "2020-08", "2021"]
    # H1: E4 C (0), E3 II at 0.5 (1), E5 N (0), E1 I (1) -> 0, 1, 1, 2
    assert line.cumulative[:, 0].tolist() == [0.0, 1.0, 1.0, 2.0]
    # H2: E4 I at 2 (2), E3 C (0), E5 I (1), E1 N (0) -> 2, 2, 3, 3
    assert line.cumulative[:, 1].tolist() == [2.0, 2.0, 3.0, 3.0]
    assert line.undated_rows.tolist() == [1]
    assert line.undated_total.tolist() == [0.0, 2.0]


def test_dated_lines_plus_the_undated_share_equal_the_scores():
    from workbench.exchange.example import load_example

    project = load_example()
    codes = project.layer(project.analysts[0].id)
    line = project_timeline(project, codes)
    scores = score_project(project)
    assert np.allclose(line.final + line.undated_total, scores.weighted_inconsistency)
    undated = [project.evidence[i] for i in line.undated_rows]
    assert undated and all(e.date is None and e.active for e in undated)
    assert line.rows.size + line.undated_rows.size == sum(e.active for e in project.evidence)
    assert line.dates == sorted(line.dates)


def test_nothing_dated():
    codes = np.array([[R.I]], dtype=np.int8)
    line = timeline(codes, np.ones(1), np.ones(1, dtype=bool), [None])
    assert line.rows.size == 0 and line.final.tolist() == [0.0]
    assert line.undated_total.tolist() == [1.0]

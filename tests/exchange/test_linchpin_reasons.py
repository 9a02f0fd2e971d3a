"""linchpin_reasons, found with numpy, says what the cell-by-cell reading says."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.model import Analyst, Evidence, Hypothesis, Project
from workbench.core.ratings import Level
from workbench.core.sensitivity import project_sensitivity
from workbench.reports.content import _h, linchpin_reasons


def _loop_reasons(project: Project, result) -> dict[int, str]:  # noqa: ANN001
    """The reasons as first written: every item, then every scored cell, in turn."""
    reasons: dict[int, list[str]] = {}
    for k, row in enumerate(result.excluded_rows.tolist()):
        if result.excluded_leader[k] != result.leader:
            reasons.setdefault(row, []).append(
                f"excluding it makes {_h(project, int(result.excluded_leader[k]))} the leader"
            )
    for k, (row, col) in enumerate(
        zip(result.cell_rows.tolist(), result.cell_columns.tolist(), strict=True)
    ):
        for moved, leaders in (
            ("more consistent", result.toward_consistent_leader),
            ("less consistent", result.toward_inconsistent_leader),
        ):
            if leaders[k] != result.leader:
                reasons.setdefault(row, []).append(
                    f"one step {moved} for {project.hypotheses[col].code} makes "
                    f"{_h(project, int(leaders[k]))} the leader"
                )
    return {row: "; ".join(texts) for row, texts in reasons.items()}


@settings(max_examples=60, deadline=None)
@given(
    n_evidence=st.integers(1, 12),
    n_hypotheses=st.integers(1, 5),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_reasons_match_the_cell_by_cell_reading(n_evidence, n_hypotheses, seed):
    rng = np.random.default_rng(seed)
    project = Project("p")
    project.hypotheses = [
        Hypothesis(project.new_id(), f"H{j + 1}", f"h{j}") for j in range(n_hypotheses)
    ]
    levels = list(Level)
    project.evidence = [
        Evidence(
            project.new_id(),
            f"E{i + 1}",
            f"e{i}",
            credibility=levels[rng.integers(3)],
            relevance=levels[rng.integers(3)],
            active=bool(rng.random() > 0.2),
        )
        for i in range(n_evidence)
    ]
    layer = rng.integers(0, 7, (n_evidence, n_hypotheses)).astype(np.int8)
    project.add_analyst(Analyst(project.new_id(), "A"), layer)
    result = project_sensitivity(project)
    got = linchpin_reasons(project, result)
    expected = _loop_reasons(project, result)
    assert got == expected
    assert list(got) == list(expected)

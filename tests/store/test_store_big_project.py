"""A large project (half a million ratings) comes back from its file exactly.

How fast it opens is a benchmark figure (``tests/benchmarks/run.py``, at
10,000 x 50 x 10 against a bare read of the same data), not a timed test.
"""

from __future__ import annotations

import numpy as np

from workbench.core.analysis import score_project
from workbench.core.model import Analyst, Evidence, Hypothesis, Project
from workbench.store import ProjectFile


def _big_project(n_evidence: int, n_hypotheses: int, n_analysts: int) -> Project:
    rng = np.random.default_rng(7)
    project = Project("Big")
    project.hypotheses = [
        Hypothesis(project.new_id(), f"H{i + 1}", f"h{i}") for i in range(n_hypotheses)
    ]
    project.evidence = [Evidence(project.new_id(), f"E{i + 1}", f"e{i}") for i in range(n_evidence)]
    for k in range(n_analysts):
        layer = rng.integers(1, 7, size=(n_evidence, n_hypotheses)).astype(np.int8)
        project.add_analyst(Analyst(project.new_id(), f"A{k}"), layer)
    return project


def test_a_big_project_opens_and_scores_as_it_was_written(tmp_path):
    path = tmp_path / "big.achwb"
    project = _big_project(1000, 50, 10)
    ProjectFile.create(path, project).close()
    for read_only in (True, False):
        with ProjectFile.open(path, read_only=read_only) as project_file:
            opened = project_file.project
            for analyst in project.analysts:
                assert np.array_equal(opened.layers[analyst.id], project.layers[analyst.id])
            expected, got = score_project(project), score_project(opened)
            assert np.array_equal(expected.rank, got.rank)
            assert np.allclose(expected.weighted_inconsistency, got.weighted_inconsistency)

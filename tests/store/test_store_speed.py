"""Opening a large project costs about what reading its rating rows costs, no more.

The full-size figure (10,000 x 50 x 10) is measured by tests/benchmarks/run.py;
here a 1,000 x 50 x 10 project (half a million ratings) checks the same ratio on
every test run, against the same baseline: a bare sqlite3 fetchall of the rows.
"""

from __future__ import annotations

import sqlite3
import time

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


def _best_of(repeats, action) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def test_open_and_score_is_within_twice_a_bare_fetch(tmp_path):
    path = tmp_path / "big.achwb"
    project = _big_project(1000, 50, 10)
    ProjectFile.create(path, project).close()
    opened = {}

    def bare_fetch():
        db = sqlite3.connect(path)
        rows = db.execute("SELECT evidence_id, hypothesis_id, analyst_id, code FROM rating")
        opened["rows"] = len(rows.fetchall())
        db.close()

    def open_and_score():
        with ProjectFile.open(path) as project_file:
            opened["scores"] = score_project(project_file.project)
            opened["project"] = project_file.project

    baseline = _best_of(3, bare_fetch)
    ours = _best_of(3, open_and_score)
    assert opened["rows"] == 500_000  # only non-blank ratings are stored, all of them
    for analyst in project.analysts:
        assert np.array_equal(opened["project"].layers[analyst.id], project.layers[analyst.id])
    assert ours <= 2 * baseline, f"open + score {ours:.2f} s, bare fetchall {baseline:.2f} s"

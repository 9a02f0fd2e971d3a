"""Ids are never reused, so a long-lived (or damaged) file may carry huge ones (issue 17).

Loading used to build lookup tables as long as the largest id: next_id of
500,000,000 in a 118 KB file cost 4 GB. Positions are now found by binary
search, so memory follows the number of ratings, not the ids.
"""

from __future__ import annotations

import resource
import sqlite3
import time
from pathlib import Path

from workbench.core.analysis import CONSENSUS, score_report
from workbench.exchange.example import load_example
from workbench.store import ProjectFile


def test_a_huge_next_id_costs_neither_time_nor_memory(tmp_path: Path) -> None:
    path = tmp_path / "p.achwb"
    ProjectFile.create(path, load_example()).close()
    with ProjectFile.open(path, read_only=True) as project_file:
        expected = score_report(project_file.project, CONSENSUS)
    db = sqlite3.connect(path)
    db.execute("UPDATE project SET next_id = 500000000")
    db.commit()
    db.close()
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with ProjectFile.open(path, read_only=True) as project_file:
        assert score_report(project_file.project, CONSENSUS) == expected
    assert time.perf_counter() - started < 10
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before
    assert grown_kb < 200_000, f"loading grew the process by {grown_kb:,} KB"

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


def test_an_item_added_with_a_huge_id_reopens_without_a_huge_table(tmp_path: Path) -> None:
    """The first Add after a huge next_id hands out that id; the next open must still
    find rows and columns by search, not by a table as long as the id (gigabytes)."""
    from workbench.core.edits import AddEvidence, SetRating
    from workbench.core.model import Evidence
    from workbench.core.ratings import Rating

    path = tmp_path / "p.achwb"
    ProjectFile.create(path, load_example()).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE project SET next_id = 2000000000")
    db.commit()
    db.close()
    with ProjectFile.open(path) as project_file:
        project = project_file.project
        added = Evidence(project.new_id(), "E999", "added after a huge next id")
        assert added.id >= 2_000_000_000
        project_file.apply(AddEvidence(added, len(project.evidence)))
        analyst = project.analysts[0].id
        project_file.apply(SetRating(analyst, added.id, project.hypotheses[0].id, Rating.II))
        expected = score_report(project_file.project, CONSENSUS)
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with ProjectFile.open(path, read_only=True) as project_file:
        assert score_report(project_file.project, CONSENSUS) == expected
        assert project_file.project.rating(analyst, added.id, project.hypotheses[0].id) == Rating.II
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before
    assert grown_kb < 200_000, f"loading grew the process by {grown_kb:,} KB"

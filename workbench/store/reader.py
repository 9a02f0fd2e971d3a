"""A whole Project out of a project file, with plain ``sqlite3``.

Opening is the path every command takes, so it does not go through the ORM
(importing SQLAlchemy costs more than reading a large project): each table
is one SELECT whose rows become core entities through :mod:`workbench.store.rows`,
and the ratings come from :mod:`workbench.store.matrix` as blocks. Everything
is read inside one read transaction, so it is one consistent state of the file.
"""

from __future__ import annotations

import collections
import datetime as dt
import sqlite3
from typing import Any

from workbench.core.limits import MAX_ID, size_problem
from workbench.core.model import Project
from workbench.store import matrix, rows, values


class MissingProject(ValueError):
    """The file has the tables but not the project row."""


def _select(raw: sqlite3.Connection, sql: str) -> list[Any]:
    """Rows with their columns as attributes (what :mod:`rows` reads)."""
    cursor = raw.execute(sql)
    row_type = collections.namedtuple("Row", [c[0] for c in cursor.description])  # type: ignore[misc]
    return [row_type._make(values) for values in cursor]


def _ordered(raw: sqlite3.Connection, table: str) -> list[Any]:
    return _select(raw, f"SELECT * FROM {table} ORDER BY position, id")


def load_project(raw: sqlite3.Connection) -> Project:
    """The Project stored in the file, layers and rationales included."""
    raw.execute("BEGIN")
    try:
        project = _load(raw)
    finally:
        raw.execute("COMMIT")
    return project


def _load(raw: sqlite3.Connection) -> Project:
    """Every value is checked first (types, lengths, JSON shapes, ids, sizes);
    a damaged one raises ValueError naming it."""
    problem = values.first_bad_value(raw)
    if problem:
        raise ValueError(problem)
    heads = _select(raw, "SELECT * FROM project WHERE id = 1")
    if not heads:
        raise MissingProject("the project record is missing")
    head = heads[0]
    if not 1 <= head.next_id <= MAX_ID:
        raise ValueError(f"the next id ({head.next_id}) is outside 1..{MAX_ID:,}")
    _check_size(raw)
    project = rows.project_from(head, lambda table: _ordered(raw, table))
    project.overrides = dict(
        rows.override_from(r) for r in _select(raw, "SELECT * FROM consensus_override")
    )
    _check_references(project)
    for key, text in raw.execute("SELECT key, value FROM setting"):
        rows.setting_from(key, text)
    # Ids in the file are never handed out again, even if next_id was damaged.
    lists = (project.hypotheses, project.evidence, project.sources, project.analysts)
    project.reserve_id(max((item.id for items in lists for item in items), default=0))
    project.reserve_id(max((milestone.id for milestone in project.milestones), default=0))
    if project.next_id > MAX_ID:
        raise ValueError(f"an id is beyond {MAX_ID:,}")
    project.layers = matrix.load_layers(raw, project)
    project.rationales = matrix.load_rationales(raw)
    return project


def _check_size(raw: sqlite3.Connection) -> None:
    """Refuse a project beyond the supported size before its layers are allocated."""
    counts = raw.execute(
        "SELECT (SELECT count(*) FROM evidence), (SELECT count(*) FROM hypothesis),"
        " (SELECT count(*) FROM analyst)"
    ).fetchone()
    problem = size_problem(*counts)
    if problem:
        raise ValueError(f"it holds {problem}")


def _check_references(project: Project) -> None:
    """Every id a row refers to exists (foreign keys may have been off when it was written)."""
    evidence = {e.id for e in project.evidence}
    hypotheses = {h.id for h in project.hypotheses}
    sources = {s.id for s in project.sources}
    for e, h in project.overrides:
        if e not in evidence or h not in hypotheses:
            raise ValueError("a consensus rating set by hand is for a cell not in the matrix")
    for item in project.evidence:
        if item.source_id is not None and item.source_id not in sources:
            raise ValueError(f"evidence {item.code} cites a source that does not exist")
    for milestone in project.milestones:
        if milestone.hypothesis_id not in hypotheses:
            raise ValueError("a milestone is for a hypothesis that does not exist")


def read_setting(raw: sqlite3.Connection, key: str) -> str | None:
    row = raw.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def read_change_log(raw: sqlite3.Connection, limit: int) -> list[tuple[dt.datetime, str, str, str]]:
    """(when, analyst, label, kind) of the latest ``limit`` changes, newest first."""
    cursor = raw.execute(
        "SELECT at, analyst, label, kind FROM change_log ORDER BY id DESC LIMIT ?", (limit,)
    )
    records = []
    for at, analyst, label, kind in cursor:
        when = dt.datetime.fromisoformat(at)
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        records.append((when, analyst or "", label, kind or ""))
    return records

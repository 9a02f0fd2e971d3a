"""A whole Project to and from the tables: used when a file is created and opened.

Entities (a few thousand rows at most) go through the typed ORM; ratings go
through :mod:`workbench.store.matrix` on the raw DBAPI connection, because
five million ORM objects would take minutes and gigabytes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from workbench.core.limits import MAX_ID, size_problem
from workbench.core.model import Project
from workbench.store import matrix, rows, values
from workbench.store.schema import (
    AnalystRow,
    ConsensusOverrideRow,
    EvidenceRow,
    HypothesisRow,
    MilestoneRow,
    ProjectRow,
    SettingRow,
    SourceRow,
)


class MissingProject(ValueError):
    """The file has the tables but not the project row."""


def raw_connection(session: Session) -> sqlite3.Connection:
    """The sqlite3 connection under the session's (already begun) transaction."""
    raw = session.connection().connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def write_project(session: Session, project: Project) -> None:
    """Insert every part of ``project`` into empty tables."""
    session.execute(insert(ProjectRow), [rows.project_values(project)])
    tables: list[tuple[Any, list[Any], Callable[[Any, int], rows.Values]]] = [
        (SourceRow, project.sources, rows.source_values),
        (HypothesisRow, project.hypotheses, rows.hypothesis_values),
        (EvidenceRow, project.evidence, rows.evidence_values),
        (AnalystRow, project.analysts, rows.analyst_values),
        (MilestoneRow, project.milestones, rows.milestone_values),
    ]
    for row_class, items, to_values in tables:
        if items:
            session.execute(insert(row_class), [to_values(item, i) for i, item in enumerate(items)])
    if project.overrides:
        session.execute(
            insert(ConsensusOverrideRow),
            [rows.override_values(e, h, value) for (e, h), value in project.overrides.items()],
        )
    matrix.insert_block(raw_connection(session), project, [a.id for a in project.analysts])


def load_project(session: Session) -> Project:
    """The Project stored in the file, with its layers filled from the rating table.

    Every value is checked first (types, lengths, JSON shapes, ids, sizes);
    a damaged one raises ValueError naming it.
    """
    raw = raw_connection(session)
    problem = values.first_bad_value(raw)
    if problem:
        raise ValueError(problem)
    head = session.get(ProjectRow, 1)
    if head is None:
        raise MissingProject("the project record is missing")
    if not 1 <= head.next_id <= MAX_ID:
        raise ValueError(f"the next id ({head.next_id}) is outside 1..{MAX_ID:,}")
    _check_size(raw)

    def ordered(row_class: Any) -> list[Any]:
        return list(session.scalars(select(row_class).order_by(row_class.position, row_class.id)))

    project = Project(
        title=head.title,
        question=head.question,
        description=head.description,
        classification=head.classification,
        time_horizon=head.time_horizon,
        notes=head.notes,
        hypotheses=[rows.hypothesis_from(r) for r in ordered(HypothesisRow)],
        evidence=[rows.evidence_from(r) for r in ordered(EvidenceRow)],
        sources=[rows.source_from(r) for r in ordered(SourceRow)],
        analysts=[rows.analyst_from(r) for r in ordered(AnalystRow)],
        milestones=[rows.milestone_from(r) for r in ordered(MilestoneRow)],
        likelihoods=rows.likelihoods_from(head.likelihoods),
        next_id=head.next_id,
        uid=head.uid,
    )
    session.expunge_all()  # the rows were only needed to build the entities
    project.overrides = dict(
        rows.override_from(r) for r in session.scalars(select(ConsensusOverrideRow))
    )
    session.expunge_all()
    _check_references(project)
    for key, text in session.execute(select(SettingRow.key, SettingRow.value)):
        rows.setting_from(key, text)
    # Ids in the file are never handed out again, even if next_id was damaged.
    for items in (project.hypotheses, project.evidence, project.sources, project.analysts):
        for item in items:
            project.reserve_id(item.id)
    for milestone in project.milestones:
        project.reserve_id(milestone.id)
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

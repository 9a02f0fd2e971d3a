"""A whole Project into the tables of a new file (reading is :mod:`workbench.store.reader`).

Entities (a few thousand rows at most) go through the typed ORM; ratings go
through :mod:`workbench.store.matrix` on the raw DBAPI connection, as blocks.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from workbench.core.model import Project
from workbench.store import matrix, rows
from workbench.store.schema import (
    AnalystRow,
    ConsensusOverrideRow,
    EvidenceRow,
    HypothesisRow,
    MilestoneRow,
    ProjectRow,
    SourceRow,
)


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
    raw = raw_connection(session)
    matrix.write_blocks(raw, project, [a.id for a in project.analysts])
    matrix.insert_rationales(raw, project)

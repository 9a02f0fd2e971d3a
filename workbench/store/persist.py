"""Writing exactly what one Edit changed, inside the caller's transaction.

Each Edit type has a handler (``functools.singledispatch``) that runs right
after the edit was applied to the in-memory project and makes the affected
rows match it: the cell, the entity row, the positions that moved, the
ratings of a new row or column. Handlers read the *current* project rather
than the edit's arguments, so what is stored is what the window shows. A
Batch is applied and persisted part by part, so each handler sees the state
its own part produced. An Edit type without a handler is refused (the
caller rolls back and undoes it), never silently left unsaved.
"""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import delete, insert, update
from sqlalchemy.orm import Session

from workbench.core.edits import (
    AddAnalyst,
    AddEvidence,
    AddHypothesis,
    AddMilestone,
    AddSource,
    Batch,
    Edit,
    MoveEvidence,
    MoveHypothesis,
    RemoveAnalyst,
    RemoveEvidence,
    RemoveHypothesis,
    RemoveMilestone,
    RemoveSource,
    SetOverride,
    SetRating,
    UpdateAnalyst,
    UpdateEvidence,
    UpdateHypothesis,
    UpdateMilestone,
    UpdateProject,
    UpdateSource,
)
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
from workbench.store.snapshot import raw_connection


@dataclasses.dataclass
class Unit:
    """One transaction's worth of work: the session and the project it mirrors."""

    session: Session
    project: Project
    #: Inverses of the parts applied so far, to undo them if the transaction fails.
    applied: list[Edit] = dataclasses.field(default_factory=list)

    @property
    def raw(self) -> sqlite3.Connection:
        return raw_connection(self.session)


def apply_and_persist(edit: Edit, unit: Unit) -> Edit:
    """Apply ``edit`` to the project and write it; returns the inverse (as Edit.apply does)."""
    if isinstance(edit, Batch):
        inverses = [apply_and_persist(part, unit) for part in edit.edits]
        return Batch(tuple(reversed(inverses)), edit.text)
    inverse = edit.apply(unit.project)
    unit.applied.append(inverse)
    persist(edit, inverse, unit)
    return inverse


def undo_applied(unit: Unit) -> None:
    """Put the in-memory project back as it was before the failed transaction."""
    while unit.applied:
        unit.applied.pop().apply(unit.project)


@functools.singledispatch
def persist(edit: Edit, inverse: Edit, unit: Unit) -> None:
    raise TypeError(f"the project file cannot store a {type(edit).__name__} edit")


# -- helpers ------------------------------------------------------------------


def _positions(unit: Unit, row_class: Any, items: Sequence[Any], start: int, stop: int) -> None:
    """Rewrite ``position`` of ``items[start:stop]`` (the part of the list that moved)."""
    start, stop = max(0, start), min(len(items), stop)
    if start < stop:
        # Straight to executemany: the ORM's bulk update spends ~50 us a row on
        # bookkeeping, half a second for an insert at the top of 10,000 rows.
        table = row_class.__tablename__
        unit.raw.executemany(
            f"UPDATE {table} SET position = ? WHERE id = ?",
            ((i, items[i].id) for i in range(start, stop)),
        )


def _update_row(unit: Unit, row_class: Any, values: dict[str, Any]) -> None:
    row_id = values.pop("id")
    values.pop("position", None)
    unit.session.execute(update(row_class).where(row_class.id == row_id).values(**values))


def _index(items: Sequence[Any], item_id: int) -> int:
    return next(i for i, item in enumerate(items) if item.id == item_id)


def _write_overrides(unit: Unit, evidence_id: int | None, hypothesis_id: int | None) -> None:
    """Insert the overrides of a re-added row or column that the project holds."""
    values = [
        rows.override_values(e, h, value)
        for (e, h), value in unit.project.overrides.items()
        if e == evidence_id or h == hypothesis_id
    ]
    if values:
        unit.session.execute(insert(ConsensusOverrideRow).prefix_with("OR REPLACE"), values)


# -- ratings and overrides ------------------------------------------------------


@persist.register
def _set_rating(edit: SetRating, inverse: Edit, unit: Unit) -> None:
    matrix.write_cells(
        unit.raw, unit.project, [(edit.analyst_id, edit.evidence_id, edit.hypothesis_id)]
    )


@persist.register
def _set_override(edit: SetOverride, inverse: Edit, unit: Unit) -> None:
    key = (edit.evidence_id, edit.hypothesis_id)
    unit.session.execute(
        delete(ConsensusOverrideRow).where(
            ConsensusOverrideRow.evidence_id == edit.evidence_id,
            ConsensusOverrideRow.hypothesis_id == edit.hypothesis_id,
        )
    )
    value = unit.project.overrides.get(key)
    if value is not None:
        unit.session.execute(insert(ConsensusOverrideRow), [rows.override_values(*key, value)])


@persist.register
def _update_project(edit: UpdateProject, inverse: Edit, unit: Unit) -> None:
    values = rows.project_values(unit.project)
    del values["id"], values["uid"]
    unit.session.execute(update(ProjectRow).where(ProjectRow.id == 1).values(**values))


# -- evidence -------------------------------------------------------------------


@persist.register
def _update_evidence(edit: UpdateEvidence, inverse: Edit, unit: Unit) -> None:
    _update_row(
        unit, EvidenceRow, rows.evidence_values(unit.project.evidence_by_id(edit.evidence_id), 0)
    )


@persist.register
def _add_evidence(edit: AddEvidence, inverse: Edit, unit: Unit) -> None:
    project = unit.project
    index = project.evidence_index(edit.evidence.id)
    unit.session.execute(
        insert(EvidenceRow), [rows.evidence_values(project.evidence[index], index)]
    )
    _positions(unit, EvidenceRow, project.evidence, index + 1, len(project.evidence))
    matrix.write_blocks(unit.raw, project, list(project.layers), [edit.evidence.id])
    matrix.insert_rationales(unit.raw, project, evidence_id=edit.evidence.id)
    _write_overrides(unit, edit.evidence.id, None)


@persist.register
def _remove_evidence(edit: RemoveEvidence, inverse: Edit, unit: Unit) -> None:
    assert isinstance(inverse, AddEvidence)
    # Rationales and overrides go with it (ON DELETE CASCADE); its block is rewritten.
    unit.session.execute(delete(EvidenceRow).where(EvidenceRow.id == edit.evidence_id))
    _positions(unit, EvidenceRow, unit.project.evidence, inverse.index, len(unit.project.evidence))
    matrix.write_blocks(unit.raw, unit.project, list(unit.project.layers), [edit.evidence_id])


@persist.register
def _move_evidence(edit: MoveEvidence, inverse: Edit, unit: Unit) -> None:
    assert isinstance(inverse, MoveEvidence)
    new = unit.project.evidence_index(edit.evidence_id)
    old = inverse.index
    _positions(unit, EvidenceRow, unit.project.evidence, min(old, new), max(old, new) + 1)


# -- hypotheses -----------------------------------------------------------------


@persist.register
def _update_hypothesis(edit: UpdateHypothesis, inverse: Edit, unit: Unit) -> None:
    item = unit.project.hypothesis_by_id(edit.hypothesis_id)
    _update_row(unit, HypothesisRow, rows.hypothesis_values(item, 0))


@persist.register
def _add_hypothesis(edit: AddHypothesis, inverse: Edit, unit: Unit) -> None:
    project = unit.project
    index = project.hypothesis_index(edit.hypothesis.id)
    unit.session.execute(
        insert(HypothesisRow), [rows.hypothesis_values(project.hypotheses[index], index)]
    )
    _positions(unit, HypothesisRow, project.hypotheses, index + 1, len(project.hypotheses))
    # Blocks without this column read it as blank: rewrite them only if it has ratings.
    if any(layer[:, index].any() for layer in project.layers.values()):
        matrix.write_blocks(unit.raw, project, list(project.layers))
    matrix.insert_rationales(unit.raw, project, hypothesis_id=edit.hypothesis.id)
    _write_overrides(unit, None, edit.hypothesis.id)
    if edit.milestones:
        restored = {m.id for _, m in edit.milestones}
        unit.session.execute(
            insert(MilestoneRow),
            [
                rows.milestone_values(m, i)
                for i, m in enumerate(project.milestones)
                if m.id in restored
            ],
        )
        _positions(unit, MilestoneRow, project.milestones, 0, len(project.milestones))


@persist.register
def _remove_hypothesis(edit: RemoveHypothesis, inverse: Edit, unit: Unit) -> None:
    assert isinstance(inverse, AddHypothesis)
    # Rationales, overrides and milestones go with it (ON DELETE CASCADE); the blocks
    # are rewritten without its column, so a block never lists a hypothesis not in the file.
    unit.session.execute(delete(HypothesisRow).where(HypothesisRow.id == edit.hypothesis_id))
    project = unit.project
    matrix.write_blocks(unit.raw, project, list(project.layers))
    _positions(unit, HypothesisRow, project.hypotheses, inverse.index, len(project.hypotheses))
    if inverse.milestones:
        _positions(unit, MilestoneRow, project.milestones, 0, len(project.milestones))


@persist.register
def _move_hypothesis(edit: MoveHypothesis, inverse: Edit, unit: Unit) -> None:
    assert isinstance(inverse, MoveHypothesis)
    new = unit.project.hypothesis_index(edit.hypothesis_id)
    old = inverse.index
    _positions(unit, HypothesisRow, unit.project.hypotheses, min(old, new), max(old, new) + 1)


# -- sources, milestones, analysts ---------------------------------------------------
# The three are plain ordered lists of rows: adding inserts one row and shifts
# the positions after it, removing deletes one and renumbers, updating rewrites
# the row from the project.

ValuesOf = Callable[[Any, int], dict[str, Any]]


def _insert_listed(
    unit: Unit, row_class: Any, items: Sequence[Any], item_id: int, values: ValuesOf
) -> None:
    index = _index(items, item_id)
    unit.session.execute(insert(row_class), [values(items[index], index)])
    _positions(unit, row_class, items, index + 1, len(items))


def _delete_listed(unit: Unit, row_class: Any, items: Sequence[Any], item_id: int) -> None:
    unit.session.execute(delete(row_class).where(row_class.id == item_id))
    _positions(unit, row_class, items, 0, len(items))


def _rewrite_listed(
    unit: Unit, row_class: Any, items: Sequence[Any], item_id: int, values: ValuesOf
) -> None:
    _update_row(unit, row_class, values(items[_index(items, item_id)], 0))


@persist.register
def _add_source(edit: AddSource, inverse: Edit, unit: Unit) -> None:
    _insert_listed(unit, SourceRow, unit.project.sources, edit.source.id, rows.source_values)


@persist.register
def _remove_source(edit: RemoveSource, inverse: Edit, unit: Unit) -> None:
    # Evidence citing it is unlinked by ON DELETE SET NULL, as in the project.
    _delete_listed(unit, SourceRow, unit.project.sources, edit.source_id)


@persist.register
def _update_source(edit: UpdateSource, inverse: Edit, unit: Unit) -> None:
    _rewrite_listed(unit, SourceRow, unit.project.sources, edit.source_id, rows.source_values)


@persist.register
def _add_milestone(edit: AddMilestone, inverse: Edit, unit: Unit) -> None:
    milestones = unit.project.milestones
    _insert_listed(unit, MilestoneRow, milestones, edit.milestone.id, rows.milestone_values)


@persist.register
def _remove_milestone(edit: RemoveMilestone, inverse: Edit, unit: Unit) -> None:
    _delete_listed(unit, MilestoneRow, unit.project.milestones, edit.milestone_id)


@persist.register
def _update_milestone(edit: UpdateMilestone, inverse: Edit, unit: Unit) -> None:
    milestones = unit.project.milestones
    _rewrite_listed(unit, MilestoneRow, milestones, edit.milestone_id, rows.milestone_values)


@persist.register
def _add_analyst(edit: AddAnalyst, inverse: Edit, unit: Unit) -> None:
    analysts = unit.project.analysts
    _insert_listed(unit, AnalystRow, analysts, edit.analyst.id, rows.analyst_values)
    matrix.write_blocks(unit.raw, unit.project, [edit.analyst.id])
    matrix.insert_rationales(unit.raw, unit.project, analyst_id=edit.analyst.id)


@persist.register
def _remove_analyst(edit: RemoveAnalyst, inverse: Edit, unit: Unit) -> None:
    # Their blocks and rationales go with them (ON DELETE CASCADE).
    _delete_listed(unit, AnalystRow, unit.project.analysts, edit.analyst_id)


@persist.register
def _update_analyst(edit: UpdateAnalyst, inverse: Edit, unit: Unit) -> None:
    analysts = unit.project.analysts
    _rewrite_listed(unit, AnalystRow, analysts, edit.analyst_id, rows.analyst_values)

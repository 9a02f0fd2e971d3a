"""Evidence and hypothesis actions of the window: add, duplicate, delete,
exclude, sort by rank. core/actions builds each edit and this hands it to
the Document; the window then shows the result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from workbench.core import actions
from workbench.core.edits import MoveEvidence, RemoveHypothesis, UpdateEvidence
from workbench.core.model import Project
from workbench.core.plurals import counted
from workbench.ui.base.dialogs import StatusMessage, confirm, reporting

if TYPE_CHECKING:
    from workbench.ui.base.document import Document
    from workbench.ui.matrix.matrix_view import MatrixView


UNDO_NOTE = "It is one step: Edit > Undo brings all of it back."


def evidence_removal(project: Project, rows: list[int]) -> tuple[str, str]:
    """What deleting these evidence rows removes, in words, before it happens."""
    items = [project.evidence[r] for r in rows]
    ids = {e.id for e in items}
    ratings = sum(int((layer[rows] != 0).sum()) for layer in project.layers.values())
    notes = sum(1 for (_a, e, _h), t in project.rationales.items() if e in ids and t)
    hand = sum(1 for (e, _h) in project.overrides if e in ids)
    if len(items) == 1:
        text = f"Delete {items[0].code} “{items[0].title}”?"
    else:
        codes = ", ".join(e.code for e in items[:8]) + (" …" if len(items) > 8 else "")
        text = f"Delete {counted(len(items), 'evidence item')} ({codes})?"
    parts = [counted(ratings, "rating"), counted(notes, "rationale")]
    if hand:
        parts.append(counted(hand, "consensus cell") + " set by hand")
    return text, f"This removes {', '.join(parts)} with it. {UNDO_NOTE}"


def hypothesis_removal(project: Project, column: int) -> tuple[str, str]:
    """What deleting one hypothesis removes, in words, before it happens."""
    hypothesis = project.hypotheses[column]
    ratings = sum(int((layer[:, column] != 0).sum()) for layer in project.layers.values())
    notes = sum(1 for (_a, _e, h), t in project.rationales.items() if h == hypothesis.id and t)
    milestones = sum(1 for m in project.milestones if m.hypothesis_id == hypothesis.id)
    hand = sum(1 for (_e, h) in project.overrides if h == hypothesis.id)
    parts = [counted(ratings, "rating"), counted(notes, "rationale")]
    if milestones:
        parts.append(counted(milestones, "milestone"))
    if hand:
        parts.append(counted(hand, "consensus cell") + " set by hand")
    return (
        f"Delete {hypothesis.code} “{hypothesis.title}”?",
        f"This removes its column: {', '.join(parts)}. {UNDO_NOTE}",
    )


class StructureActions:
    """The Evidence and Hypotheses menus. Given the document, the matrix view and what
    the window offers (select a cell, open an editor, a status line), not the window."""

    def __init__(
        self,
        parent: QWidget,
        document: Document,
        view: MatrixView,
        select_cell: Callable[[int, int], None],
        edit_evidence: Callable[[int], None],
        edit_hypothesis: Callable[[int], None],
        status: StatusMessage,
    ):
        self.parent = parent
        self.document = document
        self.view = view
        self.select_cell = select_cell
        self.edit_evidence = edit_evidence
        self.edit_hypothesis = edit_hypothesis
        self.status = status

    def _selected_rows(self) -> list[int]:
        model = self.view.matrix
        rows = {model.project_row(i.row()) for i in self.view.selectionModel().selectedIndexes()}
        current = self.view.current_project_row()
        return sorted(rows) if rows else ([current] if current >= 0 else [])

    def add_evidence(self) -> None:
        with reporting(self.parent):
            edit = actions.new_evidence_edit(self.document.project, self.view.current_project_row())
            self.document.do(edit)
            self.select_cell(edit.index, max(self.view.current_hypothesis(), 0))
            self.edit_evidence(edit.index)

    def duplicate_evidence(self) -> None:
        row = self.view.current_project_row()
        if row < 0:
            return
        with reporting(self.parent):
            edit = actions.duplicate_evidence_edit(self.document.project, row)
            self.document.do(edit)
            self.select_cell(edit.index, max(self.view.current_hypothesis(), 0))

    def delete_evidence(self) -> None:
        rows = self._selected_rows()
        if not rows:
            return
        column = self.view.current_hypothesis()
        text, detail = evidence_removal(self.document.project, rows)
        if not confirm(self.parent, "Delete evidence", text, detail, accept="Delete"):
            return
        with reporting(self.parent):
            self.document.do(actions.delete_evidence_edit(self.document.project, rows))
            remaining = len(self.document.project.evidence)
            if remaining:
                self.select_cell(min(rows[0], remaining - 1), column)

    def toggle_evidence(self) -> None:
        rows = self._selected_rows()
        if not rows:
            return
        project = self.document.project
        with reporting(self.parent):
            evidence = project.evidence[rows[0]]
            self.document.do(UpdateEvidence(evidence.id, {"active": not evidence.active}))

    def add_hypothesis(self) -> None:
        with reporting(self.parent):
            edit = actions.new_hypothesis_edit(
                self.document.project, self.view.current_hypothesis()
            )
            self.document.do(edit)
            self.select_cell(max(self.view.current_project_row(), 0), edit.index)
            self.edit_hypothesis(edit.index)

    def duplicate_hypothesis(self) -> None:
        column = self.view.current_hypothesis()
        if column < 0:
            return
        with reporting(self.parent):
            self.document.do(actions.duplicate_hypothesis_edit(self.document.project, column))

    def delete_hypothesis(self) -> None:
        column = self.view.current_hypothesis()
        project = self.document.project
        if column < 0 or column >= len(project.hypotheses):
            return
        text, detail = hypothesis_removal(project, column)
        if not confirm(self.parent, "Delete hypothesis", text, detail, accept="Delete"):
            return
        with reporting(self.parent):
            self.document.do(RemoveHypothesis(project.hypotheses[column].id))

    def sort_hypotheses(self) -> None:
        with reporting(self.parent):
            edit = actions.sort_by_rank_edit(self.document.project, self.document.scores)
            if edit is None:
                self.status("The hypotheses are already in rank order.", 4000)
                return
            self.document.do(edit)

    def move_evidence(self, step: int) -> None:
        """Move the current item up (-1) or down (+1) in matrix order; it stays selected."""
        row = self.view.current_project_row()
        target = row + step
        if row < 0 or not 0 <= target < len(self.document.project.evidence):
            return
        column = self.view.current_hypothesis()
        with reporting(self.parent):
            self.document.do(MoveEvidence(self.document.project.evidence[row].id, target))
            self.select_cell(target, column)

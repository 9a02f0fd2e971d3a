"""Evidence and hypothesis actions of the window: add, duplicate, delete,
exclude, sort by rank. core/actions builds each edit and this hands it to
the Document; the window then shows the result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.core import actions
from workbench.core.edits import MoveEvidence, RemoveHypothesis, UpdateEvidence
from workbench.ui.dialogs import reporting

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow


class StructureActions:
    def __init__(self, window: MainWindow):
        self.window = window
        self.document = window.document
        self.view = window.view

    def _selected_rows(self) -> list[int]:
        model = self.view.matrix
        rows = {model.project_row(i.row()) for i in self.view.selectionModel().selectedIndexes()}
        current = self.view.current_project_row()
        return sorted(rows) if rows else ([current] if current >= 0 else [])

    def add_evidence(self) -> None:
        with reporting(self.window):
            edit = actions.new_evidence_edit(self.document.project, self.view.current_project_row())
            self.document.do(edit)
            self.window.select_cell(edit.index, max(self.view.current_hypothesis(), 0))
            self.window._edit_evidence_row(edit.index)
            self.window.evidence_panel.title.selectAll()

    def duplicate_evidence(self) -> None:
        row = self.view.current_project_row()
        if row < 0:
            return
        with reporting(self.window):
            edit = actions.duplicate_evidence_edit(self.document.project, row)
            self.document.do(edit)
            self.window.select_cell(edit.index, max(self.view.current_hypothesis(), 0))

    def delete_evidence(self) -> None:
        rows = self._selected_rows()
        if not rows:
            return
        column = self.view.current_hypothesis()
        with reporting(self.window):
            self.document.do(actions.delete_evidence_edit(self.document.project, rows))
            remaining = len(self.document.project.evidence)
            if remaining:
                self.window.select_cell(min(rows[0], remaining - 1), column)

    def toggle_evidence(self) -> None:
        rows = self._selected_rows()
        if not rows:
            return
        project = self.document.project
        with reporting(self.window):
            evidence = project.evidence[rows[0]]
            self.document.do(UpdateEvidence(evidence.id, {"active": not evidence.active}))

    def add_hypothesis(self) -> None:
        with reporting(self.window):
            edit = actions.new_hypothesis_edit(
                self.document.project, self.view.current_hypothesis()
            )
            self.document.do(edit)
            self.window.select_cell(max(self.view.current_project_row(), 0), edit.index)
            self.window._edit_hypothesis(edit.index)
            self.window.hypothesis_panel.title.selectAll()

    def duplicate_hypothesis(self) -> None:
        column = self.view.current_hypothesis()
        if column < 0:
            return
        with reporting(self.window):
            self.document.do(actions.duplicate_hypothesis_edit(self.document.project, column))

    def delete_hypothesis(self) -> None:
        column = self.view.current_hypothesis()
        project = self.document.project
        if column < 0 or column >= len(project.hypotheses):
            return
        with reporting(self.window):
            self.document.do(RemoveHypothesis(project.hypotheses[column].id))

    def sort_hypotheses(self) -> None:
        with reporting(self.window):
            edit = actions.sort_by_rank_edit(self.document.project, self.document.scores)
            if edit is None:
                self.window.statusBar().showMessage(
                    "The hypotheses are already in rank order.", 4000
                )
                return
            self.document.do(edit)

    def move_evidence(self, step: int) -> None:
        """Move the current item up (-1) or down (+1) in matrix order; it stays selected."""
        row = self.view.current_project_row()
        target = row + step
        if row < 0 or not 0 <= target < len(self.document.project.evidence):
            return
        column = self.view.current_hypothesis()
        with reporting(self.window):
            self.document.do(MoveEvidence(self.document.project.evidence[row].id, target))
            self.window.select_cell(target, column)

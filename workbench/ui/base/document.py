"""The open project as the window sees it: file, undo stack, layer and scores.

Every change goes through :meth:`Document.do`, which applies the edit to the
project file (durable at once) and pushes a ``QUndoCommand`` that remembers
the inverse. Views never touch the project directly; they listen to the
signals here and read the cached arrays (``codes``, ``scores``), so a
5,000-row matrix is repainted from numpy without recomputing anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from workbench.core import actions
from workbench.core.analysis import CONSENSUS, LayerKey
from workbench.core.consensus import project_consensus, project_consensus_rows
from workbench.core.edits import Edit
from workbench.core.errors import WorkbenchError
from workbench.core.model import Project
from workbench.core.ratings import Rating
from workbench.core.scoring import MatrixScores, ScoreTracker, score

if TYPE_CHECKING:
    from workbench.core.storage import ProjectStore

#: QUndoCommand.id() of a rating edit that a second key press may upgrade (c -> cc).
_RATING_COMMAND_ID = 7001


class ReadOnlyProject(WorkbenchError):
    """The project was opened read-only; edits are refused before they start."""


def _same_ratings(inverse: Edit, edit: Edit) -> bool:
    """True when the step ends where it began (c, c on a CC cell): drop it."""
    return inverse.change().ratings == edit.change().ratings


class EditCommand(QUndoCommand):
    """One undo step. The edit is applied by :meth:`Document.do` before the push,
    so a failing edit never reaches the stack; the first ``redo`` is a no-op."""

    def __init__(self, document: Document, edit: Edit, inverse: Edit, text: str, merge: bool):
        super().__init__(text)
        self._document = document
        self.edit = edit
        self.inverse = inverse
        self._merge = merge
        self._applied = True

    def id(self) -> int:  # noqa: A003 - Qt's name
        return _RATING_COMMAND_ID if self.edit.change().cells is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        """Fold a second key press (c then c) into the first: one undo step."""
        if not isinstance(other, EditCommand) or not other._merge:
            return False
        mine = self.edit.change().cells
        if mine is None or mine != other.edit.change().cells:
            return False
        self.edit = other.edit
        before, after = self.text(), other.text()
        if " -> " in before and " -> " in after:
            self.setText(before.split(" -> ")[0] + " -> " + after.split(" -> ")[-1])
        else:
            self.setText(after)
        self.setObsolete(_same_ratings(self.inverse, other.edit))
        return True

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self.inverse = self._document._apply(self.edit)

    def undo(self) -> None:
        self._document._apply(self.inverse)


class Document(QObject):
    """The open project. Owns the ProjectStore; closes it when replaced."""

    cellsChanged = Signal(int, int)  # noqa: N815 - Qt signal naming
    structureChanged = Signal()  # noqa: N815
    scoresChanged = Signal()  # noqa: N815
    projectReplaced = Signal()  # noqa: N815
    detailsChanged = Signal()  # noqa: N815
    layerChanged = Signal()  # noqa: N815
    #: A failure while undoing or redoing (the stack is cleared: see _apply).
    errorOccurred = Signal(str)  # noqa: N815

    def __init__(self, project_file: ProjectStore | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self._file: ProjectStore | None = None
        self._layer: LayerKey = CONSENSUS
        self._analyst_id: int | None = None
        self.codes = np.zeros((0, 0), dtype=np.int8)
        self.scores: MatrixScores = score(self.codes, np.zeros(0), np.zeros(0, dtype=bool))
        self.weights = np.zeros(0)
        self.active = np.zeros(0, dtype=bool)
        self._tracker: ScoreTracker | None = None
        #: The team consensus, kept current row by row once computed, so showing
        #: it again costs no recount of every layer; None until needed.
        self._team: np.ndarray | None = None
        if project_file is not None:
            self.replace(project_file)

    # -- the file -------------------------------------------------------------

    @property
    def file(self) -> ProjectStore | None:
        return self._file

    @property
    def project(self) -> Project:
        if self._file is None:
            raise RuntimeError("no project is open")
        return self._file.project

    @property
    def is_open(self) -> bool:
        return self._file is not None

    @property
    def read_only(self) -> bool:
        return bool(self._file is not None and self._file.read_only)

    def replace(self, project_file: ProjectStore) -> None:
        """Show another project; the previous file is closed and its history dropped."""
        old = self._file
        self._file = project_file
        self.undo_stack.clear()
        if old is not None and old is not project_file:
            old.close()
        project = project_file.project
        ids = [a.id for a in project.analysts]
        saved = project_file.get_setting("current_analyst", None)
        try:
            saved_id = int(saved) if saved is not None else None
        except (TypeError, ValueError):
            saved_id = None
        self._analyst_id = saved_id if saved_id in ids else (ids[0] if ids else None)
        self._layer = CONSENSUS
        self._refresh()
        self.projectReplaced.emit()
        self.scoresChanged.emit()
        if not project_file.read_only and hasattr(project_file, "prepare_editing"):
            # A file opens without its editing engine (SQLAlchemy takes a third of a
            # second to import): make it once the project is on screen, so the
            # first key press does not wait for it.
            QTimer.singleShot(0, self, lambda: self._prepare_editing(project_file))

    def _prepare_editing(self, project_file: ProjectStore) -> None:
        if self._file is not project_file:
            return  # closed or replaced meanwhile
        try:
            project_file.prepare_editing()  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - the first edit will say what is wrong
            return

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        self.undo_stack.clear()

    # -- layer and analyst ----------------------------------------------------

    @property
    def layer(self) -> LayerKey:
        return self._layer

    def set_layer(self, layer: LayerKey) -> None:
        if layer != CONSENSUS:
            layer = int(layer)
            self.project.layer(layer)  # raises for an unknown analyst
            self._analyst_id = layer
        if layer == self._layer:
            return
        self._layer = layer
        # Only the codes on show change: weights, exclusions and the team layer stand.
        self._refresh(evidence_changed=False, keep_team=True)
        # Rows and columns stay as they are: the views showing ratings follow
        # layerChanged, and nothing rebuilds what a structure change would.
        self.layerChanged.emit()
        self.scoresChanged.emit()

    @property
    def analyst_id(self) -> int | None:
        return self._analyst_id

    def set_analyst(self, analyst_id: int) -> None:
        self.project.layer(analyst_id)
        self._analyst_id = analyst_id
        if self._file is not None and not self._file.read_only:
            self._file.set_setting("current_analyst", str(analyst_id))
        if self._layer != CONSENSUS:
            self.set_layer(analyst_id)

    @property
    def seat(self) -> actions.Seat:
        """The layer on show and who is rating: what core/actions needs to decide."""
        return actions.Seat(self._layer, self._analyst_id)

    def rating_edit(self, row: int, column: int, rating: Rating) -> Edit:
        """The edit that sets one visible cell to ``rating`` (core/actions decides whose)."""
        return actions.rating_edit(self.project, self.seat, row, column, rating)

    def editing_analyst(self) -> int | None:
        """Whose ratings and rationales a cell edit changes (None: the team override)."""
        return self.seat.editing_analyst(self.project)

    def rationale(self, row: int, column: int) -> str:
        return actions.rationale(self.project, self.seat, row, column)

    # -- editing ----------------------------------------------------------------

    def do(self, edit: Edit, merge: bool = False) -> None:
        """Apply ``edit`` (durably) and push it on the undo stack.

        ``merge=True`` lets a rating fold into the previous rating of the same
        cell as one undo step (the second key of ``cc``). Raises
        WorkbenchError when the edit is refused; nothing changes then.
        """
        if self._file is None:
            raise WorkbenchError("No project is open.")
        if self._file.read_only:
            raise ReadOnlyProject(
                f"{self._file.path} is open read-only: open it again without read-only to edit."
            )
        text = edit.label(self.project)
        inverse = self._apply(edit, raise_errors=True)
        if not merge and edit.change().cells is not None and _same_ratings(inverse, edit):
            return  # the cells already said so (a slow second "c"): no undo step
        self.undo_stack.push(EditCommand(self, edit, inverse, text, merge))

    def _apply(self, edit: Edit, raise_errors: bool = False) -> Edit:
        assert self._file is not None
        try:
            inverse = self._file.apply(edit, analyst_id=self._analyst_id)
        except Exception as error:
            if raise_errors:
                raise
            # Undo/redo run inside Qt; the file refused a step, so the history no
            # longer matches the project. Clearing it is the honest recovery.
            QTimer.singleShot(0, self.undo_stack.clear)
            self.errorOccurred.emit(str(error) or type(error).__name__)
            return edit
        change = edit.change()
        if change.ratings is not None and not (change.structure or change.details):
            # A key press: only its rows' codes (their consensus) and the score deltas.
            self._refresh_rows(change.evidence_ids)
        else:
            self._refresh(evidence_changed=change.structure or change.details)
        if change.structure:
            self.structureChanged.emit()
        elif change.evidence_ids:
            rows = [self.project.evidence_index(e) for e in change.evidence_ids]
            self.cellsChanged.emit(min(rows), max(rows))
        if change.details:
            self.detailsChanged.emit()
        self.scoresChanged.emit()
        return inverse

    # -- derived arrays -----------------------------------------------------------

    def _refresh(self, evidence_changed: bool = True, keep_team: bool = False) -> None:
        project = self.project
        shape = (len(project.evidence), len(project.hypotheses))
        if not keep_team or (self._team is not None and self._team.shape != shape):
            self._team = None
        if self._layer == CONSENSUS:
            if self._team is None:
                self._team = project_consensus(project)
            # Shared: a key press updates its rows in place, for the view and the cache.
            self.codes = self._team
        else:
            self.codes = project.layer(int(self._layer))
        if evidence_changed or self.weights.shape[0] != self.codes.shape[0]:
            self.weights = project.weights()
            self.active = project.active_mask()
        self._tracker = ScoreTracker(
            self.codes, self.weights, self.active, project.priors(), project.likelihoods
        )
        self.scores = self._tracker.scores()

    def _refresh_rows(self, evidence_ids: frozenset[int]) -> None:
        """Recompute what a rating change touches: its rows of the layer on show
        and the scores' deltas (weights, exclusions and priors are as they were)."""
        project = self.project
        if self._tracker is None or self.codes.shape != (
            len(project.evidence),
            len(project.hypotheses),
        ):
            self._refresh()
            return
        rows = np.array(sorted(project.evidence_index(e) for e in evidence_ids), dtype=np.intp)
        if self._team is not None and self._team.shape == self.codes.shape:
            self._team[rows] = project_consensus_rows(project, rows)
        else:
            self._team = None
        if self._layer != CONSENSUS:
            self.codes = project.layer(int(self._layer))
        self.scores = self._tracker.update_rows(rows, self.codes[rows])

    def follow_remote(self, reloaded: bool) -> None:
        """Show what others committed (a team server): re-read cells, or a reloaded project."""
        if self._file is None:
            return
        if reloaded:
            ids = {a.id for a in self.project.analysts}
            if self._layer != CONSENSUS and self._layer not in ids:
                self._layer = CONSENSUS
            if self._analyst_id not in ids:
                self._analyst_id = next(iter(sorted(ids)), None)
            self.rescore()
            return
        self._refresh(evidence_changed=False)
        rows = len(self.project.evidence)
        if rows:
            self.cellsChanged.emit(0, rows - 1)
        self.scoresChanged.emit()

    def rescore(self) -> None:
        """Recompute after a change made outside :meth:`do` (an import into a new file)."""
        self._refresh()
        self.structureChanged.emit()
        self.scoresChanged.emit()

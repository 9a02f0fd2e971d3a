"""The open project as the window sees it: file, undo stack, layer and scores.

Every change goes through :meth:`Document.do`, which applies the edit to the
project file (durable at once) and pushes a ``QUndoCommand`` that remembers
the inverse. Views never touch the project directly; they listen to the
signals here and read the cached arrays (``codes``, ``scores``), so a
5,000-row matrix is repainted from numpy without recomputing anything.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from workbench.core.analysis import CONSENSUS, LayerKey, layer_codes
from workbench.core.edits import (
    AddEvidence,
    AddHypothesis,
    AddSource,
    Batch,
    Edit,
    MoveEvidence,
    MoveHypothesis,
    RemoveEvidence,
    RemoveHypothesis,
    RemoveSource,
    SetOverride,
    SetRating,
    UpdateEvidence,
    UpdateProject,
    UpdateSource,
)
from workbench.core.errors import WorkbenchError
from workbench.core.model import Project
from workbench.core.ratings import Rating
from workbench.core.scoring import MatrixScores, score

if TYPE_CHECKING:
    from workbench.store import ProjectFile

#: QUndoCommand.id() of a rating edit that a second key press may upgrade (c -> cc).
_RATING_COMMAND_ID = 7001

_STRUCTURAL = (
    AddEvidence,
    RemoveEvidence,
    MoveEvidence,
    AddHypothesis,
    RemoveHypothesis,
    MoveHypothesis,
)


class ReadOnlyProject(WorkbenchError):
    """The project was opened read-only; edits are refused before they start."""


@dataclasses.dataclass
class _Impact:
    """What an edit touched, so the views refresh no more than they must."""

    first_row: int | None = None
    last_row: int | None = None
    structure: bool = False
    details: bool = False

    def add_row(self, row: int) -> None:
        self.first_row = row if self.first_row is None else min(self.first_row, row)
        self.last_row = row if self.last_row is None else max(self.last_row, row)


def _impact(edit: Edit, project: Project, out: _Impact) -> None:
    """Classify an edit that has just been applied to ``project``."""
    if isinstance(edit, Batch):
        for part in edit.edits:
            _impact(part, project, out)
    elif isinstance(edit, (SetRating, SetOverride)):
        out.add_row(project.evidence_index(edit.evidence_id))
    elif isinstance(edit, UpdateEvidence):
        # Every evidence field is shown in the row (code, title, weights, tags).
        out.details = True
        out.add_row(project.evidence_index(edit.evidence_id))
    elif isinstance(edit, _STRUCTURAL):
        out.structure = True
    else:
        # Hypothesis titles/priors, sources, project fields, milestones, analysts.
        out.details = True
        if isinstance(edit, (AddSource, RemoveSource, UpdateSource, UpdateProject)):
            return
        out.structure = out.structure or _changes_columns(edit)


def _changes_columns(edit: Edit) -> bool:
    # Analyst changes alter the consensus layer; hypothesis edits change headers
    # and (with priors) posteriors. Both are cheap to treat as a header refresh.
    return type(edit).__name__ in ("AddAnalyst", "RemoveAnalyst")


def _cell_keys(edit: Edit) -> frozenset | None:
    """The cells a rating edit sets, or None for any other kind of edit."""
    if isinstance(edit, SetRating):
        return frozenset({(edit.analyst_id, edit.evidence_id, edit.hypothesis_id)})
    if isinstance(edit, SetOverride):
        return frozenset({(None, edit.evidence_id, edit.hypothesis_id)})
    if isinstance(edit, Batch):
        keys: set = set()
        for part in edit.edits:
            part_keys = _cell_keys(part)
            if part_keys is None:
                return None
            keys |= part_keys
        return frozenset(keys)
    return None


def _ratings_of(edit: Edit) -> dict:
    if isinstance(edit, SetRating):
        key = (edit.analyst_id, edit.evidence_id, edit.hypothesis_id)
        return {key: (edit.rating, edit.rationale)}
    if isinstance(edit, SetOverride):
        return {(None, edit.evidence_id, edit.hypothesis_id): edit.override}
    if isinstance(edit, Batch):
        out: dict = {}
        for part in edit.edits:
            out.update(_ratings_of(part))
        return out
    return {}


def _same_ratings(inverse: Edit, edit: Edit) -> bool:
    """True when the merged step ends where it began (c, c on a CC cell): drop it."""
    return _ratings_of(inverse) == _ratings_of(edit)


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
        return _RATING_COMMAND_ID if _cell_keys(self.edit) is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        """Fold a second key press (c then c) into the first: one undo step."""
        if not isinstance(other, EditCommand) or not other._merge:
            return False
        mine = _cell_keys(self.edit)
        if mine is None or mine != _cell_keys(other.edit):
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
    """The open project. Owns the ProjectFile; closes it when replaced."""

    cellsChanged = Signal(int, int)  # noqa: N815 - Qt signal naming
    structureChanged = Signal()  # noqa: N815
    scoresChanged = Signal()  # noqa: N815
    projectReplaced = Signal()  # noqa: N815
    detailsChanged = Signal()  # noqa: N815
    layerChanged = Signal()  # noqa: N815
    #: A failure while undoing or redoing (the stack is cleared: see _apply).
    errorOccurred = Signal(str)  # noqa: N815

    def __init__(self, project_file: ProjectFile | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self._file: ProjectFile | None = None
        self._layer: LayerKey = CONSENSUS
        self._analyst_id: int | None = None
        self.codes = np.zeros((0, 0), dtype=np.int8)
        self.scores: MatrixScores = score(self.codes, np.zeros(0), np.zeros(0, dtype=bool))
        self.weights = np.zeros(0)
        self.active = np.zeros(0, dtype=bool)
        if project_file is not None:
            self.replace(project_file)

    # -- the file -------------------------------------------------------------

    @property
    def file(self) -> ProjectFile | None:
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

    def replace(self, project_file: ProjectFile) -> None:
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
        self._refresh()
        self.layerChanged.emit()
        self.structureChanged.emit()
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

    def rating_edit(self, row: int, column: int, rating: Rating) -> Edit:
        """The edit that sets one visible cell to ``rating``.

        On an analyst's layer that analyst's rating changes. On the consensus
        layer with one analyst it is that analyst's rating (the two are the
        same); with a team it is the facilitator's override, because changing
        one analyst's vote would not show as the typed value.
        """
        project = self.project
        evidence_id = project.evidence[row].id
        hypothesis_id = project.hypotheses[column].id
        if self._layer == CONSENSUS and len(project.analysts) > 1:
            from workbench.core.model import ConsensusOverride

            key = (evidence_id, hypothesis_id)
            note = project.overrides.get(key).note if key in project.overrides else ""
            return SetOverride(evidence_id, hypothesis_id, ConsensusOverride(rating, note))
        analyst = self._layer if self._layer != CONSENSUS else self._analyst_id
        if analyst is None:
            raise WorkbenchError("Add an analyst before rating: this project has none.")
        return SetRating(int(analyst), evidence_id, hypothesis_id, rating)

    def editing_analyst(self) -> int | None:
        """Whose ratings and rationales a cell edit changes (None: the team override)."""
        if self._layer != CONSENSUS:
            return int(self._layer)
        if len(self.project.analysts) > 1:
            return None
        return self._analyst_id

    def rationale(self, row: int, column: int) -> str:
        project = self.project
        evidence_id = project.evidence[row].id
        hypothesis_id = project.hypotheses[column].id
        analyst = self.editing_analyst()
        if analyst is None:
            override = project.overrides.get((evidence_id, hypothesis_id))
            return override.note if override else ""
        return project.rationale(analyst, evidence_id, hypothesis_id)

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
        impact = _Impact()
        _impact(edit, self.project, impact)
        # Ratings alone leave weights and exclusions as they were: no Python loop over
        # 10,000 evidence items on every key press.
        self._refresh(evidence_changed=impact.structure or impact.details)
        if impact.structure:
            self.structureChanged.emit()
        elif impact.first_row is not None and impact.last_row is not None:
            self.cellsChanged.emit(impact.first_row, impact.last_row)
        if impact.details:
            self.detailsChanged.emit()
        self.scoresChanged.emit()
        return inverse

    # -- derived arrays -----------------------------------------------------------

    def _refresh(self, evidence_changed: bool = True) -> None:
        project = self.project
        self.codes = layer_codes(project, self._layer)
        if evidence_changed or self.weights.shape[0] != self.codes.shape[0]:
            self.weights = project.weights()
            self.active = project.active_mask()
        self.scores = score(
            self.codes, self.weights, self.active, project.priors(), project.likelihoods
        )

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

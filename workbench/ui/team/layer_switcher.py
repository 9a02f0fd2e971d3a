"""Whose ratings the window shows, and the facilitator's hand-set consensus.

The combo offers *my ratings* (the current analyst), every other analyst's
layer, and the *team consensus*. Everything that reads ``Document.codes`` and
``Document.scores`` (matrix, scores, charts, sensitivity, exports) follows the
choice, because the Document recomputes both for the layer shown.

The facilitator can set a cell's consensus by hand with a note
(:class:`~workbench.core.edits.SetOverride`); it overrides the computed
consensus until cleared, and the dialog shows every analyst's rating and
reason so the decision is taken with the arguments in view.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.analysis import CONSENSUS
from workbench.core.edits import SetOverride
from workbench.core.model import ConsensusOverride
from workbench.core.ratings import RATING_SCALE, Rating
from workbench.core.team import analyse_team
from workbench.ui.base.dialogs import reporting
from workbench.ui.base.document import Document
from workbench.ui.team.team_actions import collect_sheets, write_sheets

#: Item data of the "my ratings" entry: the current analyst, whoever that is.
MINE = "mine"
_CHOICES = RATING_SCALE.choices

CellGetter = Callable[[], "tuple[int, int] | None"]


class OverrideDialog(QDialog):
    """Set (or clear) the team's rating of one cell by hand, with a note saying why."""

    def __init__(self, document: Document, row: int, column: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("overrideDialog")
        self.document = document
        self.row, self.column = row, column
        project = document.project
        cell = analyse_team(project).cell(row, column)
        evidence, hypothesis = project.evidence[row], project.hypotheses[column]
        self.setWindowTitle(f"Consensus of {evidence.code} x {hypothesis.code}")
        layout = QVBoxLayout(self)
        heading = QLabel(
            f"<b>{evidence.code}</b> {_escape(evidence.title)}<br>"
            f"against <b>{hypothesis.code}</b> {_escape(hypothesis.title)}",
            self,
        )
        heading.setWordWrap(True)
        layout.addWidget(heading)
        votes = "".join(
            f"<tr><td><b>{_escape(r.name)}</b></td><td>{r.rating.code or '—'}</td>"
            f"<td>{_escape(r.rationale) or '<i>no reason given</i>'}</td></tr>"
            for r in cell.ratings
        )
        table = QLabel(f"<table cellspacing=6>{votes}</table>", self)
        table.setWordWrap(True)
        table.setObjectName("overrideVotes")
        layout.addWidget(table)
        form = QFormLayout()
        computed = cell.computed.code or "blank"
        form.addRow("Computed consensus:", QLabel(f"{computed} (spread {cell.spread:.2f})", self))
        self.rating_box = QComboBox(self)
        self.rating_box.setObjectName("overrideRating")
        self.rating_box.addItem(f"Use the computed consensus ({computed})", None)
        for rating in _CHOICES:
            self.rating_box.addItem(f"{rating.code}  {rating.label}", int(rating))
        if cell.override is not None:
            self.rating_box.setCurrentIndex(self.rating_box.findData(int(cell.override.rating)))
        form.addRow("Team rating:", self.rating_box)
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("overrideNote")
        self.note.setPlaceholderText("Why the team settled on this rating")
        self.note.setPlainText(cell.override.note if cell.override else "")
        self.note.setFixedHeight(90)
        form.addRow("Note:", self.note)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def edit(self) -> SetOverride:
        project = self.document.project
        evidence_id = project.evidence[self.row].id
        hypothesis_id = project.hypotheses[self.column].id
        value = self.rating_box.currentData()
        if value is None:
            return SetOverride(evidence_id, hypothesis_id, None)
        note = self.note.toPlainText().strip()
        return SetOverride(evidence_id, hypothesis_id, ConsensusOverride(Rating(value), note))

    def accept(self) -> None:
        with reporting(self):
            self.document.do(self.edit())
            # The override lives in the consensus layer: show it, or the facilitator
            # would see nothing happen while an analyst's ratings are on screen.
            if self.document.layer != CONSENSUS:
                self.document.set_layer(CONSENSUS)
            super().accept()


def set_consensus_by_hand(
    parent: QWidget | None, document: Document, row: int, column: int
) -> OverrideDialog:
    """Open the override dialog (non-blocking, so tests and the workshop can drive it)."""
    dialog = OverrideDialog(document, row, column, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class LayerSwitcher(QWidget):
    """The ratings-shown combo and the Team menu (set consensus, who am I)."""

    overrideRequested = Signal(int, int)  # noqa: N815 - Qt signal naming

    def __init__(self, document: Document, current_cell: CellGetter, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("layerSwitcher")
        self.document = document
        self._current_cell = current_cell
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Ratings shown:", self))
        self.combo = QComboBox(self)
        self.combo.setObjectName("layerCombo")
        self.combo.setMinimumWidth(220)
        self.combo.setToolTip(
            "Whose ratings the matrix, the scores and the exports use: yours, another "
            "analyst's, or the team consensus (the mean of everyone's ratings, spec 5)."
        )
        self.combo.activated.connect(self._chosen)
        layout.addWidget(self.combo)

        self.override_action = QAction("Set Consensus by &Hand…", self)
        self.override_action.setObjectName("actionSetConsensus")
        self.override_action.setToolTip(
            "Decide the team's rating of the selected cell yourself, with a note; "
            "it replaces the computed consensus and is marked in the matrix."
        )
        self.override_action.triggered.connect(self.request_override)
        self.whoami_menu = QMenu("I Am…", self)
        self.whoami_menu.setObjectName("whoAmIMenu")
        self.menu = QMenu("&Team", self)
        self.menu.setObjectName("teamMenu")
        self.menu.addAction(self.override_action)
        self.menu.addMenu(self.whoami_menu)
        self.menu.addSeparator()
        self.write_action = self.menu.addAction("&Write Rating Sheets…")
        self.write_action.setObjectName("actionWriteSheets")
        self.write_action.triggered.connect(lambda: write_sheets(self.window(), self.document))
        self.collect_action = self.menu.addAction("&Collect Rating Sheets…")
        self.collect_action.setObjectName("actionCollectSheets")
        self.collect_action.triggered.connect(lambda: collect_sheets(self.window(), self.document))
        button = QToolButton(self)
        button.setObjectName("teamButton")
        button.setText("Team")
        button.setMenu(self.menu)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        layout.addWidget(button)

        for signal in (
            document.projectReplaced,
            document.layerChanged,
            document.detailsChanged,
            document.structureChanged,
        ):
            signal.connect(self.refresh)
        self.refresh()

    # -- the choices ------------------------------------------------------------------

    def refresh(self) -> None:
        combo = self.combo
        combo.blockSignals(True)
        combo.clear()
        self.whoami_menu.clear()
        document = self.document
        if document.is_open:
            analysts = document.project.analysts
            me = document.analyst_id
            mine = next((a for a in analysts if a.id == me), None)
            if mine is not None:
                combo.addItem(f"My ratings ({mine.name})", MINE)
            for analyst in analysts:
                if analyst is not mine:
                    combo.addItem(analyst.name, analyst.id)
            if len(analysts) != 1:
                combo.addItem("Team consensus", CONSENSUS)
            combo.setCurrentIndex(max(0, combo.findData(self._shown_key())))
            for analyst in analysts:
                act = self.whoami_menu.addAction(analyst.name)
                act.setCheckable(True)
                act.setChecked(analyst.id == me)
                act.triggered.connect(lambda _=False, a=analyst.id: self._become(a))
        combo.setEnabled(combo.count() > 1)
        combo.blockSignals(False)
        self.override_action.setEnabled(self.can_override())
        self.write_action.setEnabled(document.is_open)
        self.collect_action.setEnabled(document.is_open and not document.read_only)

    def _shown_key(self) -> object:
        document = self.document
        layer = document.layer
        if layer == CONSENSUS:
            # With one analyst the consensus is their layer: show it as "my ratings".
            return CONSENSUS if len(document.project.analysts) != 1 else MINE
        return MINE if layer == document.analyst_id else layer

    def can_override(self) -> bool:
        document = self.document
        return (
            document.is_open
            and not document.read_only
            and len(document.project.analysts) > 1
            and bool(document.project.hypotheses)
            and bool(document.project.evidence)
        )

    def choose(self, key: object) -> None:
        """Show a layer: ``MINE``, an analyst id or ``CONSENSUS``."""
        with reporting(self):
            if key == MINE:
                me = self.document.analyst_id
                if me is None:
                    return
                key = me
            self.document.set_layer(key)
        self.refresh()

    def _chosen(self, index: int) -> None:
        self.choose(self.combo.itemData(index))

    def _become(self, analyst_id: int) -> None:
        with reporting(self):
            self.document.set_analyst(analyst_id)
        self.refresh()

    def request_override(self) -> None:
        cell = self._current_cell()
        if cell is None or not self.can_override():
            return
        self.overrideRequested.emit(*cell)
        set_consensus_by_hand(self.window(), self.document, *cell)

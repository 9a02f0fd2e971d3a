"""Workshop mode: the facilitator's projector screen for rating as a group.

One evidence item at a time, in type big enough to read from the back of a
room, with the hypotheses across and every participant's vote underneath.
The facilitator types the votes as they are called out:

    1..9 / Tab / Up, Down   choose the participant (row)
    [ ]  or Home            choose the hypothesis (column)
    c n i a (Del = blank)   vote, then move to the next hypothesis;
                            the same key again at once makes it strong (c c = CC, i i = II)
    Left/Right, PgUp/PgDn   previous / next evidence item
    R                       reveal or hide the scores (hidden to avoid anchoring)
    T                       start / stop the discussion timer (3 minutes)
    P                       add a participant
    O                       take in filled rating sheets (one undo step)
    Esc                     back to the normal window

Every vote is an ordinary edit through ``Document.do``: undoable, saved at
once, and the same as typing in that analyst's layer. Votes already in the
layers, including collected rating sheets, show as they are.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from workbench.core import actions
from workbench.core import palette as colours
from workbench.core.analysis import CONSENSUS, layer_codes, score_project
from workbench.core.edits import AddAnalyst
from workbench.core.model import Analyst
from workbench.core.names import analyst_name
from workbench.core.ratings import RATING_SCALE, Rating
from workbench.core.steps import HEUER_STEPS, current_step
from workbench.ui.dialogs import reporting
from workbench.ui.document import Document
from workbench.ui.palette import RATING_FILL, RATING_TEXT
from workbench.ui.team_actions import collect_sheets

#: Seconds on the discussion timer.
TIMER_SECONDS = 180
#: A second press of the same key within this time strengthens the vote (c c = CC).
STRENGTHEN_WINDOW = 1.0
#: Type size relative to the desktop's: about twice, for a projector across a room.
SCALE = 2.0

#: Keys that clear a vote; the rating keys come from the scale.
_CLEAR_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)

_BACKGROUND = colours.WORKSHOP_BACKGROUND
_PANEL = colours.WORKSHOP_PANEL
_TEXT = colours.WORKSHOP_TEXT
_MUTED = colours.WORKSHOP_MUTED
_ACCENT = colours.WORKSHOP_ACCENT


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class WorkshopWindow(QWidget):
    """Full-screen group rating, driven from the keyboard."""

    closed = Signal()

    def __init__(self, document: Document, start_row: int = 0, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("workshopWindow")
        self.setWindowTitle("Workshop — ACH Workbench")
        self.document = document
        self.row = start_row
        self.participant = 0
        self.column = 0
        self.revealed = False
        self.remaining = TIMER_SECONDS
        self._last_vote: tuple[int, int, int, Rating, float] | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)

        base = QFont(self.font())
        base.setPointSizeF(max(base.pointSizeF(), 10.0) * SCALE)
        self.setFont(base)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setStyleSheet(
            f"#workshopWindow {{ background: {_BACKGROUND}; }}"
            f"QLabel {{ color: {_TEXT}; }}"
            f"QFrame#card {{ background: {_PANEL}; border-radius: 12px; }}"
        )

        self.steps = QLabel(self)
        self.steps.setObjectName("workshopSteps")
        self.steps.setTextFormat(Qt.TextFormat.RichText)
        self.timer_label = QLabel(self)
        self.timer_label.setObjectName("workshopTimer")
        self.timer_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top = QHBoxLayout()
        top.addWidget(self.steps, 1)
        top.addWidget(self.timer_label)

        card = QFrame(self)
        card.setObjectName("card")
        self.position = QLabel(card)
        self.position.setObjectName("workshopPosition")
        self.title = QLabel(card)
        self.title.setObjectName("workshopEvidence")
        self.title.setWordWrap(True)
        self.details = QLabel(card)
        self.details.setObjectName("workshopDetails")
        self.details.setWordWrap(True)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(28, 18, 28, 18)
        for label in (self.position, self.title, self.details):
            card_layout.addWidget(label)

        self.grid_host = QWidget(self)
        self.grid = QGridLayout(self.grid_host)
        self.grid.setHorizontalSpacing(14)
        self.grid.setVerticalSpacing(10)
        self.help = QLabel(
            "1–9 participant · [ ] hypothesis · c n i a vote (cc, ii strong) · "
            "←/→ evidence · R scores · T timer · P add participant · O collect sheets · Esc leave",
            self,
        )
        self.help.setObjectName("workshopHelp")
        self.help.setStyleSheet(f"color: {_MUTED};")
        self.help.setFont(self._fonts(0.7))
        self.help.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 24, 40, 20)
        layout.setSpacing(18)
        layout.addLayout(top)
        layout.addWidget(card)
        layout.addWidget(self.grid_host, 1)
        layout.addWidget(self.help)

        self.vote_labels: dict[tuple[int, int], QLabel] = {}
        #: The revealed score of each hypothesis (empty while the scores are hidden).
        self.score_labels: list[QLabel] = []
        for signal in (
            document.cellsChanged,
            document.structureChanged,
            document.layerChanged,
            document.projectReplaced,
            document.detailsChanged,
        ):
            signal.connect(self.refresh)
        self.refresh()

    # -- what is on screen ---------------------------------------------------------------

    @property
    def analysts(self) -> list[Analyst]:
        return self.document.project.analysts if self.document.is_open else []

    def _fonts(self, factor: float, bold: bool = False) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(self.font().pointSizeF() * factor)
        font.setBold(bold)
        return font

    def refresh(self, *_args: object) -> None:
        if not self.document.is_open or not self.document.project.evidence:
            self.title.setText("This project has no evidence to rate yet.")
            return
        project = self.document.project
        self.row = min(max(self.row, 0), len(project.evidence) - 1)
        self.participant = min(max(self.participant, 0), max(len(self.analysts) - 1, 0))
        self.column = min(max(self.column, 0), max(len(project.hypotheses) - 1, 0))
        self._show_steps()
        self._show_evidence()
        self._show_votes()
        self._show_timer()

    def _show_steps(self) -> None:
        project = self.document.project
        number = current_step(project, layer_codes(project, CONSENSUS)).step
        parts = []
        for step in HEUER_STEPS:
            if step.number == number:
                parts.append(
                    f"<span style='background:{_ACCENT}; color:{colours.INK}; font-weight:bold'>"
                    f"&nbsp;{step.number}&nbsp;{_escape(step.title)}&nbsp;</span>"
                )
            else:
                parts.append(f"<span style='color:{_MUTED}'>&nbsp;{step.number}&nbsp;</span>")
        self.steps.setText("Heuer's step " + " ".join(parts))
        self.steps.setFont(self._fonts(0.8))

    def _show_evidence(self) -> None:
        project = self.document.project
        evidence = project.evidence[self.row]
        self.position.setText(
            f"{evidence.code}   ·   evidence {self.row + 1} of {len(project.evidence)}"
        )
        self.position.setFont(self._fonts(0.85))
        self.position.setStyleSheet(f"color: {_ACCENT};")
        self.title.setText(_escape(evidence.title))
        self.title.setFont(self._fonts(1.5, bold=True))
        source = project.source_by_id(evidence.source_id)
        facts = [evidence.type.label]
        if evidence.date:
            facts.append(str(evidence.date))
        if source:
            facts.append(source.cite() + (f", {evidence.locator}" if evidence.locator else ""))
        facts.append(f"credibility {evidence.credibility.label.lower()}")
        facts.append(f"relevance {evidence.relevance.label.lower()}")
        if not evidence.active:
            facts.append("excluded from scoring")
        text = " · ".join(_escape(f) for f in facts)
        if evidence.description:
            text += f"<br><span style='color:{_TEXT}'>{_escape(evidence.description)}</span>"
        self.details.setText(f"<span style='color:{_MUTED}'>{text}</span>")
        self.details.setFont(self._fonts(0.85))

    def _clear_grid(self) -> None:
        while self.grid.count():
            widget = self.grid.takeAt(0).widget()
            if widget is not None:
                # Hidden at once: deleteLater only runs when the event loop turns.
                widget.hide()
                widget.deleteLater()
        self.vote_labels = {}
        self.score_labels = []

    def _show_votes(self) -> None:
        self._clear_grid()
        project = self.document.project
        hypotheses = project.hypotheses
        if not hypotheses:
            return
        if not self.analysts:
            hint = QLabel("No participants yet: press P to add one.", self.grid_host)
            hint.setObjectName("workshopNoParticipants")
            hint.setFont(self._fonts(1.0))
            self.grid.addWidget(hint, 1, 0, 1, len(hypotheses) + 1)
        for j, hypothesis in enumerate(hypotheses):
            head = QLabel(f"<b>{hypothesis.code}</b> {_escape(hypothesis.title)}", self.grid_host)
            head.setWordWrap(True)
            head.setFont(self._fonts(0.95))
            head.setAlignment(Qt.AlignmentFlag.AlignCenter | Qt.AlignmentFlag.AlignBottom)
            head.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self.grid.addWidget(head, 0, j + 1)
        for k, analyst in enumerate(self.analysts):
            chosen = k == self.participant
            name = QLabel(f"{k + 1}  {_escape(analyst.name)}", self.grid_host)
            name.setFont(self._fonts(1.0, bold=chosen))
            name.setStyleSheet(f"color: {_ACCENT if chosen else _TEXT};")
            self.grid.addWidget(name, k + 1, 0)
            layer = project.layers[analyst.id]
            for j in range(len(hypotheses)):
                rating = Rating(int(layer[self.row, j]))
                label = self._chip(rating, cursor=chosen and j == self.column)
                label.setObjectName(f"vote_{k}_{j}")
                self.vote_labels[(k, j)] = label
                self.grid.addWidget(label, k + 1, j + 1)
        bottom = len(self.analysts) + 1
        if len(self.analysts) > 1:
            team = QLabel("Team", self.grid_host)
            team.setFont(self._fonts(1.0, bold=True))
            self.grid.addWidget(team, bottom, 0)
            consensus = layer_codes(project, CONSENSUS)[self.row]
            for j in range(len(hypotheses)):
                chip = self._chip(Rating(int(consensus[j])), cursor=False, small=True)
                self.grid.addWidget(chip, bottom, j + 1)
            bottom += 1
        self._show_scores(bottom)
        self.grid.setRowStretch(bottom + 1, 1)
        self.grid.setColumnMinimumWidth(0, 220)

    def _chip(self, rating: Rating, cursor: bool, small: bool = False) -> QLabel:
        label = QLabel(rating.code or "·", self.grid_host)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setFont(self._fonts(1.0 if small else 1.3, bold=True))
        label.setMinimumHeight(60 if small else 84)
        fill = RATING_FILL.get(rating)
        text = RATING_TEXT.get(rating)
        border = f"4px solid {_ACCENT}" if cursor else "4px solid transparent"
        if fill is not None and text is not None:
            style = f"background: {fill.name()}; color: {text.name()};"
        else:
            style = f"background: {_PANEL}; color: {_MUTED};"
        label.setStyleSheet(f"{style} border: {border}; border-radius: 10px;")
        return label

    def _show_scores(self, grid_row: int) -> None:
        project = self.document.project
        label = QLabel("Rank · score", self.grid_host)
        label.setToolTip("Rank of each hypothesis and its weighted inconsistency (lower is better)")
        label.setFont(self._fonts(1.0, bold=True))
        label.setStyleSheet(f"color: {_MUTED};")
        self.grid.addWidget(label, grid_row, 0)
        if not self.revealed:
            hidden = QLabel("hidden until the group has voted — press R", self.grid_host)
            hidden.setObjectName("workshopScoresHidden")
            hidden.setFont(self._fonts(0.9))
            hidden.setStyleSheet(f"color: {_MUTED};")
            self.grid.addWidget(hidden, grid_row, 1, 1, len(project.hypotheses))
            return
        scores = score_project(project, CONSENSUS)
        for j in range(len(project.hypotheses)):
            rank = int(scores.rank[j])
            cell = QLabel(f"#{rank} · {scores.weighted_inconsistency[j]:.2f}", self.grid_host)
            cell.setObjectName(f"workshopScore_{j}")
            cell.setAlignment(Qt.AlignmentFlag.AlignCenter)
            cell.setFont(self._fonts(1.0, bold=rank == 1))
            cell.setStyleSheet(f"color: {_ACCENT if rank == 1 else _TEXT};")
            self.grid.addWidget(cell, grid_row, j + 1)
            self.score_labels.append(cell)

    def _show_timer(self) -> None:
        minutes, seconds = divmod(max(self.remaining, 0), 60)
        running = self.timer.isActive()
        colour = colours.WORKSHOP_ALARM if self.remaining <= 0 else (_ACCENT if running else _MUTED)
        self.timer_label.setText(f"{minutes}:{seconds:02d}" if self.remaining > 0 else "Time")
        self.timer_label.setFont(self._fonts(1.8, bold=True))
        self.timer_label.setStyleSheet(f"color: {colour};")

    # -- keys ------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        key = event.key()
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if key == Qt.Key.Key_Escape:
            self.close()
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_PageDown):
            self.go_to(self.row + 1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_PageUp):
            self.go_to(self.row - 1)
        elif Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            self.choose_participant(key - Qt.Key.Key_1)
        elif key == Qt.Key.Key_Backtab or (key == Qt.Key.Key_Tab and shift):
            self.choose_participant(self.participant - 1, wrap=True)
        elif key in (Qt.Key.Key_Tab, Qt.Key.Key_Down):
            self.choose_participant(self.participant + 1, wrap=key == Qt.Key.Key_Tab)
        elif key == Qt.Key.Key_Up:
            self.choose_participant(self.participant - 1)
        elif key == Qt.Key.Key_BracketRight:
            self.choose_hypothesis(self.column + 1)
        elif key in (Qt.Key.Key_BracketLeft,):
            self.choose_hypothesis(self.column - 1)
        elif key == Qt.Key.Key_Home:
            self.choose_hypothesis(0)
        elif key == Qt.Key.Key_R:
            self.toggle_scores()
        elif key == Qt.Key.Key_T:
            self.toggle_timer()
        elif key == Qt.Key.Key_P:
            self.add_participant()
        elif key == Qt.Key.Key_O:
            collect_sheets(self, self.document)
        elif key in _CLEAR_KEYS:
            self.vote(Rating.BLANK)
        elif event.text().lower() in RATING_SCALE.keys:
            self.vote(RATING_SCALE.keys[event.text().lower()])
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusNextPrevChild(self, _next: bool) -> bool:  # noqa: N802 - keep Tab for us
        return False

    # -- actions ----------------------------------------------------------------------------

    def go_to(self, row: int) -> None:
        if not self.document.is_open or not self.document.project.evidence:
            return
        self.row = min(max(row, 0), len(self.document.project.evidence) - 1)
        self.column = 0
        self._last_vote = None
        if self.timer.isActive():
            # A new item gets a fresh discussion time.
            self.remaining = TIMER_SECONDS
        self.refresh()

    def choose_participant(self, index: int, wrap: bool = False) -> None:
        count = len(self.analysts)
        if not count:
            return
        if wrap:
            index %= count
        if 0 <= index < count:
            self.participant = index
            self.column = 0
            self._last_vote = None
            self.refresh()

    def choose_hypothesis(self, column: int) -> None:
        n = len(self.document.project.hypotheses)
        if n:
            self.column = min(max(column, 0), n - 1)
            self._last_vote = None
            self.refresh()

    def vote(self, rating: Rating) -> None:
        """Record the chosen participant's vote on the chosen hypothesis, then move right."""
        project = self.document.project
        if not self.analysts or not project.hypotheses:
            return
        analyst = self.analysts[self.participant]
        now = time.monotonic()
        last = self._last_vote
        column, merge = self.column, False
        if (
            last is not None
            and last[:2] == (analyst.id, self.row)
            and last[3] == rating
            and RATING_SCALE.strengthens(rating)
            and now - last[4] <= STRENGTHEN_WINDOW
        ):
            # "c c": the second press strengthens the vote just given (one undo step).
            column, rating, merge = last[2], RATING_SCALE.stronger(rating), True
        edit = actions.rating_edit(
            project, actions.Seat(analyst.id, analyst.id), self.row, column, rating
        )
        with reporting(self):
            self.document.do(edit, merge=merge)
            self._last_vote = None if merge else (analyst.id, self.row, column, rating, now)
            if not merge:
                self.column = min(column + 1, len(project.hypotheses) - 1)
            self.refresh()

    def toggle_scores(self) -> None:
        self.revealed = not self.revealed
        self.refresh()

    def toggle_timer(self) -> None:
        if self.timer.isActive():
            self.timer.stop()
        else:
            if self.remaining <= 0:
                self.remaining = TIMER_SECONDS
            self.timer.start()
        self._show_timer()

    def _tick(self) -> None:
        self.remaining -= 1
        if self.remaining <= 0:
            self.timer.stop()
        self._show_timer()

    def add_participant(self) -> None:
        name, ok = QInputDialog.getText(self, "Add participant", "Name:")
        self.add_participant_named(name if ok else "")

    def add_participant_named(self, name: str) -> None:
        if not name.strip() or not self.document.is_open:
            return
        project = self.document.project
        with reporting(self):
            # Checked like every analyst name, typed or read from a file.
            name = analyst_name(name, "")
            if project.analyst_by_name(name) is not None:
                self.participant = next(
                    k for k, a in enumerate(self.analysts) if a.name.casefold() == name.casefold()
                )
                self.refresh()
                return
            self.document.do(AddAnalyst(Analyst(project.next_id, name)))
            self.participant = len(self.analysts) - 1
            self.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.timer.stop()
        self.closed.emit()
        super().closeEvent(event)


def open_workshop(
    document: Document, start_row: int = 0, full_screen: bool = True, parent: QWidget | None = None
) -> WorkshopWindow:
    """Open workshop mode over ``document``; Escape closes it and returns to the window."""
    window = WorkshopWindow(document, start_row, parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if full_screen:
        window.showFullScreen()
    else:
        window.resize(1920, 1080)
        window.show()
    window.activateWindow()
    window.setFocus()
    return window

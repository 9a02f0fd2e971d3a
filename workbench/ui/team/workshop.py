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
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QTableView,
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
from workbench.ui.base.dialogs import reporting
from workbench.ui.base.document import Document
from workbench.ui.team.team_actions import collect_sheets
from workbench.ui.team.workshop_votes import ChipDelegate, VotesModel

#: Seconds on the discussion timer.
TIMER_SECONDS = 180
#: A second press of the same key within this time strengthens the vote (c c = CC).
STRENGTHEN_WINDOW = 1.0
#: Type size relative to the desktop's: about twice, for a projector across a room.
SCALE = 2.0
#: The smallest text on the workshop screen, in points.
MIN_POINTS = 14.0

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

        self.votes = VotesModel(document, self)
        self.table = QTableView(self)
        self.table.setObjectName("workshopVotes")
        self.table.setModel(self.votes)
        self.table.setItemDelegate(ChipDelegate(self.table))
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setSelectionMode(QTableView.SelectionMode.NoSelection)
        self.table.setShowGrid(False)
        self.table.setFont(self._fonts(1.0))
        self.table.horizontalHeader().setFont(self._fonts(0.95))
        self.table.verticalHeader().setFont(self._fonts(1.0, bold=True))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(84)
        self.table.verticalHeader().setMinimumWidth(220)
        self.table.setStyleSheet(
            f"QTableView {{ background: transparent; border: none; }}"
            f"QHeaderView {{ background: transparent; }}"
            f"QHeaderView::section {{ background: transparent; color: {_TEXT}; border: none; }}"
            "QTableCornerButton::section { background: transparent; border: none; }"
        )
        self.table.setCornerButtonEnabled(False)
        self.no_participants = QLabel("No participants yet: press P to add one.", self)
        self.no_participants.setObjectName("workshopNoParticipants")
        self.no_participants.setFont(self._fonts(1.0))
        self.score_strip = QWidget(self)
        self.score_row = QHBoxLayout(self.score_strip)
        self.score_row.setContentsMargins(0, 0, 0, 0)
        self.score_caption = QLabel("Rank · score", self.score_strip)
        self.score_caption.setToolTip(
            "Rank of each hypothesis and its weighted inconsistency (lower is better)"
        )
        self.score_caption.setFont(self._fonts(1.0, bold=True))
        self.score_caption.setStyleSheet(f"color: {_MUTED};")
        self.score_caption.setFixedWidth(220)
        self.score_row.addWidget(self.score_caption)
        self.scores_hidden = QLabel("hidden until the group has voted — press R", self.score_strip)
        self.scores_hidden.setObjectName("workshopScoresHidden")
        self.scores_hidden.setFont(self._fonts(0.9))
        self.scores_hidden.setStyleSheet(f"color: {_MUTED};")
        self.score_row.addWidget(self.scores_hidden, 1)
        self.help = QLabel(
            "1–9 participant · [ ] hypothesis · c n i a vote (cc, ii strong) · "
            "←/→ evidence · R scores · T timer · P add participant · O collect sheets · Esc leave"
            "<br>After each vote the ringed hypothesis moves one to the right, "
            "for the same participant; [ goes back.",
            self,
        )
        self.help.setObjectName("workshopHelp")
        self.help.setStyleSheet(f"color: {_MUTED};")
        self.help.setFont(self._fonts(0.7))
        self.help.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 24, 40, 20)
        layout.setSpacing(18)
        # The key question stays in view: every vote answers it.
        self.question = QLabel(self)
        self.question.setObjectName("workshopQuestion")
        self.question.setWordWrap(True)
        layout.addLayout(top)
        layout.addWidget(self.question)
        layout.addWidget(card)
        layout.addWidget(self.no_participants)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.score_strip)
        layout.addWidget(self.help)

        #: The revealed score of each hypothesis (empty while the scores are hidden).
        self.score_labels: list[QLabel] = []
        for signal in (document.structureChanged, document.projectReplaced):
            signal.connect(self._rebuild_scores)
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
        # Never under 14 pt: read on a projector from the back of the room.
        font.setPointSizeF(max(MIN_POINTS, self.font().pointSizeF() * factor))
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
        self._show_question()
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

    def _show_question(self) -> None:
        project = self.document.project
        marking = project.classification.strip()
        parts = []
        if marking:
            parts.append(f"<b style='color:{_ACCENT}'>{_escape(marking)}</b>")
        if project.question.strip():
            parts.append(f"<b>Key question:</b> {_escape(project.question.strip())}")
            if project.time_horizon.strip():
                parts.append(_escape(project.time_horizon.strip()))
        else:
            parts.append(f"<b>{_escape(project.title)}</b>")
        self.question.setText(" · ".join(parts))
        self.question.setFont(self._fonts(0.85))

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

    def _show_votes(self) -> None:
        """Move the vote grid to this item and cursor: the model repaints what changed."""
        self.votes.show(self.row, self.participant, self.column)
        self.no_participants.setVisible(not self.analysts)
        rows = self.votes.rowCount()
        for r in range(rows):
            team = self.votes.has_team_row() and r == rows - 1
            self.table.setRowHeight(r, 60 if team else 84)
        self._show_scores()

    def _rebuild_scores(self, *_args: object) -> None:
        """Make one score label per hypothesis when revealed (and when hypotheses change)."""
        for label in self.score_labels:
            self.score_row.removeWidget(label)
            label.hide()
            label.deleteLater()
        self.score_labels = []
        if self.revealed and self.document.is_open:
            for j in range(len(self.document.project.hypotheses)):
                cell = QLabel(self.score_strip)
                cell.setObjectName(f"workshopScore_{j}")
                cell.setAlignment(Qt.AlignmentFlag.AlignCenter)
                self.score_row.addWidget(cell, 1)
                self.score_labels.append(cell)
        self.scores_hidden.setVisible(not self.revealed)
        self._show_scores()

    def _show_scores(self) -> None:
        if not self.revealed or not self.score_labels:
            return
        scores = score_project(self.document.project, CONSENSUS)
        for j, cell in enumerate(self.score_labels):
            rank = int(scores.rank[j])
            cell.setText(f"#{rank} · {scores.weighted_inconsistency[j]:.2f}")
            cell.setFont(self._fonts(1.0, bold=rank == 1))
            cell.setStyleSheet(f"color: {_ACCENT if rank == 1 else _TEXT};")

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
        self._rebuild_scores()
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
        """P: ask for a name (window-modal, so the workshop stays responsive)."""
        dialog = QInputDialog(self)
        dialog.setObjectName("addParticipantDialog")
        dialog.setWindowTitle("Add participant")
        dialog.setLabelText("Participant's name:")
        # The workshop's white-on-navy labels must not cascade into the light dialog.
        dialog.setStyleSheet(
            "QLabel { color: palette(window-text); } QInputDialog { background: palette(window); }"
        )
        dialog.textValueSelected.connect(self.add_participant_named)
        dialog.finished.connect(dialog.deleteLater)
        self.participant_dialog = dialog
        dialog.open()

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

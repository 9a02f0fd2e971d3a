"""Heuer's eight steps as a guide panel, with the step the analyst is on lit up.

Which step is current comes from :func:`workbench.core.steps.current_step`
(pure, tested without Qt); this widget only shows it. Every step can be opened
to read its explanation; the current one is open and says why it is current
("5 cells unrated"), so a newcomer always knows what to do next.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core import palette as colours
from workbench.core.steps import HEUER_STEPS, HeuerStep, StepStatus, current_step
from workbench.ui.base.document import Document
from workbench.ui.base.palette import is_dark
from workbench.ui.base.when_shown import WhenShown

ACCENT = colours.LEADER
DONE_MARK = "\u2713"
MILESTONE_STEP = 8


class StepCard(QFrame):
    """One step: a header that opens and closes it, its explanation, and a status line."""

    def __init__(self, step: HeuerStep, parent: QWidget | None = None):
        super().__init__(parent)
        self.step = step
        self.state = "ahead"  # "done", "current", "ahead" or "suggested"
        self.setObjectName(f"step_{step.number}")

        self.header = QToolButton()
        self.header.setCheckable(True)
        self.header.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self.header.setAutoRaise(True)
        self.header.setToolTip(step.explanation)
        self.header.toggled.connect(self._set_open)

        self.explanation = QLabel(step.explanation)
        self.explanation.setWordWrap(True)
        self.explanation.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setObjectName("step_status")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 6)
        layout.setSpacing(3)
        layout.addWidget(self.header)
        layout.addWidget(self.status)
        layout.addWidget(self.explanation)
        self._set_open(False)
        self.status.hide()

    @property
    def is_open(self) -> bool:
        return self.explanation.isVisibleTo(self)

    def _set_open(self, open_: bool) -> None:
        self.header.setArrowType(Qt.DownArrow if open_ else Qt.RightArrow)
        self.explanation.setVisible(open_)

    def show_state(self, state: str, note: str) -> None:
        self.state = state
        mark = f"{DONE_MARK} " if state == "done" else ""
        self.header.setText(f"{mark}{self.step.number}. {self.step.title}")
        font = self.header.font()
        font.setBold(state == "current")
        self.header.setFont(font)
        self.status.setText(note)
        self.status.setVisible(bool(note))
        self.header.setChecked(state == "current")
        self._set_open(state == "current")


class StepsGuide(QWidget):
    """The eight steps of ACH; the current one follows the project as it changes."""

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.status: StepStatus | None = None

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("steps_summary")

        self.cards = [StepCard(step) for step in HEUER_STEPS]
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(2)
        for card in self.cards:
            body_layout.addWidget(card)
        body_layout.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)

        title = QLabel("<b>Heuer's eight steps</b>")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(title)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)

        # Hidden (a tab behind another dock), it re-reads nothing until shown.
        self.when_shown = WhenShown(
            self, self.refresh, document.scoresChanged, document.projectReplaced
        )

    def card(self, number: int) -> StepCard:
        return self.cards[number - 1]

    def current(self) -> int:
        return self.status.step if self.status else 0

    def refresh(self) -> None:
        if not self.document.is_open:
            self.status = None
            self.summary.setText("Open or create a project to start.")
            for card in self.cards:
                card.show_state("ahead", "")
            self._paint()
            return
        status = current_step(self.document.project, self.document.codes)
        self.status = status
        title = HEUER_STEPS[status.step - 1].title
        self.summary.setText(f"You are at step {status.step} of 8: {title.lower()}.")
        for card in self.cards:
            number = card.step.number
            if number < status.step:
                card.show_state("done", "")
            elif number == status.step:
                card.show_state("current", status.reason)
            elif number == MILESTONE_STEP and status.milestones_due and status.step >= 4:
                card.show_state(
                    "suggested", "Later: no milestones yet. Add some when you conclude."
                )
            else:
                card.show_state("ahead", "")
        self._paint()

    def _paint(self) -> None:
        """Colour the cards from the palette so they read in light and dark mode."""
        palette = self.palette()
        dark = is_dark(palette)
        tint = QColor(ACCENT)
        tint.setAlpha(70 if dark else 34)
        text = palette.color(QPalette.WindowText)
        # Steps ahead are quieter than the rest but must stay readable: 60% of the text.
        muted = _blend(text, palette.color(QPalette.Window), 0.6)
        note_colour = colours.DARK_ACCENT if dark else ACCENT
        rgba = f"rgba({tint.red()}, {tint.green()}, {tint.blue()}, {tint.alpha()})"
        for card in self.cards:
            name = card.objectName()
            if card.state == "current":
                card.setStyleSheet(
                    f"QFrame#{name} {{ background: {rgba}; border-left: 4px solid {ACCENT};"
                    " border-radius: 3px; }"
                )
            elif card.state == "suggested":
                card.setStyleSheet(
                    f"QFrame#{name} {{ background: transparent; border-left: 2px solid {ACCENT}; }}"
                )
            else:
                card.setStyleSheet(f"QFrame#{name} {{ border-left: 4px solid transparent; }}")
            colour = muted.name() if card.state == "ahead" else text.name()
            card.header.setStyleSheet(
                f"QToolButton {{ color: {colour}; border: none; background: transparent;"
                " padding: 2px 0px; }"
            )
            weight = 600 if card.state == "current" else 400
            card.status.setStyleSheet(f"color: {note_colour}; font-weight: {weight};")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.PaletteChange and hasattr(self, "cards"):
            self._paint()
        super().changeEvent(event)


def _blend(front: QColor, back: QColor, share: float) -> QColor:
    """``share`` of ``front`` over ``back``, as an opaque colour."""
    return QColor(
        round(front.red() * share + back.red() * (1 - share)),
        round(front.green() * share + back.green() * (1 - share)),
        round(front.blue() * share + back.blue() * (1 - share)),
    )

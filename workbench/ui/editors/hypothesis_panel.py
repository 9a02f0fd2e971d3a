"""The hypothesis editor (a dock): code, title, description, prior, and
add / duplicate / delete / move / sort by rank. It follows the matrix's
current column."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.edits import MoveHypothesis, UpdateHypothesis
from workbench.core.model import Hypothesis
from workbench.ui.base.document import Document
from workbench.ui.base.form_fields import CommitTextEdit, StatusLine, apply_edit
from workbench.ui.editors.buttons import button_grid


def parse_prior(text: str) -> float | None:
    """Blank means an equal share; accepts 0.25, 25% or 25 (percent)."""
    raw = text.strip().rstrip("%").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a probability (use 0.25 or 25%)") from None
    if text.strip().endswith("%") or value > 1:
        value /= 100
    if not 0 <= value <= 1:
        raise ValueError(f"{text.strip()!r} is outside 0-100%")
    return value


class HypothesisPanel(QWidget):
    addRequested = Signal()  # noqa: N815
    duplicateRequested = Signal()  # noqa: N815
    deleteRequested = Signal()  # noqa: N815
    sortRequested = Signal()  # noqa: N815

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("hypothesisPanel")
        self.document = document
        self.column = -1
        self._loading = False
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.code = QLineEdit(self)
        self.code.setObjectName("hypothesisCode")
        self.title = QLineEdit(self)
        self.title.setObjectName("hypothesisTitle")
        self.description = CommitTextEdit(self, lines=7)
        self.description.setObjectName("hypothesisDescription")
        self.prior = QLineEdit(self)
        self.prior.setObjectName("hypothesisPrior")
        self.prior.setPlaceholderText("equal share")
        self.prior.setToolTip(
            "Prior probability for the posterior: 0.25 or 25%; blank shares equally."
        )
        self.status = StatusLine(self)

        buttons = button_grid(
            self,
            (
                ("addHypothesisButton", "Add", self.addRequested.emit),
                ("duplicateHypothesisButton", "Duplicate", self.duplicateRequested.emit),
                ("deleteHypothesisButton", "Delete", self.deleteRequested.emit),
                ("moveHypothesisLeftButton", "Move left", lambda: self._move(-1)),
                ("moveHypothesisRightButton", "Move right", lambda: self._move(1)),
            ),
        )
        sort = QPushButton("Sort hypotheses by rank", self)
        sort.setObjectName("sortHypothesesButton")
        sort.clicked.connect(self.sortRequested.emit)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Code", self.code)
        form.addRow("Title", self.title)
        form.addRow("Description", self.description)
        form.addRow("Prior", self.prior)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(buttons)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(sort)
        layout.addStretch(1)

        self.code.editingFinished.connect(self._commit_code)
        self.title.editingFinished.connect(self._commit_title)
        self.description.committed.connect(lambda text: self._commit("description", text))
        self.prior.editingFinished.connect(self._commit_prior)
        for signal in (document.projectReplaced, document.structureChanged):
            signal.connect(self._reload_clamped)
        document.detailsChanged.connect(self.reload)
        self.reload()

    @property
    def hypothesis(self) -> Hypothesis | None:
        doc = self.document
        if not doc.is_open or not (0 <= self.column < len(doc.project.hypotheses)):
            return None
        return doc.project.hypotheses[self.column]

    def show_hypothesis(self, column: int) -> None:
        if column != self.column:
            self.column = column
            self.reload()

    def _reload_clamped(self) -> None:
        if self.document.is_open and self.column >= len(self.document.project.hypotheses):
            self.column = len(self.document.project.hypotheses) - 1
        self.reload()

    def reload(self) -> None:
        hypothesis = self.hypothesis
        self.status.say("")
        self._loading = True
        try:
            enabled = hypothesis is not None and not self.document.read_only
            for widget in (self.code, self.title, self.description, self.prior):
                widget.setEnabled(enabled)
            if hypothesis is None:
                self.heading.setText("No hypothesis selected")
                for line in (self.code, self.title, self.prior):
                    line.clear()
                self.description.load("")
                return
            rank = self.document.scores.rank[self.column]
            self.heading.setText(f"{hypothesis.code}: {hypothesis.title} (rank {rank})")
            self.code.setText(hypothesis.code)
            self.title.setText(hypothesis.title)
            self.description.load(hypothesis.description)
            self.prior.setText("" if hypothesis.prior is None else f"{hypothesis.prior:.0%}")
        finally:
            self._loading = False

    def _commit(self, field: str, value: object) -> None:
        hypothesis = self.hypothesis
        if self._loading or hypothesis is None or getattr(hypothesis, field) == value:
            return
        self.status.say("")
        apply_edit(self, self.document, UpdateHypothesis(hypothesis.id, {field: value}))

    def _commit_title(self) -> None:
        hypothesis = self.hypothesis
        title = self.title.text().strip()
        if hypothesis is not None and not title:
            self.status.say("A hypothesis needs a title.")
            self.title.setText(hypothesis.title)
            return
        self._commit("title", title)

    def _commit_code(self) -> None:
        hypothesis = self.hypothesis
        if hypothesis is None or self._loading:
            return
        code = self.code.text().strip()
        if code == hypothesis.code:
            return
        if not code or self.document.project.hypothesis_by_code(code) is not None:
            why = "cannot be empty" if not code else "is already used"
            self.status.say(f"Code {code!r} {why}; kept {hypothesis.code}.")
            self.code.setText(hypothesis.code)
            return
        self._commit("code", code)

    def _commit_prior(self) -> None:
        hypothesis = self.hypothesis
        if hypothesis is None or self._loading:
            return
        try:
            prior = parse_prior(self.prior.text())
        except ValueError as error:
            self.status.say(f"Prior of {hypothesis.code}: {error}. The prior was not changed.")
            return
        self._commit("prior", prior)

    def _move(self, step: int) -> None:
        hypothesis = self.hypothesis
        target = self.column + step
        if hypothesis is None or not 0 <= target < len(self.document.project.hypotheses):
            return
        if apply_edit(self, self.document, MoveHypothesis(hypothesis.id, target)):
            self.column = target
            self.reload()

"""The evidence editor (a dock): every field of the current item, the
rationale of the current cell, and add / duplicate / delete / move.

The panel follows the matrix's current cell. Each field commits on its own
as one undoable edit; a value that does not parse (a date like 2020-13) is
refused with a line under the form and the item keeps its old value.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workbench.core import actions
from workbench.core.dates import BadDate, PartialDate
from workbench.core.edits import (
    MoveEvidence,
    UpdateEvidence,
    retype_evidence,
)
from workbench.core.errors import WorkbenchError
from workbench.core.model import Evidence, EvidenceType
from workbench.core.ratings import Level, Rating
from workbench.ui.base.document import Document
from workbench.ui.base.form_fields import CommitTextEdit, StatusLine, apply_edit
from workbench.ui.editors.buttons import button_grid


class EvidencePanel(QWidget):
    """Edits the evidence item of the matrix's current row."""

    addRequested = Signal()  # noqa: N815
    duplicateRequested = Signal()  # noqa: N815
    deleteRequested = Signal()  # noqa: N815

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("evidencePanel")
        self.document = document
        self.row = -1
        self.cell_column = -1
        self._loading = False

        self.heading = QLabel(self)
        self.heading.setObjectName("evidenceHeading")
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)

        self.code = QLineEdit(self)
        self.code.setObjectName("evidenceCode")
        self.title = QLineEdit(self)
        self.title.setObjectName("evidenceTitle")
        self.description = CommitTextEdit(self, lines=3)
        self.description.setObjectName("evidenceDescription")
        self.type = QComboBox(self)
        self.type.setObjectName("evidenceType")
        for kind in EvidenceType:
            self.type.addItem(kind.label, kind)
        self.date = QLineEdit(self)
        self.date.setObjectName("evidenceDate")
        self.date.setPlaceholderText("YYYY, YYYY-MM or YYYY-MM-DD")
        self.source = QComboBox(self)
        self.source.setObjectName("evidenceSource")
        self.locator = QLineEdit(self)
        self.locator.setObjectName("evidenceLocator")
        self.locator.setPlaceholderText("section, page, paragraph")
        self.credibility = QComboBox(self)
        self.credibility.setObjectName("evidenceCredibility")
        self.relevance = QComboBox(self)
        self.relevance.setObjectName("evidenceRelevance")
        for combo in (self.credibility, self.relevance):
            for level in Level:
                combo.addItem(level.label, level)
        self.active = QCheckBox("Counts in the scores", self)
        self.active.setObjectName("evidenceActive")
        self.tags = QLineEdit(self)
        self.tags.setObjectName("evidenceTags")
        self.tags.setPlaceholderText("comma-separated")
        self.notes = CommitTextEdit(self, lines=3)
        self.notes.setObjectName("evidenceNotes")
        self.status = StatusLine(self)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Code", self.code)
        form.addRow("Title", self.title)
        form.addRow("Description", self.description)
        form.addRow("Type", self.type)
        form.addRow("Date", self.date)
        form.addRow("Source", self.source)
        form.addRow("Locator", self.locator)
        form.addRow("Credibility", self.credibility)
        form.addRow("Relevance", self.relevance)
        form.addRow("", self.active)
        form.addRow("Tags", self.tags)
        form.addRow("Notes", self.notes)

        self.cell_box = QGroupBox("Rating", self)
        self.cell_label = QLabel(self.cell_box)
        self.cell_label.setObjectName("cellLabel")
        self.cell_label.setWordWrap(True)
        self.rationale = CommitTextEdit(self.cell_box, lines=3)
        self.rationale.setObjectName("cellRationale")
        self.rationale.setPlaceholderText("Why this rating? (the rationale is kept with the cell)")
        cell_layout = QVBoxLayout(self.cell_box)
        cell_layout.addWidget(self.cell_label)
        cell_layout.addWidget(self.rationale)

        buttons = button_grid(
            self,
            (
                ("addEvidenceButton", "Add", self.addRequested.emit),
                ("duplicateEvidenceButton", "Duplicate", self.duplicateRequested.emit),
                ("deleteEvidenceButton", "Delete", self.deleteRequested.emit),
                ("moveEvidenceUpButton", "Move up", lambda: self._move(-1)),
                ("moveEvidenceDownButton", "Move down", lambda: self._move(1)),
            ),
        )

        inner = QWidget(self)
        layout = QVBoxLayout(inner)
        # The current cell's rating and rationale come first: that is what the
        # analyst looks at while rating; the item's own fields follow.
        layout.addWidget(self.cell_box)
        layout.addWidget(self.heading)
        layout.addLayout(buttons)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self.code.editingFinished.connect(self._commit_code)
        self.title.editingFinished.connect(lambda: self._commit("title", self.title.text().strip()))
        self.description.committed.connect(lambda text: self._commit("description", text))
        # Qt hands a str-based enum back as a plain str: rebuild the EvidenceType.
        self.type.activated.connect(
            lambda _: self._commit_type(EvidenceType(self.type.currentData()))
        )
        self.date.editingFinished.connect(self._commit_date)
        self.source.activated.connect(
            lambda _: self._commit("source_id", self.source.currentData())
        )
        self.locator.editingFinished.connect(
            lambda: self._commit("locator", self.locator.text().strip())
        )
        self.credibility.activated.connect(
            lambda _: self._commit("credibility", Level(self.credibility.currentData()))
        )
        self.relevance.activated.connect(
            lambda _: self._commit("relevance", Level(self.relevance.currentData()))
        )
        self.active.clicked.connect(lambda checked: self._commit("active", bool(checked)))
        self.tags.editingFinished.connect(self._commit_tags)
        self.notes.committed.connect(lambda text: self._commit("notes", text))
        self.rationale.committed.connect(self._commit_rationale)

        for signal in (document.projectReplaced, document.structureChanged):
            signal.connect(self._reload_clamped)
        document.detailsChanged.connect(self.reload)
        document.layerChanged.connect(self.reload)  # the rationale shown is the layer's
        document.cellsChanged.connect(lambda first, last: self._cells_changed(first, last))
        self.show_evidence(-1)

    # -- which item ------------------------------------------------------------

    @property
    def evidence(self) -> Evidence | None:
        if not self.document.is_open or not (0 <= self.row < len(self.document.project.evidence)):
            return None
        return self.document.project.evidence[self.row]

    def show_evidence(self, row: int, column: int = -1) -> None:
        self.row = row
        self.cell_column = column
        self.reload()

    def _fields(self) -> list[QWidget]:
        return [
            self.code,
            self.title,
            self.description,
            self.type,
            self.date,
            self.source,
            self.locator,
            self.credibility,
            self.relevance,
            self.active,
            self.tags,
            self.notes,
        ]

    def _reload_clamped(self) -> None:
        if self.document.is_open and self.row >= len(self.document.project.evidence):
            self.row = len(self.document.project.evidence) - 1
        if self.document.is_open and self.cell_column >= len(self.document.project.hypotheses):
            self.cell_column = -1
        self.reload()

    def _cells_changed(self, first: int, last: int) -> None:
        if first <= self.row <= last:
            self._load_cell()

    def reload(self) -> None:
        evidence = self.evidence
        self.status.say("")
        self._loading = True
        try:
            enabled = evidence is not None and not self.document.read_only
            for widget in self._fields():
                widget.setEnabled(enabled)
            if evidence is None:
                self.heading.setText("No evidence selected")
                for line in (self.code, self.title, self.date, self.locator, self.tags):
                    line.clear()
                self.description.load("")
                self.notes.load("")
                self._load_cell()
                return
            self.heading.setText(f"{evidence.code}: {evidence.title}")
            self.code.setText(evidence.code)
            self.title.setText(evidence.title)
            self.title.setCursorPosition(0)
            self.description.load(evidence.description)
            self.type.setCurrentIndex(self.type.findData(evidence.type))
            self.date.setText(str(evidence.date) if evidence.date else "")
            self.source.clear()
            self.source.addItem("(none)", None)
            for source in self.document.project.sources:
                self.source.addItem(source.cite(), source.id)
            self.source.setCurrentIndex(max(0, self.source.findData(evidence.source_id)))
            self.locator.setText(evidence.locator)
            self.credibility.setCurrentIndex(self.credibility.findData(evidence.credibility))
            self.relevance.setCurrentIndex(self.relevance.findData(evidence.relevance))
            self.active.setChecked(evidence.active)
            self.tags.setText(", ".join(evidence.tags))
            self.notes.load(evidence.notes)
            self._load_cell()
        finally:
            self._loading = False

    def _load_cell(self) -> None:
        evidence = self.evidence
        column = self.cell_column
        project = self.document.project if self.document.is_open else None
        if evidence is None or project is None or not (0 <= column < len(project.hypotheses)):
            self.cell_box.setEnabled(False)
            self.cell_label.setText("Select a rating cell to see and edit its rationale.")
            self.rationale.load("")
            return
        self.cell_box.setEnabled(not self.document.read_only)
        hypothesis = project.hypotheses[column]
        rating = Rating(int(self.document.codes[self.row, column]))
        shown = f"{rating.label} ({rating.code})" if rating.code else rating.label
        self.cell_label.setText(
            f"{evidence.code} x {hypothesis.code} ({hypothesis.title}): {shown}"
        )
        self.rationale.load(self.document.rationale(self.row, column))

    # -- commits ---------------------------------------------------------------------

    def _commit(self, field: str, value: object) -> None:
        evidence = self.evidence
        if self._loading or evidence is None or getattr(evidence, field) == value:
            return
        if field == "title" and not value:
            self.status.say("An evidence item needs a title.")
            self.title.setText(evidence.title)
            self.title.setCursorPosition(0)
            return
        self.status.say("")
        apply_edit(self, self.document, UpdateEvidence(evidence.id, {field: value}))

    def _commit_type(self, kind: EvidenceType) -> None:
        evidence = self.evidence
        if self._loading or evidence is None or evidence.type is kind:
            return
        edit = retype_evidence(evidence, kind)
        self.status.say("")
        if apply_edit(self, self.document, edit) and "active" in edit.changes:
            self.status.say(
                f"{kind.label}s are reasoning, not observation: {evidence.code} no longer "
                "counts in the scores (tick the box to count it)."
            )

    def _commit_code(self) -> None:
        evidence = self.evidence
        if evidence is None or self._loading:
            return
        code = self.code.text().strip()
        if code == evidence.code:
            return
        clash = self.document.project.evidence_by_code(code) if code else None
        if not code or clash is not None:
            why = "cannot be empty" if not code else "is already used by another item"
            self.status.say(f"Code {code!r} {why}; kept {evidence.code}.")
            self.code.setText(evidence.code)
            return
        self._commit("code", code)

    def _commit_date(self) -> None:
        evidence = self.evidence
        if evidence is None or self._loading:
            return
        try:
            date = PartialDate.parse(self.date.text().strip())
        except BadDate as error:
            text = self.date.text().strip()
            self.status.say(
                f"Date of {evidence.code}: {text!r} is not a date ({error}); "
                "use YYYY, YYYY-MM or YYYY-MM-DD. The date was not changed."
            )
            return
        self._commit("date", date)

    def _commit_tags(self) -> None:
        tags = [t.strip().lstrip("#") for t in self.tags.text().split(",")]
        self._commit("tags", [t for t in tags if t])

    def _commit_rationale(self, text: str) -> None:
        if self.evidence is None or self.cell_column < 0 or self._loading:
            return
        document = self.document
        try:
            edit = actions.rationale_edit(
                document.project, document.seat, self.row, self.cell_column, text.strip()
            )
        except WorkbenchError as error:
            self.status.say(str(error))
            return
        apply_edit(self, document, edit)

    def _move(self, step: int) -> None:
        evidence = self.evidence
        if evidence is None:
            return
        target = self.row + step
        if not 0 <= target < len(self.document.project.evidence):
            return
        if apply_edit(self, self.document, MoveEvidence(evidence.id, target)):
            self.row = target
            self.reload()

"""File > Project Details: the project's title, key question, description,
time horizon, classification marking and notes.

OK applies every changed field as ONE ``UpdateProject`` edit through the
Document, so the change is on disk at once and Edit > Undo takes it back.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.core.edits import UpdateProject
from workbench.ui.base.dialogs import reporting
from workbench.ui.base.document import Document

#: The fields shown, in order: (field, label, multi-line, placeholder).
FIELDS = (
    ("title", "&Title", False, "A short name for the analysis"),
    ("question", "&Key question", True, "The question the hypotheses answer"),
    ("time_horizon", "Time &horizon", False, "e.g. through the end of 2026"),
    ("classification", "&Classification", False, "e.g. UNCLASSIFIED; empty for none"),
    ("description", "&Description", True, "Background, scope, who asked"),
    ("notes", "&Notes", True, "Anything else about the project"),
)


def window_title(document: Document) -> str:
    """The window title: classification first (as on every page), then project and file."""
    if not document.is_open:
        return "ACH Workbench"
    project = document.project
    flag = " [read-only]" if document.read_only else ""
    name = document.file.path.name if document.file is not None else ""
    text = f"{project.title} — {name}{flag} — ACH Workbench"
    # One line, as a banner on paper: a line break typed into the marking is a space here.
    marking = " ".join(project.classification.split())
    return f"{marking} — {text}" if marking else text


def project_changes(project: object, values: dict[str, str]) -> dict[str, str]:
    """The fields whose text differs from the project's (title may not be empty)."""
    changes = {k: v for k, v in values.items() if getattr(project, k) != v}
    if "title" in changes and not changes["title"].strip():
        del changes["title"]
    return changes


class ProjectDialog(QDialog):
    """Edit the project's own fields; one undo step for all of them."""

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("projectDialog")
        self.setWindowTitle("Project details")
        self.document = document
        self.fields: dict[str, QLineEdit | QPlainTextEdit] = {}
        form = QFormLayout()
        project = document.project
        for name, label, multi, hint in FIELDS:
            widget: QLineEdit | QPlainTextEdit
            if multi:
                widget = QPlainTextEdit(self)
                widget.setTabChangesFocus(True)
                widget.setPlainText(getattr(project, name))
                widget.setFixedHeight(widget.fontMetrics().lineSpacing() * 3 + 14)
            else:
                widget = QLineEdit(getattr(project, name), self)
            widget.setPlaceholderText(hint)
            widget.setObjectName(f"project_{name}")
            widget.setAccessibleName(label.replace("&", ""))
            widget.setReadOnly(document.read_only)
            form.addRow(label, widget)
            self.fields[name] = widget
        note = QLabel(
            "The key question and classification appear in the window title, the report, "
            "the Excel workbook, the rating sheets and the workshop.",
            self,
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.setObjectName("projectButtons")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def values(self) -> dict[str, str]:
        out = {}
        for name, widget in self.fields.items():
            text = widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()
            # The marking is one line wherever it is printed: runs of spaces close up.
            out[name] = " ".join(text.split()) if name == "classification" else text.strip()
        return out

    def accept(self) -> None:
        if self.document.read_only:
            super().reject()
            return
        changes = project_changes(self.document.project, self.values())
        if changes:
            with reporting(self):
                self.document.do(UpdateProject(changes))
        super().accept()

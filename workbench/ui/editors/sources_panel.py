"""The sources list (a dock): add, edit and delete the works evidence cites.

Deleting a source unlinks the evidence that cited it (one undo step puts
both back), so the panel says how many items cite a source before it goes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.edits import AddSource, RemoveSource, UpdateSource
from workbench.core.model import Source
from workbench.ui.base.document import Document
from workbench.ui.base.form_fields import StatusLine, apply_edit

Index = QModelIndex | QPersistentModelIndex


class SourceListModel(QAbstractListModel):
    def __init__(self, document: Document, parent: Any = None):
        super().__init__(parent)
        self.document = document
        document.projectReplaced.connect(self._reset)
        document.detailsChanged.connect(self._reset)

    def _reset(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid() or not self.document.is_open:
            return 0
        return len(self.document.project.sources)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        source = self.document.project.sources[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return source.cite()
        if role == Qt.ItemDataRole.ToolTipRole:
            cited = sum(1 for e in self.document.project.evidence if e.source_id == source.id)
            lines = [source.title or "(no title)", source.link, f"Cited by {cited} evidence"]
            return "\n".join(line for line in lines if line)
        return None


class SourcesPanel(QWidget):
    FIELDS = ("author", "year", "title", "link", "citation")

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sourcesPanel")
        self.document = document
        self.model = SourceListModel(document, self)
        self.list = QListView(self)
        self.list.setObjectName("sourcesList")
        self.list.setModel(self.model)
        self.list.selectionModel().currentChanged.connect(lambda *_: self.reload())
        self.model.modelReset.connect(self._after_reset)
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for field in self.FIELDS:
            line = QLineEdit(self)
            line.setObjectName(f"source_{field}")
            line.editingFinished.connect(lambda f=field: self._commit(f))
            self.edits[field] = line
            form.addRow(field.capitalize(), line)
        self.edits["citation"].setPlaceholderText("short form, e.g. Sivitsky, 2020")
        self.status = StatusLine(self)
        add = QPushButton("Add source", self)
        add.setObjectName("addSourceButton")
        add.clicked.connect(self.add_source)
        delete = QPushButton("Delete source", self)
        delete.setObjectName("deleteSourceButton")
        delete.clicked.connect(self.delete_source)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(delete)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addLayout(form)
        layout.addWidget(self.status)
        self._selected_id: int | None = None
        self.reload()

    @property
    def source(self) -> Source | None:
        row = self.list.currentIndex().row()
        if not self.document.is_open or not 0 <= row < len(self.document.project.sources):
            return None
        return self.document.project.sources[row]

    def _after_reset(self) -> None:
        # Keep the same source selected across the reset that every edit causes.
        if self.document.is_open and self._selected_id is not None:
            for row, source in enumerate(self.document.project.sources):
                if source.id == self._selected_id:
                    self.list.setCurrentIndex(self.model.index(row))
                    break
        self.reload()

    def reload(self) -> None:
        source = self.source
        self._selected_id = source.id if source else self._selected_id
        editable = source is not None and not self.document.read_only
        for field, line in self.edits.items():
            line.setEnabled(editable)
            value = getattr(source, field) if source else ""
            line.setText("" if value is None else str(value))

    def _commit(self, field: str) -> None:
        source = self.source
        if source is None:
            return
        text = self.edits[field].text().strip()
        value: object = text
        if field == "year":
            if text and not text.isdigit():
                self.status.say(f"Year {text!r} is not a year; it was not changed.")
                return
            value = int(text) if text else None
        if field == "author" and not text:
            self.status.say("A source needs an author (or an organisation).")
            self.edits[field].setText(source.author)
            return
        self.status.say("")
        if getattr(source, field) != value:
            apply_edit(self, self.document, UpdateSource(source.id, {field: value}))

    def add_source(self) -> None:
        project = self.document.project
        source = Source(id=project.new_id(), author="New source")
        if apply_edit(self, self.document, AddSource(source)):
            self._selected_id = source.id
            self._after_reset()
            self.edits["author"].setFocus()
            self.edits["author"].selectAll()

    def delete_source(self) -> None:
        source = self.source
        if source is None:
            return
        cited = sum(1 for e in self.document.project.evidence if e.source_id == source.id)
        if apply_edit(self, self.document, RemoveSource(source.id)):
            self._selected_id = None
            if cited:
                self.status.say(f"{cited} evidence items no longer cite it (Undo restores them).")

"""Milestones: what each hypothesis leads us to expect, by when, and whether it came.

A table model over ``project.milestones``; every edit is an Add/Update/Remove
milestone edit through ``Document.do``, so it is saved, logged and undoable.
The hypothesis and status columns edit through drop-downs; "expected by"
takes YYYY, YYYY-MM or YYYY-MM-DD and refuses anything else with a message.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core import palette as colours
from workbench.core.dates import BadDate, PartialDate
from workbench.core.edits import AddMilestone, RemoveMilestone, UpdateMilestone
from workbench.core.errors import WorkbenchError
from workbench.core.model import Milestone, MilestoneStatus
from workbench.ui.base.dialogs import report
from workbench.ui.base.document import Document

Index = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole
EDIT = Qt.ItemDataRole.EditRole

HYPOTHESIS, INDICATOR, EXPECTED_BY, STATUS, NOTE = range(5)
STATUS_COLOURS = {
    MilestoneStatus.OBSERVED: QColor(colours.OBSERVED),
    MilestoneStatus.CONTRADICTED: QColor(colours.CONTRADICTED),
}


class BadMilestone(WorkbenchError):
    """A milestone field the analyst typed that cannot be stored."""


class MilestonesModel(QAbstractTableModel):
    HEADERS = ("Hypothesis", "Indicator", "Expected by", "Status", "Note")
    #: A refused edit (the view shows it in a dialog).
    problem = Signal(object)

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        document.projectReplaced.connect(self.reset)
        document.detailsChanged.connect(self.reset)
        document.structureChanged.connect(self.reset)

    def reset(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def milestone(self, row: int) -> Milestone:
        return self.document.project.milestones[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        if parent.isValid() or not self.document.is_open:
            return 0
        return len(self.document.project.milestones)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = DISPLAY
    ) -> object:
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and not self.document.read_only:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = DISPLAY) -> object:
        if not index.isValid():
            return None
        m = self.milestone(index.row())
        col = index.column()
        if role in (DISPLAY, EDIT, Qt.ItemDataRole.ToolTipRole):
            if col == HYPOTHESIS:
                if role == EDIT:
                    return m.hypothesis_id
                try:
                    h = self.document.project.hypothesis_by_id(m.hypothesis_id)
                except KeyError:
                    return "?"
                return f"{h.code}  {h.title}" if role == Qt.ItemDataRole.ToolTipRole else h.code
            if col == INDICATOR:
                return m.indicator
            if col == EXPECTED_BY:
                return str(m.expected_by) if m.expected_by else ""
            if col == STATUS:
                return m.status.value if role == EDIT else m.status.label
            return m.note
        if role == Qt.ItemDataRole.BackgroundRole and col == STATUS:
            return STATUS_COLOURS.get(m.status)
        return None

    def setData(self, index: Index, value: object, role: int = EDIT) -> bool:  # noqa: N802
        if role != EDIT or not index.isValid():
            return False
        m = self.milestone(index.row())
        try:
            change = self._change(index.column(), value)
        except BadMilestone as error:
            self.problem.emit(error)
            return False
        field, new = change
        if getattr(m, field) == new:
            return False
        try:
            self.document.do(UpdateMilestone(m.id, {field: new}))
        except Exception as error:  # noqa: BLE001 - shown to the user, nothing changed
            self.problem.emit(error)
            return False
        return True

    def _change(self, column: int, value: object) -> tuple[str, object]:
        if column == HYPOTHESIS:
            hypothesis_id = int(value)  # type: ignore[call-overload]
            self.document.project.hypothesis_by_id(hypothesis_id)
            return "hypothesis_id", hypothesis_id
        if column == INDICATOR:
            text = str(value).strip()
            if not text:
                raise BadMilestone("A milestone needs an indicator: what would we see?")
            return "indicator", text
        if column == EXPECTED_BY:
            try:
                return "expected_by", PartialDate.parse(str(value or ""))
            except BadDate as error:
                raise BadMilestone(f"Expected by: {error}") from None
        if column == STATUS:
            return "status", MilestoneStatus(str(value))
        return "note", str(value)


class ChoiceDelegate(QStyledItemDelegate):
    """A drop-down editor; ``choices()`` gives (label, stored value) pairs."""

    def __init__(self, choices, parent: QWidget | None = None):  # noqa: ANN001
        super().__init__(parent)
        self.choices = choices

    def createEditor(  # noqa: N802
        self, parent: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> QWidget:
        box = QComboBox(parent)
        for label, value in self.choices():
            box.addItem(label, value)
        return box

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        found = editor.findData(index.data(EDIT))
        editor.setCurrentIndex(max(found, 0))

    def setModelData(self, editor: QWidget, model, index: Index) -> None:  # noqa: N802, ANN001
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), EDIT)


class MilestonesView(QWidget):
    """The milestones table with Add and Delete."""

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("milestonesView")
        self.document = document
        self.model = MilestonesModel(document, self)
        self.model.problem.connect(lambda error: report(self, error))
        self.table = QTableView(self)
        self.table.setObjectName("milestonesTable")
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setItemDelegateForColumn(HYPOTHESIS, ChoiceDelegate(self._hypotheses, self))
        self.table.setItemDelegateForColumn(
            STATUS, ChoiceDelegate(lambda: [(s.label, s.value) for s in MilestoneStatus], self)
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(INDICATOR, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(NOTE, QHeaderView.ResizeMode.Stretch)
        self.model.modelReset.connect(self._fit_rows)
        # Wrapped text needs taller rows whenever a column's width changes.
        header.sectionResized.connect(lambda *_: self._fit_rows())

        self.add_button = QPushButton("Add Milestone", self)
        self.add_button.setObjectName("addMilestone")
        self.add_button.clicked.connect(self.add_milestone)
        self.delete_button = QPushButton("Delete", self)
        self.delete_button.setObjectName("deleteMilestone")
        self.delete_button.clicked.connect(self.delete_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(
            QLabel(
                "Indicators to watch for each hypothesis: double-click to "
                "edit; status is pending, observed or contradicted.",
                self,
            ),
            1,
        )
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        document.projectReplaced.connect(self._enable)
        self._enable()

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt's name
        super().resizeEvent(event)
        # Wrapped text: row heights follow the width the columns now have.
        self._fit_rows()

    def _fit_rows(self) -> None:
        # Measuring every row's wrapped text is the costly part of an edit here; a
        # hidden page does it when shown (showEvent), not on every edit meanwhile.
        if self.isVisible():
            self.table.resizeRowsToContents()

    def showEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt's name
        super().showEvent(event)
        self.table.resizeRowsToContents()

    def _enable(self) -> None:
        editable = self.document.is_open and not self.document.read_only
        self.add_button.setEnabled(editable)
        self.delete_button.setEnabled(editable)

    def _hypotheses(self) -> list[tuple[str, int]]:
        return [(f"{h.code}  {h.title}", h.id) for h in self.document.project.hypotheses]

    def add_milestone(self) -> None:
        """A new pending milestone for the selected row's hypothesis (or the leader)."""
        doc = self.document
        if not doc.is_open or not doc.project.hypotheses:
            report(self, BadMilestone("Add a hypothesis first: a milestone belongs to one."))
            return
        project = doc.project
        rows = self.table.selectionModel().selectedRows()
        if rows:
            hypothesis_id = project.milestones[rows[0].row()].hypothesis_id
        else:
            leader = doc.scores.leader
            hypothesis_id = project.hypotheses[max(leader, 0)].id
        milestone = Milestone(project.new_id(), hypothesis_id, "New indicator")
        try:
            doc.do(AddMilestone(milestone))
        except Exception as error:  # noqa: BLE001 - shown to the user, nothing changed
            report(self, error)
            return
        row = len(project.milestones) - 1
        index = self.model.index(row, INDICATOR)
        self.table.setCurrentIndex(index)
        self.table.edit(index)

    def delete_selected(self) -> None:
        doc = self.document
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()}, reverse=True)
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        for row in rows:
            try:
                doc.do(RemoveMilestone(doc.project.milestones[row].id))
            except Exception as error:  # noqa: BLE001 - shown to the user
                report(self, error)
                return

"""The workshop's vote grid as model/view: participants down, hypotheses across.

:class:`VotesModel` reads the document's layers for one evidence item (and
the team's consensus when there is a team); a vote changes one cell and the
model says so with ``dataChanged``, so a key press repaints a chip instead of
rebuilding the screen. :class:`ChipDelegate` paints each vote as a large
rating-coloured chip, the chosen participant's current hypothesis framed.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QWidget

from workbench.core import palette as colours
from workbench.core.analysis import CONSENSUS, layer_codes
from workbench.core.ratings import Rating
from workbench.ui.base.document import Document
from workbench.ui.base.palette import RATING_FILL, RATING_TEXT

Index = QModelIndex | QPersistentModelIndex
#: The Rating of a cell (``Rating``), and whether the cell is the voting cursor (bool).
RatingRole = Qt.ItemDataRole.UserRole + 1
CursorRole = Qt.ItemDataRole.UserRole + 2
#: Shown for a participant who has not voted on a hypothesis yet.
NO_VOTE = "·"


class VotesModel(QAbstractTableModel):
    """One evidence item's votes: a row per participant, then the team's consensus."""

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.row = 0
        self.participant = 0
        self.column = 0
        document.cellsChanged.connect(self._votes_changed)
        document.detailsChanged.connect(self._votes_changed)
        document.structureChanged.connect(self.reset)
        document.projectReplaced.connect(self.reset)

    # -- what is shown -----------------------------------------------------------------

    def _participants(self) -> int:
        return len(self.document.project.analysts) if self.document.is_open else 0

    def has_team_row(self) -> bool:
        return self._participants() > 1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's name
        if parent.isValid():
            return 0
        return self._participants() + (1 if self.has_team_row() else 0)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid() or not self.document.is_open:
            return 0
        return len(self.document.project.hypotheses)

    def rating(self, row: int, column: int) -> Rating:
        project = self.document.project
        if not project.evidence:
            return Rating.BLANK
        evidence_row = min(self.row, len(project.evidence) - 1)
        if row < len(project.analysts):
            layer = project.layers[project.analysts[row].id]
        else:
            layer = layer_codes(project, CONSENSUS)
        return Rating(int(layer[evidence_row, column]))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        rating = self.rating(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return rating.code or NO_VOTE
        if role == RatingRole:
            return rating
        if role == CursorRole:
            return (index.row(), index.column()) == (self.participant, self.column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return rating.label
        return None

    def headerData(  # noqa: N802 - Qt's name
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not self.document.is_open:
            return None
        chosen = orientation == Qt.Orientation.Vertical and section == self.participant
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor(colours.WORKSHOP_ACCENT if chosen else colours.WORKSHOP_TEXT)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        project = self.document.project
        if orientation == Qt.Orientation.Horizontal:
            if section < len(project.hypotheses):
                hypothesis = project.hypotheses[section]
                return f"{hypothesis.code} {hypothesis.title}"
            return None
        if section < len(project.analysts):
            return f"{section + 1}  {project.analysts[section].name}"
        return "Team"

    # -- what changes --------------------------------------------------------------------

    def show(self, row: int, participant: int, column: int) -> None:
        """The evidence item on screen and the voting cursor (participant, hypothesis)."""
        moved_item = row != self.row
        old = self.index(self.participant, self.column)
        self.row, self.participant, self.column = row, participant, column
        if moved_item:
            self._votes_changed()
        else:
            new = self.index(participant, column)
            for index in (old, new):
                if index.isValid():
                    self.dataChanged.emit(index, index, [CursorRole])
        self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, max(self.rowCount() - 1, 0))

    def _votes_changed(self, *_args: object) -> None:
        if self.rowCount() and self.columnCount():
            last = self.index(self.rowCount() - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def reset(self, *_args: object) -> None:
        self.beginResetModel()
        self.endResetModel()


class ChipDelegate(QStyledItemDelegate):
    """A vote as a rounded chip in the rating's colour; the cursor gets the accent frame."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        rating = index.data(RatingRole)
        cursor = bool(index.data(CursorRole))
        team = index.model().has_team_row() and index.row() == index.model().rowCount() - 1
        rect = QRectF(option.rect).adjusted(6, 6, -6, -6)
        fill = RATING_FILL.get(rating, QColor(colours.WORKSHOP_PANEL))
        ink = RATING_TEXT.get(rating, QColor(colours.WORKSHOP_MUTED))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(colours.WORKSHOP_ACCENT), 4) if cursor else Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 10, 10)
        font = QFont(option.font)
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * (1.0 if team else 1.3))
        painter.setFont(font)
        painter.setPen(ink)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), str(index.data()))
        painter.restore()

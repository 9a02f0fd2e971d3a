"""The rating cell's look and the rating picker.

The delegate paints the colour fill, the code, a corner mark when the cell
has a rationale (and the team engineer's mark for a hand-set consensus), and
a focus frame that never hides the colour (a selection wash would). The
picker is the mouse way to rate: seven coloured buttons in a popup.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette, QPen, QPolygon
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QWidget,
)

from workbench.core import palette as colours
from workbench.core.ratings import RATING_SCALE, Rating
from workbench.ui.base import palette
from workbench.ui.matrix.matrix_model import LEADING

#: Menu order: the scale from consistent to inconsistent, then NA and blank.
MENU_RATINGS = RATING_SCALE.menu
KEY_HINT = RATING_SCALE.key_hints


class RatingDelegate(QStyledItemDelegate):
    """Rating cells: the colour fill, the code, a corner mark for a rationale,
    and a focus frame that never hides the colour (a selection wash would)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        if index.column() < LEADING:
            super().paint(painter, option, index)
            return
        model = index.model()
        text, fill, color, noted = model.paint_cell(index)
        rect = option.rect
        painter.save()
        painter.fillRect(rect, fill if fill is not None else option.palette.base())
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if text:
            painter.setPen(color or option.palette.text().color())
            font = option.font
            font.setBold(True)
            painter.setFont(font)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        if noted:
            size = 7
            top_right = rect.topRight()
            corner = QPolygon(
                [top_right, top_right + QPoint(-size, 0), top_right + QPoint(0, size)]
            )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(
                QColor(colours.RATIONALE_MARK) if fill is not None else option.palette.text()
            )
            painter.drawPolygon(corner)
        if model.is_overridden(model.project_row(index.row()), index.column() - LEADING):
            # The facilitator's hand-set consensus: a bold bottom-left corner.
            size = 10
            bottom_left = rect.bottomLeft()
            corner = QPolygon(
                [bottom_left, bottom_left + QPoint(size, 0), bottom_left + QPoint(0, -size)]
            )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colours.OVERRIDE_MARK))
            painter.drawPolygon(corner)
        if selected:
            highlight = option.palette.color(QPalette.ColorRole.Highlight)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(highlight, 3))
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        painter.restore()


class RatingPicker(QFrame):
    """A compact popup of the seven choices, coloured as in the matrix."""

    picked = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("ratingPicker")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QGridLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(3)
        for i, rating in enumerate(MENU_RATINGS):
            button = QToolButton(self)
            button.setObjectName(f"pick-{rating.code or 'blank'}")
            button.setText(rating.code or "–")
            button.setToolTip(f"{rating.label} ({KEY_HINT[rating]})")
            button.setFixedSize(40, 30)
            fill = palette.RATING_FILL.get(rating)
            if fill is not None:
                text = palette.RATING_TEXT[rating].name()
                button.setStyleSheet(
                    f"QToolButton {{ background: {fill.name()}; color: {text}; font-weight: bold;"
                    f" border: 1px solid {colours.BUTTON_BORDER}; border-radius: 3px; }}"
                    "QToolButton:hover { border: 2px solid palette(highlight); }"
                )
            button.clicked.connect(lambda _=False, r=rating: self._pick(r))
            layout.addWidget(button, 0, i)

    def _pick(self, rating: Rating) -> None:
        self.picked.emit(rating)
        self.close()

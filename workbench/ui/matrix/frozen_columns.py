"""Keep the first columns of a table in view while the rest scroll sideways.

With forty hypotheses the matrix is several screens wide; the analyst must
still see WHICH evidence a cell belongs to. As in Qt's "frozen column"
example, a second view over the same model and selection is laid over the
left edge of the table, showing only the leading columns, and scrolls
vertically with it. The table keeps all its columns (the overlay simply
covers them), so indexes, selection and keyboard movement stay ordinary.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHeaderView, QTableView

from workbench.ui.base.palette import set_palette_sheet


class FrozenColumns:
    """Freeze columns ``0 .. count-1`` of ``view`` (call after ``setModel``)."""

    def __init__(self, view: QTableView, count: int):
        self.view = view
        self.count = count
        frozen = self.frozen = QTableView(view)
        frozen.setObjectName(f"{view.objectName() or 'table'}Frozen")
        frozen.setModel(view.model())
        frozen.setSelectionModel(view.selectionModel())
        frozen.setItemDelegate(view.itemDelegate())
        frozen.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        frozen.setFrameShape(QFrame.Shape.NoFrame)
        frozen.verticalHeader().hide()
        # isHidden, not isVisible: the table itself is not shown yet.
        frozen.horizontalHeader().setHidden(view.horizontalHeader().isHidden())
        frozen.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        frozen.horizontalHeader().setDefaultAlignment(view.horizontalHeader().defaultAlignment())
        frozen.horizontalHeader().setHighlightSections(False)
        frozen.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        frozen.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        frozen.setVerticalScrollMode(view.verticalScrollMode())
        frozen.setSelectionMode(view.selectionMode())
        frozen.setSelectionBehavior(view.selectionBehavior())
        frozen.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        frozen.setWordWrap(view.wordWrap())
        frozen.setTextElideMode(view.textElideMode())
        frozen.setShowGrid(view.showGrid())
        frozen.verticalHeader().setDefaultSectionSize(view.verticalHeader().defaultSectionSize())
        frozen.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        # A hairline on the right edge shows where the frozen part ends.
        set_palette_sheet(
            frozen, "QTableView { border: none; border-right: 1px solid palette(mid); }"
        )
        view.viewport().stackUnder(frozen)

        header = view.horizontalHeader()
        header.sectionResized.connect(self._section_resized)
        header.geometriesChanged.connect(self.update_geometry)
        view.verticalScrollBar().valueChanged.connect(frozen.verticalScrollBar().setValue)
        frozen.verticalScrollBar().valueChanged.connect(view.verticalScrollBar().setValue)
        model = view.model()
        for signal in (model.modelReset, model.columnsInserted, model.columnsRemoved):
            signal.connect(self._columns_changed)
        self._columns_changed()
        frozen.show()

    # -- keeping the overlay in step ---------------------------------------------

    def _columns_changed(self, *_: object) -> None:
        frozen = self.frozen
        for column in range(self.view.model().columnCount()):
            frozen.setColumnHidden(column, column >= self.count)
            if column < self.count:
                frozen.setColumnWidth(column, self.view.columnWidth(column))
        self.update_geometry()

    def _section_resized(self, column: int, _old: int, new: int) -> None:
        if column < self.count:
            self.frozen.setColumnWidth(column, new)
            self.update_geometry()

    def width(self) -> int:
        return sum(self.view.columnWidth(c) for c in range(self.count))

    def update_geometry(self) -> None:
        view = self.view
        frame = view.frameWidth()
        header = view.horizontalHeader()
        header_height = 0 if header.isHidden() else header.height()
        self.frozen.horizontalHeader().setFixedHeight(header_height)
        self.frozen.setGeometry(
            view.verticalHeader().width() + frame,
            frame,
            self.width(),
            view.viewport().height() + header_height,
        )

    # -- helpers for the frozen view's owner ---------------------------------------

    def hidden_under(self, index: QModelIndex) -> int:
        """Pixels by which a scrolling cell is hidden under the overlay (0 if none)."""
        if not index.isValid() or index.column() < self.count:
            return 0
        left = self.view.visualRect(index).left()
        return max(0, self.width() - left)

    def reveal(self, index: QModelIndex) -> None:
        """Scroll so a cell is not under the frozen columns."""
        hidden = self.hidden_under(index)
        if hidden:
            bar = self.view.horizontalScrollBar()
            bar.setValue(bar.value() - hidden)

    def map_to_view(self, position: QPoint) -> QPoint:
        """A point in the overlay's viewport, in the table's viewport."""
        return self.view.viewport().mapFromGlobal(self.frozen.viewport().mapToGlobal(position))

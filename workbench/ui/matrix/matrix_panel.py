"""The centre of the window: search and sort bar, the matrix, the score footer.

The footer is a second small table whose columns follow the matrix's widths
and horizontal scroll, so each score sits under its hypothesis while the
evidence rows scroll away above it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.base.document import Document
from workbench.ui.base.palette import set_palette_sheet
from workbench.ui.matrix.footer_model import ScoreFooterModel
from workbench.ui.matrix.frozen_columns import FrozenColumns
from workbench.ui.matrix.matrix_model import LEADING, MatrixModel, SortKey
from workbench.ui.matrix.matrix_view import FROZEN_COLUMNS, MatrixView


class ScoreFooter(QTableView):
    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802
        super().resizeEvent(event)
        if getattr(self, "frozen", None) is not None:
            self.frozen.update_geometry()

    def __init__(self, model: ScoreFooterModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("scoreFooter")
        self.setModel(model)
        self.horizontalHeader().setVisible(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(24)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(True)
        frame = 2 * self.frameWidth()
        self.setFixedHeight(model.rowCount() * 24 + frame)
        # palette(...) in the style sheet follows a switch between light and dark.
        set_palette_sheet(self, "QTableView#scoreFooter { background: palette(alternate-base); }")
        self.frozen = FrozenColumns(self, FROZEN_COLUMNS)
        model.modelReset.connect(self._span_labels)
        self._span_labels()

    def _span_labels(self) -> None:
        # Each score's name spans the frozen columns (it stays in view with them).
        for table in (self, self.frozen.frozen):
            table.clearSpans()
            if self.model().columnCount() >= LEADING:
                for row in range(self.model().rowCount()):
                    table.setSpan(row, 0, 1, FROZEN_COLUMNS)


class MatrixPanel(QWidget):
    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.model = MatrixModel(document, self)
        self.footer_model = ScoreFooterModel(document, self)
        self.view = MatrixView(document, self.model, self)
        self.footer = ScoreFooter(self.footer_model, self)

        self.search = QLineEdit(self)
        self.search.setObjectName("searchBox")
        self.search.setAccessibleName("Filter evidence")
        self.search.setPlaceholderText("Filter evidence by text, type or #tag")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.model.set_filter)
        self.sort = QComboBox(self)
        self.sort.setObjectName("sortBox")
        for key in SortKey:
            self.sort.addItem(key.value, key)
        self.sort.currentIndexChanged.connect(
            lambda _: self.model.set_sort(self.sort.currentData())
        )
        self.count = QLabel(self)
        self.count.setObjectName("evidenceCount")

        bar = QHBoxLayout()
        bar.setContentsMargins(6, 6, 6, 2)
        bar.addWidget(self.search, 3)
        bar.addSpacing(12)
        bar.addWidget(QLabel("Sort evidence by", self))
        bar.addWidget(self.sort)
        bar.addSpacing(12)
        bar.addWidget(self.count)
        bar.addStretch(1)

        self._scroll_pad = QWidget(self)
        footer_row = QHBoxLayout()
        footer_row.setContentsMargins(0, 0, 0, 0)
        footer_row.setSpacing(0)
        footer_row.addWidget(self.footer)
        footer_row.addWidget(self._scroll_pad)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addLayout(footer_row)

        header = self.view.horizontalHeader()
        header.sectionResized.connect(lambda i, _old, new: self.footer.setColumnWidth(i, new))
        self.view.horizontalScrollBar().valueChanged.connect(
            self.footer.horizontalScrollBar().setValue
        )
        self.view.verticalScrollBar().rangeChanged.connect(self._match_scrollbar)
        self.model.modelReset.connect(self._after_reset)
        self.footer_model.modelReset.connect(self._sync_widths)
        self._after_reset()

    def _after_reset(self) -> None:
        self._sync_widths()
        total = len(self.document.project.evidence) if self.document.is_open else 0
        shown = self.model.rowCount()
        self.count.setText(
            f"{total} evidence" if shown == total else f"{shown} of {total} evidence shown"
        )

    def _sync_widths(self) -> None:
        for column in range(self.footer_model.columnCount()):
            self.footer.setColumnWidth(column, self.view.columnWidth(column))
        self.footer.horizontalScrollBar().setValue(self.view.horizontalScrollBar().value())

    def _match_scrollbar(self, _low: int, high: int) -> None:
        # The footer has no vertical scroll bar; a pad of its width keeps columns aligned.
        bar = self.view.verticalScrollBar()
        self._scroll_pad.setFixedWidth(bar.sizeHint().width() if high > 0 else 0)

"""The matrix on screen: keyboard rating, picker, context menu, copy and paste.

Keys follow the analyst's shorthand: c, cc, n, i, ii, +, ++, -, --, 0, a (or
n then a) for NA, Delete/Backspace for blank. A single key applies at once;
a second key within 600 ms on the same cells upgrades it (c -> cc) and the
two presses stay ONE undo step (``QUndoCommand.mergeWith``), so fast typing
never waits for a timer and slow typing never guesses.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QEvent, QModelIndex, QPoint, QRect, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QInputDialog,
    QMenu,
    QTableView,
    QWidget,
)

from workbench.core import actions
from workbench.core.edits import Batch, Edit, MoveHypothesis, UpdateEvidence
from workbench.core.errors import WorkbenchError
from workbench.core.ratings import (
    RATING_SCALE,
    Level,
    Rating,
)
from workbench.ui.base import palette
from workbench.ui.base.dialogs import reporting
from workbench.ui.base.document import Document
from workbench.ui.matrix.frozen_columns import FrozenColumns
from workbench.ui.matrix.matrix_model import (
    CREDIBILITY,
    LEADING,
    RELEVANCE,
    MatrixModel,
    RatingRole,
)
from workbench.ui.matrix.rating_widgets import KEY_HINT, MENU_RATINGS, RatingDelegate, RatingPicker

#: Columns that stay in view when the hypotheses scroll sideways: ID and Evidence.
FROZEN_COLUMNS = 2

#: How long a first key waits for its partner (c then c = CC).
SEQUENCE_MS = 600

_SINGLE = RATING_SCALE.keys
_PAIRS = RATING_SCALE.chords


#: Keys on the Cred. and Rel. columns: low, medium, high.
_LEVEL_KEYS = {"l": Level.LOW, "m": Level.MEDIUM, "h": Level.HIGH}


class MatrixView(QTableView):
    """The evidence x hypotheses grid of the open document."""

    editEvidenceRequested = Signal(int)  # noqa: N815 - project row
    editHypothesisRequested = Signal(int)  # noqa: N815 - hypothesis column
    deleteEvidenceRequested = Signal()  # noqa: N815
    sortHypothesesRequested = Signal()  # noqa: N815

    def __init__(self, document: Document, model: MatrixModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("matrixView")
        self.document = document
        self.setModel(model)
        self.setItemDelegate(RatingDelegate(self))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._cell_menu)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(26)
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        header.setMinimumHeight(58)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        header.sectionMoved.connect(self._section_moved)
        header.sectionDoubleClicked.connect(
            lambda section: (
                section >= LEADING and self.editHypothesisRequested.emit(section - LEADING)
            )
        )
        self._last_key = ""
        self._last_cells: tuple = ()
        self._clock = QElapsedTimer()
        self.doubleClicked.connect(self._open_picker)
        self.frozen = FrozenColumns(self, FROZEN_COLUMNS)
        overlay = self.frozen.frozen
        overlay.doubleClicked.connect(self._open_picker)
        overlay.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        overlay.customContextMenuRequested.connect(
            lambda position: self._cell_menu(self.frozen.map_to_view(position))
        )
        self._sized_by_user = False
        self._sizing = False
        #: Widths the analyst dragged, by leading column or hypothesis id (survive resets).
        self._user_widths: dict[tuple[str, int], int] = {}
        header.sectionResized.connect(self._section_resized)
        model.modelReset.connect(self._columns_reset)

    @property
    def matrix(self) -> MatrixModel:
        model = self.model()
        assert isinstance(model, MatrixModel)
        return model

    def _column_key(self, column: int) -> tuple[str, int]:
        if column < LEADING:
            return ("leading", column)
        return ("hypothesis", self.document.project.hypotheses[column - LEADING].id)

    def _section_resized(self, column: int, _old: int, new: int) -> None:
        if not self._sizing and self.document.is_open:
            self._sized_by_user = True
            self._user_widths[self._column_key(column)] = new

    def _columns_reset(self) -> None:
        self.apply_default_widths()

    def scrollTo(  # noqa: N802
        self,
        index: QModelIndex,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        super().scrollTo(index, hint)
        frozen = getattr(self, "frozen", None)
        if frozen is not None:
            frozen.reveal(index)

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802
        super().resizeEvent(event)
        if getattr(self, "frozen", None) is not None:
            self.frozen.update_geometry()
        # Until the analyst drags a column, the columns follow the window's width.
        if not self._sized_by_user:
            self.apply_default_widths()

    def apply_default_widths(self) -> None:
        """Spread a small matrix over the window; a wide one gets compact columns."""
        self._sizing = True
        try:
            self._spread_columns()
        finally:
            self._sizing = False

    def _spread_columns(self) -> None:
        if not self.document.is_open:
            return  # closing: the columns no longer name anything
        hypotheses = self.matrix.columnCount() - LEADING
        metrics = self.fontMetrics()
        # Widths from the font, so 150 % displays and large fonts never clip.
        level = metrics.horizontalAdvance("Medium") + 22
        fixed = (
            max(52, metrics.horizontalAdvance("E0000") + 18),
            0,
            level,
            level,
            metrics.horizontalAdvance("0 · non-diagnostic") + 20,
        )
        available = max(self.viewport().width(), 700) - sum(fixed) - 2
        rating = 112
        if hypotheses:
            rating = int(min(140, max(96, (available - 320) / hypotheses)))
        # The title gives way first on a small screen, down to a readable 220 px.
        title = int(min(560, max(220, available - rating * hypotheses)))
        for column, width in enumerate(fixed):
            self.setColumnWidth(column, width or title)
        for column in range(LEADING, LEADING + hypotheses):
            self.setColumnWidth(column, rating)
        for column in range(LEADING + hypotheses):
            width = self._user_widths.get(self._column_key(column))
            if width:
                self.setColumnWidth(column, width)

    # -- which cells ------------------------------------------------------------

    def rating_cells(self) -> list[tuple[int, int]]:
        """(project row, hypothesis column) of the selected rating cells, else the current one."""
        model = self.matrix
        indexes = [i for i in self.selectionModel().selectedIndexes() if i.column() >= LEADING]
        if not indexes:
            current = self.currentIndex()
            indexes = [current] if current.isValid() and current.column() >= LEADING else []
        return sorted({(model.project_row(i.row()), i.column() - LEADING) for i in indexes})

    def current_project_row(self) -> int:
        current = self.currentIndex()
        return self.matrix.project_row(current.row()) if current.isValid() else -1

    def current_hypothesis(self) -> int:
        current = self.currentIndex()
        return current.column() - LEADING if current.isValid() else -1

    # -- rating ------------------------------------------------------------------

    def rate(self, rating: Rating, merge: bool = False) -> None:
        cells = self.rating_cells()
        if not cells:
            return
        with reporting(self):
            document = self.document
            edit = actions.rate_cells(document.project, document.seat, cells, rating)
            document.do(edit, merge=merge)

    def paintEvent(self, event) -> None:  # noqa: ANN001, N802
        super().paintEvent(event)
        model = self.matrix
        if model.rowCount() or not self.document.is_open:
            return
        # An empty matrix says what to do next instead of showing a blank grid.
        if model.filter_text.strip():
            text = f"No evidence matches “{model.filter_text.strip()}”."
        else:
            text = (
                "No evidence yet.\nAdd an item with Evidence > Add Evidence, "
                "or bring a matrix in with File > Import."
            )
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        area = self.viewport().rect().adjusted(self.frozen.width() + 12, 24, -12, -12)
        painter.drawText(area, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, text)
        painter.end()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not modifiers:
            self._last_key = ""
            self.rate(Rating.BLANK)
            return
        if key in (Qt.Key.Key_Space, Qt.Key.Key_F2) and not modifiers:
            # The picker for those who would rather choose than remember a code.
            current = self.currentIndex()
            if current.isValid():
                self._open_picker(current)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            up = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
            self._step(-1 if up else 1, 0)
            return
        text = event.text().lower()
        plain = not (modifiers & ~Qt.KeyboardModifier.ShiftModifier)
        if plain and text in _SINGLE and self.currentIndex().column() >= LEADING:
            self._type(text)
            return
        column = self.currentIndex().column()
        if plain and text in _LEVEL_KEYS and column in (CREDIBILITY, RELEVANCE):
            self.set_level("credibility" if column == CREDIBILITY else "relevance", text)
            return
        super().keyPressEvent(event)

    def _type(self, char: str) -> None:
        cells = tuple(self.rating_cells())
        pair = (self._last_key, char)
        recent = self._clock.isValid() and self._clock.elapsed() <= SEQUENCE_MS
        if pair in _PAIRS and recent and cells == self._last_cells:
            self._last_key = ""
            self.rate(_PAIRS[pair], merge=True)
            return
        self._last_key, self._last_cells = char, cells
        self._clock.restart()
        self.rate(_SINGLE[char])

    def event(self, event: QEvent) -> bool:
        # Tab moves right inside the matrix (as in a spreadsheet) instead of leaving it.
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Tab:
                self._tab(1)
                return True
            if event.key() == Qt.Key.Key_Backtab:
                self._tab(-1)
                return True
        return super().event(event)

    def _tab(self, direction: int) -> None:
        """Tab: the next cell to the right; past the last hypothesis, the next row's first
        (Shift+Tab the reverse), as a spreadsheet does when entering a row at a time."""
        current = self.currentIndex()
        model = self.matrix
        if not current.isValid():
            self._step(0, direction)
            return
        last = model.columnCount() - 1
        if direction > 0 and current.column() >= last and current.row() + 1 < model.rowCount():
            self._last_key = ""
            self.setCurrentIndex(model.index(current.row() + 1, LEADING))
        elif direction < 0 and current.column() <= LEADING and current.row() > 0:
            self._last_key = ""
            self.setCurrentIndex(model.index(current.row() - 1, last))
        else:
            self._step(0, direction)

    def set_level(self, field: str, key: str) -> None:
        """Credibility or relevance of the selected rows from the keyboard (l, m, h)."""
        level = _LEVEL_KEYS[key]
        rows = sorted(
            {self.matrix.project_row(i.row()) for i in self.selectionModel().selectedIndexes()}
            | ({self.current_project_row()} if self.current_project_row() >= 0 else set())
        )
        project = self.document.project
        edits = tuple(
            UpdateEvidence(project.evidence[r].id, {field: level})
            for r in rows
            if getattr(project.evidence[r], field) != level
        )
        if not edits:
            return
        with reporting(self):
            if len(edits) == 1:
                self.document.do(edits[0])
            else:
                self.document.do(Batch(edits, f"Set {field} of {len(edits)} items: {level.label}"))

    def _step(self, rows: int, columns: int) -> None:
        self._last_key = ""
        current = self.currentIndex()
        model = self.matrix
        if not current.isValid():
            if model.rowCount() and model.columnCount() > LEADING:
                self.setCurrentIndex(model.index(0, LEADING))
            return
        row = min(max(current.row() + rows, 0), model.rowCount() - 1)
        column = min(max(current.column() + columns, 0), model.columnCount() - 1)
        self.setCurrentIndex(model.index(row, column))

    # -- mouse ------------------------------------------------------------------------

    def _open_picker(self, index: QModelIndex) -> None:
        if index.column() < LEADING:
            self.editEvidenceRequested.emit(self.matrix.project_row(index.row()))
            return
        picker = RatingPicker(self)
        picker.picked.connect(self.rate)
        rect = self.visualRect(index)
        picker.adjustSize()
        picker.move(self.viewport().mapToGlobal(rect.bottomLeft()))
        picker.show()
        self._picker = picker

    def _cell_menu(self, position: QPoint) -> None:
        index = self.indexAt(position)
        if not index.isValid():
            return
        menu = self.build_cell_menu(index)
        menu.exec(self.viewport().mapToGlobal(position))

    def build_cell_menu(self, index: QModelIndex) -> QMenu:
        menu = QMenu(self)
        menu.setObjectName("cellMenu")
        project_row = self.matrix.project_row(index.row())
        evidence = self.document.project.evidence[project_row]
        if index.column() >= LEADING:
            for rating in MENU_RATINGS:
                name = f"{rating.code} — {rating.label}" if rating.code else "Clear rating"
                action = menu.addAction(palette.swatch(rating), f"{name}\t{KEY_HINT[rating]}")
                action.setObjectName(f"rate-{rating.code or 'blank'}")
                action.triggered.connect(lambda _=False, r=rating: self.rate(r))
            menu.addSeparator()
            rationale = menu.addAction("Rationale…")
            rationale.setObjectName("editRationale")
            rationale.triggered.connect(self.edit_rationale)
        verb = "Include" if not evidence.active else "Exclude"
        toggle = menu.addAction(f"{verb} {evidence.code}")
        toggle.setObjectName("toggleEvidence")
        toggle.triggered.connect(lambda: self._set_active(project_row, not evidence.active))
        edit = menu.addAction(f"Edit {evidence.code}…")
        edit.setObjectName("editEvidence")
        edit.triggered.connect(lambda: self.editEvidenceRequested.emit(project_row))
        delete = menu.addAction(f"Delete {evidence.code}")
        delete.setObjectName("deleteEvidence")
        delete.triggered.connect(self.deleteEvidenceRequested.emit)
        return menu

    def _set_active(self, project_row: int, active: bool) -> None:
        evidence = self.document.project.evidence[project_row]
        with reporting(self):
            self.document.do(UpdateEvidence(evidence.id, {"active": active}))

    def edit_rationale(self) -> None:
        row, column = self.current_project_row(), self.current_hypothesis()
        if row < 0 or column < 0:
            return
        project = self.document.project
        cell = f"{project.evidence[row].code} x {project.hypotheses[column].code}"
        text, ok = QInputDialog.getMultiLineText(
            self, "Rationale", f"Why this rating for {cell}?", self.document.rationale(row, column)
        )
        if ok:
            with reporting(self):
                document = self.document
                edit = actions.rationale_edit(
                    document.project, document.seat, row, column, text.strip()
                )
                document.do(edit)

    def _header_menu(self, position: QPoint) -> None:
        section = self.horizontalHeader().logicalIndexAt(position)
        menu = QMenu(self)
        if section >= LEADING:
            column = section - LEADING
            edit = menu.addAction("Edit hypothesis…")
            edit.triggered.connect(lambda: self.editHypothesisRequested.emit(column))
        ranked = menu.addAction("Sort hypotheses by rank")
        ranked.triggered.connect(self.sortHypothesesRequested.emit)
        menu.exec(self.horizontalHeader().mapToGlobal(position))

    def _section_moved(self, logical: int, old_visual: int, new_visual: int) -> None:
        """A dragged hypothesis header becomes a MoveHypothesis edit; the header
        itself snaps back because the model reorders its columns instead."""
        header = self.horizontalHeader()
        header.blockSignals(True)
        header.moveSection(new_visual, old_visual)
        header.blockSignals(False)
        if logical < LEADING or new_visual < LEADING:
            return
        hypothesis = self.document.project.hypotheses[logical - LEADING]
        with reporting(self):
            self.document.do(MoveHypothesis(hypothesis.id, new_visual - LEADING))

    # -- clipboard ------------------------------------------------------------------------

    def copy_selection(self) -> str:
        """Copy the selected block as tab-separated text (what spreadsheets paste)."""
        indexes = self.selectionModel().selectedIndexes() or [self.currentIndex()]
        indexes = [i for i in indexes if i.isValid()]
        if not indexes:
            return ""
        rows = sorted({i.row() for i in indexes})
        columns = sorted({i.column() for i in indexes})
        chosen = {(i.row(), i.column()) for i in indexes}
        model = self.matrix
        lines = []
        for row in rows:
            cells = []
            for column in columns:
                value = model.index(row, column).data() if (row, column) in chosen else ""
                cells.append(str(value or "").replace("\t", " ").replace("\n", " "))
            lines.append("\t".join(cells))
        text = "\n".join(lines)
        QGuiApplication.clipboard().setText(text)
        return text

    def paste(self, text: str | None = None) -> None:
        """Paste ratings from tab-separated text at the current cell, as one undo step."""
        with reporting(self):
            text = QGuiApplication.clipboard().text() if text is None else text
            self.document.do(self._paste_edit(text))

    def _paste_edit(self, text: str) -> Edit:
        current = self.currentIndex()
        if not current.isValid() or current.column() < LEADING:
            raise WorkbenchError("Select the top-left rating cell to paste into first.")
        block = actions.parse_pasted_ratings(text)
        model = self.matrix
        rows = [model.project_row(r) for r in range(current.row(), model.rowCount())]
        document = self.document
        return actions.paste_edit(
            document.project, document.seat, block, rows, current.column() - LEADING
        )

    def visual_rect_of(self, row: int, column: int) -> QRect:
        return self.visualRect(self.matrix.index(row, column))


def make_clipboard_actions(view: MatrixView) -> tuple[QAction, QAction]:
    copy = QAction("&Copy", view)
    copy.setObjectName("actionCopy")
    copy.setShortcut(QKeySequence.StandardKey.Copy)
    copy.triggered.connect(view.copy_selection)
    paste = QAction("&Paste", view)
    paste.setObjectName("actionPaste")
    paste.setShortcut(QKeySequence.StandardKey.Paste)
    paste.triggered.connect(lambda: view.paste())
    return copy, paste


__all__ = ["MatrixView", "RatingDelegate", "RatingPicker", "RatingRole"]

"""Table models of the matrix and its score footer, served from numpy.

The model reads ratings from ``Document.codes`` and scores from
``Document.scores`` for the cells Qt asks about (only the visible ones), so
no per-cell Python object exists and a 5,000 x 40 matrix scrolls freely.
Rows are shown in ``row_order``: a numpy array of project row indices after
sorting and filtering. Typing a rating never re-sorts (rows jumping under
the cursor would be maddening); the order is rebuilt when asked or when the
structure changes.
"""

from __future__ import annotations

import enum
from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from workbench.core.analysis import CONSENSUS
from workbench.core.model import Evidence
from workbench.core.ratings import Rating
from workbench.ui.base import palette
from workbench.ui.base.document import Document

Index = QModelIndex | QPersistentModelIndex

#: Leading columns before the hypotheses.
CODE, TITLE, CREDIBILITY, RELEVANCE, DIAGNOSTICITY = range(5)
LEADING = 5
LEADING_HEADERS = ("ID", "Evidence", "Cred.", "Rel.", "Diagnosticity")
LEADING_TIPS = (
    "The evidence code; stays with the item when rows move.",
    "What was observed or reported.",
    "Credibility: how far the source can be trusted (Low, Medium, High).",
    "Relevance: how much the item bears on the question (Low, Medium, High).",
    "Weighted diagnosticity: how strongly the item separates the hypotheses, times its "
    "weight. 0 means it rates every hypothesis alike and cannot tell them apart.",
)

#: Role carrying the Rating code index of a cell (int), for the delegate and tests.
RatingRole = Qt.ItemDataRole.UserRole + 1
#: Role: True when the cell has a rationale.
HasRationaleRole = Qt.ItemDataRole.UserRole + 2
#: Role: the project row index of a view row.
ProjectRowRole = Qt.ItemDataRole.UserRole + 3
#: Role: True when the team consensus is shown and the facilitator set this cell by hand.
OverriddenRole = Qt.ItemDataRole.UserRole + 4


#: Up to this many changed rows are announced one by one; more, as one range.
_FEW_ROWS = 64


class SortKey(enum.StrEnum):
    MATRIX = "Matrix order"
    DIAGNOSTICITY = "Weighted diagnosticity"
    DATE = "Date"
    TYPE = "Type"
    CREDIBILITY = "Credibility"


def _matches(evidence: Evidence, words: list[str], sources: dict[int, str]) -> bool:
    haystack = " ".join(
        (
            evidence.code,
            evidence.title,
            evidence.description,
            evidence.notes,
            evidence.locator,
            # The type's name, so "conclusion" or "assumption" lists those apart.
            evidence.type.label,
            " ".join("#" + t for t in evidence.tags),
            sources.get(evidence.source_id or -1, ""),
        )
    ).casefold()
    return all(word in haystack for word in words)


class MatrixModel(QAbstractTableModel):
    """Evidence rows x (leading columns + hypotheses) of the current layer."""

    def __init__(self, document: Document, parent: Any = None):
        super().__init__(parent)
        self.document = document
        self.row_order = np.zeros(0, dtype=np.int64)
        self.sort_key = SortKey.MATRIX
        self.filter_text = ""
        #: Column count as last announced to the views (Qt asks for it thousands of times).
        self._columns = 0
        self._rationale_cells: set[tuple[int, int]] = set()
        #: Weighted diagnosticity as last announced to the views (per project row).
        self._diagnosticity_shown: np.ndarray | None = None
        #: Which hypotheses' headers were last announced in bold (the leaders).
        self._leaders_shown: np.ndarray | None = None
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)
        document.projectReplaced.connect(self._reset)
        document.structureChanged.connect(self._reset)
        document.layerChanged.connect(self._layer_changed)
        document.cellsChanged.connect(self._cells_changed)
        document.detailsChanged.connect(self._details_changed)
        document.scoresChanged.connect(self._scores_changed)
        if document.is_open:
            self._rebuild()

    def _layer_changed(self) -> None:
        """Another layer on show: same rows and columns, other ratings and rationales."""
        if self.sort_key is not SortKey.MATRIX:
            self._reset()  # the order may follow the scores
            return
        self._collect_rationales()
        if self.row_order.size and self._columns:
            self._note_diagnosticity_shown()
            last = self.index(self.rowCount() - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    # -- order and filter ------------------------------------------------------

    def _rebuild(self) -> None:
        doc = self.document
        if not doc.is_open:
            self.row_order = np.zeros(0, dtype=np.int64)
            self._rationale_cells = set()
            self._columns = 0
            self._diagnosticity_shown = None
            return
        project = doc.project
        self._columns = LEADING + len(project.hypotheses)
        n = len(project.evidence)
        rows = np.arange(n, dtype=np.int64)
        words = self.filter_text.casefold().split()
        if words:
            sources = {s.id: s.cite() for s in project.sources}
            keep = [_matches(e, words, sources) for e in project.evidence]
            rows = rows[np.asarray(keep, dtype=bool)] if n else rows
        rows = rows[self._sort_positions(rows)]
        self.row_order = rows
        self._collect_rationales()
        self._note_diagnosticity_shown()

    def _note_diagnosticity_shown(self) -> None:
        """Every cell is being repainted: remember the diagnosticity they will show."""
        scores = self.document.scores if self.document.is_open else None
        self._diagnosticity_shown = None if scores is None else scores.weighted_diagnosticity.copy()
        self._leaders_shown = None  # the headers are asked again after a reset

    def _sort_positions(self, rows: np.ndarray) -> np.ndarray:
        doc = self.document
        evidence = doc.project.evidence
        if self.sort_key is SortKey.MATRIX or rows.size == 0:
            return np.arange(rows.size)
        if self.sort_key is SortKey.DIAGNOSTICITY:
            key = -doc.scores.weighted_diagnosticity[rows]
        elif self.sort_key is SortKey.DATE:
            # Undated evidence goes last; PartialDate.ordinal() orders partial dates.
            key = np.array(
                [evidence[r].date.ordinal() if evidence[r].date else np.inf for r in rows]
            )
        elif self.sort_key is SortKey.TYPE:
            names = [evidence[r].type.label for r in rows]
            return np.array(sorted(range(len(rows)), key=lambda i: names[i]), dtype=np.int64)
        else:
            key = -np.array([int(evidence[r].credibility) for r in rows])
        return np.argsort(key, kind="stable")

    def set_sort(self, key: SortKey | str) -> None:
        # A combo box hands the enum back as its plain string value.
        self.sort_key = SortKey(key)
        self._reset()

    def set_filter(self, text: str) -> None:
        self.filter_text = text
        self._reset()

    def _reset(self) -> None:
        self.beginResetModel()
        self._rebuild()
        self.endResetModel()

    def _collect_rationales(self) -> None:
        doc = self.document
        analyst = doc.editing_analyst()
        project = doc.project
        if analyst is None:
            keys = {k for k, o in project.overrides.items() if o.note}
        else:
            notes = project.rationales.items()
            keys = {(e, h) for (a, e, h), text in notes if a == analyst and text}
        self._rationale_cells = keys

    # -- mapping ---------------------------------------------------------------

    def project_row(self, view_row: int) -> int:
        return int(self.row_order[view_row])

    def view_row(self, project_row: int) -> int:
        """The view row showing a project row, or -1 when it is filtered out."""
        hits = np.flatnonzero(self.row_order == project_row)
        return int(hits[0]) if hits.size else -1

    @staticmethod
    def hypothesis_column(view_column: int) -> int:
        """The hypothesis index of a view column, or -1 for a leading column."""
        return view_column - LEADING if view_column >= LEADING else -1

    # -- signals from the document --------------------------------------------

    def _cells_changed(self, first: int, last: int) -> None:
        self._collect_rationales()
        rows = np.flatnonzero((self.row_order >= first) & (self.row_order <= last))
        if rows.size:
            self.dataChanged.emit(
                self.index(int(rows.min()), 0),
                self.index(int(rows.max()), self.columnCount() - 1),
            )

    def _scores_changed(self) -> None:
        self._diagnosticity_changed()
        # The headers follow the scores only in the leader's bold (their tooltips are
        # asked for when shown); announcing them re-lays the header out and repaints
        # the whole table, so only when the leaders changed.
        leaders = self.document.scores.rank == 1 if self.document.is_open else None
        shown = self._leaders_shown
        if leaders is not None and shown is not None and np.array_equal(leaders, shown):
            return
        self._leaders_shown = leaders
        if self.columnCount() > LEADING:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, LEADING, self.columnCount() - 1)

    def _diagnosticity_changed(self) -> None:
        """Announce the diagnosticity cells whose value changed since last announced.

        A weight change may move every row's; a rating key press moves one row's.
        Qt repaints the whole viewport for a range that reaches past the visible
        rows, so a key press announces only its own row instead of the column.
        """
        shown = self._diagnosticity_shown
        now = self.document.scores.weighted_diagnosticity if self.document.is_open else None
        self._diagnosticity_shown = None if now is None else now.copy()
        if not self.rowCount() or now is None:
            return
        if shown is None or shown.shape != now.shape:
            changed = None
        else:
            # NaN never equals itself: a row that stays NaN has not changed.
            differs = (shown != now) & ~(np.isnan(shown) & np.isnan(now))
            changed = np.flatnonzero(differs[self.row_order])
            if not changed.size:
                return
        if changed is None or changed.size > _FEW_ROWS:
            self.dataChanged.emit(
                self.index(0, DIAGNOSTICITY), self.index(self.rowCount() - 1, DIAGNOSTICITY)
            )
            return
        for view_row in changed.tolist():
            cell = self.index(view_row, DIAGNOSTICITY)
            self.dataChanged.emit(cell, cell)

    def _details_changed(self) -> None:
        if self.columnCount():
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)

    # -- QAbstractTableModel -----------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid():
            return 0
        return int(self.row_order.size)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._columns

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Closed (the window is going away): the views may still ask once more.
        if not index.isValid() or not self.document.is_open:
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < self.row_order.size and 0 <= column < self._columns):
            return None
        project_row = int(self.row_order[row])
        codes = self.document.codes
        # A structural change reaches the views a moment after the project: ask nothing
        # outside the arrays as they are now.
        if project_row >= codes.shape[0] or column - LEADING >= codes.shape[1]:
            return None
        if column >= LEADING:
            return self._rating_data(project_row, column - LEADING, role)
        return self._leading_data(project_row, column, role)

    def paint_cell(self, index: Index) -> tuple[str, QColor | None, QColor | None, bool]:
        """(code, fill, text colour, has rationale) of a rating cell in one call,
        for the delegate: four ``index.data`` round trips per cell made scrolling slow."""
        row, column = index.row(), index.column() - LEADING
        doc = self.document
        if not doc.is_open or row >= self.row_order.size:
            return "", None, None, False
        project_row = int(self.row_order[row])
        if project_row >= doc.codes.shape[0] or column >= doc.codes.shape[1]:
            return "", None, None, False
        code = int(doc.codes[project_row, column])
        fill = palette.FILL_BY_CODE[code]
        active = bool(doc.active[project_row])
        text = palette.TEXT_BY_CODE[code] if active else palette.faded_text(fill)
        if not active and fill is not None:
            fill = palette.faded(fill)
        noted = False
        if self._rationale_cells:
            project = doc.project
            key = (project.evidence[project_row].id, project.hypotheses[column].id)
            noted = key in self._rationale_cells
        return Rating(code).code, fill, text, noted

    def _rating_data(self, row: int, col: int, role: int) -> Any:
        doc = self.document
        code = int(doc.codes[row, col])
        if role == Qt.ItemDataRole.DisplayRole:
            return Rating(code).code
        if role == RatingRole:
            return code
        if role == Qt.ItemDataRole.BackgroundRole:
            if not doc.active[row] and palette.FILL_BY_CODE[code] is not None:
                return palette.faded(palette.FILL_BY_CODE[code])
            return palette.FILL_BY_CODE[code]
        if role == Qt.ItemDataRole.ForegroundRole:
            if not doc.active[row]:
                return palette.faded_text(palette.FILL_BY_CODE[code])
            return palette.TEXT_BY_CODE[code]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == HasRationaleRole:
            project = doc.project
            return (project.evidence[row].id, project.hypotheses[col].id) in self._rationale_cells
        if role == ProjectRowRole:
            return row
        if role == OverriddenRole:
            return self.is_overridden(row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._rating_tip(row, col, code)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.spoken_cell(row, col, code)
        return None

    def spoken_cell(self, row: int, col: int, code: int) -> str:
        """What a screen reader says on a cell: "E12 by H2: Inconsistent, rationale: ..."."""
        project = self.document.project
        rating = Rating(code)
        text = f"{project.evidence[row].code} by {project.hypotheses[col].code}: "
        text += rating.label if rating is not Rating.BLANK else "not rated"
        note = self.document.rationale(row, col)
        if note:
            text += f", rationale: {note}"
        if not self.document.active[row]:
            text += ", excluded from scoring"
        if self.is_overridden(row, col):
            text += ", team rating set by hand"
        return text

    def is_overridden(self, row: int, col: int) -> bool:
        """True when the consensus is shown and this cell's team rating was set by hand."""
        doc = self.document
        if not doc.is_open or doc.layer != CONSENSUS or not doc.project.overrides:
            return False
        project = doc.project
        if row >= len(project.evidence) or col >= len(project.hypotheses):
            return False
        return (project.evidence[row].id, project.hypotheses[col].id) in project.overrides

    def _rating_tip(self, row: int, col: int, code: int) -> str:
        doc = self.document
        project = doc.project
        evidence, hypothesis = project.evidence[row], project.hypotheses[col]
        rating = Rating(code)
        head = f"{evidence.code} x {hypothesis.code}: {rating.label}"
        if rating is not Rating.BLANK:
            head += f" ({rating.code})"
        note = doc.rationale(row, col)
        lines = [head]
        if note:
            lines.append(note)
        if not evidence.active:
            lines.append("Excluded from scoring.")
        if self.is_overridden(row, col):
            lines.append("Team rating set by hand by the facilitator.")
        return "\n".join(lines)

    def _leading_data(self, row: int, column: int, role: int) -> Any:
        doc = self.document
        evidence = doc.project.evidence[row]
        excluded = not doc.active[row]
        non_diagnostic = doc.scores.diagnosticity[row] == 0
        if role == Qt.ItemDataRole.DisplayRole:
            if column == CODE:
                return evidence.code
            if column == TITLE:
                return evidence.title
            if column == CREDIBILITY:
                return evidence.credibility.label
            if column == RELEVANCE:
                return evidence.relevance.label
            if excluded:
                # What the item would contribute, as the README promises (see _leading_tip).
                return f"excluded · {doc.scores.weighted_diagnosticity[row]:.2f}"
            if non_diagnostic:
                return "0 · non-diagnostic"
            return f"{doc.scores.weighted_diagnosticity[row]:.2f}"
        if role == ProjectRowRole:
            return row
        if role == Qt.ItemDataRole.ForegroundRole:
            if excluded or (column == DIAGNOSTICITY and non_diagnostic):
                return palette.muted_text()
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return palette.excluded_fill() if excluded else None
        if role == Qt.ItemDataRole.FontRole:
            if excluded or (column == DIAGNOSTICITY and non_diagnostic):
                return self._italic
            if column == CODE:
                return self._bold
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == TITLE:
                return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            if column == DIAGNOSTICITY:
                return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._leading_tip(row, column, evidence)
        return None

    def _leading_tip(self, row: int, column: int, evidence: Evidence) -> str:
        doc = self.document
        if column == DIAGNOSTICITY:
            if not evidence.active:
                return (
                    f"{evidence.code} is excluded: it counts in no score. Included, its "
                    f"weighted diagnosticity would be {doc.scores.weighted_diagnosticity[row]:.2f}."
                )
            d, w = doc.scores.diagnosticity[row], doc.weights[row]
            if d == 0:
                return (
                    f"{evidence.code} rates every hypothesis alike, so it cannot tell them "
                    "apart (diagnosticity 0)."
                )
            return f"Diagnosticity {d:.2f} x weight {w:.2f} = {d * w:.2f}."
        if column in (CREDIBILITY, RELEVANCE):
            return f"Weight of {evidence.code}: {evidence.weight:.2f} (credibility x relevance)."
        parts = [f"{evidence.code}: {evidence.title}"]
        if evidence.date:
            parts.append(f"Date: {evidence.date}")
        parts.append(f"Type: {evidence.type.label}")
        source = doc.project.source_by_id(evidence.source_id)
        if source:
            where = f", {evidence.locator}" if evidence.locator else ""
            parts.append(f"Source: {source.cite()}{where}")
        if evidence.tags:
            parts.append("Tags: " + ", ".join(evidence.tags))
        if not evidence.active:
            parts.append("Excluded from scoring.")
        return "\n".join(parts)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not self.document.is_open:
            return None
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < self.rowCount():
                return str(section + 1)
            return None
        if not (0 <= section < self.columnCount()):
            return None
        if section < LEADING:
            if role == Qt.ItemDataRole.DisplayRole:
                return LEADING_HEADERS[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return LEADING_TIPS[section]
            return None
        col = section - LEADING
        hypothesis = self.document.project.hypotheses[col]
        scores = self.document.scores
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{hypothesis.code}\n{hypothesis.title}"
        if role == Qt.ItemDataRole.ToolTipRole:
            text = f"{hypothesis.code}: {hypothesis.title}\nRank {scores.rank[col]}"
            if hypothesis.description:
                text += f"\n\n{hypothesis.description}"
            return text
        if role == Qt.ItemDataRole.FontRole and scores.rank.size and scores.rank[col] == 1:
            return self._bold
        return None

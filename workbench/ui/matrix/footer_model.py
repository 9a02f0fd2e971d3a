"""The score rows under the matrix: one column per hypothesis, aligned with it.

Values come from ``Document.scores`` (already computed after each change),
so the footer updates as the analyst types without scoring anything itself.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QFont

from workbench.core.ratings import RATING_SCALE
from workbench.ui.base import palette
from workbench.ui.base.document import Document
from workbench.ui.matrix.matrix_model import CODE, LEADING, Index

#: The score rows under the matrix, with the one-sentence tooltip of each.
FOOTER_ROWS = (
    (
        "Inconsistency",
        "inconsistency",
        f"How much evidence argues against the hypothesis: {RATING_SCALE.counted(-1)}, "
        "ignoring weights.",
    ),
    (
        "Weighted inconsistency",
        "weighted_inconsistency",
        "Inconsistency with each item weighted by credibility x relevance; lowest ranks first.",
    ),
    (
        "Normalized",
        "normalized",
        "Weighted inconsistency divided by the weight of the evidence rated against it, "
        "so hypotheses rated on different amounts of evidence compare fairly.",
    ),
    (
        "Posterior",
        "posterior",
        "The probability of the hypothesis given all active evidence, reading each rating "
        "as a likelihood (Bayesian view).",
    ),
)


def _percent(value: float) -> str:
    """A posterior as the analyst reads it: never a false 100.0 % or 0.0 %."""
    if value > 0.999:
        return ">99.9%"
    if 0 < value < 0.001:
        return "<0.1%"
    return f"{value:.1%}"


class ScoreFooterModel(QAbstractTableModel):
    """The score rows, column-aligned with :class:`MatrixModel`."""

    def __init__(self, document: Document, parent: Any = None):
        super().__init__(parent)
        self.document = document
        self._bold = QFont()
        self._bold.setBold(True)
        document.projectReplaced.connect(self._reset)
        document.structureChanged.connect(self._reset)
        document.scoresChanged.connect(self._scores_changed)

    def _reset(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def _scores_changed(self) -> None:
        if self.columnCount() > LEADING:
            self.dataChanged.emit(
                self.index(0, LEADING), self.index(self.rowCount() - 1, self.columnCount() - 1)
            )

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(FOOTER_ROWS)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid() or not self.document.is_open:
            return 0
        return LEADING + len(self.document.project.hypotheses)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled

    def value(self, row: int, col: int) -> float:
        return float(getattr(self.document.scores, FOOTER_ROWS[row][1])[col])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(FOOTER_ROWS) and 0 <= column < self.columnCount()):
            return None
        name, _attr, tip = FOOTER_ROWS[row]
        if column < LEADING:
            # The name sits in column 0, which the footer view spans over the leading columns.
            if role == Qt.ItemDataRole.DisplayRole and column == CODE:
                return name
            if role == Qt.ItemDataRole.ToolTipRole:
                return tip
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            if role == Qt.ItemDataRole.FontRole and column == CODE:
                return self._bold
            return None
        col = column - LEADING
        if role == Qt.ItemDataRole.DisplayRole:
            value = self.value(row, col)
            if FOOTER_ROWS[row][1] == "inconsistency":
                return f"{value:g}"
            if FOOTER_ROWS[row][1] == "posterior":
                return _percent(value)
            return f"{value:.2f}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole):
            # Asked only for these two roles: the leader is a search of the ranks.
            if col != self.document.scores.leader:
                return None
            return palette.leader_fill() if role == Qt.ItemDataRole.BackgroundRole else self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            hypothesis = self.document.project.hypotheses[col]
            rank = self.document.scores.rank[col]
            return f"{name} of {hypothesis.code}: {self.value(row, col):.4g} (rank {rank}).\n{tip}"
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return None

"""The scores panel: which hypothesis the evidence argues against least.

A horizontal bar chart (pyqtgraph) of one score per hypothesis in rank order,
rank 1 at the top and highlighted, with a two-way switch between Heuer's
weighted inconsistency and the Bayesian posterior; under it a table of every
score. It redraws from ``document.scores`` whenever the document says the
scores changed, so it never computes anything itself.
"""

from __future__ import annotations

import enum

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from workbench.core import palette as colours
from workbench.core.model import Hypothesis
from workbench.core.scoring import MatrixScores
from workbench.ui.base.chart_font import follow_widget_font
from workbench.ui.base.document import Document
from workbench.ui.base.palette import is_dark
from workbench.ui.base.when_shown import WhenShown

#: The palette of the project: the leading hypothesis, and every other bar.
LEADER_COLOUR = colours.LEADER
BAR_COLOUR_LIGHT = colours.BAR_LIGHT
BAR_COLOUR_DARK = colours.BAR_DARK
SHORT_TITLE = 30

WI_HELP = (
    "Weighted inconsistency: the evidence against this hypothesis, each item counted "
    "by its credibility and relevance. Lower is more likely."
)
POSTERIOR_HELP = (
    "Posterior: the probability of this hypothesis given all the evidence, treating "
    "each rating as a likelihood (a Bayesian reading of the matrix). Higher is more likely."
)
COLUMN_HELP = {
    "Rank": "Rank 1 is the most likely: least weighted inconsistency, then most consistency.",
    "Code": "The hypothesis code as shown in the matrix header.",
    "Weighted inc.": WI_HELP,
    "Consistency": (
        "Consistency: the weighted evidence for this hypothesis. Heuer warns it proves "
        "little, since evidence often fits several hypotheses; it only breaks ties."
    ),
    "Normalized": (
        "Normalized: weighted inconsistency divided by the total weight of the evidence "
        "rated for this hypothesis, so hypotheses rated on fewer items compare fairly."
    ),
    "Posterior": POSTERIOR_HELP,
}


class Measure(enum.Enum):
    WEIGHTED_INCONSISTENCY = "weighted_inconsistency"
    POSTERIOR = "posterior"

    @property
    def label(self) -> str:
        return "Weighted inconsistency" if self is Measure.WEIGHTED_INCONSISTENCY else "Posterior"

    @property
    def help(self) -> str:
        return WI_HELP if self is Measure.WEIGHTED_INCONSISTENCY else POSTERIOR_HELP

    def values(self, scores: MatrixScores) -> np.ndarray:
        return np.asarray(getattr(scores, self.value), dtype=float)

    def format(self, value: float) -> str:
        return f"{value:.2f}" if self is Measure.WEIGHTED_INCONSISTENCY else percent(value)


def percent(probability: float) -> str:
    """A posterior as a percentage; a tiny non-zero one is not shown as a flat 0."""
    if 0 < probability < 0.0005:
        return "<0.1%"
    if 0.9995 <= probability < 1:
        return ">99.9%"
    return f"{probability:.1%}"


def short_title(hypothesis: Hypothesis, limit: int = SHORT_TITLE) -> str:
    title = " ".join(hypothesis.title.split())
    if len(title) > limit:
        title = title[: limit - 1].rstrip() + "\u2026"
    return f"{hypothesis.code}: {title}" if title else hypothesis.code


class ScoresTableModel(QAbstractTableModel):
    """One row per hypothesis in rank order; read-only."""

    COLUMNS = tuple(COLUMN_HELP)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._hypotheses: list[Hypothesis] = []
        self._scores: MatrixScores | None = None
        self._order: list[int] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_scores(self, hypotheses: list[Hypothesis], scores: MatrixScores | None) -> None:
        self.beginResetModel()
        self._hypotheses = list(hypotheses)
        self._scores = scores
        usable = scores is not None and len(scores.rank) == len(hypotheses)
        self._order = [int(j) for j in scores.order()] if usable else []
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):  # noqa: N802
        if orientation != Qt.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        name = self.COLUMNS[section]
        if role == Qt.DisplayRole:
            return name
        if role == Qt.ToolTipRole:
            return COLUMN_HELP[name]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid() or self._scores is None or index.row() >= len(self._order):
            return None
        column = index.column()
        j = self._order[index.row()]
        s = self._scores
        hypothesis = self._hypotheses[j]
        if role == Qt.DisplayRole:
            # Only the cell asked for: Qt asks cell by cell, many times per refresh.
            if column == 0:
                return str(int(s.rank[j]))
            if column == 1:
                return hypothesis.code
            if column == 2:
                return f"{s.weighted_inconsistency[j]:.2f}"
            if column == 3:
                return f"{s.consistency[j]:.2f}"
            if column == 4:
                return f"{s.normalized[j]:.3f}"
            return percent(float(s.posterior[j]))
        if role == Qt.ToolTipRole:
            return f"{hypothesis.code}: {hypothesis.title}" if column <= 1 else None
        if role == Qt.TextAlignmentRole:
            horizontal = Qt.AlignLeft if column == 1 else Qt.AlignRight
            return int(horizontal | Qt.AlignVCenter)
        if role == Qt.FontRole and int(s.rank[j]) == 1:
            return self._bold
        return None


#: Bars drawn at most: beyond this the labels of a dock-sized chart overlap, and
#: the analyst's question is which few hypotheses lead; the table lists them all.
CHART_LIMIT = 12


class ScoresPanel(QWidget):
    """Bar chart and table of the hypothesis scores of the layer on screen."""

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.measure = Measure.WEIGHTED_INCONSISTENCY
        self._order: list[int] = []
        self._values = np.zeros(0)

        self.measure_buttons = QButtonGroup(self)
        self.measure_buttons.setExclusive(True)
        switch = QHBoxLayout()
        switch.setSpacing(0)
        for measure in Measure:
            button = QPushButton(measure.label)
            button.setCheckable(True)
            button.setChecked(measure is self.measure)
            button.setToolTip(measure.help)
            button.setObjectName(f"measure_{measure.value}")
            # The chosen half of the switch must read as chosen in light and dark mode.
            button.setStyleSheet(
                "QPushButton { padding: 3px 12px; }"
                "QPushButton:checked { background: palette(highlight);"
                " color: palette(highlighted-text); border: 1px solid palette(highlight); }"
            )
            button.toggled.connect(
                lambda checked, m=measure: checked and self.set_measure(m)  # type: ignore[misc]
            )
            self.measure_buttons.addButton(button)
            switch.addWidget(button)
        switch.addStretch(1)

        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setObjectName("scores_caption")

        self.plot = follow_widget_font(pg.PlotWidget())
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setMinimumHeight(120)
        self.plot.invertY(True)
        self.plot.showGrid(x=True, y=False, alpha=0.15)
        self.plot.getPlotItem().setContentsMargins(4, 4, 12, 4)
        self.bars = pg.BarGraphItem(x0=[], y=[], height=0.62, width=[])
        self.plot.addItem(self.bars)
        self._value_labels: list[pg.TextItem] = []
        self.plot.scene().sigMouseMoved.connect(self._show_bar_tooltip)
        self.plot.getPlotItem().vb.sigResized.connect(self._fit_x_range)

        self.empty_note = QLabel("Add hypotheses and rate evidence to see scores.")
        self.empty_note.setAlignment(Qt.AlignCenter)
        self.empty_note.setWordWrap(True)

        self.table_model = ScoresTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.table_model)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().hide()
        # Compact rows leave the chart above more of a crowded dock.
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        # Rank and code hug their text; the four scores share what is left, so the
        # table fits a narrow dock without a horizontal scroll bar.
        header.setSectionResizeMode(QHeaderView.Stretch)
        header.setMinimumSectionSize(30)
        for column in (0, 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeToContents)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(switch)
        layout.addWidget(self.caption)
        layout.addWidget(self.plot, 3)
        layout.addWidget(self.empty_note, 3)
        layout.addWidget(self.table)

        # Redrawn just after the matrix and its footer (a burst of keys redraws once),
        # and not at all while the dock is hidden.
        self.when_shown = WhenShown(
            self, self.refresh, document.scoresChanged, document.projectReplaced, delay_ms=40
        )
        self._apply_palette()
        self.refresh()

    # -- public ---------------------------------------------------------------

    def set_measure(self, measure: Measure) -> None:
        if measure is self.measure:
            return
        self.measure = measure
        for button in self.measure_buttons.buttons():
            button.setChecked(button.objectName() == f"measure_{measure.value}")
        self.refresh()

    def bar_labels(self) -> list[str]:
        """The axis labels top to bottom (rank 1 first)."""
        hypotheses = self._hypotheses()
        return [short_title(hypotheses[j]) for j in self._order]

    def bar_values(self) -> list[float]:
        return [float(v) for v in self._values]

    def refresh(self) -> None:
        hypotheses = self._hypotheses()
        scores = self.document.scores if self.document.is_open else None
        if scores is None or len(scores.rank) != len(hypotheses):
            scores = None
        self.table_model.set_scores(hypotheses, scores)
        self._fit_table_height()
        self.caption.setText(self.measure.help)
        has_bars = scores is not None and len(hypotheses) > 0
        self.plot.setVisible(has_bars)
        self.empty_note.setVisible(not has_bars)
        if not has_bars:
            self._order, self._values = [], np.zeros(0)
            self.bars.setOpts(x0=[], y=[], width=[], brushes=[])
            self._set_value_labels([])
            return
        ranked = [int(j) for j in scores.order()]
        self._order = ranked[:CHART_LIMIT]
        self._values = self.measure.values(scores)[self._order]
        if len(ranked) > CHART_LIMIT:
            self.caption.setText(
                f"{self.measure.help} The chart shows the {CHART_LIMIT} most likely of "
                f"{len(ranked)} hypotheses; the table lists them all."
            )
        self._draw(hypotheses)

    # -- drawing --------------------------------------------------------------

    def _hypotheses(self) -> list[Hypothesis]:
        return list(self.document.project.hypotheses) if self.document.is_open else []

    def _draw(self, hypotheses: list[Hypothesis]) -> None:
        n = len(self._order)
        positions = np.arange(n, dtype=float)
        other = BAR_COLOUR_DARK if self._is_dark() else BAR_COLOUR_LIGHT
        brushes = [pg.mkBrush(LEADER_COLOUR if k == 0 else other) for k in range(n)]
        self.bars.setOpts(
            x0=np.zeros(n), y=positions, width=self._values, brushes=brushes, pen=pg.mkPen(None)
        )
        labels = self.bar_labels()
        axis = self.plot.getAxis("left")
        axis.setTicks([list(enumerate(labels)), []])
        metrics = QFontMetrics(self.font())
        axis.setWidth(min(260, max(metrics.horizontalAdvance(t) for t in labels) + 16))
        bottom = self.plot.getAxis("bottom")
        bottom.setLabel(self.measure.label)
        if self.measure is Measure.POSTERIOR:
            quarters = [(q / 4, f"{q * 25}%") for q in range(5)]
            bottom.setTicks([quarters, []])
        else:
            bottom.setTicks(None)  # back to automatic ticks
        self._fit_x_range()
        self.plot.setYRange(-0.6, n - 0.4, padding=0)
        self._set_value_labels(
            [(float(v), k, self.measure.format(float(v))) for k, v in enumerate(self._values)]
        )

    def _fit_table_height(self) -> None:
        """No taller than its rows (up to eight), never shorter than two, so a short
        list does not scroll and the panel still fits a crowded dock column."""
        row_px = self.table.verticalHeader().defaultSectionSize()
        chrome = self.table.horizontalHeader().sizeHint().height() + 2 * self.table.frameWidth() + 2
        rows = min(max(self.table_model.rowCount(), 1), 8)
        self.table.setMaximumHeight(chrome + rows * row_px)
        self.table.setMinimumHeight(chrome + min(rows, 2) * row_px)

    def _fit_x_range(self) -> None:
        """Scale x so the value printed after the longest bar fits, however narrow the dock."""
        if not self._order:
            return
        # Probabilities keep one scale (0..100 %) so a change of layer does not rescale them.
        posterior = self.measure is Measure.POSTERIOR
        top = 1.0 if posterior else max(float(self._values.max()), 1.0)
        metrics = QFontMetrics(self.font())
        label_px = max(metrics.horizontalAdvance(self.measure.format(v)) for v in self._values)
        view_px = max(self.plot.getPlotItem().vb.width(), 1.0)
        share = min(0.6, (label_px + 12) / view_px)
        self.plot.setXRange(0, top / (1 - share), padding=0)

    def _set_value_labels(self, labels: list[tuple[float, int, str]]) -> None:
        """One text item per bar, reused from the last refresh (making pyqtgraph
        items is most of a refresh's cost); the spare ones are taken away."""
        colour = self.palette().color(QPalette.WindowText)
        for item in self._value_labels[len(labels) :]:
            self.plot.removeItem(item)
        del self._value_labels[len(labels) :]
        for k, (x, row, text) in enumerate(labels):
            if k < len(self._value_labels):
                item = self._value_labels[k]
                item.setText(text, color=colour)
            else:
                item = pg.TextItem(text, color=colour, anchor=(0, 0.5))
                self.plot.addItem(item)
                self._value_labels.append(item)
            item.setPos(x, row)

    def _is_dark(self) -> bool:
        return is_dark(self.palette())

    def _apply_palette(self) -> None:
        palette = self.palette()
        self.plot.setBackground(palette.color(QPalette.Base))
        text = palette.color(QPalette.WindowText)
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setPen(pg.mkPen(QColor(text).darker(110) if not self._is_dark() else text))
            axis.setTextPen(pg.mkPen(text))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        # Follow the desktop when it switches between light and dark.
        if event.type() == QEvent.PaletteChange and hasattr(self, "table_model"):
            self._apply_palette()
            self.refresh()
        super().changeEvent(event)

    def _show_bar_tooltip(self, scene_pos) -> None:  # noqa: ANN001 - a QPointF from pyqtgraph
        if not self._order:
            return
        point = self.plot.getPlotItem().vb.mapSceneToView(scene_pos)
        row = int(round(point.y()))
        if not 0 <= row < len(self._order) or abs(point.y() - row) > 0.35:
            QToolTip.hideText()
            return
        j = self._order[row]
        hypothesis = self._hypotheses()[j]
        text = (
            f"<b>{hypothesis.code}</b>: {hypothesis.title}<br>"
            f"{self.measure.label}: {self.measure.format(float(self._values[row]))} "
            f"(rank {row + 1})<br><i>{self.measure.help}</i>"
        )
        global_pos = self.plot.mapToGlobal(self.plot.mapFromScene(scene_pos))
        QToolTip.showText(global_pos, text, self.plot)

"""Where the team disagrees: a heat map of spread, the cells to talk about, the arguments.

Top: a heat map of the spread of every cell (evidence down, hypotheses across;
a sequential light-to-dark colour map, since spread has no sign) with the
disputed cells ringed. Left: the cells where the analysts differ, disputed
first and then by how much settling them could move the scores (see
:mod:`workbench.core.team`). Right: for the selected cell, every analyst's
rating and reason side by side, and the button to set the team's rating by
hand.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core import palette as colours
from workbench.core.plurals import counted
from workbench.core.ratings import Rating
from workbench.core.team import CellDisagreement, TeamAnalysis, analyse_team
from workbench.ui.base.chart_font import still_chart
from workbench.ui.base.document import Document
from workbench.ui.base.lazy_chart import LazyChart
from workbench.ui.base.palette import RATING_FILL, RATING_TEXT
from workbench.ui.team.layer_switcher import set_consensus_by_hand

Index = QModelIndex | QPersistentModelIndex

#: ColorBrewer YlOrRd: light = agreement, dark red = extreme spread (readable in grey print).
SPREAD_COLOURS = colours.SPREAD
#: The largest possible spread (CC against II).
MAX_SPREAD = 2.0


NEEDS_TEAM = (
    "<p><b>Disagreement compares two or more analysts' ratings; this project has one.</b></p>"
    "<p>To bring in a team:</p><ul>"
    "<li>Team &gt; <i>Write Rating Sheets</i> gives each analyst a workbook to rate alone; "
    "Team &gt; <i>Collect Rating Sheets</i> takes them back in, one layer per analyst.</li>"
    "<li>View &gt; <i>Workshop Mode</i> (F11) rates together on a projector: P adds a "
    "participant, and each one's votes become their own layer.</li></ul>"
)


def spread_colour_map() -> pg.ColorMap:
    positions = np.linspace(0.0, 1.0, len(SPREAD_COLOURS))
    return pg.ColorMap(positions, [QColor(c) for c in SPREAD_COLOURS], name="spread")


class DisagreementModel(QAbstractTableModel):
    """The cells in discussion order; rows are built on demand from the ranking arrays."""

    FIXED = ("Cell", "Disputed", "Spread", "Matters", "Consensus")

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.team: TeamAnalysis | None = None
        self.positions = np.zeros((0, 2), dtype=int)
        self.names: list[str] = []
        # Each row's cell, built once per team: the header sizes its columns to their
        # contents, which asks every row for every role on each resize.
        self._cells: dict[int, CellDisagreement] = {}

    def set_team(self, team: TeamAnalysis | None) -> None:
        self.beginResetModel()
        self.team = team
        self._cells = {}
        self.positions = team.ranked_positions() if team else np.zeros((0, 2), dtype=int)
        self.names = [a.name for a in team.project.analysts] if team else []
        self.endResetModel()

    def cell(self, row: int) -> CellDisagreement:
        assert self.team is not None
        found = self._cells.get(row)
        if found is None:
            r, c = self.positions[row]
            found = self._cells[row] = self.team.cell(int(r), int(c))
        return found

    def row_of(self, matrix_row: int, column: int) -> int:
        hits = np.flatnonzero(
            (self.positions[:, 0] == matrix_row) & (self.positions[:, 1] == column)
        )
        return int(hits[0]) if hits.size else -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.positions)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.FIXED) + len(self.names)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if section < len(self.FIXED):
                return self.FIXED[section]
            if section - len(self.FIXED) < len(self.names):
                return self.names[section - len(self.FIXED)]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.positions):
            return None
        cell = self.cell(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return f"{cell.evidence_code} × {cell.hypothesis_code}"
            if column == 1:
                return _verdict(cell)
            if column == 2:
                return f"{cell.spread:.2f}"
            if column == 3:
                return f"{cell.importance:.2f}"
            if column == 4:
                return (cell.consensus.code or "—") + (" (by hand)" if cell.overridden else "")
            return cell.ratings[column - len(self.FIXED)].rating.code or "—"
        rating = self._rating(cell, column)
        if role == Qt.ItemDataRole.BackgroundRole and rating is not None:
            return RATING_FILL.get(rating)
        if role == Qt.ItemDataRole.ForegroundRole and rating is not None:
            return RATING_TEXT.get(rating)
        if role == Qt.ItemDataRole.FontRole and column == 1 and cell.disputed:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 1:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.ToolTipRole and column >= len(self.FIXED):
            note = cell.ratings[column - len(self.FIXED)].rationale
            return note or None
        return None

    def _rating(self, cell: CellDisagreement, column: int) -> Rating | None:
        if column == 4:
            return cell.consensus
        if column >= len(self.FIXED):
            return cell.ratings[column - len(self.FIXED)].rating
        return None


class VoteCard(QFrame):
    """One analyst's rating and reason for the selected cell."""

    def __init__(self, name: str, rating: Rating, rationale: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("voteCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(170)
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{_escape(name)}</b>", self)
        chip = QLabel(rating.code or "—", self)
        chip.setObjectName("voteChip")
        chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
        chip.setMinimumHeight(34)
        fill = RATING_FILL.get(rating)
        text = RATING_TEXT.get(rating)
        if fill is not None and text is not None:
            chip.setStyleSheet(
                f"background:{fill.name()}; color:{text.name()}; font-weight:bold; "
                "font-size:15pt; border-radius:4px;"
            )
        label = QLabel(rating.label, self)
        reason = QLabel(_escape(rationale) if rationale else "<i>no reason given</i>", self)
        reason.setWordWrap(True)
        reason.setObjectName("voteReason")
        reason.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        for widget in (title, chip, label, reason):
            layout.addWidget(widget)
        layout.addStretch(1)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _verdict(cell: CellDisagreement) -> str:
    if cell.disputed:
        return "disputed"
    if cell.unanimous:
        return "agreement"
    if cell.spread == 0:
        # Only one scored rating, or none: the difference is NA against a rating.
        return f"{Rating.NA.code} vs rated"
    return f"{cell.level.value} spread"


class DisagreementView(QWidget):
    """The facilitator's view of the team's disagreements."""

    cellSelected = Signal(int, int)  # noqa: N815 - Qt signal naming

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("disagreementView")
        self.document = document
        self.team: TeamAnalysis | None = None
        self.selected: tuple[int, int] | None = None
        self._stale = True

        # Made when the page is first shown with a team to compare (drawn only then).
        self.chart = LazyChart(self._make_chart, self)
        self.image: pg.ImageItem
        self.rings: pg.ScatterPlotItem
        self.colour_bar: pg.ColorBarItem

        self.model = DisagreementModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("disagreementTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)

        self.heading = QLabel(self)
        self.heading.setObjectName("disagreementHeading")
        self.heading.setWordWrap(True)
        self.cards = QWidget(self)
        self.cards_layout = QHBoxLayout(self.cards)
        self.cards_layout.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.cards)
        self.override_button = QPushButton("Set Consensus by Hand…", self)
        self.override_button.setObjectName("setConsensusButton")
        self.override_button.clicked.connect(self.set_consensus)
        self.summary = QLabel(self)
        self.summary.setObjectName("disagreementSummary")

        detail = QWidget(self)
        detail_layout = QVBoxLayout(detail)
        detail_layout.addWidget(self.heading)
        detail_layout.addWidget(scroll, 1)
        detail_layout.addWidget(self.override_button, 0, Qt.AlignmentFlag.AlignRight)
        lower = QSplitter(Qt.Orientation.Horizontal, self)
        lower.addWidget(self.table)
        lower.addWidget(detail)
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 4)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.chart)
        split.addWidget(lower)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([420, 560])
        # With fewer than two analysts there is nothing to compare: say how to get a team.
        self.needs_team = QLabel(NEEDS_TEAM, self)
        self.needs_team.setObjectName("disagreementNeedsTeam")
        self.needs_team.setWordWrap(True)
        self.needs_team.setTextFormat(Qt.TextFormat.RichText)
        self.needs_team.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._split = split
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.needs_team, 1)
        layout.addWidget(split, 1)

        for signal in (
            document.projectReplaced,
            document.structureChanged,
            document.detailsChanged,
            document.scoresChanged,
        ):
            signal.connect(self.refresh)
        self.refresh()

    def _make_chart(self, parent: QWidget) -> pg.PlotWidget:
        plot = still_chart("spreadHeatMap", parent)
        plot.setMinimumHeight(220)
        item = plot.getPlotItem()
        item.invertY(True)
        item.setLabel("left", "Evidence")
        item.setLabel("bottom", "Hypotheses")
        item.setTitle("Spread of the analysts' ratings (darker = further apart; ringed = disputed)")
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(spread_colour_map())
        plot.addItem(self.image)
        self.rings = pg.ScatterPlotItem(
            symbol="s", size=14, pen=pg.mkPen(colours.INK, width=2), brush=None, pxMode=True
        )
        plot.addItem(self.rings)
        self.colour_bar = pg.ColorBarItem(
            values=(0.0, MAX_SPREAD),
            colorMap=spread_colour_map(),
            interactive=False,
            label="spread",
        )
        self.colour_bar.setImageItem(self.image, insert_in=item)
        plot.scene().sigMouseClicked.connect(self._heat_map_clicked)
        return plot

    @property
    def plot(self) -> pg.PlotWidget:
        """The heat map (made now if it was never shown)."""
        return self.chart.chart()

    # -- refreshing ----------------------------------------------------------------------

    def _show_team(self, team: bool) -> None:
        # With fewer than two analysts there is nothing to compare: say how to get a team.
        self.needs_team.setVisible(not team)
        self._split.setVisible(team)
        self.summary.setVisible(team)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        # Present mode enlarges the font: fewer evidence labels fit, so draw them again.
        if event.type() == QEvent.Type.FontChange and self.team is not None:
            self._draw_heat_map()

    def refresh(self) -> None:
        if self.document.is_open:
            # Costs nothing, even hidden; and a page first shown without a team never
            # shows (and so never makes) its chart.
            self._show_team(len(self.document.project.analysts) >= 2)
        # A hidden dock does no work on every keystroke; it catches up when shown.
        self._stale = not self.isVisible()
        if self._stale:
            return
        if not self.document.is_open:
            self.team = None
            self.model.set_team(None)
            self._show_cell(None)
            return
        project = self.document.project
        if len(project.analysts) < 2:
            self.team = None
            self.model.set_team(None)
            self._show_cell(None)
            return
        self.team = analyse_team(project)
        self.model.set_team(self.team)
        self._draw_heat_map()
        disputed = int((self.team.disputed & self.team.rated).sum())
        differing = len(self.model.positions)
        self.summary.setText(
            f"{counted(len(project.analysts), 'analyst')} · "
            f"{counted(differing, 'cell')} rated differently · "
            f"{disputed} disputed (one says consistent, another inconsistent)"
        )
        selected = self.selected
        if selected is not None and (
            selected[0] >= len(project.evidence) or selected[1] >= len(project.hypotheses)
        ):
            selected = None
        if selected is None and len(self.model.positions):
            selected = tuple(int(x) for x in self.model.positions[0])
        self.select(*selected) if selected else self._show_cell(None)

    def _draw_heat_map(self) -> None:
        assert self.team is not None
        project = self.team.project
        spread = self.team.spread
        plot = self.plot
        item = plot.getPlotItem()
        if spread.size:
            self.image.setImage(spread, levels=(0.0, MAX_SPREAD), autoLevels=False)
            self.image.setRect(-0.5, -0.5, spread.shape[1], spread.shape[0])
        else:
            self.image.clear()
        rows, columns = np.nonzero(self.team.disputed)
        self.rings.setData(x=columns.astype(float), y=rows.astype(float))
        # As many labels as fit the plot's height at its font, never overlapping.
        line = QFontMetrics(plot.font()).height() + 2
        room = max(4, plot.height() // line)
        step_y = max(1, -(-len(project.evidence) // room))
        step_x = max(1, len(project.hypotheses) // 30)
        item.getAxis("left").setTicks(
            [[(i, e.code) for i, e in enumerate(project.evidence) if i % step_y == 0]]
        )
        item.getAxis("bottom").setTicks(
            [[(j, h.code) for j, h in enumerate(project.hypotheses) if j % step_x == 0]]
        )
        item.setXRange(-0.5, max(len(project.hypotheses), 1) - 0.5, padding=0.02)
        item.setYRange(-0.5, max(len(project.evidence), 1) - 0.5, padding=0.02)

    # -- selection ---------------------------------------------------------------------

    def select(self, row: int, column: int) -> None:
        """Show one matrix cell's votes (and select it in the list when it is there)."""
        self.selected = (row, column)
        list_row = self.model.row_of(row, column)
        if list_row >= 0:
            self.table.selectionModel().blockSignals(True)
            self.table.selectRow(list_row)
            self.table.setCurrentIndex(self.model.index(list_row, 0))
            self.table.selectionModel().blockSignals(False)
        self._show_cell(self.team.cell(row, column) if self.team else None)
        self.cellSelected.emit(row, column)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            r, c = self.model.positions[current.row()]
            self.select(int(r), int(c))

    def _heat_map_clicked(self, event: Any) -> None:
        if self.team is None:
            return
        point = self.plot.getPlotItem().vb.mapSceneToView(event.scenePos())
        row, column = round(point.y()), round(point.x())
        if 0 <= row < self.team.spread.shape[0] and 0 <= column < self.team.spread.shape[1]:
            self.select(row, column)

    def _show_cell(self, cell: CellDisagreement | None) -> None:
        while self.cards_layout.count():
            widget = self.cards_layout.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        can_override = (
            cell is not None
            and self.document.is_open
            and not self.document.read_only
            and len(self.document.project.analysts) > 1
        )
        self.override_button.setEnabled(can_override)
        if cell is None:
            self.heading.setText(
                "<i>No disagreements: everyone who rated a cell rated it alike.</i>"
            )
            return
        project = self.document.project
        evidence = project.evidence[cell.row]
        hypothesis = project.hypotheses[cell.column]
        verdict = _verdict(cell)
        fixed = ""
        if cell.override is not None:
            note = f": {_escape(cell.override.note)}" if cell.override.note else ""
            fixed = f" — <b>set by hand</b> (computed {cell.computed.code or 'blank'}){note}"
        self.heading.setText(
            f"<b>{evidence.code}</b> {_escape(evidence.title)}<br>"
            f"against <b>{hypothesis.code}</b> {_escape(hypothesis.title)}<br>"
            f"{verdict}, spread {cell.spread:.2f}, matters {cell.importance:.2f} · "
            f"team rating <b>{cell.consensus.code or 'blank'}</b>{fixed}"
        )
        for vote in cell.ratings:
            self.cards_layout.addWidget(
                VoteCard(vote.name, vote.rating, vote.rationale, self.cards)
            )
        self.cards_layout.addStretch(1)

    def set_consensus(self) -> None:
        if self.selected is not None:
            set_consensus_by_hand(self.window(), self.document, *self.selected)

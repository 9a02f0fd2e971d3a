"""The evidence timeline: each hypothesis's weighted inconsistency, built up by date.

One step line per hypothesis (pyqtgraph), a marker where an item adds to it
(hover: code, title, how much), and the undated evidence listed beside the
chart instead of being dropped. The axis shows either real time or the items
evenly spaced in date order, which reads better when evidence bunches in the
last years. "Mark date" draws a dashed line at any date the analyst names (an
election, an ultimatum); it is saved with the project.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.core import palette as colours
from workbench.core.dates import BadDate, PartialDate
from workbench.core.timeline import Timeline, project_timeline
from workbench.reports.charts import SERIES
from workbench.ui.base.chart_font import follow_widget_font
from workbench.ui.base.dialogs import show_error
from workbench.ui.base.document import Document
from workbench.ui.base.lazy_chart import LazyChart
from workbench.ui.base.when_shown import WhenShown

#: Project-file setting holding the marked date.
ANNOTATE_SETTING = "timeline_annotate_date"


def fractional_year(date: PartialDate) -> float:
    """Where a date sits on a year axis (its first possible day)."""
    start = date.start()
    first = dt.date(start.year, 1, 1)
    days = 366 if start.year % 4 == 0 and (start.year % 100 or start.year % 400 == 0) else 365
    return start.year + (start.toordinal() - first.toordinal()) / days


class TimelineView(QWidget):
    """Step lines of accumulated weighted inconsistency per hypothesis."""

    evidenceSelected = Signal(int)  # noqa: N815 - Qt signal naming

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("timelineView")
        self.document = document
        self.timeline: Timeline | None = None
        self.annotate: PartialDate | None = None

        # Made when the page is first shown (the view draws only then).
        self.chart = LazyChart(self._make_chart, self)
        self.legend: pg.LegendItem
        self.curves: list[pg.PlotDataItem] = []
        self.markers: list[pg.ScatterPlotItem] = []
        self.annotation = pg.InfiniteLine(
            angle=90,
            movable=False,
            pen=pg.mkPen(colours.SECONDARY_INK, width=1.5, style=Qt.PenStyle.DashLine),
            label="",
            labelOpts={"position": 0.95, "color": colours.NOTE_INK},
        )

        self.even = QCheckBox("Space items evenly", self)
        self.even.setObjectName("evenSpacing")
        self.even.setToolTip(
            "Place the items one step apart in date order instead of on a "
            "true time axis (useful when most evidence is recent)."
        )
        # Even spacing by default, as in the report: evidence usually bunches late.
        self.even.setChecked(True)
        self.even.toggled.connect(self._draw)
        self.mark = QLineEdit(self)
        self.mark.setObjectName("annotateDate")
        self.mark.setAccessibleName("Annotate date")
        self.mark.setPlaceholderText("YYYY-MM")
        self.mark.setMaximumWidth(110)
        self.mark.setToolTip(
            "Draw a dashed line at this date (YYYY, YYYY-MM or YYYY-MM-DD); empty to remove it."
        )
        self.mark.editingFinished.connect(self._mark_edited)

        self.undated_model = QStringListModel(self)
        self.undated = QListView(self)
        self.undated.setObjectName("undatedList")
        self.undated.setModel(self.undated_model)
        self.undated.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.undated.setWordWrap(True)
        self.undated.clicked.connect(self._undated_clicked)
        self.undated_label = QLabel(self)
        self.undated_label.setWordWrap(True)
        self.note = QLabel(self)
        self.note.setWordWrap(True)

        controls = QHBoxLayout()
        controls.addWidget(self.note, 1)
        controls.addWidget(QLabel("Mark date:", self))
        controls.addWidget(self.mark)
        controls.addWidget(self.even)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.undated_label)
        side_layout.addWidget(self.undated, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.chart)
        splitter.addWidget(side)
        splitter.setSizes([760, 240])
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(splitter, 1)

        # Coalesces a burst of edits when shown; hidden, it waits until it is.
        self.when_shown = WhenShown(
            self, self.refresh, document.scoresChanged, document.detailsChanged, delay_ms=120
        )
        document.projectReplaced.connect(self._load_annotation)
        self._load_annotation()

    def _make_chart(self, parent: QWidget) -> pg.PlotWidget:
        plot = follow_widget_font(pg.PlotWidget(parent, background="w"))
        plot.setObjectName("timelineChart")
        plot.setMenuEnabled(False)
        plot.showGrid(x=True, y=True, alpha=0.2)
        plot.setLabel("left", "weighted inconsistency so far")
        self.legend = plot.addLegend(offset=(8, 8))
        return plot

    @property
    def plot(self) -> pg.PlotWidget:
        """The timeline chart (made now if the page was never shown)."""
        return self.chart.chart()

    # -- the marked date -----------------------------------------------------------

    def _load_annotation(self) -> None:
        text = ""
        if self.document.is_open and self.document.file is not None:
            text = self.document.file.get_setting(ANNOTATE_SETTING, "") or ""
        try:
            self.annotate = PartialDate.parse(text)
        except BadDate:
            self.annotate = None
        self.mark.setText(str(self.annotate) if self.annotate else "")
        self.when_shown.request()

    def set_annotation(self, date: PartialDate | None) -> None:
        """Mark ``date`` on the chart (None removes the mark) and remember it."""
        self.annotate = date
        self.mark.setText(str(date) if date else "")
        doc = self.document
        if doc.is_open and doc.file is not None and not doc.read_only:
            doc.file.set_setting(ANNOTATE_SETTING, str(date) if date else "")
        self._draw()

    def _mark_edited(self) -> None:
        try:
            date = PartialDate.parse(self.mark.text())
        except BadDate as error:
            self.mark.setText(str(self.annotate) if self.annotate else "")
            show_error(self, f"Mark date: {error}")
            return
        if date != self.annotate:
            self.set_annotation(date)

    # -- drawing ---------------------------------------------------------------------

    def refresh(self) -> None:
        doc = self.document
        if not doc.is_open:
            self.timeline = None
            self.undated_model.setStringList([])
            self._draw()
            return
        project = doc.project
        self.timeline = project_timeline(project, doc.codes)
        undated = [project.evidence[i] for i in self.timeline.undated_rows.tolist()]
        self.undated_model.setStringList([f"{e.code}  {e.title}" for e in undated])
        self.undated_label.setText(
            f"<b>Undated evidence</b> ({len(undated)}): counted in the scores, not on the "
            "time axis."
            if undated
            else "<b>Every active item has a date.</b>"
        )
        self._draw()

    def x_positions(self) -> np.ndarray:
        line = self.timeline
        if line is None or line.rows.size == 0:
            return np.zeros(0)
        if self.even.isChecked():
            return np.arange(line.rows.size, dtype=float)
        return np.array([fractional_year(d) for d in line.dates])

    def _annotation_x(self, xs: np.ndarray) -> float | None:
        if self.annotate is None or self.timeline is None or xs.size == 0:
            return None
        if not self.even.isChecked():
            return fractional_year(self.annotate)
        after = next(
            (k for k, d in enumerate(self.timeline.dates) if d >= self.annotate),
            len(self.timeline.dates),
        )
        return after - 0.5

    def _draw(self) -> None:
        plot = self.plot
        for item in self.curves + self.markers:
            plot.removeItem(item)
        self.curves, self.markers = [], []
        self.legend.clear()
        if self.annotation.scene() is not None:
            plot.removeItem(self.annotation)
        line = self.timeline
        if line is None or line.rows.size == 0:
            self.note.setText(
                "No dated active evidence to place on a time axis." if self.document.is_open else ""
            )
            return
        project = self.document.project
        xs = self.x_positions()
        start = xs[0] - (1.0 if self.even.isChecked() else 0.5)
        for j, hypothesis in enumerate(project.hypotheses):
            colour = SERIES[j % len(SERIES)]
            ys = line.cumulative[:, j]
            step_x = np.concatenate(([start], np.repeat(xs, 2)))
            step_y = np.concatenate(([0.0, 0.0], np.repeat(ys, 2)[:-1]))
            curve = plot.plot(
                step_x,
                step_y,
                pen=pg.mkPen(colour, width=2),
                name=f"{hypothesis.code}  {hypothesis.title}",
            )
            self.curves.append(curve)
            hits = np.flatnonzero(line.added[:, j] > 0)
            data = [
                f"{project.evidence[int(line.rows[k])].code}: "
                f"{project.evidence[int(line.rows[k])].title}\n"
                f"{line.dates[k]}, +{line.added[k, j]:.2f} against {hypothesis.code}"
                for k in hits.tolist()
            ]
            marker = pg.ScatterPlotItem(
                x=xs[hits],
                y=ys[hits],
                data=data,
                size=7,
                brush=pg.mkBrush(colour),
                pen=pg.mkPen("w", width=0.5),
                hoverable=True,
                hoverPen=pg.mkPen(colours.INK, width=1.5),
                tip=lambda x, y, data: data,
            )
            plot.addItem(marker)
            self.markers.append(marker)
        axis = plot.getPlotItem().getAxis("bottom")
        if self.even.isChecked():
            # A label where each year starts, skipping years too close to the last label.
            gap = max(2, line.rows.size // 14)
            ticks: list[tuple[int, str]] = []
            for k, d in enumerate(line.dates):
                new_year = k == 0 or line.dates[k - 1].year != d.year
                if new_year and (not ticks or k - ticks[-1][0] >= gap):
                    ticks.append((k, str(d.year)))
            axis.setTicks([ticks, []])
            plot.setLabel("bottom", "items in date order")
        else:
            axis.setTicks(None)
            plot.setLabel("bottom", "year")
        where = self._annotation_x(xs)
        if where is not None:
            self.annotation.setValue(where)
            self.annotation.label.setFormat(str(self.annotate))
            plot.addItem(self.annotation)
        self.note.setText(
            f"{line.rows.size} dated items, {line.dates[0]} to {line.dates[-1]}. "
            "Hover a marker for the item."
        )
        plot.enableAutoRange()

    def _undated_clicked(self, index) -> None:  # noqa: ANN001
        if self.timeline is None:
            return
        row = int(self.timeline.undated_rows[index.row()])
        self.evidenceSelected.emit(self.document.project.evidence[row].id)

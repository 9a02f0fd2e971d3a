"""The sensitivity view: how firm is the lead, and which items hold it up.

A tornado chart (pyqtgraph) shows, for each active item, how far excluding it
moves the leader's lead in weighted inconsistency, largest first; bars whose
exclusion changes the leader are in the II colour. The linchpins are listed
beside it with the reason, and "what would change my mind" under them.
Clicking a bar or a linchpin emits :attr:`SensitivityView.evidenceSelected`,
which the main window turns into a selection in the matrix.
"""

from __future__ import annotations

import concurrent.futures
import weakref

import numpy as np
import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core import palette as colours
from workbench.core.sensitivity import SensitivityResult, sensitivity
from workbench.reports.charts import tornado_bars
from workbench.reports.content import (
    change_my_mind_lines,
    linchpin_reasons,
    sensitivity_sentences,
)
from workbench.ui.base.chart_font import still_chart
from workbench.ui.base.document import Document
from workbench.ui.base.lazy_chart import LazyChart

FLIP_COLOUR = colours.FLIP
STEADY_COLOUR = colours.STEADY
#: Bars shown at most; the rest move the lead too little to matter on screen.
MAX_BARS = 40
LABEL_CHARS = 38

Index = QModelIndex | QPersistentModelIndex


class LinchpinModel(QAbstractTableModel):
    """The linchpins: code, title and why the leader rests on each."""

    HEADERS = ("ID", "Evidence", "Why it is a linchpin")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._rows: list[tuple[int, str, str, str]] = []  # evidence id, code, title, why

    def set_rows(self, rows: list[tuple[int, str, str, str]]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def evidence_id(self, row: int) -> int:
        return self._rows[row][0]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._rows[index.row()][index.column() + 1]
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None


class _Delivery(QObject):
    """Hands a result from the worker thread to its view on the GUI thread.

    One for the whole application, living on the GUI thread; the signal
    crosses threads as a queued call, and the view is looked up there.
    """

    computed = Signal(object, object, int)  # weak reference to the view, outcome, generation

    def __init__(self) -> None:
        super().__init__()
        self.computed.connect(self._deliver)

    @Slot(object, object, int)
    def _deliver(
        self, view: weakref.ref[SensitivityView], outcome: object, generation: int
    ) -> None:
        target = view()
        if target is not None and shiboken6.isValid(target):
            target._show_result(outcome, generation)  # noqa: SLF001 - its own delivery


_DELIVERY: list[_Delivery] = []


def _delivery() -> _Delivery:
    """The application's delivery object (made on the GUI thread by the first refresh)."""
    if not _DELIVERY:
        _DELIVERY.append(_Delivery())
    return _DELIVERY[0]


class SensitivityView(QWidget):
    """Tornado chart, linchpins and "what would change my mind" for the shown layer."""

    evidenceSelected = Signal(int)  # noqa: N815 - Qt signal naming

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sensitivityView")
        self.document = document
        self.result: SensitivityResult | None = None
        #: True while a sensitivity is being computed off the GUI thread.
        self.busy = False
        # Every change bumps the generation: a result computed before it is dropped.
        self._generation = 0
        #: The generation of the computation started last.
        self._in_flight = 0
        self._worker = concurrent.futures.ThreadPoolExecutor(1, "workbench-sensitivity")
        #: (evidence row, change in lead, changes leader) per bar, top bar first.
        self.bars: list[tuple[int, float, bool]] = []

        self.summary = QLabel(self)
        self.summary.setObjectName("sensitivitySummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # Made when the page is first shown (the view draws only then).
        self.chart = LazyChart(self._make_chart, self)
        self.bar_item: pg.BarGraphItem
        self.zero_line: pg.InfiniteLine

        self.linchpins = LinchpinModel(self)
        self.linchpin_table = QTableView(self)
        self.linchpin_table.setObjectName("linchpinTable")
        self.linchpin_table.setModel(self.linchpins)
        self.linchpin_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.linchpin_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.linchpin_table.verticalHeader().hide()
        self.linchpin_table.setWordWrap(True)
        header = self.linchpin_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(lambda *_: self.linchpin_table.resizeRowsToContents())
        self.linchpin_table.clicked.connect(
            lambda index: self.evidenceSelected.emit(self.linchpins.evidence_id(index.row()))
        )
        self.linchpin_label = QLabel(self)
        self.linchpin_label.setWordWrap(True)
        self.mind = QLabel(self)
        self.mind.setObjectName("changeMyMind")
        self.mind.setWordWrap(True)
        self.mind.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.chart_title = QLabel(self)
        self.chart_title.setWordWrap(True)
        chart = QWidget(self)
        chart_layout = QVBoxLayout(chart)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addWidget(self.chart_title)
        chart_layout.addWidget(self.chart, 1)

        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.linchpin_label)
        side_layout.addWidget(self.linchpin_table, 1)
        side_layout.addWidget(self.mind)
        side_layout.addStretch(0)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(chart)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([600, 400])
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)

        # Coalesce a burst of edits (a paste, typing "cc") into one recomputation.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(120)
        self._timer.timeout.connect(self.refresh)
        # A hidden view only notes that it is stale: a 10,000-row matrix costs
        # a noticeable fraction of a second, worth paying only when looked at.
        self._stale = False
        document.scoresChanged.connect(self._schedule)
        document.projectReplaced.connect(self._schedule)
        document.detailsChanged.connect(self._schedule)
        self._stale = True  # computed when first shown

    def _make_chart(self, parent: QWidget) -> pg.PlotWidget:
        plot = still_chart("tornadoChart", parent)
        plot.getPlotItem().invertY(True)
        plot.showGrid(x=True, y=False, alpha=0.25)
        plot.setLabel("bottom", "change in the leader's lead when the item is excluded")
        plot.setToolTip("Click a bar to select that evidence item in the matrix.")
        plot.setMinimumWidth(200)
        self.bar_item = pg.BarGraphItem(x0=[], y=[], height=0.7, width=[])
        plot.addItem(self.bar_item)
        self.zero_line = pg.InfiniteLine(pos=0, angle=90, pen=pg.mkPen(colours.INK, width=1))
        plot.addItem(self.zero_line)
        plot.scene().sigMouseClicked.connect(self._plot_clicked)
        return plot

    @property
    def plot(self) -> pg.PlotWidget:
        """The tornado chart (made now if the page was never shown)."""
        return self.chart.chart()

    def _schedule(self) -> None:
        self._generation += 1
        if self.isVisible():
            self._timer.start()
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self.refresh()
        self.linchpin_table.resizeRowsToContents()

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt's name
        super().resizeEvent(event)
        self.linchpin_table.resizeRowsToContents()

    # -- data ------------------------------------------------------------------

    def refresh(self) -> None:
        self._timer.stop()
        self._stale = False
        doc = self.document
        if not doc.is_open:
            self.busy = False
            self.result, self.bars = None, []
            self.summary.setText("Open a project to see how firm its ranking is.")
            self._draw()
            self.linchpins.set_rows([])
            self.mind.clear()
            return
        # Computed off the GUI thread on copies (typing goes on meanwhile); shown by
        # _show_result unless something changed in between.
        self._generation += 1
        generation = self._generation
        _delivery()  # made here, on the GUI thread, before any worker emits
        codes, weights, active = doc.codes.copy(), doc.weights.copy(), doc.active.copy()

        # The worker holds only a weak reference to the view: if it held the view and
        # let go of it last, Python would delete the widget on the worker thread, in
        # the middle of the GUI thread's painting (a crash seen in the tests).
        view = weakref.ref(self)

        def compute() -> None:
            try:
                outcome: object = sensitivity(codes, weights, active)
            except Exception as error:  # shown as a bug on the GUI thread
                outcome = error
            _delivery().computed.emit(view, outcome, generation)

        self.busy = True
        self._in_flight = generation
        self._worker.submit(compute)

    def _show_result(self, outcome: object, generation: int) -> None:
        if generation == self._in_flight:
            self.busy = False  # the latest computation started has ended
        if generation != self._generation or not self.document.is_open:
            return
        if isinstance(outcome, BaseException):
            raise outcome
        assert isinstance(outcome, SensitivityResult)
        project = self.document.project
        self.result = outcome
        self.bars = tornado_bars(self.result, MAX_BARS)
        self.summary.setText(
            "<br>".join("• " + _escape(x) for x in sensitivity_sentences(project, self.result))
        )
        self._draw()
        reasons = linchpin_reasons(project, self.result)
        rows = [
            (
                project.evidence[r].id,
                project.evidence[r].code,
                project.evidence[r].title,
                reasons.get(r, ""),
            )
            for r in self.result.linchpins.tolist()
        ]
        self.linchpins.set_rows(rows)
        self.linchpin_table.resizeRowsToContents()
        self.linchpin_label.setText(
            f"<b>⚑ Linchpins</b> ({len(rows)}): the leader rests on each of these."
            if rows
            else "<b>No linchpins</b>: no single exclusion or one-step change of a "
            "rating changes the leader."
        )
        self.linchpin_table.setVisible(bool(rows))
        mind = change_my_mind_lines(project, self.result)
        self.mind.setText(
            "<b>What would change my mind</b><br>" + "<br>".join(_escape(x) for x in mind)
            if mind
            else ""
        )

    def _draw(self) -> None:
        plot = self.plot
        project = self.document.project if self.document.is_open else None
        n = len(self.bars)
        values = np.array([v for _, v, _ in self.bars], dtype=float)
        if n:
            self.bar_item.setOpts(
                x0=np.minimum(values, 0),
                y=np.arange(n),
                width=np.abs(values),
                height=0.7,
                brushes=[pg.mkBrush(FLIP_COLOUR if f else STEADY_COLOUR) for *_, f in self.bars],
                pen=pg.mkPen(None),
            )
        else:
            self.bar_item.setOpts(x0=[], y=[], width=[], brushes=None)
        axis = plot.getPlotItem().getAxis("left")
        linchpins = set(self.result.linchpins.tolist()) if self.result is not None else set()
        if project is not None and n:
            labels = [
                ("⚑ " if row in linchpins else "")
                + _label(project.evidence[row].code, project.evidence[row].title)
                for row, _, _ in self.bars
            ]
            axis.setTicks([list(enumerate(labels)), []])
            # pyqtgraph drops tick labels wider than the axis: make room for them.
            metrics = QFontMetrics(axis.style.get("tickFont") or self.font())
            axis.setWidth(min(360, max(metrics.horizontalAdvance(x) for x in labels) + 16))
        else:
            axis.setTicks([[], []])
        span = max(float(np.abs(values).max()) if n else 1.0, 1e-9)
        plot.setXRange(
            min(0.0, values.min() if n else 0.0) - span * 0.05,
            max(0.0, values.max() if n else 0.0) + span * 0.05,
            padding=0,
        )
        plot.setYRange(-0.6, max(n, 1) - 0.4, padding=0)
        # A QLabel, not the plot title: a long pyqtgraph title sets the plot's minimum width.
        if project is not None and self.result is not None and self.result.leader >= 0:
            code = project.hypotheses[self.result.leader].code
            self.chart_title.setText(
                f"<b>Excluding one item: effect on {code}'s lead ({self.result.margin:.2f})</b>"
                f"<br><span style='color:{FLIP_COLOUR}'>red bars</span> change the leader; "
                "click a bar to select the item"
            )
        else:
            self.chart_title.setText("")

    # -- clicks ----------------------------------------------------------------

    def bar_at(self, y: float) -> int | None:
        """The evidence id of the bar at chart y, or None."""
        k = int(round(y))
        if 0 <= k < len(self.bars) and abs(y - k) <= 0.35:
            return self.document.project.evidence[self.bars[k][0]].id
        return None

    def _plot_clicked(self, event) -> None:  # noqa: ANN001 - pyqtgraph's click event
        view = self.plot.getPlotItem().getViewBox()
        if not view.sceneBoundingRect().contains(event.scenePos()):
            return
        point = view.mapSceneToView(event.scenePos())
        evidence_id = self.bar_at(point.y())
        if evidence_id is not None:
            self.evidenceSelected.emit(evidence_id)


def _label(code: str, title: str) -> str:
    short = title if len(title) <= LABEL_CHARS else title[: LABEL_CHARS - 1] + "…"
    return f"{code}  {short}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

"""A chart that is made when it is first shown, not when its view is.

A pyqtgraph chart costs far more to make than the tables and labels around
it (its plot item, four axes and context menus): about a hundredth of a
second each, paid four times over by the hidden pages of the analysis area
at every start of the window, for charts the analyst may never open.
:class:`LazyChart` stands in the chart's place in the view's layout and
makes the chart the first time it is shown, or earlier if the view's own
code asks for it (``chart()``), so nothing else needs to know.
"""

from __future__ import annotations

from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyChart(QWidget):
    """Holds the chart ``make(parent)`` returns, made on first show or first ask."""

    def __init__(self, make: Callable[[QWidget], pg.PlotWidget], parent: QWidget | None = None):
        super().__init__(parent)
        self._make: Callable[[QWidget], pg.PlotWidget] | None = make
        self._chart: pg.PlotWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @property
    def made(self) -> bool:
        return self._chart is not None

    def chart(self) -> pg.PlotWidget:
        """The chart, made now if it was not yet."""
        if self._chart is None:
            make, self._make = self._make, None
            assert make is not None, "the chart asked for itself while being made"
            try:
                chart = make(self)
            except BaseException:
                self._make = make  # asked again, it tries again and says what failed
                raise
            self._layout.addWidget(chart)
            self._chart = chart
            # Laid out and shown now, not when the posted layout request and the queued
            # show of a widget added to a visible parent arrive: whatever the view does
            # on being shown (a heat map fits its labels to the chart's height) finds
            # the chart at its size and on screen.
            self._layout.activate()
            explicit = chart.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide)
            if self.isVisible() and not explicit:
                chart.show()
        return self._chart

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        # Shown before its view's own show event (Qt shows children first), so the
        # view's refresh on being shown finds the chart there.
        self.chart()
        super().showEvent(event)

"""Chart text in the widget's font, so charts grow with everything else on a projector.

pyqtgraph draws a chart's tick labels, axis labels and title in a graphics
scene, which does not inherit the widget's font: when Present mode enlarges
the analysis area's font, tables and labels grow but the chart text would
stay at the default size, unreadable from the back of a room. A chart
created here follows its widget's font whenever it changes (Qt sends
``FontChange`` to every child when a parent's font is set).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget


def apply_font(plot: pg.PlotWidget, font: QFont) -> None:
    """Draw every axis's ticks and label and the title of ``plot`` in ``font``."""
    item = plot.getPlotItem()
    size = f"{font.pointSizeF():g}pt"
    for name in ("left", "bottom", "right", "top"):
        axis = item.getAxis(name)
        axis.setStyle(tickFont=QFont(font))  # also makes room for the bigger ticks
        if axis.labelText:
            # Labels are HTML with a CSS size; setLabel keeps the style and re-lays it out.
            axis.labelStyle = {**axis.labelStyle, "font-size": size}
            axis.setLabel(axis.labelText, axis.labelUnits, axis.labelUnitPrefix)
    title = item.titleLabel
    if title.text:
        title.setText(title.text, size=size)
    plot.update()


class _FollowFont(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.FontChange and isinstance(watched, pg.PlotWidget):
            apply_font(watched, watched.font())
        return False


def follow_widget_font(plot: pg.PlotWidget) -> pg.PlotWidget:
    """Keep ``plot``'s chart text in its widget font from now on; returns ``plot``."""
    follower = _FollowFont(plot)
    plot.installEventFilter(follower)
    apply_font(plot, plot.font())
    return plot


def still_chart(name: str, parent: QWidget | None = None) -> pg.PlotWidget:
    """A chart that shows rather than explores, in its widget's font: white, named
    ``name``, with no context menu, no auto-range button and no panning or zooming
    (a dragged chart in the middle of a meeting only loses its place)."""
    plot = follow_widget_font(pg.PlotWidget(parent, background="w"))
    plot.setObjectName(name)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.setMouseEnabled(x=False, y=False)
    return plot

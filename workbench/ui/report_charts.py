"""The report's charts, painted with QPainter into PNG bytes.

The on-screen views use pyqtgraph; for print we paint directly, which gives
exact control of size and resolution and needs no widget (it works with the
offscreen platform from the command line). Each function returns PNG bytes.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen

from workbench.core import palette as colours
from workbench.core.dates import PartialDate
from workbench.core.model import Project
from workbench.core.sensitivity import SensitivityResult
from workbench.core.timeline import Timeline

#: Pixels per layout unit: charts are laid out at 1x and painted at 2x for print.
SCALE = 2
INK = QColor(colours.INK)
GRID = QColor(colours.GRID)
FLIP = QColor(colours.FLIP)  # the II colour: this exclusion changes the leader
STEADY = QColor(colours.STEADY)
LEADER = QColor(colours.LEADER)
OTHERS = QColor(colours.OTHERS)
SECONDARY = QColor(colours.SECONDARY_INK)
#: Colour-blind-safe qualitative colours for hypothesis lines (Okabe-Ito).
SERIES = colours.SERIES


def series_colour(index: int) -> QColor:
    return QColor(SERIES[index % len(SERIES)])


class _Canvas:
    """A white image with a painter in layout units (SCALE pixels each)."""

    def __init__(self, width: int, height: int):
        self.width, self.height = width, height
        self.image = QImage(width * SCALE, height * SCALE, QImage.Format.Format_ARGB32)
        self.image.fill(QColor(colours.WHITE))
        self.painter = QPainter(self.image)
        self.painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self.painter.scale(SCALE, SCALE)
        self.font = QFont("DejaVu Sans")
        self.font.setPointSizeF(8.5)
        self.painter.setFont(self.font)
        self.metrics = QFontMetricsF(self.font)

    def text(
        self,
        rect: QRectF,
        flags: Qt.AlignmentFlag,
        text: str,
        colour: QColor = INK,
        bold: bool = False,
    ) -> None:
        font = QFont(self.font)
        font.setBold(bold)
        self.painter.setFont(font)
        self.painter.setPen(colour)
        elided = QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        self.painter.drawText(rect, int(flags), elided)
        self.painter.setFont(self.font)

    def png(self) -> bytes:
        self.painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.image.save(buffer, "PNG")
        buffer.close()
        return bytes(data.data())


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    span = high - low
    if span <= 0:
        return [low]
    raw = span / count
    magnitude = 10 ** np.floor(np.log10(raw))
    step = min((m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw), default=raw)
    first = np.ceil(low / step) * step
    return [float(x) for x in np.arange(first, high + step * 0.001, step)]


LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTRE = Qt.AlignmentFlag.AlignCenter


def posterior_chart(project: Project, posterior: np.ndarray, order: np.ndarray) -> bytes:
    """Horizontal bars of the posterior per hypothesis, in rank order."""
    row_height, label_width, width = 22, 230, 560
    height = 30 + row_height * max(1, len(order)) + 30
    canvas = _Canvas(width, height)
    p = canvas.painter
    canvas.text(
        QRectF(8, 4, width - 16, 20), LEFT, "Posterior probability (Bayesian view)", bold=True
    )
    plot_left, plot_right = label_width + 10, width - 60
    top = 30
    for x in _nice_ticks(0, 1, 4):
        px = plot_left + x * (plot_right - plot_left)
        p.setPen(QPen(GRID, 0.8))
        p.drawLine(QPointF(px, top), QPointF(px, top + row_height * len(order)))
        canvas.text(
            QRectF(px - 20, top + row_height * len(order) + 2, 40, 14),
            CENTRE,
            f"{x:g}",
            SECONDARY,
        )
    for k, j in enumerate(order.tolist()):
        y = top + k * row_height
        h = project.hypotheses[j]
        canvas.text(QRectF(8, y, label_width - 8, row_height), LEFT, f"{h.code}  {h.title}")
        length = float(posterior[j]) * (plot_right - plot_left)
        p.fillRect(
            QRectF(plot_left, y + 4, max(length, 0.5), row_height - 8), LEADER if k == 0 else OTHERS
        )
        canvas.text(QRectF(plot_left + length + 4, y, 60, row_height), LEFT, f"{posterior[j]:.3f}")
    return canvas.png()


def tornado_bars(
    result: SensitivityResult, limit: int | None = None
) -> list[tuple[int, float, bool]]:
    """(evidence row, change in the lead, changes the leader), largest effect first.

    Items that change nothing are left out; shared with the sensitivity view.
    """
    change = result.lead_change_when_excluded
    flips = result.flips_leader_when_excluded()
    order = np.lexsort((np.arange(change.size), ~flips, -np.abs(change)))
    bars = [
        (int(result.excluded_rows[k]), float(change[k]), bool(flips[k]))
        for k in order.tolist()
        if change[k] != 0 or flips[k]
    ]
    return bars[:limit] if limit else bars


def tornado_chart(project: Project, result: SensitivityResult, limit: int = 15) -> bytes:
    """Each item's effect on the leader's lead when excluded, largest first."""
    bars = tornado_bars(result, limit)
    row_height, label_width, width = 20, 250, 600
    height = 48 + row_height * max(1, len(bars)) + 34
    canvas = _Canvas(width, height)
    p = canvas.painter
    leader = project.hypotheses[result.leader].code if result.leader >= 0 else "-"
    canvas.text(
        QRectF(8, 4, width - 16, 18),
        LEFT,
        f"Effect of excluding one item on {leader}'s lead (now {result.margin:.2f})",
        bold=True,
    )
    canvas.text(
        QRectF(8, 22, width - 16, 16), LEFT, "dark red: excluding the item changes the leader", FLIP
    )
    top = 44
    if not bars:
        canvas.text(
            QRectF(8, top, width - 16, row_height),
            LEFT,
            "No single item's exclusion moves the lead.",
        )
        return canvas.png()
    values = [v for _, v, _ in bars]
    low, high = min(0.0, *values), max(0.0, *values)
    pad = (high - low) * 0.08 or 1.0
    low, high = low - pad * (low < 0), high + pad * (high > 0)
    plot_left, plot_right = label_width + 10, width - 20

    def x_of(value: float) -> float:
        return plot_left + (value - low) / (high - low) * (plot_right - plot_left)

    bottom = top + row_height * len(bars)
    for tick in _nice_ticks(low, high, 5):
        px = x_of(tick)
        p.setPen(QPen(GRID, 0.8))
        p.drawLine(QPointF(px, top), QPointF(px, bottom))
        canvas.text(QRectF(px - 25, bottom + 2, 50, 14), CENTRE, f"{tick:+g}", SECONDARY)
    for k, (row, value, flips) in enumerate(bars):
        y = top + k * row_height
        item = project.evidence[row]
        canvas.text(
            QRectF(8, y, label_width - 8, row_height),
            LEFT,
            f"{item.code}  {item.title}",
            bold=flips,
        )
        x0, x1 = sorted((x_of(0), x_of(value)))
        p.fillRect(QRectF(x0, y + 3, max(x1 - x0, 1.0), row_height - 6), FLIP if flips else STEADY)
    p.setPen(QPen(INK, 1.0))
    p.drawLine(QPointF(x_of(0), top - 2), QPointF(x_of(0), bottom))
    canvas.text(
        QRectF(plot_left, bottom + 16, plot_right - plot_left, 14),
        CENTRE,
        "change in the lead (weighted inconsistency)",
        SECONDARY,
    )
    return canvas.png()


def timeline_chart(project: Project, line: Timeline, annotate: PartialDate | None = None) -> bytes:
    """Weighted inconsistency per hypothesis accumulated in date order, one line each.

    Items are spaced evenly along the axis (years labelled where they start):
    evidence usually bunches in the last few years of a long record, and on a
    true time axis those steps would be too close to read.
    """
    legend_rows = (len(project.hypotheses) + 1) // 2
    width, height = 600, 300 + 18 * legend_rows
    canvas = _Canvas(width, height)
    p = canvas.painter
    canvas.text(
        QRectF(8, 4, width - 16, 18),
        LEFT,
        "Weighted inconsistency accumulated in evidence date order",
        bold=True,
    )
    count = int(line.rows.size)
    if count == 0:
        canvas.text(QRectF(8, 40, width - 16, 20), LEFT, "No dated active evidence.")
        return canvas.png()
    y_high = max(float(line.cumulative.max()), 1.0) * 1.08
    left, right, top, bottom = 48, width - 16, 30, 260

    def to_point(x: float, y: float) -> QPointF:
        return QPointF(
            left + (x + 1) / (count + 1) * (right - left), bottom - y / y_high * (bottom - top)
        )

    for tick in _nice_ticks(0, y_high, 5):
        pt = to_point(0, tick)
        p.setPen(QPen(GRID, 0.8))
        p.drawLine(QPointF(left, pt.y()), QPointF(right, pt.y()))
        canvas.text(QRectF(0, pt.y() - 7, left - 6, 14), RIGHT, f"{tick:g}", SECONDARY)
    last_label = -1e9
    for k, date in enumerate(line.dates):
        if k and line.dates[k - 1].year == date.year:
            continue
        x = to_point(k - 0.5, 0).x()
        p.setPen(QPen(GRID, 0.8))
        p.drawLine(QPointF(x, top), QPointF(x, bottom))
        if x - last_label >= 30:
            canvas.text(QRectF(x - 2, bottom + 2, 40, 14), LEFT, str(date.year), SECONDARY)
            last_label = x
    p.setPen(QPen(INK, 1.0))
    p.drawLine(QPointF(left, bottom), QPointF(right, bottom))
    p.drawLine(QPointF(left, top), QPointF(left, bottom))
    canvas.text(
        QRectF(left, bottom + 18, right - left, 14),
        CENTRE,
        f"{count} dated items in date order, {line.dates[0]} to {line.dates[-1]}",
        SECONDARY,
    )
    if annotate is not None:
        after = next((k for k, d in enumerate(line.dates) if d >= annotate), count)
        x = to_point(after - 0.5, 0).x()
        p.setPen(QPen(SECONDARY, 1.2, Qt.PenStyle.DashLine))
        p.drawLine(QPointF(x, top), QPointF(x, bottom))
        canvas.text(QRectF(x - 84, top, 80, 14), RIGHT, str(annotate), SECONDARY)
    for j, hypothesis in enumerate(project.hypotheses):
        colour = series_colour(j)
        values = line.cumulative[:, j].tolist()
        path = QPainterPath(to_point(-1, 0))
        for k, y in enumerate(values):
            path.lineTo(QPointF(to_point(k, 0).x(), path.currentPosition().y()))
            path.lineTo(to_point(k, y))
        path.lineTo(QPointF(right, path.currentPosition().y()))
        p.setPen(QPen(colour, 1.8))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        p.setBrush(colour)
        for k, (y, add) in enumerate(zip(values, line.added[:, j].tolist(), strict=True)):
            if add > 0:
                p.drawEllipse(to_point(k, y), 2.2, 2.2)
        p.setBrush(Qt.BrushStyle.NoBrush)
        lx = left + (j % 2) * (right - left) / 2
        ly = bottom + 38 + (j // 2) * 18
        p.fillRect(QRectF(lx, ly + 6, 14, 4), colour)
        canvas.text(
            QRectF(lx + 18, ly, (right - left) / 2 - 22, 16),
            LEFT,
            f"{hypothesis.code}  {hypothesis.title}",
        )
    return canvas.png()

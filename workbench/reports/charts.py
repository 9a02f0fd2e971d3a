"""The report's charts as plain drawings: shapes and text at layout coordinates.

Nothing here needs Qt. :mod:`workbench.reports.svg` turns a drawing into SVG
for the HTML report (so ``workbench report x.html`` starts no Qt at all), and
:mod:`workbench.reports.raster` paints the same drawing to PNG with QtGui for
the PDF. The on-screen views use pyqtgraph and share only the bar data.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from workbench.core import palette as colours
from workbench.core.analysis import CONSENSUS, LayerKey
from workbench.core.dates import PartialDate
from workbench.core.model import Project
from workbench.core.ratings import Rating
from workbench.core.sensitivity import SensitivityResult
from workbench.core.timeline import Timeline
from workbench.reports.content import analyse

#: Pixels per layout unit when a drawing is painted for print.
SCALE = 2
INK = colours.INK
GRID = colours.GRID
FLIP = colours.FLIP  # the II colour: this exclusion changes the leader
STEADY = colours.STEADY
LEADER = colours.LEADER
OTHERS = colours.OTHERS
SECONDARY = colours.SECONDARY_INK
#: Colour-blind-safe qualitative colours for hypothesis lines (Okabe-Ito).
SERIES = colours.SERIES

LEFT, RIGHT, CENTRE = "left", "right", "centre"


def series_colour(index: int) -> str:
    return SERIES[index % len(SERIES)]


@dataclasses.dataclass(frozen=True)
class Text:
    """Text in a box, vertically centred, elided to the box's width."""

    x: float
    y: float
    width: float
    height: float
    align: str
    text: str
    colour: str = INK
    bold: bool = False


@dataclasses.dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str
    width: float = 1.0
    dashed: bool = False


@dataclasses.dataclass(frozen=True)
class Box:
    """A filled rectangle."""

    x: float
    y: float
    width: float
    height: float
    fill: str


@dataclasses.dataclass(frozen=True)
class Polyline:
    points: tuple[tuple[float, float], ...]
    colour: str
    width: float = 1.0


@dataclasses.dataclass(frozen=True)
class Dot:
    x: float
    y: float
    radius: float
    fill: str


Shape = Text | Line | Box | Polyline | Dot


@dataclasses.dataclass
class Drawing:
    """A chart: its size in layout units and its shapes, painted in order."""

    width: int
    height: int
    shapes: list[Shape] = dataclasses.field(default_factory=list)

    def text(self, x: float, y: float, w: float, h: float, align: str, text: str,
             colour: str = INK, bold: bool = False) -> None:  # fmt: skip
        self.shapes.append(Text(x, y, w, h, align, text, colour, bold))

    def line(self, x1: float, y1: float, x2: float, y2: float, colour: str,
             width: float = 1.0, dashed: bool = False) -> None:  # fmt: skip
        self.shapes.append(Line(x1, y1, x2, y2, colour, width, dashed))

    def box(self, x: float, y: float, w: float, h: float, fill: str) -> None:
        self.shapes.append(Box(x, y, w, h, fill))


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    span = high - low
    if span <= 0:
        return [low]
    raw = span / count
    magnitude = 10 ** np.floor(np.log10(raw))
    step = min((m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw), default=raw)
    first = np.ceil(low / step) * step
    return [float(x) for x in np.arange(first, high + step * 0.001, step)]


def posterior_chart(project: Project, posterior: np.ndarray, order: np.ndarray) -> Drawing:
    """Horizontal bars of the posterior per hypothesis, in rank order."""
    row_height, label_width, width = 22, 230, 560
    height = 30 + row_height * max(1, len(order)) + 30
    d = Drawing(width, height)
    d.text(8, 4, width - 16, 20, LEFT, "Posterior probability (Bayesian view)", bold=True)
    plot_left, plot_right = label_width + 10, width - 60
    top = 30
    for x in _nice_ticks(0, 1, 4):
        px = plot_left + x * (plot_right - plot_left)
        d.line(px, top, px, top + row_height * len(order), GRID, 0.8)
        d.text(px - 20, top + row_height * len(order) + 2, 40, 14, CENTRE, f"{x:g}", SECONDARY)
    for k, j in enumerate(order.tolist()):
        y = top + k * row_height
        h = project.hypotheses[j]
        d.text(8, y, label_width - 8, row_height, LEFT, f"{h.code}  {h.title}")
        length = float(posterior[j]) * (plot_right - plot_left)
        d.box(plot_left, y + 4, max(length, 0.5), row_height - 8, LEADER if k == 0 else OTHERS)
        d.text(plot_left + length + 4, y, 60, row_height, LEFT, f"{posterior[j]:.3f}")
    return d


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


def tornado_chart(project: Project, result: SensitivityResult, limit: int = 15) -> Drawing:
    """Each item's effect on the leader's lead when excluded, largest first."""
    bars = tornado_bars(result, limit)
    row_height, label_width, width = 20, 250, 600
    height = 48 + row_height * max(1, len(bars)) + 34
    d = Drawing(width, height)
    leader = project.hypotheses[result.leader].code if result.leader >= 0 else "-"
    title = f"Effect of excluding one item on {leader}'s lead (now {result.margin:.2f})"
    d.text(8, 4, width - 16, 18, LEFT, title, bold=True)
    d.text(8, 22, width - 16, 16, LEFT, "dark red: excluding the item changes the leader", FLIP)
    top = 44
    if not bars:
        d.text(8, top, width - 16, row_height, LEFT, "No single item's exclusion moves the lead.")
        return d
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
        d.line(px, top, px, bottom, GRID, 0.8)
        d.text(px - 25, bottom + 2, 50, 14, CENTRE, f"{tick:+g}", SECONDARY)
    for k, (row, value, flips) in enumerate(bars):
        y = top + k * row_height
        item = project.evidence[row]
        d.text(8, y, label_width - 8, row_height, LEFT, f"{item.code}  {item.title}", bold=flips)
        x0, x1 = sorted((x_of(0), x_of(value)))
        d.box(x0, y + 3, max(x1 - x0, 1.0), row_height - 6, FLIP if flips else STEADY)
    d.line(x_of(0), top - 2, x_of(0), bottom, INK, 1.0)
    caption = "change in the lead (weighted inconsistency)"
    d.text(plot_left, bottom + 16, plot_right - plot_left, 14, CENTRE, caption, SECONDARY)
    return d


def timeline_chart(
    project: Project, line: Timeline, annotate: PartialDate | None = None
) -> Drawing:
    """Weighted inconsistency per hypothesis accumulated in date order, one line each.

    Items are spaced evenly along the axis (years labelled where they start):
    evidence usually bunches in the last few years of a long record, and on a
    true time axis those steps would be too close to read.
    """
    legend_rows = (len(project.hypotheses) + 1) // 2
    width, height = 600, 300 + 18 * legend_rows
    d = Drawing(width, height)
    title = "Weighted inconsistency accumulated in evidence date order"
    d.text(8, 4, width - 16, 18, LEFT, title, bold=True)
    count = int(line.rows.size)
    if count == 0:
        d.text(8, 40, width - 16, 20, LEFT, "No dated active evidence.")
        return d
    y_high = max(float(line.cumulative.max()), 1.0) * 1.08
    left, right, top, bottom = 48, width - 16, 30, 260

    def to_point(x: float, y: float) -> tuple[float, float]:
        return (
            left + (x + 1) / (count + 1) * (right - left),
            bottom - y / y_high * (bottom - top),
        )

    for tick in _nice_ticks(0, y_high, 5):
        _, py = to_point(0, tick)
        d.line(left, py, right, py, GRID, 0.8)
        d.text(0, py - 7, left - 6, 14, RIGHT, f"{tick:g}", SECONDARY)
    last_label = -1e9
    for k, date in enumerate(line.dates):
        if k and line.dates[k - 1].year == date.year:
            continue
        x, _ = to_point(k - 0.5, 0)
        d.line(x, top, x, bottom, GRID, 0.8)
        if x - last_label >= 30:
            d.text(x - 2, bottom + 2, 40, 14, LEFT, str(date.year), SECONDARY)
            last_label = x
    d.line(left, bottom, right, bottom, INK, 1.0)
    d.line(left, top, left, bottom, INK, 1.0)
    caption = f"{count} dated items in date order, {line.dates[0]} to {line.dates[-1]}"
    d.text(left, bottom + 18, right - left, 14, CENTRE, caption, SECONDARY)
    if annotate is not None:
        after = next((k for k, day in enumerate(line.dates) if day >= annotate), count)
        x, _ = to_point(after - 0.5, 0)
        d.line(x, top, x, bottom, SECONDARY, 1.2, dashed=True)
        d.text(x - 84, top, 80, 14, RIGHT, str(annotate), SECONDARY)
    for j, hypothesis in enumerate(project.hypotheses):
        colour = series_colour(j)
        values = line.cumulative[:, j].tolist()
        points = [to_point(-1, 0)]
        for k, y in enumerate(values):
            points.append((to_point(k, 0)[0], points[-1][1]))
            points.append(to_point(k, y))
        points.append((right, points[-1][1]))
        d.shapes.append(Polyline(tuple(points), colour, 1.8))
        for k, (y, add) in enumerate(zip(values, line.added[:, j].tolist(), strict=True)):
            if add > 0:
                d.shapes.append(Dot(*to_point(k, y), 2.2, colour))
        lx = left + (j % 2) * (right - left) / 2
        ly = bottom + 38 + (j // 2) * 18
        d.box(lx, ly + 6, 14, 4, colour)
        label = f"{hypothesis.code}  {hypothesis.title}"
        d.text(lx + 18, ly, (right - left) / 2 - 22, 16, LEFT, label)
    return d


def report_drawings(
    project: Project, layer: LayerKey = CONSENSUS, annotate: PartialDate | None = None
) -> dict[str, Drawing]:
    """The report's three charts, keyed as :data:`workbench.reports.content.CHARTS`."""
    analysis = analyse(project, layer)
    drawings: dict[str, Drawing] = {}
    # A chart with nothing to draw is left out (its section says why in words).
    if project.hypotheses and bool((analysis.codes >= Rating.II).any()):
        drawings["posterior"] = posterior_chart(
            project, analysis.scores.posterior, analysis.scores.order()
        )
    if tornado_bars(analysis.sensitivity, 15):
        drawings["tornado"] = tornado_chart(project, analysis.sensitivity)
    if analysis.timeline.rows.size:
        drawings["timeline"] = timeline_chart(project, analysis.timeline, annotate)
    return drawings

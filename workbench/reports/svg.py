"""A chart drawing as SVG text: the HTML report's charts, with no Qt at all.

Browsers render the vector at any zoom. Text is elided to its box by an
estimate of DejaVu Sans' average advance, since there is no font engine here
to measure it (the PDF's charts are measured exactly by Qt: raster.py).
"""

from __future__ import annotations

import html

from workbench.reports.charts import CENTRE, RIGHT, Box, Dot, Drawing, Line, Polyline, Text

#: The chart font's size in layout pixels (8.5 pt at 96 dpi) and its average advance.
FONT_PX = 11.3
_ADVANCE = 0.56
FONT_FAMILY = "'DejaVu Sans', 'Segoe UI', Arial, sans-serif"


def _elided(text: str, width: float, bold: bool) -> str:
    fits = int(width / (FONT_PX * (_ADVANCE + 0.04 * bold)))
    return text if len(text) <= fits else text[: max(fits - 1, 0)] + "\u2026"


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _shape(shape: object) -> str:
    if isinstance(shape, Text):
        anchor, x = "start", shape.x
        if shape.align == CENTRE:
            anchor, x = "middle", shape.x + shape.width / 2
        elif shape.align == RIGHT:
            anchor, x = "end", shape.x + shape.width
        weight = ' font-weight="bold"' if shape.bold else ""
        return (
            f'<text x="{_n(x)}" y="{_n(shape.y + shape.height / 2)}" text-anchor="{anchor}" '
            f'dominant-baseline="central" fill="{shape.colour}"{weight}>'
            f"{html.escape(_elided(shape.text, shape.width, shape.bold))}</text>"
        )
    if isinstance(shape, Line):
        dash = ' stroke-dasharray="4 3"' if shape.dashed else ""
        return (
            f'<line x1="{_n(shape.x1)}" y1="{_n(shape.y1)}" x2="{_n(shape.x2)}" '
            f'y2="{_n(shape.y2)}" stroke="{shape.colour}" stroke-width="{_n(shape.width)}"{dash}/>'
        )
    if isinstance(shape, Box):
        return (
            f'<rect x="{_n(shape.x)}" y="{_n(shape.y)}" width="{_n(shape.width)}" '
            f'height="{_n(shape.height)}" fill="{shape.fill}"/>'
        )
    if isinstance(shape, Polyline):
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y in shape.points)
        return (
            f'<polyline points="{points}" fill="none" stroke="{shape.colour}" '
            f'stroke-width="{_n(shape.width)}"/>'
        )
    if isinstance(shape, Dot):
        return (
            f'<circle cx="{_n(shape.x)}" cy="{_n(shape.y)}" r="{_n(shape.radius)}" '
            f'fill="{shape.fill}"/>'
        )
    raise TypeError(f"cannot draw {shape!r}")


def to_svg(drawing: Drawing) -> bytes:
    """A standalone SVG document of ``drawing`` at its layout size."""
    body = "".join(_shape(shape) for shape in drawing.shapes)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{drawing.width}" '
        f'height="{drawing.height}" viewBox="0 0 {drawing.width} {drawing.height}" '
        f'font-family="{FONT_FAMILY}" font-size="{FONT_PX}">'
        f'<rect width="100%" height="100%" fill="white"/>{body}</svg>'
    ).encode()

"""A chart drawing painted with QtGui into PNG bytes, for the PDF report.

QtGui only (no widgets), so it works on the offscreen platform from the
command line. Text is measured and elided by Qt's font engine.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen, QPolygonF

from workbench.core import palette as colours
from workbench.reports.charts import CENTRE, RIGHT, SCALE, Box, Dot, Drawing, Line, Polyline, Text

_ALIGN = {
    CENTRE: Qt.AlignmentFlag.AlignCenter,
    RIGHT: Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
}
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def to_png(drawing: Drawing, scale: int = SCALE) -> bytes:
    """``drawing`` painted at ``scale`` pixels per layout unit."""
    image = QImage(drawing.width * scale, drawing.height * scale, QImage.Format.Format_ARGB32)
    image.fill(QColor(colours.WHITE))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.scale(scale, scale)
    font = QFont("DejaVu Sans")
    font.setPointSizeF(8.5)
    try:
        for shape in drawing.shapes:
            _paint(painter, font, shape)
    finally:
        painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes
    buffer.close()
    return bytes(data.data())


def _paint(p: QPainter, base: QFont, shape: object) -> None:
    if isinstance(shape, Text):
        font = QFont(base)
        font.setBold(shape.bold)
        p.setFont(font)
        p.setPen(QColor(shape.colour))
        rect = QRectF(shape.x, shape.y, shape.width, shape.height)
        elided = QFontMetricsF(font).elidedText(
            shape.text, Qt.TextElideMode.ElideRight, rect.width()
        )
        p.drawText(rect, int(_ALIGN.get(shape.align, _LEFT)), elided)
    elif isinstance(shape, Line):
        style = Qt.PenStyle.DashLine if shape.dashed else Qt.PenStyle.SolidLine
        p.setPen(QPen(QColor(shape.colour), shape.width, style))
        p.drawLine(QPointF(shape.x1, shape.y1), QPointF(shape.x2, shape.y2))
    elif isinstance(shape, Box):
        p.fillRect(QRectF(shape.x, shape.y, shape.width, shape.height), QColor(shape.fill))
    elif isinstance(shape, Polyline):
        p.setPen(QPen(QColor(shape.colour), shape.width))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPolyline(QPolygonF([QPointF(x, y) for x, y in shape.points]))
    elif isinstance(shape, Dot):
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(shape.fill))
        p.drawEllipse(QPointF(shape.x, shape.y), shape.radius, shape.radius)
        p.setBrush(Qt.BrushStyle.NoBrush)
    else:
        raise TypeError(f"cannot paint {shape!r}")

"""The PDF report through Qt's rich-text engine (QtGui only, never widgets).

The content and the HTML come from :mod:`workbench.reports.content` and
:mod:`workbench.reports.html`; this module adds what needs Qt: the charts
painted to PNG and the paginated PDF, printed by a ``QTextDocument`` onto a
``QPdfWriter``. The charts reach the document as
named image resources rather than data URIs, which Qt's HTML does not load.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from workbench.core import palette as colours
from workbench.exchange.output_file import ExportError, replacing
from workbench.reports.charts import SCALE, Drawing
from workbench.reports.content import ReportContent
from workbench.reports.html import chart_image, render_html
from workbench.reports.raster import to_png

#: Width of the text block in layout pixels; the charts are drawn to fit it.
PAGE_TEXT_WIDTH = 640


def _ensure_gui_application() -> None:
    # Fonts and QImage painting need a QGuiApplication; the CLI has none.
    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _ensure_gui_application.app = QGuiApplication([])  # type: ignore[attr-defined]


def report_document(content: ReportContent, charts: dict[str, bytes]) -> QTextDocument:
    """The report laid out by Qt, charts attached as ``chart:<name>`` resources."""
    document = QTextDocument()
    document.setDocumentMargin(0)
    for name, png in charts.items():
        image = QImage.fromData(png, "PNG")  # type: ignore[arg-type]  # stubs say bytes
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"chart:{name}"), image)
    images = {name: chart_image(f"chart:{name}", png, SCALE) for name, png in charts.items()}
    document.setHtml(render_html(content, images, print_layout=True))
    return document


#: The document is laid out in screen-like pixels; text stays vector, charts full size.
LAYOUT_DPI = 96
FOOTER_HEIGHT = 22


def _paint_pages(
    document: QTextDocument, writer: QPdfWriter, footer: str, marking: str = ""
) -> bool:
    """Paint the document page by page with a footer (title, page n of N) and the
    classification marking, if any, centred at the top and bottom of every page;
    False when the painter could not start or finish.

    QTextDocument.print_ numbers pages only when it chooses the layout itself,
    which ignores our margins and squeezes the tables; so we paginate here.
    """
    rect = writer.pageLayout().paintRectPixels(LAYOUT_DPI)
    top = FOOTER_HEIGHT if marking else 0
    width, height = float(rect.width()), float(rect.height() - FOOTER_HEIGHT - top)
    document.setPageSize(QSizeF(width, height))
    pages = document.pageCount()
    painter = QPainter()
    if not painter.begin(writer):
        return False
    font = QFont("DejaVu Sans")
    font.setPointSizeF(7.5)
    try:
        for page in range(pages):
            if page:
                writer.newPage()
            painter.save()
            painter.translate(0, top - page * height)
            document.drawContents(painter, QRectF(0, page * height, width, height))
            painter.restore()
            painter.setFont(font)
            painter.setPen(QColor(colours.FAINT_INK))
            painter.drawText(
                QRectF(0, top + height + 6, width, FOOTER_HEIGHT - 6),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                f"{footer} \u00b7 page {page + 1} of {pages}",
            )
            if marking:
                painter.save()
                bold = QFont(font)
                bold.setBold(True)
                bold.setPointSizeF(9)
                painter.setFont(bold)
                painter.setPen(QColor(colours.INK))
                centred = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter)
                painter.drawText(QRectF(0, 0, width, top - 6), centred, marking)
                painter.drawText(
                    QRectF(0, top + height + 6, width, FOOTER_HEIGHT - 6), centred, marking
                )
                painter.restore()
    finally:
        finished = painter.end()
    return finished


def write_pdf(
    content: ReportContent, drawings: Mapping[str, Drawing], path: str | os.PathLike[str]
) -> None:
    """A multi-page A4 PDF, replacing ``path`` only once it is complete."""
    _ensure_gui_application()
    charts = {name: to_png(drawing) for name, drawing in drawings.items()}
    document = report_document(content, charts)
    with replacing(path) as temp:
        writer = QPdfWriter(str(temp))
        writer.setTitle(f"{content.title} - ACH report")
        writer.setCreator(f"ACH Workbench {content.app_version}")
        writer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Portrait,
                QMarginsF(15, 15, 15, 15),
                QPageLayout.Unit.Millimeter,
            )
        )
        writer.setResolution(LAYOUT_DPI)
        painted = _paint_pages(
            document, writer, f"{content.title} \u00b7 ACH report", content.classification
        )
        del writer  # finishes the file before it is renamed into place
        # Qt's PDF writer reports no write errors: on a full disk it leaves a cut-off
        # file and carries on. A complete PDF ends with %%EOF; anything else must
        # not replace the user's previous report.
        if not painted or not _ends_like_a_pdf(temp):
            raise ExportError(
                f"{path}: the PDF could not be written completely (is the disk full?); "
                "nothing was replaced"
            )


def _ends_like_a_pdf(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - 1024))
            return handle.read().rstrip().endswith(b"%%EOF")
    except OSError:
        return False

"""Write the report: PDF through Qt's rich-text engine, or self-contained HTML.

The content and the HTML come from :mod:`workbench.exchange`; this module adds
what needs Qt: the charts (painted to PNG) and the paginated PDF, printed by a
``QTextDocument`` onto a ``QPdfWriter``. The charts reach the document as
named image resources rather than data URIs, which Qt's HTML does not load.
"""

from __future__ import annotations

import os
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

from workbench.core.analysis import CONSENSUS, LayerKey
from workbench.core.dates import PartialDate
from workbench.core.errors import BadInput
from workbench.core.model import Project
from workbench.exchange.output_file import ExportError, replacing
from workbench.exchange.report_content import ReportContent, analyse, build_report
from workbench.exchange.report_html import chart_image, render_html, write_html
from workbench.ui.report_charts import SCALE, posterior_chart, timeline_chart, tornado_chart

#: Width of the text block in layout pixels; the charts are drawn to fit it.
PAGE_TEXT_WIDTH = 640


def report_charts(
    project: Project, layer: LayerKey = CONSENSUS, annotate: PartialDate | None = None
) -> dict[str, bytes]:
    """The three charts as PNG bytes, keyed as :data:`report_content.CHARTS`."""
    analysis = analyse(project, layer)
    return {
        "posterior": posterior_chart(project, analysis.scores.posterior, analysis.scores.order()),
        "tornado": tornado_chart(project, analysis.sensitivity),
        "timeline": timeline_chart(project, analysis.timeline, annotate),
    }


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
        image = QImage.fromData(png, "PNG")
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
            painter.setPen(QColor("#666666"))
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
                painter.setPen(QColor("#000000"))
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
    content: ReportContent, charts: dict[str, bytes], path: str | os.PathLike[str]
) -> None:
    """A multi-page A4 PDF, replacing ``path`` only once it is complete."""
    _ensure_gui_application()
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


def write_report(
    project: Project,
    path: str | os.PathLike[str],
    *,
    layer: LayerKey = CONSENSUS,
    app_version: str,
    annotate: PartialDate | None = None,
) -> None:
    """The report as .pdf or .html by the file's extension."""
    suffix = Path(path).suffix.lower()
    if suffix not in (".pdf", ".html", ".htm"):
        raise BadInput(f"{path}: a report is .pdf or .html, not {suffix or 'no extension'}")
    _ensure_gui_application()
    content = build_report(project, layer, app_version=app_version, annotate=annotate)
    charts = report_charts(project, layer, annotate)
    if suffix == ".pdf":
        write_pdf(content, charts, path)
    else:
        write_html(content, charts, path)

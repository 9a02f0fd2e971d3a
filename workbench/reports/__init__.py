"""The analysis report, as PDF or self-contained HTML.

``content`` gathers what the report says (core objects in, plain data out),
``charts`` lays its charts out as plain drawings, ``html`` writes the HTML,
``svg`` draws the charts for it with no Qt at all, and ``pdf``/``raster``
print the same through QtGui. This package may use QtGui, never QtWidgets
(an import-linter contract), and an HTML report loads no Qt.
"""

from __future__ import annotations

import os
from pathlib import Path

from workbench.core.analysis import CONSENSUS, LayerKey
from workbench.core.dates import PartialDate
from workbench.core.errors import BadInput
from workbench.core.model import Project

#: What a report can be written as.
REPORT_SUFFIXES = (".pdf", ".html", ".htm")


def write_report(
    project: Project,
    path: str | os.PathLike[str],
    *,
    layer: LayerKey = CONSENSUS,
    app_version: str,
    annotate: PartialDate | None = None,
) -> None:
    """The report as .pdf or .html by the file's extension."""
    from workbench.reports.charts import report_drawings
    from workbench.reports.content import build_report

    suffix = Path(path).suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        raise BadInput(f"{path}: a report is .pdf or .html, not {suffix or 'no extension'}")
    content = build_report(project, layer, app_version=app_version, annotate=annotate)
    drawings = report_drawings(project, layer, annotate)
    if suffix == ".pdf":
        from workbench.reports.pdf import write_pdf

        write_pdf(content, drawings, path)
    else:
        from workbench.reports.html import write_html
        from workbench.reports.svg import to_svg

        write_html(content, {name: to_svg(d) for name, d in drawings.items()}, path)

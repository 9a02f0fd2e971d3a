"""File > Report…: write the analysis as PDF or self-contained HTML."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from workbench import __version__
from workbench.core.dates import PartialDate
from workbench.exchange.output_file import refuse_input_as_output
from workbench.ui.base.dialogs import StatusMessage, reporting
from workbench.ui.base.document import Document

REPORT_FILTERS = "PDF report (*.pdf);;Web page, self-contained (*.html)"


def save_report(
    parent: QWidget, document: Document, status: StatusMessage, annotate: PartialDate | None
) -> None:
    """Ask where, then write the report of the document's layer (``annotate``: a date to
    mark on the timeline, as the timeline view shows it)."""
    from workbench.reports import REPORT_SUFFIXES, write_report

    if not document.is_open:
        return
    folder = document.file.path.parent if document.file is not None else Path.home()
    stem = document.file.path.stem if document.file is not None else "report"
    path, chosen = QFileDialog.getSaveFileName(
        parent, "Report", str(folder / f"{stem} report.pdf"), REPORT_FILTERS
    )
    if not path:
        return
    target = Path(path)
    if target.suffix.lower() not in REPORT_SUFFIXES:
        target = target.with_name(target.name + (".html" if "html" in chosen else ".pdf"))
    with reporting(parent):
        if document.file is not None:
            refuse_input_as_output(target, document.file.path)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            write_report(
                document.project,
                target,
                layer=document.layer,
                app_version=__version__,
                annotate=annotate,
            )
        finally:
            QApplication.restoreOverrideCursor()
        status(f"Wrote the report to {target}", 8000)

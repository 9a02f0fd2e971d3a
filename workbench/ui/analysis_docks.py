"""The analysis views in the main window: docks, matrix selection, File > Report.

Kept out of main_window.py so the window only needs two lines to gain the
sensitivity, Bayesian, timeline and milestones views and the report action.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from workbench import __version__
from workbench.exchange.output_file import refuse_input_as_output
from workbench.ui.bayes_view import BayesView
from workbench.ui.dialogs import reporting
from workbench.ui.milestones_view import MilestonesView
from workbench.ui.sensitivity_view import SensitivityView
from workbench.ui.timeline_view import TimelineView

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

REPORT_FILTERS = "PDF report (*.pdf);;Web page, self-contained (*.html)"


class AnalysisDocks:
    """Owns the four analysis views of one window."""

    def __init__(self, window: MainWindow):
        self.window = window
        document = window.document
        self.sensitivity = SensitivityView(document, window)
        self.bayes = BayesView(document, window)
        self.timeline = TimelineView(document, window)
        self.milestones = MilestonesView(document, window)
        area = Qt.DockWidgetArea.BottomDockWidgetArea
        docks = [
            window._dock("sensitivity", "Sensitivity", self.sensitivity, area),
            window._dock("bayes", "Bayesian View", self.bayes, area),
            window._dock("timeline", "Evidence Timeline", self.timeline, area),
            window._dock("milestones", "Milestones", self.milestones, area),
        ]
        for before, after in zip(docks, docks[1:], strict=False):
            window.tabifyDockWidget(before, after)
        # Out of the way until asked for (View menu): the matrix keeps the height.
        for dock in docks:
            dock.hide()
        self.sensitivity.evidenceSelected.connect(self.select_evidence)
        self.timeline.evidenceSelected.connect(self.select_evidence)

    def select_evidence(self, evidence_id: int) -> None:
        """Select an item's row in the matrix (from a tornado bar or a list)."""
        project = self.window.document.project
        try:
            row = project.evidence_index(evidence_id)
        except KeyError:
            return
        self.window.select_cell(row, -1)
        self.window.view.setFocus()

    def save_report(self) -> None:
        """File > Report…: write the analysis as PDF or HTML."""
        doc = self.window.document
        if not doc.is_open:
            return
        folder = doc.file.path.parent if doc.file is not None else Path.home()
        stem = doc.file.path.stem if doc.file is not None else "report"
        path, chosen = QFileDialog.getSaveFileName(
            self.window, "Report", str(folder / f"{stem} report.pdf"), REPORT_FILTERS
        )
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() not in (".pdf", ".html", ".htm"):
            target = target.with_name(target.name + (".html" if "html" in chosen else ".pdf"))
        from workbench.reports import write_report

        with reporting(self.window):
            if doc.file is not None:
                refuse_input_as_output(target, doc.file.path)
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                write_report(
                    doc.project,
                    target,
                    layer=doc.layer,
                    app_version=__version__,
                    annotate=self.timeline.annotate,
                )
            finally:
                QApplication.restoreOverrideCursor()
            self.window.statusBar().showMessage(f"Wrote the report to {target}", 8000)


def add_analysis_docks(window: MainWindow) -> AnalysisDocks:
    window.analysis = AnalysisDocks(window)  # type: ignore[attr-defined]
    return window.analysis  # type: ignore[attr-defined]

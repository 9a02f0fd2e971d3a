"""Rating sheets from the window: send them out, take them back in (one undo step).

The same functions as ``workbench sheets`` and ``workbench collect``; here a
folder dialog chooses where, and the facilitator sees what each sheet brings
before anything changes.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from workbench.core.plurals import plural
from workbench.ui.base.dialogs import confirm, reporting
from workbench.ui.base.document import Document


def write_sheets(
    parent: QWidget, document: Document, names: str | None = None, folder: str | None = None
) -> list[Path]:
    """Ask for the analysts and a folder, then write one sheet each (shuffled, no scores)."""
    if not document.is_open:
        return []
    if names is None:
        known = ", ".join(a.name for a in document.project.analysts)
        names, ok = QInputDialog.getText(
            parent, "Write Rating Sheets", "Analysts (comma-separated):", text=known
        )
        if not ok:
            return []
    if folder is None:
        folder = QFileDialog.getExistingDirectory(parent, "Folder for the rating sheets")
        if not folder:
            return []
    with reporting(parent):
        # Imported here: openpyxl costs a tenth of a second the window need not pay at start.
        from workbench.exchange.rating_sheets import write_rating_sheets

        paths = write_rating_sheets(document.project, names.split(","), folder)
        QMessageBox.information(
            parent,
            "Rating sheets written",
            f"Wrote {len(paths)} rating sheets to {folder}:\n"
            + "\n".join(p.name for p in paths)
            + "\n\nEach analyst rates alone (hypothesis columns in an order of their own, "
            "no scores), then send them back for Team > Collect Rating Sheets.",
        )
        return paths
    return []


def collect_sheets(
    parent: QWidget, document: Document, files: list[str] | None = None, ask: bool = True
) -> bool:
    """Read filled sheets, show what they bring, and take them in as one undoable edit."""
    if not document.is_open:
        return False
    if files is None:
        files, _ = QFileDialog.getOpenFileNames(
            parent, "Collect rating sheets", "", "Rating sheets (*.xlsx)"
        )
        if not files:
            return False
    with reporting(parent):
        from workbench.exchange.rating_sheets_collect import collect_rating_sheets

        plan = collect_rating_sheets(document.project, files)
        summary = "\n".join(report.describe() for report in plan.reports)
        if not plan.changes_anything:
            QMessageBox.information(parent, "Nothing new", f"{summary}\n\nNothing new to collect.")
            return False
        blank = [r for r in plan.reports if r.new_analyst and not r.ratings]
        if blank:
            # A blank sheet would add an analyst with no ratings: never without asking.
            names = ", ".join(f"{r.analyst} ({r.file})" for r in blank)
            if not confirm(
                parent,
                "Blank rating sheet",
                f"{plural(len(blank), 'This sheet has', 'These sheets have')} no ratings: {names}.",
                f"Add {plural(len(blank), 'this analyst', 'these analysts')} to the team "
                "anyway, with no ratings yet?",
            ):
                return False
        if ask and not confirm(parent, "Collect rating sheets", "Take in these ratings?", summary):
            return False
        document.do(plan.edit)
        return True
    return False

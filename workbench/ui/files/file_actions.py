"""File menu actions: new, open, example, recent, copy, import, export.

A project is durable from the moment it exists (New asks where to put it),
so there is no Save, only Save a Copy. A failure is reported in a dialog and
leaves the open project exactly as it was.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from workbench.core.errors import BadInput, WorkbenchError
from workbench.exchange.formats import Format
from workbench.exchange.imported import Imported
from workbench.exchange.output_file import refuse_input_as_output
from workbench.ui.base.dialogs import StatusMessage, confirm, reporting
from workbench.ui.base.document import Document
from workbench.ui.base.tasks import Cancelled, run_in_background
from workbench.ui.files import readers as files
from workbench.ui.files.live import LiveLink

RECENT_KEY = "files/recent"
MAX_RECENT = 10
EXAMPLE_NAME = "Belarus example.achwb"
#: Lines of the import preview shown at once; the rest are behind Show Details.
PREVIEW_LINES = 20


def example_folder() -> Path:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    folder = Path(location or Path.home() / ".ach-workbench")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _is_server(text: str) -> bool:
    from workbench.store.server.address import is_server_address

    return is_server_address(text)


class _WaitCursor:
    def __enter__(self) -> None:
        QGuiApplication.setOverrideCursor(QCursor())

    def __exit__(self, *_: object) -> None:
        QGuiApplication.restoreOverrideCursor()


class FileActions:
    """File menu: open, create, import, export. Given the document, the settings and a
    status line, not the window: dialogs are parented to ``parent``."""

    def __init__(
        self, parent: QWidget, document: Document, settings: QSettings, status: StatusMessage
    ):
        self.parent = parent
        self.document = document
        self.settings = settings
        self.status = status
        #: Follows a team-server project once one has been opened (see live.py).
        self.live_link: LiveLink | None = None

    # -- recent files ------------------------------------------------------------

    def recent_files(self) -> list[str]:
        value = self.settings.value(RECENT_KEY, [])
        paths = [value] if isinstance(value, str) else list(value or [])
        return [p for p in paths if isinstance(p, str) and (_is_server(p) or Path(p).exists())]

    def _remember(self, path: Path) -> None:
        if _is_server(str(path)):  # kept without its password (ServerLocation)
            paths = [p for p in self.recent_files() if p != str(path)]
            self.settings.setValue(RECENT_KEY, [str(path), *paths][:MAX_RECENT])
            return
        text = str(path.absolute())
        paths = [p for p in self.recent_files() if p != text]
        self.settings.setValue(RECENT_KEY, [text, *paths][:MAX_RECENT])
        self.settings.setValue("files/folder", str(path.parent))

    def _folder(self) -> str:
        return str(self.settings.value("files/folder", str(Path.home())))

    # -- opening ---------------------------------------------------------------------

    def open_path(self, path: str | os.PathLike[str], read_only: bool = False) -> bool:
        """Open a project file in the window; True when it is now open."""
        from workbench.store import open_store
        from workbench.store.errors import FileInUse

        if _is_server(str(path)):
            return self.open_server(str(path), read_only)
        path = Path(path)
        with reporting(self.parent):
            try:
                try:
                    project_file = self._in_background(
                        f"Opening {path.name}…", lambda: open_store(path, read_only=read_only)
                    )
                except FileInUse as error:
                    if read_only or not confirm(
                        self.parent, "Project in use", str(error), "Open it read-only instead?"
                    ):
                        return False
                    project_file = self._in_background(
                        f"Opening {path.name}…", lambda: open_store(path, read_only=True)
                    )
            except Cancelled:
                return False
            self._show(project_file)
            return True
        return False

    def open_server(self, address: str, read_only: bool = False) -> bool:
        """Open a project on a team server (``postgresql://...?project=NAME``) and follow it."""
        from workbench.store import open_store
        from workbench.store.server.address import parse_address

        with reporting(self.parent):
            try:
                name = parse_address(address).project
                store = self._in_background(
                    f"Opening {name} on the team server…",
                    lambda: open_store(address, read_only=read_only),
                )
            except Cancelled:
                return False
            if self.live_link is None:
                self.live_link = LiveLink(self.parent, self.document, self.status)
            self._show(store)
            return True
        return False

    def _in_background(self, label: str, make_file, created: bool = False):  # noqa: ANN001, ANN202
        """Open or create a project file on a worker thread (10,000 rows load in ~1 s).

        The file's sessions are opened and closed inside each call, so handing
        the finished ProjectFile to the GUI thread shares no session; a file
        opened after Cancel is closed again at once, and one ``created`` for
        the cancelled action is removed, so Cancel leaves no new file behind.
        """

        def abandon(project_file) -> None:  # noqa: ANN001
            project_file.close()
            if created:
                Path(project_file.path).unlink(missing_ok=True)

        return run_in_background(self.parent, label, make_file, on_abandoned=abandon)

    def _show(self, project_file) -> None:  # noqa: ANN001 - store type, imported lazily
        self.document.replace(project_file)
        self._remember(project_file.path)
        if getattr(project_file, "backup", None):
            self.status(
                f"Upgraded the file to the new format; the old one is kept as "
                f"{project_file.backup.name}.",
                10000,
            )

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.parent, "Open project", self._folder(), files.OPEN_FILTER
        )
        if path:
            self.open_path(path)

    def open_or_import(self, path: str) -> None:
        """A dropped file: a project opens, a spreadsheet or PARC file imports."""
        suffix = Path(path).suffix.lower()
        if suffix == files.PROJECT_SUFFIX:
            self.open_path(path)
        elif suffix in files.IMPORT_SUFFIXES:
            if self.document.is_open and not self.document.read_only:
                self.import_path_into(Path(path))
            else:
                self.import_path_as_new(Path(path))
        else:
            with reporting(self.parent):
                raise BadInput(
                    f"{Path(path).name}: drop an .achwb project, or a .xlsx, .csv or .achz "
                    "matrix to import"
                )

    def _ask_new_path(self, title: str, suggested: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(
            self.parent,
            title,
            str(Path(self._folder()) / suggested),
            files.OPEN_FILTER,
        )
        if not path:
            return None
        target = Path(path)
        if target.suffix.lower() != files.PROJECT_SUFFIX:
            target = target.with_name(target.name + files.PROJECT_SUFFIX)
        return target

    def new_project(self) -> None:
        """Heuer's first steps (question, hypotheses, evidence), then where to keep it."""
        from workbench.ui.files.new_project_wizard import NewProjectWizard

        wizard = NewProjectWizard(self.parent)
        wizard.accepted.connect(lambda: self._create_from(wizard))
        wizard.finished.connect(wizard.deleteLater)
        self.wizard = wizard
        # open(), not exec(): the window stays responsive and tests drive the wizard.
        wizard.open()

    def _create_from(self, wizard) -> None:  # noqa: ANN001 - NewProjectWizard
        from workbench.store import ProjectFile

        project = wizard.project()
        target = self._ask_new_path(
            "New project: where to keep it", f"{wizard.suggested_file_name()}.achwb"
        )
        if target is None:
            return
        with reporting(self.parent):
            self._show(ProjectFile.create(target, project))

    def open_example(self) -> None:
        """A fresh copy of the worked example in the user's data folder.

        An earlier copy is replaced only while nobody has changed it (its change
        log is empty) and no window has it open (the store checks the locks); a
        copy that holds work is never replaced: the next numbered copy is used.
        """
        from workbench.exchange.example import load_example
        from workbench.store import ProjectFile

        with reporting(self.parent):
            folder = example_folder()
            names = itertools.chain(
                [folder / EXAMPLE_NAME],
                (folder / f"Belarus example {number}.achwb" for number in itertools.count(2)),
            )
            free = (path for path in names if not path.exists() or _untouched(path))
            created = ProjectFile.create_first_free(free, load_example())
            self._show(created)
            if created.path.name != EXAMPLE_NAME:
                self.status(
                    f"Your earlier example copies hold work, so this one is {created.path.name}.",
                    10000,
                )

    def save_copy(self) -> None:
        if not self.document.is_open:
            return
        current = self.document.file.path
        path, _ = QFileDialog.getSaveFileName(
            self.parent,
            "Save a copy as",
            str(current.with_name(f"{current.stem} copy{current.suffix}")),
            files.OPEN_FILTER,
        )
        if not path:
            return
        with reporting(self.parent), _WaitCursor():
            self.document.file.save_copy(path)
            self.status(f"Saved a copy as {path}", 6000)

    # -- import ------------------------------------------------------------------------

    def _ask_import_source(self) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(
            self.parent, "Import a matrix", self._folder(), files.IMPORT_FILTER
        )
        return Path(path) if path else None

    def _read(self, path: Path) -> Imported:
        return run_in_background(self.parent, f"Reading {path.name}…", lambda: files.read_any(path))

    def import_as_new(self) -> None:
        source = self._ask_import_source()
        if source is not None:
            self.import_path_as_new(source)

    def import_path_as_new(self, source: Path) -> None:
        from workbench.store import ProjectFile

        with reporting(self.parent):
            try:
                imported = self._read(source)
            except Cancelled:
                return
            project = imported.project
            target = self._ask_new_path("Save the imported project as", f"{source.stem}.achwb")
            if target is None:
                return
            try:
                created = self._in_background(
                    f"Writing {target.name}…",
                    lambda: ProjectFile.create(target, project),
                    created=True,
                )
            except Cancelled:
                return
            self._show(created)
            self.status(
                f"Imported {len(project.evidence)} evidence x {len(project.hypotheses)} "
                f"hypotheses from {source.name}.",
                8000,
            )
            warnings = imported.warnings
            if warnings:
                shown = "\n".join(f"• {w}" for w in warnings[:PREVIEW_LINES])
                if len(warnings) > PREVIEW_LINES:
                    shown += f"\n… and {len(warnings) - PREVIEW_LINES} more"
                QMessageBox.information(
                    self.parent, "Imported with warnings", f"{source.name}:\n{shown}"
                )

    def import_into(self) -> None:
        source = self._ask_import_source()
        if source is not None:
            self.import_path_into(source)

    def import_path_into(self, source: Path) -> None:
        """Show what the file would change, then apply it as ONE undoable step."""
        from workbench.exchange.diff import changes_from_workbook

        doc = self.document
        if not doc.is_open:
            self.import_path_as_new(source)
            return
        with reporting(self.parent):
            try:
                incoming = self._read(source)
            except Cancelled:
                return
            analyst = doc.editing_analyst() or doc.analyst_id
            if analyst is None:
                raise WorkbenchError("Add an analyst before importing ratings into this project.")
            label = f"Import {source.name}"
            own = files.is_own_workbook(source)
            try:
                plan = changes_from_workbook(
                    doc.project,
                    incoming.project,
                    analyst,
                    allow_foreign=not own,
                    label=label,
                    scope=incoming.scope,
                    warnings=incoming.warnings,
                )
            except BadInput as error:
                if not own or "another project" not in str(error):
                    raise
                if not confirm(
                    self.parent,
                    "Another project",
                    f"{source.name}: {error}.",
                    "Import it anyway (items are matched by code)?",
                ):
                    return
                plan = changes_from_workbook(
                    doc.project,
                    incoming.project,
                    analyst,
                    allow_foreign=True,
                    label=label,
                    scope=incoming.scope,
                    warnings=incoming.warnings,
                )
            if plan.is_empty:
                QMessageBox.information(self.parent, "Import", "\n".join(plan.summary()))
                return
            lines = [f"• {line}" for line in plan.summary()]
            shown = "\n".join(lines[:PREVIEW_LINES])
            if len(lines) > PREVIEW_LINES:
                shown += f"\n… and {len(lines) - PREVIEW_LINES} more (Show Details lists all)"
            if confirm(
                self.parent,
                "Import into this project",
                f"Importing {source.name} will make these changes (one Undo reverses them all):",
                shown,
                accept="Import",
                full_list="\n".join(lines) if len(lines) > PREVIEW_LINES else "",
            ):
                doc.do(plan.as_edit())

    # -- export -------------------------------------------------------------------------

    def export(self, fmt: Format) -> None:
        """File > Export to ...: one of the registry's export formats."""
        suffix, file_filter = fmt.export_suffix, fmt.export_filter
        doc = self.document
        if not doc.is_open:
            return
        suggested = Path(self._folder()) / f"{doc.file.path.stem}{suffix}"
        path, _ = QFileDialog.getSaveFileName(self.parent, "Export", str(suggested), file_filter)
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != suffix:
            target = target.with_name(target.name + suffix)
        with reporting(self.parent):
            refuse_input_as_output(target, doc.file.path)
            project = files.snapshot(doc.project)
            layer = doc.layer
            # A cancelled export leaves no new file behind (a replaced one is already gone).
            existed = target.exists()
            try:
                run_in_background(
                    self.parent,
                    f"Writing {target.name}…",
                    lambda: files.export_to(project, target, layer),
                    on_abandoned=lambda written: existed or Path(written).unlink(missing_ok=True),
                )
            except Cancelled:
                return
            self.settings.setValue("files/folder", str(target.parent))
            self.status(f"Exported to {target}", 8000)


def _untouched(path: Path) -> bool:
    """True for a project file nobody holds open and nobody has edited."""
    from workbench.store import ProjectFile
    from workbench.store.lock import live_holder

    if live_holder(path) is not None:
        return False
    try:
        with ProjectFile.open(path, read_only=True) as existing:
            return not existing.change_log(limit=1)
    except Exception:  # noqa: BLE001 - an unreadable file is kept, never replaced
        return False

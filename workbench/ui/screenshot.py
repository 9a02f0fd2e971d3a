"""`workbench screenshot`: the real main window, rendered to a PNG without a display.

Used for the README picture and for checking how the window looks from a
terminal or CI. It renders the same MainWindow an analyst sees, at a fixed
1600 x 1000, with one view in front. The project is opened read-only (no lock,
no writes) and shown from a private copy, so it works while the file is open in
another window and the picture shows the window as it looks when editing.
"""

from __future__ import annotations

import os
from pathlib import Path

from workbench.core.errors import BadInput

#: The views a screenshot can put in front (MainWindow.show_view accepts these).
#: "matrix" and every dock and analysis page (ui/docks.py; a test keeps the two
#: lists equal). Spelled out so the CLI can offer them without importing Qt.
VIEWS = (
    "matrix",
    "evidence",
    "hypothesis",
    "sources",
    "history",
    "scores",
    "steps",
    "disagreement",
    "sensitivity",
    "bayes",
    "timeline",
    "milestones",
)
SIZE = (1600, 1000)


def _application():  # noqa: ANN202 - QApplication, imported late on purpose
    """The running QApplication, or a new one on the offscreen platform.

    A screenshot never needs a real screen, and drawing offscreen gives the same
    picture on a laptop, a server and CI, so offscreen is the default even on a
    desktop; an explicit QT_QPA_PLATFORM is respected. This must happen before
    the first QApplication is created, which is why Qt is imported here.
    """
    # The offscreen platform's own screen is 800 x 800 and the window keeps itself
    # on its screen: draw on a virtual screen that holds the picture's size.
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_screen_file()}"
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        _quiet_offscreen_notices()
        app = QApplication(["workbench-screenshot"])
        app.setApplicationName("ACH Workbench")
    return app


def _screen_file() -> str:
    """A one-screen configuration for the offscreen platform, 1920 x 1080."""
    import json
    import tempfile

    path = Path(tempfile.gettempdir()) / "workbench-screenshot-screen.json"
    screen = {"name": "screenshot", "x": 0, "y": 0, "width": 1920, "height": 1080}
    screen.update({"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1})
    path.write_text(json.dumps({"screens": [screen]}))
    return str(path)


def _quiet_offscreen_notices() -> None:
    """Drop the offscreen plugin's "does not support propagateSizeHints()" notices.

    They say a window manager hint has nowhere to go, which is the point of
    drawing offscreen; every other Qt message still reaches stderr.
    """
    import sys

    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode, _context, message: str) -> None:  # noqa: ANN001 - Qt types
        if "does not support propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def render_screenshot(
    project_path: str | os.PathLike[str], out_path: str | os.PathLike[str], view: str = "matrix"
) -> None:
    """Save a PNG of the main window showing ``project_path`` with ``view`` in front.

    Raises BadInput for a bad view or output name and the store's errors for a
    file that is not a project; no output file is left behind on failure.
    """
    if view not in VIEWS:
        raise BadInput(f"unknown view {view!r} (use {', '.join(VIEWS)})")
    out = Path(out_path)
    if out.suffix.lower() != ".png":
        raise BadInput(f"{out}: a screenshot is saved as .png")
    if not out.parent.exists():
        raise BadInput(f"{out}: folder {out.parent} does not exist")

    import tempfile

    from workbench.store import ProjectFile

    scratch = tempfile.TemporaryDirectory(prefix="workbench-screenshot-")
    try:
        # Read the project without a lock, then show a private copy of it: the
        # window looks exactly as in everyday editing (nothing greyed out as
        # read-only), and the analyst's file is never written.
        with ProjectFile.open(project_path, read_only=True) as source:
            copy = Path(scratch.name) / Path(project_path).name
            source.save_copy(copy)
        _render(ProjectFile.open(copy), Path(scratch.name), out, view)
    finally:
        scratch.cleanup()


def _render(project_file, scratch: Path, out: Path, view: str) -> None:  # noqa: ANN001
    app = _application()
    from PySide6.QtCore import QSettings

    from workbench.ui.base.document import Document
    from workbench.ui.main_window import MainWindow

    document = Document(project_file)
    # A throwaway settings file: the picture must not depend on (or change) the
    # analyst's saved window layout and recent files.
    settings = QSettings(str(scratch / "settings.ini"), QSettings.IniFormat)
    window = MainWindow(document, settings=settings)
    try:
        window.resize(*SIZE)
        window.show()
        window.show_view(view)
        # Let layouts settle and charts draw before grabbing.
        for _ in range(3):
            app.processEvents()
        picture = window.grab()
        tmp = out.with_name(out.name + ".part")
        try:
            if not picture.save(str(tmp), "PNG"):
                raise BadInput(f"{out}: could not write the image")
            os.replace(tmp, out)
        finally:
            tmp.unlink(missing_ok=True)
    finally:
        window.close()
        window.deleteLater()
        document.close()
        app.processEvents()
        settings.sync()

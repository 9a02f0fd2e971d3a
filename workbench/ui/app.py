"""Starting the window: the QApplication, its look, and which project to show.

``run_gui(path)`` opens PATH, else the most recently used project, else a
fresh copy of the worked example, so the first launch shows a real matrix
instead of an empty window.
"""

from __future__ import annotations

import importlib.resources
import os
import sys
import time

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QIcon, QPixmap
from PySide6.QtWidgets import QApplication

from workbench import __version__

ORGANIZATION = "ACH Workbench"
APPLICATION = "ACH Workbench"
#: The name of the installed .desktop entry (see workbench.desktop): Wayland and the
#: task bars match the window to its menu entry and icon by it.
DESKTOP_FILE_NAME = "ach-workbench"


def make_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, following the system's light or dark palette."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # Fractional scale factors (150 % displays) pass through unrounded: crisp text.
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    if not QCoreApplication.organizationName():
        QCoreApplication.setOrganizationName(ORGANIZATION)
    if not QCoreApplication.applicationName():
        QCoreApplication.setApplicationName(APPLICATION)
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    # Fusion draws the same everywhere and takes the system colour scheme
    # (light or dark) from the platform palette.
    app.setStyle("Fusion")
    app.setWindowIcon(application_icon())
    QGuiApplication.setDesktopFileName(DESKTOP_FILE_NAME)
    return app


def application_icon() -> QIcon:
    """The application icon, in every size shipped in resources/desktop/icons."""
    icon = QIcon()
    folder = importlib.resources.files("workbench.resources").joinpath("desktop", "icons")
    for size in folder.iterdir():
        png = size.joinpath(f"{DESKTOP_FILE_NAME}.png")
        pixmap = QPixmap()
        if png.is_file() and pixmap.loadFromData(png.read_bytes(), "PNG"):
            icon.addPixmap(pixmap)
    return icon


def open_start_project(window, path: str | None) -> bool:  # noqa: ANN001 - MainWindow
    """PATH, else the most recent file, else the example; True when one is open."""
    files = window.files
    if path is not None:
        return files.open_path(path)  # a file, or a team server's address (kept as text)
    for recent in files.recent_files():
        if files.open_path(recent):
            return True
    files.open_example()
    return window.document.is_open


def run_gui(path: str | None = None) -> int:
    """Show the main window until it closes; the process exit code."""
    app = make_application()
    from workbench.ui.base.dialogs import show_bug
    from workbench.ui.base.palette import apply_appearance
    from workbench.ui.main_window import APPEARANCE_KEY, MainWindow

    settings = QSettings()
    apply_appearance(str(settings.value(APPEARANCE_KEY, "system")))
    window = MainWindow(settings=settings)
    _report_uncaught_errors(window, show_bug)
    window.show()
    app.processEvents()  # lay out and paint the empty window now
    # Open once the event loop has painted the empty window: the analyst sees the
    # application at once, and the project (SQLAlchemy's import is a third of a
    # second) fills it a moment later instead of holding back the first paint.
    QTimer.singleShot(0, lambda: _open_then_check(app, window, path))
    return app.exec()


def _open_then_check(app: QApplication, window, path: str | None) -> None:  # noqa: ANN001
    open_start_project(window, path)
    _quit_after_smoke_test(app, window)


def _report_uncaught_errors(window, show_bug) -> None:  # noqa: ANN001
    """An exception escaping a Qt slot becomes the "this is a bug" dialog, not a
    traceback on a terminal the analyst never sees (and the window stays up)."""

    def hook(kind, error, trace) -> None:  # noqa: ANN001
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        sys.__excepthook__(kind, error, trace)
        show_bug(window, error.with_traceback(trace))

    sys.excepthook = hook


def _quit_after_smoke_test(app: QApplication, window) -> None:  # noqa: ANN001 - MainWindow
    """WORKBENCH_SMOKE_EXIT_MS=N (CI's Xvfb test): report the shown window, quit after N ms."""
    delay = os.environ.get("WORKBENCH_SMOKE_EXIT_MS", "")
    if not delay.isdigit():
        return
    if window.document.is_open:
        # Paint now, the matrix with it, and say when on the system-wide monotonic
        # clock: a test that noted the clock before starting the process gets the
        # time from start to matrix painted (the bundle's start-up check).
        window.view.viewport().repaint()
        print(f"workbench smoke: matrix painted at {time.monotonic():.4f}", flush=True)

    def report_and_quit() -> None:
        if window.isVisible() and window.document.is_open:
            print(f"workbench smoke: window shown on {app.platformName()}", flush=True)
            app.quit()
        else:
            app.exit(3)

    QTimer.singleShot(int(delay), report_and_quit)

"""Fixtures for the window tests (private settings: tests/conftest.py): the
example project in a temp dir, documents over project files, the real main
window, and recorded dialogs.

Every test fails on any Qt warning (as qutebrowser's do), except the offscreen
platform's notes on what it lacks: ``qt_log_level_fail`` in pyproject.toml.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
import shiboken6
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from workbench.core.analysis import score_project
from workbench.core.model import Project
from workbench.store import ProjectFile

#: The offscreen platform's own screen is 800 x 800, smaller than the 1600 x 1000
#: window the tests drive, and the window now keeps itself on its screen. Give
#: the tests a 1920 x 1080 desktop unless a platform was configured explicitly
#: (test_window_geometry.py runs every other screen size in a process of its own).
SCREEN_FILE = Path(__file__).with_name("screen-1920x1080.json")
if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREEN_FILE}"


@dataclasses.dataclass
class Shown:
    name: str
    title: str
    text: str
    informative: str


@pytest.fixture
def message_boxes(monkeypatch: pytest.MonkeyPatch) -> list[Shown]:
    """Every QMessageBox the window opens, recorded and answered OK (or Yes)."""
    shown: list[Shown] = []

    def record(box: QMessageBox) -> int:
        shown.append(Shown(box.objectName(), box.windowTitle(), box.text(), box.informativeText()))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", record)
    monkeypatch.setattr(
        QMessageBox,
        "information",
        staticmethod(
            lambda *a, **k: shown.append(
                Shown(
                    "information",
                    str(a[1]) if len(a) > 1 else "",
                    str(a[2]) if len(a) > 2 else "",
                    "",
                )
            )
        ),
    )
    return shown


@pytest.fixture(autouse=True)
def widgets_live_until_teardown(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """Hold every widget a test gives ``qtbot.addWidget`` until the test is torn down.

    pytest-qt holds them weakly. A top-level view the test no longer names, kept
    alive only by reference cycles (signal connections, helpers that point back at
    it), could then be collected by Python's cycle collector at any allocation,
    including while pytest-qt's closing event processing is painting it: Qt then
    destroys a widget in the middle of its own paint and the process crashes. In the
    window every view has a parent that owns it, so this is the tests' own lifetime.
    """
    if "qtbot" not in request.fixturenames:
        yield
        return
    qtbot = request.getfixturevalue("qtbot")
    kept: list[object] = []
    add = qtbot.addWidget

    def add_and_keep(widget, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        kept.append(widget)
        return add(widget, *args, **kwargs)

    monkeypatch.setattr(qtbot, "addWidget", add_and_keep)
    yield
    for widget in kept:
        if shiboken6.isValid(widget):
            widget.close()
            widget.deleteLater()  # deleted by Qt's event loop, never by the collector
    kept.clear()


@pytest.fixture
def open_document(tmp_path: Path):
    """``open_document(project) -> Document`` over a real project file written from
    ``project`` in this test's folder; every document is closed after the test."""
    from workbench.ui.base.document import Document

    opened: list[Document] = []

    def open_project(project: Project) -> Document:
        path = tmp_path / f"document-{len(opened)}.achwb"
        ProjectFile.create(path, project).close()
        opened.append(Document(ProjectFile.open(path)))
        return opened[-1]

    yield open_project
    for document in opened:
        document.close()


@pytest.fixture(scope="session")
def _example_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example written once per worker; each test gets a copy of the file."""
    from workbench.exchange.example import load_example

    path = tmp_path_factory.mktemp("example") / "belarus.achwb"
    ProjectFile.create(path, load_example()).close()
    return path


@pytest.fixture
def example_file(tmp_path: Path, _example_master: Path) -> Path:
    path = tmp_path / "belarus.achwb"
    shutil.copyfile(_example_master, path)
    return path


@pytest.fixture
def main_window(qtbot, tmp_path: Path, example_file: Path, message_boxes):  # noqa: ANN001
    """The real main window with a copy of the example open, shown at 1600 x 1000."""
    from workbench.ui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings)
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    assert window.files.open_path(example_file), message_boxes
    yield window
    window.document.close()


def assert_scores_match(window) -> None:  # noqa: ANN001
    """The footer and the document show exactly what score_project computes now."""
    document = window.document
    expected = score_project(document.project, document.layer)
    footer = window.matrix.footer_model
    for row, (_name, attr, _tip) in enumerate(footer_rows()):
        shown = [footer.value(row, col) for col in range(len(document.project.hypotheses))]
        np.testing.assert_allclose(shown, getattr(expected, attr), rtol=0, atol=1e-9)
    np.testing.assert_allclose(
        document.scores.weighted_diagnosticity, expected.weighted_diagnosticity, atol=1e-9
    )


def footer_rows():  # noqa: ANN201
    from workbench.ui.matrix.footer_model import FOOTER_ROWS

    return FOOTER_ROWS


@pytest.fixture
def scores_agree():  # noqa: ANN201
    return assert_scores_match

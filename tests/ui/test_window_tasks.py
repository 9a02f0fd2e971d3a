"""Slow work off the GUI thread: results, errors, and Cancel that leaves nothing behind."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QFileDialog, QProgressDialog, QPushButton

from workbench.core.errors import BadInput
from workbench.ui.base.tasks import SHOW_AFTER_MS, Cancelled, run_in_background
from workbench.ui.files import readers as files


def press_cancel_when_shown() -> None:
    """Click Cancel on the progress dialog once it has appeared."""

    def look() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]
        visible = [d for d in dialogs if d.isVisible()]
        if visible:
            visible[0].findChild(QPushButton).click()
        else:
            QTimer.singleShot(50, look)

    QTimer.singleShot(SHOW_AFTER_MS, look)


def test_the_result_comes_back_and_the_gui_thread_keeps_running(qtbot):  # noqa: ANN001
    worker_thread = []

    def work() -> int:
        worker_thread.append(threading.current_thread())
        time.sleep(0.2)
        return 42

    assert run_in_background(None, "Working…", work) == 42
    assert worker_thread and worker_thread[0] is not threading.main_thread()


def test_an_error_in_the_worker_is_raised_in_the_caller(qtbot):  # noqa: ANN001
    def work() -> None:
        raise BadInput("matrix.xlsx: Matrix!E7 is not a rating")

    with pytest.raises(BadInput, match="Matrix!E7"):
        run_in_background(None, "Reading…", work)


def test_cancel_returns_at_once_and_cleans_up_the_late_result(qtbot):  # noqa: ANN001
    cleaned: list[str] = []
    press_cancel_when_shown()
    started = time.perf_counter()
    with pytest.raises(Cancelled):
        run_in_background(
            None, "Slow…", lambda: (time.sleep(1.5), "result")[1], on_abandoned=cleaned.append
        )
    assert time.perf_counter() - started < 1.4
    qtbot.waitUntil(lambda: cleaned == ["result"], timeout=5000)


def test_cancelled_export_leaves_no_file(main_window, qtbot, tmp_path, monkeypatch):  # noqa: ANN001
    target = tmp_path / "slow.csv"
    real_export = files.export_to

    def slow_export(project, path: Path, layer):  # noqa: ANN001, ANN202
        time.sleep(1.2)
        return real_export(project, path, layer)

    monkeypatch.setattr(files, "export_to", slow_export)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    press_cancel_when_shown()
    main_window.findChild(QAction, "actionExportCsv").trigger()
    qtbot.wait(1800)
    assert not target.exists()
    assert main_window.document.is_open
